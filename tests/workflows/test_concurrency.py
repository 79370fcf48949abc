"""Two people fire the same transition at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from workflows.models import Pathway, TransitionRecord
from workflows.services.errors import StalePathway
from workflows.services.transitions import fire_transition


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_transition", [True, False])
def test_two_people_at_once_exactly_one_wins(pathway, counsellor, coordinator, same_transition):
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}
    today = timezone.localdate().isoformat()
    attempts = {
        "first": ("fixer_premier_accueil", {"date_premier_accueil": today}, counsellor),
        "second": (
            ("fixer_premier_accueil", {"date_premier_accueil": today}, coordinator)
            if same_transition
            else ("sortir", {"motif_sortie": "Abandon", "date_sortie": today}, coordinator)
        ),
    }

    def act(name: str) -> None:
        code, answers, actor = attempts[name]
        try:
            seen = Pathway.objects.get(pk=pathway.pk)  # what each person has on screen
            barrier.wait(timeout=10)
            outcomes[name] = fire_transition(seen, code, actor=actor, answers=answers)
        except Exception as error:  # collected and asserted below
            outcomes[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(name,)) for name in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [o for o in outcomes.values() if isinstance(o, Pathway)]
    losers = [o for o in outcomes.values() if isinstance(o, StalePathway)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    fresh = Pathway.objects.get(pk=pathway.pk)
    assert losers[0].current_stage == fresh.stage == winners[0].stage
    assert fresh.version == 1
    assert TransitionRecord.objects.filter(pathway=pathway, kind="transition").count() == 1
