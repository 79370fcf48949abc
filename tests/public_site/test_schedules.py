"""Recurrence rules of permanences: what an editor chooses, what a visitor sees as dates."""

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest

from public_site.schedules import (
    INTERVAL_CHOICES,
    MONTH_WEEK_CHOICES,
    PARIS,
    WEEKDAY_CHOICES,
    Frequency,
    Occurrence,
    Recurrence,
    describe,
    describe_time_range,
    first_regular_date,
    format_date,
    merge_occurrences,
    occurrences,
    to_rrule,
    validate,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def rule(frequency=Frequency.WEEKLY, weekday=THU, **kwargs) -> Recurrence:
    """One weekday by default; ``weekdays=(…)`` for several."""
    values = {
        "start_date": date(2026, 1, 1),
        "start_time": time(9),
        "end_time": time(12),
        "weekdays": (weekday,),
    }
    values.update(kwargs)
    return Recurrence(frequency=str(frequency), **values)


def dates(recurrence: Recurrence, start: date, end: date) -> list[date]:
    return [occurrence.date for occurrence in occurrences(recurrence, start, end)]


def _matches_month_weeks(day: date, month_weeks) -> bool:
    nth = (day.day - 1) // 7 + 1
    is_last = (day + timedelta(days=7)).month != day.month
    return nth in month_weeks or (is_last and -1 in month_weeks)


def brute_force_dates(recurrence: Recurrence, start: date, end: date) -> list[date]:
    """An independent oracle: test every day with calendar arithmetic, no dateutil. The
    rhythm counts weeks (Monday to Sunday) or months from the first matching date on or
    after the start date."""
    candidates = []
    day = recurrence.start_date
    while not candidates:
        if day.weekday() in recurrence.weekdays and (
            recurrence.frequency == Frequency.WEEKLY
            or _matches_month_weeks(day, recurrence.month_weeks)
        ):
            candidates.append(day)
        day += timedelta(days=1)
    first = candidates[0]
    first_monday = first - timedelta(days=first.weekday())
    last = recurrence.end_date or end
    found = []
    day = start
    while day <= end:
        if day.weekday() in recurrence.weekdays and first <= day <= last:
            if recurrence.frequency == Frequency.WEEKLY:
                weeks = (day - first_monday).days // 7
                if weeks % recurrence.interval == 0:
                    found.append(day)
            elif _matches_month_weeks(day, recurrence.month_weeks):
                months = (day.year - first.year) * 12 + day.month - first.month
                if months % recurrence.interval == 0:
                    found.append(day)
        day += timedelta(days=1)
    return found


# --- The shapes an editor can choose ------------------------------------------------------


def test_every_thursday_afternoon():
    thursdays = rule(weekday=THU, start_time=time(14), end_time=time(17))
    result = occurrences(thursdays, date(2026, 3, 1), date(2026, 3, 31))
    assert [o.date.day for o in result] == [5, 12, 19, 26]
    first = result[0]
    assert first.start.tzinfo == PARIS
    assert (first.start.hour, first.end.hour) == (14, 17)
    assert not first.cancelled and not first.extra and first.reason == ""


def test_first_and_third_tuesday_of_the_month():
    onet = rule(Frequency.MONTHLY, TUE, month_weeks=(1, 3))
    assert dates(onet, date(2026, 1, 1), date(2026, 4, 30)) == [
        date(2026, 1, 6),
        date(2026, 1, 20),
        date(2026, 2, 3),
        date(2026, 2, 17),
        date(2026, 3, 3),
        date(2026, 3, 17),
        date(2026, 4, 7),
        date(2026, 4, 21),
    ]


def test_last_tuesday_of_the_month_including_a_leap_day_and_five_tuesday_months():
    last_tuesday = rule(Frequency.MONTHLY, TUE, month_weeks=(-1,), start_date=date(2028, 1, 1))
    assert dates(last_tuesday, date(2028, 1, 1), date(2028, 5, 31)) == [
        date(2028, 1, 25),
        date(2028, 2, 29),  # 2028 is a leap year and its 29 February is a Tuesday
        date(2028, 3, 28),
        date(2028, 4, 25),
        date(2028, 5, 30),
    ]
    # March 2026 has five Tuesdays: the last one is the 31st, not the 24th.
    assert dates(
        dataclasses.replace(last_tuesday, start_date=date(2026, 3, 1)),
        date(2026, 3, 1),
        date(2026, 3, 31),
    ) == [date(2026, 3, 31)]


def test_every_other_wednesday_is_anchored_on_the_start_date():
    # Starting on a Thursday: the first Wednesday on or after it is the 14th, then every
    # 14 days; the Wednesday of the start date's own Monday-week (the 6th) is before it.
    every_other = rule(Frequency.WEEKLY, WED, interval=2, start_date=date(2026, 1, 8))
    assert dates(every_other, date(2026, 1, 1), date(2026, 2, 28)) == [
        date(2026, 1, 14),
        date(2026, 1, 28),
        date(2026, 2, 11),
        date(2026, 2, 25),
    ]
    # Starting on the Wednesday itself: that day is the first one.
    on_the_day = dataclasses.replace(every_other, start_date=date(2026, 1, 21))
    assert dates(on_the_day, date(2026, 1, 1), date(2026, 2, 28)) == [
        date(2026, 1, 21),
        date(2026, 2, 4),
        date(2026, 2, 18),
    ]
    # A window read years later keeps the same parity.
    later = dates(every_other, date(2029, 6, 1), date(2029, 7, 31))
    assert later and all((day - date(2026, 1, 14)).days % 14 == 0 for day in later)
    assert first_regular_date(every_other) == date(2026, 1, 14)


# --- Month ends, fifth weekdays ---------------------------------------------------------------


def test_month_ends_31st_and_february():
    thursdays = rule(weekday=THU, start_date=date(2024, 1, 1))
    # 29 February 2024 (leap year) and 31 December 2026 are Thursdays.
    assert date(2024, 2, 29) in dates(thursdays, date(2024, 2, 1), date(2024, 3, 31))
    assert dates(thursdays, date(2026, 12, 25), date(2027, 1, 8)) == [
        date(2026, 12, 31),
        date(2027, 1, 7),
    ]
    # February 2026 has exactly four Tuesdays: "4e" and "dernier" are the same day.
    fourth_and_last = rule(Frequency.MONTHLY, TUE, month_weeks=(4, -1))
    assert dates(fourth_and_last, date(2026, 2, 1), date(2026, 2, 28)) == [date(2026, 2, 24)]


def test_fifth_tuesday_skips_the_months_that_have_none():
    fifth = rule(Frequency.MONTHLY, TUE, month_weeks=(5,))
    assert dates(fifth, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 29),
        date(2026, 12, 29),
    ]
    leap = dataclasses.replace(fifth, start_date=date(2028, 1, 1))
    assert dates(leap, date(2028, 2, 1), date(2028, 2, 29)) == [date(2028, 2, 29)]


