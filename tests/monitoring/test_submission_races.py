"""No reply changes inside a submission once it is sent: every write locks the submission first.

The writers read the submission's status again under its row lock, so one opened before the
coordinator sent it (an editor's page, an API client) cannot write into it afterwards. The race
itself is played on PostgreSQL with two connections; SQLite runs one writer at a time.
"""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from monitoring import services
from monitoring.models import Reply, ReplyAttachment, Submission
from tests.factories import ReplyFactory, SubmissionFactory, build_round

Status = Submission.Status
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time: two connections cannot race for the submission",
)


@pytest.fixture
def round_(party_a):
    return build_round(parties=[party_a])


@pytest.fixture
def draft(round_, party_a):
    return SubmissionFactory(round=round_, party=party_a)


@pytest.fixture
def reply(draft, round_):
    return ReplyFactory(submission=draft, questions=[round_.questions.get(ref="1")], text="First text.")


def _change(reply: Reply, submission: Submission, by, text: str = "Changed.") -> Reply:
    data = services.ReplyInput(text=text, language="en", question_ids=[q.pk for q in reply.questions.all()])
    return services.reply_save(submission=submission, by=by, data=data, reply=reply, based_on_version=1)


# --- a write based on what was read before the submission was sent -----------------------------

WRITES = {
    "save": lambda stale, reply, by: _change(reply, stale, by),
    "delete": lambda stale, reply, by: services.reply_delete(reply=reply, by=by),
    "attach": lambda stale, reply, by: services.attachment_add(
        reply=reply, attachment=ReplyAttachment(file=SimpleUploadedFile("a.txt", b"notes")), by=by
    ),
    "consent": lambda stale, reply, by: services.submission_set_consent(
        submission=stale, by=by, consent=False
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES)
def test_a_write_read_before_the_submission_was_sent_is_refused(
    write, draft, reply, contributor_a, coordinator_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    stale = Submission.objects.get(pk=draft.pk)  # as the editor's page (or an API client) read it
    reply = Reply.objects.select_related("submission").get(pk=reply.pk)
    assert reply.submission.status == Status.DRAFT
    services.submission_submit(submission=draft, by=coordinator_a)
    with pytest.raises(PermissionDenied):
        WRITES[write](stale, reply, contributor_a)
    reply.refresh_from_db()
    assert (reply.text, reply.version, reply.attachments.count()) == ("First text.", 1, 0)
    assert Submission.objects.get(pk=draft.pk).consent_to_publication


# --- two first writes at once open one submission ------------------------------------------------


def _opened_meanwhile(monkeypatch, *, found_by: str) -> list[Submission]:
    """Another first write opens the submission just after this one looked for it, committed before
    this one's check (`found_by` "check": full_clean finds it) or after it ("database": the unique
    constraint refuses the insert)."""
    saved_submission, opened = services._saved_submission, []

    def open_meanwhile(round, respondent):
        found = saved_submission(round, respondent)
        if not opened:
            assert found is None
            opened.append(Submission.objects.create(round=round, **respondent))
        return found

    monkeypatch.setattr(services, "_saved_submission", open_meanwhile)
    if found_by == "database":
        full_clean = Submission.full_clean
        monkeypatch.setattr(
            Submission,
            "full_clean",
            lambda self, *args, **kwargs: full_clean(
                self, *args, **{**kwargs, "validate_constraints": False}
            ),
        )
    return opened


@pytest.mark.django_db
@pytest.mark.parametrize("found_by", ["check", "database"])
@pytest.mark.parametrize("persona", ["contributor_a", "stakeholder_b"])
def test_a_first_write_that_loses_the_race_uses_the_submission_the_other_opened(
    request, persona, found_by, party_a, party_b, monkeypatch
):
    round_ = build_round(parties=[party_a, party_b])
    user = request.getfixturevalue(persona)
    opened = _opened_meanwhile(monkeypatch, found_by=found_by)
    submission = services.submission_for_respondent(round=round_, user=user)
    assert submission == opened[0]
    assert Submission.objects.get() == submission


@pytest.mark.django_db
def test_a_first_write_refused_for_another_reason_still_fails(contributor_a, party_a, monkeypatch):
    round_ = build_round(parties=[party_a])
    monkeypatch.setattr(
        Submission, "full_clean", lambda self, *a, **k: (_ for _ in ()).throw(ValidationError("no"))
    )
    with pytest.raises(ValidationError):
        services.submission_for_respondent(round=round_, user=contributor_a)
    assert not Submission.objects.exists()


# --- the race, on PostgreSQL ----------------------------------------------------------------------


def _backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def _waits_for_a_lock(pid: int) -> bool:
    """Whether the backend `pid` is blocked on a lock now (pg_blocking_pids reads the live lock table)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return cursor.fetchone()[0]


class Racer(threading.Thread):
    """Runs `work` in its own thread and database connection; keeps its result or its exception."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None
        self.pid_known, self.done = threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            self.pid = _backend_pid()
            self.pid_known.set()
            self.result = self.work()
        except Exception as error:
            self.error = error
        finally:
            connection.close()
            self.done.set()


def _wait_until(condition, what: str) -> None:
    """Poll `condition` (a safety stop, not a measured time: the test asserts orders, not durations)."""
    for _ in range(6_000):
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError(f"never happened: {what}")


def _assert_saved_before_sent_or_refused(saver: Racer, draft: Submission, reply: Reply) -> None:
    transition = draft.transitions.get()
    reply.refresh_from_db()
    if saver.error is None:
        assert reply.updated_at <= transition.at, "the reply changed after the submission was sent"
    else:
        assert isinstance(saver.error, PermissionDenied)
        assert reply.text == "First text."


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_save_checked_before_the_submit_completes_before_it(
    draft, reply, contributor_a, coordinator_a, monkeypatch
):
    """The probe's race, forced: the save has checked the status when the submit runs to its end."""
    submitter = Racer(lambda: services.submission_submit(submission=draft, by=coordinator_a))
    full_clean = Reply.full_clean

    def submit_meanwhile(self, *args, **kwargs):
        # The save has read its submission's status. Now the coordinator submits: the submit either
        # runs to its end (the save then writes into a sent submission) or waits for the save's lock.
        submitter.start()
        submitter.pid_known.wait()
        _wait_until(
            lambda: submitter.done.is_set() or _waits_for_a_lock(submitter.pid), "submit ran or waited"
        )
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Reply, "full_clean", submit_meanwhile)
    saver = Racer(lambda: _change(reply, Submission.objects.get(pk=draft.pk), contributor_a))
    saver.start()
    saver.done.wait()
    submitter.done.wait()
    assert submitter.error is None
    _assert_saved_before_sent_or_refused(saver, draft, reply)
    assert Reply.objects.get(pk=reply.pk).text == "Changed."  # saved, before the submit


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(10))
def test_a_save_racing_the_submit_lands_before_it_or_not_at_all(
    attempt, draft, reply, contributor_a, coordinator_a
):
    barrier = threading.Barrier(2)

    def save():
        barrier.wait()
        return _change(reply, Submission.objects.get(pk=draft.pk), contributor_a)

    def submit():
        barrier.wait()
        return services.submission_submit(submission=Submission.objects.get(pk=draft.pk), by=coordinator_a)

    saver, submitter = Racer(save), Racer(submit)
    saver.start()
    submitter.start()
    saver.done.wait()
    submitter.done.wait()
    assert submitter.error is None
    _assert_saved_before_sent_or_refused(saver, draft, reply)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_first_writes_at_once_open_one_submission(attempt, party_a, contributor_a, coordinator_a):
    round_ = build_round(parties=[party_a])
    barrier = threading.Barrier(2)

    def open_as(user):
        barrier.wait()
        return services.submission_for_respondent(round=round_, user=user)

    racers = [Racer(lambda user=user: open_as(user)) for user in (contributor_a, coordinator_a)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.done.wait()
    assert [racer.error for racer in racers] == [None, None]
    assert racers[0].result.pk == racers[1].result.pk == Submission.objects.get().pk
