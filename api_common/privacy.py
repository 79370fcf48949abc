"""What browsers and proxies may keep of an API response.

The project's DRF endpoints answer, by default, as holding personal data: `Cache-Control:
no-store, private` (no copy on disk, none in a shared proxy) and `Vary: Authorization` (a
cache that still kept one would not give it to another token). An endpoint whose answer is
the same public data for everyone (the agenda) says so with `shared_cache = True` and sets
its own caching (`api_common.conditional`). Private is the default so that a new endpoint
cannot forget it."""

from __future__ import annotations

from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response


class PrivateResponseMixin:
    shared_cache = False

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        finalize = super().finalize_response  # type: ignore[misc]  # mixed into an APIView
        response = finalize(request, response, *args, **kwargs)
        if not self.shared_cache:
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ["Authorization"])
        return response