@pytest.mark.parametrize(
    "recurrence",
    [
        rule(weekday=SAT, start_date=date(2025, 12, 30)),
        rule(Frequency.WEEKLY, FRI, interval=2, start_date=date(2026, 2, 26)),
        rule(
            Frequency.WEEKLY,
            MON,
            interval=2,
            start_date=date(2025, 6, 30),
            end_date=date(2027, 3, 1),
        ),
        rule(Frequency.MONTHLY, WED, month_weeks=(2, 4), start_date=date(2025, 11, 12)),
        rule(Frequency.MONTHLY, SUN, month_weeks=(1, 5, -1), start_date=date(2026, 5, 31)),
        rule(Frequency.MONTHLY, TUE, month_weeks=(-1,), end_date=date(2027, 2, 23)),
    ],
    ids=["saturdays", "other-fridays", "other-mondays-ended", "2nd-4th-wed", "sundays", "last-tue"],
)
def test_expansion_matches_calendar_arithmetic_for_any_window(recurrence):
    whole = brute_force_dates(recurrence, date(2025, 1, 1), date(2028, 12, 31))
    assert whole == dates(recurrence, date(2025, 1, 1), date(2028, 12, 31))
    # Windows that start late (the expansion skips ahead) give the same dates.
    for offset in range(0, 1200, 37):
        start = date(2025, 6, 1) + timedelta(days=offset)
        end = start + timedelta(weeks=8)
        assert dates(recurrence, start, end) == [d for d in whole if start <= d <= end]


