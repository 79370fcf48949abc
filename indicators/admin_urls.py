"""Admin URLs of the "Indicateurs" dashboard and its exports, included under
/admin/indicateurs/ by `wagtail_hooks`. The exports take the dashboard's query string."""

from django.urls import path

from .views import DashboardView, ExportView

app_name = "indicators"
urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("export.csv", ExportView.as_view(file_format="csv"), name="export_csv"),
    path("export.xlsx", ExportView.as_view(file_format="xlsx"), name="export_xlsx"),
    path(
        "export-externe.csv",
        ExportView.as_view(file_format="csv", external=True),
        name="export_external_csv",
    ),
    path(
        "export-externe.xlsx",
        ExportView.as_view(file_format="xlsx", external=True),
        name="export_external_xlsx",
    ),
]
