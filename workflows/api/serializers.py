"""The workflow API's bodies. The response serializers write the responses themselves (the
views hand them objects, never dicts), so each field of a response is written once, and
the OpenAPI schema is read from the same classes. Request bodies follow."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access_log.models import Channel
from api_common.strict import StrictInputMixin
from territories.models import Antenna, Commune, PriorityNeighbourhood

from .. import rules, screen_selectors, selectors
from ..choices import FieldType, NeedArea, PathwaySource, StageCategory
from ..models import Contact, OutreachRound, Pathway, TransitionRecord, WorkflowDefinition
from ..sensitive import shown_pathway_answers
from ..specs import DefinitionSpec
from .fields import (
    ComputedBooleanField,
    ComputedCharField,
    ComputedDictField,
    ComputedListField,
    ComputedListSerializer,
    IsoDateTimeField,
    SortedStringsField,
)

# --- Definitions --------------------------------------------------------------------------


class FieldSpecSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    field_type = serializers.ChoiceField(choices=FieldType.choices)
    required = serializers.BooleanField()
    help_text = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    sensitive = serializers.BooleanField(
        help_text=_("Réponse réservée au référent et aux rôles autorisés.")
    )


class ConditionSpecSerializer(serializers.Serializer):
    code = serializers.CharField()
    params = serializers.DictField()


class StageSpecSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    category = serializers.ChoiceField(choices=StageCategory.choices)
    category_label = serializers.CharField()
    order = serializers.IntegerField()
    initial = serializers.BooleanField()
    final = serializers.BooleanField()
    reminder_days = serializers.IntegerField(allow_null=True)
    max_duration_days = serializers.IntegerField(allow_null=True)


class TransitionSpecSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    target = serializers.CharField()
    allowed_groups = SortedStringsField()
    fields = FieldSpecSerializer(many=True)
    conditions = ConditionSpecSerializer(many=True)


class PublishedDefinition(NamedTuple):
    """A definition with the published version its stages and transitions come from."""

    definition: WorkflowDefinition
    spec: DefinitionSpec


class DefinitionSerializer(serializers.Serializer):
    # Serializes a `PublishedDefinition`.

    id = serializers.IntegerField(source="definition.pk")
    name = serializers.CharField(source="definition.name")
    organisation = serializers.CharField(
        source="definition.organisation.slug",
        allow_null=True,
        help_text=_("Slug de la Mission Locale dont c'est la définition."),
    )
    description = serializers.CharField(source="definition.description")
    for_new_pathways = serializers.BooleanField(source="definition.for_new_pathways")
    revision_id = serializers.IntegerField(
        source="spec.revision_id",
        allow_null=True,
        help_text=_("La version publiée que décrivent étapes et transitions."),
    )
    stages = ComputedListSerializer(child=StageSpecSerializer())
    transitions = ComputedListSerializer(child=TransitionSpecSerializer())

    def get_stages(self, item: PublishedDefinition) -> list:
        return list(item.spec.stages.values())

    def get_transitions(self, item: PublishedDefinition) -> list:
        return list(item.spec.transitions.values())


# --- References ---------------------------------------------------------------------------


class CommuneRefSerializer(serializers.Serializer):
    insee_code = serializers.CharField()
    name = serializers.CharField()


class NamedRefSerializer(serializers.Serializer):
    # A person (named by `selectors.display_name`), an antenna or a neighbourhood.

    id = serializers.IntegerField()
    name = ComputedCharField()

    def get_name(self, item: Any) -> str:
        if isinstance(item, AbstractBaseUser):
            return selectors.display_name(item)
        return item.name


# --- Pathways -----------------------------------------------------------------------------


class StageRefSerializer(serializers.Serializer):
    # The pathway's stage; its label comes from the live definitions in `context["specs"]` (a
    # `SpecCache`).

    code = serializers.CharField(source="stage")
    label = ComputedCharField()
    category = serializers.ChoiceField(choices=StageCategory.choices, source="stage_category")

    def get_label(self, pathway: Pathway) -> str:
        return self.context["specs"].stage_label(pathway)


class YouthSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    commune = CommuneRefSerializer(allow_null=True)
    qpv = ComputedBooleanField(help_text=_("Habite un quartier prioritaire."))

    def get_qpv(self, youth) -> bool:
        return youth.priority_neighbourhood_id is not None


class YouthDetailSerializer(YouthSerializer):
    date_of_birth = serializers.DateField(allow_null=True)
    phone = serializers.CharField()
    email = serializers.CharField()
    priority_neighbourhood = NamedRefSerializer(allow_null=True)


class AvailableTransitionSerializer(serializers.Serializer):
    # Serializes a `selectors.AvailableTransition`.

    code = serializers.CharField(source="transition.code")
    label = serializers.CharField(source="transition.label")
    target = serializers.CharField(source="transition.target")
    fields = FieldSpecSerializer(many=True, source="transition.fields")
    enabled = serializers.BooleanField(help_text=_("Faux tant qu'une condition bloque."))
    blocked_by = serializers.ListField(
        child=serializers.CharField(), help_text=_("Les conditions qui bloquent encore.")
    )


class PathwaySerializer(serializers.Serializer):
    # A pathway in a list. Expects `context["specs"]`, a `SpecCache`.

    id = serializers.IntegerField()
    youth = YouthSerializer()
    organisation = serializers.CharField(
        source="organisation.slug",
        allow_null=True,
        help_text=_("Slug de la Mission Locale du parcours."),
    )
    definition = serializers.IntegerField(source="definition_id")
    stage = StageRefSerializer(source="*")
    version = serializers.IntegerField(
        help_text=_("Augmente à chaque transition ; à renvoyer dans If-Match.")
    )
    referent = NamedRefSerializer(allow_null=True)
    antenna = NamedRefSerializer(allow_null=True)
    source = serializers.ChoiceField(choices=PathwaySource.choices)
    needs = ComputedListField(child=serializers.CharField())
    created_at = IsoDateTimeField()
    entered_stage_at = IsoDateTimeField()
    last_contact_at = IsoDateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    overdue = ComputedBooleanField()
    closed_at = IsoDateTimeField(allow_null=True)

    def get_needs(self, pathway: Pathway) -> list:
        return list(pathway.needs or [])

    def get_overdue(self, pathway: Pathway) -> bool:
        # Lists and `selectors.get_pathway` annotate it; a bare instance is computed here.
        if hasattr(pathway, "is_overdue"):
            return bool(pathway.is_overdue)
        return bool(
            pathway.due_on and pathway.due_on < timezone.localdate() and pathway.closed_at is None
        )


class PathwayDetailSerializer(PathwaySerializer):
    # A pathway on its own. Expects `context["specs"]` and `context["user"]` (whose
    # transitions are listed).

    youth = YouthDetailSerializer()
    answers = ComputedDictField(help_text=_("Réponses recueillies aux transitions."))
    available_transitions = ComputedListSerializer(
        child=AvailableTransitionSerializer(),
        help_text=_("Les transitions que vous pouvez déclencher depuis cette étape."),
    )

    def get_answers(self, pathway: Pathway) -> dict:
        # Sensitive values only for the référent and the allowed roles, their read logged.
        return shown_pathway_answers(
            self.context["user"],
            pathway,
            channel=Channel.API,
            spec=self.context["specs"].get(pathway.definition_id),
        )

    def get_available_transitions(self, pathway: Pathway) -> list:
        spec = self.context["specs"].get(pathway.definition_id)
        return selectors.available_transitions(self.context["user"], pathway, spec)


class HistorySerializer(serializers.Serializer):
    # Serializes a `TransitionRecord` (its actor selected with it). Expects
    # `context["answers"]`: each record's answers by its id, as the reader may see them.

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TransitionRecord.Kind.choices)
    created_at = IsoDateTimeField()
    actor = NamedRefSerializer(allow_null=True)
    transition_code = serializers.CharField()
    transition_label = serializers.CharField()
    from_stage = serializers.CharField()
    from_stage_label = serializers.CharField()
    to_stage = serializers.CharField()
    to_stage_label = serializers.CharField()
    to_category = serializers.ChoiceField(choices=StageCategory.choices)
    answers = ComputedDictField()
    comment = serializers.CharField()
    revision_id = serializers.IntegerField(allow_null=True)

    def get_answers(self, record: TransitionRecord) -> dict:
        # The view reads them through workflows.sensitive, for all the records at once.
        return self.context["answers"][record.pk]


class ContactSerializer(StrictInputMixin, serializers.ModelSerializer):
    # A contact, read and written (`POST …/contacts/`).

    author = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "kind", "happened_at", "author", "note"]
        read_only_fields = ["id", "author"]
        extra_kwargs = {
            "happened_at": {"required": False},
            "note": {"max_length": rules.FREE_TEXT_MAX_LENGTH},
        }

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_author(self, contact: Contact) -> dict | None:
        return NamedRefSerializer(contact.author).data if contact.author else None


# --- Request bodies -----------------------------------------------------------------------


class PathwayCreateSerializer(StrictInputMixin, serializers.Serializer):
    """What the mediator's quick repérage form asks, plus optional identity fields."""

    # Consent and a way to reach the young person are checked by `start_pathway` itself.

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    phone = serializers.RegexField(
        rules.PHONE_PATTERN,
        max_length=30,
        required=False,
        default="",
        error_messages={"invalid": _("Numéro invalide : 10 chiffres, comme 06 00 00 00 01.")},
    )
    email = serializers.EmailField(required=False, default="", max_length=rules.EMAIL_MAX_LENGTH)
    commune = serializers.SlugRelatedField(
        slug_field="insee_code",
        queryset=Commune.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Code INSEE de la commune du jeune."),
    )
    priority_neighbourhood = serializers.PrimaryKeyRelatedField(
        queryset=PriorityNeighbourhood.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=NeedArea.choices),
        required=False,
        default=list,
        max_length=len(NeedArea.choices),
    )
    source = serializers.ChoiceField(choices=PathwaySource.choices)
    consent = serializers.BooleanField(
        help_text=_("Le jeune accepte que la Mission Locale garde ses coordonnées. Obligatoire.")
    )
    antenna = serializers.PrimaryKeyRelatedField(
        queryset=Antenna.objects.all(), required=False, allow_null=True, default=None
    )
    comment = serializers.CharField(
        required=False, default="", max_length=rules.FREE_TEXT_MAX_LENGTH
    )