# --- Summer time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "offsets_hours"),
    [
        # Summer time starts on Sunday 29 March 2026: UTC+1 -> UTC+2.
        (date(2026, 3, 26), date(2026, 4, 2), (1, 2)),
        # It ends on Sunday 25 October 2026: UTC+2 -> UTC+1.
        (date(2026, 10, 22), date(2026, 10, 29), (2, 1)),
    ],
)
def test_nine_oclock_stays_nine_oclock_across_summer_time(before, after, offsets_hours):
    thursdays = rule(weekday=THU, start_time=time(9), end_time=time(12))
    first, second = occurrences(thursdays, before, after)
    assert (first.date, second.date) == (before, after)
    assert first.start.hour == second.start.hour == 9
    assert first.end.hour == second.end.hour == 12
    assert first.start.utcoffset() == timedelta(hours=offsets_hours[0])
    assert second.start.utcoffset() == timedelta(hours=offsets_hours[1])
    # A week minus or plus one hour of real time.
    elapsed = second.start.astimezone(UTC) - first.start.astimezone(UTC)
    assert elapsed == timedelta(days=7, hours=offsets_hours[0] - offsets_hours[1])


def test_a_sunday_permanence_on_the_day_of_the_change():
    sundays = rule(weekday=SUN, start_time=time(9), end_time=time(12))
    spring, autumn = (
        occurrences(sundays, date(2026, 3, 29), date(2026, 3, 29))[0],
        occurrences(sundays, date(2026, 10, 25), date(2026, 10, 25))[0],
    )
    assert spring.start.hour == autumn.start.hour == 9
    assert spring.start.utcoffset() == timedelta(hours=2)
    assert autumn.start.utcoffset() == timedelta(hours=1)
    assert spring.end - spring.start == timedelta(hours=3)


# --- Exceptions and end date ------------------------------------------------------------------


def test_cancelled_dates_are_kept_and_marked_and_extra_dates_added():
    onet = rule(
        Frequency.MONTHLY,
        TUE,
        month_weeks=(1, 3),
        cancelled={date(2026, 3, 17): "Fermeture exceptionnelle du CCAS"},
        extra_dates=(date(2026, 3, 26), date(2026, 3, 3)),  # the 3rd is already a date
    )
    result = occurrences(onet, date(2026, 3, 1), date(2026, 3, 31))
    assert [(o.date.day, o.cancelled, o.extra) for o in result] == [
        (3, False, False),
        (17, True, False),
        (26, False, True),
    ]
    assert result[1].reason == "Fermeture exceptionnelle du CCAS"
    assert result[2].start.hour == 9 and result[2].end.hour == 12
    # A cancelled date that is not a date of the rule adds nothing.
    stray = dataclasses.replace(onet, cancelled={date(2026, 3, 18): "?"})
    assert [o.date.day for o in occurrences(stray, date(2026, 3, 1), date(2026, 3, 31))] == [
        3,
        17,
        26,
    ]


