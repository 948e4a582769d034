"""Drafting an implementation report: findings, the evidence they cite, the rapporteurs' comments.

The services (`finding_save`, `citation_save`, `citation_delete`, `finding_comment`) check the
write rules of recommendations/access.py (`may_draft_chapter`: the Secretariat anywhere, a
rapporteur in the chapters on their questions; `may_comment_findings`; nothing changes once the
report is adopted), validate the record (`full_clean`: the citation's target,
its reply registered and of the report's round) and save it with its author in its history.
`recommendation_draft` drafts a recommendation from a finding (numbered next in its chapter,
addressed to the Parties the finding cites) and `chapter_renumber` numbers a chapter's
recommendations again while the report is in preparation.
`left_to_translate` lists what a report still has to translate (its title, its chapters' titles,
findings and recommendations); `text_mark_translated` marks any of them translated.
The admin calls them; `citable_replies` is the reply picker's choice; `finding_versions` and
`finding_diff` read a finding's history for the side-by-side comparison of two versions.
"""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Count, Max, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from monitoring.models import ChildQuote, Question, Reply, Submission
from monitoring.participation_aggregates import cleared_quotes
from secretariat import access
from secretariat.history import set_author
from secretariat.models import ConventionArticle, Document, Party, User

from .access import may_comment_findings, may_draft_chapter, may_draft_report
from .models import (
    URGENCY_DEFINITIONS,
    Chapter,
    Citation,
    Finding,
    FindingCitation,
    FindingComment,
    ImplementationReport,
    Recommendation,
    TranslationStatus,
    Urgency,
)

#: The texts of a finding compared between two versions, with their labels.
COMPARED_FIELDS = ("text_en", "text_fr")


def _check_drafter(by: User, chapter: Chapter) -> None:
    if not may_draft_chapter(by, chapter):
        raise PermissionDenied(
            _(
                "Only the Secretariat and the rapporteurs for the chapter's questions write its "
                "findings, while the report is in preparation."
            )
        )


@transaction.atomic
def finding_save(*, finding: Finding, by: User) -> Finding:
    """Write a new or changed finding (texts, order); its history keeps every version, with `by`.

    A new finding is `by`'s, at the end of its chapter unless it has an order. A finding moved to
    another chapter needs `by` to write in both.
    """
    _check_drafter(by, finding.chapter)
    if finding.pk is not None:
        stored = Finding.objects.filter(pk=finding.pk).values_list("chapter", flat=True).first()
        if stored is not None and stored != finding.chapter_id:
            _check_drafter(by, Chapter.objects.select_related("report").get(pk=stored))
    if finding.pk is None:
        finding.author = by
        if not finding.order:
            last = Finding.objects.filter(chapter=finding.chapter_id).aggregate(last=Max("order"))["last"]
            finding.order = (last or 0) + 1
    finding.full_clean()
    set_author(finding, by)
    finding.save()
    return finding


def finding_create(*, chapter: Chapter, by: User, text_en: str, text_fr: str = "", order: int = 0) -> Finding:
    return finding_save(
        finding=Finding(chapter=chapter, text_en=text_en, text_fr=text_fr, order=order), by=by
    )


@transaction.atomic
def citation_save(*, citation: FindingCitation, by: User) -> FindingCitation:
    """Rest a finding on one piece of evidence (or change which). Refused (ValidationError) for
    anything but exactly one target, a reply not registered or of another round, a recommendation
    of the same report; the cited reply's Party is recorded with it."""
    _check_drafter(by, citation.finding.chapter)
    citation.full_clean()
    set_author(citation, by)
    citation.save()
    return citation


def finding_cite(
    *,
    finding: Finding,
    by: User,
    reply: Reply | None = None,
    document: Document | None = None,
    recommendation: Recommendation | None = None,
    child_quote: ChildQuote | None = None,
    order: int = 0,
) -> FindingCitation:
    citation = FindingCitation(
        finding=finding,
        reply=reply,
        document=document,
        recommendation=recommendation,
        child_quote=child_quote,
        order=order,
    )
    return citation_save(citation=citation, by=by)


@transaction.atomic
def citation_delete(*, citation: FindingCitation, by: User) -> None:
    _check_drafter(by, citation.finding.chapter)
    set_author(citation, by)
    citation.delete()


