"""The diagram shown in the definition editor, drawn from the version being edited."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .diagram import definition_svg
from .specs import spec_from_stream


class DiagramPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Schéma du parcours"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/panels/diagram.html"

        class Media:  # a stylesheet, not a style attribute: the admin's CSP reports those
            css = {"all": ["workflows/screens.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            try:
                spec = spec_from_stream(self.instance.elements, revision_id=None)
                context["diagram"] = mark_safe(definition_svg(spec))  # built from escaped text
            except (KeyError, TypeError, ValueError):
                context["diagram"] = ""
            return context
