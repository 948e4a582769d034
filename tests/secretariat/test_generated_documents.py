"""Documents prepared in the background: their lifecycle, progress, who sees them and their file,
the admin's list, and the requester told when they are ready."""

import contextlib
import datetime

import pytest
from django.core.cache import caches
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secretariat import access, documents, tasks
from secretariat.models import GeneratedDocument, Notification

pytestmark = pytest.mark.django_db

Status = GeneratedDocument.Status


def _write_hello(document, output, progress):
    for done in range(1, 4):
        progress(done, 3)
        # Each step is on the row at once (the worker writes outside any transaction).
        assert GeneratedDocument.objects.get(pk=document.pk).progress_done == done
    output.write(f"hello {document.parameters['name']}".encode())
    return "hello.txt"


def _fail(document, output, progress):
    progress(1, 5)
    raise ValueError("the round has gone")


@pytest.fixture
def kinds(monkeypatch):
    monkeypatch.setitem(
        documents.KINDS, "hello", documents.DocumentKind("hello", _write_hello, label="Greeting")
    )
    monkeypatch.setitem(documents.KINDS, "broken", documents.DocumentKind("broken", _fail))


def request_hello(user, kind="hello"):
    return documents.document_request(kind=kind, title="Hello", parameters={"name": "world"}, by=user)


def test_a_request_is_queued_for_the_worker(kinds, officer):
    document = request_hello(officer)

    document.refresh_from_db()
    assert document.status == Status.QUEUED
    assert document.task_id
    assert document.requested_by == officer


def test_an_unknown_kind_is_refused(officer):
    with pytest.raises(LookupError):
        documents.document_request(kind="nothing", title="x", parameters={}, by=officer)


def test_the_worker_writes_the_file_and_ends_done_with_full_progress(kinds, officer):
    document = request_hello(officer)

    assert documents.document_generate(document.pk) == Status.DONE

    document.refresh_from_db()
    assert document.status == Status.DONE
    assert (document.progress_done, document.progress_total) == (3, 3)
    assert document.started_at and document.finished_at
    with document.file.open("rb") as file:
        assert file.read() == b"hello world"


