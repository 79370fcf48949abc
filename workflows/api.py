"""API (serializers and views), routed in cms/api.py."""

urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the project's DRF router."""
