"""Schemathesis fuzzes every operation of the OpenAPI schema, as a State coordinator and as an officer.

The schema is generated in-process, and every generated request (valid and invalid bodies, query
strings and path values) goes through the whole Django stack (the WSGI application) with an API
token. No answer may be a 5xx, and none may break the schema: its status code must be documented
and its body must match the schema documented for that status.

Each operation is one test per persona, on a fresh small world (tests/api/conftest.py): France's
draft, Russia's and Italy's registered submissions with their replies, a report whose
recommendation has follow-ups, updates and assessments, a practice and a factsheet.

The schema is read when the module is imported (schemathesis 4 makes one test per operation at
collection time; its lazy `from_fixture` loader does not run under pytest 9.2): generating it
reads no database, and needs no signed-in user. 29 operations × 2 personas make 58 tests and
about 3,200 requests.
"""

import json
from types import SimpleNamespace

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from secretariat.api_tokens import token_create
from secretariat.wsgi import application

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Not checked: `positive_data_acceptance` (a request that fits the schema must succeed) and
# `negative_data_rejection` (one that does not must be refused). The schema describes shapes, the
# services decide the rest: a well-formed reply to a round without the user's submission, or to a
# question of another round, is rightly refused (400), and DRF reads leniently what the schema
# types strictly (a number for a text, an unknown value of a yes/no filter ignored).
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# The same requests on every run (a fixed seed, no example database), so that CI is stable.
# Each operation gets its coverage cases (boundaries, missing and wrong values) and 8 random ones,
# valid and invalid: the coverage cases already try each parameter's edges, and 58 tests with 8
# random cases each keep the run within the time of the rest of the suite.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20_250_501,
        "generation": {"max-examples": 8, "deterministic": True},
        "phases": {"stateful": {"enabled": False}},
    }
)

# The schema as /api/schema/ serves it (to signed-in users only), generated in-process: no user
# or token exists yet at collection time. Its requests then go to the WSGI application.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True))), config=CONFIG
)
schema.app = application


@pytest.fixture
def in_process_requests():
    """Keep the test's transaction open across requests.

    Django's handler closes the database connection when a request starts and ends; the test
    client disconnects that handler, and requests sent to the WSGI application need the same.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["coordinator", "officer"])
def persona(request, coordinator_a, officer):
    """France's coordinator (whose draft is open for writing) or a Secretariat officer."""
    return {"coordinator": coordinator_a, "officer": officer}[request.param]


@pytest.fixture
def auth_headers(in_process_requests, persona) -> dict[str, str]:
    _, key = token_create(user=persona)
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def records(world) -> SimpleNamespace:
    """The world's keys: by the collection in the path, by the body's field, and the question refs."""
    follow_ups = list(world.recommendation.follow_ups.order_by("pk"))
    return SimpleNamespace(
        by_collection={
            "parties": ["FRA", "RUS", "ITA"],
            "rounds": ["2", "3", "4"],
            "questions": [question.pk for question in world.round.questions.order_by("pk")],
            "submissions": [world.submission_a.pk, world.submission_b.pk, world.submission_c.pk],
            "replies": [world.reply_a.pk, world.reply_b.pk, world.reply_c.pk],
            "reports": [world.report.pk],
            "recommendations": [world.recommendation.pk],
            "follow-ups": [follow_up.pk for follow_up in follow_ups],
            "follow-up-updates": [world.update_a.pk, world.update_b.pk],
            "assessments": [world.assessment_a.pk, world.assessment_b.pk],
            "practices": [world.practice.pk],
            "factsheets": [world.factsheet.slug],
            "cases": world.case_ids,
            "notifications": [notification.pk for notification in world.notifications],
            "correspondence": [letter.pk for letter in world.letters],
            "meetings": [world.meeting.pk],
            "findings": [],
            "child-participations": [],  # none in the world: the officer's list is empty, a State's refused
            "escalation-steps": [],
            "compliance-reports": [],
            "decisions": [decision.pk for decision in world.decisions],
            "my-work": [],
            "handlers": [world.officer.pk],
        },
        by_field={
            "submission": "submissions",
            "see_reply": "replies",
            "follow_up": "follow-ups",
            "handler": "handlers",
        },
        question_refs=sorted(world.questions),
    )


def _pick(generated, pool: list):
    """A key of the pool in place of an even number (or a text of even length); otherwise the value as is.

    Path values come as text ("42"): they keep that type.
    """
    if isinstance(generated, bool) or not isinstance(generated, int | str) or not pool:
        return generated
    if isinstance(generated, int):
        key = generated
    else:
        key = int(generated) if generated.isdecimal() and len(generated) < 20 else len(generated)
    if key % 2:
        return generated
    picked = pool[(key // 2) % len(pool)]
    return str(picked) if isinstance(generated, str) else picked


def _fits_schema(case, location: str) -> bool:
    """Whether the case's path or body fits the schema: invalid ones are left as generated."""
    component = case.meta.components.get(location) if case.meta else None
    return component is not None and component.mode == GenerationMode.POSITIVE


def _aim(case, records: SimpleNamespace) -> None:
    """Point about half of the generated keys at records of the world.

    Random ids hardly ever name a record: without this, reads would only answer 404 and writes
    would stop at "This record does not exist." instead of reaching the services.
    """
    collection = case.operation.path.split("/")[3]
    if _fits_schema(case, "path"):
        for name, value in case.path_parameters.items():
            case.path_parameters[name] = _pick(value, records.by_collection[collection])
    if not (_fits_schema(case, "body") and isinstance(case.body, dict)):
        return
    body = case.body
    for field, collection in records.by_field.items():
        if field in body:
            body[field] = _pick(body[field], records.by_collection[collection])
    if "round" in body:
        body["round"] = _pick(body["round"], [2])
    if "questions" in body:  # by ref or by id
        ids = records.by_collection["questions"]
        body["questions"] = [
            _pick(key, records.question_refs if isinstance(key, str) else ids) for key in body["questions"]
        ]


@schema.parametrize()
@settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema(case, auth_headers, records):
    _aim(case, records)
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
