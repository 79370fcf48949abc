from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import home_panels
from .models import ContactRequest, Venue


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "home"
    menu_label = _("Lieux partenaires")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "venue_type", "commune"]
    list_filter = ["venue_type", "commune"]
    search_fields = ["name", "address"]


class ContactRequestViewSet(SnippetViewSet):
    """Read by the team to see requests the workflow has not taken yet."""

    model = ContactRequest
    icon = "mail"
    menu_label = _("Demandes de contact")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["first_name", "commune", "organisation", "created_at", "status"]
    list_filter = ["status", "organisation"]
    inspect_view_enabled = True


register_snippet(VenueViewSet)
register_snippet(ContactRequestViewSet)


@hooks.register("construct_homepage_panels")
def add_editors_panel(request, panels):
    """Pages to review and the coming permanences, for those who edit pages; the antenna's
    week of permanences, for its counsellors."""
    panels.extend(home_panels.panels_for(request))
