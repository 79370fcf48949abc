"""The demo data gives every figure of the comité de pilotage something to show over the last
twelve months, in Toulouse and in Aveyron (issue 15)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators.selectors import figures
from workflows.choices import PathwaySource
from workflows.models import Pathway


@pytest.mark.parametrize("username", ["coordinatrice", "coordinateur.aveyron"])
def test_every_figure_has_something_to_show_over_the_last_twelve_months(demo_data, username):
    coordinator = get_user_model().objects.get(username=username)
    today = timezone.localdate()
    shown = figures(coordinator, today - datetime.timedelta(days=364), today)

    for key in (
        "identified",
        "outreach_rounds",
        "met_in_rounds",
        "identified_in_rounds",
        "accompanied",
        "support_entries",
        "exits",
        "positive_exit_rate",
        "lost_contact",
        "re_engaged",
        "median_days_to_reception",
        "median_days_to_support",
    ):
        assert shown[key], key
    assert all(shown["identified_by_source"][s] > 0 for s in PathwaySource.values)
    programmes = shown["support_entries_by_programme"]
    assert programmes["cej"] > 0 and programmes["pacea"] > 0 and programmes["other"] > 0
    outcomes = shown["exits_by_outcome"]
    assert outcomes["positive"] > 0 and outcomes["neutral"] > 0 and outcomes["negative"] > 0
    assert 0 < shown["positive_exit_rate"] < 1
    # Spread over the year, not all made today: the pathways were created over at least six
    # months, and the last month alone shows fewer maraudes and young people.
    created = Pathway.objects.filter(organisation=coordinator.staff_profile.organisation)
    assert len(created.dates("created_at", "month")) >= 6
    recent = figures(coordinator, today - datetime.timedelta(days=30), today)
    assert recent["identified"] < shown["identified"]
    assert 0 < recent["outreach_rounds"] < shown["outreach_rounds"]
