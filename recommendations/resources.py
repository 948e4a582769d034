"""Column layouts of themes, implementation reports, recommendations, follow-up statuses and practices.

Each resource exports exactly the layout it imports (see secretariat/resources.py). The kinds
are registered in `RecommendationsConfig.ready()`, in import order:

- themes: `slug, name_en, name_fr` (the Committee's own themes are also created when a file names them);
- reports: `reference, round, title_en, title_fr, adoption_date, deadline_require_request,
  deadline_invite, document`;
- recommendations: `report, number, strength, addressees, articles, chapter, chapter_fr, text,
  text_fr, themes` (chapters are created by title, in file order; follow-ups are opened through
  `services.recommendation_sync_follow_ups`);
- follow-ups: `report, recommendation, party, deadline, assessed_status, reasoning, published`
  (only follow-ups that exist; a changed status records an assessment, in bulk);
- practices: `parties, title, text, articles, themes, source, round, source_document`.
"""

import re

import pycountry
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from simple_history.utils import bulk_create_with_history

from monitoring.models import MonitoringRound
from secretariat import access
from secretariat.imports import ImportRejected, RowError
from secretariat.models import ConventionArticle, Document, Party
from secretariat.resources import (
    ChoiceWidget,
    IsoDateWidget,
    KeyListWidget,
    KeyWidget,
    ListField,
    ProjectResource,
    TextWidget,
    YesNoWidget,
    split_list,
)

from . import cases, services
from .models import (
    BILINGUAL_TEXTS,
    AssessedStatus,
    Assessment,
    Chapter,
    Citation,
    FollowUp,
    ImplementationReport,
    Practice,
    Recommendation,
    Theme,
    Urgency,
)


def report_option_field(user) -> forms.ModelChoiceField:
    """The import form's choice of the report a file without a "report" column belongs to."""
    return forms.ModelChoiceField(
        access.scoped(ImplementationReport, user).order_by("-pk"),
        label=_("Implementation report"),
        to_field_name="reference",
    )


#: "ALL" in the addressees column: every Party taking part in the report's round.
ALL = "ALL"

#: The reports say "the Committee requires"; the levels are stored as "require".
STRENGTHS = {"requires": Urgency.REQUIRE, "requests": Urgency.REQUEST, "invites": Urgency.INVITE}

