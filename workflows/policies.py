"""Who may see and do what. Roles are Django groups; every scope starts with the user's
organisation (their staff profile's Mission Locale), then the antenna and caseload. Every
selector starts from `visible_pathways` (or `visible_definitions`, `visible_rounds`), and the
transition service asks `can_fire`. A superuser works across organisations; their reads of
another organisation's pathways are logged (access_logging)."""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet

# The role names live beside the other vocabularies (the models offer them); named here too,
# where every screen, service and test has always found them.
from .choices import COORDINATORS as COORDINATORS
from .choices import COUNSELLORS as COUNSELLORS
from .choices import DATA_PROTECTION_OFFICERS as DATA_PROTECTION_OFFICERS
from .choices import DIRECTION as DIRECTION
from .choices import MEDIATORS as MEDIATORS
from .choices import NETWORK as NETWORK
from .choices import ROLES as ROLES
from .models import OutreachRound, Pathway, StaffProfile, WorkflowDefinition
from .specs import TransitionSpec

# Those who go out on maraudes and record them.
FIELD_ROLES = frozenset({COORDINATORS, MEDIATORS})


def group_names(user) -> frozenset[str]:
    """Cached on the user object: a page asks several times."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_workflow_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._workflow_group_names = cached
    return cached


def _staff_place(user) -> tuple[int | None, int | None]:
    """(organisation id, antenna id) of the user's staff profile, read once per request:
    cached on the user object, as the screens and the API ask many times."""
    if user is None or not user.is_authenticated:
        return (None, None)
    cached = getattr(user, "_workflow_staff_place", None)
    if cached is None:
        row = (
            StaffProfile.objects.filter(user=user)
            .values_list("organisation_id", "antenna_id")
            .first()
        )
        cached = (row[0], row[1]) if row else (None, None)
        user._workflow_staff_place = cached
    return cached


def user_organisation_id(user) -> int | None:
    """The Mission Locale the user works for (None: no staff profile, or none set)."""
    return _staff_place(user)[0]


def user_antenna_id(user) -> int | None:
    return _staff_place(user)[1]


def works_across_organisations(user) -> bool:
    """Superusers (the regional association, the information system's operators) are not
    held to one organisation; everyone else is."""
    return bool(user and user.is_authenticated and user.is_superuser)


def in_scope_organisation(user, organisation_id: int | None) -> bool:
    """Whether a row of `organisation_id` is in the user's organisation scope."""
    if works_across_organisations(user):
        return True
    own = user_organisation_id(user)
    return own is not None and organisation_id == own


def is_coordinator(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or COORDINATORS in group_names(user))
    )


def is_data_protection_officer(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or DATA_PROTECTION_OFFICERS in group_names(user))
    )


def can_handle_data_rights(user) -> bool:
    """Who answers a young person's rights and reads the access log: the organisation's
    data protection officer and its coordinators (each within their organisation)."""
    return is_data_protection_officer(user) or is_coordinator(user)


def has_workflow_role(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or group_names(user) & set(ROLES))
    )


def of_users_organisation(user, queryset: QuerySet, lookup: str = "organisation_id") -> QuerySet:
    """Rows of the user's organisation (every row for a superuser; none without one).
    `lookup` names the path from a row to its organisation's id (for staff:
    "staff_profile__organisation_id"; for organisations themselves: "pk")."""
    if works_across_organisations(user):
        return queryset
    organisation_id = user_organisation_id(user)
    if organisation_id is None:
        return queryset.none()
    return queryset.filter(**{lookup: organisation_id})


def visible_pathways(user, queryset: QuerySet | None = None) -> QuerySet:
    """Within the user's organisation: coordinators see every pathway; counsellors their
    caseload (référent) and their antenna's; mediators the ones they identified or follow.
    Superusers see every organisation's. Anyone else sees none."""
    queryset = Pathway.objects.all() if queryset is None else queryset
    if not has_workflow_role(user):
        return queryset.none()
    queryset = of_users_organisation(user, queryset)
    if is_coordinator(user):
        return queryset
    groups = group_names(user)
    scope = Q(referent=user)
    if COUNSELLORS in groups:
        antenna_id = user_antenna_id(user)
        if antenna_id is not None:
            scope |= Q(antenna_id=antenna_id)
    if MEDIATORS in groups:
        scope |= Q(identified_by=user)
    return queryset.filter(scope)


def can_view_pathway(user, pathway) -> bool:
    """The same rule as `visible_pathways`, read from a loaded pathway (no query once the
    user's groups and antenna are cached)."""
    if not has_workflow_role(user):
        return False
    if not in_scope_organisation(user, pathway.organisation_id):
        return False
    if is_coordinator(user) or pathway.referent_id == user.pk:
        return True
    groups = group_names(user)
    if (
        COUNSELLORS in groups
        and pathway.antenna_id is not None
        and pathway.antenna_id == user_antenna_id(user)
    ):
        return True
    return MEDIATORS in groups and pathway.identified_by_id == user.pk


