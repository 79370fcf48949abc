"""The workflow API's routes, added to the project's DRF router by `cms/api.py`."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from .views import DefinitionViewSet, OutreachRoundViewSet, PathwayViewSet


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the project's DRF router."""
    router.register("definitions", DefinitionViewSet, basename="definition")
    router.register("pathways", PathwayViewSet, basename="pathway")
    router.register("outreach-rounds", OutreachRoundViewSet, basename="outreach-round")
