"""What a compilation of replies holds, read once from the database through the access module.

A compilation follows the Secretariat's documents (see DOMAIN.md, step 4): per question, the
question in English and French, a table of contents of the States in alphabetical order of their
English names, then for each State its replies and the comments other stakeholders sent on it.
"""

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from secretariat import access
from secretariat.models import User
from secretariat.models import localized as localized_text

from ..models import (
    ChildParticipation,
    MonitoringRound,
    Question,
    Reply,
    ReplyAttachment,
    Submission,
    format_refs,
)
from ..participation_aggregates import (
    SUPPRESSION_THRESHOLD,
    Table,
    cleared_quotes,
    registered_contributions,
    table,
)


@dataclass(frozen=True)
class Bilingual:
    """A text printed in both languages, English first ('State replies / Réponses de l'État')."""

    en: str
    fr: str

    def __str__(self) -> str:
        return self.en if self.en == self.fr else f"{self.en} / {self.fr}"


# A compilation is a bilingual document by design: its headings are printed in both languages
# whatever the reader's interface language, so they are fixed pairs here rather than gettext
# strings (which would print one language twice).
STATE_REPLIES = Bilingual("State replies", "Réponses de l'État")
COMMENTS_SENT_BY = Bilingual("Comments sent by", "Commentaires envoyés par")
CONTENTS = Bilingual("Contents", "Table des matières")
DRAFT_PREVIEW = Bilingual("DRAFT PREVIEW – not registered", "APERÇU PROVISOIRE – non enregistré")
CONFIDENTIAL = Bilingual(
    "Includes confidential material – not for publication",
    "Contient des éléments confidentiels – ne pas publier",
)
CONVENTION = Bilingual("LANZAROTE CONVENTION", "CONVENTION DE LANZAROTE")
CONVENTION_NAME = Bilingual(
    "Council of Europe Convention on the protection of children against sexual exploitation and sexual abuse",
    "Convention du Conseil de l'Europe sur la protection des enfants contre l'exploitation "
    "et les abus sexuels",
)
REVISION = Bilingual("Revision", "Révision")
SEE_REPLY = Bilingual("See reply to question", "Voir la réponse à la question")
ATTACHMENTS = Bilingual("Attachments", "Pièces jointes")
NO_REPLIES = Bilingual("No replies to compile.", "Aucune réponse à compiler.")
CHILDREN_VIEWS = Bilingual(
    "Children's views (child participation)", "Avis des enfants (participation des enfants)"
)
CHILDREN_NOTE = Bilingual(
    f"What children consulted by organisations following the Committee's guidelines said on this question, "
    f"from registered contributions. Counts of fewer than {SUPPRESSION_THRESHOLD} children are not shown "
    f"separately.",
    f"Ce qu'ont dit les enfants consultés par des organisations selon les lignes directrices du Comité sur "
    f"cette question, d'après les contributions enregistrées. Les effectifs de moins de "
    f"{SUPPRESSION_THRESHOLD} enfants ne sont pas indiqués séparément.",
)
CHILDREN_CONSULTED = Bilingual("Children consulted", "Enfants consultés")
FEWER_THAN = Bilingual(f"fewer than {SUPPRESSION_THRESHOLD}", f"moins de {SUPPRESSION_THRESHOLD}")
TOTAL = Bilingual("Total", "Total")
CHILDREN_QUOTES = Bilingual("What children said", "Ce qu'ont dit les enfants")


class UnknownQuestion(LookupError):
    """The round has no question with that ref (or the user cannot see it)."""


# --- the structure the renderers print ---------------------------------------------------------


@dataclass(frozen=True)
class QuestionNode:
    """One node of the questionnaire, with its printed label ('Question 16', '16.1.', 'a)', '→')."""

    ref: str
    kind: str
    depth: int
    label: str
    text_en: str
    text_fr: str  # the English text when no French was given


@dataclass(frozen=True)
class AttachmentEntry:
    """A file sent with a reply: its name as the reply lists it, and where `/files/` serves it."""

    name: str
    url: str


@dataclass(frozen=True)
class ReplyBlock:
    """A block of reply text, headed by the refs it answers ('Question 16.1.a., b.')."""

    heading: str
    html: SafeString  # the reply's stored rendering: sanitised when the reply was written
    language: str
    see_reply: str = ""  # 'See reply to question 16.1.', when the block refers to another
    attachments: tuple[AttachmentEntry, ...] = ()


@dataclass(frozen=True)
class Commentary:
    """What one stakeholder organisation sent on a State, for one question."""

    organisation: str
    blocks: list[ReplyBlock]

    @property
    def heading(self) -> str:
        return f"{COMMENTS_SENT_BY} {self.organisation}"


