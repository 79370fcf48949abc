"""DRF authentication by API token: `Authorization: Bearer wagtail_…`. An unknown, revoked
or expired token is a 401 in the project's error shape (`api_common.errors`), with a code
saying which (`authentication_failed`, `token_revoked`, `token_expired`)."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from api_common.tokens import TokenRefused, accepted_token


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """DRF's header parsing (and its refusals of a malformed header), our tokens. Subclassing
    `TokenAuthentication` also gives drf-spectacular's bearer security scheme."""

    keyword = "Bearer"

    def authenticate_credentials(self, key: str):
        try:
            token = accepted_token(key)
        except TokenRefused as refusal:
            raise exceptions.AuthenticationFailed(refusal.message, code=refusal.code) from None
        return token.user, token
