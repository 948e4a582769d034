"""Implementation reports, their recommendations, each addressed Party's follow-up, practices, factsheets."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from monitoring.models import ChildQuote, MonitoringRound, Question, Reply, Submission
from secretariat.models import (
    Attachment,
    ConventionArticle,
    Document,
    Organisation,
    Party,
    attachment_file_field,
    localized,
)
from secretariat.rendering import ExcerptField, RenderedHTMLField, RenderedTextModel
from secretariat.validators import validate_party_code


def validate_state_codes(value: str) -> None:
    for code in filter(None, (part.strip() for part in value.split(";"))):
        validate_party_code(code)


class Theme(models.Model):
    """A theme of the Committee's work (governance, victim-support ...).

    Shared by recommendations, practices and factsheets.
    """

    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_en"]
        indexes = [models.Index(fields=["name_en"], name="theme_list_order")]

    def __str__(self) -> str:
        return localized(self, "name")


class Urgency(models.TextChoices):
    """The Committee's three levels (introduction of the 2nd round report)."""

    REQUIRE = "require", _("Require")
    REQUEST = "request", _("Request")
    INVITE = "invite", _("Invite")


URGENCY_DEFINITIONS = {
    Urgency.REQUIRE: _(
        "The step corresponds to an obligation of the Lanzarote Convention, as clarified by its "
        "Explanatory report."
    ),
    Urgency.REQUEST: _(
        "The step corresponds to an obligation of the Lanzarote Convention, as clarified by documents "
        "adopted by the Committee (findings of a previous monitoring round, opinions)."
    ),
    Urgency.INVITE: _("A promising practice or measure beyond the Convention's specific requirements."),
}


class TranslationStatus(models.TextChoices):
    """Where one language of a bilingual text stands against the other."""

    TO_TRANSLATE = "to_translate", _("To translate")
    TRANSLATED = "translated", _("Translated")
    REVISED = "revised", _("To revise: the other language changed")


BILINGUAL_TEXTS = {"en": "text_en", "fr": "text_fr"}
TITLES = {"en": "title_en", "fr": "title_fr"}


class BilingualText(models.Model):
    """A text in English and French (`text_en`, `text_fr`, or the fields `bilingual_texts` names),
    each language with its translation status.

    The statuses follow the texts on every `save()`: an empty text is to translate; the language
    just written is translated; when a language that was up to date changes, the other one, if
    written, is to revise (a language catching up after such a change revises nothing). A
    translator who finds a text still right marks it translated (`drafting.text_mark_translated`).
    """

    translation_en = models.CharField(
        _("English version"),
        max_length=12,
        choices=TranslationStatus,
        default=TranslationStatus.TO_TRANSLATE,
        editable=False,
    )
    translation_fr = models.CharField(
        _("French version"),
        max_length=12,
        choices=TranslationStatus,
        default=TranslationStatus.TO_TRANSLATE,
        editable=False,
    )

    #: the field of each language's text ({"en": "title_en", ...} for a text that is a title)
    bilingual_texts: dict[str, str] = BILINGUAL_TEXTS

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs) -> None:
        if update_fields is None or set(self.bilingual_texts.values()) & set(update_fields):
            before = None
            if self.pk is not None and not self._state.adding:
                before = (
                    type(self)
                    ._default_manager.filter(pk=self.pk)
                    .values(*self.bilingual_texts.values(), "translation_en", "translation_fr")
                    .first()
                )
            self.follow_translations(before)
            if update_fields is not None:
                update_fields = [*update_fields, "translation_en", "translation_fr"]
        super().save(*args, update_fields=update_fields, **kwargs)

    def follow_translations(self, before: dict | None) -> None:
        """Set the statuses from the texts now and `before` (None for a new record)."""
        texts = {language: getattr(self, field) or "" for language, field in self.bilingual_texts.items()}
        old = {
            language: None if before is None else (before[field] or "")
            for language, field in self.bilingual_texts.items()
        }
        changed = {language for language in texts if texts[language] != old[language]}
        lagging = {
            language
            for language in self.bilingual_texts
            if before is not None and before[f"translation_{language}"] != TranslationStatus.TRANSLATED
        }
        for language, other in (("en", "fr"), ("fr", "en")):
            if language in changed:
                setattr(self, f"translation_{language}", TranslationStatus.TRANSLATED)
                # A source changed, not a translation catching up: the other language lags behind.
                source = language not in lagging and texts[language].strip()
                if source and other not in changed and texts[other].strip():
                    setattr(self, f"translation_{other}", TranslationStatus.REVISED)
        for language, text in texts.items():
            if not text.strip():
                setattr(self, f"translation_{language}", TranslationStatus.TO_TRANSLATE)

    @property
    def translated(self) -> bool:
        return self.translation_en == self.translation_fr == TranslationStatus.TRANSLATED


