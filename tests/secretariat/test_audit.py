"""The audit log: what it records, and that only Secretariat administrators read it."""

import io
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat import access, audit
from secretariat.admin_security import AuditEventResource
from secretariat.imports import open_source, run_import
from secretariat.models import AuditEvent, Role
from tests.factories import DocumentFactory, RoundFactory, UserFactory
from tests.secretariat.signin_helpers import PORTAL_LOGIN, give_totp, sign_in, start_totp_setup, totp_code

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind
AUDIT_LOG = reverse("admin:secretariat_auditevent_changelist")
BROWSER = {"HTTP_USER_AGENT": "Firefox/140", "REMOTE_ADDR": "192.0.2.7"}


def _last(kind: str) -> AuditEvent:
    return AuditEvent.objects.filter(kind=kind).latest("pk")


# --- sign-in ------------------------------------------------------------------------------------


def test_a_sign_in_is_recorded_with_address_and_browser(client, coordinator_a):
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN, **BROWSER)
    event = _last(Kind.SIGN_IN)
    assert (event.user, event.ip_address, event.user_agent) == (coordinator_a, "192.0.2.7", "Firefox/140")


def test_a_failed_sign_in_records_the_username_typed(client):
    sign_in(client, "nobody-here", password="wrong-password", url=PORTAL_LOGIN, **BROWSER)
    event = _last(Kind.SIGN_IN_FAILED)
    assert (event.user, event.username, event.ip_address) == (None, "nobody-here", "192.0.2.7")


def test_a_wrong_second_factor_code_is_recorded_as_a_failure(client, officer):
    give_totp(officer)
    sign_in(client, officer.username)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert _last(Kind.SIGN_IN_FAILED).details["step"] == "second_factor"


def test_a_lock_out_is_recorded(client, coordinator_a):
    for _ in range(5):
        sign_in(client, coordinator_a.username, password="wrong-password", url=PORTAL_LOGIN)
    assert _last(Kind.LOCKED_OUT).username == coordinator_a.username


def test_lifting_a_lock_out_is_recorded(client, client_for, secretariat_admin, coordinator_a):
    for _ in range(5):
        sign_in(client, coordinator_a.username, password="wrong-password", url=PORTAL_LOGIN)
    lockouts = reverse("admin:axes_accessattempt_changelist")
    attempt_ids = list(
        client_for(secretariat_admin).get(lockouts).context["cl"].queryset.values_list("pk", flat=True)
    )
    client_for(secretariat_admin).post(lockouts, {"action": "lift_lockouts", "_selected_action": attempt_ids})
    event = _last(Kind.LOCK_LIFTED)
    assert (event.user, event.target) == (secretariat_admin, coordinator_a.username)


def test_a_sign_out_after_idling_is_recorded_with_its_reason(client_for, coordinator_a, settings):
    client = client_for(coordinator_a)
    session = client.session
    session["signin_seen_at"] = 0
    session.save()
    client.get(reverse("portal:home"))
    assert _last(Kind.SIGN_OUT).details == {"reason": "idle"}


# --- second factor ------------------------------------------------------------------------------


def test_setting_up_an_authenticator_app_is_recorded(
    client, coordinator_a, django_capture_on_commit_callbacks
):
    sign_in(client, coordinator_a.username, url=PORTAL_LOGIN)
    secret = start_totp_setup(client)
    with django_capture_on_commit_callbacks(execute=True):  # allauth reports it once committed
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    actions = set(
        AuditEvent.objects.filter(kind=Kind.MFA_CHANGED).values_list("details__type", "details__action")
    )
    assert actions == {("totp", "added"), ("recovery_codes", "added")}


