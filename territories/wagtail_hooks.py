from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Antenna, Commune, Organisation, PriorityNeighbourhood


class CommuneViewSet(SnippetViewSet):
    model = Commune
    icon = "site"
    list_display = ["name", "insee_code", "postcodes", "department"]
    search_fields = ["name", "insee_code"]
    ordering = ["name"]


class PriorityNeighbourhoodViewSet(SnippetViewSet):
    model = PriorityNeighbourhood
    icon = "group"
    list_display = ["name", "code", "commune"]
    list_filter = ["commune"]
    search_fields = ["name", "code"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    ordering = ["name"]


class AntennaViewSet(SnippetViewSet):
    model = Antenna
    icon = "home"
    list_display = ["name", "organisation", "commune"]
    list_filter = ["organisation"]
    search_fields = ["name"]


class TerritoriesGroup(SnippetViewSetGroup):
    menu_label = _("Territoires")
    menu_icon = "site"
    menu_order = 300
    items = (OrganisationViewSet, AntennaViewSet, CommuneViewSet, PriorityNeighbourhoodViewSet)


register_snippet(TerritoriesGroup)
