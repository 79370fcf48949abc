"""Admin entries for API tokens: their URLs and their place in the settings menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from api_common import admin_urls
from api_common.views import can_manage_tokens


@hooks.register("register_admin_urls")
def register_api_token_urls():
    return [path("api-tokens/", include(admin_urls))]


class TokenMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_tokens(request.user)


@hooks.register("register_settings_menu_item")
def register_api_token_menu_item():
    return TokenMenuItem(_("Jetons d'API"), reverse("api_tokens:index"), icon_name="key", order=900)
