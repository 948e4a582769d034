"""What the admin calls records: as people name them, not by codes, usernames or database refs."""

import datetime

import pytest
from django.utils import translation

from monitoring.models import Reply, refs_as_written
from secretariat.admin_base import deadline_cell, short_label
from secretariat.models import User
from tests.factories import PartyFactory, QuestionFactory, ReplyFactory, RoundFactory, SubmissionFactory
from tests.recommendations.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_refs_of_one_question_read_as_written():
    assert refs_as_written(["16.1.a"]) == "16.1.a"


def test_items_of_one_question_are_named_by_their_letter_after_the_first():
    assert refs_as_written(["16.1.a", "16.1.c"]) == "16.1.a and c"


def test_refs_of_several_questions_are_listed_with_and():
    assert refs_as_written(["1.1", "1.2", "1.r1"]) == "1.1, 1.2 and 1.r1"


def test_reply_is_named_after_the_questions_it_answers():
    round_ = RoundFactory()
    submission = SubmissionFactory(round=round_, party=PartyFactory())
    reply = ReplyFactory(submission=submission)
    reply.questions.set([QuestionFactory(round=round_, ref=ref) for ref in ("16.1.a", "16.1.c")])
    assert str(reply) == "Reply to questions 16.1.a and c"


def test_unsaved_reply_is_named_reply():
    assert str(Reply(text="draft")) == "Reply"


def test_reply_label_is_in_french_on_a_french_page():
    with translation.override("fr"):
        assert str(Reply(text="brouillon")) == "Réponse"


def test_user_is_named_by_full_name():
    assert str(User(username="rus-coordinator", first_name="Ivan", last_name="Petrov")) == "Ivan Petrov"


def test_user_without_a_name_is_named_by_username():
    assert str(User(username="rus-coordinator")) == "rus-coordinator"


def test_report_is_named_by_its_title_not_its_reference():
    report = ReportFactory(reference="LC-R2-IMPLEMENTATION-REPORT", title_en="Implementation report")
    assert str(report) == "Implementation report"


def test_report_short_title_names_its_round():
    report = ReportFactory(round=RoundFactory(number=2))
    assert report.short_title == "Round 2 implementation report"


def test_round_short_name_is_its_number():
    assert RoundFactory(number=3).short_name == "Round 3"


def test_short_label_keeps_the_full_text_as_tooltip():
    assert (
        short_label("Round 2", "Round 2: A <long> title")
        == '<span title="Round 2: A &lt;long&gt; title">Round 2</span>'
    )


def test_deadline_cell_says_overdue_in_words_not_with_a_red_cross():
    cell = deadline_cell(datetime.date(2024, 3, 10), overdue=True)
    assert 'class="overdue"' in cell and "overdue" in cell and "icon-no" not in cell


def test_deadline_cell_of_a_deadline_not_passed_is_only_the_date():
    assert "overdue" not in deadline_cell(datetime.date(2024, 3, 10), overdue=False)
