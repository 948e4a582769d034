"""Every admin changelist and every API list reads only the page it shows (PostgreSQL).

A default ordering that runs through foreign keys (a follow-up by its recommendation's report,
then by its Party's name) makes the database join and sort every row of the table to show 50.
Each list here is opened as a Secretariat administrator on the demo data; the query of its page
(the one with LIMIT over the listed model's table) is EXPLAINed with sorting and sequential scans
priced out, so the plan has a Sort node only when no index gives that order. An Incremental Sort
is allowed: it reads the rows in an index's order and sorts each group of equal leading keys
(the 48 follow-ups of a recommendation, by Party name), so it stops at the page too.

The lists are taken from the admin site's registry and the API's router: a new one is checked
as soon as it is registered.
"""

import json
import re
from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from recommendations import services as recommendation_services
from recommendations.models import AssessedStatus, FollowUp
from secretariat.api.router import discover
from secretariat.models import Correspondence, Notification

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's"),
]

# Reviewed lists whose page is sorted in full, and why that is acceptable.
SORTED_IN_FULL = {
    "admin:knox_authtoken_changelist": "django-rest-knox's table, no index on created: a row per live token",
}


def admin_lists() -> list[tuple[str, type]]:
    return sorted(
        (f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", model)
        for model in admin.site._registry
    )


def api_lists() -> list[tuple[str, type]]:
    return sorted(
        (f"api:{basename}-list", viewset.model)
        for _prefix, viewset, basename in discover().registry
        if hasattr(viewset, "list")
    )


LISTS = admin_lists() + api_lists()
PAGE = re.compile(r"\bLIMIT \d+(?: OFFSET \d+)?$")
PAGE_SIZE = 50


def _outer(sql: str) -> str:
    """The query without its parenthesised parts (subqueries, function calls)."""
    depth, kept = 0, []
    for char in sql:
        depth += char == "("
        if depth == 0:
            kept.append(char)
        depth -= char == ")"
    return "".join(kept)


def _page_queries(queries: list[dict], model: type) -> list[str]:
    """The ordered queries over the model's table that read its rows (LIMITed to a page).

    A changelist whose rows fit on one page reads them without LIMIT: the query is given one, as
    it would have with more rows.
    """
    table = f'FROM "{model._meta.db_table}"'
    pages = []
    for query in queries:
        outer = _outer(query["sql"])
        # SELECT DISTINCT: the choices of a filter or the date hierarchy, not the rows.
        if table not in outer or "ORDER BY" not in outer or outer.startswith("SELECT DISTINCT"):
            continue
        has_limit = PAGE.search(outer) is not None
        pages.append(query["sql"] if has_limit else f"{query['sql']} LIMIT {PAGE_SIZE}")
    return pages


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _full_sorts(sql: str) -> list[str]:
    """The Sort nodes of the query's plan when the planner avoids sorting wherever an index can."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return [
        f"Sort by {node.get('Sort Key')}" for node in _nodes(plan[0]["Plan"]) if node["Node Type"] == "Sort"
    ]


@pytest.fixture
def every_list_filled(demo_loaded, secretariat_admin):
    """The demo data, and a row in the few tables it leaves empty."""
    follow_up = FollowUp.objects.filter(updates__isnull=False).first()
    recommendation_services.follow_up_assess(
        follow_up=follow_up, by=secretariat_admin, status=AssessedStatus.PARTLY, reasoning="Partly."
    )
    Notification.objects.create(
        recipient=secretariat_admin, event="submission.registered", key="plans", subject="Registered"
    )
    Correspondence.objects.create(
        party=follow_up.party, kind=Correspondence.Kind.LETTER_SENT, subject="Reminder"
    )
    AuthToken.objects.create(user=secretariat_admin)


@pytest.mark.parametrize(("name", "model"), LISTS, ids=[name for name, _ in LISTS])
def test_list_reads_only_its_page(name, model, every_list_filled, secretariat_admin, client):
    client.force_login(secretariat_admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    pages = _page_queries(queries.captured_queries, model)
    sorts = [sort for sql in pages for sort in _full_sorts(sql)]
    if name in SORTED_IN_FULL:
        assert sorts or not pages, f"{name} no longer sorts its whole table: remove it from SORTED_IN_FULL"
        return
    assert pages, f"no page query over {model._meta.db_table}: give the list a row in every_list_filled"
    assert sorts == [], f"{name} sorts every row to show a page: order by indexed columns of its own"


def test_every_reviewed_exception_is_a_list():
    assert set(SORTED_IN_FULL) <= {name for name, _ in LISTS}
