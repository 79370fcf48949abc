"""Plain views of the public site that are not pages."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Nothing to hide from search engines but the admin, the API and the form's confirmation.
ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /*/merci/

Sitemap: {sitemap_url}
"""


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    return HttpResponse(
        ROBOTS_TXT.format(sitemap_url=sitemap_url), content_type="text/plain; charset=utf-8"
    )
