"""What the definition editor's preview reads beyond the draft itself: the pathways its
timed transitions would move today (workflows.services.timed_transitions). A tag rather than
the model's preview context, which sits below the services."""

from django import template

from ..services.timed_transitions import due_counts
from ..specs import DefinitionSpec, TransitionSpec

register = template.Library()


@register.simple_tag
def timed_due_counts(definition, spec: DefinitionSpec) -> list[tuple[TransitionSpec, int]]:
    """Each timed transition of `spec` and how many of the definition's open pathways it
    would move today, in the editor's order."""
    counts = due_counts(definition.pk, spec)
    return [(spec.transitions[code], count) for code, count in counts.items()]
