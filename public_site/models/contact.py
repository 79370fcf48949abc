"""The "être recontacté" form page. Each valid request is stored (contact_requests.py) and
handed to the workflow by public_site.services, which the page and the API both call. A
request sent from a section goes to that section's Mission Locale."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from page_cache.mixins import CachedPageMixin, expire_cached_page_at
from public_site import sections, spam
from public_site.forms import ContactRequestForm
from public_site.services import TooManyContactRequests, receive_contact_request

from .privacy import PrivacyPage

PRIVACY_TEXT_DEFAULT = (
    "<p>On garde ton prénom, ton numéro ou ton e-mail, ta commune et ce dont tu as besoin. "
    "Seule l'équipe de la Mission Locale les lit, pour te rappeler. On ne les donne à "
    "personne d'autre et on ne s'en sert pas pour de la publicité.</p>"
    "<p>On les garde au plus 2 ans après ton dernier contact avec nous, puis on les efface. "
    "Tu peux à tout moment demander à les voir, à les corriger ou à les effacer : écris-nous "
    "ou demande-le à ton conseiller.</p>"
)
CONFIRMATION_TEXT_DEFAULT = (
    "<p>Un conseiller ou une conseillère de la Mission Locale va te rappeler (ou t'écrire) "
    "dans les prochains jours ouvrés, pour faire connaissance et voir avec toi par quoi "
    "commencer. Tu n'as rien d'autre à faire.</p>"
    "<p>Si tu préfères venir sans attendre, regarde les prochaines permanences près de "
    "chez toi.</p>"
)

# The form's signed timestamp is that of the cached copy: a copy kept at most this long leaves
# a visitor most of the token's day (spam.MAX_FILL_SECONDS) to fill it.
FORM_CACHE_LIFETIME = timedelta(hours=1)


class ContactRequestPage(CachedPageMixin, RoutablePageMixin, Page):
    """The form carries no CSRF token, so the page is cached like the others; how a post is
    protected instead is explained in public_site.spam."""

    intro = RichTextField(_("introduction"), blank=True)
    privacy_text = RichTextField(
        _("ce que l'on garde et combien de temps"),
        default=PRIVACY_TEXT_DEFAULT,
        help_text=_("Écrit pour qu'un jeune de 16 ans le comprenne."),
    )
    confirmation_text = RichTextField(
        _("message de confirmation"),
        default=CONFIRMATION_TEXT_DEFAULT,
        help_text=_("Ce qui se passe ensuite, affiché après l'envoi."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("privacy_text"),
        FieldPanel("confirmation_text"),
    ]
    api_fields = [APIField("intro"), APIField("privacy_text")]
    parent_page_types = ["public_site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("formulaire « être recontacté »")
        verbose_name_plural = _("formulaires « être recontacté »")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["privacy_page"] = self.privacy_page()
        return context

    def privacy_page(self):
        """The section's "Tes données personnelles" page, linked beside the consent box."""
        return self.get_siblings().type(PrivacyPage).live().first()

    @path("")
    def form_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            expire_cached_page_at(request, timezone.now() + FORM_CACHE_LIFETIME)
            return self.render(request, context_overrides={"form": ContactRequestForm()})
        try:
            form = receive_contact_request(
                request, request.POST, organisation=sections.section_of(self)
            )
        except TooManyContactRequests:
            context = {"page": self, "self": self}
            response = TemplateResponse(
                request, "public_site/too_many_requests.html", context, status=429
            )
            response["Retry-After"] = str(spam.RATE_WINDOW_SECONDS)
            return response
        if form.is_valid():
            return redirect(self.url + self.reverse_subpage("confirmation"))
        return self.render(request, context_overrides={"form": form})

    @path("merci/", name="confirmation")
    def confirmation(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, template="public_site/contact_request_confirmation.html")

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        return self.render(request, context_overrides={"form": ContactRequestForm()})
