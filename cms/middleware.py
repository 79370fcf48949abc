"""Security headers of every response: Content-Security-Policy (django-csp, with the admin's
own policy) and Permissions-Policy. The policies themselves are settings
(cms/settings/base.py, "Security headers"); the page cache stores these headers with each
page, so cached and rendered pages carry the same ones."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase


def is_admin_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(settings.ADMIN_URL_PREFIX)


class ProjectCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with one policy per side of the site.

    - Outside the admin: `CONTENT_SECURITY_POLICY`, enforced; no report-only header.
    - In the admin: `ADMIN_CONTENT_SECURITY_POLICY` enforced (Wagtail 8 still needs inline
      code), and `CONTENT_SECURITY_POLICY_REPORT_ONLY` reported, to see what a stricter
      policy would break.

    A view's own django-csp decorator (`csp_override`…) still wins on either side."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None:
            if not is_admin_request(request):
                # An empty policy writes no header: report-only is the admin's.
                parts.config = {} if report_only else None
            elif not report_only:
                parts.config = dict(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
