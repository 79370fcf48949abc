"""Every admin registration of the indicators app: the dashboard's URLs and its entry in
the Reports menu, shown to those who read the figures (coordinators, Direction, networks);
the networks of Missions Locales, in the Settings menu for those allowed to manage them."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
from .models import Network
from .policies import can_read_figures


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_figures(request.user)


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [path("indicateurs/", include(admin_urls))]


@hooks.register("register_reports_menu_item")
def register_dashboard_menu_item():
    return FiguresMenuItem(
        _("Indicateurs"),
        reverse_lazy("indicators:dashboard"),
        icon_name="table",
        name="indicateurs",
        order=100,
    )


class NetworkViewSet(SnippetViewSet):
    model = Network
    icon = "group"
    menu_label = _("Réseaux de Missions Locales")
    add_to_settings_menu = True
    list_display = ["name"]
    search_fields = ["name"]


register_snippet(NetworkViewSet)
