"""Tags the programme ("dispositif") and exit reason ("motif_sortie") answers of the
definitions already in the database, as the default definition now does
(workflows.reporting): in each definition's row and in every revision of it, as 0007 did
for the sensitive answers, so that the figures read them under any version. A field a
coordinator already tagged is left alone; a choice this migration does not know stays
unmapped (counted "unknown"), and the next publish asks the coordinator to map it.
Backwards it changes nothing: the tags are harmless to older code."""

import json

import django.core.validators
import wagtail.fields
from django.db import migrations

import workflows.blocks

TAGS = {
    "dispositif": (
        "programme",
        {"CEJ": "cej", "PACEA": "pacea", "Hors dispositif": "other"},
    ),
    "motif_sortie": (
        "exit_reason",
        {
            "Emploi durable (CDI ou CDD de 6 mois ou plus)": "positive",
            "Alternance": "positive",
            "Formation qualifiante": "positive",
            "Service civique": "positive",
            "Déménagement": "neutral",
            "Abandon": "negative",
            "Sans solution": "negative",
        },
    ),
}


def _tagged(elements: list) -> bool:
    """Tags the fields in place; whether anything changed."""
    changed = False
    for element in elements:
        if not isinstance(element, dict) or element.get("type") != "transition":
            continue
        for item in (element.get("value") or {}).get("fields") or []:
            # A ListBlock stores its items as {"type": "item", "value": …, "id": …}; older
            # data as the bare value.
            value = item.get("value") if item.get("type") == "item" else item
            if (
                not isinstance(value, dict)
                or value.get("name") not in TAGS
                or value.get("field_type") != "choice"
                or value.get("reporting")
            ):
                continue
            tag, known = TAGS[value["name"]]
            choices = [c.strip() for c in (value.get("choices") or "").splitlines() if c.strip()]
            value["reporting"] = tag
            value["reporting_map"] = "\n".join(
                f"{choice} = {known[choice]}" for choice in choices if choice in known
            )
            changed = True
    return changed


def _stream_data(raw):
    """A StreamField's stored data: a JSON string in a revision's content, a list in a row."""
    if isinstance(raw, str):
        try:
            return json.loads(raw), True
        except ValueError:
            return None, True
    return raw, False


