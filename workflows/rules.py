"""The pathway rules every caller shares (admin screens, API, public form, tasks, publishing),
written once. Pure functions: no query, no model import, so any layer may call them and
tests need no database. Where each rule is used is listed in docs/architecture.md."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .choices import AgeBand, PathwaySource

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from .specs import StageSpec, TransitionSpec


# --- intake: what a new pathway needs ------------------------------------------------------

# Stable codes of the intake refusals. Forms and serializers map them to their own wording
# (the young person is addressed as "tu", staff as "vous"); never compare messages.
CONSENT_REQUIRED = "consent_required"
UNKNOWN_SOURCE = "unknown_source"
CONTACT_REQUIRED = "contact_required"
INVALID_PHONE = "invalid_phone"

# The e-mail column's length (Django's EmailField): the standard allows 320, no column here
# holds more than 254, so every form and serializer stops there.
EMAIL_MAX_LENGTH = 254
# Free text staff type (comments, notes, long answers): factual, and bounded.
FREE_TEXT_MAX_LENGTH = 2000

# A French number as people type it: 10 digits, maybe "+33", spaces, dots, dashes, brackets.
PHONE_PATTERN = r"^\+?[0-9 .\-()]{10,20}$"
_PHONE_RE = re.compile(PHONE_PATTERN)


def normalise_phone(raw: str | None) -> str:
    """The phone as stored: what was typed, without surrounding blanks. Kept as typed
    otherwise, so the counsellor reads the number the young person gave."""
    return (raw or "").strip()


def is_valid_phone(raw: str | None) -> bool:
    return bool(_PHONE_RE.match(normalise_phone(raw)))


# Dates people type: a young person is between these ages when recorded (a typing slip such
# as 1900 or 2025 is refused rather than stored), and a contact took place between this
# date and now (year 1 printed as "0001-…" is no RFC 3339 date a client can read).
AGE_RANGE = (13, 35)
EARLIEST_CONTACT = datetime.date(2000, 1, 1)
IMPLAUSIBLE_BIRTH_DATE = "implausible_birth_date"
CONTACT_IN_FUTURE = "contact_in_future"
CONTACT_TOO_OLD = "contact_too_old"


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


# The first age of each band, oldest first.
_AGE_BANDS = (
    (26, AgeBand.FROM_26),
    (22, AgeBand.FROM_22_TO_25),
    (18, AgeBand.FROM_18_TO_21),
    (16, AgeBand.FROM_16_TO_17),
)


def age_band(date_of_birth: datetime.date | None, day: datetime.date) -> str:
    """The age band (AgeBand) of someone born on `date_of_birth`, on `day`; empty when the
    date of birth is unknown."""
    if date_of_birth is None:
        return ""
    age = age_on(date_of_birth, day)
    return next(
        (band.value for first_age, band in _AGE_BANDS if age >= first_age), AgeBand.UNDER_16.value
    )


def birth_date_problem(date_of_birth: datetime.date | None, today: datetime.date) -> str | None:
    if date_of_birth is None:
        return None
    youngest, oldest = AGE_RANGE
    return None if youngest <= age_on(date_of_birth, today) <= oldest else IMPLAUSIBLE_BIRTH_DATE


def contact_date_problem(happened_at: datetime.datetime, now: datetime.datetime) -> str | None:
    if happened_at > now:
        return CONTACT_IN_FUTURE
    if timezone.localtime(happened_at).date() < EARLIEST_CONTACT:
        return CONTACT_TOO_OLD
    return None


def intake_problems(*, consent: bool, source: str, phone: str, email: str) -> dict[str, str]:
    """What stops a young person from being recorded, as {field: code}; empty when nothing
    does. Fields are named as the forms and the API name them: consent, source, phone."""
    problems: dict[str, str] = {}
    if not consent:
        problems["consent"] = CONSENT_REQUIRED
    if source not in PathwaySource.values:
        problems["source"] = UNKNOWN_SOURCE
    phone = normalise_phone(phone)
    if phone and not is_valid_phone(phone):
        problems["phone"] = INVALID_PHONE
    elif not phone and not (email or "").strip():
        # Said on the phone field, the first of the two means a form offers.
        problems["phone"] = CONTACT_REQUIRED
    return problems


# --- answers --------------------------------------------------------------------------------


def mention_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """Any of `terms` as a whole word, whatever the case: how a young person's name or contact
    details are found in a free-text note (erasure, anonymisation). None when there is nothing
    to look for. Give the longest terms first, so a full name is taken before its parts."""
    if not terms:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(term) for term in terms) + r")(?!\w)", re.IGNORECASE
    )


def is_blank(value: Any) -> bool:
    """An answer that says nothing: no value, an empty text or an empty choice list. A
    "no" (False, "non") and a zero ARE answers: a yes/no question answered no is filled."""
    return value is None or value == "" or value == []


def given_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers actually given, without the blank ones."""
    return {name: value for name, value in answers.items() if not is_blank(value)}


# --- the definition's shape -----------------------------------------------------------------


def split_codes(raw: str | None) -> tuple[str, ...]:
    """Stage codes typed in one box, separated by commas ("repere, accueil")."""
    return tuple(code.strip() for code in (raw or "").split(",") if code.strip())


def starts_from(transition: TransitionSpec, stage_code: str) -> bool:
    """Whether `transition` may be fired from the stage `stage_code`."""
    return stage_code in transition.sources


# --- entering a stage -----------------------------------------------------------------------

# The pathway columns `stage_entry` sets (besides the stage itself).
STAGE_ENTRY_COLUMNS = ("stage_category", "entered_stage_at", "version", "closed_at", "due_on")


def compute_due_on(
    stage: StageSpec | None,
    entered_stage_at: datetime.datetime,
    last_contact_at: datetime.datetime | None,
    planned: Iterable[datetime.date] = (),
) -> datetime.date | None:
    """The day a pathway needs attention, the one rule behind "à relancer le" on every
    screen: "relance après N jours" without contact, the stage's expected maximum
    duration, or a follow-up still planned (`planned`: the due dates of the open
    follow-ups, set by a "planifier une relance" action or a reminder), whichever comes
    first. A closed pathway needs none. Stored for lists."""
    if stage is None or stage.final:
        return None
    candidates = list(planned)
    if stage.reminder_days:
        base = max(entered_stage_at, last_contact_at or entered_stage_at)
        candidates.append(timezone.localdate(base) + datetime.timedelta(days=stage.reminder_days))
    if stage.max_duration_days:
        candidates.append(
            timezone.localdate(entered_stage_at) + datetime.timedelta(days=stage.max_duration_days)
        )
    return min(candidates) if candidates else None


def stage_entry(
    stage: StageSpec,
    *,
    now: datetime.datetime,
    last_contact_at: datetime.datetime | None = None,
    previous_version: int | Combinable | None = None,
) -> dict[str, Any]:
    """The columns entering `stage` at `now` sets on a pathway, whoever moves it (creation,
    a transition, a publish-time move). `previous_version` is the version the row had (an
    `F("version")` for a bulk update; None for a new pathway, which starts at 0): each move
    bumps it, so a stale copy cannot be saved over it. The stage itself is not included:
    django-fsm sets it on a transition, the caller on a create or a bulk update."""
    return {
        "stage_category": stage.category,
        "entered_stage_at": now,
        "version": 0 if previous_version is None else previous_version + 1,
        "closed_at": now if stage.final else None,
        "due_on": compute_due_on(stage, now, last_contact_at),
    }