def test_an_extra_date_can_be_cancelled_and_lies_outside_the_rule_period():
    recurrence = rule(
        weekday=THU,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        extra_dates=(date(2026, 2, 24), date(2026, 4, 8)),
        cancelled={date(2026, 4, 8): "Grève"},
    )
    result = occurrences(recurrence, date(2026, 2, 1), date(2026, 4, 30))
    assert [(o.date, o.extra, o.cancelled) for o in result] == [
        (date(2026, 2, 24), True, False),
        (date(2026, 3, 5), False, False),
        (date(2026, 3, 12), False, False),
        (date(2026, 3, 19), False, False),
        (date(2026, 3, 26), False, False),
        (date(2026, 4, 8), True, True),
    ]


def test_end_date_is_inclusive_and_start_date_bounds_the_rule():
    recurrence = rule(weekday=THU, start_date=date(2026, 12, 3), end_date=date(2026, 12, 31))
    assert dates(recurrence, date(2026, 11, 1), date(2027, 2, 1)) == [
        date(2026, 12, 3),
        date(2026, 12, 10),
        date(2026, 12, 17),
        date(2026, 12, 24),
        date(2026, 12, 31),
    ]
    assert dates(recurrence, date(2026, 12, 31), date(2026, 12, 31)) == [date(2026, 12, 31)]
    assert dates(recurrence, date(2027, 1, 1), date(2027, 12, 31)) == []


def test_merge_occurrences_sorts_rules_into_one_agenda():
    thursdays = rule(weekday=THU, start_time=time(14), end_time=time(17))
    thursday_mornings = rule(weekday=THU, start_time=time(9), end_time=time(12))
    tuesdays = rule(Frequency.MONTHLY, TUE, month_weeks=(1, 3))
    window = (date(2026, 3, 1), date(2026, 3, 14))
    merged = merge_occurrences(
        occurrences(r, *window) for r in (thursdays, tuesdays, thursday_mornings)
    )
    assert [(o.date.day, o.start.hour) for o in merged] == [
        (3, 9),
        (5, 9),
        (5, 14),
        (12, 9),
        (12, 14),
    ]
    assert all(isinstance(o, Occurrence) for o in merged)


# --- Validation -------------------------------------------------------------------------------


def test_a_valid_rule_has_no_error_even_when_start_date_is_not_on_the_weekday():
    assert validate(rule(weekday=THU, start_date=date(2026, 1, 5))) == {}
    assert validate(rule(Frequency.MONTHLY, TUE, month_weeks=(1, -1))) == {}


def test_validate_messages():
    assert validate(rule(start_time=time(14), end_time=time(14))) == {
        "end_time": "L'heure de fin doit être après l'heure de début."
    }
    assert validate(rule(Frequency.MONTHLY, TUE)) == {
        "month_weeks": "Choisissez au moins une semaine du mois (1er, 2e, 3e, 4e, 5e ou dernier)."
    }
    assert validate(rule(Frequency.WEEKLY, TUE, month_weeks=(1,))) == {
        "month_weeks": "Les semaines du mois ne servent qu'avec la fréquence "
        "« Certaines semaines du mois »."
    }
    assert validate(rule(Frequency.MONTHLY, TUE, month_weeks=(6,))) == {
        "month_weeks": "Les semaines du mois possibles sont : 1er, 2e, 3e, 4e, 5e et dernier."
    }
    assert validate(rule(start_date=date(2026, 3, 1), end_date=date(2026, 2, 28))) == {
        "end_date": "La date de fin doit être le même jour que la date de début ou après."
    }
    # Between a Friday and the next Wednesday there is no Thursday.
    assert validate(rule(weekday=THU, start_date=date(2026, 3, 6), end_date=date(2026, 3, 11))) == {
        "end_date": "Aucune date de cette règle ne tombe entre la date de début et la date de fin."
    }
    assert validate(rule(frequency="daily", weekday=9, interval=5)) == {
        "frequency": "Choisissez une fréquence dans la liste.",
        "weekdays": "Choisissez un jour de la semaine (du lundi au dimanche).",
        "interval": "Choisissez un rythme dans la liste.",
    }
    assert validate(rule(weekdays=())) == {"weekdays": "Cochez au moins un jour de la semaine."}


