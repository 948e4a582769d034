"""The notifications mechanism: one per recipient and event, in their language, never to another Party."""

import pytest

from secretariat import events, notifications
from secretariat.models import Document, ImportJob, Notification, Role
from secretariat.notifications import EventType
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db
Email = Notification.Email


@pytest.fixture
def event_type(monkeypatch):
    """A test event about a Document, told to whoever the test names (`told`)."""
    told = []

    def text(event, user):
        return "Something happened", f"about {event.subject.pk}", "/somewhere/"

    event_type = EventType("test.happened", "Test", lambda event: told, text)
    monkeypatch.setitem(notifications._TYPES, event_type.key, event_type)
    return told


def _emit(party=None, by=None, occurrence="1"):
    document: Document = DocumentFactory()
    return events.emit("test.happened", subject=document, party=party, by=by, occurrence=occurrence)


def test_each_recipient_gets_one_notification_with_its_link(event_type, officer, coordinator_a):
    event_type += [officer, coordinator_a]
    event = _emit()
    made = Notification.objects.filter(key=event.identity)
    assert sorted(made.values_list("recipient__username", flat=True)) == sorted(
        [officer.username, coordinator_a.username]
    )
    assert set(made.values_list("url", flat=True)) == {"/somewhere/"}


def test_the_text_is_written_in_the_recipients_language(monkeypatch, officer, coordinator_a):
    from django.utils.translation import get_language

    languages = {}

    def text(event, user):
        languages[user.username] = get_language()
        return "s", "b", ""

    monkeypatch.setitem(
        notifications._TYPES,
        "test.lang",
        EventType("test.lang", "Test", lambda e: [officer, coordinator_a], text),
    )
    coordinator_a.language = "fr"
    coordinator_a.save()
    events.emit("test.lang", subject=DocumentFactory())
    assert languages == {officer.username: "en", coordinator_a.username: "fr"}


def test_a_repeat_of_the_same_event_tells_nobody_twice(event_type, officer):
    event_type.append(officer)
    _emit(occurrence="same")
    document = Document.objects.get()
    events.emit("test.happened", subject=document, occurrence="same")
    assert Notification.objects.count() == 1


def test_another_partys_people_are_never_told_of_a_partys_event(
    event_type, party_a, officer, coordinator_a, coordinator_b, stakeholder_b, committee_member
):
    # Whatever an event type says, the mechanism tells only the Party's people and the Secretariat.
    event_type += [officer, coordinator_a, coordinator_b, stakeholder_b, committee_member]
    _emit(party=party_a)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {officer.username, coordinator_a.username}


def test_a_stakeholder_working_on_the_party_may_be_told(event_type, party_b, stakeholder_b):
    event_type.append(stakeholder_b)
    _emit(party=party_b)
    assert Notification.objects.get().recipient == stakeholder_b


def test_who_made_it_happen_and_inactive_people_are_not_told(event_type, officer, coordinator_a):
    former = UserFactory(username="former", role=Role.SECRETARIAT_OFFICER, is_active=False)
    event_type += [officer, coordinator_a, former]
    _emit(by=coordinator_a)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [officer.pk]


@pytest.mark.parametrize(
    ("frequency", "email", "state"),
    [
        ("each", "a@example.org", Email.PENDING),
        ("daily", "a@example.org", Email.DIGEST),
        ("never", "a@example.org", Email.NOT_SENT),
        ("each", "", Email.NOT_SENT),
    ],
)
def test_the_email_follows_the_recipients_preference(event_type, frequency, email, state):
    user = UserFactory(
        username="someone", role=Role.SECRETARIAT_OFFICER, email=email, email_frequency=frequency
    )
    event_type.append(user)
    _emit()
    assert Notification.objects.get().email == state


def test_the_sending_is_enqueued_once_the_transaction_commits(
    event_type, officer, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    event_type.append(officer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _emit()
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path="secretariat.tasks.send_notification_emails").count() == 1


def test_an_event_nobody_declared_tells_nobody(officer):
    events.emit("nobody.declared", subject=DocumentFactory())
    assert not Notification.objects.exists()


def test_the_author_of_an_import_is_told_when_it_ends(officer):
    from secretariat.tasks import _end

    job = ImportJob.objects.create(kind="parties", file="imports/x.csv", file_name="x.csv", user=officer)
    _end(job, ImportJob.Status.FAILED, errors=["Row 2: bad code."])
    notification = Notification.objects.get(recipient=officer)
    assert notification.event == "import.finished"
    assert "x.csv" in notification.subject
    assert "Row 2: bad code." in notification.body
    # The check and the import of one job are two occurrences: each told once.
    _end(job, ImportJob.Status.FAILED, errors=["Row 2: bad code."])
    _end(job, ImportJob.Status.DONE)
    assert Notification.objects.filter(recipient=officer).count() == 2


def test_the_unread_count_and_mark_read(event_type, officer, coordinator_a):
    event_type.append(officer)
    _emit(occurrence="1")
    _emit(occurrence="2")
    assert notifications.unread_count(officer) == 2
    # Only one's own: marking through another user's hands changes nothing.
    assert notifications.mark_read(Notification.objects.all(), by=coordinator_a) == 0
    assert notifications.mark_read(Notification.objects.all(), by=officer) == 2
    assert notifications.unread_count(officer) == 0
