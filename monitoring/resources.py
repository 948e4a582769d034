"""Import and export layouts of the monitoring records (see secretariat/resources.py for the base).

Rounds come first (kind "rounds"), then their questionnaires (kind "questionnaire", layout of
fixtures/questionnaire_round2.csv plus the round), then the replies: blocks of text answering
one or more questions of a round, from a State or from a stakeholder commenting on it (layout of
fixtures/replies_round2_RUS.csv, plus the round).
"""

import itertools
from collections import defaultdict

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from simple_history.utils import bulk_update_with_history

from secretariat import access
from secretariat.imports import ImportRejected, RowError
from secretariat.models import Organisation, Party
from secretariat.resources import (
    ChoiceWidget,
    IsoDateWidget,
    KeyListWidget,
    KeyWidget,
    ListField,
    ProjectResource,
    TextWidget,
    split_list,
)

from .cases import refresh_submissions
from .models import Language, MonitoringRound, Question, Reply, Section, Submission, Transition


def round_option_field(user) -> forms.ModelChoiceField:
    """The import form's choice of the round a file without a "round" column belongs to."""
    return forms.ModelChoiceField(
        access.scoped(MonitoringRound, user).order_by("-number"),
        label=_("Monitoring round"),
        to_field_name="number",
    )


RESPONDENT_KINDS = ("state", "stakeholder")

#: What a `consent_to_publication` cell may say (case-insensitive); an empty cell keeps the default.
CONSENT_VALUES = {
    **dict.fromkeys(("yes", "true", "1", "oui"), True),
    **dict.fromkeys(("no", "false", "0", "non"), False),
}


def parse_consent(value) -> bool | None:
    """A `consent_to_publication` cell: True, False, or None when empty; ValueError otherwise."""
    text = (value or "").strip().lower()
    if not text:
        return None
    if text not in CONSENT_VALUES:
        raise ValueError(_("expected yes or no (or true/false, 1/0, oui/non)"))
    return CONSENT_VALUES[text]


class QuestionRefsWidget(KeyListWidget):
    """Question refs of the row's round ('1.1;1.2'), kept in questionnaire order."""

    def __init__(self):
        super().__init__(Question, "ref", label=_("question ref"))

    def clean(self, value, row=None, **kwargs):
        questions = self.resource.questions(row.get("round", ""))
        refs = split_list(value)
        if not refs:
            raise ValueError(_("at least one question ref is needed"))
        unknown = [ref for ref in refs if ref not in questions]
        if unknown:
            raise ValueError(
                _("not a question ref of round %(round)s: %(refs)s")
                % {"round": row.get("round"), "refs": ", ".join(unknown)}
            )
        return sorted({questions[ref] for ref in refs}, key=lambda question: question.order)


