"""`manage.py anonymise_expired --as-of AAAA-MM-JJ [--dry-run]`: the daily retention run
(workflows.services.retention) by hand, as of a given day, and what it did or would do,
counted by organisation. No name is printed."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from access_log.models import Channel
from territories.models import Organisation

from ...services.retention import RetentionReport, anonymise_expired
from ._dates import add_as_of_arguments, as_of_day


class Command(BaseCommand):
    help = (
        "Clôt les parcours restés sans contact pendant la durée de conservation de leur "
        "Mission Locale, puis anonymise les jeunes concernés."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_as_of_arguments(
            parser,
            as_of_help="Le jour de référence (à minuit) ; aujourd'hui par défaut.",
            dry_run_help="Compter seulement : rien n'est modifié.",
        )

    def handle(self, *args, **options) -> None:
        day = as_of_day(options["as_of"])
        dry_run = options["dry_run"]
        now = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        report = anonymise_expired(now, dry_run=dry_run, channel=Channel.COMMAND)
        if dry_run:
            self.stdout.write(
                f"Simulation au {day:%d/%m/%Y} : rien n'est modifié, voici ce qui serait fait."
            )
        else:
            self.stdout.write(f"Conservation des données au {day:%d/%m/%Y}.")
        self._write_report(report, dry_run)

    def _write_report(self, report: RetentionReport, dry_run: bool) -> None:
        organisation_ids = set(report.closed) | set(report.anonymised)
        names = dict(
            Organisation.objects.filter(pk__in=organisation_ids - {None}).values_list("pk", "name")
        )
        closed_verb = "seraient clos" if dry_run else "clos"
        anonymised_verb = "seraient anonymisés" if dry_run else "anonymisés"
        for organisation_id in sorted(organisation_ids, key=lambda pk: names.get(pk, "")):
            name = names.get(organisation_id, "Sans Mission Locale")
            self.stdout.write(
                f"  {name} : {report.closed[organisation_id]} parcours sans contact "
                f"{closed_verb}, {report.anonymised[organisation_id]} jeune(s) "
                f"{anonymised_verb}."
            )
        total_closed = sum(report.closed.values())
        total_anonymised = sum(report.anonymised.values())
        if not organisation_ids:
            self.stdout.write("  Rien à faire : aucune durée de conservation n'est dépassée.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Total : {total_closed} parcours {closed_verb}, "
                f"{total_anonymised} jeune(s) {anonymised_verb}."
            )
        )
