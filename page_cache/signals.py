"""What makes the page cache forget: any change an anonymous visitor could see.

Receivers are connected without a sender, because snippets register after some apps'
`ready()` and a per-model connection would miss them (docs/architecture.md, "Page cache"). The
generation is bumped on commit, so a worker never re-caches the old content between the
change and the commit, and a rolled-back edit invalidates nothing."""

import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from wagtail.models import BaseViewRestriction, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from page_cache.generation import bump_generation

logger = logging.getLogger(__name__)

# Saves that only record a draft, a lock or a tree count: the live page does not change.
# Wagtail's draft saves and autosaves write exactly these.
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
    }
)


def shows_on_public_pages(instance) -> bool:
    if isinstance(instance, Page | Site | BaseViewRestriction):
        return True
    return (
        instance._meta.app_label in settings.PAGE_CACHE_WATCHED_APPS
        and instance._meta.label not in settings.PAGE_CACHE_IGNORED_MODELS
    )


def invalidate_on_commit(**kwargs) -> None:
    transaction.on_commit(bump_generation)


def on_migrate(**kwargs) -> None:
    """Every deploy runs `migrate`: new code or templates must not be met by HTML that the
    previous release stored, which would otherwise live until midnight."""
    try:
        bump_generation()
    except Exception:  # no cache server during a build: nothing is stored there either
        logger.warning("Cache de pages indisponible : génération non incrémentée.")


def on_save(sender, instance, update_fields=None, **kwargs) -> None:
    if not shows_on_public_pages(instance):
        return
    if update_fields and BOOKKEEPING_FIELDS.issuperset(update_fields):
        return
    invalidate_on_commit()


def on_delete(sender, instance, **kwargs) -> None:
    if shows_on_public_pages(instance):
        invalidate_on_commit()


def on_m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and shows_on_public_pages(instance):
        invalidate_on_commit()


def connect() -> None:
    """Called once from PageCacheConfig.ready()."""
    uid = "page_cache"
    post_save.connect(on_save, dispatch_uid=f"{uid}.save")
    post_delete.connect(on_delete, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid=f"{uid}.m2m")
    # Sent once per app with models: one of them is enough. Wagtail's core app is always
    # installed with this one, and naming it keeps this app free of any of ours.
    core_app = apps.get_app_config("wagtailcore")
    post_migrate.connect(on_migrate, sender=core_app, dispatch_uid=f"{uid}.migrate")
    # Publishing also saves the object, but unpublishing a subtree and moving a page update
    # rows in bulk: these signals are the only trace of them.
    wagtail_signals = {
        "page_published": page_published,
        "page_unpublished": page_unpublished,
        "post_page_move": post_page_move,
        "published": published,
        "unpublished": unpublished,
    }
    for name, signal in wagtail_signals.items():
        signal.connect(invalidate_on_commit, dispatch_uid=f"{uid}.{name}")
