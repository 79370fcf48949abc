"""The counsellors' and mediators' admin screens, as each role sees them."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access_log.models import AccessLogEntry
from workflows.choices import PathwaySource
from workflows.models import Contact, OutreachRound, Pathway, StaffProfile, TransitionRecord
from workflows.policies import COORDINATORS, COUNSELLORS, MEDIATORS
from workflows.services.transitions import fire_transition
from workflows.specs import live_spec

from .factories import new_pathway

pytestmark = pytest.mark.usefixtures("admin_access")

TODAY = timezone.localdate()


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def caseload_url(**params) -> str:
    from urllib.parse import urlencode

    url = reverse("workflows_screens:caseload")
    return f"{url}?{urlencode(params)}" if params else url


def pathway_url(pathway) -> str:
    return reverse("workflows_screens:pathway", args=[pathway.pk])


def linked_pathways(content: str) -> set[int]:
    """The pathways a list page links to (a pathway page's URL is /admin/parcours/<pk>/)."""
    prefix = re.escape(reverse("workflows_screens:caseload"))
    return {int(pk) for pk in re.findall(rf'href="{prefix}(\d+)/"', content)}


def board_columns(content: str) -> dict[str, dict[str, str]]:
    """The board's columns by stage code, in page order: each column's heading, its count
    and its whole markup."""
    columns = {}
    for section in re.findall(r"<section[^>]*>.*?</section>", content, flags=re.S):
        heading = re.search(
            r'<h2 id="stage-(?P<code>[\w-]+)"[^>]*>\s*(?P<label>[^<]*?)\s*'
            r'<span class="ml-board__count">(?P<count>[^<]*)</span>',
            section,
        )
        columns[heading["code"]] = {
            "label": heading["label"],
            "count": heading["count"],
            "body": section,
        }
    return columns


def transition_url(pathway, code) -> str:
    return reverse("workflows_screens:transition", args=[pathway.pk, code])


def at_premier_accueil(pathway, actor):
    return fire_transition(
        pathway,
        "fixer_premier_accueil",
        actor=actor,
        answers={"date_premier_accueil": TODAY.isoformat()},
    )


def make_many(count: int, *, counsellor, places):
    for index in range(count):
        new_pathway(
            first_name=f"Jeune{index}",
            actor=counsellor,
            referent=counsellor,
            antenna=places["antenna"],
            commune=places["commune"],
            priority_neighbourhood=places["qpv"] if index % 2 else None,
        )


# --- "Mes jeunes" ---------------------------------------------------------------------------


def test_caseload_shows_the_counsellors_scope_only(
    client, definition, pathway, counsellor, other_counsellor, places
):
    elsewhere = new_pathway(
        first_name="Ailleurs",
        actor=other_counsellor,
        referent=other_counsellor,
        antenna=places["other_antenna"],
    )
    client.force_login(counsellor)
    response = client.get(caseload_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Camille Test" in content
    assert pathway_url(pathway) in content
    assert "Ailleurs" not in content and pathway_url(elsewhere) not in content

    client.force_login(other_counsellor)
    content = client.get(caseload_url()).content.decode()
    assert "Ailleurs" in content and "Camille Test" not in content


def test_caseload_filters_and_search(client, definition, pathway, counsellor, places):
    other = new_pathway(
        first_name="Yanis",
        last_name="Boyer",
        actor=counsellor,
        referent=counsellor,
        antenna=places["antenna"],
    )
    other = at_premier_accueil(other, counsellor)
    Pathway.objects.filter(pk=pathway.pk).update(due_on=TODAY - datetime.timedelta(days=3))
    client.force_login(counsellor)

    def names(**params):
        content = client.get(caseload_url(**params)).content.decode()
        return {name for name in ("Camille Test", "Yanis Boyer") if name in content}

    assert names() == {"Camille Test", "Yanis Boyer"}
    assert names(stage="premier_accueil") == {"Yanis Boyer"}
    assert names(category="identification") == {"Camille Test"}
    assert names(qpv="true") == {"Camille Test"}
    assert names(qpv="false") == {"Yanis Boyer"}
    assert names(commune=places["commune"].insee_code) == {"Camille Test"}
    assert names(referent=counsellor.pk) == {"Camille Test", "Yanis Boyer"}
    assert names(overdue="true") == {"Camille Test"}
    assert names(q="boyer") == {"Yanis Boyer"}
    fire_transition(
        other,
        "sortir",
        actor=counsellor,
        answers={"motif_sortie": "Alternance", "date_sortie": TODAY.isoformat()},
    )
    assert names() == {"Camille Test"}
    assert names(include_closed="true") == {"Camille Test", "Yanis Boyer"}
    # Overdue is said in words, not by colour alone.
    assert "En retard" in client.get(caseload_url(overdue="true")).content.decode()


def test_caseload_paginates(client, definition, counsellor, places):
    make_many(30, counsellor=counsellor, places=places)
    client.force_login(counsellor)
    first = linked_pathways(client.get(caseload_url()).content.decode())
    second_page = text(client.get(caseload_url(p=2)))
    second = linked_pathways(second_page)
    # 25 a page: every pathway on exactly one of the two pages.
    assert (len(first), len(second)) == (25, 5)
    assert first | second == set(Pathway.objects.values_list("pk", flat=True))
    assert "Page 2 sur 2" in second_page


def test_caseload_exports_csv_without_contact_details(client, definition, pathway, counsellor):
    client.force_login(counsellor)
    response = client.get(caseload_url(export="csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Prénom,Nom,Étape,Catégorie")
    assert lines[1].startswith("Camille,Test,Repéré,Repérage")
    assert "06 00 00 00 01" not in text  # no phone numbers in exports


@pytest.mark.parametrize("url_name", ["workflows_screens:caseload", "workflows_screens:board"])
def test_list_query_count_does_not_grow(client, definition, counsellor, places, url_name):
    client.force_login(counsellor)
    make_many(5, counsellor=counsellor, places=places)
    client.get(reverse(url_name))  # warm the caches (content types, live spec)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    make_many(45, counsellor=counsellor, places=places)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_mediator_sees_the_pathways_they_identified(client, definition, mediator, counsellor):
    mine = new_pathway(first_name="Repéré", actor=mediator)
    new_pathway(first_name="Autre", actor=counsellor, referent=counsellor)
    client.force_login(mediator)
    content = client.get(caseload_url()).content.decode()
    assert pathway_url(mine) in content and "Autre" not in content


def test_people_without_a_role_are_refused(client, definition, pathway, outsider):
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    outsider.user_permissions.add(access)
    client.force_login(outsider)
    for url in (caseload_url(), reverse("workflows_screens:board"), pathway_url(pathway)):
        response = client.get(url)  # Wagtail turns the refusal into a redirect home
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


# --- the board ------------------------------------------------------------------------------


def test_board_has_a_column_per_stage_with_counts_and_overdue(
    client, definition, pathway, counsellor, places
):
    late = new_pathway(
        first_name="Enretard", actor=counsellor, referent=counsellor, antenna=places["antenna"]
    )
    Pathway.objects.filter(pk=late.pk).update(due_on=TODAY - datetime.timedelta(days=2))
    client.force_login(counsellor)
    columns = board_columns(text(client.get(reverse("workflows_screens:board"))))
    assert list(columns) == list(live_spec(definition).stages)  # one column per stage, in order
    for code, label in (
        ("repere", "Repéré"),
        ("premier_accueil", "Premier accueil"),
        ("diagnostic", "Diagnostic"),
        ("accompagnement", "Accompagnement"),
        ("sorti", "Sorti"),
    ):
        assert columns[code]["label"] == label
    # Both pathways are in the first stage's column, the late one said late.
    identified = columns["repere"]
    assert identified["count"] == "2 parcours"
    assert "dont 1 en retard" in identified["body"]
    assert (
        "à relancer depuis le " + (TODAY - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
        in identified["body"]
    )
    assert pathway_url(late) in identified["body"] and pathway_url(pathway) in identified["body"]
    others = {code: column["count"] for code, column in columns.items() if code != "repere"}
    assert set(others.values()) == {"0 parcours"}


# --- the pathway page -----------------------------------------------------------------------


def test_pathway_page_shows_identity_stage_transitions_and_timeline(
    client, definition, pathway, counsellor
):
    from workflows.services.pathways import log_contact

    log_contact(pathway, kind="call", actor=counsellor, note="Appel de présentation")
    client.force_login(counsellor)
    response = client.get(pathway_url(pathway))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Camille Test" in content and "06 00 00 00 01" in content
    assert "Étape actuelle :" in content and "<strong>Repéré</strong>" in content
    assert "Dans cette étape depuis" in content
    assert transition_url(pathway, "fixer_premier_accueil") in content
    assert transition_url(pathway, "proposer_diagnostic") not in content  # not from "repéré"
    assert "Création du parcours" in content and "Appel de présentation" in content
    # Each opening of a record is logged, without the young person's name.
    entry = AccessLogEntry.objects.get(action="read")
    assert (entry.user_id, entry.pathway_id, entry.channel) == (counsellor.pk, pathway.pk, "page")
    assert "Camille" not in str(entry.__dict__)


def test_pathway_outside_the_scope_is_not_found(
    client, definition, pathway, other_counsellor, mediator
):
    for user in (other_counsellor, mediator):
        client.force_login(user)
        assert client.get(pathway_url(pathway)).status_code == 404
        assert client.get(transition_url(pathway, "fixer_premier_accueil")).status_code == 404
        response = client.post(
            transition_url(pathway, "fixer_premier_accueil"),
            {"version": 0, "date_premier_accueil": TODAY.isoformat()},
        )
        assert response.status_code == 404
        contact = reverse("workflows_screens:contact", args=[pathway.pk])
        assert client.post(contact, {"kind": "call"}).status_code == 404
    pathway.refresh_from_db()
    assert pathway.stage == "repere" and not pathway.contacts.exists()


def test_transition_through_the_pathway_page(client, definition, pathway, counsellor):
    client.force_login(counsellor)
    form = client.get(transition_url(pathway, "fixer_premier_accueil"))
    assert form.status_code == 200
    assert 'name="date_premier_accueil"' in form.content.decode()
    response = client.post(
        transition_url(pathway, "fixer_premier_accueil"),
        {
            "version": pathway.version,
            "date_premier_accueil": TODAY.isoformat(),
            "lieu_premier_accueil": "Antenne de Rodez",
            "comment": "Rendez-vous pris par téléphone",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == pathway_url(pathway)
    assert "le parcours est maintenant à l'étape « Premier accueil »" in text(response)
    pathway.refresh_from_db()
    assert pathway.stage == "premier_accueil"
    record = TransitionRecord.objects.get(pathway=pathway, kind="transition")
    assert record.actor == counsellor and record.comment == "Rendez-vous pris par téléphone"
    assert record.answers["lieu_premier_accueil"] == "Antenne de Rodez"


def test_refused_transition_shows_the_reason_and_keeps_the_values(
    client, definition, pathway, counsellor
):
    client.force_login(counsellor)
    response = client.post(
        transition_url(pathway, "fixer_premier_accueil"),
        {"version": pathway.version, "lieu_premier_accueil": "Médiathèque", "comment": "Vu"},
    )
    assert response.status_code == 422
    content = text(response)
    assert "Transition refusée." in content and "Certains champs sont à corriger." in content
    assert "Champ requis." in content
    assert 'value="Médiathèque"' in content and "Vu</textarea>" in content
    pathway.refresh_from_db()
    assert pathway.stage == "repere" and pathway.version == 0


def test_condition_refusal_is_the_services_french_sentence(client, definition, counsellor, places):
    older = new_pathway(age=30, actor=counsellor, referent=counsellor, antenna=places["antenna"])
    older = at_premier_accueil(older, counsellor)
    client.force_login(counsellor)
    page = client.get(pathway_url(older)).content.decode()
    assert "Pas encore possible :" in page and "Le jeune a 30 ans ce jour" in page
    response = client.post(
        transition_url(older, "proposer_diagnostic"),
        {"version": older.version, "date_diagnostic": TODAY.isoformat()},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Le jeune a 30 ans ce jour ; il faut avoir entre 16 et 25 ans." in content
    assert f'value="{TODAY.isoformat()}"' in content


def test_stale_transition_says_the_pathway_moved_and_where(
    client, definition, pathway, counsellor, coordinator
):
    client.force_login(counsellor)
    seen_version = pathway.version
    assert client.get(transition_url(pathway, "remobiliser")).status_code == 200
    at_premier_accueil(pathway, coordinator)  # someone else acts first
    response = client.post(
        transition_url(pathway, "remobiliser"), {"version": seen_version, "raison_rupture": "x"}
    )
    assert response.status_code == 409
    content = text(response)
    assert "Ce parcours a changé entre-temps" in content
    assert "il est maintenant à l'étape « Premier accueil »" in content
    assert "Étape actuelle du parcours : <strong>Premier accueil</strong>" in content
    pathway.refresh_from_db()
    assert pathway.stage == "premier_accueil"
    assert pathway.history.filter(kind="transition").count() == 1


def test_role_not_allowed_is_refused_by_the_service(client, definition, mediator, coordinator):
    mine = new_pathway(actor=mediator)
    mine = at_premier_accueil(mine, coordinator)
    client.force_login(mediator)
    assert (
        transition_url(mine, "proposer_diagnostic")
        not in client.get(pathway_url(mine)).content.decode()
    )
    assert client.get(transition_url(mine, "proposer_diagnostic")).status_code == 404
    response = client.post(
        transition_url(mine, "proposer_diagnostic"),
        {"version": mine.version, "date_diagnostic": TODAY.isoformat()},
    )
    assert response.status_code == 403
    assert "Votre rôle ne permet pas « Proposer un diagnostic »" in response.content.decode()


def test_closing_a_pathway_asks_for_confirmation(client, definition, pathway, counsellor):
    client.force_login(counsellor)
    assert "clôt le parcours" in client.get(transition_url(pathway, "sortir")).content.decode()
    data = {
        "version": pathway.version,
        "motif_sortie": "Service civique",
        "date_sortie": TODAY.isoformat(),
    }
    response = client.post(transition_url(pathway, "sortir"), data)
    assert "Cochez la case pour confirmer la clôture du parcours." in response.content.decode()
    pathway.refresh_from_db()
    assert pathway.stage == "repere"
    response = client.post(transition_url(pathway, "sortir"), {**data, "confirm": "on"})
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.stage == "sorti" and pathway.closed_at is not None


def test_logging_a_contact(client, definition, pathway, counsellor):
    client.force_login(counsellor)
    url = reverse("workflows_screens:contact", args=[pathway.pk])
    response = client.post(url, {"kind": "sms", "note": "Relance par SMS"}, follow=True)
    assert "Contact enregistré." in response.content.decode()
    contact = Contact.objects.get(pathway=pathway)
    assert contact.kind == "sms" and contact.author == counsellor
    pathway.refresh_from_db()
    assert pathway.last_contact_at is not None
    future = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(url, {"kind": "call", "happened_at": future.strftime("%Y-%m-%dT%H:%M")})
    assert "Un contact ne peut pas être dans le futur." in response.content.decode()
    assert Contact.objects.filter(pathway=pathway).count() == 1


def test_pathway_page_query_count_does_not_grow_with_history(
    client, definition, pathway, counsellor
):
    from workflows.services.pathways import log_contact

    client.force_login(counsellor)
    log_contact(pathway, kind="call", actor=counsellor)
    client.get(pathway_url(pathway))
    with CaptureQueriesContext(connection) as short:
        client.get(pathway_url(pathway))
    for _ in range(10):
        log_contact(pathway, kind="sms", actor=counsellor)
    at_premier_accueil(pathway, counsellor)
    with CaptureQueriesContext(connection) as long:
        response = client.get(pathway_url(pathway))
    assert text(response).count("Contact :") == 11
    assert len(long) == len(short), [q["sql"] for q in long.captured_queries]


# --- quick repérage -------------------------------------------------------------------------


def test_reperage_creates_a_pathway_at_the_initial_stage(client, definition, mediator, places):
    outreach = OutreachRound.objects.create(
        date=TODAY,
        place="Parvis de la gare",
        mediator=mediator,
        commune=places["commune"],
        organisation=places["aveyron"],
    )
    client.force_login(mediator)
    url = reverse("workflows_screens:identification")
    form = client.get(url).content.decode()
    assert 'type="tel"' in form and f'<option value="{outreach.pk}" selected' in form
    response = client.post(
        url,
        {
            "first_name": "Sofiane",
            "phone": "06 00 00 00 77",
            "outreach_round": outreach.pk,
            "source": PathwaySource.WALK_IN,
            "commune": places["commune"].pk,
            "place": "Parvis de la gare",
            "needs": ["housing", "employment"],
            "consent": "on",
        },
        follow=True,
    )
    assert "Repérage enregistré : Sofiane est à l'étape « Repéré »." in text(response)
    pathway = Pathway.objects.get(youth__first_name="Sofiane")
    assert pathway.stage == "repere" and pathway.stage_category == "identification"
    assert pathway.source == PathwaySource.OUTREACH_ROUND and pathway.outreach_round == outreach
    assert pathway.identified_by == mediator and pathway.youth.consent_given
    assert set(pathway.needs) == {"housing", "employment"}
    assert pathway.history.get().comment == "Rencontré : Parvis de la gare"


def test_reperage_without_a_round_keeps_the_chosen_source(client, definition, mediator):
    client.force_login(mediator)
    client.post(
        reverse("workflows_screens:identification"),
        {"first_name": "Maya", "email": "maya@example.org", "source": "walk_in", "consent": "on"},
    )
    assert Pathway.objects.get(youth__first_name="Maya").source == PathwaySource.WALK_IN


def test_reperage_needs_consent_and_a_way_to_reach_them(client, definition, mediator):
    client.force_login(mediator)
    url = reverse("workflows_screens:identification")
    content = text(client.post(url, {"first_name": "Eli", "source": "walk_in"}))
    assert "Sans son accord, rien n'est enregistré." in content
    assert "Indiquez un téléphone ou un e-mail" in content
    assert not Pathway.objects.exists()


# --- maraudes and menu ----------------------------------------------------------------------


def test_outreach_rounds_for_mediators_and_counsellors(
    client, definition, mediator, counsellor, places
):
    from .factories import make_user

    other = make_user("mediateur2", MEDIATORS, antenna=places["antenna"])
    client.force_login(mediator)
    add = reverse("outreach_rounds:add")
    form = client.get(add)
    assert form.status_code == 200
    # The browser's own date picker, filled with today: Wagtail's chooser would write an
    # inline script that the admin's Content-Security-Policy refuses.
    assert f'type="date" name="date" value="{TODAY.isoformat()}"' in form.content.decode()
    response = client.post(
        add,
        {
            "date": TODAY.isoformat(),
            "place": "Aire d'accueil",
            "commune": places["commune"].pk,
            "mediator": mediator.pk,
            "young_people_met": 5,
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    outreach = OutreachRound.objects.get(place="Aire d'accueil")
    met = new_pathway(first_name="Rencontré", actor=mediator, outreach_round=outreach)
    hidden = new_pathway(first_name="Caché", actor=counsellor, outreach_round=outreach)
    page = client.get(reverse("outreach_rounds:inspect", args=[outreach.pk])).content.decode()
    assert pathway_url(met) in page and pathway_url(hidden) not in page
    listing = client.get(reverse("outreach_rounds:index")).content.decode()
    assert "Aire d&#x27;accueil" in listing
    assert reverse("outreach_rounds:inspect", args=[outreach.pk]) in listing

    # A counsellor sees the rounds of their antenna's mediators, and changes none.
    StaffProfile.objects.filter(user=mediator).update(antenna=places["antenna"])
    client.force_login(counsellor)
    assert "Aire d&#x27;accueil" in client.get(reverse("outreach_rounds:index")).content.decode()
    home = reverse("wagtailadmin_home")
    assert client.get(add).url == home  # refused: Wagtail redirects home
    edit = reverse("outreach_rounds:edit", args=[outreach.pk])
    assert client.get(edit).url == home
    client.force_login(other)
    assert client.get(edit).url == home  # a mediator edits their own rounds only


CASELOAD, BOARD, REPERAGE, ROUNDS = (
    '"url": "/admin/parcours/"',
    '"url": "/admin/parcours/tableau/"',
    '"url": "/admin/parcours/reperage/"',
    '"url": "/admin/maraudes/"',
)


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        # Counsellors record a young person met at a permanence with the quick repérage too.
        (COUNSELLORS, [CASELOAD, BOARD, REPERAGE, ROUNDS], []),
        (MEDIATORS, [CASELOAD, REPERAGE, ROUNDS], [BOARD]),
        (COORDINATORS, [CASELOAD, BOARD, REPERAGE, ROUNDS], []),
    ],
)
def test_menu_entries_follow_the_role(client, definition, role, shown, hidden):
    from .factories import make_user

    client.force_login(make_user(f"user-{len(role)}", role))
    content = client.get(reverse("wagtailadmin_home")).content.decode()  # the sidebar's JSON
    for label in shown:
        assert label in content
    for label in hidden:
        assert label not in content


def test_caseload_has_the_api_filters_named_in_words(client, definition, pathway, counsellor):
    """One filter set serves "Mes jeunes" and the API: same names, values shown in words."""
    client.force_login(counsellor)
    assert "Camille Test" not in text(client.get(caseload_url(source="walk_in")))
    content = text(client.get(caseload_url(source="permanence", qpv="true", stage="repere")))
    assert "Camille Test" in content
    pills = content[content.index("w-active-filters") :]
    words = " ".join(re.sub(r"<[^>]+>", " ", pills).split())
    assert "Habite en QPV : Oui" in words and "Étape : Repéré" in words
    assert 'name="q"' not in content[content.index("w-drilldown__contents") :]
