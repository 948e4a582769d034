"""Searching replies: within the user's scope, by round, Party, question and language."""

import pytest
from django.db import connection

from monitoring.models import Submission
from monitoring.search import search_replies
from tests.factories import ReplyFactory, build_round

pytestmark = pytest.mark.django_db
Status = Submission.Status
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming needs PostgreSQL full-text search"
)


@pytest.fixture
def submission_a(round_, party_a, make_submission):
    return make_submission(round_, party_a, Status.REGISTERED)


@pytest.fixture
def submission_b(round_, party_b, make_submission):
    return make_submission(round_, party_b, Status.REGISTERED)


def _reply(submission, text, *refs, language="en"):
    questions = [submission.round.questions.get(ref=ref) for ref in refs or ["1"]]
    return ReplyFactory(submission=submission, text=text, language=language, questions=questions)


def _found(user, query, **filters) -> set[int]:
    return {reply.pk for reply in search_replies(user=user, query=query, **filters)}


def test_every_word_must_appear_whatever_its_case(officer, submission_a):
    wanted = _reply(submission_a, "A national Helpline for children.")
    _reply(submission_a, "A helpline for adults.")
    assert _found(officer, "helpline CHILDREN") == {wanted.pk}


def test_an_empty_query_keeps_only_the_filters(officer, submission_a, submission_b):
    french = _reply(submission_a, "Texte", language="fr")
    _reply(submission_b, "Text")
    assert _found(officer, "  ", language="fr") == {french.pk}


def test_round_filter(officer, submission_a, party_a, make_submission):
    other_round = build_round(parties=[party_a])
    in_round = _reply(submission_a, "training of judges")
    _reply(make_submission(other_round, party_a), "training of judges")
    assert _found(officer, "training", round=submission_a.round) == {in_round.pk}


def test_party_filter(officer, submission_a, submission_b, party_b):
    _reply(submission_a, "Barnahus model")
    russian = _reply(submission_b, "Barnahus model")
    assert _found(officer, "barnahus", party=party_b) == {russian.pk}


def test_language_filter(officer, submission_a):
    _reply(submission_a, "Barnahus", language="en")
    french = _reply(submission_a, "Barnahus", language="fr")
    assert _found(officer, "barnahus", language="fr") == {french.pk}


def test_question_ref_filter_matches_the_question_and_the_nodes_below_it(officer, submission_a):
    to_question = _reply(submission_a, "hotline", "1")
    to_item = _reply(submission_a, "hotline", "1.b")
    _reply(submission_a, "hotline", "2.a")
    assert _found(officer, "hotline", question_ref="1") == {to_question.pk, to_item.pk}


def test_question_ref_filter_does_not_confuse_1_with_10(officer, round_, party_a, make_submission):
    round_ten = build_round(parties=[party_a], questions_per_section=10, sections=1)
    submission = make_submission(round_ten, party_a)
    _reply(submission, "hotline", "10.a")
    first = _reply(submission, "hotline", "1.a")
    assert _found(officer, "hotline", question_ref="1") == {first.pk}


def test_a_reply_answering_several_questions_is_found_once(officer, submission_a):
    reply = _reply(submission_a, "hotline", "1.a", "1.b")
    assert [r.pk for r in search_replies(user=officer, query="hotline", question_ref="1")] == [reply.pk]


def test_state_user_finds_only_their_own_party_replies(coordinator_a, submission_a, submission_b):
    own = _reply(submission_a, "awareness campaign")
    _reply(submission_b, "awareness campaign")
    assert _found(coordinator_a, "campaign") == {own.pk}


def test_committee_member_does_not_find_drafts(committee_member, round_, party_a, make_submission):
    _reply(make_submission(round_, party_a, Status.DRAFT), "awareness campaign")
    assert _found(committee_member, "campaign") == set()


@postgresql_only
def test_french_words_find_their_variants_in_french_replies(officer, submission_a):
    reply = _reply(submission_a, "Les autorités doivent coopérer avec les ONG.", language="fr")
    _reply(submission_a, "Aucune mention ici.", language="fr")
    assert _found(officer, "coopération") == {reply.pk}


@postgresql_only
def test_english_words_find_their_variants_in_english_replies(officer, submission_a):
    reply = _reply(submission_a, "International cooperation with Europol.")
    assert _found(officer, "cooperating") == {reply.pk}


@postgresql_only
def test_replies_are_stemmed_in_their_own_language_only(officer, submission_a):
    # "coopérer" is stemmed by the French rules only in French replies.
    _reply(submission_a, "Les autorités doivent coopérer.", language="en")
    assert _found(officer, "coopération") == set()


@postgresql_only
def test_best_matches_come_first(officer, submission_a):
    once = _reply(submission_a, "Cooperation with NGOs and schools.")
    twice = _reply(submission_a, "Cooperation, cooperation and more cooperation.")
    found = list(search_replies(user=officer, query="cooperation"))
    assert found == [twice, once]


@postgresql_only
def test_the_search_uses_the_language_indexes(officer, submission_a):
    for n in range(200):
        _reply(submission_a, f"Reply number {n} about training", language="en" if n % 2 else "fr")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_reply")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search_replies(user=officer, query="coopération").explain()
    assert "reply_text_fts_fr" in plan
    assert "reply_text_fts_en" in plan
