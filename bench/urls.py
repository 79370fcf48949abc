"""The project's URLs plus a bare "ok" view, the benchmarks' yardstick: it runs through the
same WSGI wrapper and middleware as the pages, and does nothing else. Kept out of
cms/urls.py so production serves no such URL."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns

BARE_VIEW_PATH = "/bench/ok/"


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_VIEW_PATH.strip("/") + "/", ok), *project_urlpatterns]