def forwards(apps, schema_editor):
    WorkflowDefinition = apps.get_model("workflows", "WorkflowDefinition")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    for definition in WorkflowDefinition.objects.all():
        elements = list(definition.elements.raw_data)
        if _tagged(elements):
            definition.elements = elements
            definition.save(update_fields=["elements"])

    content_type = ContentType.objects.filter(
        app_label="workflows", model="workflowdefinition"
    ).first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(base_content_type=content_type):
        content = dict(revision.content or {})
        elements, as_text = _stream_data(content.get("elements"))
        if not isinstance(elements, list) or not _tagged(elements):
            continue
        content["elements"] = json.dumps(elements) if as_text else elements
        revision.content = content
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0008_youth_age_band_at_entry"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The editor's two new child blocks (Wagtail records a StreamField's blocks).
        migrations.AlterField(
            model_name="workflowdefinition",
            name="elements",
            field=wagtail.fields.StreamField(
                [("stage", 7), ("transition", 41)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Identifiant stable de l'étape, utilisé par les transitions.",
                            "label": "code",
                            "max_length": 50,
                            "validators": [
                                django.core.validators.RegexValidator(
                                    "^[a-z0-9_]+$",
                                    "Lettres minuscules sans accent, chiffres et « _ » seulement, par exemple premier_accueil.",
                                )
                            ],
                        },
                    ),
                    1: ("wagtail.blocks.CharBlock", (), {"label": "libellé", "max_length": 100}),
                    2: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("identification", "Repérage"),
                                ("reception", "Premier accueil"),
                                ("assessment", "Diagnostic"),
                                ("referral", "Orientation"),
                                ("support", "Accompagnement"),
                                ("lost_contact", "Sans nouvelles"),
                                ("exit", "Sortie"),
                            ],
                            "help_text": "Les indicateurs comptent par catégorie.",
                            "label": "catégorie",
                        },
                    ),
                    3: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "étape initiale", "required": False},
                    ),
                    4: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "étape finale (sortie)", "required": False},
                    ),
                    5: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "label": "relance après N jours sans contact",
                            "min_value": 1,
                            "required": False,
                        },
                    ),
                    6: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "label": "durée maximale attendue (jours)",
                            "min_value": 1,
                            "required": False,
                        },
                    ),
                    7: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("code", 0),
                                ("label", 1),
                                ("category", 2),
                                ("initial", 3),
                                ("final", 4),
                                ("reminder_days", 5),
                                ("max_duration_days", 6),
                            ]
                        ],
                        {},
                    ),
                    8: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "",
                            "label": "code",
                            "max_length": 50,
                            "validators": [
                                django.core.validators.RegexValidator(
                                    "^[a-z0-9_]+$",
                                    "Lettres minuscules sans accent, chiffres et « _ » seulement, par exemple premier_accueil.",
                                )
                            ],
                        },
                    ),
                    9: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "libellé du bouton", "max_length": 100},
                    ),
                    10: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Codes des étapes de départ, séparés par des virgules.",
                            "label": "depuis les étapes",
                            "max_length": 500,
                        },
                    ),
                    11: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Code de l'étape d'arrivée.",
                            "label": "vers l'étape",
                            "max_length": 50,
                            "validators": [
                                django.core.validators.RegexValidator(
                                    "^[a-z0-9_]+$",
                                    "Lettres minuscules sans accent, chiffres et « _ » seulement, par exemple premier_accueil.",
                                )
                            ],
                        },
                    ),
                    12: (
                        "wagtail.blocks.MultipleChoiceBlock",
                        [],
                        {
                            "choices": workflows.blocks.group_choices,
                            "label": "groupes autorisés",
                            "required": False,
                        },
                    ),
                    13: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Identifiant de la réponse, par exemple motif_sortie.",
                            "label": "code",
                            "max_length": 50,
                            "validators": [
                                django.core.validators.RegexValidator(
                                    "^[a-z0-9_]+$",
                                    "Lettres minuscules sans accent, chiffres et « _ » seulement, par exemple premier_accueil.",
                                )
                            ],
                        },
                    ),
                    14: ("wagtail.blocks.CharBlock", (), {"label": "question", "max_length": 200}),
                    15: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("text", "Texte court"),
                                ("long_text", "Texte long"),
                                ("date", "Date"),
                                ("number", "Nombre"),
                                ("yes_no", "Oui / non"),
                                ("choice", "Choix unique"),
                                ("multiple_choice", "Choix multiple"),
                            ],
                            "label": "type",
                        },
                    ),
                    16: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "obligatoire", "required": False},
                    ),
                    17: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "aide", "max_length": 300, "required": False},
                    ),
                    18: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {
                            "help_text": "Un choix par ligne (pour les champs à choix).",
                            "label": "choix",
                            "required": False,
                        },
                    ),
                    19: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "default": False,
                            "help_text": "La réponse n'est montrée qu'au référent du parcours et aux rôles autorisés dans les réglages de la définition ; chaque lecture est journalisée.",
                            "label": "Donnée sensible (réservée au référent)",
                            "required": False,
                        },
                    ),
                    20: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("", "aucun"),
                                ("programme", "Dispositif"),
                                ("exit_reason", "Motif de sortie"),
                            ],
                            "help_text": "Pour un champ à choix unique : ce que la réponse compte dans les indicateurs.",
                            "label": "Sens pour les indicateurs",
                            "required": False,
                        },
                    ),
                    21: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {
                            "help_text": "Une ligne par choix : « choix = catégorie ». Dispositif : cej, pacea ou other ; motif de sortie : positive, neutral ou negative. Par exemple « CEJ = cej ».",
                            "label": "correspondance",
                            "required": False,
                        },
                    ),
                    22: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("name", 13),
                                ("label", 14),
                                ("field_type", 15),
                                ("required", 16),
                                ("help_text", 17),
                                ("choices", 18),
                                ("sensitive", 19),
                                ("reporting", 20),
                                ("reporting_map", 21),
                            ]
                        ],
                        {},
                    ),
                    23: (
                        "wagtail.blocks.ListBlock",
                        (22,),
                        {"default": [], "label": "champs demandés"},
                    ),
                    24: ("wagtail.blocks.StructBlock", [[]], {"label": "Consentement enregistré"}),
                    25: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 16,
                            "help_text": "",
                            "label": "âge minimum",
                            "min_value": 0,
                            "required": True,
                        },
                    ),
                    26: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 25,
                            "help_text": "",
                            "label": "âge maximum",
                            "min_value": 0,
                            "required": True,
                        },
                    ),
                    27: (
                        "wagtail.blocks.StructBlock",
                        [[("min_age", 25), ("max_age", 26)]],
                        {"label": "Âge compris entre… (au jour de la transition)"},
                    ),
                    28: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "default": "",
                            "help_text": "Le code d'un champ demandé par cette transition ou une précédente.",
                            "label": "code de la réponse",
                            "max_length": 100,
                            "required": True,
                        },
                    ),
                    29: (
                        "wagtail.blocks.StructBlock",
                        [[("field", 28)]],
                        {"label": "Réponse renseignée"},
                    ),
                    30: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 1,
                            "help_text": "",
                            "label": "nombre de contacts",
                            "min_value": 1,
                            "required": True,
                        },
                    ),
                    31: (
                        "wagtail.blocks.StructBlock",
                        [[("count", 30)]],
                        {"label": "Nombre minimum de contacts"},
                    ),
                    32: (
                        "wagtail.blocks.StreamBlock",
                        [
                            [
                                ("consent_recorded", 24),
                                ("age_between", 27),
                                ("field_filled", 29),
                                ("min_contacts", 31),
                            ]
                        ],
                        {"label": "Conditions", "required": False},
                    ),
                    33: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 7,
                            "help_text": "",
                            "label": "dans (jours)",
                            "min_value": 0,
                            "required": True,
                        },
                    ),
                    34: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "default": "",
                            "help_text": "",
                            "label": "note",
                            "max_length": 100,
                            "required": False,
                        },
                    ),
                    35: (
                        "wagtail.blocks.StructBlock",
                        [[("days", 33), ("note", 34)]],
                        {"label": "Programmer une relance"},
                    ),
                    36: ("wagtail.blocks.StructBlock", [[]], {"label": "Prévenir le référent"}),
                    37: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "default": False,
                            "help_text": "",
                            "label": "remplacer le référent actuel",
                            "required": False,
                        },
                    ),
                    38: (
                        "wagtail.blocks.StructBlock",
                        [[("replace", 37)]],
                        {"label": "Désigner comme référent la personne qui agit"},
                    ),
                    39: (
                        "wagtail.blocks.StructBlock",
                        [[]],
                        {"label": "Clore les relances ouvertes"},
                    ),
                    40: (
                        "wagtail.blocks.StreamBlock",
                        [
                            [
                                ("schedule_followup", 35),
                                ("notify_referent", 36),
                                ("assign_referent", 38),
                                ("close_followups", 39),
                            ]
                        ],
                        {"label": "Actions automatiques", "required": False},
                    ),
                    41: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("code", 8),
                                ("label", 9),
                                ("sources", 10),
                                ("target", 11),
                                ("allowed_groups", 12),
                                ("fields", 23),
                                ("conditions", 32),
                                ("actions", 40),
                            ]
                        ],
                        {},
                    ),
                },
                help_text="L'ordre des étapes est celui de la liste. Les transitions désignent les étapes par leur code. Les vérifications ont lieu à la publication.",
                verbose_name="étapes et transitions",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
