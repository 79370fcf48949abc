"""`manage.py run_timed_transitions --as-of AAAA-MM-JJ [--dry-run]`: the daily run of the
definitions' timed transitions (workflows.services.timed_transitions) by hand, as of a given
day. Prints each batch as it goes and the pathways moved (or that would move) by number,
never by name, then "N parcours déplacés"."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from access_log.models import Channel

from ...services.timed_transitions import Move, TimedRule, run_timed_transitions
from ._dates import add_as_of_arguments, as_of_day


class Command(BaseCommand):
    help = (
        "Fait franchir aux parcours les transitions automatiques de leur définition "
        "(« après N jours sans contact »…) dues à la date donnée."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_as_of_arguments(
            parser,
            as_of_help="Le jour de référence ; aujourd'hui par défaut.",
            dry_run_help="Montrer seulement ce qui serait déplacé : rien n'est modifié.",
        )

    def handle(self, *args, **options) -> None:
        day = as_of_day(options["as_of"])
        dry_run = options["dry_run"]
        if dry_run:
            self.stdout.write(
                f"Simulation au {day:%d/%m/%Y} : rien n'est modifié, voici ce qui serait fait."
            )
        else:
            self.stdout.write(f"Transitions automatiques au {day:%d/%m/%Y}.")
        report = run_timed_transitions(
            day, dry_run=dry_run, progress=self._progress(dry_run), channel=Channel.COMMAND
        )
        for reason, count in sorted(report.refused.items()):
            self.stdout.write(f"  Refusés par le service ({reason}) : {count} parcours.")
        verb = "seraient déplacés" if dry_run else "déplacés"
        self.stdout.write(self.style.SUCCESS(f"{report.moved} parcours {verb}"))

    def _progress(self, dry_run: bool):
        batches = 0

        def told(rule: TimedRule, moves: list[Move], total: int) -> None:
            nonlocal batches
            batches += 1
            verb = "seraient déplacés" if dry_run else "déplacés"
            self.stdout.write(
                f"Lot {batches} — « {rule.transition.label} » ({rule.transition.code}, "
                f"définition n° {rule.definition_id}) : {len(moves)} parcours {verb}, "
                f"{total} en tout."
            )
            for move in moves:
                self.stdout.write(
                    f"  parcours n° {move.pathway_id} : {move.from_stage} → {move.to_stage}"
                )

        return told