@transaction.atomic
def finding_comment(*, finding: Finding, by: User, text: str) -> FindingComment:
    """A rapporteur's or the Secretariat's comment on a finding of a report in preparation."""
    if not may_comment_findings(by, finding.chapter.report):
        raise PermissionDenied(_("Only rapporteurs and the Secretariat comment on a draft's findings."))
    comment = FindingComment(finding=finding, author=by, text=text)
    comment.full_clean()
    set_author(comment, by)
    comment.save()
    return comment


def citable_replies(*, user: User, chapter: Chapter | None) -> QuerySet:
    """What a chapter's findings may cite: the registered replies and stakeholder comments of the
    report's round the user sees, to the chapter's questions when it names some, by Party."""
    replies = access.scoped(Reply, user).filter(submission__status=Submission.Status.REGISTERED)
    if chapter is not None:
        replies = replies.filter(submission__round=chapter.report.round_id)
        questions = list(chapter.questions.values_list("pk", flat=True))
        if questions:
            replies = replies.filter(
                pk__in=Reply.questions.through.objects.filter(question__in=questions).values("reply")
            )
    return (
        replies.select_related("submission__party", "submission__organisation")
        .prefetch_related("questions")
        .defer("text", "text_html")
        .order_by("submission__party__name_en", "submission__organisation__name", "order", "pk")
    )


def citable_quotes(*, user: User, chapter: Chapter | None) -> QuerySet:
    """The children's words a chapter's findings may cite: the cleared quotes of the registered
    child participation contributions of the report's round the user sees, to the chapter's
    questions when it names some (none without a chapter: the round is not known)."""
    if chapter is None:
        return access.scoped(ChildQuote, user).none()
    questions = list(chapter.questions.values_list("pk", flat=True))
    return cleared_quotes(round=chapter.report.round_id, user=user, questions=questions or None)


def quote_label(quote: ChildQuote) -> str:
    """ "Children's Voices (France) – “Adults should believe us…”": who consulted the children, where."""
    contribution = quote.contribution
    return f"{contribution.organisation.name} ({contribution.party}) – “{quote}”"


def reply_label(reply: Reply) -> str:
    """ "France – Reply to question 16.1", or "La Strada – Ukraine (Ukraine) – …" for a stakeholder."""
    submission = reply.submission
    who = str(submission.party)
    if submission.organisation is not None:
        who = f"{submission.organisation.name} ({who})"
    return f"{who} – {reply}"


# --- draft recommendations -----------------------------------------------------------------------


class InvalidDraft(Exception):
    """A draft recommendation or a renumbering that breaks a rule; nothing changed.

    `field` names what is wrong ("legal_basis"), so that a form shows the refusal beside it.
    """

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def chapter_prefix(chapter: Chapter) -> str:
    """The chapter's part of its recommendations' numbers: "V" for chapter "V." ("V-1", "V-2" …)."""
    return chapter.number.strip().rstrip(".").strip()


def _sequence(number: str, prefix: str) -> int | None:
    head, _dash, tail = number.rpartition("-")
    return int(tail) if head == prefix and tail.isdigit() else None


def next_number(chapter: Chapter) -> str:
    """The number after the chapter's highest ("V-20" after "V-19"), as the Committee numbers them."""
    prefix = chapter_prefix(chapter)
    numbers = Recommendation.objects.filter(report=chapter.report_id).values_list("number", flat=True)
    taken = [n for n in (_sequence(number, prefix) for number in numbers) if n is not None]
    return f"{prefix}-{max(taken, default=0) + 1}"


def _lock_draft(chapter: Chapter, by: User) -> ImplementationReport:
    # The report's row is the lock: two drafts or a renumbering at once take numbers one at a time.
    report = ImplementationReport.objects.select_for_update().get(pk=chapter.report_id)
    if not may_draft_report(by, report):
        raise PermissionDenied(
            _("Only the Secretariat drafts the recommendations of a report in preparation.")
        )
    return report


ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(number: int) -> str:
    """The Committee numbers a report's chapters in Roman numerals (I, II … V)."""
    numeral = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        numeral += letters * count
    return numeral


