"""Demo data: roles, fictional staff of each Mission Locale, each organisation's own copy of
the default definition (published), three dozen fictional young people followed over the last
twelve months (each in the organisation covering their commune) and a year of maraudes, so
that every figure of the comité de pilotage has something to show. Safe to
run again: what exists is left as it is."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from access_log.models import Channel
from territories.models import Antenna, Commune, Organisation, PriorityNeighbourhood
from territories.selectors import coverage_of

from .choices import ContactKind, NeedArea, PathwaySource
from .models import (
    Contact,
    FollowUp,
    OutreachRound,
    Pathway,
    StaffProfile,
    TransitionRecord,
    WorkflowDefinition,
    Youth,
)
from .policies import COORDINATORS, COUNSELLORS, DATA_PROTECTION_OFFICERS, DIRECTION, MEDIATORS
from .services.definition_copies import copy_definition, default_template
from .services.pathways import log_contact, refresh_due_on, start_pathway
from .services.timed_transitions import run_timed_transitions
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

# Fictional young people: first name, last name, age, commune INSEE, QPV name or "", source,
# scenario (SCENARIOS). Toulouse and Aveyron each show every figure of the comité de pilotage
# (indicators.selectors): each source, entries into CEJ, PACEA and "hors dispositif", exits of
# each outcome, contact lost and taken up again.
OUTREACH = PathwaySource.OUTREACH_ROUND
PERMANENCE = PathwaySource.PERMANENCE
PARTNER = PathwaySource.PARTNER
WEBSITE = PathwaySource.WEBSITE
WALK_IN = PathwaySource.WALK_IN
YOUNG_PEOPLE = [
    ("Lucas", "Morel", 19, "63019", "", PERMANENCE, "repere"),
    ("Emma", "Girard", 22, "63019", "", WEBSITE, "premier_accueil"),
    ("Noah", "Bonnet", 17, "63019", "", PARTNER, "remobilisation"),
    ("Chloé", "Lambert", 24, "63019", "", WALK_IN, "diagnostic"),
    ("Hugo", "Fontaine", 20, "12176", "Quatre Saisons", OUTREACH, "sortie_emploi"),
    ("Léa", "Rousseau", 18, "12176", "Quatre Saisons", PERMANENCE, "sortie_demenagement"),
    ("Nathan", "Vincent", 23, "12176", "Costes-Rouges", PARTNER, "sortie_abandon"),
    ("Manon", "Muller", 21, "12176", "", WEBSITE, "hors_dispositif"),
    ("Théo", "Lefèvre", 16, "12176", "Quatre Saisons", WALK_IN, "reprise"),
    ("Camille", "Faure", 25, "12176", "", PERMANENCE, "diagnostic"),
    ("Maxime", "Cabrol", 18, "12176", "Costes-Rouges", OUTREACH, "repere"),
    ("Océane", "Bouscaren", 20, "12176", "", WEBSITE, "remobilise"),
    ("Romain", "Vernhet", 22, "12176", "", PARTNER, "sans_nouvelles"),
    ("Justine", "Galtier", 19, "12176", "Quatre Saisons", WALK_IN, "oriente"),
    ("Enzo", "André", 19, "76231", "", PERMANENCE, "diagnostic"),
    ("Sarah", "Mercier", 20, "76231", "", PARTNER, "oriente"),
    ("Louis", "Blanc", 22, "76178", "Les Fleurs et les Feugrais", WALK_IN, "oriente"),
    ("Inès", "Guérin", 18, "76561", "", WEBSITE, "sans_nouvelles"),
    ("Yanis", "Boyer", 24, "76231", "", PERMANENCE, "oriente"),
    ("Jade", "Garnier", 17, "31555", "Empalot", OUTREACH, "sortie_emploi"),
    ("Adam", "Chevalier", 21, "31555", "Grand Mirail", OUTREACH, "diagnostic"),
    ("Lina", "François", 19, "31555", "Empalot", OUTREACH, "repere"),
    ("Rayan", "Legrand", 23, "31555", "Les Izards - La Vache", PERMANENCE, "sortie_demenagement"),
    ("Zoé", "Gauthier", 20, "31555", "Bourbaki", PARTNER, "sortie_abandon"),
    ("Mathis", "Perrin", 18, "31555", "Rangueil", WEBSITE, "hors_dispositif"),
    ("Anaïs", "Robin", 22, "31555", "", WALK_IN, "reprise"),
    ("Ilyes", "Clément", 16, "31555", "Soupetard", OUTREACH, "remobilisation"),
    ("Clara", "Morin", 24, "31555", "La Gloire", PERMANENCE, "oriente"),
    ("Sacha", "Nicolas", 21, "31555", "Grand Mirail", PARTNER, "remobilise"),
    ("Nour", "Henry", 19, "31555", "Empalot", OUTREACH, "sans_nouvelles"),
    ("Mehdi", "Sabatier", 21, "31555", "Bourbaki", WALK_IN, "premier_accueil"),
    ("Lou", "Azéma", 17, "31555", "", WEBSITE, "diagnostic"),
    ("Tom", "Roussel", 20, "34172", "Mosson", PERMANENCE, "repere"),
    ("Maëlys", "Mathieu", 23, "34172", "Petit Bard Pergola", PARTNER, "premier_accueil"),
    ("Bilal", "Lemoine", 17, "34172", "Celleneuve", WEBSITE, "premier_accueil"),
    ("Alicia", "Dumas", 22, "34172", "Lemasson", WALK_IN, "sans_nouvelles"),
]

# Requests sent from the site this morning, waiting "à attribuer" in their antenna.
WAITING_REQUESTS = [("Kenza", "Marty", "12176"), ("Elias", "Rey", "31555")]

DIAGNOSTIC = {
    "diag_emploi": "Besoin prioritaire",
    "diag_formation": "Besoin à travailler",
    "diag_sante": "Pas de besoin",
    "diag_logement": "Besoin à travailler",
    "diag_mobilite": "Besoin prioritaire",
    "diag_ressources": "Pas de besoin",
    "orientation": "CEJ",
}
Step = tuple[str, dict]
FIRST_RECEPTION: Step = ("fixer_premier_accueil", {"date_premier_accueil": "DATE"})
LOSE_CONTACT: Step = ("signaler_sans_nouvelles", {})
ORIENTED: list[Step] = [
    FIRST_RECEPTION,
    ("proposer_diagnostic", {"date_diagnostic": "DATE"}),
    ("orienter", DIAGNOSTIC),
]


def _support(programme: str) -> list[Step]:
    return [
        *ORIENTED,
        ("demarrer_accompagnement", {"dispositif": programme, "date_entree": "DATE"}),
    ]


def _exit(reason: str) -> Step:
    return ("sortir", {"motif_sortie": reason, "date_sortie": "DATE"})


# The transitions each demo pathway walks, with their answers ("DATE": the day it happens).
SCENARIOS: dict[str, list[Step]] = {
    "repere": [],
    "remobilisation": [("remobiliser", {})],
    "premier_accueil": [FIRST_RECEPTION],
    "diagnostic": ORIENTED[:2],
    "oriente": ORIENTED,
    "hors_dispositif": _support("Hors dispositif"),
    "sans_nouvelles": [FIRST_RECEPTION, LOSE_CONTACT],
    # Contact lost, then taken up again: at the first reception, or in support under PACEA.
    "remobilise": [("remobiliser", {}), FIRST_RECEPTION],
    "reprise": [
        *_support("CEJ"),
        LOSE_CONTACT,
        ("reprendre_accompagnement", {"dispositif": "PACEA"}),
    ],
    # Exits of each outcome: positive, neutral, negative.
    "sortie_emploi": [
        *_support("CEJ"),
        _exit("Emploi durable (CDI ou CDD de 6 mois ou plus)"),
    ],
    "sortie_demenagement": [*_support("PACEA"), _exit("Déménagement")],
    "sortie_abandon": [FIRST_RECEPTION, LOSE_CONTACT, _exit("Abandon")],
}

# Maraudes, one a month in Toulouse and one every other month around Rodez: (organisation
# slug, mediator, commune INSEE, place, notes), then (days ago, young people met) for each.
ROUNDS = [
    (
        "toulouse",
        "mediateur.toulouse",
        "31555",
        [
            "Campement, chemin des Daturas (lieu fictif), Toulouse",
            "Aire d'accueil, Toulouse Quartiers Est",
            "Squat, secteur Empalot",
        ],
        "Maraude AJEP « Aller vers les jeunes précaires », avec les partenaires présents sur site.",
        [(14 + 30 * month, met) for month, met in enumerate([4, 6, 9, 3, 7, 5, 8, 2, 6, 4, 5, 7])],
    ),
    (
        "aveyron",
        "mediatrice.aveyron",
        "12176",
        [
            "Parvis de la médiathèque (lieu fictif), Onet-le-Château",
            "City-stade des Quatre Saisons (lieu fictif), Onet-le-Château",
        ],
        "Maraude de l'antenne de Rodez avec le centre social.",
        [(7 + 60 * n, met) for n, met in enumerate([5, 3, 6, 2, 4, 3])],
    ),
]
# Days between two steps of a scenario at most, and the hour of the day things happen.
STEP_DAYS = 24
WORKING_HOUR = datetime.time(10, 0)


def ensure_groups() -> dict[str, Group]:
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (COORDINATORS, COUNSELLORS, MEDIATORS, DATA_PROTECTION_OFFICERS, DIRECTION)
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


def ensure_demo_user(username: str, first_name: str, last_name: str, group: Group):
    """A demo account in `group`, with the published demo password (set once: a password
    changed since is kept)."""
    user, created = get_user_model().objects.get_or_create(
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
    user.groups.add(group)
    return user


def ensure_staff(groups, report) -> dict[str, object]:
    users = {}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for username, first_name, last_name, group_name, slug, antenna_name in STAFF:
        user = ensure_demo_user(username, first_name, last_name, groups[group_name])
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
    """The demo's young people and maraudes over the last twelve months, made through the
    product's services (start_pathway, log_contact, fire_transition) and then moved back in
    time, so that every figure of the comité de pilotage has something to show."""
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
    toulouse = Organisation.objects.get(slug="toulouse")
    today = timezone.localdate()
    rounds = _ensure_rounds(users, communes, today)

    needs_cycle = list(NeedArea.values)
    for index, (first, last, age, insee, qpv, source, scenario) in enumerate(YOUNG_PEOPLE):
        coverage = coverage_of(communes.get(insee))
        organisation = coverage.organisation if coverage else toulouse
        counsellor = users[FOLLOWED_BY[organisation.slug]]
        referent = counsellor if COUNSELLORS in _groups(counsellor) else None
        outreach_round = None
        actor = counsellor
        if source == PathwaySource.OUTREACH_ROUND:
            # Found at one of its organisation's maraudes, by the mediator who held it.
            held = rounds[organisation.slug]
            outreach_round = held[index % len(held)]
            actor = outreach_round.mediator
        steps = SCENARIOS[scenario]
        moments = _moments(index, steps, outreach_round)
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
            outreach_round=outreach_round,
            antenna=antennas.get(insee),
            referent=referent,
            organisation=organisation,
            channel=Channel.COMMAND,
        )
        log_contact(
            pathway,
            kind=ContactKind.INTERVIEW if index % 2 else ContactKind.CALL,
            actor=counsellor,
            channel=Channel.COMMAND,
        )
        for (code, raw), moment in zip(steps, moments[1:], strict=True):
            pathway = fire_transition(
                pathway,
                code,
                actor=counsellor,
                answers=_answers(raw, timezone.localdate(moment)),
                channel=Channel.COMMAND,
            )
        _move_back(pathway, moments)
    for first, last, insee in WAITING_REQUESTS:
        # Sent from the site, as the "être recontacté" form does: placed by the commune,
        # followed by nobody yet.
        start_pathway(
            first_name=first,
            last_name=last,
            source=PathwaySource.WEBSITE,
            consent=True,
            contact_email=f"{first.lower()}.{last.lower()}@demo.example.org",
            commune=communes.get(insee),
            needs=[NeedArea.EMPLOYMENT],
            comment="Demande « être recontacté » reçue par le site web.",
            channel=Channel.COMMAND,
        )
    report(
        f"Parcours : {len(YOUNG_PEOPLE)} jeunes fictifs sur les douze derniers mois, chacun "
        "dans la Mission Locale qui couvre sa commune, et "
        f"{len(WAITING_REQUESTS)} demandes du site « à attribuer » ; "
        + ", ".join(f"{len(held)} maraudes ({slug})" for slug, held in rounds.items())
        + "."
    )


def _ensure_rounds(users, communes, today) -> dict[str, list[OutreachRound]]:
    """The maraudes of ROUNDS, most recent first, by organisation slug."""
    rounds: dict[str, list[OutreachRound]] = {}
    for slug, mediator, insee, places, notes, dated in ROUNDS:
        organisation = Organisation.objects.get(slug=slug)
        rounds[slug] = [
            OutreachRound.objects.get_or_create(
                date=today - datetime.timedelta(days=days_ago),
                place=places[number % len(places)],
                defaults={
                    "mediator": users[mediator],
                    "organisation": organisation,
                    "commune": communes.get(insee),
                    "young_people_met": met,
                    "notes": notes,
                },
            )[0]
            for number, (days_ago, met) in enumerate(dated)
        ]
    return rounds


# Two young people nobody has heard from for longer than the default definition's timed
# transitions allow: Maxime (index 10, Aveyron) 40 days in Repéré, Mathis (index 24,
# Toulouse) 75 days in Accompagnement. The demo's run of the timed transitions moves them to
# "Sans nouvelles", and their history says it was automatic.
LONG_SILENCES = {10: 40, 24: 75}


def _days_since_last_step(index: int) -> int | None:
    """How long ago an open pathway's last step and contact were: a few days for most, so
    that only a minority is late, as in a caseload that is followed (one in four, about
    six weeks ago: past every stage's relance delay; LONG_SILENCES longer still)."""
    if index in LONG_SILENCES:
        return LONG_SILENCES[index]
    return 45 if index % 4 == 3 else 2 + index % 6


def _moments(
    index: int, steps: list[Step], outreach_round: OutreachRound | None
) -> list[datetime.datetime]:
    """When the pathway was created and each of its steps happened: created on its maraude's
    day, or on a day spread over the last eleven months (fixed by `index`); then one step
    every few weeks at most. A closed pathway's last step is before today; an open one's
    last step is recent (`_days_since_last_step`), its earlier ones spread between."""
    now = timezone.now()
    if outreach_round is not None:
        created_day = outreach_round.date
    else:
        created_day = timezone.localdate(now) - datetime.timedelta(days=12 + (index * 97) % 320)
    created = timezone.make_aware(datetime.datetime.combine(created_day, WORKING_HOUR))
    count = len(steps)
    closed = bool(steps) and steps[-1][0] == "sortir"
    if closed:
        gap = min(datetime.timedelta(days=STEP_DAYS), (now - created) / (count + 2))
        return [created + gap * step for step in range(count + 1)]
    last = max(
        now - datetime.timedelta(days=_days_since_last_step(index)),
        created + datetime.timedelta(hours=count),
    )
    if not count:
        return [last]
    gap = (last - created) / count
    return [created + gap * step for step in range(count + 1)]


def _move_back(pathway: Pathway, moments: list[datetime.datetime]) -> None:
    """Dates the pathway's history, contact and stage at `moments` rather than today (one
    record per moment, in order), as if it had been followed over those months: consent
    on the day it was created, the contact on the day of the last step (so the last
    contact is never older than a contact in the history), the follow-ups the actions
    planned moved back by as much, and the next relance by the one rule
    (`services.pathways.refresh_due_on`)."""
    records = TransitionRecord.objects.filter(pathway=pathway)
    ids = list(records.order_by("created_at", "pk").values_list("pk", flat=True))
    # Each stay ends when the next record begins (workflows.services.history).
    records.update(
        created_at=Case(
            *(When(pk=pk, then=Value(moment)) for pk, moment in zip(ids, moments, strict=True)),
            output_field=DateTimeField(),
        ),
        left_at=Case(
            *(
                When(pk=pk, then=Value(moment))
                for pk, moment in zip(ids, moments[1:], strict=False)
            ),
            default=None,
            output_field=DateTimeField(),
        ),
    )
    last = moments[-1]
    Contact.objects.filter(pathway=pathway).update(happened_at=last, created_at=last)
    Youth.objects.filter(pk=pathway.youth_id).update(
        created_at=moments[0], consent_recorded_at=moments[0]
    )
    shift = timezone.localdate(last) - timezone.localdate()
    follow_ups = list(FollowUp.objects.filter(pathway=pathway))
    for follow_up in follow_ups:
        follow_up.due_on += shift
        follow_up.created_at += shift
    FollowUp.objects.bulk_update(follow_ups, ["due_on", "created_at"])
    Pathway.objects.filter(pk=pathway.pk, closed_at__isnull=False).update(closed_at=last)
    Pathway.objects.filter(pk=pathway.pk).update(
        created_at=moments[0], entered_stage_at=last, last_contact_at=last
    )
    pathway.refresh_from_db()
    spec = live_spec(pathway.definition)
    refresh_due_on(pathway, spec.stages.get(pathway.stage) if spec else None)


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
    # The daily task, once: the long silences move to "Sans nouvelles" by themselves (a
    # second load finds nothing left to move).
    moved = run_timed_transitions(channel=Channel.COMMAND).moved
    report(f"Parcours : {moved} parcours passés d'eux-mêmes à « Sans nouvelles ».")