def test_regenerating_recovery_codes_is_recorded(client, coordinator_a, django_capture_on_commit_callbacks):
    give_totp(coordinator_a)
    client.force_login(coordinator_a)
    client.post(reverse("account_reauthenticate"), {"password": "pw"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    assert _last(Kind.MFA_CHANGED).details == {"action": "reset", "type": "recovery_codes"}


def test_an_administrator_removing_a_lost_authenticator_is_recorded(client_for, secretariat_admin, officer):
    give_totp(officer)
    totp = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    client_for(secretariat_admin).post(
        reverse("admin:mfa_authenticator_changelist"),
        {"action": "delete_selected", "_selected_action": [totp.pk], "post": "yes"},
    )
    assert not Authenticator.objects.filter(user=officer).exists()  # recovery codes go with it
    event = _last(Kind.MFA_CHANGED)
    assert (event.user, event.target, event.details["type"]) == (secretariat_admin, officer.username, "totp")


# --- roles --------------------------------------------------------------------------------------


def test_a_role_change_in_the_admin_records_who_made_it(client_for, secretariat_admin, officer):
    data = {
        "username": officer.username,
        "email": officer.email,
        "first_name": "",
        "last_name": "",
        "role": Role.COMMITTEE_MEMBER,
        "is_active": "on",
        "language": "en",
        "email_frequency": "each",
    }
    response = client_for(secretariat_admin).post(
        reverse("admin:secretariat_user_change", args=[officer.pk]), data
    )
    assert response.status_code == 302
    event = _last(Kind.ROLE_CHANGED)
    assert (event.user, event.target) == (secretariat_admin, officer.username)
    assert event.details["changes"] == {"role": [Role.SECRETARIAT_OFFICER, Role.COMMITTEE_MEMBER]}


@pytest.mark.parametrize(("field", "value"), [("is_active", False), ("is_superuser", True)])
def test_deactivation_and_superuser_status_are_role_changes(officer, field, value):
    setattr(officer, field, value)
    officer.save()
    assert _last(Kind.ROLE_CHANGED).details["changes"] == {field: [not value, value]}


def test_a_new_account_is_recorded_with_its_role():
    UserFactory(username="newcomer", role=Role.SECRETARIAT_ADMIN)
    event = _last(Kind.ROLE_CHANGED)
    assert (event.target, event.details["changes"]["role"]) == ("newcomer", [None, Role.SECRETARIAT_ADMIN])


def test_saving_an_account_without_a_role_change_records_nothing(officer):
    before = AuditEvent.objects.count()
    officer.first_name = "Olga"
    officer.save()
    assert AuditEvent.objects.count() == before


# --- exports, downloads, imports ----------------------------------------------------------------


def test_an_admin_list_export_is_recorded(client_for, officer):
    url = reverse("admin:secretariat_organisation_export")
    client_for(officer).post(url, {"format": "0", "resource": "0", "organisationresource_name": "on"})
    event = _last(Kind.EXPORT)
    assert (event.user, event.details["model"], event.details["format"]) == (
        officer,
        "secretariat.Organisation",
        "csv",
    )


def test_the_dataset_export_is_recorded(client_for, officer):
    assert client_for(officer).post(reverse("export_dataset", args=["csv"])).status_code == 302
    event = _last(Kind.EXPORT)
    assert (event.user, event.details["format"]) == (officer, "csv")
    assert event.target.startswith("whole dataset (in the background, #")


def test_the_dataset_export_command_is_recorded(tmp_path, secretariat_admin):
    call_command("export_data", str(tmp_path / "out"), user=secretariat_admin.username, stdout=io.StringIO())
    assert _last(Kind.EXPORT).details["command"] == "export_data"


def test_a_state_of_play_export_is_recorded(client_for, officer):
    round_ = RoundFactory(number=7)
    url = reverse("admin:monitoring_monitoringround_state_of_play", args=[round_.pk])
    assert client_for(officer).get(url, {"format": "csv"}).status_code == 200
    assert (_last(Kind.EXPORT).user, _last(Kind.EXPORT).target) == (officer, "state-of-play-round-7.csv")


def test_a_compliance_dashboard_export_is_recorded(client_for, officer):
    response = client_for(officer).get(reverse("recommendations_dashboard"), {"format": "xlsx"})
    assert response.status_code == 200
    assert _last(Kind.EXPORT).target == "compliance.xlsx"


def test_a_compilation_records_whether_drafts_and_confidential_replies_were_included(client_for, officer):
    round_ = RoundFactory(number=7)
    url = reverse("monitoring:compilation", args=[round_.number])
    query = {"format": "html", "question": "", "include_drafts": "on", "reference": ""}
    assert client_for(officer).get(url, query).status_code == 200
    details = _last(Kind.EXPORT).details
    assert (details["include_drafts"], details["include_confidential"]) == (True, False)


def test_issuing_an_api_token_is_recorded(coordinator_a):
    call_command("create_api_token", coordinator_a.username, stdout=io.StringIO(), stderr=io.StringIO())
    event = _last(Kind.API_TOKEN_ISSUED)
    assert (event.user, event.target) == (coordinator_a, "API token of coord-a")


def test_a_file_download_is_recorded(client_for, coordinator_b, party_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(party=party_b, url="", file=SimpleUploadedFile("replies.txt", b"replies of B"))
    assert client_for(coordinator_b).get(document.file.url).status_code == 200
    event = _last(Kind.FILE_DOWNLOAD)
    assert (event.user, event.target) == (coordinator_b, document.file.name)


def test_a_refused_download_is_not_recorded_as_one(client_for, coordinator_a, party_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(party=party_b, url="", file=SimpleUploadedFile("replies.txt", b"replies of B"))
    assert client_for(coordinator_a).get(document.file.url).status_code == 404
    assert not AuditEvent.objects.filter(kind=Kind.FILE_DOWNLOAD).exists()


def test_an_import_is_recorded(officer):
    run_import("parties", open_source(Path("fixtures/parties.csv"), "parties.csv"), user=officer)
    event = _last(Kind.IMPORT)
    assert (event.user, event.target, event.details["created"]) == (officer, "parties.csv", 47)


def test_a_dry_run_is_not_recorded_as_an_import(officer):
    run_import(
        "parties", open_source(Path("fixtures/parties.csv"), "parties.csv"), user=officer, dry_run=True
    )
    assert not AuditEvent.objects.filter(kind=Kind.IMPORT).exists()


def test_an_import_that_changes_nothing_writes_no_audit_event(officer):
    source = Path("fixtures/parties.csv")
    run_import("parties", open_source(source, "parties.csv"), user=officer)
    run_import("parties", open_source(source, "parties.csv"), user=officer)
    assert AuditEvent.objects.filter(kind=Kind.IMPORT).count() == 1


# --- who reads it -------------------------------------------------------------------------------


def test_an_administrator_reads_the_audit_log(client_for, secretariat_admin, coordinator_a):
    audit.record(Kind.EXPORT, user=coordinator_a, target="Parties")
    response = client_for(secretariat_admin).get(AUDIT_LOG)
    assert response.status_code == 200
    assert coordinator_a.username in response.text


@pytest.mark.parametrize("persona", ["officer", "committee_member", "coordinator_a", "stakeholder_b"])
def test_no_one_else_reads_the_audit_log(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(AUDIT_LOG).status_code in (302, 403)
    assert not access.scoped(AuditEvent, user).exists()


@pytest.mark.parametrize("persona", ["officer", "committee_member"])
def test_the_audit_log_is_not_exported_for_anyone_else(request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("admin:secretariat_auditevent_export"), {"format": "0", "resource": "0"}
    )
    assert response.status_code == 403


def test_an_administrator_exports_the_audit_log(client_for, secretariat_admin, coordinator_a):
    audit.record(Kind.FILE_DOWNLOAD, user=coordinator_a, target="documents/2026/replies.pdf")
    fields = {f"auditeventresource_{name}": "on" for name in AuditEventResource().get_export_order()}
    response = client_for(secretariat_admin).post(
        reverse("admin:secretariat_auditevent_export"), {"format": "0", "resource": "0", **fields}
    )
    assert response.status_code == 200
    assert "documents/2026/replies.pdf" in response.content.decode()
    assert _last(Kind.EXPORT).details["model"] == "secretariat.AuditEvent"  # exporting it is recorded too


def test_the_audit_log_is_read_only_even_for_an_administrator(client_for, secretariat_admin, coordinator_a):
    event = audit.record(Kind.SIGN_IN, user=coordinator_a)
    client = client_for(secretariat_admin)
    assert client.get(reverse("admin:secretariat_auditevent_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:secretariat_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    client.post(reverse("admin:secretariat_auditevent_change", args=[event.pk]), {"target": "changed"})
    event.refresh_from_db()
    assert event.target == ""


def test_a_superuser_cannot_change_the_audit_log_either(client_for, coordinator_a):
    superuser = UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    event = audit.record(Kind.SIGN_IN, user=coordinator_a)
    client = client_for(superuser)
    assert (
        client.post(
            reverse("admin:secretariat_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_audit_log_is_in_french(client_for, secretariat_admin, coordinator_a):
    audit.record(Kind.SIGN_IN, user=coordinator_a)
    response = client_for(secretariat_admin).get(AUDIT_LOG, headers={"accept-language": "fr"})
    assert "journal d’audit" in response.text
    assert "Connexion" in response.text


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    sign_in(
        client,
        "nobody-here",
        password="wrong",
        url=PORTAL_LOGIN,
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5",
    )
    assert _last(Kind.SIGN_IN_FAILED).ip_address == "203.0.113.5"


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client):
    sign_in(client, "nobody-here", password="wrong", url=PORTAL_LOGIN, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert _last(Kind.SIGN_IN_FAILED).ip_address == "127.0.0.1"


def test_the_audit_log_runs_as_many_queries_for_many_events_as_for_few(client_for, secretariat_admin):
    client = client_for(secretariat_admin)

    def page_queries(events: int) -> int:
        for user in UserFactory.create_batch(events, role=Role.SECRETARIAT_OFFICER):
            audit.record(Kind.EXPORT, user=user, target="Parties")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(AUDIT_LOG).status_code == 200
        return len(queries)

    assert page_queries(2) == page_queries(40)
