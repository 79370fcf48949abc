"""Every admin registration of the workflow app, in one place as Wagtail's contrib apps do:
the definition snippet, the permission policy, viewset, URLs and menu of the counsellors' and
mediators' screens, the access log's entry in the Reports menu, and the refusals that keep
a definition in use. The screens themselves are in `views/`; see docs/architecture.md."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import admin_urls, home_panels, rights_urls
from .account_settings import WeeklySummarySettingsPanel
from .choices import PathwayChange, ReferentChange
from .menus import DataRightsMenuItem, RoleMenuItem, RoleSubmenuMenuItem
from .models import OutreachRound, WorkflowDefinition
from .permission_policies import ALL_ROLES, COUNSELLING_ROLES, outreach_policy
from .policies import visible_definitions
from .services.drafts import DISCARD_DRAFT_ACTION
from .views.definitions import WorkflowDefinitionViewSet
from .views.outreach_rounds import outreach_round_viewset

# --- account settings -----------------------------------------------------------------------

# A counsellor turns the weekly summary off (or on again) in their account settings.
hooks.register("register_account_settings_panel", WeeklySummarySettingsPanel)

# --- definitions ----------------------------------------------------------------------------

register_snippet(WorkflowDefinitionViewSet)


def _refuse_if_in_use(request, definitions, message):
    in_use = [d for d in definitions if d.pathways.filter(closed_at__isnull=True).exists()]
    if not in_use:
        return None
    messages.error(request, message % {"name": in_use[0].name})
    return redirect(
        reverse("wagtailsnippets_workflows_workflowdefinition:edit", args=[in_use[0].pk])
    )


@hooks.register("before_unpublish")
def refuse_unpublishing_a_definition_in_use(request, instance):
    """Pathways in progress need a live definition to move on."""
    if isinstance(instance, WorkflowDefinition):
        return _refuse_if_in_use(
            request,
            [instance],
            _(
                "« %(name)s » ne peut pas être dépubliée : des parcours en cours la suivent. "
                "Publiez plutôt une nouvelle version."
            ),
        )
    return None


@hooks.register("before_delete_snippet")
def refuse_deleting_a_definition_in_use(request, instances):
    definitions = [i for i in instances if isinstance(i, WorkflowDefinition)]
    return _refuse_if_in_use(
        request,
        definitions,
        _("« %(name)s » ne peut pas être supprimée : des parcours en cours la suivent."),
    )


@hooks.register("before_bulk_action")
def refuse_bulk_actions_on_another_organisations_definitions(request, action_type, objects, view):
    """The bulk actions (delete…) take ids from the query string: another organisation's
    definitions read as absent there too."""
    definitions = [o for o in objects if isinstance(o, WorkflowDefinition)]
    if definitions:
        visible = set(
            visible_definitions(request.user)
            .filter(pk__in=[d.pk for d in definitions])
            .values_list("pk", flat=True)
        )
        if any(d.pk not in visible for d in definitions):
            raise Http404
    return None


@hooks.register("register_log_actions")
def register_discarded_drafts(actions):
    """A discarded draft (services.drafts) shows in the definition's history."""
    actions.register_action(
        DISCARD_DRAFT_ACTION, _("Brouillon abandonné"), _("Brouillon abandonné")
    )


# --- the counsellors' and mediators' screens ------------------------------------------------


@hooks.register("register_log_actions")
def register_pathway_log_actions(actions):
    """Taking a request, naming a référent, correcting the young person's details and
    linking the pathway to a maraude are written to Wagtail's log; the pathway's timeline
    reads them back (selectors.pathway_timeline)."""
    for change in [*ReferentChange, *PathwayChange]:
        actions.register_action(change.value, change.label, change.label)


# Registered before the viewset asks the registry for its model's policy.
register_permission_policy(OutreachRound, outreach_policy)


@hooks.register("register_admin_viewset")
def register_outreach_rounds():
    return outreach_round_viewset


@hooks.register("register_admin_urls")
def register_screen_urls():
    return [path("parcours/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_screens_menu():
    items = [
        RoleMenuItem(
            _("Mes jeunes"),
            "workflows_screens:caseload",
            roles=ALL_ROLES,
            icon_name="group",
            order=1,
        ),
        RoleMenuItem(
            _("Tableau"),
            "workflows_screens:board",
            roles=COUNSELLING_ROLES,
            icon_name="table",
            order=2,
        ),
        RoleMenuItem(
            _("Repérage rapide"),
            "workflows_screens:identification",
            roles=ALL_ROLES,
            icon_name="plus",
            order=3,
        ),
        RoleMenuItem(
            _("Maraudes"),
            outreach_round_viewset.get_url_name("index"),
            roles=ALL_ROLES,
            icon_name="site",
            order=4,
        ),
    ]
    return RoleSubmenuMenuItem(
        _("Parcours"), Menu(items=items), icon_name="user", name="parcours", order=205
    )


@hooks.register("construct_homepage_panels")
def build_home_by_role(request, panels):
    """What each role has to do today, first on the home screen."""
    panels[:0] = home_panels.panels_for(request)


# --- the young people's rights (data-protection officer, coordinators) -----------------------


@hooks.register("register_admin_urls")
def register_rights_urls():
    return [path("droits-des-jeunes/", include(rights_urls))]


@hooks.register("register_reports_menu_item")
def register_rights_menu_item():
    return DataRightsMenuItem(
        _("Droits des jeunes"),
        reverse_lazy("workflows_rights:search"),
        icon_name="lock",
        name="droits-des-jeunes",
        order=900,
    )


@hooks.register("register_reports_menu_item")
def register_access_log_menu_item():
    return DataRightsMenuItem(
        _("Journal des accès"),
        reverse_lazy("workflows_screens:access_log"),
        icon_name="history",
        name="journal-des-acces",
        order=901,
    )
