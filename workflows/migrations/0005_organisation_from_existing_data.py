"""Gives today's rows their organisation (docs/architecture.md, "Organisations").

- A staff profile takes its antenna's organisation.
- A pathway takes its antenna's organisation, else its référent's, else the organisation of
  whoever identified it; a maraude takes its mediator's.
- A definition is attached to the organisation most of its pathways belong to (the first
  organisation when it has none). For every other organisation that has pathways on it, a
  copy is made (same name, same live version, as a new revision of the copy) and that
  organisation's pathways are re-pointed to their copy: every pathway keeps the stages and
  transitions it follows, and each organisation can now edit its own. The history keeps
  pointing at the revisions it ran under.
- A pathway still without organisation takes its definition's.
"""

from collections import Counter

from django.db import migrations


def _profile_organisations(StaffProfile) -> dict[int, int]:
    return dict(
        StaffProfile.objects.filter(organisation__isnull=False).values_list(
            "user_id", "organisation_id"
        )
    )


def _copy_definition(WorkflowDefinition, Revision, definition, organisation_id):
    """A copy of `definition` for another organisation, published at the same version."""
    live_revision = definition.live_revision
    copy = WorkflowDefinition.objects.get(pk=definition.pk)
    copy.pk = None
    copy.organisation_id = organisation_id
    copy.live_revision = None
    copy.latest_revision = None
    copy.locked, copy.locked_at, copy.locked_by = False, None, None
    copy.save()
    if live_revision is not None:
        content = dict(live_revision.content)
        content.update(pk=copy.pk, id=copy.pk, organisation=organisation_id)
        revision = Revision.objects.create(
            content_type_id=live_revision.content_type_id,
            base_content_type_id=live_revision.base_content_type_id,
            object_id=str(copy.pk),
            object_str=live_revision.object_str,
            content=content,
            user_id=live_revision.user_id,
            created_at=live_revision.created_at,
        )
        copy.live_revision = revision
        copy.latest_revision = revision
        copy.save(update_fields=["live_revision", "latest_revision"])
    return copy


def forwards(apps, schema_editor):
    Antenna = apps.get_model("territories", "Antenna")
    Organisation = apps.get_model("territories", "Organisation")
    StaffProfile = apps.get_model("workflows", "StaffProfile")
    Pathway = apps.get_model("workflows", "Pathway")
    OutreachRound = apps.get_model("workflows", "OutreachRound")
    WorkflowDefinition = apps.get_model("workflows", "WorkflowDefinition")
    Revision = apps.get_model("wagtailcore", "Revision")

    antenna_organisation = dict(Antenna.objects.values_list("pk", "organisation_id"))
    for profile in StaffProfile.objects.filter(organisation__isnull=True, antenna__isnull=False):
        profile.organisation_id = antenna_organisation[profile.antenna_id]
        profile.save(update_fields=["organisation"])
    of_user = _profile_organisations(StaffProfile)

    for pathway in Pathway.objects.filter(organisation__isnull=True):
        organisation_id = (
            antenna_organisation.get(pathway.antenna_id)
            or of_user.get(pathway.referent_id)
            or of_user.get(pathway.identified_by_id)
        )
        if organisation_id:
            pathway.organisation_id = organisation_id
            pathway.save(update_fields=["organisation"])
    for outreach_round in OutreachRound.objects.filter(
        organisation__isnull=True, mediator__isnull=False
    ):
        if outreach_round.mediator_id in of_user:
            outreach_round.organisation_id = of_user[outreach_round.mediator_id]
            outreach_round.save(update_fields=["organisation"])

    first_organisation = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    for definition in WorkflowDefinition.objects.filter(organisation__isnull=True).order_by("pk"):
        counts = Counter(
            Pathway.objects.filter(definition=definition, organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        ranked = sorted(counts, key=lambda pk: (-counts[pk], pk))
        owner = ranked[0] if ranked else first_organisation
        definition.organisation_id = owner
        definition.save(update_fields=["organisation"])
        for organisation_id in ranked[1:]:
            copy = _copy_definition(WorkflowDefinition, Revision, definition, organisation_id)
            Pathway.objects.filter(definition=definition, organisation_id=organisation_id).update(
                definition=copy
            )
        Pathway.objects.filter(definition=definition, organisation__isnull=True).update(
            organisation_id=owner
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0004_organisation_fields"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