class ReplyResource(ProjectResource):
    """Replies and stakeholder comments, imported as registered submissions.

    A submission that is not in the State's hands (submitted, registered ...) is never changed
    by a file: its rows must match what is recorded, or they are refused.
    """

    round = fields.Field(attribute="submission__round__number", column_name="round", readonly=True)
    party = fields.Field(attribute="submission__party__code", column_name="party", readonly=True)
    respondent_kind = fields.Field(column_name="respondent_kind", readonly=True)
    respondent = fields.Field(column_name="respondent", readonly=True)
    question_refs = ListField(attribute="questions", column_name="question_refs", widget=QuestionRefsWidget())
    language = fields.Field(
        attribute="language", column_name="language", widget=ChoiceWidget(Language.choices)
    )
    # The submission's, written on each of its rows; optional on import (read in import_instance).
    consent_to_publication = fields.Field(column_name="consent_to_publication", readonly=True)
    text = fields.Field(attribute="text", column_name="text", widget=TextWidget())

    natural_key = ("round", "party", "respondent_kind", "respondent", "question_refs")
    required = ("text",)
    option_columns = ("round",)
    clean_exclude = ("submission",)
    update_fields = ("language", "text", "version", "updated_by", "updated_at")

    class Meta:
        model = Reply
        fields = (
            "round",
            "party",
            "respondent_kind",
            "respondent",
            "question_refs",
            "language",
            "consent_to_publication",
            "text",
        )
        use_bulk = True
        batch_size = 1000

    # --- export ---------------------------------------------------------------------------

    def dehydrate_respondent_kind(self, reply: Reply) -> str:
        return "stakeholder" if reply.submission.organisation_id else "state"

    def dehydrate_respondent(self, reply: Reply) -> str:
        submission = reply.submission
        return submission.organisation.name if submission.organisation_id else submission.party.name_en

    def dehydrate_consent_to_publication(self, reply: Reply) -> str:
        # What the row asks for while it is imported (compared with the database to see a change).
        consent = getattr(reply, "_consent", None)
        if consent is None:
            consent = reply.submission.consent_to_publication if reply.submission_id else None
        return "" if consent is None else ("yes" if consent else "no")

    def get_queryset(self) -> models.QuerySet:
        return Reply.objects.select_related(
            "submission__round", "submission__party", "submission__organisation"
        ).prefetch_related("questions")

    # --- matching -------------------------------------------------------------------------

    def prepare(self) -> None:
        super().prepare()
        rounds = access.scoped(MonitoringRound, self.user) if self.user else MonitoringRound.objects.all()
        self._rounds = {str(round_.number): round_ for round_ in rounds}
        self._parties = {party.code: party for party in Party.objects.all()}
        self._organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
        self._questions: dict[str, dict[str, Question]] = {}
        self._submissions: dict[tuple, Submission] = {}
        self._created: set[int] = set()
        self._next_order: dict[int, int] = {}
        self._notes: list[str] = []
        #: Submission key -> (consent, line): what the file's consent_to_publication cells say.
        self._consents: dict[tuple[str, str, str], tuple[bool, int]] = {}

    def existing(self):
        return Reply.objects.none()  # loaded round by round, as the file names them

    def _load_round(self, number: str) -> None:
        if number in self._questions or number not in self._rounds:
            return
        round_ = self._rounds[number]
        self._questions[number] = {question.ref: question for question in round_.questions.all()}
        for submission in Submission.objects.filter(round=round_).select_related("organisation", "party"):
            self._submissions[self._submission_key(submission)] = submission
        replies = self.get_queryset().filter(submission__round=round_)
        for reply in replies:
            self._by_key[self.instance_key(reply)] = reply
            order = self._next_order.get(reply.submission_id, 0)
            self._next_order[reply.submission_id] = max(order, reply.order)

    def questions(self, round_number: str) -> dict[str, Question]:
        self._load_round(round_number)
        return self._questions.get(round_number, {})

    @staticmethod
    def _submission_key(submission: Submission) -> tuple[str, str, str]:
        organisation = submission.organisation.name if submission.organisation_id else ""
        return (str(submission.round.number), submission.party.code, organisation)

    def row_key(self, row) -> tuple[str, ...]:
        stakeholder = (row.get("respondent_kind") or "").strip() == "stakeholder"
        return (
            (row.get("round") or "").strip(),
            (row.get("party") or "").strip(),
            (row.get("respondent") or "").strip() if stakeholder else "",
            ";".join(split_list(row.get("question_refs"))),
        )

    def instance_key(self, reply: Reply) -> tuple[str, ...]:
        return (*self._submission_key(reply.submission), ";".join(q.ref for q in reply.questions.all()))

    def get_instance(self, instance_loader, row):
        self._load_round((row.get("round") or "").strip())
        return super().get_instance(instance_loader, row)

    # --- reading a row --------------------------------------------------------------------

    def import_instance(self, instance: Reply, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        round_number, code = (row.get("round") or "").strip(), (row.get("party") or "").strip()
        kind, respondent = (row.get("respondent_kind") or "").strip(), (row.get("respondent") or "").strip()
        if round_number not in self._rounds:
            errors["round"] = [_("unknown monitoring round")]
        if code not in self._parties:
            errors["party"] = [_("unknown Party code")]
        if kind not in RESPONDENT_KINDS:
            errors["respondent_kind"] = [_("expected state or stakeholder")]
        elif kind == "stakeholder" and not respondent:
            errors["respondent"] = [_("a stakeholder row needs the organisation's name")]
        elif kind == "stakeholder" and len(respondent) > Organisation._meta.get_field("name").max_length:
            errors["respondent"] = [_("an organisation's name has at most 200 characters")]
        key = (round_number, code, respondent if kind == "stakeholder" else "")
        try:
            instance._consent = parse_consent(row.get("consent_to_publication"))
        except ValueError as error:
            errors["consent_to_publication"] = [str(error)]
        else:
            self._note_consent(key, instance._consent, kwargs.get("row_number"), errors)
        if errors:
            raise ValidationError(errors)
        instance._submission_key = key
        instance._import_label = " ".join(
            filter(None, (code, instance._submission_key[2], row["question_refs"]))
        )

    def _note_consent(self, key: tuple, consent: bool | None, row_number: int | None, errors: dict) -> None:
        """Keep what a row says of its submission's consent; rows of one submission must agree."""
        if consent is None:
            return
        line = self.lines[row_number - 1] if row_number else 0
        first = self._consents.setdefault(key, (consent, line))
        if first[0] != consent:
            errors["consent_to_publication"] = [
                _("line %(line)s says otherwise for the same respondent") % {"line": first[1]}
            ]

    def check_instance(self, instance: Reply, new: bool) -> None:
        submission = self._submissions.get(instance._submission_key)
        if submission is None or submission.pk in self._created or submission.is_editable:
            return
        if not new and self._only_consent_differs(instance):
            # Consent is the submission's, which the Secretariat may change after registration
            # (finish() writes it, with its history); the registered reply itself stays as it is.
            instance._consent_only = True
            return
        raise ValidationError(
            {
                "party": _(
                    "%(submission)s is %(status)s; its replies are not overwritten by a file "
                    "(return it to the respondent first)"
                )
                % {"submission": submission, "status": submission.get_status_display().lower()}
            }
        )

    def rendered(self, obj, columns=None) -> dict[str, str]:
        # The consent column is written by a dehydrate method, which Field.export does not call.
        values = super().rendered(obj, columns)
        if "consent_to_publication" in values:
            values["consent_to_publication"] = self.dehydrate_consent_to_publication(obj)
        return values

    def _only_consent_differs(self, instance: Reply) -> bool:
        if self._before is None:
            return False
        now = self.rendered(instance, list(self._before))
        now.pop("consent_to_publication", None)
        before = {
            column: value for column, value in self._before.items() if column != "consent_to_publication"
        }
        return now == before

    # --- writing ----------------------------------------------------------------------------

    def save_instance(self, instance: Reply, is_create, row, **kwargs):
        if getattr(instance, "_consent_only", False):
            return  # only its submission's consent changes (in finish()): the reply is not rewritten
        super().save_instance(instance, is_create, row, **kwargs)

    def before_save_instance(self, instance: Reply, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk is None:
            instance.submission = self._submission_for(instance._submission_key)
            self._next_order[instance.submission_id] = self._next_order.get(instance.submission_id, 0) + 1
            instance.order = self._next_order[instance.submission_id]
        else:
            instance.version += 1
        instance.updated_by = self.user
        instance.updated_at = timezone.now()

    def _submission_for(self, key: tuple[str, str, str]) -> Submission:
        """The submission of a respondent, created registered (with its transition) if new."""
        if key in self._submissions:
            return self._submissions[key]
        round_number, code, name = key
        organisation = None
        if name:
            organisation = self._organisations.get(name)
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=name, kind=Organisation.Kind.NGO, party=self._parties[code]
                )
                self._organisations[name] = organisation
                self._notes.append(f"created the organisation “{name}”")
        now = timezone.now()
        submission = Submission(
            round=self._rounds[round_number],
            party=self._parties[code],
            organisation=organisation,
            status=Submission.Status.REGISTERED,
            # As the file says, else the default: States' replies yes, stakeholders' comments no.
            consent_to_publication=self._consents.get(key, (organisation is None, 0))[0],
            submitted_at=now,
            registered_at=now,
            registered_by=self.user,
        )
        submission._history_user = self.user
        submission._change_reason = self.change_reason
        submission.save()
        Transition.objects.create(
            submission=submission,
            from_status=Submission.Status.DRAFT,
            to_status=Submission.Status.REGISTERED,
            by=self.user,
            comment=f"Imported from {self.source_name or 'a file'}",
        )
        self._submissions[key] = submission
        self._created.add(submission.pk)
        return submission

    def after_bulk_write(self, instances: list[Reply], created: bool) -> None:
        """The questions answered, in each new historical record of the batch."""
        historical = Reply.history.model
        through = apps.get_model("monitoring", "HistoricalReply_questions")
        latest: dict[int, int] = {}
        for reply_id, history_id in historical.objects.filter(
            id__in=[reply.pk for reply in instances]
        ).values_list("id", "history_id"):
            latest[reply_id] = max(history_id, latest.get(reply_id, 0))
        through.objects.bulk_create(
            through(
                id=row.id, history_id=latest[row.reply_id], reply_id=row.reply_id, question_id=row.question_id
            )
            for row in self.m2m_rows["questions"]
        )

    def _write_consents(self) -> None:
        """The consent the file gives each submission, where it differs, recorded in its history."""
        for key, (consent, _line) in self._consents.items():
            submission = self._submissions.get(key)
            if submission is None or submission.consent_to_publication == consent:
                continue
            submission.consent_to_publication = consent
            submission._history_user = self.user
            submission._change_reason = self.change_reason
            submission.save(update_fields=["consent_to_publication"])
            self._notes.append(
                (
                    _("consent to publication given for %(submission)s")
                    if consent
                    else _("consent to publication withdrawn for %(submission)s")
                )
                % {"submission": submission}
            )

    def finish(self) -> list[str]:
        self._write_consents()
        # The new submissions are cases (registered: closed, or waiting on the rapporteurs).
        refresh_submissions(
            [submission for submission in self._submissions.values() if submission.pk in self._created],
            by=self.user,
        )
        return self._notes


# --- rounds ---------------------------------------------------------------------------------


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


#: The way a round goes, from its preparation to its closing.
ROUND_STATUSES = list(MonitoringRound.Status.values)


class RoundNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _cell(value)
        if not (text.isascii() and text.isdigit() and int(text) > 0):
            raise ValueError(_("expected a round number such as 2"))
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PartyCodesWidget(KeyListWidget):
    """Participating Parties as 'FRA;RUS', sorted by code, so a cell reads the same however it was typed."""

    def __init__(self):
        super().__init__(Party, "code", label=_("Party code"))

    def clean(self, value, row=None, **kwargs):
        return sorted(set(super().clean(value, row, **kwargs)), key=lambda party: party.code)

    def render(self, value, obj=None, **kwargs):
        return super().render(sorted(value or [], key=lambda party: party.code))


class RoundResource(ProjectResource):
    """Monitoring rounds by number, with their participating Parties ('FRA;RUS').

    Status: the admin edits a round's status as a plain field (no service governs round moves),
    so a file may set it too, among MonitoringRound.Status, but only forward (preparation,
    questionnaire sent, collecting, analysis, report adopted, follow-up, closed). Moving a round
    back is refused: a stale export imported again must not silently hide a round from the States
    (back to preparation) or start the reminders again (back to collecting); the admin does it
    when it is meant.

    A Party with a submission in a round stays one of its Parties (it would lose sight of the
    round). A new round in a file without a parties column takes the Parties to the Convention,
    as in the admin.
    """

    number = fields.Field(attribute="number", column_name="number", widget=RoundNumberWidget())
    title_en = fields.Field(attribute="title_en", column_name="title_en", widget=TextWidget())
    title_fr = fields.Field(attribute="title_fr", column_name="title_fr", widget=TextWidget())
    theme_en = fields.Field(attribute="theme_en", column_name="theme_en", widget=TextWidget())
    theme_fr = fields.Field(attribute="theme_fr", column_name="theme_fr", widget=TextWidget())
    launch_date = fields.Field(attribute="launch_date", column_name="launch_date", widget=IsoDateWidget())
    reply_deadline = fields.Field(
        attribute="reply_deadline", column_name="reply_deadline", widget=IsoDateWidget()
    )
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(MonitoringRound.Status.choices)
    )
    parties = ListField(attribute="parties", column_name="parties", widget=PartyCodesWidget())

    natural_key = ("number",)
    required = ("title_en",)

    class Meta:
        model = MonitoringRound
        fields = ("number", "title_en", "title_fr", "theme_en", "theme_fr", "launch_date")
        fields += ("reply_deadline", "status", "parties")
        import_id_fields = ("number",)

    def get_queryset(self) -> models.QuerySet:
        return MonitoringRound.objects.order_by("number").prefetch_related("parties")

    def prepare(self) -> None:
        super().prepare()
        self._answering: dict[int, dict[int, str]] = defaultdict(dict)
        for round_id, party_id, code in Submission.objects.values_list(
            "round_id", "party_id", "party__code"
        ).distinct():
            self._answering[round_id][party_id] = code

    def row_key(self, row) -> tuple[str, ...]:
        text = _cell(row.get("number"))
        return (str(int(text)) if text.isascii() and text.isdigit() else text,)

    def label(self, instance, row) -> str:
        return f"round {_cell(row.get('number'))}"

    def check_instance(self, instance: MonitoringRound, new: bool) -> None:
        errors = {}
        before = (self._before or {}).get("status")
        # `before` is None for a new round and for a file without a status column.
        if before in ROUND_STATUSES and ROUND_STATUSES.index(instance.status) < ROUND_STATUSES.index(before):
            errors["status"] = _(
                "round %(number)s is at “%(status)s”; a file moves a round forward only "
                "(move it back in the admin)"
            ) % {"number": instance.number, "status": before}
        if (
            instance.launch_date
            and instance.reply_deadline
            and instance.reply_deadline < instance.launch_date
        ):
            errors["reply_deadline"] = _("the reply deadline is before the launch date")
        parties = getattr(instance, "_m2m", {}).get("parties")
        if parties is not None and instance.pk:
            kept = {party.pk for party in parties}
            participating = set(split_list((self._before or {}).get("parties")))
            dropped = sorted(
                code
                for party_id, code in self._answering[instance.pk].items()
                if party_id not in kept and code in participating
            )
            if dropped:
                errors["parties"] = _(
                    "%(parties)s already answered round %(number)s; a Party with a submission stays a "
                    "participating Party"
                ) % {"parties": ", ".join(dropped), "number": instance.number}
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance: MonitoringRound, row, **kwargs):
        if self._before is None and "parties" not in row:
            instance._m2m = {"parties": list(MonitoringRound.default_parties())}
        super().save_m2m(instance, row, **kwargs)


