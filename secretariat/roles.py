"""Roles as Django groups: which permissions each role carries.

A user's role (User.role) decides their single role group (and whether they may enter the
admin: Secretariat and Committee only); what rows they then see is decided by secretariat.access.
"""

from fnmatch import fnmatch

from django.contrib.auth.models import Group, Permission
from django.utils.translation import override

from .models import Role

DOMAIN_APPS = ("secretariat", "monitoring", "recommendations")

# What State users and stakeholders read through the API, whose endpoints each need their model's
# view permission (secretariat.api.permissions). They never enter the admin (secretariat.admin_site)
# and write through the portal's and the API's services, which check the role themselves.
API_READ = (
    "secretariat.view_party",
    *(f"monitoring.view_{model}" for model in ("monitoringround", "question", "submission", "reply")),
    *(
        f"recommendations.view_{model}"
        for model in (
            "implementationreport",
            "recommendation",
            "followup",
            "followupupdate",
            "assessment",
            "practice",
            "factsheet",
        )
    ),
)

# Patterns over "app_label.codename"; later apps add their models' codenames here.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
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
    # What differs between coordinators and contributors (submitting) is a rule of the
    # workflow (monitoring.services), not a permission.
    Role.STATE_COORDINATOR: API_READ,
    Role.STATE_CONTRIBUTOR: API_READ,
    Role.STAKEHOLDER_CONTRIBUTOR: API_READ,
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
    for role, patterns in ROLE_PERMISSIONS.items():
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
