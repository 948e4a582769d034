"""The layers hold: the core never imports a feature app, every model has a row rule, and every
web entry point reads domain rows through the door (`access.scoped`).

A new app plugs into the core (docs/architecture.md); these tests fail the day one of those
rules is broken, whoever breaks it.
"""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import models
from simple_history.models import HistoricalChanges

from secretariat import access, roles

ROOT = Path(__file__).resolve().parent.parent
CORE = "secretariat"
FEATURE_APPS = ("monitoring", "recommendations")

# Web entry points: what answers a request (admin, portal, API, downloads, template tags).
ENTRY_POINT_PARTS = ("views", "admin", "api", "portal", "templatetags", "urls")

# `Model.objects` in an entry point, each reviewed: none of them lets a row out of its scope.
READS_OUTSIDE_THE_DOOR = {
    # A count of each listed (scoped) submission's replies, correlated by OuterRef: no row is shown.
    ("monitoring.admin.submissions", "monitoring.Reply"),
    # Each listed (scoped) recommendation's active follow-ups, counted through OuterRef.
    ("recommendations.admin.reports", "recommendations.FollowUp"),
    # The codes of a public recommendation's addressees: Parties' codes are public.
    ("recommendations.api.views", "secretariat.Party"),
    # Sign-in lock-outs and authenticators: administrators only (admin_security.AdministratorsOnly).
    ("secretariat.admin_security", "axes.AccessAttempt"),
    ("secretariat.admin_security", "mfa.Authenticator"),
}


def python_files(package: str) -> list[Path]:
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_core_imports_no_feature_app():
    offenders = [
        f"{module_name(path)} imports {module}"
        for path in python_files(CORE)
        for module in sorted(imported_modules(path))
        if module.split(".")[0] in FEATURE_APPS
    ]
    assert offenders == []


def test_the_core_names_no_feature_app_in_its_code():
    # Dotted strings would import a feature app behind the test above (settings and the project's
    # URLconf, which wire the project together, are the exceptions).
    wiring = {f"{CORE}.settings", f"{CORE}.urls"}
    offenders = [
        f"{module_name(path)}: {node.value!r}"
        for path in python_files(CORE)
        if module_name(path) not in wiring
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.split(".")[0] in FEATURE_APPS
        and "." in node.value
    ]
    assert offenders == []


def domain_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in roles.DOMAIN_APPS
        # History rows are read through their record's scope (ScopedAdmin's history pages).
        and not issubclass(model, HistoricalChanges)
    ]


def test_every_feature_app_is_a_domain_app():
    assert set(roles.DOMAIN_APPS) == {CORE, *FEATURE_APPS}


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model._meta.label)
def test_every_model_has_a_row_rule(model):
    assert access.has_rule(model), f"register a row rule for {model._meta.label} in its app's access.py"


def test_a_model_without_a_rule_is_refused():
    with pytest.raises(LookupError, match=r"No access rule for auth\.Permission"):
        access.scoped(Permission, None)


def entry_point_modules() -> list[str]:
    return [
        module_name(path)
        for package in (CORE, *FEATURE_APPS)
        for path in python_files(package)
        if any(part in ENTRY_POINT_PARTS or part.endswith("_views") for part in module_name(path).split("."))
        or module_name(path).split(".")[-1].startswith(("admin", "views"))
    ]


def reads_outside_the_door(name: str) -> set[tuple[str, str]]:
    """(module, model) for each `Model.objects` in the module that is not `Model.objects.none()`."""
    module = importlib.import_module(name)
    tree = ast.parse(Path(module.__file__).read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = set()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
        ):
            continue
        model = getattr(module, node.value.id, None)
        if not (isinstance(model, type) and issubclass(model, models.Model)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "none":
            continue
        found.add((name, model._meta.label))
    return found


def test_entry_points_read_domain_rows_only_through_the_door():
    found = set().union(*(reads_outside_the_door(name) for name in entry_point_modules()))
    assert found - READS_OUTSIDE_THE_DOOR == set(), "read these rows through access.scoped(Model, user)"
    assert READS_OUTSIDE_THE_DOOR - found == set(), "remove the exceptions that no longer exist"


def test_the_entry_points_are_found():
    # The scan above covers the admin, the portal, the API and the download views of every app.
    names = set(entry_point_modules())
    assert {
        "secretariat.views",
        "secretariat.admin",
        "secretariat.api.views.base",
        "monitoring.portal.views",
        "monitoring.admin.submissions",
        "monitoring.views",
        "recommendations.admin_views",
        "recommendations.portal_views",
    } <= names