@dataclass(frozen=True)
class StateEntry:
    code: str
    name_en: str
    name_fr: str
    replies: list[ReplyBlock]
    comments: list[Commentary]

    @property
    def label(self) -> str:
        """'GERMANY / ALLEMAGNE', as the table of contents and the headings print it."""
        return f"{self.name_en.upper()} / {self.name_fr.upper()}"


@dataclass(frozen=True)
class ChildQuoteEntry:
    text: str
    language: str
    source: str  # "Children's Voices, France / France"


@dataclass(frozen=True)
class ChildrenSection:
    """Children's views on one question: the children consulted per Party (small counts
    suppressed) and the cleared quotes of registered contributions."""

    counts: Table  # rows: "FRANCE / FRANCE", one column; its total
    quotes: list[ChildQuoteEntry]

    def count_text(self, count) -> str:
        return str(FEWER_THAN) if count.suppressed else str(count.value)


@dataclass(frozen=True)
class QuestionCompilation:
    """The compilation of one question: the question, then every State that replied to it, then
    (when the Secretariat includes them) the children's views on it."""

    ref: str
    section: Bilingual
    nodes: list[QuestionNode]
    states: list[StateEntry]
    children: ChildrenSection | None = None

    @property
    def anchor(self) -> str:
        return f"q{self.ref}"

    @property
    def has_french(self) -> bool:
        """False when no node has a French text of its own (then the English is printed once)."""
        return any(node.text_fr != node.text_en for node in self.nodes)


@dataclass(frozen=True)
class Compilation:
    reference: str
    revision_date: datetime.date
    round_number: int
    round_title: Bilingual
    round_theme: Bilingual
    title: Bilingual
    questions: list[QuestionCompilation]
    is_draft_preview: bool = False
    includes_confidential: bool = False
    includes_children: bool = False

    @property
    def states(self) -> list[StateEntry]:
        return [state for question in self.questions for state in question.states]


# --- the selector ------------------------------------------------------------------------------


def compile_replies(
    *,
    round: MonitoringRound,
    question_ref: str | None = None,
    user: User,
    include_drafts: bool = False,
    include_confidential: bool = False,
    include_children: bool = False,
    reference: str | None = None,
) -> Compilation:
    """The replies to one question of `round` (or to every question, in questionnaire order).

    Only registered submissions, unless `include_drafts` (a preview, marked as such); never
    material whose authors refused publication, unless `include_confidential`, which only the
    Secretariat may ask. `include_children` adds to each question the children's views on it
    (counts with small ones suppressed, cleared quotes of registered contributions): the
    Secretariat's choice alone, and read in `user`'s scope, which never holds them for a State.
    Every row comes from `user`'s scope. Runs a fixed number of queries and reads the replies'
    stored HTML, never their Markdown.
    """
    if include_confidential and not access.is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat may compile confidential material."))
    if include_children and not access.is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat may include children's views in a compilation."))
    everything = list(_questions(round=round, user=user))
    if question_ref:
        questions = [question for question in everything if _in_subtree(question.ref, question_ref)]
        roots = [question for question in questions if question.ref == question_ref]
        if not roots:
            raise UnknownQuestion(question_ref)
    else:
        questions = everything
        roots = [question for question in questions if question.parent_id is None]
    replies = _replies(
        round=round,
        questions=questions,
        refs_in_scope={question.pk: question.ref for question in everything},
        user=user,
        include_drafts=include_drafts,
        include_confidential=include_confidential,
    )
    answers = _answers_by_root(replies, [root.ref for root in roots])
    children = (
        children_sections(round=round, questions=questions, roots=roots, user=user)
        if include_children
        else {}
    )
    parts = [
        QuestionCompilation(
            ref=root.ref,
            section=Bilingual(root.section.title_en, root.section.title_fr or root.section.title_en),
            nodes=[_node(question, root) for question in questions if _in_subtree(question.ref, root.ref)],
            states=_states(answers[root.ref]),
            children=children.get(root.ref),
        )
        for root in roots
    ]
    return Compilation(
        reference=reference or default_reference(round=round, question_ref=question_ref),
        revision_date=timezone.localdate(),
        round_number=round.number,
        round_title=Bilingual(round.title_en, round.title_fr or round.title_en),
        round_theme=Bilingual(round.theme_en, round.theme_fr or round.theme_en),
        title=_title(question_ref),
        questions=parts,
        is_draft_preview=include_drafts,
        includes_confidential=include_confidential,
        includes_children=include_children,
    )


