"""The workflow definition a coordinator edits: stages and transitions in one StreamField,
with drafts, revisions, locking and a diagram preview, as Wagtail offers for snippets."""

from django import forms
from django.db import models, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from ..blocks import CODE_VALIDATOR, TARGET_PICKER_ATTRS, DefinitionBlock
from ..choices import COORDINATORS, COUNSELLORS, DATA_PROTECTION_OFFICERS, MEDIATORS
from ..diagram import definition_svg
from ..panels import DiagramPanel

# Wagtail publishes through `publish` below (from its editor and from `Revision.publish()`),
# so this model calls the publish service. The service imports the pathway and history models
# from their own modules, never this one: no import circle.
from ..services.definitions import prepare_publish
from ..specs import live_spec, spec_from_stream
from ..validation import missing_stage_moves_message, stage_codes, stage_moves_from_value


class StageMoveBlock(blocks.StructBlock):
    """Where the pathways of a stage that disappears go, said by the coordinator on publish."""

    from_stage = blocks.CharBlock(
        label=_("étape retirée (code)"), max_length=50, validators=[CODE_VALIDATOR]
    )
    # Picked from the stages of the version being edited, as a transition's target is.
    to_stage = blocks.CharBlock(
        label=_("nouvelle étape (code)"),
        max_length=50,
        validators=[CODE_VALIDATOR],
        form_attrs=TARGET_PICKER_ATTRS,
    )

    class Meta:
        icon = "arrow-right"
        label = _("Déplacement")


# The roles an organisation may allow to read sensitive answers besides the référent.
SENSITIVE_READER_ROLE_CHOICES = [
    (role, role) for role in (COORDINATORS, COUNSELLORS, MEDIATORS, DATA_PROTECTION_OFFICERS)
]


class WorkflowDefinitionForm(WagtailAdminModelForm):
    """Refuses a name another definition of the same organisation has (the organisation is
    not a field of the form, so Django's own constraint check skips it), and refuses to
    publish a version that drops a stage pathways still stand in, unless the coordinator has
    said where they go. Drafts and autosaves are not checked for stages."""

    # A list of role names stored as JSON, offered as checkboxes (a JSON text box otherwise).
    sensitive_reader_roles = forms.MultipleChoiceField(
        choices=SENSITIVE_READER_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("rôles autorisés à lire les données sensibles"),
        help_text=_(
            "Les réponses marquées « Donnée sensible » ne sont montrées qu'au référent du "
            "parcours et aux rôles cochés ici (aucun par défaut)."
        ),
    )

    class Media:
        # The transitions' stage picker (workflows.blocks): files, no inline script (CSP).
        js = ["workflows/stage_picker.js"]
        css = {"all": ["workflows/editor.css"]}

    def clean(self):
        cleaned_data = super().clean()
        name = cleaned_data.get("name")
        if (
            name
            and WorkflowDefinition.objects.filter(
                organisation_id=self.instance.organisation_id, name=name
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", _("Cette Mission Locale a déjà une définition de ce nom."))
        if self.is_deferred_validation or self.instance.pk is None:
            return cleaned_data
        if "elements" not in cleaned_data or "stage_moves" not in cleaned_data:
            return cleaned_data
        message = self.instance.stranded_pathways_message(
            cleaned_data["elements"], stage_moves_from_value(cleaned_data["stage_moves"])
        )
        if message:
            self.add_error("stage_moves", message)
        return cleaned_data


class WorkflowDefinitionQuerySet(models.QuerySet):
    def for_new_pathways(self):
        return self.filter(live=True, for_new_pathways=True).order_by("pk")

    def of_organisation(self, organisation_id: int | None):
        return self.filter(organisation_id=organisation_id)


class WorkflowDefinition(
    PreviewableMixin, LockableMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model
):
    # Each Mission Locale edits and publishes its own definitions; a new one starts from a
    # copy of the template (services.definition_copies.copy_definition).
    organisation = models.ForeignKey(
        "territories.Organisation",
        verbose_name=_("Mission Locale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    for_new_pathways = models.BooleanField(
        _("utilisée pour les nouveaux parcours"),
        default=True,
        help_text=_("Les parcours créés (repérage, formulaire du site) suivent cette définition."),
    )
    elements = StreamField(
        DefinitionBlock(),
        blank=True,
        verbose_name=_("étapes et transitions"),
        help_text=_(
            "L'ordre des étapes est celui de la liste. Les transitions désignent les étapes "
            "par leur code. Les vérifications ont lieu à la publication."
        ),
    )
    sensitive_reader_roles = models.JSONField(
        _("rôles autorisés à lire les données sensibles"),
        default=list,
        blank=True,
        help_text=_(
            "Noms des groupes qui lisent les réponses sensibles en plus du référent "
            "(aucun par défaut)."
        ),
    )
    stage_moves = StreamField(
        [("move", StageMoveBlock())],
        blank=True,
        verbose_name=_("déplacement des parcours"),
        help_text=_(
            "À remplir seulement si la nouvelle version retire une étape où des parcours se "
            "trouvent encore : indiquez où ils vont."
        ),
    )

    objects = WorkflowDefinitionQuerySet.as_manager()

    base_form_class = WorkflowDefinitionForm
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("for_new_pathways"),
        FieldPanel("sensitive_reader_roles"),
        HelpPanel(
            content=_(
                "<p>Chaque étape appartient à une catégorie fixe. Une transition précise les "
                "étapes de départ, l'étape d'arrivée, les groupes autorisés, les champs "
                "demandés, les conditions et les actions automatiques. L'aperçu dessine le "
                "schéma du parcours.</p>"
            )
        ),
        FieldPanel("elements"),
        DiagramPanel(),
        FieldPanel("stage_moves"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("définition de parcours")
        verbose_name_plural = _("définitions de parcours")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_definition_name_per_organisation",
                violation_error_message=_("Cette Mission Locale a déjà une définition de ce nom."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def edited_field_names(cls) -> list[str]:
        """The fields a coordinator edits (the editor's field panels)."""
        return [panel.field_name for panel in cls.panels if isinstance(panel, FieldPanel)]

    def get_preview_template(self, request, mode_name):
        return "workflows/definition_preview.html"

    def stages_in_use(self) -> dict[str, int]:
        """Pathways per stage code of this definition, open or closed."""
        if self.pk is None:
            return {}
        return dict(
            self.pathways.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
        )

    def stranded_pathways_message(self, elements, stage_moves: dict[str, str]) -> str | None:
        """Why publishing `elements` would strand pathways (see workflows.validation), or
        None. Labels of dropped stages come from the live version."""
        return missing_stage_moves_message(
            old_spec=live_spec(self),
            new_codes=stage_codes(elements),
            in_use=self.stages_in_use(),
            stage_moves=stage_moves,
        )

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        spec = spec_from_stream(self.elements, revision_id=None)
        context["diagram"] = definition_svg(spec)
        context["spec"] = spec
        return context

    def publish(self, revision, user=None, **kwargs):
        """Every publish, from the editor or from code (`Revision.publish()`), validates the
        definition and moves the pathways of dropped stages in the same transaction."""
        with transaction.atomic():
            prepare_publish(self, revision, actor=user)
            return super().publish(revision, user=user, **kwargs)