@transaction.atomic
def chapters_from_themes(*, report: ImplementationReport, by: User) -> list[Chapter]:
    """One chapter per theme (section) of the report's questionnaire that no chapter analyses yet:
    its English and French titles, the theme's numbered questions, numbered after the report's
    chapters (I, II …). Run again after adding a theme, it adds only the new ones."""
    report = ImplementationReport.objects.select_for_update().get(pk=report.pk)
    if not may_draft_report(by, report):
        raise PermissionDenied(_("Only the Secretariat prepares the chapters of a report in preparation."))
    analysed = set(
        Chapter.questions.through.objects.filter(chapter__report=report).values_list("question", flat=True)
    )
    existing = report.chapters.aggregate(count=Count("pk"), last=Max("order"))
    numbered, order = existing["count"], existing["last"] or 0
    created = []
    sections = report.round.sections.order_by("order").prefetch_related(
        Prefetch(
            "questions", Question.objects.filter(parent__isnull=True).order_by("order"), to_attr="numbered"
        )
    )
    for section in sections:
        questions = [question for question in section.numbered if question.pk not in analysed]
        if not questions or len(questions) < len(section.numbered):
            continue  # a theme already analysed, wholly or in part, is the Secretariat's to arrange
        numbered, order = numbered + 1, order + 1
        chapter = Chapter(
            report=report,
            number=roman(numbered),
            order=order,
            title_en=section.title_en,
            title_fr=section.title_fr,
        )
        chapter.full_clean()
        set_author(chapter, by, "from the questionnaire's theme").save()
        chapter.questions.set(questions)
        created.append(chapter)
    return created


@transaction.atomic
def recommendation_draft(
    *,
    finding: Finding,
    by: User,
    urgency: str,
    text_en: str,
    text_fr: str = "",
    legal_basis: str = "",
    addressed_to_all: bool = False,
    addressees: Iterable[Party] | None = None,
    articles: Iterable[ConventionArticle] = (),
    rests_on: Recommendation | None = None,
) -> Recommendation:
    """A draft recommendation from `finding`, numbered next in its chapter, after the report's last.

    `rests_on` is the earlier round's recommendation it takes up (of an adopted report).

    Its addressees are the Parties the finding cites unless `addressees` or `addressed_to_all`
    say otherwise; "require" and "request" need their legal basis (URGENCY_DEFINITIONS). No
    follow-up opens: the report is in preparation.
    """
    chapter = finding.chapter
    report = _lock_draft(chapter, by)
    if urgency in (Urgency.REQUIRE, Urgency.REQUEST) and not legal_basis.strip():
        raise InvalidDraft(
            _("Give the legal basis of a recommendation the Committee requires or requests: %(definition)s")
            % {"definition": URGENCY_DEFINITIONS[Urgency(urgency)]},
            field="legal_basis",
        )
    last = Recommendation.objects.filter(report=report).aggregate(last=Max("order"))["last"]
    recommendation = Recommendation(
        report=report,
        chapter=chapter,
        finding=finding,
        number=next_number(chapter),
        order=(last or 0) + 1,
        urgency=urgency,
        legal_basis=legal_basis,
        addressed_to_all=addressed_to_all,
        rests_on=rests_on,
        text_en=text_en,
        text_fr=text_fr,
    )
    recommendation.full_clean()
    set_author(recommendation, by, "drafted from a finding")
    recommendation.save()
    if not addressed_to_all:
        if addressees is None:
            addressees = Party.objects.filter(
                pk__in=FindingCitation.objects.filter(finding=finding, party__isnull=False).values("party")
            )
        recommendation.addressees.set(addressees)
    for article in articles:
        set_author(Citation(recommendation=recommendation, article=article), by).save()
    return recommendation


@transaction.atomic
def chapter_renumber(*, chapter: Chapter, by: User) -> int:
    """Number the chapter's recommendations again, in their order: "V-1", "V-2" … Refused for an
    adopted report (its numbers are published and followed up). Returns how many changed.

    The changed rows first take a temporary number of their own ("~<id>"), then their new one, so
    that no step clashes with the unique (report, number) constraint; only the second step is
    recorded in their history.
    """
    _lock_draft(chapter, by)
    prefix = chapter_prefix(chapter)
    recommendations = list(Recommendation.objects.filter(chapter=chapter).order_by("order", "pk"))
    changed = []
    for position, recommendation in enumerate(recommendations, start=1):
        number = f"{prefix}-{position}"
        if recommendation.number != number:
            recommendation.number = number
            changed.append(recommendation)
    if not changed:
        return 0
    clashes = Recommendation.objects.filter(report=chapter.report_id, number__in=[r.number for r in changed])
    if clashes.exclude(chapter=chapter).exists():
        raise InvalidDraft(_("Another chapter of the report already uses these numbers."))
    Recommendation.objects.filter(pk__in=[r.pk for r in changed]).update(
        number=Concat(Value("~"), "id", output_field=CharField())
    )
    bulk_update_with_history(
        changed, Recommendation, ["number"], default_user=by, default_change_reason="chapter renumbered"
    )
    return len(changed)