# --- RFC 5545 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recurrence", "expected"),
    [
        (rule(weekday=THU, start_time=time(14), end_time=time(17)), "FREQ=WEEKLY;BYDAY=TH"),
        (rule(Frequency.MONTHLY, TUE, month_weeks=(3, 1)), "FREQ=MONTHLY;BYDAY=1TU,3TU"),
        (rule(Frequency.MONTHLY, TUE, month_weeks=(-1,)), "FREQ=MONTHLY;BYDAY=-1TU"),
        (rule(Frequency.MONTHLY, FRI, month_weeks=(-1, 5, 2)), "FREQ=MONTHLY;BYDAY=2FR,5FR,-1FR"),
        (
            rule(Frequency.WEEKLY, WED, interval=2, end_date=date(2025, 12, 31)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;WKST=MO;UNTIL=20251231T225959Z",
        ),
        # In summer, the end of the day in Paris is 21:59:59 UTC.
        (
            rule(weekday=MON, end_date=date(2026, 7, 14)),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260714T215959Z",
        ),
    ],
)
def test_to_rrule(recurrence, expected):
    assert to_rrule(recurrence) == expected


def test_to_rrule_refuses_an_invalid_rule():
    with pytest.raises(ValueError, match="au moins une semaine du mois"):
        to_rrule(rule(Frequency.MONTHLY, TUE))


# --- Plain French -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recurrence", "text"),
    [
        (rule(weekday=THU, start_time=time(14), end_time=time(17)), "chaque jeudi, de 14 h à 17 h"),
        (
            rule(Frequency.MONTHLY, TUE, month_weeks=(1, 3)),
            "1er et 3e mardis du mois, de 9 h à 12 h",
        ),
        (
            rule(Frequency.MONTHLY, TUE, month_weeks=(-1,), start_time=time(9, 30)),
            "le dernier mardi du mois, de 9 h 30 à 12 h",
        ),
        (
            rule(Frequency.WEEKLY, WED, interval=2, start_time=time(14), end_time=time(16, 30)),
            "un mercredi sur deux à partir du 7 janvier 2026, de 14 h à 16 h 30",
        ),
        (
            rule(Frequency.MONTHLY, SAT, month_weeks=(-1, 2, 4)),
            "2e, 4e et dernier samedis du mois, de 9 h à 12 h",
        ),
        (rule(Frequency.MONTHLY, FRI, month_weeks=(2,)), "le 2e vendredi du mois, de 9 h à 12 h"),
        (
            rule(Frequency.MONTHLY, TUE, month_weeks=(1, 3), end_date=date(2025, 12, 31)),
            "1er et 3e mardis du mois, de 9 h à 12 h, jusqu'au 31 décembre 2025",
        ),
        (
            rule(weekday=MON, start_time=time(8, 5), end_time=time(9), end_date=date(2026, 7, 1)),
            "chaque lundi, de 8 h 05 à 9 h, jusqu'au 1er juillet 2026",
        ),
    ],
)
def test_describe(recurrence, text):
    assert describe(recurrence) == text


def test_describe_refuses_choices_that_make_no_rule():
    with pytest.raises(ValueError, match="au moins une semaine du mois"):
        describe(rule(Frequency.MONTHLY, TUE))


def test_time_range_and_date_wording():
    assert describe_time_range(time(9), time(12)) == "de 9 h à 12 h"
    assert describe_time_range(time(13, 30), time(17, 45)) == "de 13 h 30 à 17 h 45"
    assert format_date(date(2026, 2, 1)) == "1er février 2026"
    assert format_date(date(2026, 8, 15)) == "15 août 2026"
    assert format_date(date(2026, 3, 3), weekday=True) == "mardi 3 mars 2026"


