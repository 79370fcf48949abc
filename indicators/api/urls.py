"""The figures' address, included by cms/api.py."""

from django.urls import path

from .views import FiguresView

urlpatterns = [path("indicators/", FiguresView.as_view(), name="api-indicators")]