_CITATION = re.compile(r"^(\d{1,2})((?:\(\w+\))*)$")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class LoadingMixin:
    """`get_queryset()` loads what the columns render (the export and `existing()` read it);
    `filter_export` loads a plain queryset given to `export()` the same way."""

    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def load(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.select_related(*self.select).prefetch_related(*self.prefetch)

    def get_queryset(self):
        return self.load(self._meta.model._default_manager.all())

    def filter_export(self, queryset, **kwargs):
        if isinstance(queryset, models.QuerySet) and not queryset._prefetch_related_lookups:
            return self.load(queryset)
        return queryset  # already loaded, or records the caller read in chunks


# --- widgets and fields ----------------------------------------------------------------------


class SortedKeyListWidget(KeyListWidget):
    """Keys written sorted, so that a file and the database compare whatever the order."""

    def render(self, value, obj=None, **kwargs):
        return ";".join(sorted(_text(getattr(item, self.field)) for item in value or []))


class ThemesWidget(SortedKeyListWidget):
    """Theme slugs; the Committee's themes (`services.THEMES`) are created the first time they are named."""

    def __init__(self):
        super().__init__(Theme, "slug", label=_("theme"))

    def clean(self, value, row=None, **kwargs):
        missing = [
            slug for slug in split_list(value) if slug not in self.lookup() and slug in services.THEMES
        ]
        if missing:
            self._cache = services.ensure_themes(missing)
        return super().clean(value, row=row, **kwargs)


class PendingField(fields.Field):
    """A column whose value waits on the instance (`_pending`) for the resource to write it.

    For values that are not plain model fields (a chapter title, citations, an assessment):
    comparisons with the database and the export read the waiting value first.
    """

    def get_value(self, instance):
        pending = getattr(instance, "_pending", {})
        if self.attribute in pending:
            return pending[self.attribute]
        return self.current(instance)

    def current(self, instance):
        return super().get_value(instance)

    def save(self, instance, row, is_m2m=False, **kwargs):
        if not hasattr(instance, "_pending"):
            instance._pending = {}
        instance._pending[self.attribute] = self.clean(row, **kwargs)


class CitationsWidget(widgets.Widget):
    """Provisions such as `38(1)(a);20`: an article of the Convention and any paragraph."""

    def __init__(self):
        super().__init__()
        self._articles: dict[int, ConventionArticle] | None = None
        self.paragraph_length = Citation._meta.get_field("paragraph").max_length

    def articles(self) -> dict[int, ConventionArticle]:
        if self._articles is None:
            self._articles = {article.number: article for article in ConventionArticle.objects.all()}
        return self._articles

    def clean(self, value, row=None, **kwargs):
        citations, problems = [], []
        for cited in split_list(_text(value).replace(" ", "").replace(",", "")):
            match = _CITATION.match(cited)
            if not match or int(match[1]) not in self.articles():
                problems.append(
                    _("“%(cited)s” is not an article of the Convention such as 38(1)(a)") % {"cited": cited}
                )
            elif len(match[2]) > self.paragraph_length:
                problems.append(
                    _("the paragraph of “%(cited)s” is over %(count)s characters")
                    % {"cited": cited, "count": self.paragraph_length}
                )
            else:
                citations.append((self.articles()[int(match[1])], match[2]))
        if problems:
            raise ValueError("; ".join(problems))
        return citations

    def render(self, value, obj=None, **kwargs):
        return ";".join(f"{article.number}{paragraph}" for article, paragraph in value or [])


class CitationsField(PendingField):
    def current(self, instance):
        if instance.pk is None:
            return []
        citations = sorted(instance.citations.all(), key=lambda citation: citation.pk)  # in file order
        return [(citation.article, citation.paragraph) for citation in citations]


class ChapterField(PendingField):
    """The chapter of a recommendation by its English (or, `french`, its French) title."""

    def __init__(self, *args, french: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.french = french
        self.max_length = Chapter._meta.get_field("title_fr" if french else "title_en").max_length

    def current(self, instance):
        if instance.chapter_id is None:
            return ""
        return instance.chapter.title_fr if self.french else instance.chapter.title_en

    def clean(self, row, **kwargs):
        title = super().clean(row, **kwargs)
        if not title and not self.french:
            raise ValueError(_("the chapter is empty"))
        if len(title) > self.max_length:
            raise ValueError(
                _("a chapter title has at most %(count)s characters") % {"count": self.max_length}
            )
        return title


class AddresseesField(ListField):
    """`ALL` (the Parties of the report's round) or Party codes separated by `;`."""

    def clean(self, row, **kwargs):
        value = row[self.column_name]
        codes = split_list(value)
        if not codes:
            raise ValueError(_("no addressee: give ALL or Party codes separated by ;"))
        if ALL in codes:
            if len(codes) > 1:
                raise ValueError(_("ALL cannot be combined with Party codes"))
            return ALL
        return self.widget.clean(value)

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        instance.addressed_to_all = value == ALL
        if not hasattr(instance, "_m2m"):
            instance._m2m = {}
        instance._m2m[self.attribute] = [] if value == ALL else value

    def export(self, instance, **kwargs):
        if instance.addressed_to_all:
            return ALL
        return self.widget.render(self.get_value(instance))


class StatesField(ListField):
    """Practices' States: Parties by code, other States (USA, JPN ...) kept in `other_states`."""

    def clean(self, row, **kwargs):
        codes = list(dict.fromkeys(split_list(row[self.column_name])))
        parties = self.widget.lookup()
        others = [code for code in codes if code not in parties]
        wrong = [
            code for code in others if code != code.upper() or pycountry.countries.get(alpha_3=code) is None
        ]
        if wrong:
            raise ValueError(
                _("not ISO 3166-1 alpha-3 State code(s): %(codes)s") % {"codes": ", ".join(wrong)}
            )
        return [parties[code] for code in codes if code in parties], others

    def save(self, instance, row, is_m2m=False, **kwargs):
        parties, others = self.clean(row, **kwargs)
        instance.other_states = ";".join(others)
        if not hasattr(instance, "_m2m"):
            instance._m2m = {}
        instance._m2m[self.attribute] = parties

    def export(self, instance, **kwargs):
        codes = [party.code for party in self.get_value(instance)] + split_list(instance.other_states)
        return ";".join(sorted(codes))


def _themes_column() -> ListField:
    return ListField(attribute="themes", column_name="themes", widget=ThemesWidget())


def _text_column(column: str, attribute: str = "", readonly: bool = False) -> fields.Field:
    return fields.Field(
        attribute=attribute or column, column_name=column, widget=TextWidget(), readonly=readonly
    )


# --- the report of a file ------------------------------------------------------------------


def report_of_round(number) -> ImplementationReport:
    """The only implementation report of a monitoring round; ImportRejected if it has none or several."""
    try:
        round_ = MonitoringRound.objects.get(number=int(_text(number)))
    except (ValueError, MonitoringRound.DoesNotExist):
        raise ImportRejected(
            [RowError(None, reason=_("there is no monitoring round “%(number)s”") % {"number": number})]
        ) from None
    reports = list(round_.reports.order_by("reference"))
    if len(reports) == 1:
        return reports[0]
    if not reports:
        reason = _(
            "round %(number)s has no implementation report: import the report first (kind reports) or "
            "give the report"
        ) % {"number": round_.number}
    else:
        references = ", ".join(report.reference for report in reports)
        reason = _(
            "round %(number)s has %(count)s implementation reports (%(references)s): give the report"
        ) % {
            "number": round_.number,
            "count": len(reports),
            "references": references,
        }
    raise ImportRejected([RowError(None, reason=reason)])


class ReportOptionMixin:
    """The `report` column may come from an option, or from `round` meaning the round's only report
    (a file with a `report` column and a `round` option must name reports of that round)."""

    def check_header(self, header: list[str], options: dict) -> tuple[list[str], list[str]]:
        names = [name.strip() for name in header]
        if "report" not in names and not options.get("report") and options.get("round"):
            options = {**options, "report": report_of_round(options["round"]).reference}
        return super().check_header(header, options)


# --- reports ---------------------------------------------------------------------------------

_DEADLINES = ("deadline_require_request", "deadline_invite")


class ThemeResource(ProjectResource):
    """Themes, so that a file of recommendations or practices finds the themes it names."""

    slug = _text_column("slug")
    name_en = _text_column("name_en")
    name_fr = _text_column("name_fr")

    natural_key = ("slug",)
    required = ("name_en", "name_fr")

    class Meta:
        model = Theme
        fields = ("slug", "name_en", "name_fr")
        import_id_fields = ("slug",)


class ImplementationReportResource(LoadingMixin, ProjectResource):
    reference = _text_column("reference")
    round = fields.Field(
        attribute="round", column_name="round", widget=KeyWidget(MonitoringRound, "number", label=_("round"))
    )
    title_en = _text_column("title_en")
    title_fr = _text_column("title_fr")
    adoption_date = fields.Field(
        attribute="adoption_date", column_name="adoption_date", widget=IsoDateWidget()
    )
    deadline_require_request = fields.Field(
        attribute="deadline_require_request", column_name="deadline_require_request", widget=IsoDateWidget()
    )
    deadline_invite = fields.Field(
        attribute="deadline_invite", column_name="deadline_invite", widget=IsoDateWidget()
    )
    document = fields.Field(
        attribute="document",
        column_name="document",
        widget=KeyWidget(Document, "reference", label=_("document")),
    )

    natural_key = ("reference",)
    required = ("round", "title_en", "title_fr")
    select = ("round", "document")
    # Foreign keys are found by KeyWidget; full_clean would check each one again with a query.
    clean_exclude = ("round", "document")

    class Meta:
        model = ImplementationReport
        fields = ("reference", "round", "title_en", "title_fr", "adoption_date", *_DEADLINES, "document")
        import_id_fields = ("reference",)

    def check_instance(self, instance, new: bool) -> None:
        if instance.round_id is None:
            raise ValidationError({"round": _("the monitoring round is empty")})
        instance._deadlines_changed = False
        if new:
            # A report arrives in a file once the Committee has adopted it.
            instance.status = ImplementationReport.Status.ADOPTED
            return
        before = self._before
        now = self.rendered(instance, list(before))
        if before.get("round", now.get("round")) != now.get("round") and instance.recommendations.exists():
            raise ValidationError(
                {"round": _("the report has recommendations: its monitoring round cannot change")}
            )
        instance._deadlines_changed = any(
            before.get(column, now.get(column)) != now.get(column) for column in _DEADLINES
        )

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_deadlines_changed", False):
            # As the admin does: follow-ups take the report's new deadline for their urgency.
            services.report_refresh_deadlines(report=instance, by=self.user)


# --- recommendations -------------------------------------------------------------------------


class CitingResource(LoadingMixin, ProjectResource):
    """A resource whose records cite Convention articles (`articles` column)."""

    #: The Citation field pointing to the record.
    citing = ""

    def write_citations(self, instance) -> list[ConventionArticle]:
        """Replace the record's citations when the file gives others; the articles cited."""
        wanted = getattr(instance, "_pending", {}).get("citations")
        if wanted is None:
            return []
        current = sorted(instance.citations.all(), key=lambda c: c.pk) if self._before is not None else []
        if [(c.article_id, c.paragraph) for c in current] != [(a.pk, p) for a, p in wanted]:
            for citation in current:
                citation._history_user, citation._change_reason = self.user, self.change_reason
                citation.delete()
            bulk_create_with_history(
                [Citation(article=a, paragraph=p, **{self.citing: instance}) for a, p in wanted],
                Citation,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        return [article for article, _paragraph in wanted]


class RecommendationResource(ReportOptionMixin, CitingResource):
    report = fields.Field(
        attribute="report",
        column_name="report",
        widget=KeyWidget(
            ImplementationReport,
            "reference",
            label=_("implementation report"),
            queryset=ImplementationReport.objects.select_related("round"),
        ),
    )
    number = _text_column("number")
    strength = fields.Field(
        attribute="urgency", column_name="strength", widget=ChoiceWidget(Urgency.choices, aliases=STRENGTHS)
    )
    addressees = AddresseesField(
        attribute="addressees",
        column_name="addressees",
        widget=SortedKeyListWidget(Party, "code", label=_("Party code")),
    )
    articles = CitationsField(attribute="citations", column_name="articles", widget=CitationsWidget())
    chapter = ChapterField(attribute="chapter", column_name="chapter", widget=TextWidget())
    chapter_fr = ChapterField(
        attribute="chapter_fr", column_name="chapter_fr", widget=TextWidget(), french=True
    )
    text = _text_column("text", "text_en")
    text_fr = _text_column("text_fr")
    themes = _themes_column()

    natural_key = ("report", "number")
    required = ("strength", "addressees", "chapter", "text")
    #: `round` stands for the round's only report (ReportOptionMixin); `themes` gives every
    #: recommendation of a file without that column its themes.
    option_columns = ("report", "round", "themes")
    clean_exclude = ("report", "chapter")
    citing = "recommendation"
    select = ("report", "chapter")
    prefetch = ("addressees", "themes", "citations__article")

    class Meta:
        model = Recommendation
        fields = ("report", "number", "strength", "addressees", "articles", "chapter", "chapter_fr")
        fields += ("text", "text_fr", "themes")
        import_id_fields = ("report", "number")

    def prepare(self) -> None:
        super().prepare()
        self._chapters: dict[int, dict[str, Chapter]] = {}
        self._orders: dict[int, int] = {}
        self._chapter_fr: dict[tuple[str, str], tuple[str, int]] = {}
        self._line = 0
        self._reports_synced: set[int] = set()

    def finish(self) -> list[str]:
        # The cases of each (report, Party) once for the whole file, not once per recommendation.
        cases.refresh_reports(self._reports_synced, by=self.user)
        return super().finish()

    def before_import_row(self, row, row_number=None, **kwargs):
        self._line = self.lines[row_number - 1] if row_number else 0
        super().before_import_row(row, row_number=row_number, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        pending = getattr(instance, "_pending", {})
        if "chapter_fr" in pending:
            # A chapter's French title is repeated on each of its rows: they must agree.
            key = (_text(row.get("report")), pending["chapter"])
            first, line = self._chapter_fr.setdefault(key, (pending["chapter_fr"], self._line))
            if first != pending["chapter_fr"]:
                raise ValidationError(
                    {
                        "chapter_fr": _(
                            "line %(line)s gives chapter “%(chapter)s” the French title “%(title)s”"
                        )
                        % {"line": line, "chapter": key[1], "title": first}
                    }
                )

    def check_instance(self, instance, new: bool) -> None:
        if instance.report_id is None:
            raise ValidationError({"report": _("the implementation report is empty")})
        round_ = _text(self.options.get("round"))
        if round_ and str(instance.report.round.number) != round_:
            raise ValidationError({"report": _("this report is not of round %(round)s") % {"round": round_}})
        # The translation statuses follow the texts, as a save() would (bulk writes call no save()).
        before = None
        if not new:
            before = {
                "translation_en": instance.translation_en,
                "translation_fr": instance.translation_fr,
                # The columns "text" and "text_fr" as they were (absent from the file: unchanged).
                "text_en": self._before.get("text", instance.text_en),
                "text_fr": self._before.get("text_fr", instance.text_fr),
            }
        instance.follow_translations(before)

    def _written_fields(self, instances) -> tuple[str, ...]:
        written = super()._written_fields(instances)
        if set(BILINGUAL_TEXTS.values()) & set(written):
            written = (*written, "translation_en", "translation_fr")
        return written

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        pending = instance._pending
        instance.chapter = self._chapter(instance.report, pending["chapter"], pending.get("chapter_fr"))
        if instance.pk is None:
            instance.order = self._next_order(instance.report)

    def _chapter(self, report: ImplementationReport, title: str, title_fr: str | None) -> Chapter:
        """The report's chapter of this title, created (numbered in file order) when new."""
        if report.pk not in self._chapters:
            self._chapters[report.pk] = {chapter.title_en: chapter for chapter in report.chapters.all()}
        chapters = self._chapters[report.pk]
        chapter = chapters.get(title)
        if chapter is None:
            order = max((c.order for c in chapters.values()), default=0) + 1
            chapter = Chapter(
                report=report,
                number=str(len(chapters) + 1),
                order=order,
                title_en=title,
                title_fr=title_fr or "",
            )
        elif title_fr is None or chapter.title_fr == title_fr:
            return chapter
        else:
            chapter.title_fr = title_fr
        chapter._history_user, chapter._change_reason = self.user, self.change_reason
        chapter.save()
        chapters[title] = chapter
        return chapter

    def _next_order(self, report: ImplementationReport) -> int:
        if report.pk not in self._orders:
            self._orders[report.pk] = report.recommendations.aggregate(last=Max("order"))["last"] or 0
        self._orders[report.pk] += 1
        return self._orders[report.pk]

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        articles = self.write_citations(instance)
        if articles:
            instance.chapter.articles.add(*articles)
        services.recommendation_sync_follow_ups(recommendation=instance, by=self.user, refresh_cases=False)
        self._reports_synced.add(instance.report_id)


# --- follow-up statuses ----------------------------------------------------------------------


_ORDER_OF_ASSESSMENTS = ("-assessed_at", "-pk")


def latest_assessment() -> dict[str, Subquery]:
    """Annotations of a follow-up queryset: its latest assessment's reasoning and publication."""
    latest = Assessment.objects.filter(follow_up=OuterRef("pk")).order_by(*_ORDER_OF_ASSESSMENTS)
    return {
        "latest_reasoning": Subquery(latest.values("reasoning")[:1]),
        "latest_published": Subquery(latest.values("published")[:1]),
    }


class LatestAssessmentField(PendingField):
    """A value of the follow-up's latest assessment: annotated by the import (`latest_assessment`),
    prefetched by the export (`latest_assessments`)."""

    def __init__(self, *args, of: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.of = of

    def current(self, instance):
        if hasattr(instance, self.attribute):
            return getattr(instance, self.attribute)
        if hasattr(instance, "latest_assessments"):
            latest = instance.latest_assessments[0] if instance.latest_assessments else None
        else:  # a follow-up read without either: one query
            latest = instance.assessments.order_by(*_ORDER_OF_ASSESSMENTS).first()
        return getattr(latest, self.of) if latest else None


class FollowUpResource(ReportOptionMixin, LoadingMixin, ProjectResource):
    """Follow-up statuses, imported in bulk: no query per row.

    The follow-ups of each report named in the file are read once (with their latest assessment);
    assessments are created and follow-ups updated in batches.
    """

    # The natural key: found among the loaded follow-ups, never written.
    report = _text_column("report", "recommendation__report__reference", readonly=True)
    recommendation = _text_column("recommendation", "recommendation__number", readonly=True)
    party = _text_column("party", "party__code", readonly=True)
    deadline = fields.Field(attribute="deadline", column_name="deadline", widget=IsoDateWidget())
    assessed_status = PendingField(
        attribute="assessed_status",
        column_name="assessed_status",
        widget=ChoiceWidget(AssessedStatus.choices),
    )
    reasoning = LatestAssessmentField(
        attribute="latest_reasoning", column_name="reasoning", widget=TextWidget(), of="reasoning"
    )
    published = LatestAssessmentField(
        attribute="latest_published", column_name="published", widget=YesNoWidget(), of="published"
    )

    natural_key = ("report", "recommendation", "party")
    option_columns = ("report", "round")
    update_fields = ("deadline", "assessed_status", "assessed_at")
    select = ("recommendation__report", "party")

    class Meta:
        model = FollowUp
        fields = (
            "report",
            "recommendation",
            "party",
            "deadline",
            "assessed_status",
            "reasoning",
            "published",
        )
        import_id_fields = ("report", "recommendation", "party")
        use_bulk = True
        batch_size = 1000

    def load(self, queryset):
        latest = Assessment.objects.order_by(*_ORDER_OF_ASSESSMENTS)[:1]
        return (
            super()
            .load(queryset)
            .prefetch_related(Prefetch("assessments", queryset=latest, to_attr="latest_assessments"))
        )

    # --- matching rows to follow-ups, one report at a time ----------------------------------

    def prepare(self) -> None:
        self._by_key, self._seen = {}, {}
        self._case_pairs: set[tuple[int, int]] = set()
        self._reports = {
            report.reference: report for report in ImplementationReport.objects.select_related("round")
        }
        self._parties = {party.pk: party for party in Party.objects.all()}
        self._codes = {party.code for party in self._parties.values()}
        self._numbers: dict[str, set[str]] = {}

    def _load(self, reference: str) -> None:
        """The follow-ups of one report with their latest assessment, in three queries."""
        self._numbers[reference] = set()
        report = self._reports.get(reference)
        if report is None:
            return
        recommendations = {
            recommendation.pk: recommendation
            for recommendation in Recommendation.objects.filter(report=report).only("id", "report", "number")
        }
        for recommendation in recommendations.values():
            recommendation.report = report
        self._numbers[reference] = {recommendation.number for recommendation in recommendations.values()}
        follow_ups = FollowUp.objects.filter(recommendation__report=report).annotate(**latest_assessment())
        if connection.in_atomic_block:
            # As follow_up_assess does: nobody else assesses these follow-ups until the import ends.
            follow_ups = follow_ups.select_for_update(of=("self",))
        for follow_up in follow_ups.order_by():
            follow_up.recommendation = recommendations[follow_up.recommendation_id]
            follow_up.party = self._parties[follow_up.party_id]
            follow_up._assessment = None
            self._by_key[(reference, follow_up.recommendation.number, follow_up.party.code)] = follow_up

    def get_instance(self, instance_loader, row):
        key = self.row_key(row)
        if key[0] not in self._numbers:
            self._load(key[0])
        instance = self._by_key.get(key)
        if instance is None:
            raise ValidationError(self._missing(*key))
        round_ = _text(self.options.get("round"))
        if round_ and str(instance.recommendation.report.round.number) != round_:
            raise ValidationError({"report": _("this report is not of round %(round)s") % {"round": round_}})
        self._before = self.rendered(instance, list(row))
        return instance

    def _missing(self, reference: str, number: str, code: str) -> dict[str, str]:
        """Why a row names no follow-up, against the column at fault."""
        if reference not in self._reports:
            return {"report": _("unknown implementation report “%(reference)s”") % {"reference": reference}}
        if number not in self._numbers[reference]:
            return {
                "recommendation": _("report %(reference)s has no recommendation “%(number)s”")
                % {"reference": reference, "number": number}
            }
        if code not in self._codes:
            return {"party": _("unknown Party code “%(code)s”") % {"code": code}}
        return {
            "party": _(
                "recommendation %(number)s is not addressed to %(code)s: it has no follow-up for this Party"
            )
            % {"number": number, "code": code}
        }

    # --- assessing ---------------------------------------------------------------------------

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The widgets checked every value; only the assessment rules remain (no full_clean per row).
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                self.check_instance(instance, new=False)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check_instance(self, instance, new: bool) -> None:
        """A changed status, reasoning or publication is a new assessment, by follow_up_assess's rules."""
        pending = getattr(instance, "_pending", {})
        current = {
            "assessed_status": instance.assessed_status,
            "latest_reasoning": instance.latest_reasoning or "",
            "latest_published": bool(instance.latest_published),
        }
        if all(pending.get(key, value) == value for key, value in current.items()):
            return
        assessment = services.PendingAssessment(
            follow_up=instance,
            status=pending.get("assessed_status", instance.assessed_status),
            reasoning=pending.get("latest_reasoning", ""),  # a new assessment gives its own reasoning
            published=pending.get("latest_published", False),
        )
        try:
            services.check_assessment(
                follow_up=instance, by=self.user, status=assessment.status, reasoning=assessment.reasoning
            )
        except services.InvalidAssessment as refusal:
            column = {"status": "assessed_status", "reasoning": "reasoning", "follow_up": "party"}.get(
                refusal.field, NON_FIELD_ERRORS
            )
            raise ValidationError({column: str(refusal)}) from None
        instance._assessment = assessment

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        assessments = [instance._assessment for instance in self.update_instances if instance._assessment]
        if assessments:
            try:
                # Sets each follow-up's assessed status and time; the bulk update below writes them.
                services.follow_ups_assess_bulk(
                    assessments=assessments,
                    by=self.user,
                    save=False,
                    change_reason=self.change_reason,
                    batch_size=self._meta.batch_size,
                )
            except Exception as error:  # reported against the file, never a half-written batch
                self.update_instances = []
                self.handle_import_error(result, error, raise_errors)
                return
        self._case_pairs.update(
            (instance.recommendation.report_id, instance.party_id) for instance in self.update_instances
        )
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    def finish(self) -> list[str]:
        # Statuses and deadlines change the cases: each (report, Party) once for the whole file.
        cases.refresh_pairs(self._case_pairs, by=self.user)
        return super().finish()


# --- practices -------------------------------------------------------------------------------


class PracticeResource(CitingResource):
    parties = StatesField(
        attribute="parties",
        column_name="parties",
        widget=SortedKeyListWidget(Party, "code", label=_("Party code")),
    )
    title = _text_column("title")
    text = _text_column("text")
    articles = CitationsField(attribute="citations", column_name="articles", widget=CitationsWidget())
    themes = _themes_column()
    source = _text_column("source")
    round = fields.Field(
        attribute="round", column_name="round", widget=KeyWidget(MonitoringRound, "number", label=_("round"))
    )
    source_document = fields.Field(
        attribute="source_document",
        column_name="source_document",
        widget=KeyWidget(Document, "reference", label=_("document")),
    )

    natural_key = ("title", "source")
    required = ("text",)
    clean_exclude = ("round", "source_document")
    citing = "practice"
    select = ("round", "source_document")
    prefetch = ("parties", "themes", "citations__article")

    class Meta:
        model = Practice
        fields = ("parties", "title", "text", "articles", "themes", "source", "round", "source_document")
        import_id_fields = ("title", "source")

    def label(self, instance, row) -> str:
        return _text(row.get("title"))

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        self.write_citations(instance)