# --- translation ---------------------------------------------------------------------------------


#: What has a translation status in a report: its title, its chapters' titles, its findings and
#: recommendations' texts.
Translatable = ImplementationReport | Chapter | Finding | Recommendation


def _report_of(record: Translatable) -> ImplementationReport:
    if isinstance(record, ImplementationReport):
        return record
    if isinstance(record, Finding):
        return record.chapter.report
    return record.report


@transaction.atomic
def text_mark_translated(*, record: Translatable, language: str, by: User) -> None:
    """A translator finds `language`'s text (or title) still right after a change of the other language.

    Refused for an adopted report and for an empty text (there is nothing to mark).
    """
    if not may_draft_report(by, _report_of(record)):
        raise PermissionDenied(_("Only the Secretariat translates a report in preparation."))
    if language not in record.bilingual_texts:
        raise ValueError(f"unknown language {language!r}")
    if not (getattr(record, record.bilingual_texts[language]) or "").strip():
        raise InvalidDraft(_("There is no text in this language to mark as translated."))
    status = f"translation_{language}"
    setattr(record, status, TranslationStatus.TRANSLATED)
    set_author(record, by, "marked as translated")
    record.save(update_fields=[status])


@dataclass(frozen=True)
class LeftToTranslate:
    findings: list[Finding]
    recommendations: list[Recommendation]
    #: the report's own title and its chapters' titles, when a language is not translated
    report: ImplementationReport | None = None
    chapters: list[Chapter] = field(default_factory=list)

    @property
    def titles(self) -> list[ImplementationReport | Chapter]:
        return [*([self.report] if self.report is not None else []), *self.chapters]

    @property
    def count(self) -> int:
        return len(self.titles) + len(self.findings) + len(self.recommendations)


def _pending() -> Q:
    return ~Q(translation_en=TranslationStatus.TRANSLATED) | ~Q(translation_fr=TranslationStatus.TRANSLATED)


def left_to_translate(*, report: ImplementationReport, user: User) -> LeftToTranslate:
    """The report's title (as `report` holds it), and its chapters, findings and recommendations
    with a language not translated (three queries)."""
    texts = ("text_en", "text_fr", "text_html_en", "text_html_fr")
    chapters = (
        access.scoped(Chapter, user).filter(_pending(), report=report).order_by("order", "number", "pk")
    )
    findings = (
        access.scoped(Finding, user)
        .filter(_pending(), chapter__report=report)
        .select_related("chapter")
        .defer(*texts)
        .order_by("chapter__order", "chapter__number", "order", "pk")
    )
    recommendations = (
        access.scoped(Recommendation, user)
        .filter(_pending(), report=report)
        .select_related("chapter")
        .defer(*texts)
        .order_by("order", "pk")
    )
    return LeftToTranslate(
        findings=list(findings),
        recommendations=list(recommendations),
        report=None if report.translated else report,
        chapters=list(chapters),
    )


# --- comparing versions ---------------------------------------------------------------------------


def finding_versions(finding: Finding) -> QuerySet:
    """The finding's recorded versions, newest first, with their authors (one query)."""
    return finding.history.select_related("history_user").order_by("-history_date", "-history_id")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    changed: bool
    table: SafeString  # difflib's side-by-side table: the texts escaped, nothing else


def _side_by_side(old: str, new: str, old_label: str, new_label: str) -> SafeString:
    # HtmlDiff escapes the texts (&, <, >) itself; the labels are ours, escaped here.
    differ = difflib.HtmlDiff(wrapcolumn=70)
    table = differ.make_table(
        old.splitlines(), new.splitlines(), escape(old_label), escape(new_label), context=False
    )
    return mark_safe(table)  # noqa: S308 - built from escaped text only (difflib.HtmlDiff)


def finding_diff(older, newer) -> list[FieldDiff]:
    """The English and French texts of two historical versions of a finding, side by side."""
    old_label = _("Version of %(date)s") % {"date": f"{localtime(older.history_date):%Y-%m-%d %H:%M}"}
    new_label = _("Version of %(date)s") % {"date": f"{localtime(newer.history_date):%Y-%m-%d %H:%M}"}
    return [
        FieldDiff(
            label=str(getattr(Finding._meta.get_field(name), "verbose_name", name)),
            changed=getattr(older, name) != getattr(newer, name),
            table=_side_by_side(getattr(older, name), getattr(newer, name), old_label, new_label),
        )
        for name in COMPARED_FIELDS
    ]
