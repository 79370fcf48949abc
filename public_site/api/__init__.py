"""Public API of the site, routed in cms/api.py: the permanence agenda and the "être
recontacté" request, laid out as Wagtail's own API (wagtail/api/v2): serializers,
representation (the response bodies), views, urls, and the schema's examples
(docs/architecture.md)."""

from .urls import register, urlpatterns

__all__ = ["register", "urlpatterns"]