def children_sections(
    *, round: MonitoringRound, questions: list[Question], roots: list[Question], user: User
) -> dict[str, ChildrenSection]:
    """The children's views on each of `roots` (a contribution or a quote speaking to a question
    below a root speaks to the root), read in `user`'s scope: nothing for a State. Three queries."""
    question_ids = [question.pk for question in questions]
    root_of = {
        question.pk: root.ref
        for question in questions
        for root in roots
        if _in_subtree(question.ref, root.ref)
    }
    links = ChildParticipation.questions.through.objects.filter(
        childparticipation__in=registered_contributions(round=round, user=user).values("pk"),
        question__in=question_ids,
    ).values_list(
        "childparticipation_id",
        "question_id",
        "childparticipation__children_count",
        "childparticipation__party__name_en",
        "childparticipation__party__name_fr",
    )
    per_root: dict[str, dict[int, tuple[int, str]]] = defaultdict(dict)
    for contribution_id, question_id, count, name_en, name_fr in links:
        label = str(Bilingual(name_en.upper(), (name_fr or name_en).upper()))
        per_root[root_of[question_id]][contribution_id] = (count, label)
    quotes: dict[str, list[ChildQuoteEntry]] = defaultdict(list)
    in_scope = access.scoped(Question, user).filter(pk__in=question_ids).only("pk")
    for quote in cleared_quotes(round=round, user=user, questions=question_ids).prefetch_related(
        Prefetch("questions", queryset=in_scope)
    ):
        contribution = quote.contribution
        party = contribution.party
        source = (
            f"{contribution.organisation.name}, {Bilingual(party.name_en, party.name_fr or party.name_en)}"
        )
        entry = ChildQuoteEntry(text=quote.text, language=quote.language, source=source)
        for root_ref in dict.fromkeys(root_of[question.pk] for question in quote.questions.all()):
            quotes[root_ref].append(entry)
    return {
        root.ref: ChildrenSection(counts=_children_table(per_root[root.ref]), quotes=quotes[root.ref])
        for root in roots
        if per_root[root.ref] or quotes[root.ref]
    }


def _children_table(contributions: dict[int, tuple[int, str]]) -> Table:
    """Children per Party (each contribution once), by the Parties' English names."""
    per_party: dict[str, int] = defaultdict(int)
    for count, label in contributions.values():
        per_party[label] += count
    labels = sorted(per_party, key=sort_key)
    return table(labels, [str(CHILDREN_CONSULTED)], [[per_party[label]] for label in labels], totals=True)


def default_reference(*, round: MonitoringRound, question_ref: str | None) -> str:
    """'T-ES(2017)R2-Q16_bil' for question 16 of round 2 launched in 2017; 'T-ES(2017)R2_bil' for all."""
    year = round.launch_date.year if round.launch_date else timezone.localdate().year
    question = f"-Q{question_ref}" if question_ref else ""
    return f"T-ES({year})R{round.number}{question}_bil"


def _title(question_ref: str | None) -> Bilingual:
    if question_ref:
        return Bilingual(
            f"Compilation of replies to Question {question_ref}",
            f"Compilation des réponses à la question {question_ref}",
        )
    return Bilingual(
        "Compilation of replies to the questionnaire", "Compilation des réponses au questionnaire"
    )


def _in_subtree(ref: str, root_ref: str) -> bool:
    return ref == root_ref or ref.startswith(f"{root_ref}.")


def _questions(*, round: MonitoringRound, user: User) -> QuerySet:
    """Every question of the round (a reply to one question may refer to a reply to another)."""
    return access.scoped(Question, user).filter(round=round).select_related("section").order_by("order")


@dataclass(frozen=True)
class _Row:
    """What a compilation reads of a reply: light tuples, not model instances (6,000 in a round)."""

    party: tuple[int, str, str, str]  # id, code, English name, French name
    organisation: str  # '' for the State's own replies
    block: ReplyBlock
    refs: list[str]


