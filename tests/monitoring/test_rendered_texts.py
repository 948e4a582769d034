"""Replies keep their stored HTML and excerpt in step on every write path (portal, imports), and the
pages read them instead of rendering the Markdown again (secretariat/rendering.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import Reply, Submission
from secretariat.imports import open_source, run_import
from tests.factories import ReplyFactory, SubmissionFactory, build_round
from tests.monitoring.test_portal_replies import edit, new_reply, question, questionnaire_url
from tests.secretariat.test_rendering import assert_fresh

pytestmark = pytest.mark.django_db

STORED = "<p>Stored <strong>rendering</strong></p>"


@pytest.fixture
def round_ab(party_a, party_b):
    return build_round(parties=[party_a, party_b], questions_per_section=2, sections=1)


@pytest.fixture
def reply_a(round_ab, party_a):
    submission = SubmissionFactory(round=round_ab, party=party_a)
    return ReplyFactory(submission=submission, text="First *text*", questions=[question(round_ab, "1")])


def _stored_elsewhere(reply: Reply) -> None:
    """Give the reply a stored HTML no renderer would make from its text: a page showing it read it."""
    Reply.objects.filter(pk=reply.pk).update(text_html=STORED, text_excerpt="Stored excerpt")


# --- writes ---------------------------------------------------------------------------------------


def test_a_reply_added_in_the_portal_stores_its_rendering(client_for, contributor_a, round_ab):
    top = question(round_ab, "1")
    client_for(contributor_a).post(questionnaire_url(round_ab), new_reply(top, text="Our **law**."))
    reply = Reply.objects.get()
    assert_fresh(reply)
    assert reply.text_html == "<p>Our <strong>law</strong>.</p>"


def test_a_reply_edited_in_the_portal_stores_its_new_rendering(client_for, contributor_a, reply_a):
    url = reverse("portal:reply_edit", args=[reply_a.pk])
    response = client_for(contributor_a).post(url, edit(reply_a, text="Second *text*"))
    assert response.status_code == 302
    assert_fresh(reply_a)
    assert Reply.objects.get(pk=reply_a.pk).text_excerpt == "Second text"


def _import(text: str, user):
    header = "round,party,respondent_kind,respondent,question_refs,language,text\n"
    return run_import("replies", open_source((header + text).encode(), "replies.csv"), user=user)


def test_imported_replies_store_their_renderings(round_ab, party_a, officer):
    _import(f'{round_ab.number},{party_a.code},state,,1.a,en,"A *new* law"\n', officer)
    reply = Reply.objects.get()
    assert_fresh(reply)
    assert reply.text_html == "<p>A <em>new</em> law</p>"


def test_a_reply_changed_by_an_import_stores_its_new_rendering(round_ab, party_a, officer):
    _import(f"{round_ab.number},{party_a.code},state,,1.a,en,First\n", officer)
    Submission.objects.update(status=Submission.Status.DRAFT)  # handed back: the import may change it
    report = _import(f'{round_ab.number},{party_a.code},state,,1.a,fr,"**Premier**"\n', officer)
    assert report.changed == 1
    reply = Reply.objects.get()
    assert_fresh(reply)
    assert (reply.text_html, reply.text_excerpt) == ("<p><strong>Premier</strong></p>", "Premier")


# --- reads ----------------------------------------------------------------------------------------


def test_the_portal_questionnaire_shows_the_stored_html(client_for, contributor_a, reply_a):
    _stored_elsewhere(reply_a)
    page = client_for(contributor_a).get(questionnaire_url(reply_a.submission.round)).text
    assert STORED in page
    assert "First <em>text</em>" not in page


def test_the_portal_offers_replies_to_point_to_by_their_stored_excerpt(client_for, contributor_a, reply_a):
    _stored_elsewhere(reply_a)
    page = client_for(contributor_a).get(questionnaire_url(reply_a.submission.round)).text
    assert "Reply to question 1 – Stored excerpt" in page


def test_the_edit_page_still_edits_the_markdown(client_for, contributor_a, reply_a):
    page = client_for(contributor_a).get(reverse("portal:reply_edit", args=[reply_a.pk])).text
    assert "First *text*</textarea>" in page


def test_the_reply_admin_shows_the_stored_excerpt_and_html(client_for, officer, reply_a):
    _stored_elsewhere(reply_a)
    client = client_for(officer)
    assert "Stored excerpt" in client.get(reverse("admin:monitoring_reply_changelist")).text
    assert STORED in client.get(reverse("admin:monitoring_reply_change", args=[reply_a.pk])).text
    submission_page = reverse("admin:monitoring_submission_change", args=[reply_a.submission_id])
    assert "Stored excerpt" in client.get(submission_page).text


def _reply_selects(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].startswith('SELECT "monitoring_reply"."id"')]


@pytest.mark.parametrize(
    "page", ["admin:monitoring_reply_changelist", "admin:monitoring_submission_change", "portal"]
)
def test_lists_of_replies_load_neither_the_markdown_nor_the_html_they_do_not_show(
    client_for, officer, contributor_a, reply_a, page
):
    if page == "portal":
        client, url = client_for(contributor_a), questionnaire_url(reply_a.submission.round)
    else:
        args = [reply_a.submission_id] if page.endswith("change") else []
        client, url = client_for(officer), reverse(page, args=args)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    selects = _reply_selects(queries.captured_queries)
    assert selects, "the page reads its replies"
    for sql in selects:
        assert '"monitoring_reply"."text",' not in sql
        if page != "portal":  # the portal shows the HTML; the admin lists show the excerpt only
            assert '"monitoring_reply"."text_html"' not in sql