def test_choices_offered_to_editors_are_french():
    assert [str(label) for _value, label in WEEKDAY_CHOICES][:2] == ["lundi", "mardi"]
    assert [value for value, _label in WEEKDAY_CHOICES] == list(range(7))
    assert dict(MONTH_WEEK_CHOICES)[-1] == "dernier"
    assert Frequency.MONTHLY.label == "Certaines semaines du mois"
    assert dict(INTERVAL_CHOICES)[2] == "une fois sur deux (une semaine ou un mois sur deux)"


def test_benchmark_runs_on_a_small_sample():
    from bench.schedules import build_recurrences, run

    sample = build_recurrences(12, date(2026, 3, 2))
    assert {r.frequency for r in sample} == set(Frequency.values)
    assert all(validate(r) == {} for r in sample)
    result = run(count=12, weeks=8, repetitions=2)
    assert result.count == 12 and result.occurrences > 12
    assert len(result.cold_ms) == len(result.warm_cpu_ms) == 2


# --- New rhythms over a year that crosses both summer-time changes (29 March, 25 October) -----


def _over_2026(recurrence: Recurrence) -> list[Occurrence]:
    found = occurrences(recurrence, *YEAR_2026)
    # The oracle agrees, and 9:00 stays 9:00 in winter (UTC+1) and in summer (UTC+2).
    assert [o.date for o in found] == brute_force_dates(recurrence, *YEAR_2026)
    assert {(o.start.hour, o.start.minute) for o in found} == {
        (recurrence.start_time.hour, recurrence.start_time.minute)
    }
    assert {o.start.utcoffset() for o in found} == {timedelta(hours=1), timedelta(hours=2)}
    return found


YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))


def _days(found: list[Occurrence]) -> list[str]:
    return [f"{o.date:%m-%d}" for o in found]


def test_every_third_wednesday_counted_from_the_first_one_after_the_start_date():
    every_third = rule(Frequency.WEEKLY, WED, interval=3, start_date=date(2026, 1, 13))
    assert _days(_over_2026(every_third)) == [
        "01-14", "02-04", "02-25", "03-18", "04-08", "04-29", "05-20", "06-10", "07-01",
        "07-22", "08-12", "09-02", "09-23", "10-14", "11-04", "11-25", "12-16",
    ]  # fmt: skip
    assert to_rrule(every_third) == "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE;WKST=MO"


def test_tuesday_and_thursday_every_other_week_share_the_same_weeks():
    # Starting on a Wednesday: the first date is that week's Thursday; the Tuesday and the
    # Thursday then come in the same weeks, one week in two, never on alternate weeks.
    both = rule(Frequency.WEEKLY, weekdays=(THU, TUE), interval=2, start_date=date(2026, 1, 7))
    found = _over_2026(both)
    assert _days(found)[:9] == [
        "01-08", "01-20", "01-22", "02-03", "02-05", "02-17", "02-19", "03-03", "03-05",
    ]  # fmt: skip
    assert _days(found)[-4:] == ["12-08", "12-10", "12-22", "12-24"]
    weeks = {o.date.isocalendar().week for o in found}
    assert all(week + 1 not in weeks for week in weeks)
    assert len(found) == 51
    assert to_rrule(both) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO"
    # Late windows (the expansion skips ahead to a Monday) lose no Tuesday.
    assert _days(occurrences(both, date(2026, 10, 28), date(2026, 11, 13))) == [
        "10-29", "11-10", "11-12",
    ]  # fmt: skip


def test_mondays_and_wednesdays_every_week():
    found = _over_2026(rule(Frequency.WEEKLY, weekdays=(MON, WED)))
    assert len(found) == 104
    assert {o.date.weekday() for o in found} == {MON, WED}
    assert _days(found)[:4] == ["01-05", "01-07", "01-12", "01-14"]


