"""django-fsm's post_transition signal keeps a pathway's stage-derived columns in step with
its stage, whoever fires the transition. History is written by the service, once."""

from django.dispatch import receiver
from django.utils import timezone
from django_fsm.signals import post_transition

from .models import Pathway


@receiver(post_transition, sender=Pathway, dispatch_uid="workflows.stage_columns")
def keep_stage_columns_in_step(sender, instance: Pathway, method_args=(), **kwargs) -> None:
    if "exception" in kwargs or len(method_args) < 2:
        return
    from .services.transitions import compute_due_on

    stage = method_args[1]
    now = timezone.now()
    instance.stage_category = stage.category
    instance.entered_stage_at = now
    instance.version += 1
    instance.closed_at = now if stage.final else None
    instance.due_on = compute_due_on(stage, now, instance.last_contact_at)
