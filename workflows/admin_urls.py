"""Admin URLs of the counsellors' and mediators' screens, included under /admin/parcours/ by
`wagtail_hooks.register_screen_urls`. The maraudes have their own URLs, from their viewset."""

from django.urls import path

from .views.access_log import AccessLogView
from .views.board import BoardView
from .views.caseload import CaseloadView
from .views.identification import IdentificationView
from .views.pathway import (
    ContactView,
    PathwayView,
    ReferentView,
    TransitionView,
    YouthDetailsView,
)

app_name = "workflows_screens"
urlpatterns = [
    path("", CaseloadView.as_view(), name="caseload"),
    path("resultats/", CaseloadView.as_view(results_only=True), name="caseload_results"),
    path("tableau/", BoardView.as_view(), name="board"),
    path("reperage/", IdentificationView.as_view(), name="identification"),
    path("<int:pk>/", PathwayView.as_view(), name="pathway"),
    path("<int:pk>/contact/", ContactView.as_view(), name="contact"),
    path("<int:pk>/referent/", ReferentView.as_view(), name="referent"),
    path("<int:pk>/coordonnees/", YouthDetailsView.as_view(), name="youth_details"),
    path("<int:pk>/transition/<slug:code>/", TransitionView.as_view(), name="transition"),
    path("journal-des-acces/", AccessLogView.as_view(), name="access_log"),
    path(
        "journal-des-acces/resultats/",
        AccessLogView.as_view(results_only=True),
        name="access_log_results",
    ),
]
