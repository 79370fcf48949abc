"""Admin URLs for API tokens, included by `wagtail_hooks.register_admin_urls`."""

from django.urls import path

from api_common.views import TokenIndexView, TokenRevokeView

app_name = "api_tokens"
urlpatterns = [
    path("", TokenIndexView.as_view(), name="index"),
    path("<int:pk>/revoke/", TokenRevokeView.as_view(), name="revoke"),
]
