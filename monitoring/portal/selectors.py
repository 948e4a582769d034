"""What the State portal reads: a respondent's rounds and progress, and a questionnaire as a tree.

Every queryset comes from secretariat.access; trees are built in Python so that a page runs a
fixed number of queries whatever the size of the questionnaire or the number of replies.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language

from secretariat import access

from ..models import MonitoringRound, Question, Reply, Section, Submission, Transition


def count_answered(answered_refs: set[str], numbered_refs: set[str]) -> int:
    """How many numbered questions have a reply to themselves or to any node below them."""
    return len({ref.split(".")[0] for ref in answered_refs} & numbered_refs)


# --- the home page -----------------------------------------------------------------------------


@dataclass
class RoundRow:
    round: MonitoringRound
    submission: Submission | None
    answered: int
    total: int

    @property
    def deadline(self) -> datetime.date | None:
        return self.submission.effective_deadline if self.submission else self.round.reply_deadline

    @property
    def is_overdue(self) -> bool:
        if self.submission:
            return self.submission.is_overdue()
        return self.deadline is not None and timezone.localdate() > self.deadline


def rounds_overview(user) -> list[RoundRow]:
    """The user's rounds with their own submission (if opened yet) and its progress, in four queries."""
    if not access.is_respondent(user):
        return []
    rounds = list(access.scoped(MonitoringRound, user))
    if not rounds:
        return []
    # A respondent's scope holds only their own submissions: their Party's, or their organisation's.
    submissions = {s.round_id: s for s in access.scoped(Submission, user).filter(round__in=rounds)}
    numbered = defaultdict(set)
    for round_id, ref in (
        access.scoped(Question, user)
        .filter(round__in=rounds, kind=Question.Kind.QUESTION)
        .values_list("round_id", "ref")
    ):
        numbered[round_id].add(ref)
    answered = defaultdict(set)
    for submission_id, ref in (
        access.scoped(Reply, user)
        .filter(submission__in=list(submissions.values()), questions__isnull=False)
        .values_list("submission_id", "questions__ref")
        .distinct()
    ):
        answered[submission_id].add(ref)
    rows = []
    for round in rounds:
        submission = submissions.get(round.pk)
        done = count_answered(answered[submission.pk], numbered[round.pk]) if submission else 0
        rows.append(RoundRow(round, submission, done, len(numbered[round.pk])))
    return rows


# --- the questionnaire ---------------------------------------------------------------------------


@dataclass
class QuestionBlock:
    """A numbered question with the nodes below it and the replies answering any of them."""

    question: Question
    nodes: list[Question] = field(default_factory=list)  # the question first, then its nodes in order
    replies: list[Reply] = field(default_factory=list)
    form: object | None = None  # the "add a reply" form, set by the view while the submission is editable

    @property
    def below(self) -> list[Question]:
        return self.nodes[1:]

    @property
    def heading(self) -> str:
        """The question's title: the first line of its text ('National curriculum')."""
        return self.question.text.strip().partition("\n")[0]

    @property
    def intro(self) -> str:
        """What follows the title in the question's own text, if anything."""
        return self.question.text.strip().partition("\n")[2].strip()

    @property
    def in_english_only(self) -> bool:
        """Whether any text of the question falls back to English (a French page, no French text)."""
        return any(getattr(node, "fallback_lang", "") for node in self.nodes)  # set by questionnaire()

    @property
    def unanswered_items(self) -> list[Question]:
        """The items (nodes with nothing below them) that no reply answers, itself or above it.

        A reply to 1.1 answers 1.1.a and 1.1.b; a reply to 1 answers every item of question 1.
        """
        answered = {question.ref for reply in self.replies for question in reply.questions.all()}
        parents = {node.parent_id for node in self.nodes}
        return [
            node
            for node in self.below
            if node.pk not in parents and not any(ref in answered for ref in _refs_up(node.ref))
        ]


def _refs_up(ref: str) -> list[str]:
    """The ref and those above it: 1.1.a, 1.1, 1."""
    parts = ref.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


@dataclass
class SectionBlock:
    section: Section
    questions: list[QuestionBlock] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for block in self.questions if block.replies)


