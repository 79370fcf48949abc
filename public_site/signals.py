"""What keeps the occurrence table equal to the rules (public_site.occurrences): a publish,
an unpublish, a rule or an exception saved or deleted refreshes the page's dates in the same
transaction, so a reader never sees rules and dates that disagree.

Connected once from PublicSiteConfig.ready(); Django signals, not Wagtail hooks, because a
rule saved outside the editor (a script, a test, a copy of the page) changes dates too."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from public_site import occurrences
from public_site.models.permanences import PermanencePage
from public_site.models.schedule_rules import ScheduleException, ScheduleRule


def _page_of(instance: ScheduleRule | ScheduleException) -> int | None:
    if isinstance(instance, ScheduleRule):
        return instance.page_id
    return (
        ScheduleRule.objects.filter(pk=instance.rule_id).values_list("page_id", flat=True).first()
    )


def on_page_published(sender, instance: Page, **kwargs) -> None:
    occurrences.refresh_pages([instance.pk])


def on_page_unpublished(sender, instance: Page, **kwargs) -> None:
    occurrences.forget_pages([instance.pk])


def on_schedule_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # fixtures load rows as they are; the nightly run computes their dates
        return
    page_id = _page_of(instance)
    if page_id is not None:
        occurrences.refresh_pages([page_id])


def _deleted_with_its_page(origin: object) -> bool:
    """A rule deleted because its page is: the page's dates go with it (cascade), and
    recomputing them would insert rows for a page about to disappear."""
    if isinstance(origin, QuerySet):
        return issubclass(origin.model, Page)
    return isinstance(origin, Page)


def on_schedule_deleted(sender, instance, origin: object = None, **kwargs) -> None:
    if _deleted_with_its_page(origin):
        return
    page_id = _page_of(instance)
    if page_id is not None:
        occurrences.refresh_pages([page_id])


def connect() -> None:
    uid = "public_site.occurrences"
    page_published.connect(on_page_published, sender=PermanencePage, dispatch_uid=f"{uid}.pub")
    page_unpublished.connect(
        on_page_unpublished, sender=PermanencePage, dispatch_uid=f"{uid}.unpub"
    )
    for model in (ScheduleRule, ScheduleException):
        name = model._meta.model_name
        post_save.connect(on_schedule_saved, sender=model, dispatch_uid=f"{uid}.save.{name}")
        post_delete.connect(on_schedule_deleted, sender=model, dispatch_uid=f"{uid}.del.{name}")
