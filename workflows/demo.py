"""Demo data: roles, fictional staff of each Mission Locale, each organisation's own copy of
the default definition (published), about thirty fictional young people spread over stages
and communes (each in the organisation covering their commune), and a few maraudes. Safe to
run again: what exists is left as it is."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from territories.models import Antenna, Commune, Organisation, PriorityNeighbourhood
from territories.selectors import coverage_of

from .choices import ContactKind, NeedArea, PathwaySource
from .models import OutreachRound, Pathway, StaffProfile, TransitionRecord, WorkflowDefinition
from .policies import COORDINATORS, COUNSELLORS, DATA_PROTECTION_OFFICERS, MEDIATORS
from .rules import compute_due_on
from .services.definition_copies import copy_definition, default_template
from .services.pathways import log_contact, start_pathway
from .services.transitions import fire_transition
from .specs import live_spec

DEMO_PASSWORD = "mission-locale-demo"

# Fictional staff: (username, first name, last name, group, organisation slug, antenna name).
# Each Mission Locale has a coordinator; Aveyron and Toulouse a counsellor and a mediator too,
# Toulouse a data-protection officer (the "Droits des jeunes" screen, the access log).
STAFF = [
    ("coordinatrice", "Nadia", "Verdier", COORDINATORS, "toulouse", None),
    ("conseillere.toulouse", "Inès", "Marchal", COUNSELLORS, "toulouse", "Quartiers Est"),
    ("mediateur.toulouse", "Karim", "Delorme", MEDIATORS, "toulouse", "Quartiers Est"),
    ("dpo.toulouse", "Agathe", "Lemercier", DATA_PROTECTION_OFFICERS, "toulouse", None),
    ("coordinateur.aveyron", "Bastien", "Carrière", COORDINATORS, "aveyron", None),
    ("conseiller.rodez", "Julien", "Fabre", COUNSELLORS, "aveyron", "Antenne de Rodez"),
    ("mediatrice.aveyron", "Lucie", "Vabre", MEDIATORS, "aveyron", "Antenne de Rodez"),
    ("coordination.clermont", "Hélène", "Chabrier", COORDINATORS, "clermont", None),
    ("coordination.elbeuf", "Marc", "Lecanu", COORDINATORS, "elbeuf", None),
    ("coordination.montpellier", "Sofia", "Castel", COORDINATORS, "montpellier", None),
]
# Who records and follows the demo pathways of each organisation (counsellor, else coordinator).
FOLLOWED_BY = {
    "aveyron": "conseiller.rodez",
    "toulouse": "conseillere.toulouse",
    "clermont": "coordination.clermont",
    "elbeuf": "coordination.elbeuf",
    "montpellier": "coordination.montpellier",
}

# Fictional young people: first name, last name, age, commune INSEE, QPV name or "".
YOUNG_PEOPLE = [
    ("Lucas", "Morel", 19, "63019", ""),
    ("Emma", "Girard", 22, "63019", ""),
    ("Noah", "Bonnet", 17, "63019", ""),
    ("Chloé", "Lambert", 24, "63019", ""),
    ("Hugo", "Fontaine", 20, "12176", "Quatre Saisons"),
    ("Léa", "Rousseau", 18, "12176", "Quatre Saisons"),
    ("Nathan", "Vincent", 23, "12176", "Costes-Rouges"),
    ("Manon", "Muller", 21, "12176", ""),
    ("Théo", "Lefèvre", 16, "12176", "Quatre Saisons"),
    ("Camille", "Faure", 25, "12176", ""),
    ("Enzo", "André", 19, "76231", ""),
    ("Sarah", "Mercier", 20, "76231", ""),
    ("Louis", "Blanc", 22, "76178", "Les Fleurs et les Feugrais"),
    ("Inès", "Guérin", 18, "76561", ""),
    ("Yanis", "Boyer", 24, "76231", ""),
    ("Jade", "Garnier", 17, "31555", "Empalot"),
    ("Adam", "Chevalier", 21, "31555", "Grand Mirail"),
    ("Lina", "François", 19, "31555", "Empalot"),
    ("Rayan", "Legrand", 23, "31555", "Les Izards - La Vache"),
    ("Zoé", "Gauthier", 20, "31555", "Bourbaki"),
    ("Mathis", "Perrin", 18, "31555", "Rangueil"),
    ("Anaïs", "Robin", 22, "31555", ""),
    ("Ilyes", "Clément", 16, "31555", "Soupetard"),
    ("Clara", "Morin", 24, "31555", "La Gloire"),
    ("Sacha", "Nicolas", 21, "31555", "Grand Mirail"),
    ("Nour", "Henry", 19, "31555", "Empalot"),
    ("Tom", "Roussel", 20, "34172", "Mosson"),
    ("Maëlys", "Mathieu", 23, "34172", "Petit Bard Pergola"),
    ("Bilal", "Lemoine", 17, "34172", "Celleneuve"),
    ("Alicia", "Dumas", 22, "34172", "Lemasson"),
]

# The path each demo pathway walks: transition codes with their answers.
PATHS = {
    "repere": [],
    "remobilisation": [("remobiliser", {})],
    "premier_accueil": [("fixer_premier_accueil", {"date_premier_accueil": "DATE"})],
    "diagnostic": [
        ("fixer_premier_accueil", {"date_premier_accueil": "DATE"}),
        ("proposer_diagnostic", {"date_diagnostic": "DATE"}),
    ],
    "oriente": "diagnostic+orienter",
    "accompagnement": "oriente+demarrer",
    "sans_nouvelles": [
        ("fixer_premier_accueil", {"date_premier_accueil": "DATE"}),
        ("signaler_sans_nouvelles", {}),
    ],
    "sorti": "accompagnement+sortir",
}
DIAGNOSTIC = {
    "diag_emploi": "Besoin prioritaire",
    "diag_formation": "Besoin à travailler",
    "diag_sante": "Pas de besoin",
    "diag_logement": "Besoin à travailler",
    "diag_mobilite": "Besoin prioritaire",
    "diag_ressources": "Pas de besoin",
    "orientation": "CEJ",
}


def _path(stage: str) -> list[tuple[str, dict]]:
    steps = PATHS[stage]
    if isinstance(steps, list):
        return steps
    previous, extra = steps.split("+")
    more = {
        "orienter": [("orienter", DIAGNOSTIC)],
        "demarrer": [("demarrer_accompagnement", {"dispositif": "CEJ", "date_entree": "DATE"})],
        "sortir": [("sortir", {"motif_sortie": "Formation qualifiante", "date_sortie": "DATE"})],
    }[extra]
    return _path(previous) + more


STAGE_PLAN = (
    ["repere"] * 5
    + ["remobilisation"] * 2
    + ["premier_accueil"] * 5
    + ["diagnostic"] * 4
    + ["oriente"] * 3
    + ["accompagnement"] * 6
    + ["sans_nouvelles"] * 3
    + ["sorti"] * 2
)


def ensure_groups() -> dict[str, Group]:
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (COORDINATORS, COUNSELLORS, MEDIATORS, DATA_PROTECTION_OFFICERS)
    }
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for group in groups.values():
        group.permissions.add(admin_access)
    definition_perms = Permission.objects.filter(
        content_type__app_label="workflows", content_type__model="workflowdefinition"
    )
    groups[COORDINATORS].permissions.add(*definition_perms)
    return groups


def ensure_staff(groups, report) -> dict[str, object]:
    User = get_user_model()
    users = {}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for username, first_name, last_name, group_name, slug, antenna_name in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(groups[group_name])
        organisation = organisations.get(slug)
        antenna = None
        if antenna_name and organisation is not None:
            antenna = organisation.antennas.filter(name=antenna_name).first()
        StaffProfile.objects.update_or_create(
            user=user, defaults={"organisation": organisation, "antenna": antenna}
        )
        users[username] = user
    report(
        f"Parcours : comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») : "
        + ", ".join(f"{u} ({g}, {slug})" for u, _f, _l, g, slug, _a in STAFF)
    )
    return users


def ensure_definitions(users) -> list[WorkflowDefinition]:
    """Each organisation's own definition: a published copy of the default template
    (services.definition_copies), made once; what an organisation changed is kept."""
    template = default_template()
    definitions = []
    for organisation in Organisation.objects.order_by("pk"):
        publisher = users.get(_coordinator_of(organisation.slug))
        definition = WorkflowDefinition.objects.filter(
            organisation=organisation, name=template.name
        ).first()
        if definition is None:
            definition = copy_definition(template, organisation, user=publisher)
        elif not definition.live:
            revision = definition.save_revision(user=publisher)
            revision.publish(user=publisher, skip_permission_checks=True)
            definition.refresh_from_db()
        definitions.append(definition)
    return definitions


def _coordinator_of(slug: str) -> str | None:
    return next((u for u, _f, _l, g, s, _a in STAFF if s == slug and g == COORDINATORS), None)


def _answers(raw: dict, day: datetime.date) -> dict:
    return {k: (day.isoformat() if v == "DATE" else v) for k, v in raw.items()}


def ensure_pathways(users, report) -> None:
    if Pathway.objects.filter(youth__email__endswith="@demo.example.org").exists():
        return
    communes = {c.insee_code: c for c in Commune.objects.all()}
    qpvs = {
        (q.commune.insee_code, q.name): q
        for q in PriorityNeighbourhood.objects.select_related("commune")
    }
    antennas = {
        "12176": Antenna.objects.filter(name="Antenne de Rodez").first(),
        "31555": Antenna.objects.filter(name="Quartiers Est").first(),
        "76231": Antenna.objects.filter(name="Mission Locale d'Elbeuf").first(),
        "76178": Antenna.objects.filter(name="Mission Locale d'Elbeuf").first(),
        "76561": Antenna.objects.filter(name="Mission Locale d'Elbeuf").first(),
        "63019": Antenna.objects.filter(
            organisation__name__startswith="Mission Locale Clermont"
        ).first(),
        "34172": Antenna.objects.filter(name="Mosson").first(),
    }
    mediator = users["mediateur.toulouse"]
    toulouse = Organisation.objects.get(slug="toulouse")
    today = timezone.localdate()

    rounds = []
    for weeks_ago, place, met in [
        (6, "Campement, chemin des Daturas (lieu fictif), Toulouse", 9),
        (4, "Aire d'accueil, Toulouse Quartiers Est", 6),
        (2, "Squat, secteur Empalot", 4),
    ]:
        rounds.append(
            OutreachRound.objects.get_or_create(
                date=today - datetime.timedelta(weeks=weeks_ago),
                place=place,
                defaults={
                    "mediator": mediator,
                    "organisation": toulouse,
                    "commune": communes.get("31555"),
                    "young_people_met": met,
                    "notes": (
                        "Maraude AJEP « Aller vers les jeunes précaires », "
                        "avec les partenaires présents sur site."
                    ),
                },
            )[0]
        )
    OutreachRound.objects.get_or_create(
        date=today - datetime.timedelta(weeks=1),
        place="Parvis de la médiathèque (lieu fictif), Onet-le-Château",
        defaults={
            "mediator": users["mediatrice.aveyron"],
            "organisation": Organisation.objects.get(slug="aveyron"),
            "commune": communes.get("12176"),
            "young_people_met": 5,
            "notes": "Maraude de l'antenne de Rodez avec le centre social.",
        },
    )

    needs_cycle = list(NeedArea.values)
    for index, ((first, last, age, insee, qpv), stage) in enumerate(
        zip(YOUNG_PEOPLE, STAGE_PLAN, strict=True)
    ):
        in_toulouse = insee == "31555"
        source = (
            PathwaySource.OUTREACH_ROUND
            if in_toulouse and index % 2 == 0
            else [
                PathwaySource.PERMANENCE,
                PathwaySource.PARTNER,
                PathwaySource.WEBSITE,
                PathwaySource.WALK_IN,
            ][index % 4]
        )
        coverage = coverage_of(communes.get(insee))
        organisation = coverage.organisation if coverage else toulouse
        counsellor = users[FOLLOWED_BY[organisation.slug]]
        referent = counsellor if COUNSELLORS in _groups(counsellor) else None
        actor = mediator if source == PathwaySource.OUTREACH_ROUND else counsellor
        pathway = start_pathway(
            first_name=first,
            last_name=last,
            source=source,
            consent=True,
            contact_phone=f"06 00 00 00 {index + 10:02d}",
            contact_email=f"{first.lower()}.{last.lower()}@demo.example.org".replace("ï", "i")
            .replace("ë", "e")
            .replace("é", "e")
            .replace("è", "e"),
            commune=communes.get(insee),
            priority_neighbourhood=qpvs.get((insee, qpv)),
            date_of_birth=today.replace(year=today.year - age)
            - datetime.timedelta(days=40 + index),
            needs=[needs_cycle[index % 6], needs_cycle[(index + 2) % 6]],
            actor=actor,
            outreach_round=rounds[index % 3] if source == PathwaySource.OUTREACH_ROUND else None,
            antenna=antennas.get(insee),
            referent=referent,
            organisation=organisation,
        )
        log_contact(
            pathway, kind=ContactKind.INTERVIEW if index % 2 else ContactKind.CALL, actor=counsellor
        )
        for code, raw in _path(stage):
            pathway = fire_transition(pathway, code, actor=counsellor, answers=_answers(raw, today))
        # Spread the dates so that lists show some overdue pathways.
        days_ago = (index * 5) % 60
        moment = timezone.now() - datetime.timedelta(days=days_ago)
        Pathway.objects.filter(pk=pathway.pk).update(
            entered_stage_at=moment, last_contact_at=moment
        )
        TransitionRecord.objects.filter(pathway=pathway).update(created_at=moment)
        pathway.refresh_from_db()
        spec = live_spec(pathway.definition)
        Pathway.objects.filter(pk=pathway.pk).update(
            due_on=compute_due_on(spec.stages[pathway.stage], moment, moment)
        )
    report(
        f"Parcours : {len(YOUNG_PEOPLE)} jeunes fictifs, chacun dans la Mission Locale qui "
        f"couvre sa commune ; {len(rounds)} maraudes AJEP à Toulouse, une à Onet-le-Château."
    )


def _groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@transaction.atomic
def load(report: Callable[[str], None] = print) -> None:
    groups = ensure_groups()
    users = ensure_staff(groups, report)
    definitions = ensure_definitions(users)
    report(
        f"Parcours : une définition publiée pour chacune des {len(definitions)} Missions Locales."
    )
    ensure_pathways(users, report)