@dataclass
class Questionnaire:
    submission: Submission
    sections: list[SectionBlock]
    replies: list[Reply]
    transitions: list[Transition]

    @property
    def blocks(self) -> list[QuestionBlock]:
        return [block for section in self.sections for block in section.questions]

    @property
    def answered(self) -> int:
        return sum(1 for block in self.blocks if block.replies)

    @property
    def total(self) -> int:
        return len(self.blocks)

    @property
    def return_message(self) -> Transition | None:
        """The Secretariat's latest request for clarification, while the submission awaits it."""
        if self.submission.status != Submission.Status.RETURNED:
            return None
        returns = [t for t in self.transitions if t.to_status == Submission.Status.RETURNED]
        return returns[-1] if returns else None

    @property
    def unanswered(self) -> list[QuestionBlock]:
        """The numbered questions no reply answers, in order."""
        return [block for block in self.blocks if not block.replies]

    @property
    def partly_answered(self) -> list[QuestionBlock]:
        """The questions answered in part: some of their items have no reply."""
        return [block for block in self.blocks if block.replies and block.unanswered_items]

    def block(self, question_id: int) -> QuestionBlock | None:
        return next((b for b in self.blocks if b.question.pk == question_id), None)

    def section(self, order: int | None) -> SectionBlock | None:
        """The section of that order (the first one when `order` is None)."""
        if order is None:
            return self.sections[0] if self.sections else None
        return next((s for s in self.sections if s.section.order == order), None)

    def section_of(self, block: QuestionBlock) -> SectionBlock:
        return next(s for s in self.sections if block in s.questions)

    def neighbours(self, current: SectionBlock) -> tuple[SectionBlock | None, SectionBlock | None]:
        """The sections before and after `current`."""
        index = self.sections.index(current)
        before = self.sections[index - 1] if index > 0 else None
        after = self.sections[index + 1] if index + 1 < len(self.sections) else None
        return before, after

    def reply(self, reply_id: int) -> Reply | None:
        return next((r for r in self.replies if r.pk == reply_id), None)


def submission_replies(user, submission: Submission) -> list[Reply]:
    """The submission's replies with what they answer and carry (three queries).

    The replies carry their stored HTML and excerpt, not their Markdown (a page of 120 long
    replies shows the one and offers the other). Each reply gets `see_reply_target`, the reply
    it points to, found among its siblings rather than by one query per reply.
    """
    replies = list(
        access.scoped(Reply, user)
        .filter(submission=submission)
        .defer("text")
        .select_related("updated_by")
        .prefetch_related("questions", "attachments")
    )
    by_id = {reply.pk: reply for reply in replies}
    for reply in replies:
        reply.see_reply_target = by_id.get(reply.see_reply_id)
    return replies


def questionnaire(user, submission: Submission) -> Questionnaire:
    """The submission's round as sections > numbered questions > nodes, with the replies (7 queries;
    2 for a submission not saved yet, which has no replies and no history)."""
    round_id = submission.round_id
    sections = [SectionBlock(section) for section in access.scoped(Section, user).filter(round=round_id)]
    by_section = {block.section.pk: block for block in sections}
    questions = list(access.scoped(Question, user).filter(round=round_id).order_by("order", "pk"))
    blocks: dict[str, QuestionBlock] = {}
    french = (get_language() or "en").startswith("fr")
    for question in questions:
        question.depth = question.ref.count(".")  # how far to indent: 1 > 1.1 > 1.1.a
        # Its text shown in English on a French page: the page says so and marks it lang="en".
        question.fallback_lang = "en" if french and not question.text_fr else ""
        if question.kind == Question.Kind.QUESTION:
            blocks[question.ref] = QuestionBlock(question, [question])
            by_section[question.section_id].questions.append(blocks[question.ref])
    for question in questions:
        if question.kind != Question.Kind.QUESTION and (block := blocks.get(question.top_ref)):
            block.nodes.append(question)
    replies = submission_replies(user, submission) if submission.pk else []
    for reply in replies:
        for top_ref in dict.fromkeys(question.top_ref for question in reply.questions.all()):
            if block := blocks.get(top_ref):
                block.replies.append(reply)
    transitions = []
    if submission.pk:
        transitions = list(access.scoped(Transition, user).filter(submission=submission).select_related("by"))
    return Questionnaire(submission, sections, replies, transitions)
