"""API routing: Wagtail API v2 for pages, DRF for the agenda and the workflow, and the
OpenAPI schema. Each app's serializers and views live in its own `api.py`."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

wagtail_router = WagtailAPIRouter("wagtailapi")
wagtail_router.register_endpoint("pages", PagesAPIViewSet)
wagtail_router.register_endpoint("images", ImagesAPIViewSet)
wagtail_router.register_endpoint("documents", DocumentsAPIViewSet)

urlpatterns = [
    path("v2/", wagtail_router.urls),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
