from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Antenna, Commune, PriorityNeighbourhood


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


class AntennaViewSet(SnippetViewSet):
    model = Antenna
    icon = "home"
    list_display = ["name", "organisation", "commune"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation"]


class TerritoriesGroup(SnippetViewSetGroup):
    menu_label = _("Territoires")
    menu_icon = "site"
    menu_order = 300
    items = (CommuneViewSet, PriorityNeighbourhoodViewSet, AntennaViewSet)


register_snippet(TerritoriesGroup)