class TransitionRequestSerializer(StrictInputMixin, serializers.Serializer):
    answers = serializers.DictField(
        required=False,
        default=dict,
        help_text=_("Réponses aux champs que demande la transition, par nom de champ."),
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=rules.FREE_TEXT_MAX_LENGTH
    )


# --- Maraudes -----------------------------------------------------------------------------


class OutreachRoundSerializer(serializers.Serializer):
    # A maraude, as `GET /outreach-rounds/` and its detail show it.

    id = serializers.IntegerField()
    date = serializers.DateField()
    place = serializers.CharField()
    commune = CommuneRefSerializer(allow_null=True)
    mediator = NamedRefSerializer(allow_null=True)
    organisation = serializers.CharField(
        source="organisation.slug",
        allow_null=True,
        help_text=_("Slug de la Mission Locale de la maraude."),
    )
    young_people_met = serializers.IntegerField()
    notes = serializers.CharField()
    created_at = IsoDateTimeField()


class OutreachRoundWriteSerializer(StrictInputMixin, serializers.ModelSerializer):
    """The fields of the admin's maraude form. Without `mediator`, a new round is the
    caller's own; naming someone else is `services.outreach.save_round`'s to refuse."""

    commune = serializers.SlugRelatedField(
        slug_field="insee_code",
        queryset=Commune.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code INSEE de la commune."),
    )
    mediator = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Identifiant du médiateur ; par défaut, vous."),
    )

    class Meta:
        model = OutreachRound
        fields = ["date", "place", "commune", "mediator", "young_people_met", "notes"]
        extra_kwargs = {"notes": {"max_length": rules.FREE_TEXT_MAX_LENGTH}}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Someone of another organisation reads as unknown, as everywhere in the API.
        mediator: Any = self.fields["mediator"]
        mediator.queryset = screen_selectors.field_staff(user)