class ImplementationReport(BilingualText):
    """The Committee's report on a monitoring round, whose recommendations are followed up.

    A report in preparation (its chapters, findings and draft recommendations) is the Secretariat's
    and the Committee's alone (recommendations/access.py); its recommendations open no follow-up
    until it is adopted.
    """

    class Status(models.TextChoices):
        IN_PREPARATION = "in_preparation", _("In preparation")
        ADOPTED = "adopted", _("Adopted")

    bilingual_texts = TITLES

    round = models.ForeignKey(
        MonitoringRound, verbose_name=_("monitoring round"), on_delete=models.PROTECT, related_name="reports"
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    adoption_date = models.DateField(_("adoption date"), null=True, blank=True)
    reference = models.CharField(_("document reference"), max_length=60, unique=True)
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline_require_request = models.DateField(
        _("reporting deadline (require and request)"),
        null=True,
        blank=True,
        help_text=_("Parties report first on the recommendations the Committee requires or requests."),
    )
    deadline_invite = models.DateField(_("reporting deadline (invite)"), null=True, blank=True)
    # Set by the services only (adoption freezes the report); the imports bring adopted reports.
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.IN_PREPARATION, editable=False
    )
    # The Secretariat's reason for adopting with texts left to translate (services.report_adopt).
    untranslated_override_reason = models.TextField(
        _("reason for adopting with texts left to translate"), blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        ordering = ["-adoption_date", "reference"]
        indexes = [models.Index(fields=["-adoption_date", "reference"], name="report_list_order")]

    def __str__(self) -> str:
        # Its title, not its document reference: people choose and read reports by what they are.
        return localized(self, "title")

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def short_title(self) -> str:
        """The report as lists and filters name it ("Round 2 implementation report"): its title is a
        sentence. Reads its round: select it with the report."""
        return _("Round %(number)s implementation report") % {"number": self.round.number}

    def deadline_for(self, urgency: str) -> datetime.date | None:
        return self.deadline_invite if urgency == Urgency.INVITE else self.deadline_require_request

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED


class Chapter(BilingualText):
    bilingual_texts = TITLES

    report = models.ForeignKey(
        ImplementationReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="chapters"
    )
    number = models.CharField(_("number"), max_length=10, help_text=_("For example V."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    articles = models.ManyToManyField(
        ConventionArticle, verbose_name=_("Convention articles"), blank=True, related_name="chapters"
    )
    questions = models.ManyToManyField(
        Question,
        verbose_name=_("questions"),
        blank=True,
        related_name="+",
        help_text=_("The questionnaire's questions the chapter analyses: its findings cite their replies."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["report_id", "order", "number"]
        indexes = [models.Index(fields=["report", "order", "number"], name="chapter_list_order")]

    def __str__(self) -> str:
        return f"{self.number}. {localized(self, 'title')}"

    @property
    def title(self) -> str:
        return localized(self, "title")


RENDERED_RECOMMENDATION = ["text_html_en", "text_html_fr", "text_excerpt_en", "text_excerpt_fr"]


class Recommendation(BilingualText, RenderedTextModel):
    report = models.ForeignKey(
        ImplementationReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("chapter"), on_delete=models.PROTECT, related_name="recommendations"
    )
    number = models.CharField(_("number"), max_length=20, help_text=_("For example V-17."))
    order = models.PositiveIntegerField(_("order"), default=0)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency)
    addressed_to_all = models.BooleanField(
        _("addressed to all Parties"),
        default=False,
        help_text=_("All the Parties taking part in the report's round; otherwise the named Parties."),
    )
    addressees = models.ManyToManyField(Party, verbose_name=_("named Parties"), blank=True, related_name="+")
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_html_en = RenderedHTMLField(source="text_en")
    text_html_fr = RenderedHTMLField(source="text_fr")
    text_excerpt_en = ExcerptField(source="text_en")
    text_excerpt_fr = ExcerptField(source="text_fr")
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="recommendations"
    )
    finding = models.ForeignKey(
        "Finding",
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        help_text=_("The finding the recommendation was drafted from."),
    )
    rests_on = models.ForeignKey(
        "self",
        verbose_name=_("rests on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taken_up_by",
        help_text=_("A recommendation of an earlier round's adopted report that this one takes up."),
    )
    legal_basis = models.TextField(
        _("legal basis"),
        blank=True,
        help_text=_(
            "Require: the obligation of the Convention, as its Explanatory report clarifies it. "
            "Request: the Committee's documents that clarify the obligation. "
            "Invite: why the measure is promising, beyond the Convention."
        ),
    )

    history = HistoricalRecords(m2m_fields=[addressees], excluded_fields=RENDERED_RECOMMENDATION)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        # A list reads only its page (docs/architecture.md): own columns, in the order of an index.
        ordering = ["report_id", "order", "pk"]
        indexes = [models.Index(fields=["report", "order", "id"], name="recommendation_list_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="recommendation_number_unique_in_report",
                violation_error_message=_("This report already has a recommendation with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def text_html(self) -> str:
        return localized(self, "text_html")

    @property
    def text_excerpt(self) -> str:
        return localized(self, "text_excerpt")

    @property
    def urgency_definition(self) -> str:
        return URGENCY_DEFINITIONS[self.urgency]

    def clean(self) -> None:
        super().clean()
        if self.rests_on_id is None or self.report_id is None:
            return
        earlier = self.rests_on.report
        # Only adopted, earlier material: what a State reads beside it must already be public.
        if not earlier.is_adopted or earlier.round.number >= self.report.round.number:
            raise ValidationError(
                {"rests_on": _("A recommendation rests on one of an earlier round's adopted report.")}
            )


class Citation(models.Model):
    """A provision cited by a recommendation or a practice: an article and any paragraph ('(1)(a)')."""

    article = models.ForeignKey(
        ConventionArticle, verbose_name=_("article"), on_delete=models.PROTECT, related_name="+"
    )
    paragraph = models.CharField(_("paragraph"), max_length=30, blank=True)
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    practice = models.ForeignKey(
        "Practice",
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, practice__isnull=True)
                | Q(recommendation__isnull=True, practice__isnull=False),
                name="citation_cites_for_one_record",
            ),
        ]

    def __str__(self) -> str:
        return _("Article %(citation)s") % {"citation": f"{self.article.number}{self.paragraph}"}

    @property
    def short(self) -> str:
        return f"{self.article.number}{self.paragraph}"


class AssessedStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    NO_INFORMATION = "no_information", _("No information received")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    PARTLY = "partly", _("Partly implemented")
    IMPLEMENTED = "implemented", _("Implemented satisfactorily")
    DEALT_WITH = "dealt_with", _("Dealt with in a satisfactory manner")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Statuses that close a follow-up: the Party complies (or the recommendation does not apply).
COMPLIANT = (AssessedStatus.IMPLEMENTED, AssessedStatus.DEALT_WITH, AssessedStatus.NOT_APPLICABLE)


def still_open_q() -> Q:
    """Follow-ups still followed up: addressed, not closed by the Committee, not in compliance
    (the rows `FollowUp.is_overdue` may be true of)."""
    return Q(active=True, closed_on__isnull=True) & ~Q(assessed_status__in=COMPLIANT)


def overdue_q(today: datetime.date) -> Q:
    """Still open after the reporting deadline: `FollowUp.is_overdue` in SQL."""
    return still_open_q() & Q(deadline__lt=today)


class ReportedStatus(models.TextChoices):
    """What the State itself says, kept apart from the Committee's assessment."""

    NOT_REPORTED = "not_reported", _("Nothing reported")
    PLANNED = "planned", _("Measures planned")
    IN_PROGRESS = "in_progress", _("Measures in progress")
    DONE = "done", _("Measures taken")
    NOT_APPLICABLE = "not_applicable", _("Considered not applicable")


class FollowUp(models.Model):
    """One Party's follow-up of one recommendation addressed to it."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("Party"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    assessed_status = models.CharField(
        _("assessed status"),
        max_length=16,
        choices=AssessedStatus,
        default=AssessedStatus.NOT_ASSESSED,
        editable=False,
    )
    reported_status = models.CharField(
        _("status reported by the State"),
        max_length=16,
        choices=ReportedStatus,
        default=ReportedStatus.NOT_REPORTED,
        editable=False,
    )
    active = models.BooleanField(
        _("addressed"),
        default=True,
        editable=False,
        help_text=_("Cleared when the Party is no longer addressed; the recorded work is kept."),
    )
    deadline = models.DateField(_("reporting deadline"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("last assessed"), null=True, blank=True, editable=False)
    # Closed by a decision of the Committee (services.follow_up_close): nothing more is asked.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closing_decision = models.ForeignKey(
        "secretariat.Decision",
        verbose_name=_("closed by the decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # A follow-up still open when a later report is adopted goes on under it, with its history.
    carried_into = models.ForeignKey(
        ImplementationReport,
        verbose_name=_("carried into the report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_follow_ups",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        # Read in the order of the (recommendation, party) index; a recommendation's few dozen
        # follow-ups are sorted by Party name as the page is read (an incremental sort).
        ordering = ["recommendation_id", "party__name_en", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "party"], name="one_follow_up_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.number} – {self.party}"

    @property
    def is_compliant(self) -> bool:
        return self.assessed_status in COMPLIANT

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Still not in compliance after the reporting deadline (a closed follow-up never is)."""
        today = today or timezone.localdate()
        return bool(
            self.active
            and self.closed_on is None
            and self.deadline
            and today > self.deadline
            and not self.is_compliant
        )


class FollowUpUpdate(RenderedTextModel):
    """What a State (or a stakeholder about a State) reports on the measures taken."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        MORE_INFORMATION = "more_information", _("More information requested")
        TAKEN_INTO_ASSESSMENT = "assessed", _("Taken into an assessment")

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.PROTECT, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("stakeholder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_updates",
        help_text=_("Set when a stakeholder sends information about the Party."),
    )
    text = models.TextField(_("measures taken"), help_text=_("Markdown. HTML is cleaned before it is shown."))
    text_html = RenderedHTMLField(source="text")
    text_excerpt = ExcerptField(source="text")
    measures_date = models.DateField(_("date of the measures"), null=True, blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("One address per line."))
    reported_status = models.CharField(_("status reported"), max_length=16, choices=ReportedStatus)
    status = models.CharField(
        _("review"), max_length=16, choices=Status, default=Status.SUBMITTED, editable=False
    )
    review_comment = models.TextField(_("Secretariat's comment"), blank=True, editable=False)
    information_requested_at = models.DateTimeField(
        _("information requested on"), null=True, blank=True, editable=False
    )
    information_due = models.DateField(_("information due by"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["text_html", "text_excerpt"])

    class Meta:
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["-submitted_at", "-id"], name="update_list_order")]

    def __str__(self) -> str:
        return _("Update on %(follow_up)s, %(date)s") % {
            "follow_up": self.follow_up,
            "date": timezone.localdate(self.submitted_at),
        }

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class UpdateAttachment(Attachment):
    """A file sent with a follow-up update."""

    update = models.ForeignKey(
        FollowUpUpdate, verbose_name=_("update"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = attachment_file_field("follow-up/%Y/")


class Assessment(RenderedTextModel):
    """The Committee's assessment of a follow-up at one moment: status, reasoning and evidence."""

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(_("status"), max_length=16, choices=AssessedStatus)
    previous_status = models.CharField(_("previous status"), max_length=16, choices=AssessedStatus)
    reasoning = models.TextField(_("reasoning"))
    reasoning_html = RenderedHTMLField(source="reasoning")
    reasoning_excerpt = ExcerptField(source="reasoning")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    updates = models.ManyToManyField(
        FollowUpUpdate, verbose_name=_("updates"), blank=True, related_name="assessments"
    )
    replies = models.ManyToManyField(Reply, verbose_name=_("replies"), blank=True, related_name="+")
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), blank=True, related_name="+")
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Published assessments may be read by every Party.")
    )

    history = HistoricalRecords(excluded_fields=["reasoning_html", "reasoning_excerpt"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        # Also the order in which a follow-up's latest assessment is looked up.
        ordering = ["follow_up_id", "-assessed_at", "-pk"]
        indexes = [models.Index(fields=["follow_up", "-assessed_at", "-id"], name="assessment_list_order")]

    def __str__(self) -> str:
        return f"{self.follow_up}: {self.get_status_display()}"


class Practice(RenderedTextModel):
    """A promising practice or case study, by one or more Parties (or none)."""

    parties = models.ManyToManyField(Party, verbose_name=_("Parties"), blank=True, related_name="practices")
    other_states = models.CharField(
        _("other States"),
        max_length=200,
        blank=True,
        validators=[validate_state_codes],
        help_text=_("ISO 3166-1 alpha-3 codes of States that are not Parties, separated by “;”."),
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    text_html = RenderedHTMLField(source="text")
    text_excerpt = ExcerptField(source="text")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="practices")
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_document = models.ForeignKey(
        Document,
        verbose_name=_("source document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.ForeignKey(
        MonitoringRound,
        verbose_name=_("monitoring round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
    )

    history = HistoricalRecords(m2m_fields=[parties, themes], excluded_fields=["text_html", "text_excerpt"])

    class Meta:
        verbose_name = _("promising practice")
        verbose_name_plural = _("promising practices")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "source"], name="practice_unique_title_in_source"),
        ]

    def __str__(self) -> str:
        return self.title


class Factsheet(RenderedTextModel):
    """A thematic factsheet composed by the Secretariat from a report chapter or a theme."""

    slug = models.SlugField(_("slug"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    report = models.ForeignKey(
        ImplementationReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chapter = models.ForeignKey(
        Chapter,
        verbose_name=_("chapter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="factsheets",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="factsheets",
    )
    article = models.ForeignKey(
        ConventionArticle,
        verbose_name=_("Convention article"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    article_text = models.TextField(_("text of the article"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    introduction_fr = models.TextField(_("introduction (French)"), blank=True)
    article_text_html = RenderedHTMLField(source="article_text")
    introduction_html_en = RenderedHTMLField(source="introduction_en")
    introduction_html_fr = RenderedHTMLField(source="introduction_fr")
    practices = models.ManyToManyField(
        Practice, verbose_name=_("promising practices"), blank=True, related_name="+"
    )

    history = HistoricalRecords(
        excluded_fields=["article_text_html", "introduction_html_en", "introduction_html_fr"]
    )

    class Meta:
        verbose_name = _("factsheet")
        verbose_name_plural = _("factsheets")
        ordering = ["slug"]

    def __str__(self) -> str:
        return localized(self, "title")


class FactsheetSection(RenderedTextModel):
    """A section of the Committee's findings, citing recommendations by number."""

    factsheet = models.ForeignKey(
        Factsheet, verbose_name=_("factsheet"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading_en = models.CharField(_("heading (English)"), max_length=300)
    heading_fr = models.CharField(_("heading (French)"), max_length=300, blank=True)
    text_en = models.TextField(_("findings (English)"), blank=True)
    text_fr = models.TextField(_("findings (French)"), blank=True)
    text_html_en = RenderedHTMLField(source="text_en")
    text_html_fr = RenderedHTMLField(source="text_fr")
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations"), blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["text_html_en", "text_html_fr"])

    class Meta:
        verbose_name = _("factsheet section")
        verbose_name_plural = _("factsheet sections")
        ordering = ["factsheet", "order"]

    def __str__(self) -> str:
        return localized(self, "heading")


# --- drafting a report: findings, the evidence they cite, the rapporteurs' comments ---------------

RENDERED_FINDING = ["text_html_en", "text_html_fr", "text_excerpt_en", "text_excerpt_fr"]


class Finding(BilingualText, RenderedTextModel):
    """What the Committee finds on a chapter's questions, drafted by the Secretariat, citing evidence.

    Visible to the Secretariat and the Committee while its report is in preparation
    (recommendations/access.py); every version is kept, to compare two of them side by side.
    """

    chapter = models.ForeignKey(
        Chapter, verbose_name=_("chapter"), on_delete=models.PROTECT, related_name="findings"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text_en = models.TextField(
        _("text (English)"), help_text=_("Markdown. HTML is cleaned before it is shown.")
    )
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_html_en = RenderedHTMLField(source="text_en")
    text_html_fr = RenderedHTMLField(source="text_fr")
    text_excerpt_en = ExcerptField(source="text_en")
    text_excerpt_fr = ExcerptField(source="text_fr")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=RENDERED_FINDING)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["chapter_id", "order", "pk"]
        indexes = [models.Index(fields=["chapter", "order", "id"], name="finding_list_order")]

    def __str__(self) -> str:
        return _("Finding %(order)s of chapter %(chapter)s") % {
            "order": self.order,
            "chapter": self.chapter.number,
        }

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def text_html(self) -> str:
        return localized(self, "text_html")

    @property
    def text_excerpt(self) -> str:
        return localized(self, "text_excerpt")


def _exactly_one_of(*fields: str) -> Q:
    """The condition that exactly one of the foreign keys `fields` is set."""
    condition = Q(pk__in=[])
    for chosen in fields:
        condition |= Q(**{f"{field}__isnull": field != chosen for field in fields})
    return condition


class FindingCitation(models.Model):
    """The evidence a finding rests on: a Party's reply (or a stakeholder's comment, also a reply),
    a document, an earlier recommendation or children's words (a quote of a registered child
    participation contribution); exactly one of them."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="citations"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A registered reply of a Party, or a stakeholder's comment, in the report's round."),
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("earlier recommendation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    child_quote = models.ForeignKey(
        ChildQuote,
        verbose_name=_("children's words"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A quote of a registered child participation contribution of the report's round."),
    )
    # The Party whose reply is cited (or that a stakeholder comments on), taken from the reply.
    party = models.ForeignKey(
        Party,
        verbose_name=_("Party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cited evidence")
        verbose_name_plural = _("cited evidence")
        ordering = ["finding_id", "order", "pk"]
        indexes = [models.Index(fields=["finding", "order", "id"], name="finding_citation_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_of("reply", "document", "recommendation", "child_quote"),
                name="finding_citation_cites_one_thing",
                violation_error_message=_(
                    "Cite exactly one reply, document, earlier recommendation or quote of children."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reply__isnull=True) | Q(party__isnull=False),
                name="finding_citation_reply_names_its_party",
            ),
        ]

    def __str__(self) -> str:
        if self.reply_id:
            return _("%(party)s: %(reply)s") % {"party": self.party, "reply": self.reply}
        return str(self.document or self.recommendation or self.child_quote)

    def save(self, *args, **kwargs) -> None:
        self._derive_party()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self._derive_party()  # before the constraints are checked
        if self.reply_id is not None:
            self._clean_reply()
        if self.child_quote_id is not None:
            self._clean_child_quote()
        same_report = (
            self.recommendation_id is not None
            and self.finding_id is not None
            and self.recommendation.report_id == self.finding.chapter.report_id
        )
        if same_report:
            raise ValidationError(
                {"recommendation": _("Cite a recommendation of an earlier report, not of this one.")}
            )

    def _derive_party(self) -> None:
        self.party_id = self.reply.submission.party_id if self.reply_id is not None else None

    def _clean_child_quote(self) -> None:
        # Children's words reach a report only once the Secretariat registered them, after the
        # safeguarding check: never a draft's, never another round's.
        contribution = self.child_quote.contribution
        if contribution.status != Submission.Status.REGISTERED:
            raise ValidationError(
                {
                    "child_quote": _(
                        "Only a quote of a registered child participation contribution can be cited."
                    )
                }
            )
        if self.finding_id is not None and contribution.round_id != self.finding.chapter.report.round_id:
            raise ValidationError(
                {"child_quote": _("The quote comes from another monitoring round than the report's.")}
            )

    def _clean_reply(self) -> None:
        submission = self.reply.submission
        if submission.status != Submission.Status.REGISTERED:
            raise ValidationError({"reply": _("Only a registered reply can be cited.")})
        if self.finding_id is not None and submission.round_id != self.finding.chapter.report.round_id:
            raise ValidationError(
                {"reply": _("The reply answers another monitoring round than the report's.")}
            )


class FindingComment(RenderedTextModel):
    """A rapporteur's (or the Secretariat's) comment on a draft finding: internal, never published."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    text = models.TextField(_("comment"), help_text=_("Markdown. HTML is cleaned before it is shown."))
    text_html = RenderedHTMLField(source="text")
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["text_html"])

    class Meta:
        verbose_name = _("comment on a finding")
        verbose_name_plural = _("comments on findings")
        ordering = ["finding_id", "created_at", "pk"]
        indexes = [models.Index(fields=["finding", "created_at", "id"], name="finding_comment_list_order")]

    def __str__(self) -> str:
        return _("Comment by %(author)s on %(finding)s") % {"author": self.author, "finding": self.finding}


class EscalationStep(models.Model):
    """A step the Committee takes when a Party does not reply or does not comply with a report:
    each higher than the last, with the meeting decision that opened it and its outcome
    (recommendations/escalation.py)."""

    class Step(models.IntegerChoices):
        REMINDER = 1, _("Reminder")
        FORMAL_REQUEST = 2, _("Formal request")
        HEAD_OF_DELEGATION = 3, _("Letter to the head of delegation")
        REPORT_STATEMENT = 4, _("Statement in the Committee's report")
        PUBLIC_STATEMENT = 5, _("Public statement")

    report = models.ForeignKey(
        ImplementationReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="escalation"
    )
    party = models.ForeignKey(Party, verbose_name=_("Party"), on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField(_("step"), choices=Step, editable=False)
    opened_on = models.DateField(_("opened on"))
    decision = models.ForeignKey(
        "secretariat.Decision",
        verbose_name=_("decision that opened it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["report_id", "party_id", "step"]
        indexes = [models.Index(fields=["report", "party", "step"], name="escalation_list_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "party", "step"],
                name="one_escalation_step_each",
                violation_error_message=_("The Party is already at this step for this report."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.get_step_display()}"

    def clean(self) -> None:
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": _("A step cannot end before it was opened.")})


class ComplianceReport(BilingualText):
    """The Committee's compliance report on one recommendation, covering every Party it addresses:
    its conclusions, and the assessed status of each Party's follow-up as adopted (kept when the
    follow-ups move on). Adopted by a meeting's decision (recommendations/meeting_items.py)."""

    Status = ImplementationReport.Status

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        related_name="compliance_reports",
    )
    text_en = models.TextField(_("conclusions (English)"), blank=True)
    text_fr = models.TextField(_("conclusions (French)"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.IN_PREPARATION, editable=False
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, editable=False)
    decision = models.ForeignKey(
        "secretariat.Decision",
        verbose_name=_("adopted by the decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    #: {party_id: assessed status} of the follow-ups when adopted
    statuses = models.JSONField(_("statuses adopted"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compliance report")
        verbose_name_plural = _("compliance reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="compliance_report_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation"],
                condition=Q(status="in_preparation"),
                name="one_compliance_report_in_preparation",
                violation_error_message=_(
                    "This recommendation already has a compliance report in preparation."
                ),
            )
        ]

    def __str__(self) -> str:
        return _("Compliance report on recommendation %(number)s") % {"number": self.recommendation.number}

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED
