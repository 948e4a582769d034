"""The shared core: Parties, organisations, people and roles, Convention articles, documents,
the background jobs of data imports and the audit log."""

import functools
import re
import time
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import ALLOWED_EXTENSIONS, validate_party_code, validate_upload


def choice_labels(model: type[models.Model], field_name: str) -> dict[Any, str]:
    """The labels of a field's choices in the active language, for tables of hundreds of rows: a
    row's `get_FOO_display()` builds the field's choices again and translates every label."""
    return _choice_labels(model._meta.get_field(field_name), get_language())


@functools.cache
def _choice_labels(field: models.Field, language: str | None) -> dict[Any, str]:
    return {value: str(label) for value, label in field.flatchoices}


def localized(obj: models.Model, field: str) -> str:
    """The French or English value of `field`, by the active language, English by default."""
    if (get_language() or "en").startswith("fr"):
        return getattr(obj, f"{field}_fr") or getattr(obj, f"{field}_en")
    return getattr(obj, f"{field}_en")


class TreatyStatus(models.TextChoices):
    PARTY = "party", _("Party")
    SIGNED = "signed", _("Signed")
    NONE = "none", _("None")


def _treaty_status_field(verbose_name):
    return models.CharField(verbose_name, max_length=6, choices=TreatyStatus, default=TreatyStatus.NONE)


class Party(models.Model):
    """A State, as a Party (or potential Party) to the Lanzarote Convention."""

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[validate_party_code],
        help_text=_("ISO 3166-1 alpha-3 code, e.g. FRA."),
        error_messages={"unique": _("A Party with this code already exists.")},
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    coe_member = models.BooleanField(_("Council of Europe member"), default=False)
    lanzarote_status = _treaty_status_field(_("Lanzarote Convention"))
    lanzarote_date = models.DateField(_("Lanzarote Convention date"), null=True, blank=True)
    budapest_status = _treaty_status_field(_("Budapest Convention"))
    budapest_date = models.DateField(_("Budapest Convention date"), null=True, blank=True)
    uncrc_status = _treaty_status_field(_("UN Convention on the Rights of the Child"))
    uncrc_date = models.DateField(_("UNCRC date"), null=True, blank=True)
    opsc_status = _treaty_status_field(_("UNCRC Optional Protocol (OPSC)"))
    opsc_date = models.DateField(_("OPSC date"), null=True, blank=True)
    weprotect_member = models.BooleanField(_("WeProtect Global Alliance member"), default=False)
    statuses_as_of = models.DateField(
        _("statuses recorded on"),
        null=True,
        blank=True,
        help_text=_("Date on which the treaty statuses above were recorded."),
    )

    history = HistoricalRecords()

    TREATIES = ("lanzarote", "budapest", "uncrc", "opsc")

    class Meta:
        verbose_name = _("Party")
        verbose_name_plural = _("Parties")
        ordering = ["name_en"]
        indexes = [models.Index(fields=["name_en"], name="party_list_order")]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{3}$"), name="party_code_is_alpha3"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        errors = {}
        for treaty in self.TREATIES:
            status = getattr(self, f"{treaty}_status")
            if status == TreatyStatus.NONE and getattr(self, f"{treaty}_date"):
                errors[f"{treaty}_date"] = _("A date needs a status of Party or Signed.")
        if errors:
            raise ValidationError(errors)


