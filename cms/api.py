"""API routing: Wagtail API v2 for pages, DRF for the agenda and the workflow, and the
OpenAPI schema. Each app's serializers and views live in its own API module
(`public_site/api.py`, the `workflows/api/` and `indicators/api/` packages), which adds
its viewsets to the router or its addresses to the urlpatterns."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter
from wagtail.api.v2.router import WagtailAPIRouter

from api_common.errors import api_not_found
from api_common.wagtail_api.views import (
    ProjectDocumentsAPIViewSet,
    ProjectImagesAPIViewSet,
    ProjectPagesAPIViewSet,
)
from indicators.api import urls as indicators_api
from public_site import api as public_site_api
from workflows.api.urls import register as register_workflow_api

# Wagtail's read API, public, answering in French and in the API's error shape.
wagtail_router = WagtailAPIRouter("wagtailapi")
wagtail_router.register_endpoint("pages", ProjectPagesAPIViewSet)
wagtail_router.register_endpoint("images", ProjectImagesAPIViewSet)
wagtail_router.register_endpoint("documents", ProjectDocumentsAPIViewSet)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
public_site_api.register(router)
register_workflow_api(router)

# The API's documentation pages, under the public site's policy (settings, "Security
# headers") loosened for them only: Swagger UI's start-up script comes from its own address
# (the split view), its template keeps a small <style> block; Redoc starts from an inline
# script, writes its styles into the page, searches in a worker and shows Redocly's logo
# (and, from our template, asks nothing of Google's fonts).
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)
redoc = csp_update(
    {
        "script-src": [UNSAFE_INLINE],
        "style-src": [UNSAFE_INLINE],
        "worker-src": ["blob:"],
        "img-src": ["https://cdn.redoc.ly"],
    }
)(SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"))

urlpatterns = [
    path("v2/", wagtail_router.urls),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", swagger_ui, name="api-docs"),
    path("redoc/", redoc, name="api-redoc"),
    *public_site_api.urlpatterns,
    *indicators_api.urlpatterns,
    path("", include(router.urls)),
    re_path(r"", api_not_found),
]
