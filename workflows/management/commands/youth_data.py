"""`manage.py youth_data export <id> [--output FILE]` and `manage.py youth_data erase <id>
--reason TEXT [--yes]`: a young person's rights answered from the command line, through the
same services as the admin's "Droits des jeunes" screen (services.subject_rights), logged
with the command-line channel."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from access_log.models import Channel

from ...models import Youth
from ...services.subject_rights import ERASURE_CONSEQUENCES, erase_youth, export_youth


class Command(BaseCommand):
    help = (
        "Droits d'un jeune : « export <n°> » écrit tout ce qui est conservé sur lui en JSON ; "
        "« erase <n°> --reason MOTIF » l'efface définitivement."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, title="actions")
        export = actions.add_parser("export", help="Tout ce qui est conservé sur le jeune (JSON).")
        export.add_argument("youth_id", type=int, help="Numéro du jeune.")
        export.add_argument(
            "--output", "-o", help="Fichier où écrire le JSON (par défaut : la sortie standard)."
        )
        erase = actions.add_parser("erase", help="Efface le jeune et tout ce qui le concerne.")
        erase.add_argument("youth_id", type=int, help="Numéro du jeune.")
        erase.add_argument(
            "--reason",
            required=True,
            help="Motif de l'effacement (sans donnée personnelle), inscrit au journal.",
        )
        erase.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            dest="assume_yes",
            action="store_true",
            help="Ne pas demander de confirmation.",
        )

    def handle(self, *args, action, youth_id, **options):
        youth = Youth.objects.filter(pk=youth_id).first()
        if youth is None:
            raise CommandError(f"Aucun jeune n° {youth_id}.")
        if action == "export":
            self._export(youth, options.get("output"))
        else:
            self._erase(youth, options["reason"], assume_yes=options["assume_yes"])

    def _export(self, youth: Youth, output: str | None) -> None:
        text = json.dumps(
            export_youth(youth, channel=Channel.COMMAND), ensure_ascii=False, indent=2
        )
        if not output:
            self.stdout.write(text)
            return
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Impossible d'écrire {output} : {error.strerror}.") from None
        self.stderr.write(f"Données du jeune n° {youth.pk} écrites dans {output}.")

    def _erase(self, youth: Youth, reason: str, *, assume_yes: bool) -> None:
        if not reason.strip():
            raise CommandError("Indiquez le motif de l'effacement avec --reason.")
        pk = youth.pk
        if not assume_yes:
            self.stdout.write(
                f"Effacer définitivement le jeune n° {pk} ? Seront supprimés :\n"
                + "\n".join(f"  - {line}" for line in ERASURE_CONSEQUENCES)
                + "\nRien ne pourra être récupéré."
            )
            if input("Tapez « oui » pour confirmer : ").strip().lower() != "oui":
                raise CommandError("Effacement annulé : rien n'a été modifié.")
        try:
            counts = erase_youth(youth, reason=reason, channel=Channel.COMMAND)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Jeune n° {pk} effacé : {counts['pathways']} parcours supprimé(s), "
            f"{counts['copies']} copie(s) effacée(s), nom retiré de "
            f"{counts['outreach_rounds']} maraude(s)."
        )
