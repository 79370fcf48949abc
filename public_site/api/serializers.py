"""The public API's serializers: the agenda's query and the shape of its lines, and the
"être recontacté" request. Agenda lines are built as plain dicts by representation.py (nested
serializers would take several times longer); these classes document them in the schema."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api_common.strict import StrictSerializer
from public_site.models.permanences import AccessMode
from public_site.models.venues import VenueType
from territories.models import Commune, Organisation
from workflows.choices import NeedArea
from workflows.rules import EMAIL_MAX_LENGTH

AGENDA_DEFAULT_WEEKS = 8
AGENDA_MAX_DAYS = 366


class AgendaQuerySerializer(StrictSerializer):
    start = serializers.DateField(
        required=False, help_text=_("Premier jour (AAAA-MM-JJ). Par défaut : aujourd'hui.")
    )
    end = serializers.DateField(
        required=False,
        help_text=_("Dernier jour inclus. Par défaut : 8 semaines après le début. Un an au plus."),
    )
    commune = serializers.RegexField(
        r"^[0-9][0-9AB][0-9]{3}$",
        required=False,
        help_text=_("Code INSEE de la commune du lieu, par exemple 12176 (Onet-le-Château)."),
        error_messages={"invalid": _("Un code INSEE a 5 caractères, par exemple 12176.")},
    )
    service = serializers.ChoiceField(
        choices=NeedArea.choices, required=False, help_text=_("Service proposé.")
    )
    venue = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Identifiant du lieu partenaire.")
    )
    organisation = serializers.SlugField(
        required=False,
        help_text=_(
            "Identifiant de la Mission Locale, par exemple « aveyron » : seulement ses permanences."
        ),
    )

    def validate_organisation(self, value: str) -> Organisation:
        organisation = Organisation.objects.filter(slug=value).first()
        if organisation is None:
            raise serializers.ValidationError(_("Aucune Mission Locale n'a cet identifiant."))
        return organisation

    def validate_commune(self, value: str) -> int:
        commune_id = Commune.objects.filter(insee_code=value).values_list("pk", flat=True).first()
        if commune_id is None:
            raise serializers.ValidationError(_("Aucune commune n'a ce code INSEE."))
        return commune_id

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start") or timezone.localdate()
        try:
            end = attrs.get("end") or start + timedelta(weeks=AGENDA_DEFAULT_WEEKS)
        except OverflowError:  # a start near year 9999
            raise serializers.ValidationError({"start": _("Date hors limites.")}) from None
        if end < start:
            raise serializers.ValidationError({"end": _("La fin doit suivre le début.")})
        if (end - start).days >= AGENDA_MAX_DAYS:
            raise serializers.ValidationError({"end": _("La période ne peut dépasser un an.")})
        return {**attrs, "start": start, "end": end}


class AgendaCommuneSerializer(serializers.Serializer):
    name = serializers.CharField()
    insee_code = serializers.CharField()


class AgendaVenueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=VenueType.choices)
    type_label = serializers.CharField()
    address = serializers.CharField(help_text=_("Vide quand l'adresse n'est pas connue."))
    commune = AgendaCommuneSerializer()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    accessibility = serializers.CharField()
    map_url = serializers.URLField()


class AgendaPlaceSerializer(serializers.Serializer):
    """Where the permanence happens, partner venue or Mission Locale antenna alike."""

    name = serializers.CharField()
    kind = serializers.CharField()
    address = serializers.CharField(help_text=_("Vide quand l'adresse n'est pas connue."))
    postcode = serializers.CharField()
    commune = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    accessibility = serializers.CharField()
    map_url = serializers.URLField()


class AgendaPageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("Adresse de la page de la permanence."))
    services = serializers.ListField(child=serializers.ChoiceField(choices=NeedArea.choices))
    access_mode = serializers.ChoiceField(choices=AccessMode.choices)


class AgendaOccurrenceSerializer(serializers.Serializer):
    date = serializers.DateField()
    start = serializers.DateTimeField(help_text=_("Heure de Paris, avec son décalage."))
    end = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "Vide quand le lieu annonce seulement l'heure de début (« à partir de 14 h »)."
        ),
    )
    status = serializers.ChoiceField(
        choices=[("scheduled", _("Prévue")), ("cancelled", _("Annulée"))]
    )
    reason = serializers.CharField(help_text=_("Raison de l'annulation (vide sinon)."))
    extra = serializers.BooleanField(help_text=_("Date ajoutée en plus de la série."))
    note = serializers.CharField(
        help_text=_("Précision sur une date en plus, par exemple « Permanence exceptionnelle ».")
    )
    page = AgendaPageSerializer()
    organisation = serializers.SlugField(
        allow_null=True,
        help_text=_(
            "Identifiant de la Mission Locale qui tient la permanence (celle de la section du "
            "site où elle est publiée)."
        ),
    )
    place = AgendaPlaceSerializer(allow_null=True)
    venue = AgendaVenueSerializer(
        allow_null=True, help_text=_("Le lieu partenaire ; vide quand c'est une antenne.")
    )


# --- "Être recontacté" ----------------------------------------------------------------


class ContactFormTokenSerializer(serializers.Serializer):
    rendered_at = serializers.CharField(
        help_text=_("Jeton signé à renvoyer tel quel dans la demande (contrôle du temps).")
    )
    min_seconds = serializers.IntegerField(
        help_text=_("Délai minimal, en secondes, entre ce jeton et l'envoi de la demande.")
    )


class ContactRequestInputSerializer(serializers.Serializer):
    """Documents the body; validation is the site's form's (public_site.forms)."""

    first_name = serializers.CharField(max_length=100, help_text=_("Prénom."))
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=_("Téléphone (ou e-mail, au moins l'un)."),
    )
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=EMAIL_MAX_LENGTH, help_text=_("E-mail.")
    )
    commune = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Code INSEE de la commune.")
    )
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=NeedArea.choices),
        required=False,
        max_length=len(NeedArea.choices),
    )
    consent = serializers.BooleanField(
        help_text=_("Accord explicite pour que la Mission Locale garde ces informations.")
    )
    website = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Piège à robots : laisser vide.")
    )
    rendered_at = serializers.CharField(help_text=_("Le jeton obtenu par GET."))