# --- questionnaires -------------------------------------------------------------------------

#: French titles of the usual sections, for files that give only the English one.
SECTION_TITLES_FR = {
    "Prevention": "Prévention",
    "Protection": "Protection",
    "Prosecution": "Poursuites",
    "Co-operation": "Coopération",
}
_SECTION_TITLE_LENGTH = Section._meta.get_field("title_en").max_length


class ParentWidget(KeyWidget):
    """The ref of the node above a question: on an earlier row of the file, or already in the round."""

    def __init__(self):
        super().__init__(Question, "ref", label=_("question ref"))

    def clean(self, value, row=None, **kwargs):
        ref = _cell(value)
        return self.resource.parent_for(row, ref) if ref else None


class SectionWidget(widgets.Widget):
    """A section of the row's round by English title, created (in file order) if new."""

    resource = None

    def clean(self, value, row=None, **kwargs):
        return self.resource.section_for(row, _cell(value))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.title_en


class QuestionnaireResource(ProjectResource):
    """The questions of a round, matched by round + ref (layout of fixtures/questionnaire_round2.csv).

    - `parent` is a ref on an earlier row of the file or already in the round; only questions
      (kind "question") have no parent, and a question never goes under its own sub-questions.
    - Sections are found by English title in the row's round, or created in file order with
      their French title from section_fr, else the usual translation, else the English title.
      A section_fr on an existing section renames it in French.
    - `order` is not a column: the questions follow the order of the file. A new question goes
      after the row above it; questions the file leaves out stay after the question they
      followed; then questions are renumbered only where the order needs it (so importing the
      same file again writes nothing).
    - Columns left out of a file are left as they are: a file of round, ref, text_fr adds the
      French texts of a questionnaire.
    - Once a round has a submission (any status: someone has read its questionnaire and started
      answering), a file no longer changes its questionnaire: no new question, no change of
      text, kind, parent, section or order; it may only add a missing French text (text_fr
      empty in the database) and French section titles. Whatever the round's status says, the
      submissions are what make the text answered (the admin sets the status freely).
    """

    round = fields.Field(
        attribute="round",
        column_name="round",
        widget=KeyWidget(
            MonitoringRound,
            "number",
            label=_("monitoring round"),
            queryset=lambda resource: (
                access.scoped(MonitoringRound, resource.user) if resource.user else None
            ),
        ),
    )
    ref = fields.Field(attribute="ref", column_name="ref", widget=TextWidget())
    parent = fields.Field(attribute="parent", column_name="parent", widget=ParentWidget())
    section = fields.Field(attribute="section", column_name="section", widget=SectionWidget())
    section_fr = fields.Field(attribute="section__title_fr", column_name="section_fr", readonly=True)
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Question.Kind.choices))
    text_en = fields.Field(attribute="text_en", column_name="text_en", widget=TextWidget())
    text_fr = fields.Field(attribute="text_fr", column_name="text_fr", widget=TextWidget())

    natural_key = ("round", "ref")
    option_columns = ("round",)
    # The section may be new (saved with its first question); section_for checks it instead.
    clean_exclude = ("section",)

    #: Fields whose change is a change of the question itself (order is handled by `finish`).
    COMPARED = ("section_id", "parent_id", "kind", "text_en", "text_fr")

    class Meta:
        model = Question
        fields = ("round", "ref", "parent", "section", "section_fr", "kind", "text_en", "text_fr")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._columns["section"].widget.resource = self

    def get_queryset(self) -> models.QuerySet:
        return Question.objects.select_related("round", "section", "parent").order_by(
            "round__number", "order", "pk"
        )

    def existing(self) -> models.QuerySet:
        return Question.objects.select_related("round", "parent")

    # --- what the database holds ----------------------------------------------------------

    def prepare(self) -> None:
        super().prepare()
        sections = {section.pk: section for section in Section.objects.all()}
        self._sections = {(section.round_id, section.title_en): section for section in sections.values()}
        self._section_order: dict[int, int] = defaultdict(int)
        for section in sections.values():
            section._saved_title_fr = section.title_fr
            self._section_order[section.round_id] = max(self._section_order[section.round_id], section.order)
        self._section_fr_given: dict[tuple, tuple[str, int]] = {}
        self._nodes: dict[int, dict[str, Question]] = defaultdict(dict)
        self._by_id: dict[int, Question] = {}
        self._last_order: dict[int, int] = defaultdict(int)
        for question in self._by_key.values():
            # One object per section, shared by its questions, so a French title set on one row
            # is what the next rows compare with.
            question.section = sections[question.section_id]
            self._nodes[question.round_id][question.ref] = question
            self._by_id[question.pk] = question
            self._last_order[question.round_id] = max(self._last_order[question.round_id], question.order)
        self._created: set[int] = set()
        self._in_file: dict[int, list[Question]] = defaultdict(list)
        self._previous: dict[int, Question] = {}
        self._answered = dict(
            Submission.objects.values_list("round_id")
            .annotate(count=Count("id"))
            .values_list("round_id", "count")
        )

    def round_of(self, row) -> MonitoringRound | None:
        return self._columns["round"].widget.lookup().get(_cell(row.get("round")))

    def parent_for(self, row, ref: str) -> Question | None:
        round_ = self.round_of(row)
        if round_ is None:
            return None
        if ref == _cell(row.get("ref")):
            raise ValueError(_("a question is not its own parent"))
        parent = self._nodes[round_.pk].get(ref)
        if parent is None:
            line = self._seen.get((_cell(row.get("round")), ref))
            if line:
                raise ValueError(
                    _("the row of %(ref)s (line %(line)s) has errors") % {"ref": ref, "line": line}
                )
            raise ValueError(
                _("%(ref)s is neither on a row above nor a question of round %(number)s")
                % {"ref": ref, "number": round_.number}
            )
        return parent

    def section_for(self, row, title: str) -> Section | None:
        round_ = self.round_of(row)
        if round_ is None:
            return None
        if not title:
            raise ValueError(_("the section is empty"))
        if len(title) > _SECTION_TITLE_LENGTH:
            raise ValueError(
                _("a section title has at most %(count)s characters") % {"count": _SECTION_TITLE_LENGTH}
            )
        section = self._sections.get((round_.pk, title))
        if section is None:
            french = _cell(row.get("section_fr")) or SECTION_TITLES_FR.get(title, title)
            section = Section(round=round_, title_en=title, title_fr=french)
            section._saved_title_fr = None
            self._sections[(round_.pk, title)] = section
        return section

    # --- reading a row ----------------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is not None:
            instance._saved = {name: getattr(instance, name) for name in self.COMPARED}
        return instance

    def import_instance(self, instance: Question, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        line = self.lines[kwargs["row_number"] - 1] if kwargs.get("row_number") else 0
        round_ = self.round_of(row)
        if round_ is None:
            errors.setdefault("round", [_("unknown monitoring round")])
        if not _cell(row.get("ref")):
            errors["ref"] = [_("the ref is empty")]
        if errors or round_ is None:
            raise ValidationError(errors)
        errors.update(self._check_section_fr(instance, row, line))
        errors.update(self._check_tree(instance))
        if instance.pk is None and "section" not in row:
            errors["section"] = [_("a new question needs its section")]
        if errors:
            raise ValidationError(errors)
        instance._import_line = line
        if instance.pk is None:
            # After the row above in this round (or after the round's last question); `finish`
            # moves what follows if that number is taken.
            previous = self._previous.get(round_.pk)
            instance.order = (previous.order if previous else self._last_order[round_.pk]) + 1
        self._last_order[round_.pk] = max(self._last_order[round_.pk], instance.order)
        self._previous[round_.pk] = instance
        self._in_file[round_.pk].append(instance)

    def _check_section_fr(self, instance: Question, row, line: int) -> dict:
        french = _cell(row.get("section_fr"))
        section = instance._state.fields_cache.get("section")
        if not french or section is None:
            return {}
        if len(french) > _SECTION_TITLE_LENGTH:
            return {"section_fr": [f"a section title has at most {_SECTION_TITLE_LENGTH} characters"]}
        first, first_line = self._section_fr_given.setdefault(
            (section.round_id, section.title_en), (french, line)
        )
        if first != french:
            return {
                "section_fr": [
                    f"line {first_line} gives the section “{section.title_en}” the French title “{first}”"
                ]
            }
        section.title_fr = french
        return {}

    def _check_tree(self, instance: Question) -> dict:
        if not instance.kind:
            return {}  # reported by the kind column
        if instance.kind == Question.Kind.QUESTION and instance.parent_id:
            return {"parent": ["a question (kind question) has no parent"]}
        if instance.kind != Question.Kind.QUESTION and not instance.parent_id:
            return {
                "parent": [
                    f"only questions have no parent; give the ref of the node above this {instance.kind}"
                ]
            }
        node, steps = instance.parent_id, 0
        while instance.pk and node and steps <= len(self._by_id):
            if node == instance.pk:
                return {
                    "parent": [
                        _("%(parent)s is under %(ref)s: that would make a loop")
                        % {"parent": instance.parent.ref, "ref": instance.ref}
                    ]
                }
            node, steps = getattr(self._by_id.get(node), "parent_id", None), steps + 1
        return {}

    def check_instance(self, instance: Question, new: bool) -> None:
        count = self._answered.get(instance.round_id)
        if not count:
            return
        values = {"number": instance.round.number, "count": count}
        if new:
            raise ValidationError(
                {
                    "ref": _(
                        "round %(number)s has %(count)s submission(s): its questionnaire is not changed "
                        "by a file (no question is added)"
                    )
                    % values
                }
            )
        reason = _(
            "round %(number)s has %(count)s submission(s): its questionnaire is not changed by a file "
            "(only a missing French text may be added)"
        )
        now = self.rendered(instance, list(self._before))
        errors = {}
        for column, before in self._before.items():
            if now.get(column, before) == before or column == "section_fr":
                continue
            if column == "text_fr" and not before:
                continue  # a missing translation may be added
            errors[column] = reason % values
        if errors:
            raise ValidationError(errors)

    # --- writing ----------------------------------------------------------------------------

    def save_instance(self, instance: Question, is_create, row, **kwargs):
        section = instance.section
        if section.pk is None or section.title_fr != section._saved_title_fr:
            if section.pk is None:
                self._section_order[section.round_id] += 1
                section.order = self._section_order[section.round_id]
            section._history_user = self.user
            section._change_reason = self.change_reason
            section.save()
            section._saved_title_fr = section.title_fr
            instance.section = section
        saved = getattr(instance, "_saved", None)
        if is_create or any(getattr(instance, name) != saved[name] for name in self.COMPARED):
            super().save_instance(instance, is_create, row, **kwargs)
        if is_create:
            self._created.add(instance.pk)
            self._nodes[instance.round_id][instance.ref] = instance
            self._by_id[instance.pk] = instance

    def finish(self) -> list[str]:
        notes, errors = [], []
        for round_id, rows in self._in_file.items():
            number = rows[0].round.number
            if self._answered.get(round_id):
                errors += [
                    RowError(
                        row._import_line,
                        "ref",
                        row.ref,
                        _(
                            "round %(number)s has submissions: its questions keep their order "
                            "(%(ref)s comes before %(previous)s in it)"
                        )
                        % {"number": number, "ref": row.ref, "previous": previous.ref},
                    )
                    for previous, row in itertools.pairwise(rows)
                    if row.order <= previous.order
                ]
                continue
            moved = self._renumber(round_id, rows)
            if moved:
                bulk_update_with_history(
                    moved,
                    Question,
                    ["order"],
                    default_user=self.user,
                    default_change_reason=self.change_reason,
                )
                notes.append(
                    f"round {number}: {len(moved)} question(s) renumbered to follow the file's order"
                )
        if errors:
            raise ImportRejected(errors)
        return notes

    def _renumber(self, round_id: int, rows: list[Question]) -> list[Question]:
        """The questions of the round whose order must change so that they follow the file."""
        sequence = list(rows)
        named = {question.pk for question in rows}
        earlier = sorted(
            (q for q in self._nodes[round_id].values() if q.pk not in self._created),
            key=lambda question: (question.order, question.pk),
        )
        previous = None
        for question in earlier:
            if question.pk not in named:
                # Left out of the file: it stays after the question it followed.
                sequence.insert(sequence.index(previous) + 1 if previous is not None else 0, question)
            previous = question
        moved, last = [], 0
        for question in sequence:
            if question.order <= last:
                question.order = last + 1
                moved.append(question)
            last = question.order
        return moved