def _replies(
    *,
    round: MonitoringRound,
    questions: list[Question],
    refs_in_scope: dict[int, str],
    user: User,
    include_drafts: bool,
    include_confidential: bool,
) -> list[_Row]:
    """The replies answering `questions`, by Party, organisation and order, with the refs they answer.

    Three queries: the replies (their stored HTML, submission, Party and organisation joined),
    the questions each of them, and each reply they refer to, answers, and their attachments.
    """
    question_ids = [question.pk for question in questions]
    answering = Reply.questions.through.objects.filter(reply=OuterRef("pk"), question__in=question_ids)
    replies = access.scoped(Reply, user).filter(Exists(answering), submission__round=round)
    if not include_drafts:
        replies = replies.filter(submission__status=Submission.Status.REGISTERED)
    if not include_confidential:
        replies = replies.filter(submission__consent_to_publication=True)
    rows = list(
        replies.order_by(
            "submission__party__name_en", "submission__organisation__name", "order", "pk"
        ).values_list(
            "pk",
            "text_html",
            "language",
            "see_reply_id",
            "submission__party_id",
            "submission__party__code",
            "submission__party__name_en",
            "submission__party__name_fr",
            "submission__organisation__name",
        )
    )
    refs = _refs_of({row[0] for row in rows} | {row[3] for row in rows if row[3]}, refs_in_scope)
    attachments = _attachments_of(user, replies)
    return [
        _Row(
            party=(party_id, code, name_en, name_fr),
            organisation=organisation or "",
            block=ReplyBlock(
                heading="",
                html=SafeString(html or ""),
                language=language,
                see_reply=_see_reply(refs.get(see_reply_id, []) if see_reply_id else []),
                attachments=attachments.get(pk, ()),
            ),
            refs=refs.get(pk, []),
        )
        for pk, html, language, see_reply_id, party_id, code, name_en, name_fr, organisation in rows
    ]


def _refs_of(reply_ids: set[int], refs_in_scope: dict[int, str]) -> dict[int, list[str]]:
    """Each reply's refs in questionnaire order, among the questions `refs_in_scope` holds."""
    links = (
        Reply.questions.through.objects.filter(reply__in=reply_ids, question__in=list(refs_in_scope))
        .order_by("question__order", "question_id")
        .values_list("reply_id", "question_id")
    )
    refs: dict[int, list[str]] = defaultdict(list)
    for reply_id, question_id in links:
        refs[reply_id].append(refs_in_scope[question_id])
    return refs


def _attachments_of(user: User, replies: QuerySet) -> dict[int, tuple[AttachmentEntry, ...]]:
    """The attachments of `replies` (a queryset, read as a subquery), by reply, in the order sent."""
    found: dict[int, list[AttachmentEntry]] = defaultdict(list)
    attachments = access.scoped(ReplyAttachment, user).filter(reply__in=replies.values("pk")).order_by("pk")
    for attachment in attachments.only("pk", "reply_id", "file", "title"):
        found[attachment.reply_id].append(AttachmentEntry(str(attachment), attachment.file.url))
    return {reply_id: tuple(entries) for reply_id, entries in found.items()}


def _ref_questions(user: User) -> QuerySet:
    return access.scoped(Question, user).only("pk", "ref", "order").order_by("order")


def _answers_by_root(rows: Iterable[_Row], root_refs: list[str]) -> dict[str, list[tuple[_Row, str]]]:
    """For each compiled question, the replies answering it with the heading of their refs within it."""
    answers: dict[str, list[tuple[_Row, str]]] = defaultdict(list)
    for row in rows:
        for root_ref in root_refs:
            within = [ref for ref in row.refs if _in_subtree(ref, root_ref)]
            if within:
                answers[root_ref].append((row, f"Question {format_refs(within)}"))
    return answers


def _states(answers: list[tuple[_Row, str]]) -> list[StateEntry]:
    """The States with something to compile, by English name; stakeholders' comments after the State's."""
    own: dict[int, list[ReplyBlock]] = defaultdict(list)
    comments: dict[int, dict[str, list[ReplyBlock]]] = defaultdict(lambda: defaultdict(list))
    parties = {}
    for row, heading in answers:
        party_id = row.party[0]
        parties[party_id] = row.party
        block = replace(row.block, heading=heading)
        if row.organisation:
            comments[party_id][row.organisation].append(block)
        else:
            own[party_id].append(block)
    entries = [
        StateEntry(
            code=code,
            name_en=name_en,
            name_fr=name_fr or name_en,
            replies=own[party_id],
            comments=[
                Commentary(organisation=name, blocks=blocks)
                for name, blocks in sorted(comments[party_id].items(), key=lambda item: sort_key(item[0]))
            ],
        )
        for party_id, code, name_en, name_fr in parties.values()
    ]
    return sorted(entries, key=lambda entry: sort_key(entry.name_en))


def _see_reply(refs: list[str]) -> str:
    formatted = format_refs(refs)
    if not formatted:
        return ""
    formatted = formatted if formatted.endswith(".") else f"{formatted}."
    return f"{SEE_REPLY.en} {formatted} / {SEE_REPLY.fr} {formatted}"


