"""Monitoring rounds, their questionnaires, and the submissions and replies sent to them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, capfirst, get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from secretariat.models import (
    Attachment,
    Organisation,
    Party,
    TreatyStatus,
    attachment_file_field,
    localized,
)
from secretariat.rendering import ExcerptField, RenderedHTMLField, RenderedTextModel


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class MonitoringRound(models.Model):
    """A thematic round: every participating Party is monitored at once on one theme."""

    class Status(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        QUESTIONNAIRE_SENT = "questionnaire_sent", _("Questionnaire sent")
        COLLECTING = "collecting", _("Collecting replies")
        ANALYSIS = "analysis", _("Analysis")
        REPORT_ADOPTED = "report_adopted", _("Report adopted")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    theme_en = models.CharField(_("theme (English)"), max_length=300)
    theme_fr = models.CharField(_("theme (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    reply_deadline = models.DateField(_("reply deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PREPARATION)
    parties = models.ManyToManyField(
        Party,
        verbose_name=_("participating Parties"),
        related_name="monitoring_rounds",
        blank=True,
        help_text=_("By default, the Parties to the Convention when the round is created."),
    )

    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("monitoring round")
        verbose_name_plural = _("monitoring rounds")
        ordering = ["-number"]

    def __str__(self) -> str:
        return _("Round %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def short_name(self) -> str:
        """The round as people name it in a list ("Round 2"): its title is a sentence."""
        return _("Round %(number)s") % {"number": self.number}

    @property
    def theme(self) -> str:
        return localized(self, "theme")

    @staticmethod
    def default_parties() -> models.QuerySet:
        return Party.objects.filter(lanzarote_status=TreatyStatus.PARTY)


class Section(models.Model):
    """A part of a questionnaire (Prevention, Protection, Prosecution, Co-operation)."""

    round = models.ForeignKey(
        MonitoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="section_order_unique_in_round"),
            models.UniqueConstraint(fields=["round", "title_en"], name="section_title_unique_in_round"),
        ]

    def __str__(self) -> str:
        return localized(self, "title")

    @property
    def title(self) -> str:
        return localized(self, "title")


class Question(models.Model):
    """A node of the questionnaire tree: question, sub-question, lettered item or request."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        SUBQUESTION = "subquestion", _("Sub-question")
        ITEM = "item", _("Item")
        REQUEST = "request", _("Please specify / share")

    round = models.ForeignKey(
        MonitoringRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="questions"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent question"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    ref = models.CharField(_("ref"), max_length=20, help_text=_("For example 1, 1.1, 1.1.a or 1.r1."))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    order = models.PositiveIntegerField(_("order"))
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "ref"], name="question_ref_unique_in_round"),
            models.CheckConstraint(
                condition=Q(kind="question", parent__isnull=True)
                | (~Q(kind="question") & Q(parent__isnull=False)),
                name="question_only_top_level_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text.splitlines()[0] if self.text else ''}"[:120]

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def top_ref(self) -> str:
        """The ref of the numbered question this node belongs to ('16' for '16.1.a')."""
        return self.ref.split(".")[0]


class Submission(models.Model):
    """What one respondent sends for one round: a State's replies, or a stakeholder's comments on a State."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for clarification")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        REGISTERED = "registered", _("Registered")

    # The only moves a submission can make; services.py is the only writer of `status`.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.REGISTERED, Status.RETURNED},
        Status.RETURNED: {Status.RESUBMITTED},
        Status.RESUBMITTED: {Status.REGISTERED, Status.RETURNED},
        Status.REGISTERED: set(),
    }
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    AWAITED = (Status.DRAFT, Status.RETURNED)

    round = models.ForeignKey(
        MonitoringRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="submissions"
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("Party"),
        on_delete=models.PROTECT,
        related_name="submissions",
        help_text=_("The State that replies, or that the stakeholder comments on."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("stakeholder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        help_text=_("Empty for the State's own replies."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT, editable=False
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    extended_deadline = models.DateField(
        _("extended deadline"), null=True, blank=True, help_text=_("An extension granted by the Secretariat.")
    )
    consent_to_publication = models.BooleanField(
        _("author consents to publication"),
        default=True,
        help_text=_("Confidential material never appears in published compilations or exports."),
    )
    reference = models.CharField(_("document reference"), max_length=60, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        # The latest round first (by its id, an index of this table), then by Party, sorted per round.
        ordering = ["-round_id", "party__name_en", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "party"],
                condition=Q(organisation__isnull=True),
                name="one_state_submission_per_round",
                violation_error_message=_("This Party already has a submission for this round."),
            ),
            models.UniqueConstraint(
                fields=["round", "party", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_stakeholder_submission_per_round_and_party",
                violation_error_message=_("This stakeholder already comments on this Party in this round."),
            ),
        ]

    def __str__(self) -> str:
        if self.organisation_id:
            return _("%(organisation)s on %(party)s, round %(round)s") % {
                "organisation": self.organisation,
                "party": self.party,
                "round": self.round.number,
            }
        return _("%(party)s, round %(round)s") % {"party": self.party, "round": self.round.number}

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.deadline is None:
            self.deadline = self.round.reply_deadline
        super().save(*args, **kwargs)

    @property
    def is_state_reply(self) -> bool:
        return self.organisation_id is None

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def effective_deadline(self) -> datetime.date | None:
        return self.extended_deadline or self.deadline

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        deadline = self.effective_deadline
        return bool(deadline) and self.status in self.AWAITED and today > deadline

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class Transition(models.Model):
    """One move of a submission's workflow: who, when, from and to, and why."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Submission.Status)
    to_status = models.CharField(_("to"), max_length=12, choices=Submission.Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["submission_id", "at", "pk"]
        indexes = [models.Index(fields=["submission", "at", "id"], name="transition_list_order")]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Reply(RenderedTextModel):
    """A block of text answering one or more questions ('Replies to 1.1 - 1.2')."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="replies"
    )
    questions = models.ManyToManyField(Question, verbose_name=_("questions answered"), related_name="replies")
    order = models.PositiveIntegerField(_("order"), default=0)
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.ENGLISH)
    text = models.TextField(
        _("text"), blank=True, help_text=_("Markdown. HTML is cleaned before it is shown.")
    )
    see_reply = models.ForeignKey(
        "self",
        verbose_name=_("see reply"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("“See reply to question 16.1.”"),
    )
    text_html = RenderedHTMLField(source="text")
    text_excerpt = ExcerptField(source="text")
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(m2m_fields=[questions], excluded_fields=["text_html", "text_excerpt"])

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["submission_id", "order", "pk"]
        indexes = [models.Index(fields=["submission", "order", "id"], name="reply_list_order")]

    def __str__(self) -> str:
        refs = self.refs
        if not refs:
            return str(capfirst(self._meta.verbose_name))
        return ngettext("Reply to question %(refs)s", "Reply to questions %(refs)s", len(refs)) % {
            "refs": refs_as_written(refs)
        }

    @property
    def refs(self) -> list[str]:
        """The refs of the questions answered, in the questionnaire's order."""
        if self.pk is None:  # an unsaved reply has no questions yet (str() of it must not fail)
            return []
        return [question.ref for question in self.questions.all()]

    @property
    def refs_label(self) -> str:
        """The refs answered, as the compilations print them: '16.1.a., b.' or '1.1, 1.2'."""
        return format_refs(self.refs)


def refs_as_written(refs: list[str]) -> str:
    """Refs as people write them in a sentence.

    ['16.1.a', '16.1.c'] gives '16.1.a and c'; ['1.1', '1.2', '1.r1'] gives '1.1, 1.2 and 1.r1'.
    (Compilations print them their own way: format_refs.)
    """
    parts: list[str] = []
    stem_of_last_item = None
    for ref in refs:
        stem, _, leaf = ref.rpartition(".")
        is_item = len(leaf) == 1 and leaf.isalpha()
        parts.append(leaf if is_item and stem == stem_of_last_item else ref)
        stem_of_last_item = stem if is_item else None
    return get_text_list(parts, gettext("and"))


def format_refs(refs: list[str]) -> str:
    """Refs as compilations print them.

    ['16.1.a', '16.1.b'] gives '16.1.a., b.'; ['1.1', '1.2'] gives '1.1, 1.2'.
    """
    parts: list[str] = []
    stem_of_last_item = None
    for ref in refs:
        stem, _, leaf = ref.rpartition(".")
        is_item = len(leaf) == 1 and leaf.isalpha()
        if is_item and stem == stem_of_last_item:
            parts.append(f"{leaf}.")
        else:
            parts.append(f"{ref}." if is_item else ref)
        stem_of_last_item = stem if is_item else None
    return ", ".join(parts)


class ReplyAttachment(Attachment):
    """A file sent with a reply (a booklet, a statistics table...)."""

    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="attachments"
    )


class RapporteurAssignment(models.Model):
    """A Committee member appointed rapporteur for a question of a round."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="rapporteurs"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Committee member"),
        on_delete=models.CASCADE,
        related_name="rapporteur_assignments",
        limit_choices_to={"role": "committee_member"},
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapporteur")
        verbose_name_plural = _("rapporteurs")
        constraints = [
            models.UniqueConstraint(fields=["question", "member"], name="rapporteur_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.question.ref}"


class Reminder(models.Model):
    """A deadline reminder sent for a submission; kept so that none is ever sent twice."""

    class Kind(models.TextChoices):
        BEFORE_DEADLINE = "before", _("Before the deadline")
        OVERDUE = "overdue", _("Overdue")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    deadline = models.DateField(_("deadline reminded"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind", "deadline"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} – {self.get_kind_display()} ({self.deadline})"


# --- children's views: child participation contributions ------------------------------------------


class ParticipationMethod(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SURVEY = "survey", _("Survey")
    CONSULTATION = "consultation", _("Consultation")


class ConsentGivenBy(models.TextChoices):
    CHILDREN = "children", _("The children themselves")
    PARENTS = "parents", _("Parents or legal guardians")
    CHILDREN_AND_PARENTS = "children_and_parents", _("The children and their parents or guardians")
    INSTITUTION = "institution", _("The institution caring for the children, with the children's assent")


#: The age bands a contribution counts its children in (field name, label); the aggregates follow
#: this order. The model keeps counts only: no child's name, birth date or contact is ever stored.
AGE_BANDS = (
    ("children_under_10", _("under 10")),
    ("children_10_12", _("10 to 12")),
    ("children_13_15", _("13 to 15")),
    ("children_16_17", _("16 to 17")),
    ("children_age_not_recorded", _("age not recorded")),
)
GENDERS = (
    ("girls", _("girls")),
    ("boys", _("boys")),
    ("children_other_gender", _("other or not stated")),
)


def _count_field(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


class ChildParticipation(RenderedTextModel):
    """What an organisation learnt from children it consulted on a Party for a round, following the
    Committee's child participation guidelines: counts of children (never a child's identity), how
    they were consulted, the consent and ethics information, the report and the quotes that may be used.

    Seen by the Secretariat, the organisation's contributors and, once registered, the round's
    rapporteurs (monitoring/access.py); never by a State. Its workflow is the submissions'
    (`Submission.Status`, `Submission.TRANSITIONS`), moved by monitoring/participation.py only.
    """

    Status = Submission.Status
    TRANSITIONS = Submission.TRANSITIONS
    EDITABLE = Submission.EDITABLE

    round = models.ForeignKey(
        MonitoringRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="child_participations",
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("Party"),
        on_delete=models.PROTECT,
        related_name="child_participations",
        help_text=_("The Party where the children live; it must take part in the round."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="child_participations",
        help_text=_("The organisation that ran the activity."),
    )
    title = models.CharField(_("title"), max_length=200)
    questions = models.ManyToManyField(
        Question,
        verbose_name=_("questions"),
        blank=True,
        related_name="child_participations",
        help_text=_("The questions of the round the children's views speak to."),
    )
    sections = models.ManyToManyField(
        Section,
        verbose_name=_("themes"),
        blank=True,
        related_name="child_participations",
        help_text=_("The themes of the questionnaire the children's views speak to."),
    )
    method = models.CharField(_("method"), max_length=20, choices=ParticipationMethod)
    started_on = models.DateField(_("first day"))
    ended_on = models.DateField(_("last day"))
    children_count = models.PositiveIntegerField(_("number of children"))
    children_under_10 = _count_field(_("children under 10"))
    children_10_12 = _count_field(_("children aged 10 to 12"))
    children_13_15 = _count_field(_("children aged 13 to 15"))
    children_16_17 = _count_field(_("children aged 16 to 17"))
    children_age_not_recorded = _count_field(_("children whose age was not recorded"))
    girls = _count_field(_("girls"))
    boys = _count_field(_("boys"))
    children_other_gender = _count_field(_("children of another gender or who did not say"))
    consent_given_by = models.CharField(_("consent given by"), max_length=24, choices=ConsentGivenBy)
    consent_description = models.TextField(
        _("how consent was obtained"), help_text=_("Who was asked, when, and how children could withdraw.")
    )
    how_informed = models.TextField(
        _("how the children were informed"),
        help_text=_("What the children were told about the activity and how their views would be used."),
    )
    feedback_to_children = models.TextField(_("how results were fed back to the children"), blank=True)
    ethics_review = models.TextField(
        _("ethics review and safeguarding arrangements"),
        blank=True,
        help_text=_("Any ethics approval, and who was there to support a child who disclosed abuse."),
    )
    summary = models.TextField(
        _("summary of the children's views"),
        blank=True,
        help_text=_("Markdown. Checked for anything that would identify a child before registration."),
    )
    summary_html = RenderedHTMLField(source="summary")
    summary_excerpt = ExcerptField(source="summary")
    status = models.CharField(
        _("status"), max_length=12, choices=Submission.Status, default=Submission.Status.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(
        m2m_fields=[questions, sections], excluded_fields=["summary_html", "summary_excerpt"]
    )

    class Meta:
        verbose_name = _("child participation contribution")
        verbose_name_plural = _("child participation contributions")
        ordering = ["-round_id", "party__name_en", "organisation__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")),
                name="child_participation_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(organisation)s: %(title)s (%(party)s, round %(round)s)") % {
            "organisation": self.organisation,
            "title": self.title,
            "party": self.party,
            "round": self.round.number,
        }

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def age_counts(self) -> list[tuple[str, int]]:
        return [(field, getattr(self, field)) for field, _label in AGE_BANDS]

    def gender_counts(self) -> list[tuple[str, int]]:
        return [(field, getattr(self, field)) for field, _label in GENDERS]

    def clean(self) -> None:
        errors = {}
        total = self.children_count
        if total is not None:
            by_age = sum(count or 0 for _field, count in self.age_counts())
            if by_age != total:
                errors["children_under_10"] = gettext(
                    "The age bands add up to %(sum)s children, not the %(total)s counted."
                ) % {"sum": by_age, "total": total}
            by_gender = sum(count or 0 for _field, count in self.gender_counts())
            if by_gender != total:
                errors["girls"] = gettext(
                    "Girls, boys and other add up to %(sum)s children, not the %(total)s counted."
                ) % {"sum": by_gender, "total": total}
        if self.round_id and self.party_id and not self.round.parties.filter(pk=self.party_id).exists():
            errors["party"] = gettext("%(party)s does not take part in round %(round)s.") % {
                "party": self.party,
                "round": self.round.number,
            }
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = gettext("The last day cannot be before the first day.")
        if errors:
            raise ValidationError(errors)


class ChildParticipationTransition(models.Model):
    """One move of a contribution's workflow: who, when, from and to, and why."""

    contribution = models.ForeignKey(
        ChildParticipation,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Submission.Status)
    to_status = models.CharField(_("to"), max_length=12, choices=Submission.Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("contribution transition")
        verbose_name_plural = _("contribution transitions")
        ordering = ["contribution_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ChildParticipationReport(Attachment):
    """The organisation's report of the activity (a file), seen as the contribution is."""

    file = attachment_file_field("child-participation/%Y/")
    contribution = models.ForeignKey(
        ChildParticipation, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="reports"
    )

    class Meta(Attachment.Meta):
        verbose_name = _("child participation report")
        verbose_name_plural = _("child participation reports")


class ChildQuote(models.Model):
    """Words of the children that may be used in the report or a compilation, with no detail that
    would identify a child (checked by monitoring/safeguarding.py before registration)."""

    contribution = models.ForeignKey(
        ChildParticipation, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="quotes"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("quote"))
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.ENGLISH)
    age_band = models.CharField(
        _("age band"),
        max_length=30,
        choices=[(field, label) for field, label in AGE_BANDS],
        blank=True,
        help_text=_("Optional: the age band of the child or group quoted, never an exact age."),
    )
    questions = models.ManyToManyField(
        Question, verbose_name=_("questions"), blank=True, related_name="child_quotes"
    )

    history = HistoricalRecords(m2m_fields=[questions])

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["contribution_id", "order", "pk"]

    def __str__(self) -> str:
        return Truncator(self.text).chars(80)


class SafeguardingFlag(models.Model):
    """Something in a contribution's text that may identify a child, found by the safeguarding check,
    and the Secretariat's decision on it (redacted, or confirmed as not identifying, with a reason).

    `matched` holds the words found only while the flag is open: redacting empties it, and it is
    kept out of the history, so the identifying words are not kept anywhere once removed.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("a person's name")
        SCHOOL = "school", _("a school")
        PLACE = "place", _("a place")
        AGE_WITH_PLACE = "age_place", _("an age with a place")
        EMAIL = "email", _("an e-mail address")
        PHONE = "phone", _("a phone number")
        HANDLE = "handle", _("a social-media handle")

    class Decision(models.TextChoices):
        OPEN = "open", _("To decide")
        REDACTED = "redacted", _("Redacted")
        CONFIRMED = "confirmed", _("Confirmed: does not identify a child")

    contribution = models.ForeignKey(
        ChildParticipation, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="flags"
    )
    quote = models.ForeignKey(
        ChildQuote,
        verbose_name=_("quote"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags",
        help_text=_("Empty when the flag is in the contribution's summary."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    matched = models.CharField(_("words found"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision, default=Decision.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["matched"])

    class Meta:
        verbose_name = _("safeguarding flag")
        verbose_name_plural = _("safeguarding flags")
        ordering = ["contribution_id", "quote_id", "pk"]
        indexes = [models.Index(fields=["contribution", "decision"], name="flag_open_per_contribution")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_decision_display()})"
