""" "Tes données personnelles": what the Mission Locale keeps about a young person, for how
long, who sees it, and how to ask for a copy, a correction or an erasure, in words a
16-year-old reads. One per section (and one at the finder), linked from the "être
recontacté" form and the footer. Below the text, the section's Mission Locale's own contact
details say where to write."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from page_cache.mixins import CachedPageMixin
from public_site import sections

PRIVACY_INTRO_DEFAULT = (
    "<p>Quand tu viens à la Mission Locale ou que tu remplis le formulaire « Être "
    "recontacté », on note quelques informations sur toi. Voici lesquelles, pourquoi, combien "
    "de temps on les garde, et ce que tu peux nous demander.</p>"
)
PRIVACY_BODY_DEFAULT = (
    "<h2>Ce qu'on garde</h2>"
    "<ul>"
    "<li>Ton prénom, ton nom, ta date de naissance.</li>"
    "<li>Ton numéro de téléphone ou ton e-mail, et ta commune.</li>"
    "<li>Ce dont tu as besoin (un emploi, une formation, un logement, la santé, le permis…) "
    "et ce que tu fais avec ton conseiller : les rendez-vous, les étapes, les notes.</li>"
    "</ul>"
    "<p>On ne garde que ce qui sert à t'aider, et seulement si tu es d'accord.</p>"
    "<h2>Combien de temps</h2>"
    "<p>Deux ans après ton dernier contact avec nous (un appel, un rendez-vous, un message). "
    "Ensuite, tout ce qui permet de te reconnaître est effacé. Il ne reste que des chiffres "
    "sans nom, comme « un jeune de Rodez a trouvé une formation ». Ils servent à savoir si "
    "la Mission Locale fait du bon travail.</p>"
    "<h2>Qui les voit</h2>"
    "<ul>"
    "<li>Les personnes de ta Mission Locale qui t'accompagnent : ton conseiller ou ta "
    "conseillère, le médiateur qui t'a rencontré, et les responsables.</li>"
    "<li>Ce que tu dis sur ta santé, ton logement ou ton argent : seulement ton conseiller "
    "référent.</li>"
    "<li>Personne d'autre. On ne vend rien, on ne fait pas de publicité. Chaque fois que "
    "quelqu'un ouvre ton dossier, c'est noté dans un journal.</li>"
    "</ul>"
    "<h2>Ce que tu peux demander</h2>"
    "<ul>"
    "<li><strong>Voir</strong> tout ce qu'on a sur toi, et en avoir une copie.</li>"
    "<li><strong>Corriger</strong> ce qui est faux (un nouveau numéro, une faute dans ton "
    "nom).</li>"
    "<li><strong>Tout effacer</strong>. Attention : on ne pourra plus t'accompagner avec ce "
    "dossier, il faudra recommencer.</li>"
    "</ul>"
    "<p>Pour ça, écris-nous ou demande-le à ton conseiller. C'est gratuit. On te répond en un "
    "mois au plus. On peut te demander de montrer que c'est bien toi, pour que personne "
    "d'autre ne récupère tes informations.</p>"
    "<h2>Si ça ne se passe pas bien</h2>"
    "<p>Si on ne te répond pas, ou si tu n'es pas d'accord avec notre réponse, tu peux te "
    "plaindre à la CNIL. C'est la Commission nationale de l'informatique et des libertés : "
    "elle vérifie qu'on respecte la loi. Tout se fait sur son site, cnil.fr, rubrique "
    "« Adresser une plainte ».</p>"
)


class PrivacyPage(CachedPageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, default=PRIVACY_INTRO_DEFAULT)
    body = RichTextField(
        _("texte"),
        default=PRIVACY_BODY_DEFAULT,
        help_text=_(
            "Écrit pour qu'un jeune de 16 ans le comprenne : ce qu'on garde, combien de temps, "
            "qui le voit, comment demander une copie ou l'effacement, la CNIL."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    parent_page_types = ["public_site.HomePage", "public_site.FinderPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page « Tes données personnelles »")
        verbose_name_plural = _("pages « Tes données personnelles »")

    def get_context(self, request, *args, **kwargs):
        """The section's Mission Locale, whose contact details say where to write."""
        context = super().get_context(request, *args, **kwargs)
        context["organisation"] = sections.section_of(self)
        return context