def reply_block(reply: Reply, heading: str, attachments: tuple[AttachmentEntry, ...] = ()) -> ReplyBlock:
    see_reply = ""
    if reply.see_reply_id and reply.see_reply is not None:
        see_reply = _see_reply([question.ref for question in reply.see_reply.questions.all()])
    html = SafeString(reply.text_html)  # stored sanitised when the reply was written
    return ReplyBlock(
        heading=heading, html=html, language=reply.language, see_reply=see_reply, attachments=attachments
    )


def sort_key(name: str) -> str:
    """Alphabetical order that ignores case and accents ('Türkiye' among the T's)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _node(question: Question, root: Question, localized: bool = False) -> QuestionNode:
    """The node of `question` under `root`; `localized`: its text in the reader's language in
    both fields (the submission's document is printed in one language)."""
    depth = question.ref.count(".") - root.ref.count(".")
    text_fr = question.text_fr or question.text_en
    text = localized_text(question, "text") if localized else question.text_en
    return QuestionNode(
        ref=question.ref,
        kind=question.kind,
        depth=depth,
        label=_label(question),
        text_en=text,
        text_fr=text if localized else text_fr,
    )


def _label(question: Question) -> str:
    if question.kind == Question.Kind.QUESTION:
        return f"Question {question.ref}"
    if question.kind == Question.Kind.REQUEST:
        return "→"
    if question.kind == Question.Kind.ITEM:
        return f"{question.ref.rpartition('.')[2]})"
    return f"{question.ref}."


# --- a registered submission, as sent ----------------------------------------------------------


@dataclass(frozen=True)
class SubmittedQuestion:
    """A numbered question of the questionnaire and the replies the submission gives to it."""

    ref: str
    section: str
    nodes: list[QuestionNode]
    blocks: list[ReplyBlock]


@dataclass(frozen=True)
class SubmissionDocument:
    """What a State or a stakeholder sent for a round, as the Secretariat registered it."""

    reference: str
    party: str
    organisation: str
    round_number: int
    round_title: str
    round_theme: str
    registered_on: datetime.date | None
    questions: list[SubmittedQuestion] = field(default_factory=list)

    @property
    def blocks(self) -> list[ReplyBlock]:
        return [block for question in self.questions for block in question.blocks]


def submission_document(*, submission: Submission, user: User) -> SubmissionDocument:
    """The replies of `submission` question by question, in the questionnaire's order (16 after
    10, as the questionnaire numbers them), each question printed before the replies to it in the
    reader's language, each reply headed by the refs it answers and listing its attachments.

    A reply answering several questions is printed under the first of them. Four queries: the
    round's questions, the replies (with the questions they answer and those of the replies they
    refer to) and their attachments.
    """
    questions = list(
        access.scoped(Question, user)
        .filter(round=submission.round_id)
        .select_related("section")
        .order_by("order")
    )
    replies = (
        access.scoped(Reply, user)
        .filter(submission=submission)
        .select_related("see_reply")
        .prefetch_related(
            Prefetch("questions", queryset=_ref_questions(user)),
            Prefetch("see_reply__questions", queryset=_ref_questions(user)),
        )
        .order_by("order", "pk")
    )
    attachments = _attachments_of(user, replies)
    by_ref = {question.ref: question for question in questions}
    position = {question.ref: index for index, question in enumerate(questions)}
    answered: dict[str, list[tuple[int, ReplyBlock]]] = defaultdict(list)
    for index, reply in enumerate(replies):
        refs = [question.ref for question in reply.questions.all()]
        block = reply_block(reply, f"Question {format_refs(refs)}", attachments.get(reply.pk, ()))
        root = refs[0].split(".")[0] if refs else ""
        answered[root].append((index, block))
    roots = sorted(answered, key=lambda ref: (ref not in position, position.get(ref, 0)))
    parts = []
    for root_ref in roots:
        root = by_ref.get(root_ref)
        nodes = [
            _node(question, root, localized=True)
            for question in questions
            if root and _in_subtree(question.ref, root.ref)
        ]
        parts.append(
            SubmittedQuestion(
                ref=root_ref,
                section=localized_text(root.section, "title") if root else "",
                nodes=nodes,
                blocks=[block for _, block in answered[root_ref]],
            )
        )
    registered_at = submission.registered_at
    round = submission.round
    return SubmissionDocument(
        reference=submission.reference,
        party=str(submission.party),
        organisation=str(submission.organisation) if submission.organisation_id else "",
        round_number=round.number,
        round_title=round.title,
        round_theme=localized_text(round, "theme"),
        registered_on=timezone.localdate(registered_at) if registered_at else None,
        questions=parts,
    )
