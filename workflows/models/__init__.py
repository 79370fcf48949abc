from .contacts import Contact, FollowUp
from .definitions import WorkflowDefinition
from .history import TransitionRecord
from .outreach import OutreachRound
from .pathway import Pathway
from .staff import StaffProfile
from .youth import Youth

__all__ = [
    "Contact",
    "FollowUp",
    "OutreachRound",
    "Pathway",
    "StaffProfile",
    "TransitionRecord",
    "WorkflowDefinition",
    "Youth",
]
