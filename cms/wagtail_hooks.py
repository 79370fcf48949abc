"""The project's own admin entries: API tokens (see cms/api_tokens.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.api_tokens import TokenIndexView, TokenRevokeView, can_manage_tokens

token_urls = (
    [
        path("", TokenIndexView.as_view(), name="index"),
        path("<int:user_id>/revoke/", TokenRevokeView.as_view(), name="revoke"),
    ],
    "api_tokens",
)


@hooks.register("register_admin_urls")
def register_api_token_urls():
    return [path("api-tokens/", include(token_urls))]


class TokenMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_tokens(request.user)


@hooks.register("register_settings_menu_item")
def register_api_token_menu_item():
    return TokenMenuItem(_("Jetons d'API"), reverse("api_tokens:index"), icon_name="key", order=900)
