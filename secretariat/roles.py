"""Roles as Django groups: which permissions each role carries.

A user's role (User.role) decides their single role group (and whether they may enter the
admin: Secretariat and Committee only); what rows they then see is decided by secretariat.access.
"""

from collections.abc import Iterable
from fnmatch import fnmatch

from django.contrib.auth.models import Group, Permission
from django.utils.translation import override

from .models import Role

# The apps whose records the roles' patterns cover; each feature app adds itself from its
# AppConfig.ready() with `register_domain_app`.
DOMAIN_APPS: list[str] = ["secretariat"]

# What State users and stakeholders read through the API, whose endpoints each need their model's
# view permission (secretariat.api.permissions). They never enter the admin (secretariat.admin_site)
# and write through the portal's and the API's services, whose write rules (each app's access.py)
# check the role themselves.
API_READ: list[str] = [
    "secretariat.view_party",
    "secretariat.view_case",
    "secretariat.view_notification",
    "secretariat.view_correspondence",
    "secretariat.view_decision",  # the published ones on their Party (secretariat.access)
]


def register_domain_app(app_label: str, *, api_read: Iterable[str] = ()) -> None:
    """Let the roles cover `app_label`'s models; `api_read` names the models State users read by API."""
    if app_label not in DOMAIN_APPS:
        DOMAIN_APPS.append(app_label)
    for model_name in api_read:
        if (codename := f"{app_label}.view_{model_name}") not in API_READ:
            API_READ.append(codename)


def role_permissions() -> dict[str, tuple[str, ...]]:
    """Each role's patterns over "app_label.codename" ("!" denies), for the domain apps registered."""
    return {
        Role.SECRETARIAT_ADMIN: tuple(f"{app}.*" for app in (*DOMAIN_APPS, "auth")),
        Role.SECRETARIAT_OFFICER: (
            *(f"{app}.*" for app in DOMAIN_APPS),
            "!secretariat.add_user",
            "!secretariat.change_user",
            "!secretariat.delete_user",
            "!secretariat.delete_party",
            "!secretariat.delete_conventionarticle",
            "auth.view_group",
        ),
        Role.COMMITTEE_MEMBER: tuple(f"{app}.view_*" for app in DOMAIN_APPS),
        # What differs between coordinators and contributors (submitting) is a write rule
        # (monitoring.access), not a permission.
        Role.STATE_COORDINATOR: tuple(API_READ),
        Role.STATE_CONTRIBUTOR: tuple(API_READ),
        Role.STAKEHOLDER_CONTRIBUTOR: tuple(API_READ),
    }


def group_name(role: str) -> str:
    """The group of a role, named in English whatever the active language."""
    with override("en"):
        return str(Role(role).label)


def _matches(codename: str, patterns: tuple[str, ...]) -> bool:
    allowed = any(fnmatch(codename, p) for p in patterns if not p.startswith("!"))
    denied = any(fnmatch(codename, p[1:]) for p in patterns if p.startswith("!"))
    return allowed and not denied


def sync_role_groups(**kwargs) -> None:
    """Create one group per role and give it exactly the permissions its patterns match."""
    permissions = list(Permission.objects.select_related("content_type"))
    for role, patterns in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        group.permissions.set(
            p for p in permissions if _matches(f"{p.content_type.app_label}.{p.codename}", patterns)
        )


def sync_user_groups(user) -> None:
    """Put the user in their role's group, and no other role's group."""
    wanted = {group_name(user.role)} if user.role else set()
    current = set(user.groups.values_list("name", flat=True))
    role_groups = {group_name(role) for role in Role}
    if current & role_groups != wanted:
        keep = current - role_groups
        user.groups.set(Group.objects.filter(name__in=keep | wanted))