class Organisation(models.Model):
    """A stakeholder other than a State, which may comment on a Party's implementation."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        OMBUDSPERSON = "ombudsperson", _("Ombudsperson for children")
        INTERNATIONAL = "international", _("International organisation")
        NATIONAL_AUTHORITY = "national_authority", _("National authority")
        CHILD_PARTICIPATION = "child_participation", _("Child-participation group")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    party = models.ForeignKey(
        Party,
        verbose_name=_("Party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The State the organisation works in or comments on, if any."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        if (get_language() or "en").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name


class Role(models.TextChoices):
    SECRETARIAT_ADMIN = "secretariat_admin", _("Secretariat administrator")
    SECRETARIAT_OFFICER = "secretariat_officer", _("Secretariat officer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    STATE_COORDINATOR = "state_coordinator", _("State coordinator")
    STATE_CONTRIBUTOR = "state_contributor", _("State contributor")
    STAKEHOLDER_CONTRIBUTOR = "stakeholder_contributor", _("Stakeholder contributor")


SECRETARIAT_ROLES = (Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_OFFICER)
STATE_ROLES = (Role.STATE_COORDINATOR, Role.STATE_CONTRIBUTOR)
# Those who work in the admin: the Secretariat and the Committee (the others use the portal).
STAFF_ROLES = (*SECRETARIAT_ROLES, Role.COMMITTEE_MEMBER)


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class EmailFrequency(models.TextChoices):
    EACH = "each", _("One e-mail per notification")
    DAILY = "daily", _("A daily digest")
    NEVER = "never", _("No e-mail (in the application only)")


_ROLE_UNKNOWN = object()


class User(AbstractUser):
    """A person using the back office: Secretariat staff, a State representative or a stakeholder."""

    role = models.CharField(_("role"), max_length=30, choices=Role, blank=True)
    party = models.ForeignKey(
        Party,
        verbose_name=_("Party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for State coordinators and contributors."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for stakeholder contributors."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language,
        default=Language.ENGLISH,
        help_text=_("The language of the notifications and e-mails this person receives."),
    )
    email_frequency = models.CharField(
        _("notification e-mails"),
        max_length=6,
        choices=EmailFrequency,
        default=EmailFrequency.EACH,
    )

    # The password hash is never copied into history; a login is not a change.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=STATE_ROLES, party__isnull=False, organisation__isnull=True)
                    | Q(
                        role=Role.STAKEHOLDER_CONTRIBUTOR,
                        organisation__isnull=False,
                        party__isnull=True,
                    )
                    | (
                        ~Q(role__in=[*STATE_ROLES, Role.STAKEHOLDER_CONTRIBUTOR])
                        & Q(party__isnull=True, organisation__isnull=True)
                    )
                ),
                name="user_affiliation_matches_role",
                violation_error_message=_(
                    "State users belong to a Party, stakeholders to an organisation, "
                    "Secretariat and Committee users to neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        # A person by their name wherever the admin shows them; the username only when unknown.
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in STATE_ROLES:
            if not self.party_id:
                raise ValidationError({"party": _("A State user must belong to a Party.")})
            if self.organisation_id:
                raise ValidationError({"organisation": _("A State user cannot belong to an organisation.")})
        elif self.role == Role.STAKEHOLDER_CONTRIBUTOR:
            if not self.organisation_id:
                raise ValidationError(
                    {"organisation": _("A stakeholder contributor must belong to an organisation.")}
                )
            if self.party_id:
                raise ValidationError(
                    {"party": _("A stakeholder contributor belongs to an organisation, not a Party.")}
                )
        elif self.party_id or self.organisation_id:
            raise ValidationError(
                _("Secretariat and Committee users belong to neither a Party nor an organisation.")
            )

    # The role as the database has it, and so the role whose group the user is in (saving another
    # role moves them): a save that keeps the role, a sign-in's last_login, runs no group query.
    _role_in_db = _ROLE_UNKNOWN

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        user = super().from_db(db, field_names, values, **kwargs)
        user._role_in_db = user.__dict__.get("role", _ROLE_UNKNOWN)  # unknown when deferred
        return user

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "role" in fields:
            self._role_in_db = self.__dict__.get("role", _ROLE_UNKNOWN)

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= {"last_login"}:
            self.skip_history_when_saving = True
        if self.role:
            # The admin is for the Secretariat and the Committee; everyone else works in the portal.
            self.is_staff = self.role in STAFF_ROLES
        try:
            super().save(*args, **kwargs)
        finally:
            self.__dict__.pop("skip_history_when_saving", None)
        if update_fields is not None and "role" not in update_fields:
            return
        if self.role != self._role_in_db:
            from .roles import sync_user_groups

            sync_user_groups(self)
        self._role_in_db = self.role

    @property
    def is_secretariat(self) -> bool:
        return self.is_superuser or self.role in SECRETARIAT_ROLES

    @property
    def is_state_user(self) -> bool:
        return self.role in STATE_ROLES


_CITATION = re.compile(r"^\s*(?:Art(?:icle)?\.?\s*)?(\d{1,2})\s*((?:\([0-9a-z]+\))*)\s*$", re.I)


class ConventionArticle(models.Model):
    """An article of the Lanzarote Convention (CETS No. 201)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Convention article")
        verbose_name_plural = _("Convention articles")
        ordering = ["number"]

    def __str__(self) -> str:
        return _("Article %(number)s – %(title)s") % {"number": self.number, "title": self.title}

    @property
    def title(self) -> str:
        return localized(self, "title")

    @staticmethod
    def parse_citation(citation: str) -> tuple[int, str]:
        """Split a citation such as '38(1)(a)' or 'Article 38(2)' into (38, '(1)(a)')."""
        match = _CITATION.match(citation or "")
        if not match:
            raise ValidationError(
                _("“%(citation)s” is not an article citation such as 38(2)."),
                code="bad_citation",
                params={"citation": citation},
            )
        return int(match[1]), match[2].lower()


