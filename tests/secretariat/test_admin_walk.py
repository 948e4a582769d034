"""Every page of the admin, for every persona, read and written: its back doors stay shut.

Every URL pattern of the admin site (and the pages mounted under /admin/ and /imports/) is
filled with the ids of real records, in and out of each persona's scope, and each persona GETs
and POSTs it (with a plausible payload: a past version with the role of administrator, a
delete confirmation, every list action, an export, an upload...). The walk fails on:

- any server error;
- a 200 to anyone outside the staff (State users, stakeholders, inactive or anonymous users);
- a 200 about a record outside the persona's scope (`access.scoped`), or the text of a record
  outside it anywhere in a response (a Committee member never reads drafts or confidential
  replies, whatever the page);
- any write to a domain or history table by a persona who may not write, and by anyone through
  a history page (reverts are refused) or a GET.

A route the walker cannot fill (a new parameter) fails the walk: teach it the parameter.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from knox.models import AuthToken

from monitoring import participation
from monitoring import services as monitoring_services
from monitoring.models import ChildQuote, RapporteurAssignment, Reminder, Reply, Submission
from recommendations import compliance_reports
from recommendations import services as recommendation_services
from recommendations.models import Factsheet, ReportedStatus
from secretariat import access, import_jobs, meetings
from secretariat.imports import KINDS
from secretariat.models import AgendaItem, AuditEvent, Decision, Meeting, Notification, Role, User
from tests.factories import DocumentFactory, ReplyFactory, SubmissionFactory, UserFactory, build_round
from tests.recommendations.factories import PracticeFactory, RecommendationFactory, ThemeFactory

from .import_helpers import PARTIES_CSV, import_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_files")]

PERSONAS = [
    "officer",
    "secretariat_admin",
    "committee_member",
    "coordinator_a",
    "contributor_a",
    "stakeholder_b",
    "inactive",
    "anonymous",
]
WRITERS = {"officer", "secretariat_admin"}  # the Secretariat changes records through the admin

# Texts of records outside some personas' scope (drafts, confidential replies, unpublished
# reasoning): no page may show them to those personas.
DRAFT_REPLY = "SECRET-DRAFT-REPLY"
CONFIDENTIAL_REPLY = "SECRET-CONFIDENTIAL-REPLY"
UNPUBLISHED_REASONING = "SECRET-UNPUBLISHED-REASONING"
UNPUBLISHED_DECISION = "SECRET-UNPUBLISHED-DECISION"
CHILD_QUOTE = "SECRET-CHILD-QUOTE"

NOT_WALKED = {"admin/login/", "admin/logout/"}  # signing in and out: every visitor's pages
MISSING_ID = "999999"
MEETING_DOCUMENTS = [("agenda", "en", "pdf"), ("decisions", "fr", "docx"), ("nothing", "en", "pdf")]
RECORDS_PER_MODEL = 2  # besides every submission and reply: the walk's time grows with it
# Writes that reading or being refused may cause: the session, the audit log, sign-in lock-outs;
# and every staff user's own notifications, which they mark read (/admin/notifications/read/).
UNWATCHED_TABLES = {"django_session", AuditEvent._meta.db_table, Notification._meta.db_table}
UNWATCHED_PREFIXES = ("axes_",)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE)


# --- the dataset --------------------------------------------------------------------------------


@dataclass
class Dataset:
    markers: dict[str, models.Model]  # a secret text, and the record that holds it


def _changed(record, **fields):
    """Save a change, so that the record has an older version in its history."""
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record


@pytest.fixture
def dataset(
    party_a,
    party_b,
    organisation_b,
    officer,
    secretariat_admin,
    committee_member,
    coordinator_a,
    coordinator_b,
    contributor_a,
    stakeholder_b,
) -> Dataset:
    """Two Parties; France's draft, Russia's registered confidential submission, a stakeholder's
    published comments; a follow-up per Party, one with an unpublished assessment; documents,
    users, transitions, a reminder, an import job, API tokens."""
    round_ = build_round(parties=[party_a, party_b], questions_per_section=1, sections=1)
    draft = SubmissionFactory(round=round_, party=party_a, reference="T-ES(2026)DRAFT-FRA")
    draft_reply = ReplyFactory(
        submission=draft, text="Draft, first version", questions=[round_.questions.first()]
    )
    _changed(draft_reply, text=DRAFT_REPLY)
    Reminder.objects.create(
        submission=draft, kind="before", deadline=round_.reply_deadline, recipients="a@fra"
    )

    confidential = SubmissionFactory(round=round_, party=party_b, consent_to_publication=False)
    confidential_reply = ReplyFactory(submission=confidential, text=CONFIDENTIAL_REPLY)
    monitoring_services.submission_submit(submission=confidential, by=coordinator_b)
    monitoring_services.submission_register(submission=confidential, by=officer)

    comments = SubmissionFactory(
        round=round_, party=party_b, organisation=organisation_b, consent_to_publication=True
    )
    ReplyFactory(submission=comments, text="Published comments of the stakeholder")
    monitoring_services.submission_submit(submission=comments, by=stakeholder_b)
    monitoring_services.submission_register(submission=comments, by=officer)
    # Another Committee member reports on question 1: the persona is no rapporteur.
    rapporteur = UserFactory(username="rapporteur", role=Role.COMMITTEE_MEMBER)
    RapporteurAssignment.objects.create(question=round_.questions.first(), member=rapporteur)

    for owner in ({"party": party_a}, {"party": party_b}, {"party": party_b, "organisation": organisation_b}):
        _changed(DocumentFactory(**owner), title="Renamed document")
    _changed(party_a, name_en="France (renamed)")

    recommendation = RecommendationFactory(addressees=[party_a, party_b], themes=[ThemeFactory()])
    follow_up_a = recommendation.follow_ups.get(party=party_a)
    follow_up_b = recommendation.follow_ups.get(party=party_b)
    update = recommendation_services.update_submit(
        follow_up=follow_up_a, by=coordinator_a, text="Measures", reported_status=ReportedStatus.PLANNED
    )
    recommendation_services.follow_up_assess(
        follow_up=follow_up_a,
        by=officer,
        status="partly",
        reasoning="Published",
        updates=[update],
        published=True,
    )
    recommendation_services.update_submit(
        follow_up=follow_up_b, by=stakeholder_b, text="NGO view", reported_status=ReportedStatus.PLANNED
    )
    unpublished = recommendation_services.follow_up_assess(
        follow_up=follow_up_b, by=officer, status="implemented", reasoning=UNPUBLISHED_REASONING
    )
    # A compliance report in preparation on it: its page, its Adopt page, the recommendations' action.
    compliance_reports.compliance_report_prepare(recommendation=recommendation, by=officer, text_en="Slow.")
    Factsheet.objects.create(slug="co-operation", title_en="Co-operation")
    PracticeFactory(parties=[party_a])

    import_jobs.import_job_create(
        kind=KINDS["parties"],
        upload=SimpleUploadedFile("parties.csv", PARTIES_CSV.encode()),
        options={},
        by=officer,
    )
    AuthToken.objects.create(user=officer)
    AuthToken.objects.create(user=coordinator_a)
    AuditEvent.objects.create(kind=AuditEvent.Kind.EXPORT, user=officer, username=officer.username)
    UserFactory(username="inactive", role=Role.SECRETARIAT_OFFICER, is_active=False)
    # A meeting with an item on Party B and an unpublished decision on it.
    meeting = Meeting.objects.create(
        number=47, starts_on=round_.reply_deadline, ends_on=round_.reply_deadline
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title_en="Late replies", party=party_b)
    meetings.decision_record(item, kind="take_note", text_en=UNPUBLISHED_DECISION, by=officer)
    # Children's views under review: a quote naming a child's school, flagged by the safeguarding check.
    child_views = participation.participation_create(
        round=round_,
        party=party_b,
        organisation=organisation_b,
        by=stakeholder_b,
        title="Workshop",
        method="workshop",
        started_on=round_.reply_deadline,
        ended_on=round_.reply_deadline,
        children_count=6,
        children_13_15=6,
        girls=6,
        consent_given_by="children_and_parents",
        consent_description="Signed forms",
        how_informed="A leaflet",
    )
    quote = ChildQuote(
        contribution=child_views, text=f"{CHILD_QUOTE}: at Oakwood Primary School nobody listens."
    )
    participation.quote_save(quote=quote, by=stakeholder_b)
    participation.participation_submit(contribution=child_views, by=stakeholder_b)
    return Dataset(
        markers={
            DRAFT_REPLY: draft_reply,
            CONFIDENTIAL_REPLY: confidential_reply,
            UNPUBLISHED_REASONING: unpublished,
            UNPUBLISHED_DECISION: Decision.objects.get(),
            CHILD_QUOTE: quote,
        }
    )


# --- the routes ------------------------------------------------------------------------------------


def _regex_template(regex: str) -> str:
    """'^([^/]+)/history/([^/]+)/$' → '<object_id>/history/<version_id>/'; named groups keep their name."""
    unnamed = iter(["object_id", "version_id"])
    out, depth, i = [], 0, 0
    regex = regex.removeprefix("^").removesuffix("$")
    while i < len(regex):
        char = regex[i]
        if char == "(":
            if depth == 0:
                named = re.match(r"\(\?P<(\w+)>", regex[i:])
                out.append(f"<{named.group(1) if named else next(unnamed)}>")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
        i += 1
    return "".join(out)


def _template(pattern) -> str:
    if isinstance(pattern, RegexPattern):
        return _regex_template(str(pattern))
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", str(pattern))


def _routes(patterns, prefix: str = "") -> Iterator[tuple[str, str | None]]:
    """(template, URL name) of every view of the project, e.g. ('admin/<object_id>/...', 'x_change')."""
    for pattern in patterns:
        template = prefix + _template(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, template)
        else:
            yield template, pattern.name


def walked_routes() -> list[tuple[str, str | None]]:
    return [
        (template, name)
        for template, name in _routes(get_resolver().url_patterns)
        if template.startswith(("admin/", "imports/")) and template not in NOT_WALKED
    ]


@dataclass
class Page:
    url: str
    name: str
    model: type[models.Model] | None = None
    record: models.Model | None = None
    version: str | None = None  # a history page's past version


def _admin_model(template: str) -> type[models.Model] | None:
    match = re.match(r"admin/(\w+)/(\w+)/", template)
    if not match:
        return None
    try:
        model = apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None
    return model if admin.site.is_registered(model) else None


def _records(model) -> list[models.Model]:
    """The records of `model` a page is opened for: every submission and reply (drafts, confidential
    ones...), a few of the other models (the walk's time grows with them)."""
    records = model._default_manager.order_by("pk")
    return list(records if model in (Submission, Reply) else records[:RECORDS_PER_MODEL])


def _versions(record) -> list[str]:
    """The record's first version: the one a revert would bring back (a draft, a former role...)."""
    opts = record._meta
    if not hasattr(opts, "simple_history_manager_attribute"):
        return ["1"]
    history = getattr(type(record), opts.simple_history_manager_attribute).filter(pk=record.pk)
    first = history.order_by("history_id").values_list("history_id", flat=True).first()
    return [str(first or 1)]


def _fill(template: str, **values) -> str:
    def value(match):
        if match.group(1) not in values:
            raise LookupError(f"the walker does not know <{match.group(1)}> in {template}: teach it")
        return str(values[match.group(1)])

    return "/" + re.sub(r"<(\w+)>", value, template)


def _pages(template: str, name: str | None) -> Iterator[Page]:
    name = name or "(unnamed)"
    params = set(re.findall(r"<(\w+)>", template))
    model = _admin_model(template)
    if name == "autocomplete":
        yield from _autocomplete_pages(_fill(template))
    if not params:
        yield Page(_fill(template), name, model)
    elif model is not None and params <= {"object_id", "version_id", "id"}:
        for record in _records(model):
            for version in _versions(record) if "version_id" in params else [None]:
                url = _fill(template, object_id=record.pk, id=record.pk, version_id=version)
                yield Page(url, name, model, record, version)
        yield Page(_fill(template, object_id=MISSING_ID, id=MISSING_ID, version_id=MISSING_ID), name, model)
    elif params == {"app_label"}:
        for label in sorted({model._meta.app_label for model in admin.site._registry}):
            yield Page(_fill(template, app_label=label), name)
    elif params == {"content_type_id", "object_id"}:
        for record in Submission.objects.all():
            content_type = ContentType.objects.get_for_model(record)
            yield Page(
                _fill(template, content_type_id=content_type.pk, object_id=record.pk),
                name,
                Submission,
                record,
            )
    elif params == {"url"}:
        yield Page(_fill(template, url="no-such-page/"), name)
    else:
        yield from _other_pages(template, name, params)


def _autocomplete_pages(url: str) -> Iterator[Page]:
    """Every autocomplete field of every admin, searched with an empty term."""
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
            yield Page(f"{url}?{urlencode({**query, 'field_name': field, 'term': ''})}", "autocomplete")


def _other_pages(template: str, name: str, params: set[str]) -> Iterator[Page]:
    """The pages outside the ModelAdmins: compliance, exports of the dataset, imports."""
    from recommendations.models import ImplementationReport, Recommendation
    from secretariat.models import ImportJob, Party

    if params == {"pk"} and name.startswith("recommendations_"):
        for record in Recommendation.objects.all():
            yield Page(_fill(template, pk=record.pk), name, Recommendation, record)
    elif params == {"pk"} and name.startswith("import_job"):
        for record in ImportJob.objects.all():
            yield Page(_fill(template, pk=record.pk), name, ImportJob, record)
    elif params == {"code"}:
        for record in Party.objects.all():
            yield Page(_fill(template, code=record.code), name, Party, record)
        yield Page(_fill(template, code="ZZZ"), name)
    elif params == {"object_id", "kind", "language", "format"}:
        for record in Meeting.objects.all():
            for kind, language, format in MEETING_DOCUMENTS:
                url = _fill(template, object_id=record.pk, kind=kind, language=language, format=format)
                yield Page(url, name, Meeting, record)
    elif params == {"pk", "language", "format"} and name == "recommendations_report_document":
        for record in ImplementationReport.objects.all():
            for language, format in (("en", "docx"), ("fr", "pdf")):
                url = _fill(template, pk=record.pk, language=language, format=format)
                yield Page(url, name, ImplementationReport, record)
    elif params == {"item_id"}:
        for record in AgendaItem.objects.all():
            yield Page(_fill(template, item_id=record.pk), name, AgendaItem, record)
        yield Page(_fill(template, item_id=MISSING_ID), name)
    elif params == {"format"}:
        for export in ("csv", "xlsx", "pdf"):
            yield Page(_fill(template, format=export), name)
    elif params == {"kind"}:
        for kind in ("parties", "replies", "follow-up-statuses", "nothing"):
            yield Page(_fill(template, kind=kind), name)
    else:
        raise LookupError(f"the walker does not know the parameters {sorted(params)} of {template}: teach it")


# --- payloads -------------------------------------------------------------------------------------

# What an attacker would set through a form that saves a record as it stands.
ESCALATION = {
    "role": Role.SECRETARIAT_ADMIN,
    "party": "",
    "organisation": "",
    "status": "draft",
    "is_active": "",
    "is_staff": "on",
    "is_superuser": "on",
    "published": "on",
    "consent_to_publication": "on",
    "deadline": "2040-01-01",
    "name_en": "Hacked",
    "text": "Hacked",
}


def _record_form(record) -> dict:
    """The record's own values as a form would post them, with ESCALATION on top."""
    data = {}
    for field in record._meta.concrete_fields:
        if field.primary_key or not field.editable or isinstance(field, models.FileField):
            continue
        value = field.value_from_object(record)
        if isinstance(field, models.BooleanField):
            if value:
                data[field.name] = "on"
        else:
            data[field.name] = "" if value is None else str(value)
    data.update({key: value for key, value in ESCALATION.items() if key in data or key == "role"})
    return {key: value for key, value in data.items() if value != "" or key in ESCALATION}


def _past_version(record, version: str | None):
    attribute = getattr(record._meta, "simple_history_manager_attribute", None)
    if attribute is None:
        return record
    history = getattr(type(record), attribute)
    past = history.filter(history_id=version).first()
    return past.instance if past is not None else record


def _export_form(model) -> dict:
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    data = {"format": "0", "resource": "0"}
    for resource in model_admin.get_export_resource_classes(request):
        prefix = resource.__name__.lower()
        data.update({f"{prefix}_{field}": "on" for field in resource().get_export_order()})
    return data


def _action_forms(model, records) -> list[dict]:
    model_admin = admin.site._registry[model]
    names = [action if isinstance(action, str) else action.__name__ for action in model_admin.actions or []]
    common = {"_selected_action": [record.pk for record in records], "apply": "1", "post": "yes"}
    extra = {"message": "Probe", "status": "implemented", "reasoning": "Probe"}
    return [{"action": name, **common, **extra} for name in ["delete_selected", *names]]


def _payloads(page: Page) -> list[dict]:
    name = page.name
    if name.endswith("_simple_history") and page.record is not None:
        # A revert: the past version's own values, with ESCALATION on top.
        return [_record_form(_past_version(page.record, page.version))]
    if name.endswith(("_simple_history", "_change", "_add")) or name == "(unnamed)":
        record = page.record or (page.model._default_manager.first() if page.model else None)
        return [_record_form(record) if record is not None else {}]
    if name.endswith("_delete"):
        return [{"post": "yes"}]
    if name.endswith("_changelist") and page.model is not None:
        return _action_forms(page.model, list(page.model._default_manager.all()))
    if name.endswith("_export") and page.model is not None:
        return [_export_form(page.model)]
    if name.endswith("_assess"):
        return [{"status": "implemented", "reasoning": "Probe", "published": "on"}]
    if name == "import_file":
        upload = SimpleUploadedFile("parties.csv", PARTIES_CSV.encode())
        return [{"file": upload, "encoding": "auto", "delimiter": "auto"}]
    if name == "import_job":
        return [{"confirm": "1"}, {"cancel": "1"}]
    return [{}]


# --- what is checked ---------------------------------------------------------------------------------


def _unwatched(table: str) -> bool:
    return table in UNWATCHED_TABLES or table.startswith(UNWATCHED_PREFIXES)


def _writes(queries) -> list[str]:
    tables = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and not _unwatched(match.group(1)):
            tables.append(match.group(1))
    return tables


def database_fingerprint() -> str:
    """A hash of every row of every watched table (domain records, their history, users, groups...)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if _unwatched(table):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # the names come from the database itself
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest.update(f"{table}:{len(rows)}:{rows}".encode())
    return digest.hexdigest()


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _in_scope(user, record: models.Model | None) -> bool:
    if record is None or not access.has_rule(type(record)):
        return True
    return access.scoped(type(record), user).filter(pk=record.pk).exists()


class Walk:
    def __init__(self, persona: str, user, dataset: Dataset):
        self.persona, self.user = persona, user
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.viewer = user if user is not None else AnonymousUser()
        self.staff = access.works_in_admin(self.viewer)
        self.forbidden_texts = [
            text for text, record in dataset.markers.items() if not _in_scope(self.viewer, record)
        ]
        self.failures: list[str] = []
        self.requests = 0

    def visit(self, page: Page) -> None:
        self.request(page, "GET", None)
        if self.persona in WRITERS and not page.name.endswith("_simple_history"):
            return  # the Secretariat may write: only its attempts to revert are checked
        if self.staff and page.name in ("password_change", "password_change_done"):
            return  # staff change their own password
        for payload in _payloads(page):
            self.request(page, "POST", payload)

    def request(self, page: Page, method: str, payload: dict | None) -> None:
        self.requests += 1
        where = f"{self.persona} {method} {page.url}"
        with CaptureQueriesContext(connection) as queries:
            try:
                response = (
                    self.client.get(page.url) if method == "GET" else self.client.post(page.url, payload)
                )
            except Exception as error:  # a server error: the test client raises what the view raised
                self.failures.append(f"{where}: {type(error).__name__}: {error}")
                return
        status = response.status_code
        if status >= 500:
            self.failures.append(f"{where}: {status}")
        if status == 200 and not self.staff:
            self.failures.append(f"{where}: 200 to someone outside the staff")
        if status == 200 and not _in_scope(self.viewer, page.record):
            self.failures.append(f"{where}: 200 about {page.record!r}, outside the persona's scope")
        body = _body(response)
        for text in self.forbidden_texts:
            if text.encode() in body:
                self.failures.append(f"{where}: shows {text}")
        may_write = self.persona in WRITERS and method == "POST" and not page.name.endswith("_simple_history")
        if (written := _writes(queries.captured_queries)) and not may_write:
            self.failures.append(f"{where}: wrote to {sorted(set(written))}")


def _persona(request, persona: str) -> User | None:
    if persona == "anonymous":
        return None
    if persona == "inactive":
        return User.objects.get(username="inactive")
    return request.getfixturevalue(persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_admin_page_leaks_or_writes(request, persona, dataset):
    walk = Walk(persona, _persona(request, persona), dataset)
    before = database_fingerprint()
    for template, name in walked_routes():
        for page in _pages(template, name):
            walk.visit(page)
    if persona not in WRITERS:
        assert database_fingerprint() == before, f"{persona} changed the database"
    assert walk.requests > 500
    assert not walk.failures, "\n".join(walk.failures[:60])


def test_the_walk_covers_every_admin_of_every_model():
    walked = {_admin_model(template) for template, _name in walked_routes()}
    assert set(admin.site._registry) <= walked


def test_the_walk_includes_the_pages_mounted_beside_the_admin_site():
    names = {name for _template, name in walked_routes()}
    expected = {"recommendations_dashboard", "recommendations_party_profile", "export_dataset", "import_file"}
    assert expected <= names
