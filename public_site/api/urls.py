"""The public API's addresses, included by cms/api.py."""

from django.urls import path

from .views import AgendaView, ContactRequestView

urlpatterns = [
    path("agenda/", AgendaView.as_view(), name="api-agenda"),
    path("contact-requests/", ContactRequestView.as_view(), name="api-contact-requests"),
]


def register(router) -> None:
    """Add this app's viewsets to the project's DRF router: none, both views have a fixed
    address (urlpatterns)."""
