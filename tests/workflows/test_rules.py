"""workflows.rules and the conditions' verdict: each shared rule on plain values, no database."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from workflows import rules
from workflows.conditions import CONDITIONS, ConditionContext, blocking_conditions
from workflows.specs import ConditionSpec, FieldSpec, StageSpec, TransitionSpec

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
TODAY = datetime.date(2026, 3, 2)


def stage(**kwargs) -> StageSpec:
    values = {"code": "accueil", "label": "Accueil", "category": "reception", "order": 1}
    return StageSpec(**{**values, **kwargs})


def transition(**kwargs) -> TransitionSpec:
    values = {
        "code": "fixer",
        "label": "Fixer",
        "sources": ("repere", "remobilisation"),
        "target": "accueil",
        "allowed_groups": frozenset({"Conseillers"}),
    }
    return TransitionSpec(**{**values, **kwargs})


# --- blank answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", []])
def test_an_empty_answer_is_blank(value):
    assert rules.is_blank(value)


@pytest.mark.parametrize("value", [False, "non", 0, "0", "oui", ["Emploi"], "2026-03-02"])
def test_a_no_or_a_zero_is_an_answer(value):
    assert not rules.is_blank(value)


def test_given_answers_drop_only_the_blank_ones():
    answers = {"texte": "", "cej": False, "oui_non": "non", "choix": [], "date": None, "n": 0}
    assert rules.given_answers(answers) == {"cej": False, "oui_non": "non", "n": 0}


@pytest.mark.parametrize("answer", [False, "non"])
def test_a_yes_no_question_answered_no_satisfies_reponse_renseignee(answer):
    context = ConditionContext(pathway=None, answers={"cej": answer}, today=TODAY)
    assert CONDITIONS["field_filled"].check(context, {"field": "cej"}) is None


@pytest.mark.parametrize("answers", [{}, {"cej": None}, {"cej": ""}, {"cej": []}])
def test_reponse_renseignee_refuses_a_blank_answer(answers):
    context = ConditionContext(pathway=None, answers=answers, today=TODAY)
    assert CONDITIONS["field_filled"].check(context, {"field": "cej"}) == (
        "La réponse « cej » doit être renseignée."
    )


# --- blocking conditions --------------------------------------------------------------------


def test_blocking_conditions_before_the_form_leave_out_the_transitions_own_fields():
    guarded = transition(
        fields=(FieldSpec("date_accueil", "Date", "date", required=True),),
        conditions=(
            ConditionSpec("field_filled", {"field": "date_accueil"}),
            ConditionSpec("field_filled", {"field": "motif"}),
        ),
    )
    context = ConditionContext(pathway=None, answers={}, today=TODAY)
    assert blocking_conditions(guarded, context, before_form=True) == [
        "La réponse « motif » doit être renseignée."
    ]
    assert blocking_conditions(guarded, context) == [
        "La réponse « date_accueil » doit être renseignée.",
        "La réponse « motif » doit être renseignée.",
    ]
    answered = ConditionContext(
        pathway=None, answers={"date_accueil": "2026-03-02", "motif": "non"}, today=TODAY
    )
    assert blocking_conditions(guarded, answered) == []


# --- the definition's shape -------------------------------------------------------------------


def test_split_codes_reads_a_comma_separated_box():
    assert rules.split_codes(" repere, ,remobilisation ,") == ("repere", "remobilisation")
    assert rules.split_codes("") == rules.split_codes(None) == ()


def test_a_transition_starts_only_from_its_sources():
    assert rules.starts_from(transition(), "remobilisation")
    assert not rules.starts_from(transition(), "accueil")


# --- intake -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "06.12.34.56.78", " 0612345678 "]
)
def test_phone_numbers_as_people_type_them_are_valid(phone):
    assert rules.is_valid_phone(phone)


@pytest.mark.parametrize("phone", ["06 12", "pas de numéro", "06 12 34 56 78 90 12 34 56", ""])
def test_a_wrong_phone_number_is_refused(phone):
    assert not rules.is_valid_phone(phone)


def test_the_stored_phone_is_the_typed_one_without_surrounding_blanks():
    assert rules.normalise_phone("  06 12 34 56 78 ") == "06 12 34 56 78"
    assert rules.normalise_phone(None) == ""


def test_intake_problems_name_each_field_with_its_code():
    assert rules.intake_problems(consent=True, source="website", phone="0612345678", email="") == {}
    assert rules.intake_problems(consent=True, source="website", phone="", email="a@b.fr") == {}
    assert rules.intake_problems(consent=False, source="ailleurs", phone=" ", email=" ") == {
        "consent": rules.CONSENT_REQUIRED,
        "source": rules.UNKNOWN_SOURCE,
        "phone": rules.CONTACT_REQUIRED,
    }
    # A wrong number is refused even when an e-mail would do.
    assert rules.intake_problems(consent=True, source="website", phone="12", email="a@b.fr") == {
        "phone": rules.INVALID_PHONE
    }


# --- entering a stage -------------------------------------------------------------------------


def test_entering_a_stage_sets_its_columns():
    entry = rules.stage_entry(
        stage(reminder_days=14, max_duration_days=30), now=NOW, previous_version=3
    )
    assert set(entry) == set(rules.STAGE_ENTRY_COLUMNS)
    assert entry == {
        "stage_category": "reception",
        "entered_stage_at": NOW,
        "version": 4,
        "closed_at": None,
        "due_on": TODAY + datetime.timedelta(days=14),
    }


def test_a_new_pathway_starts_at_version_0_and_a_bulk_move_bumps_the_column():
    assert rules.stage_entry(stage(), now=NOW)["version"] == 0
    bumped = rules.stage_entry(stage(), now=NOW, previous_version=F("version"))["version"]
    assert str(bumped) == str(F("version") + 1)


def test_entering_a_final_stage_closes_the_pathway_with_no_due_date():
    entry = rules.stage_entry(
        stage(code="sorti", category="exit", final=True, reminder_days=7), now=NOW
    )
    assert (entry["closed_at"], entry["due_on"]) == (NOW, None)


def test_the_due_date_counts_from_the_last_contact_when_it_is_later():
    later = NOW + datetime.timedelta(days=5)
    entry = rules.stage_entry(stage(reminder_days=7), now=NOW, last_contact_at=later)
    assert entry["due_on"] == TODAY + datetime.timedelta(days=12)
    # The maximum duration counts from the entry, whatever the contacts.
    entry = rules.stage_entry(
        stage(reminder_days=30, max_duration_days=10), now=NOW, last_contact_at=later
    )
    assert entry["due_on"] == TODAY + datetime.timedelta(days=10)
    assert rules.stage_entry(stage(), now=NOW)["due_on"] is None


@pytest.mark.parametrize(
    ("born", "refused"),
    [
        (datetime.date(2013, 12, 1), False),  # 13 today
        (datetime.date(2013, 12, 2), True),  # 13 tomorrow
        (datetime.date(1990, 12, 2), False),  # 35 until tomorrow
        (datetime.date(1990, 12, 1), True),  # 36 today
        (datetime.date(1900, 1, 1), True),
        (datetime.date(2026, 1, 1), True),
    ],
)
def test_a_birth_date_makes_a_person_between_13_and_35(born, refused):
    problem = rules.birth_date_problem(born, datetime.date(2026, 12, 1))
    assert problem == (rules.IMPLAUSIBLE_BIRTH_DATE if refused else None)
    assert rules.birth_date_problem(None, datetime.date(2026, 12, 1)) is None


def test_a_contact_took_place_between_2000_and_now():
    now = timezone.now()
    assert rules.contact_date_problem(now, now) is None
    assert rules.contact_date_problem(now + datetime.timedelta(minutes=1), now) == (
        rules.CONTACT_IN_FUTURE
    )
    year_2000 = timezone.make_aware(datetime.datetime(2000, 1, 1, 0, 0))
    assert rules.contact_date_problem(year_2000, now) is None
    earlier = year_2000 - datetime.timedelta(seconds=1)
    assert rules.contact_date_problem(earlier, now) == rules.CONTACT_TOO_OLD