def test_first_wednesday_every_other_month():
    every_other_month = rule(
        Frequency.MONTHLY, WED, month_weeks=(1,), interval=2, start_date=date(2026, 1, 13)
    )
    # The first 1st Wednesday after 13 January is 4 February: February, April, June…
    assert _days(_over_2026(every_other_month)) == [
        "02-04", "04-01", "06-03", "08-05", "10-07", "12-02",
    ]  # fmt: skip
    assert to_rrule(every_other_month) == "FREQ=MONTHLY;INTERVAL=2;BYDAY=1WE"
    # Windows read later keep the even months.
    assert _days(occurrences(every_other_month, date(2027, 1, 1), date(2027, 5, 31))) == [
        "02-03", "04-07",
    ]  # fmt: skip


def test_fifth_monday_every_month_that_has_one():
    fifth = rule(Frequency.MONTHLY, MON, month_weeks=(5,))
    assert _days(_over_2026(fifth)) == ["03-30", "06-29", "08-31", "11-30"]


def test_a_session_without_a_published_end():
    afternoons = rule(weekday=THU, start_time=time(14), end_time=None)
    found = _over_2026(afternoons)
    assert all(o.end is None for o in found)
    first = found[0]
    assert first.over_at == datetime(2026, 1, 2, tzinfo=PARIS)
    assert validate(afternoons) == {}
    assert to_rrule(afternoons) == "FREQ=WEEKLY;BYDAY=TH"


def test_an_extra_date_carries_its_note():
    recurrence = rule(
        extra_dates=(date(2026, 3, 10),), notes={date(2026, 3, 10): "Permanence exceptionnelle"}
    )
    (extra,) = [o for o in occurrences(recurrence, date(2026, 3, 1), date(2026, 3, 31)) if o.extra]
    assert (extra.date, extra.note) == (date(2026, 3, 10), "Permanence exceptionnelle")


@pytest.mark.parametrize(
    ("recurrence", "today", "text"),
    [
        (rule(weekdays=(WED, MON)), None, "les lundis et mercredis, de 9 h à 12 h"),
        (
            rule(
                weekday=WED,
                interval=2,
                start_date=date(2026, 1, 14),
                start_time=time(14),
                end_time=time(16, 30),
            ),
            date(2027, 1, 5),
            "un mercredi sur deux à partir du 13 janvier, de 14 h à 16 h 30",
        ),
        (
            rule(
                Frequency.MONTHLY, WED, month_weeks=(1,), interval=2, start_date=date(2026, 1, 13)
            ),
            date(2026, 1, 20),
            "le 1er mercredi, un mois sur deux à partir du 4 février, de 9 h à 12 h",
        ),
        (
            rule(Frequency.MONTHLY, MON, month_weeks=(5,)),
            None,
            "le 5e lundi du mois (les mois qui en ont un), de 9 h à 12 h",
        ),
        (
            rule(Frequency.MONTHLY, TUE, month_weeks=(1, 5)),
            None,
            "1er et 5e mardis du mois (le 5e, les mois qui en ont un), de 9 h à 12 h",
        ),
        (
            rule(weekday=THU, start_time=time(14), end_time=None),
            None,
            "chaque jeudi, à partir de 14 h",
        ),
        (
            rule(weekdays=(TUE, THU), interval=2, start_date=date(2026, 1, 7)),
            None,
            "les mardis et jeudis, une semaine sur deux à partir du 8 janvier 2026, de 9 h à 12 h",
        ),
        (
            rule(weekday=WED, interval=3, start_date=date(2026, 1, 13), end_date=date(2026, 6, 30)),
            date(2026, 2, 1),
            "un mercredi sur trois à partir du 4 février, de 9 h à 12 h, jusqu'au 30 juin 2026",
        ),
    ],
    ids=["two-days", "other-week", "other-month", "fifth", "1st-5th", "no-end", "days-other", "3"],
)
def test_describe_new_rhythms(recurrence, today, text):
    assert describe(recurrence, today) == text