def test_each_status_change_is_recorded_in_the_history(kinds, officer):
    document = request_hello(officer)
    documents.document_generate(document.pk)

    statuses = list(document.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[0] == Status.QUEUED and statuses[-1] == Status.DONE


def test_a_failure_ends_the_document_failed_with_its_reason_kept(kinds, officer):
    document = request_hello(officer, kind="broken")

    with pytest.raises(ValueError):
        documents.document_generate(document.pk)

    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.error == "ValueError: the round has gone"
    assert (document.progress_done, document.progress_total) == (1, 5)
    assert not document.file


def test_a_document_is_generated_once_even_if_its_task_runs_twice(kinds, officer):
    document = request_hello(officer)
    documents.document_generate(document.pk)
    finished_at = GeneratedDocument.objects.get(pk=document.pk).finished_at

    assert documents.document_generate(document.pk) == Status.DONE
    assert GeneratedDocument.objects.get(pk=document.pk).finished_at == finished_at


@pytest.mark.parametrize("kind, status", [("hello", Status.DONE), ("broken", Status.FAILED)])
def test_the_requester_is_told_when_it_ends(kinds, officer, secretariat_admin, kind, status):
    document = request_hello(officer, kind=kind)
    with pytest.raises(ValueError) if kind == "broken" else contextlib.nullcontext():
        documents.document_generate(document.pk)

    [notification] = Notification.objects.filter(recipient=officer)
    assert notification.event == "document.finished"
    assert "Hello" in notification.subject
    assert not Notification.objects.filter(recipient=secretariat_admin).exists()


# --- who sees it ---------------------------------------------------------------------------------


def test_the_requester_and_the_secretariat_see_it_nobody_else(
    kinds, committee_member, officer, secretariat_admin, coordinator_a
):
    document = request_hello(committee_member)

    assert list(access.scoped(GeneratedDocument, committee_member)) == [document]
    assert list(access.scoped(GeneratedDocument, officer)) == [document]
    assert list(access.scoped(GeneratedDocument, secretariat_admin)) == [document]
    assert not access.scoped(GeneratedDocument, coordinator_a).exists()
    assert (
        not access.scoped(GeneratedDocument, request_hello(officer).requested_by)
        .filter(requested_by=coordinator_a)
        .exists()
    )


@pytest.fixture
def ready(kinds, officer):
    document = request_hello(officer)
    documents.document_generate(document.pk)
    document.refresh_from_db()
    return document


def test_the_requester_downloads_the_file_through_files(client_for, officer, ready):
    response = client_for(officer).get(ready.file.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello world"


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a", "stakeholder_b"])
def test_anyone_else_finds_neither_the_document_nor_its_file(client_for, ready, persona, request):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(ready.file.url).status_code == 404
    page = client.get(reverse("admin:secretariat_generateddocument_change", args=[ready.pk]))
    assert page.status_code in (
        302,
        404,
    )  # the admin's "does not exist" redirect, or its login for State users
    assert b"hello" not in page.content


# --- the admin's list --------------------------------------------------------------------------


def test_the_admin_names_a_kind_by_its_label_and_filters_by_it(client_for, officer, kinds):
    document = request_hello(officer)
    client = client_for(officer)

    page = client.get(reverse("admin:secretariat_generateddocument_change", args=[document.pk]))
    listed = client.get(reverse("admin:secretariat_generateddocument_changelist"), {"kind": "broken"})

    assert "Greeting" in page.content.decode()
    assert list(listed.context["cl"].result_list) == []


def test_the_page_of_a_document_being_prepared_reloads_itself_until_it_ends(
    client_for, officer, kinds, ready
):
    queued = request_hello(officer)
    client = client_for(officer)

    waiting = client.get(reverse("admin:secretariat_generateddocument_change", args=[queued.pk]))
    done = client.get(reverse("admin:secretariat_generateddocument_change", args=[ready.pk]))

    assert '<meta http-equiv="refresh"' in waiting.content.decode()
    assert '<meta http-equiv="refresh"' not in done.content.decode()


def test_a_kind_no_app_registers_any_more_is_shown_by_its_name():
    assert documents.kind_label("retired-kind") == "retired-kind"


def test_the_admin_lists_the_document_with_its_progress_and_download_link(client_for, officer, kinds, ready):
    running = request_hello(officer)
    GeneratedDocument.objects.filter(pk=running.pk).update(
        status=Status.RUNNING, progress_done=1, progress_total=3
    )

    response = client_for(officer).get(reverse("admin:secretariat_generateddocument_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{ready.file.url}"' in content
    assert '<progress value="1" max="3"></progress>' in content


def test_the_admin_list_runs_a_fixed_number_of_queries(
    client_for, officer, kinds, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(officer)
    request_hello(officer)
    url = reverse("admin:secretariat_generateddocument_changelist")
    # Allowed: session, user, the user's and groups' permissions, the count, the page's rows with
    # their requesters, the list filter's choices, the admin's frame.
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(20):
        request_hello(officer)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_nobody_adds_changes_or_deletes_a_document_in_the_admin(client_for, officer, ready):
    client = client_for(officer)

    assert client.get(reverse("admin:secretariat_generateddocument_add")).status_code == 403
    assert (
        client.post(reverse("admin:secretariat_generateddocument_delete", args=[ready.pk])).status_code == 403
    )
    assert GeneratedDocument.objects.filter(pk=ready.pk).exists()


# --- a worker that dies --------------------------------------------------------------------------


def test_the_worker_says_it_is_alive_while_it_prepares_a_document(monkeypatch, officer):
    seen = []

    def write(document, output, progress):
        seen.append(caches["progress"].get(tasks.document_heartbeat_key(document.pk)))
        return "x.txt"

    monkeypatch.setitem(documents.KINDS, "watched", documents.DocumentKind("watched", write))
    document = documents.document_request(kind="watched", title="Watched", parameters={}, by=officer)

    tasks.generate_document.call(document.pk)

    assert seen[0] is not None
    assert caches["progress"].get(tasks.document_heartbeat_key(document.pk)) is None


def test_a_starting_worker_fails_what_a_dead_worker_left_running(kinds, officer):
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    dead, alive, just_started = (request_hello(officer) for _ in range(3))
    GeneratedDocument.objects.filter(pk__in=[dead.pk, alive.pk]).update(
        status=Status.RUNNING, started_at=long_ago
    )
    GeneratedDocument.objects.filter(pk=just_started.pk).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    caches["progress"].set(tasks.document_heartbeat_key(alive.pk), 1)

    assert [document.pk for document in documents.documents_fail_abandoned()] == [dead.pk]

    dead.refresh_from_db()
    assert (dead.status, dead.error) == (Status.FAILED, documents.ABANDONED)
    assert GeneratedDocument.objects.get(pk=alive.pk).status == Status.RUNNING
    assert GeneratedDocument.objects.get(pk=just_started.pk).status == Status.RUNNING
    assert Notification.objects.filter(recipient=officer, event="document.finished").count() == 1


def test_the_task_a_dead_worker_left_running_is_failed_with_its_document(kinds, officer):
    dead = request_hello(officer)
    GeneratedDocument.objects.filter(pk=dead.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    DBTaskResult.objects.filter(id=dead.task_id).update(status=TaskResultStatus.RUNNING)

    documents.documents_fail_abandoned()

    assert DBTaskResult.objects.get(id=dead.task_id).status == TaskResultStatus.FAILED
