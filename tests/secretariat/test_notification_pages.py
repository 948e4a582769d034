"""The bell, the notifications list, marking read and the user's own preferences (admin and portal)."""

import pytest
from django.urls import reverse

from secretariat.models import Notification

pytestmark = pytest.mark.django_db


def _notify(user, count=1, subject="Subject"):
    start = Notification.objects.count()
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            event="test",
            key=f"test:{start + n}",
            subject=f"{subject} {start + n}",
            body="Body",
            url="/portal/",
        )
        for n in range(count)
    )


def test_the_admin_header_shows_the_bell_with_the_unread_count(client_for, officer, coordinator_a):
    _notify(officer, 3)
    _notify(coordinator_a, 5)
    response = client_for(officer).get(reverse("admin:index"))
    assert b'id="notification-bell"' in response.content
    assert b'<span class="unread-count has-unread">3</span>' in response.content


def test_the_portal_header_shows_the_bell_with_the_unread_count(client_for, coordinator_a, officer):
    _notify(coordinator_a, 2)
    _notify(officer, 4)
    response = client_for(coordinator_a).get(reverse("portal_notifications:list"))
    assert b'<span class="unread-count has-unread">2</span>' in response.content


@pytest.mark.parametrize("namespace", ["admin_notifications", "portal_notifications"])
@pytest.mark.parametrize("count", [1, 30])
def test_the_list_shows_ones_own_notifications_in_a_fixed_number_of_queries(
    client_for, officer, coordinator_a, namespace, count, django_assert_max_num_queries
):
    user = officer if namespace == "admin_notifications" else coordinator_a
    other = coordinator_a if user is officer else officer
    _notify(user, count)
    _notify(other, 1, subject="Not yours")
    client = client_for(user)
    # session, user (with the unread count), the page's count and rows; the admin's menu: permissions (2).
    with django_assert_max_num_queries(6 if namespace == "admin_notifications" else 4):
        response = client.get(reverse(f"{namespace}:list"))
    assert response.status_code == 200
    assert response.content.count(b'href="/portal/"') >= count
    assert b"Not yours" not in response.content


def test_the_admin_list_is_for_staff_only(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("admin_notifications:list"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_portal_list_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("portal_notifications:list"))
    assert response.status_code == 302


def test_mark_one_read(client_for, coordinator_a):
    _notify(coordinator_a, 2)
    first = Notification.objects.order_by("pk").first()
    response = client_for(coordinator_a).post(
        reverse("portal_notifications:read"), {"notification": first.pk, "next": "/portal/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert list(Notification.objects.filter(read_at__isnull=False)) == [first]


def test_mark_all_read(client_for, officer):
    _notify(officer, 3)
    response = client_for(officer).post(reverse("admin_notifications:read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client_for, officer, coordinator_a):
    _notify(officer)
    theirs = Notification.objects.get()
    response = client_for(coordinator_a).post(
        reverse("portal_notifications:read"), {"notification": theirs.pk}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_takes_a_post_and_refuses_bad_input(client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert client.get(reverse("portal_notifications:read")).status_code == 405
    assert client.post(reverse("portal_notifications:read"), {"notification": "x'"}).status_code == 302
    response = client.post(reverse("portal_notifications:read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("portal_notifications:list")


@pytest.mark.parametrize("namespace", ["admin_notifications", "portal_notifications"])
def test_users_set_their_own_language_and_e_mail_frequency(client_for, officer, coordinator_a, namespace):
    user = officer if namespace == "admin_notifications" else coordinator_a
    client = client_for(user)
    assert client.get(reverse(f"{namespace}:preferences")).status_code == 200
    response = client.post(
        reverse(f"{namespace}:preferences"), {"language": "fr", "email_frequency": "daily"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.language, user.email_frequency) == ("fr", "daily")
    assert user.history.first().history_user == user


def test_bad_preferences_are_refused_with_the_form(client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        reverse("portal_notifications:preferences"), {"language": "xx", "email_frequency": "hourly"}
    )
    assert response.status_code == 200
    coordinator_a.refresh_from_db()
    assert coordinator_a.language == "en"


def test_the_administrator_sets_them_in_the_user_admin(client_for, secretariat_admin, coordinator_a):
    response = client_for(secretariat_admin).get(
        reverse("admin:secretariat_user_change", args=[coordinator_a.pk])
    )
    assert b'name="language"' in response.content
    assert b'name="email_frequency"' in response.content