class Document(models.Model):
    """A document of the monitoring work, uploaded or linked, with its reference code."""

    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        REPLIES = "replies", _("Replies")
        COMPILATION = "compilation", _("Compilation of replies")
        IMPLEMENTATION_REPORT = "implementation_report", _("Implementation report")
        COMPLIANCE_REPORT = "compliance_report", _("Compliance report")
        FACTSHEET = "factsheet", _("Factsheet")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        BILINGUAL = "bil", _("Bilingual (English and French)")

    reference = models.CharField(
        _("reference code"),
        max_length=60,
        unique=True,
        help_text=_("For example T-ES(2017)ICT-RU."),
        error_messages={"unique": _("A document with this reference code already exists.")},
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    date = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=3, choices=Language)
    file = models.FileField(
        _("file"),
        upload_to="documents/%Y/",
        blank=True,
        validators=[FileExtensionValidator(ALLOWED_EXTENSIONS), validate_upload],
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    party = models.ForeignKey(
        Party,
        verbose_name=_("Party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The stakeholder that sent the document, if any."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "reference"]
        indexes = [models.Index(fields=["-date", "reference"], name="document_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="document_has_file_or_url",
                violation_error_message=_("Upload a file or give a URL."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("admin:secretariat_document_change", args=[self.pk])

    def clean(self) -> None:
        if not self.file and not self.url:
            raise ValidationError(_("Upload a file or give a URL."))

    @property
    def link(self) -> str:
        """Where the document can be read: the protected file, else its URL."""
        return self.file.url if self.file else self.url


def attachment_file_field(upload_to: str) -> models.FileField:
    """An attachment's file, stored under `upload_to` (a strftime pattern such as "attachments/%Y/"),
    its type, content and size checked by the upload validators."""
    return models.FileField(
        _("file"),
        upload_to=upload_to,
        validators=[FileExtensionValidator(ALLOWED_EXTENSIONS), validate_upload],
    )


class Attachment(models.Model):
    """A file sent with a record (a booklet, a statistics table...): the base of each app's
    attachments. A subclass adds the foreign key to its record and, to store its files
    elsewhere, its own `file = attachment_file_field(...)`."""

    file = attachment_file_field("attachments/%Y/")
    title = models.CharField(_("title"), max_length=200, blank=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]


class ImportJob(models.Model):
    """A data file imported in the background: checked first (a dry run that writes nothing),
    then imported when its author confirms the preview.

    The worker (`secretariat.tasks.run_import_job`) moves it on; while it runs, the rows done
    are kept in the `progress` cache, since the import's one transaction hides any write to
    this row from other connections until it ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked: waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        #: The check found every row already in the database: nothing to confirm, nothing written.
        UNCHANGED = "unchanged", _("Nothing to change")
        REJECTED = "rejected", _("Rejected: nothing was imported")
        FAILED = "failed", _("Failed: nothing was imported")

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    kind = models.CharField(_("kind"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/%Y/")
    file_name = models.CharField(_("file name"), max_length=255)
    #: round, report (the kind's option columns), encoding, delimiter.
    options = models.JSONField(_("options"), default=dict, blank=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    dry_run = models.BooleanField(_("check only"), default=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    #: ImportReport.as_dict() of the last phase that succeeded.
    report = models.JSONField(_("report"), null=True, blank=True)
    #: ImportRejected.messages, or the reason of a failure.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} (#{self.pk})"

    def get_absolute_url(self) -> str:
        return reverse("import_job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_active(self) -> bool:
        """Queued or running: the page follows its progress."""
        return self.status == self.Status.QUEUED or self.is_running

    @property
    def progress_key(self) -> str:
        return f"import-job-{self.pk}"

    def record_progress(self, done: int, total: int) -> None:
        """Called by the worker as chunks are imported; `at` shows the worker is alive."""
        caches["progress"].set(
            self.progress_key, {"done": done, "total": total, "at": time.time()}, timeout=7 * 86400
        )

    def progress(self) -> dict:
        """{done, total, at}: from the cache while the job runs, from the row once it ended."""
        if self.is_running:
            found = caches["progress"].get(self.progress_key)
            if found:
                return found
        return {"done": self.rows_done, "total": self.rows_total, "at": None}


class GeneratedDocument(models.Model):
    """A document built in the background (a whole round's compilation ...) by a kind an app
    registered in `secretariat.documents`, for the user who asked for it.

    The worker (`secretariat.tasks.generate_document`) moves it from queued to running to done
    (with its file) or failed (with the reason); its progress is written on the row as it goes.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    #: What the kind needs to build it again (round, question, format, options ...).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="generated_documents"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps"), default=0)
    file = models.FileField(_("file"), upload_to="generated/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: Status changes are saved (recorded); progress is written with update(), unrecorded.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="generated_by_requester"),
            models.Index(fields=["-created_at", "-id"], name="generateddocument_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (#{self.pk})"

    @property
    def is_active(self) -> bool:
        """Queued or running: its page follows the progress."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class AuditEvent(models.Model):
    """One security-relevant act: a sign-in or its failure, a lock-out, a change of second factor or
    of role, an export, a file download, an import. Written only by `secretariat.audit.record`;
    read-only everywhere, and read by Secretariat administrators only."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", pgettext_lazy("audit event", "Sign-in")
        SIGN_IN_FAILED = "sign_in_failed", pgettext_lazy("audit event", "Sign-in failure")
        SIGN_OUT = "sign_out", pgettext_lazy("audit event", "Sign-out")
        LOCKED_OUT = "locked_out", pgettext_lazy("audit event", "Lock-out")
        LOCK_LIFTED = "lock_lifted", pgettext_lazy("audit event", "Lock-out lifted")
        MFA_CHANGED = "mfa_changed", pgettext_lazy("audit event", "Two-factor authentication change")
        ROLE_CHANGED = "role_changed", pgettext_lazy("audit event", "Role change")
        EXPORT = "export", pgettext_lazy("audit event", "Export")
        FILE_DOWNLOAD = "file_download", pgettext_lazy("audit event", "File download")
        IMPORT = "import", pgettext_lazy("audit event", "Import")
        API_TOKEN_ISSUED = "api_token_issued", pgettext_lazy("audit event", "API token issued")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,  # the event outlives the account; `username` keeps the name
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(
        _("username"), max_length=150, blank=True, help_text=_("As typed, for a failed sign-in.")
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    target = models.CharField(_("target"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-at"], name="auditevent_user_at"),
            models.Index(fields=["-at", "-id"], name="auditevent_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.username or _('anonymous')} – {self.at:%Y-%m-%d %H:%M}"


# --- Running the cycle: cases and their handlers, notes, notifications, correspondence -----------
# The mechanisms live here and in cases.py, events.py, notifications.py and correspondence.py; the
# feature apps register their kinds of case and their events (see docs/architecture.md).


class Case(models.Model):
    """A piece of work the Secretariat runs with a Party: its submission in a round, its follow-up
    of an implementation report. One row per case, kept in step with its subject by the app that
    owns the subject (`cases.refresh`), so that "what waits on whom" is one indexed query."""

    class WaitingOn(models.TextChoices):
        SECRETARIAT = "secretariat", _("the Secretariat")
        PARTY = "party", _("the Party")
        COMMITTEE = "committee", _("the Committee")
        NOBODY = "nobody", _("nobody (closed)")

    kind = models.CharField(_("kind"), max_length=30)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", editable=False
    )
    subject_id = models.PositiveBigIntegerField(editable=False)
    subject = GenericForeignKey("subject_type", "subject_id")
    party = models.ForeignKey(Party, verbose_name=_("Party"), on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("stakeholder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    title_en = models.CharField(_("title (English)"), max_length=300, editable=False)
    title_fr = models.CharField(_("title (French)"), max_length=300, editable=False)
    state = models.CharField(_("state"), max_length=40, editable=False)
    waiting_on = models.CharField(
        _("waiting on"), max_length=12, choices=WaitingOn, default=WaitingOn.SECRETARIAT, editable=False
    )
    waiting_since = models.DateTimeField(_("waiting since"), default=timezone.now, editable=False)
    due_date = models.DateField(_("due date"), null=True, blank=True, editable=False)
    handler = models.ForeignKey(
        "User",
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_cases",
        limit_choices_to={"role__in": SECRETARIAT_ROLES, "is_active": True},
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["due_date", "waiting_since"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "party"], name="one_case_per_subject_and_party"
            )
        ]
        indexes = [
            models.Index(fields=["waiting_on", "handler"], name="case_waiting_handler"),
            models.Index(fields=["party", "waiting_on"], name="case_party_waiting"),
            models.Index(fields=["due_date", "waiting_since", "id"], name="case_list_order"),
        ]

    def __str__(self) -> str:
        return localized(self, "title")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.is_open and self.due_date and self.due_date < today)


class Note(models.Model):
    """An internal note on a case: a thread of the Secretariat (and of the Committee members on
    the cases of their questions). Never shown to States or stakeholders, by any entry point."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "User", verbose_name=_("author"), on_delete=models.PROTECT, related_name="notes", editable=False
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    text = models.TextField(
        _("note"), help_text=_("Markdown. Internal: never shown to States or stakeholders.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return _("Note by %(author)s, %(date)s") % {
            "author": self.author,
            "date": timezone.localdate(self.created_at),
        }


class Notification(models.Model):
    """One event of the cycle told to one person: in the application (the bell) and by e-mail.

    Written in the recipient's language when the event happens; `key` names the event, so the same
    event never makes two notifications for one person. The e-mail is sent by the background worker.
    """

    class Email(models.TextChoices):
        PENDING = "pending", _("To send")
        DIGEST = "digest", _("In the next daily digest")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Failed, will be tried again")
        NOT_SENT = "not_sent", _("Not sent by e-mail")

    recipient = models.ForeignKey(
        "User", verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=50)
    key = models.CharField(_("event key"), max_length=200)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("Party"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=10, choices=Email, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=300, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event_and_person")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_order"),
            models.Index(fields=["email"], name="notification_email_state"),
        ]

    def __str__(self) -> str:
        return self.subject


class Correspondence(models.Model):
    """An item of a Party's correspondence log: what the system e-mailed, a letter sent, or an
    incoming letter or e-mail recorded by the Secretariat, linked to the case it concerns."""

    class Kind(models.TextChoices):
        EMAIL_SENT = "email_sent", _("E-mail sent by the system")
        LETTER_SENT = "letter_sent", _("Letter sent")
        LETTER_RECEIVED = "letter_received", _("Letter received")
        EMAIL_RECEIVED = "email_received", _("E-mail received")

    INCOMING = (Kind.LETTER_RECEIVED, Kind.EMAIL_RECEIVED)

    party = models.ForeignKey(
        Party, verbose_name=_("Party"), on_delete=models.PROTECT, related_name="correspondence"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="correspondence",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    date = models.DateField(_("date"), default=timezone.localdate)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    sender = models.CharField(_("from"), max_length=300, blank=True)
    recipients = models.TextField(_("to"), blank=True, help_text=_("One address or name per line."))
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.ENGLISH)
    letter = models.CharField(_("letter"), max_length=30, blank=True, editable=False)
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The letter or e-mail received, or the letter sent, filed as a document."),
    )
    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        "User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correspondence")
        verbose_name_plural = _("correspondence")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["party", "-date"], name="correspondence_party_date"),
            models.Index(fields=["-date", "-id"], name="correspondence_list_order"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_incoming(self) -> bool:
        return self.kind in self.INCOMING


class LetterTemplate(models.Model):
    """The editable text of a standard letter to a Party, in one language (Django template syntax)."""

    class Letter(models.TextChoices):
        REMINDER = "reminder", _("Reminder before a deadline")
        INFORMATION_REQUEST = "information_request", _("Request for information on a follow-up")
        RETURN = "return", _("Return for clarification")
        REGISTRATION = "registration", _("Acknowledgement of registration")

    letter = models.CharField(_("letter"), max_length=30, choices=Letter)
    language = models.CharField(_("language"), max_length=2, choices=Language)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Plain text with placeholders in double braces, for example {{ party }}, {{ deadline }}; "
            "the letter's page lists them."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["letter", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "language"], name="one_template_per_letter_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_letter_display()} ({self.language.upper()})"


class ScheduledRun(models.Model):
    """A scheduled job (reminders, digests) run for a day: whoever records it first runs it, so the
    worker's schedule and a cron job never both run it."""

    job = models.CharField(_("job"), max_length=50)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="one_run_per_job_and_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"


class Meeting(models.Model):
    """A plenary meeting of the Committee: its agenda (proposed from the state of the work by the
    apps, edited by the Secretariat), then a decision recorded on each item (secretariat/meetings.py)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, help_text=_("For example 47, for the 47th plenary meeting.")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.TextField(
        _("participants"),
        blank=True,
        help_text=_("Members, observers and the Secretariat present, one a line."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["-starts_on", "-id"], name="meeting_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The last day cannot come before the first."),
            )
        ]

    def __str__(self) -> str:
        return _("Plenary meeting %(number)s") % {"number": self.number}


class AgendaItem(models.Model):
    """An item of a meeting's agenda: proposed by an app from the state of the work (`proposal`
    names the proposer, `subject` what it is about) or written by the Secretariat."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    proposal = models.CharField(_("proposed by"), max_length=40, blank=True, editable=False)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    subject = GenericForeignKey("subject_type", "subject_id")
    party = models.ForeignKey(
        Party,
        verbose_name=_("Party concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the item concerns every Party."),
    )
    notes = models.TextField(_("notes for the meeting"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "order", "id"]
        indexes = [models.Index(fields=["meeting", "order", "id"], name="agendaitem_list_order")]

    def __str__(self) -> str:
        return f"{self.order}. {localized(self, 'title')}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class Decision(models.Model):
    """What the Committee decided on an agenda item, carried out by the service its kind names
    (`meetings.DecisionKind`) in the same transaction: recorded only if carried out."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=40)
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("A published decision is shown to the Party concerned (to every Party if none is)."),
    )
    outcome = models.TextField(_("what was done"), blank=True, editable=False)
    # What the decision's kind asked for beside the text (a reason, a letter, the follow-ups to close),
    # as the kind's form cleaned it (meetings.DecisionKind.fields): kept with the decision.
    details = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["-recorded_at", "-id"], name="decision_list_order")]

    def __str__(self) -> str:
        return _("Decision on %(item)s") % {"item": self.item.title}

    @property
    def text(self) -> str:
        return localized(self, "text")
