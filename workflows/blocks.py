"""The definition editor: a StreamField of stages and transitions that name stages by code,
so a transition can point at a stage that is not saved yet and revisions keep everything
(docs/architecture.md). Cross-checks (workflows.validation) run only on publish, beside the
block they concern."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from .actions import action_stream_block
from .choices import ROLES, FieldType, StageCategory, TimerKind
from .conditions import condition_stream_block
from .reporting import ReportingTag
from .validation import check_definition

CODE_VALIDATOR = RegexValidator(
    r"^[a-z0-9_]+$",
    _("Lettres minuscules sans accent, chiffres et « _ » seulement, par exemple premier_accueil."),
)


def group_choices() -> list[tuple[str, str]]:
    """The workflow roles, by name (names travel between databases, ids do not): Wagtail's
    own groups (Editors, Moderators) and the readers of figures never fire a transition.
    Kept a callable: the migrations name it."""
    return [(name, name) for name in ROLES]


def code_block(label, help_text="", form_attrs=None):
    return blocks.CharBlock(
        label=label,
        max_length=50,
        validators=[CODE_VALIDATOR],
        help_text=help_text,
        form_attrs=form_attrs,
    )


# The definition's stages are offered to the transitions' "depuis" and "vers" fields by a
# small script (static/workflows/stage_picker.js, loaded by the definition's form): it reads
# the stages marked here, as they stand in the editor (added, renamed or removed before
# saving), and shows them as checkboxes and a list. The stored value stays the codes typed in
# the text box, which is what a browser without the script shows.
STAGE_CODE_ATTRS = {"data-workflow-stage": "code"}
STAGE_LABEL_ATTRS = {"data-workflow-stage": "label"}
SOURCES_PICKER_ATTRS = {
    "data-controller": "workflow-stage-picker",
    "data-workflow-stage-picker-multiple-value": "true",
}
TARGET_PICKER_ATTRS = {"data-controller": "workflow-stage-picker"}


class StageBlock(blocks.StructBlock):
    code = code_block(
        _("code"),
        _("Identifiant stable de l'étape, utilisé par les transitions."),
        form_attrs=STAGE_CODE_ATTRS,
    )
    label = blocks.CharBlock(label=_("libellé"), max_length=100, form_attrs=STAGE_LABEL_ATTRS)
    category = blocks.ChoiceBlock(
        choices=StageCategory.choices,
        label=_("catégorie"),
        help_text=_("Les indicateurs comptent par catégorie."),
    )
    initial = blocks.BooleanBlock(label=_("étape initiale"), required=False)
    final = blocks.BooleanBlock(label=_("étape finale (sortie)"), required=False)
    reminder_days = blocks.IntegerBlock(
        label=_("relance après N jours sans contact"), required=False, min_value=1
    )
    max_duration_days = blocks.IntegerBlock(
        label=_("durée maximale attendue (jours)"), required=False, min_value=1
    )

    class Meta:
        icon = "circle-check"
        label = _("Étape")
        # The one line a collapsed stage shows.
        label_format = "{label} ({code})"


class FieldBlock(blocks.StructBlock):
    name = code_block(_("code"), _("Identifiant de la réponse, par exemple motif_sortie."))
    label = blocks.CharBlock(label=_("question"), max_length=200)
    field_type = blocks.ChoiceBlock(
        choices=FieldType.choices, default=FieldType.TEXT, label=_("type")
    )
    required = blocks.BooleanBlock(label=_("obligatoire"), required=False)
    help_text = blocks.CharBlock(label=_("aide"), required=False, max_length=300)
    choices = blocks.TextBlock(
        label=_("choix"),
        required=False,
        help_text=_("Un choix par ligne (pour les champs à choix)."),
    )
    # Health, housing, resources…: shown only to the pathway's référent and to the roles the
    # definition allows (workflows.sensitive); everyone else reads a placeholder.
    sensitive = blocks.BooleanBlock(
        label=_("Donnée sensible (réservée au référent)"),
        required=False,
        default=False,
        help_text=_(
            "La réponse n'est montrée qu'au référent du parcours et aux rôles autorisés "
            "dans les réglages de la définition ; chaque lecture est journalisée."
        ),
    )

    # What the answer means for the figures (workflows.reporting): checked on publish.
    reporting = blocks.ChoiceBlock(
        choices=[("", _("aucun")), *ReportingTag.choices],
        default="",
        required=False,
        label=_("Sens pour les indicateurs"),
        help_text=_(
            "Pour un champ à choix unique : ce que la réponse compte dans les indicateurs."
        ),
    )
    reporting_map = blocks.TextBlock(
        label=_("correspondance"),
        required=False,
        help_text=_(
            "Une ligne par choix : « choix = catégorie ». Dispositif : cej, pacea ou other ; "
            "motif de sortie : positive, neutral ou negative. Par exemple « CEJ = cej »."
        ),
    )

    class Meta:
        icon = "form"
        label = _("Champ")

    def clean(self, value):
        value = super().clean(value)
        needs_choices = value["field_type"] in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)
        has_choices = any(line.strip() for line in (value["choices"] or "").splitlines())
        if needs_choices and not has_choices and not self.is_deferred_validation:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Indiquez au moins un choix."))}
            )
        return value


class TransitionBlock(blocks.StructBlock):
    code = code_block(_("code"))
    label = blocks.CharBlock(label=_("libellé du bouton"), max_length=100)
    sources = blocks.CharBlock(
        label=_("depuis les étapes"),
        max_length=500,
        help_text=_("Les étapes d'où la transition part (une ou plusieurs)."),
        form_attrs=SOURCES_PICKER_ATTRS,
    )
    target = code_block(
        _("vers l'étape"), _("L'étape où la transition mène."), form_attrs=TARGET_PICKER_ATTRS
    )
    allowed_groups = blocks.MultipleChoiceBlock(
        choices=group_choices,
        label=_("groupes autorisés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fields = blocks.ListBlock(FieldBlock(), default=[], label=_("champs demandés"))
    conditions = condition_stream_block()
    actions = action_stream_block()
    # A timed transition (workflows.services.timed_transitions): the daily task fires it
    # for the pathways that waited long enough, as the system. Checked on publish.
    timer = blocks.ChoiceBlock(
        choices=[("", _("aucun : seule une personne la franchit")), *TimerKind.choices],
        default="",
        required=False,
        label=_("franchie automatiquement"),
        help_text=_(
            "Chaque nuit, les parcours qui attendent depuis le délai ci-dessous passent "
            "d'eux-mêmes à l'étape d'arrivée ; l'historique le dit."
        ),
    )
    timer_days = blocks.IntegerBlock(
        label=_("délai (jours)"), required=False, min_value=1, max_value=3650
    )

    class Meta:
        icon = "arrow-right"
        label = _("Transition")
        # The one line a collapsed transition shows: "Orienter (diagnostic → orientation)".
        label_format = "{label} ({sources} → {target})"


class DefinitionBlock(blocks.StreamBlock):
    stage = StageBlock()
    transition = TransitionBlock()

    class Meta:
        required = False
        # One line per stage and transition when the editor opens (a definition has dozens
        # of blocks); a block with an error opens itself, a new block opens to be filled.
        collapsed = True

    def clean(self, value):
        """Merge the blocks' own errors with the definition checks, so the coordinator sees
        everything in one round; on a draft save the definition checks are skipped."""
        child_errors: dict[int, ValidationError] = {}
        non_block_errors = []
        cleaned = None
        try:
            cleaned = super().clean(value)
        except StreamBlockValidationError as error:
            child_errors = dict(error.block_errors)
            non_block_errors = list(error.non_block_errors.as_data())
        if self.is_deferred_validation:
            if child_errors or non_block_errors:
                raise StreamBlockValidationError(child_errors, non_block_errors)
            return cleaned

        items = [(child.block_type, dict(child.value)) for child in value]
        report = check_definition(items)
        if not (report or child_errors or non_block_errors):
            return cleaned
        block_errors = dict(child_errors)
        for index, field_errors in report.by_block.items():
            block_errors[index] = _merge(block_errors.get(index), field_errors)
        raise StreamBlockValidationError(
            block_errors=block_errors,
            non_block_errors=non_block_errors + [ValidationError(m) for m in report.general],
        )


def _merge(existing: ValidationError | None, field_errors: dict[str | None, list[str]]):
    """A struct block's own errors and ours, per child block; messages on the block as a
    whole go to its non-block errors."""
    own_block_errors = dict(getattr(existing, "block_errors", None) or {})
    own_non_block = list(getattr(existing, "non_block_errors", None) or [])
    if existing is not None and not isinstance(existing, StructBlockValidationError):
        own_non_block.append(existing)
    for name, messages in field_errors.items():
        if (
            name is None
            or name in own_block_errors
            or isinstance(own_block_errors.get(name), ListBlockValidationError)
        ):
            own_non_block.extend(ValidationError(m) for m in messages)
        else:
            own_block_errors[name] = ValidationError(messages)
    return StructBlockValidationError(block_errors=own_block_errors, non_block_errors=own_non_block)
