"""`manage.py create_organisation_workflow <slug> [--from <definition id>]`: gives a new
Mission Locale its own workflow definition, a published copy of the default template (or of
another definition). See workflows/services/definition_copies.py."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from territories.models import Organisation

from ...models import WorkflowDefinition
from ...services.definition_copies import copy_definition, default_template


class Command(BaseCommand):
    help = "Crée la définition de parcours d'une Mission Locale, copie du modèle par défaut."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Slug de la Mission Locale.")
        parser.add_argument(
            "--from",
            dest="template_id",
            type=int,
            help="Identifiant de la définition à copier (par défaut : le modèle fourni).",
        )

    def handle(self, *args, slug, template_id=None, **options):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"Aucune Mission Locale « {slug} ».")
        if template_id is None:
            template = default_template()
        else:
            template = WorkflowDefinition.objects.filter(pk=template_id).first()
            if template is None:
                raise CommandError(f"Aucune définition n° {template_id}.")
        try:
            definition = copy_definition(template, organisation)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Définition « {definition.name} » (n° {definition.pk}) publiée pour {organisation}."
        )
