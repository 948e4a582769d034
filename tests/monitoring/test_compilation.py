"""compile_replies: per question, States by English name, their replies, then stakeholders' comments."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from monitoring.compilation import UnknownQuestion, compile_replies
from monitoring.models import Question, Submission
from secretariat.models import Role
from tests.factories import (
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    ReplyFactory,
    SubmissionFactory,
    UserFactory,
    build_round,
)

pytestmark = pytest.mark.django_db

REGISTERED = Submission.Status.REGISTERED


@pytest.fixture
def germany():
    return PartyFactory(code="DEU", name_en="Germany", name_fr="Allemagne")


@pytest.fixture
def austria():
    return PartyFactory(code="AUT", name_en="Austria", name_fr="Autriche")


@pytest.fixture
def spain():
    return PartyFactory(code="ESP", name_en="Spain", name_fr="Espagne")


@pytest.fixture
def round(germany, austria, spain):
    return build_round(parties=[germany, austria, spain], number=2)


def question(round, ref):
    return Question.objects.get(round=round, ref=ref)


def reply(round, party, refs, text, *, organisation=None, status=REGISTERED, consent=True, order=0):
    """A reply block of `party` (or of `organisation` on it) answering `refs`."""
    submission = Submission.objects.filter(round=round, party=party, organisation=organisation).first()
    if submission is None:
        submission = SubmissionFactory(
            round=round, party=party, organisation=organisation, status=status, consent_to_publication=consent
        )
    questions = [question(round, ref) for ref in refs]
    return ReplyFactory(
        submission=submission, questions=questions, text=text, **({"order": order} if order else {})
    )


def test_states_are_in_alphabetical_order_of_their_english_names(round, germany, austria, spain):
    for party in (spain, germany, austria):
        reply(round, party, ["1.a"], f"{party.name_en} replies")

    compilation = compile_replies(round=round, question_ref="1", user=UserFactory())

    assert [state.name_en for state in compilation.questions[0].states] == ["Austria", "Germany", "Spain"]


def test_states_are_labelled_in_english_and_french_upper_case(round, germany):
    reply(round, germany, ["1.a"], "Wir antworten")

    [state] = compile_replies(round=round, question_ref="1", user=UserFactory()).states

    assert state.label == "GERMANY / ALLEMAGNE"


def test_french_name_falls_back_to_english_when_empty(round):
    party = PartyFactory(code="MCO", name_en="Monaco", name_fr="")
    reply(round, party, ["1"], "Monaco replies")

    [state] = compile_replies(round=round, question_ref="1", user=UserFactory()).states

    assert state.label == "MONACO / MONACO"


def test_stakeholder_comments_come_after_the_state_replies(round, germany):
    strada = OrganisationFactory(name="La Strada – Germany", party=germany)
    reply(round, germany, ["1.a"], "The State's reply")
    reply(round, germany, ["1.b"], "The NGO's comment", organisation=strada)

    [state] = compile_replies(round=round, question_ref="1", user=UserFactory()).states

    assert [block.html for block in state.replies] == ["<p>The State's reply</p>"]
    [commentary] = state.comments
    assert commentary.heading == "Comments sent by / Commentaires envoyés par La Strada – Germany"
    assert [block.html for block in commentary.blocks] == ["<p>The NGO's comment</p>"]


def test_comments_of_several_organisations_are_in_alphabetical_order(round, germany):
    reply(round, germany, ["1"], "From Zeta", organisation=OrganisationFactory(name="Zeta", party=germany))
    reply(round, germany, ["1"], "From Alpha", organisation=OrganisationFactory(name="Alpha", party=germany))

    [state] = compile_replies(round=round, question_ref="1", user=UserFactory()).states

    assert [commentary.organisation for commentary in state.comments] == ["Alpha", "Zeta"]


def test_reply_to_two_items_is_headed_with_their_refs():
    round = build_round(parties=[], questions_per_section=0, sections=1, number=3)
    section = round.sections.get()
    top = QuestionFactory(round=round, section=section, ref="16", order=1)
    sub = QuestionFactory(round=round, section=section, parent=top, ref="16.1", order=2)
    for order, letter in enumerate("ab", start=3):
        QuestionFactory(
            round=round, section=section, parent=sub, ref=f"16.1.{letter}", kind="item", order=order
        )
    reply(round, PartyFactory(), ["16.1.a", "16.1.b"], "Both items")

    [state] = compile_replies(round=round, question_ref="16", user=UserFactory()).states

    assert state.replies[0].heading == "Question 16.1.a., b."


def test_reply_answering_two_questions_appears_under_each_with_the_refs_of_that_question(round, germany):
    reply(round, germany, ["1.a", "2.b"], "One block for two questions")

    compilation = compile_replies(round=round, user=UserFactory())

    headings = {
        part.ref: [b.heading for s in part.states for b in s.replies] for part in compilation.questions
    }
    assert headings["1"] == ["Question 1.a."]
    assert headings["2"] == ["Question 2.b."]


def test_states_without_a_reply_to_the_question_are_left_out(round, germany, austria):
    reply(round, germany, ["1"], "Germany on question 1")
    reply(round, austria, ["2"], "Austria on question 2")

    compilation = compile_replies(round=round, question_ref="1", user=UserFactory())

    assert [state.name_en for state in compilation.states] == ["Germany"]


def test_state_replies_are_in_the_order_the_state_sent_them(round, germany):
    reply(round, germany, ["1.b"], "second", order=2)
    reply(round, germany, ["1.a"], "first", order=1)

    [state] = compile_replies(round=round, question_ref="1", user=UserFactory()).states

    assert [block.html for block in state.replies] == ["<p>first</p>", "<p>second</p>"]


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "resubmitted"])
def test_unregistered_submissions_are_not_compiled(round, germany, status):
    reply(round, germany, ["1"], "Not registered yet", status=status)

    assert compile_replies(round=round, question_ref="1", user=UserFactory()).states == []


def test_draft_preview_compiles_every_status_and_is_marked(round, germany, austria):
    reply(round, germany, ["1"], "Draft", status="draft")
    reply(round, austria, ["1"], "Registered")

    compilation = compile_replies(round=round, question_ref="1", user=UserFactory(), include_drafts=True)

    assert compilation.is_draft_preview
    assert [state.name_en for state in compilation.states] == ["Austria", "Germany"]


def test_confidential_submissions_are_not_compiled(round, germany):
    reply(round, germany, ["1"], "Not for publication", consent=False)

    assert compile_replies(round=round, question_ref="1", user=UserFactory()).states == []


def test_secretariat_may_include_confidential_submissions(round, germany):
    reply(round, germany, ["1"], "Not for publication", consent=False)

    compilation = compile_replies(
        round=round, question_ref="1", user=UserFactory(), include_confidential=True
    )

    assert compilation.includes_confidential
    assert [block.html for block in compilation.states[0].replies] == ["<p>Not for publication</p>"]


@pytest.mark.parametrize(
    "role", [Role.COMMITTEE_MEMBER, Role.STATE_COORDINATOR, Role.STAKEHOLDER_CONTRIBUTOR]
)
def test_only_the_secretariat_may_include_confidential_submissions(round, germany, role):
    organisation = OrganisationFactory(party=germany) if role == Role.STAKEHOLDER_CONTRIBUTOR else None
    party = germany if role == Role.STATE_COORDINATOR else None
    user = UserFactory(role=role, party=party, organisation=organisation)

    with pytest.raises(PermissionDenied):
        compile_replies(round=round, question_ref="1", user=user, include_confidential=True)


def test_state_user_compiles_only_their_own_party(round, germany, austria):
    reply(round, germany, ["1"], "Germany")
    reply(round, austria, ["1"], "Austria")
    coordinator = UserFactory(role=Role.STATE_COORDINATOR, party=germany)

    compilation = compile_replies(round=round, question_ref="1", user=coordinator, include_drafts=True)

    assert [state.name_en for state in compilation.states] == ["Germany"]


def test_committee_member_never_sees_drafts_even_in_a_preview(round, germany):
    reply(round, germany, ["1"], "Draft", status="draft")
    member = UserFactory(role=Role.COMMITTEE_MEMBER)

    assert compile_replies(round=round, question_ref="1", user=member, include_drafts=True).states == []


def test_question_is_given_in_english_and_french_with_english_when_french_is_missing(round):
    item = question(round, "1.a")
    item.text_fr = ""
    item.save()

    [part] = compile_replies(round=round, question_ref="1", user=UserFactory()).questions

    nodes = {node.ref: node for node in part.nodes}
    assert list(nodes) == ["1", "1.a", "1.b"]
    assert nodes["1"].text_fr == question(round, "1").text_fr
    assert nodes["1.a"].text_fr == item.text_en
    assert [node.label for node in part.nodes] == ["Question 1", "a)", "b)"]


def test_whole_round_compiles_every_question_in_questionnaire_order(round):
    compilation = compile_replies(round=round, user=UserFactory())

    assert [part.ref for part in compilation.questions] == ["1", "2", "3", "4", "5", "6"]
    assert compilation.title.en == "Compilation of replies to the questionnaire"


def test_unknown_question_ref_is_refused(round):
    with pytest.raises(UnknownQuestion):
        compile_replies(round=round, question_ref="99", user=UserFactory())


def test_title_block_has_a_reference_and_today_as_revision_date(round):
    round.launch_date = datetime.date(2017, 6, 16)

    compilation = compile_replies(round=round, question_ref="1", user=UserFactory())

    assert compilation.reference == "T-ES(2017)R2-Q1_bil"
    assert compilation.revision_date == timezone.localdate()
    assert (
        str(compilation.title)
        == "Compilation of replies to Question 1 / Compilation des réponses à la question 1"
    )


def test_reference_can_be_given(round):
    compilation = compile_replies(
        round=round, question_ref="1", user=UserFactory(), reference="T-ES(2018)21_bil"
    )

    assert compilation.reference == "T-ES(2018)21_bil"


def test_reply_referring_to_another_says_so(round, germany):
    original = reply(round, germany, ["1.a"], "The full answer")
    pointer = reply(round, germany, ["2"], "")
    pointer.see_reply = original
    pointer.save()

    [state] = compile_replies(round=round, question_ref="2", user=UserFactory()).states

    assert state.replies[0].see_reply == "See reply to question 1.a. / Voir la réponse à la question 1.a."


def _grow(round, parties, organisation_per_party=True):
    for party in parties:
        reply(round, party, ["1.a", "1.b", "2"], f"{party.code} first")
        reply(round, party, ["3"], f"{party.code} second")
        if organisation_per_party:
            reply(round, party, ["1"], "comment", organisation=OrganisationFactory(party=party))


@pytest.mark.parametrize("question_ref", ["1", None])
def test_query_count_does_not_grow_with_parties_and_replies(
    round, germany, question_ref, django_assert_max_num_queries, django_assert_num_queries
):
    _grow(round, [germany])
    secretariat = UserFactory()
    # Allowed: the questions, the replies (with submission, Party, organisation and referred
    # reply joined), the questions each reply answers and those of referred replies, the
    # replies' attachments.
    with django_assert_max_num_queries(4) as few:
        compile_replies(round=round, question_ref=question_ref, user=secretariat)
    _grow(round, PartyFactory.create_batch(30))
    with django_assert_num_queries(len(few.captured_queries)):
        compilation = compile_replies(round=round, question_ref=question_ref, user=secretariat)
    assert len({state.code for state in compilation.states}) == 31


def test_query_count_for_a_committee_member_is_bounded(round, germany, django_assert_max_num_queries):
    _grow(round, [germany, *PartyFactory.create_batch(20)])
    member = UserFactory(role=Role.COMMITTEE_MEMBER)
    # Allowed: the rapporteur assignments (for the scope), the questions, the replies, the
    # questions they answer, their attachments.
    with django_assert_max_num_queries(5):
        compile_replies(round=round, user=member)