def visible_definitions(user, queryset: QuerySet | None = None) -> QuerySet:
    """The workflow definitions of the user's organisation (every one for a superuser):
    the editor's list, the board's choice, the API."""
    queryset = WorkflowDefinition.objects.all() if queryset is None else queryset
    if not has_workflow_role(user):
        return queryset.none()
    return of_users_organisation(user, queryset)


def visible_rounds(user, queryset: QuerySet | None = None) -> QuerySet:
    """Maraudes scoped as pathways are, within the user's organisation: coordinators see
    every round; mediators their own and those led by their antenna's staff; counsellors
    their antenna's (a maraude's antenna is its mediator's). Superusers see every
    organisation's; anyone else (communication, data protection) none: a round's notes
    name the young people met."""
    queryset = OutreachRound.objects.all() if queryset is None else queryset
    if not has_workflow_role(user):
        return queryset.none()
    queryset = of_users_organisation(user, queryset)
    if is_coordinator(user):
        return queryset
    groups = group_names(user)
    scopes = []
    if MEDIATORS in groups:
        scopes.append(Q(mediator=user))
    antenna_id = user_antenna_id(user)
    if antenna_id is not None and groups & {MEDIATORS, COUNSELLORS}:
        scopes.append(Q(mediator__staff_profile__antenna_id=antenna_id))
    if not scopes:
        return queryset.none()
    return queryset.filter(reduce(operator.or_, scopes))


def can_record_rounds(user) -> bool:
    """Who records maraudes at all: mediators and coordinators."""
    return bool(
        user and user.is_authenticated and (user.is_superuser or group_names(user) & FIELD_ROLES)
    )


def can_lead_round_as(user, mediator) -> bool:
    """Whom `user` may name as a maraude's mediator: a mediator only themselves; a
    coordinator anyone of their organisation, or nobody; a superuser anyone."""
    if not can_record_rounds(user):
        return False
    if mediator is not None and mediator.pk == user.pk:
        return True
    if not is_coordinator(user):
        return False
    return mediator is None or in_scope_organisation(user, user_organisation_id(mediator))


def can_change_round(user, outreach_round) -> bool:
    """A mediator changes their own rounds, a coordinator every round of the organisation."""
    if not can_record_rounds(user):
        return False
    if not in_scope_organisation(user, outreach_round.organisation_id):
        return False
    return is_coordinator(user) or outreach_round.mediator_id == user.pk


def can_start_pathway_in(user, antenna) -> bool:
    """Where a staff member may open a pathway: in their own antenna; a coordinator, or
    someone attached to no antenna (a mediator covering the whole territory), in any
    antenna of their organisation; a superuser anywhere. The public form (no user) is
    placed by the young person's commune, never by this rule."""
    if user is None or not user.is_authenticated or works_across_organisations(user):
        return True
    if not in_scope_organisation(user, antenna.organisation_id):
        return False
    own_antenna = user_antenna_id(user)
    return is_coordinator(user) or own_antenna is None or antenna.pk == own_antenna


def can_fire(user, transition: TransitionSpec) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(group_names(user) & transition.allowed_groups)


def awaits_referent(pathway) -> bool:
    """A request "à attribuer": open, placed in an antenna, followed by nobody yet. The
    same rule as `selectors.TO_ASSIGN`, read from a loaded pathway."""
    return (
        pathway.closed_at is None and pathway.antenna_id is not None and pathway.referent_id is None
    )


def can_take_pathway(user, pathway) -> bool:
    """ "Je m'en occupe": a counsellor who sees the pathway becomes its référent, while it
    has none."""
    return (
        COUNSELLORS in group_names(user)
        and awaits_referent(pathway)
        and can_view_pathway(user, pathway)
    )


def manages_pathway(user, pathway) -> bool:
    """Who answers for an open pathway: the coordination of its organisation, and its
    référent (a counsellor, on their own caseload). A closed pathway is corrected through
    the data-rights screen only."""
    if pathway.closed_at is not None or not in_scope_organisation(user, pathway.organisation_id):
        return False
    return is_coordinator(user) or (
        COUNSELLORS in group_names(user) and pathway.referent_id == user.pk
    )


def can_assign_pathway(user, pathway) -> bool:
    """A coordinator names (or changes) the référent of an open pathway of their
    organisation; its référent hands it over to a colleague."""
    return manages_pathway(user, pathway)


def can_edit_youth(user, pathway) -> bool:
    """Who corrects the young person's identity and contact details from the pathway
    page: the same people who answer for the pathway."""
    return manages_pathway(user, pathway)


def can_be_referent(person, pathway) -> bool:
    """Who may follow a pathway: an active counsellor of its organisation."""
    return bool(
        person is not None
        and person.is_active
        and COUNSELLORS in group_names(person)
        and user_organisation_id(person) == pathway.organisation_id
    )
