"""Admin URLs of the "Droits des jeunes" screen, included under /admin/droits-des-jeunes/ by
`wagtail_hooks`. No address carries a name: the search is sent by POST."""

from django.urls import path

from .views.subject_rights import (
    YouthEraseView,
    YouthExportHtmlView,
    YouthExportJsonView,
    YouthRectifyView,
    YouthSearchView,
    YouthSummaryView,
)

app_name = "workflows_rights"
urlpatterns = [
    path("", YouthSearchView.as_view(), name="search"),
    path("<int:pk>/", YouthSummaryView.as_view(), name="youth"),
    path("<int:pk>/export.json", YouthExportJsonView.as_view(), name="export_json"),
    path("<int:pk>/export/", YouthExportHtmlView.as_view(), name="export_html"),
    path("<int:pk>/rectifier/", YouthRectifyView.as_view(), name="rectify"),
    path("<int:pk>/effacer/", YouthEraseView.as_view(), name="erase"),
]
