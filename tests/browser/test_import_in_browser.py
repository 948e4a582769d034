"""End to end in Chromium: upload a file, follow the background check, confirm, see the summary."""

import pytest

from secretariat.models import Party, User
from tests.secretariat.import_helpers import import_files, run_worker  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTIES = b"code;name_en;name_fr\nBEL;Belgium;Belgique\nNLD;Netherlands;Pays-Bas\n"


@pytest.mark.usefixtures("import_files")
def test_an_import_is_checked_confirmed_and_done_in_the_background(log_in, live_server):
    User.objects.create_superuser("anna", password="pw", role="secretariat_admin")
    page = log_in("anna")
    page.goto(f"{live_server.url}/imports/parties/")
    page.set_input_files(
        "input[type=file]", files=[{"name": "parties.csv", "mimeType": "text/csv", "buffer": PARTIES}]
    )
    page.locator("#content-main form input[type=submit]").last.click()
    page.wait_for_selector("#import-progress")  # queued: the request did not import anything

    run_worker()  # the check (a dry run) in the background; the page's script notices and reloads
    page.wait_for_selector("#import-counts")
    assert "Would create 2" in page.locator("#import-summary").inner_text()
    assert not Party.objects.exists()

    page.click("input[name=confirm]")
    page.wait_for_selector("#import-progress")
    run_worker()
    page.wait_for_selector("#import-changelist")
    assert "Created 2" in page.locator("#import-summary").inner_text()
    assert sorted(Party.objects.values_list("code", flat=True)) == ["BEL", "NLD"]


def _upload(page, live_server) -> None:
    page.goto(f"{live_server.url}/imports/parties/")
    page.set_input_files(
        "input[type=file]", files=[{"name": "parties.csv", "mimeType": "text/csv", "buffer": PARTIES}]
    )
    page.locator("#content-main form input[type=submit]").last.click()
    page.wait_for_selector("#import-progress")


@pytest.mark.usefixtures("import_files")
def test_the_progress_shows_no_row_count_before_the_worker_counts_the_rows(log_in, live_server):
    User.objects.create_superuser("anna", password="pw", role="secretariat_admin")
    page = log_in("anna")
    _upload(page, live_server)
    assert "0 / 0" not in page.locator("#content-main").inner_text()
    assert page.locator("#import-progress-label").inner_text() == ""


@pytest.mark.usefixtures("import_files")
def test_a_file_imported_again_unchanged_ends_as_nothing_to_change(log_in, live_server):
    User.objects.create_superuser("anna", password="pw", role="secretariat_admin")
    page = log_in("anna")
    _upload(page, live_server)
    run_worker()
    page.wait_for_selector("input[name=confirm]")
    page.click("input[name=confirm]")
    page.wait_for_selector("#import-progress")
    run_worker()
    page.wait_for_selector("#import-changelist")
    assert page.locator("#content-main").inner_text().count("Imported") == 1

    _upload(page, live_server)  # the same file again
    run_worker()
    page.wait_for_selector("#import-counts")
    assert page.locator("#import-status").inner_text() == "Nothing to change"
    assert (
        "Nothing to change: the 2 rows are already in the database."
        in page.locator("#import-summary").inner_text()
    )
    assert page.locator("input[name=confirm]").count() == 0
    assert "waiting for confirmation" not in page.locator("#content-main").inner_text()
