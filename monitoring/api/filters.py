"""Query-string filters of the monitoring's lists: rounds, questions, submissions, replies, children's views.

They narrow a queryset that already comes from secretariat.access (see secretariat.api.filters).
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from monitoring.models import (
    ChildParticipation,
    Language,
    MonitoringRound,
    ParticipationMethod,
    Question,
    Reply,
    Submission,
)
from secretariat.api.filters import IdFilter, party_filter, round_filter


class RoundFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=MonitoringRound.Status.choices)

    class Meta:
        model = MonitoringRound
        fields = ["status"]


class QuestionFilter(filters.FilterSet):
    round = round_filter("round__number")
    section = IdFilter(
        field_name="section__order", min_value=0, max_value=32767, help_text=_("The section's order.")
    )
    kind = filters.ChoiceFilter(choices=Question.Kind.choices)

    class Meta:
        model = Question
        fields = ["round", "section", "ref", "kind"]


class SubmissionFilter(filters.FilterSet):
    round = round_filter("round__number")
    party = party_filter("party__code")
    status = filters.ChoiceFilter(choices=Submission.Status.choices)
    organisation = IdFilter(help_text=_("The stakeholder organisation's id."))
    stakeholder = filters.BooleanFilter(
        field_name="organisation",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("A stakeholder's comments."),
    )

    class Meta:
        model = Submission
        fields = ["round", "party", "status", "organisation", "stakeholder"]


class ReplyFilter(filters.FilterSet):
    submission = IdFilter()
    round = round_filter("submission__round__number")
    party = party_filter("submission__party__code")
    status = filters.ChoiceFilter(field_name="submission__status", choices=Submission.Status.choices)
    language = filters.ChoiceFilter(choices=Language.choices)
    question = filters.CharFilter(
        method="filter_question",
        help_text=_("A question's ref: replies to it or to any node below it (16 gives 16.1.a too)."),
    )

    class Meta:
        model = Reply
        fields = ["submission", "round", "party", "status", "language", "question"]

    def filter_question(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        answering = Reply.questions.through.objects.filter(
            Q(question__ref=value) | Q(question__ref__startswith=f"{value}.")
        )
        return queryset.filter(pk__in=answering.values("reply"))


class ChildParticipationFilter(filters.FilterSet):
    round = round_filter("round__number")
    party = party_filter("party__code")
    status = filters.ChoiceFilter(choices=Submission.Status.choices)
    organisation = IdFilter(help_text=_("The organisation's id."))
    method = filters.ChoiceFilter(choices=ParticipationMethod.choices)

    class Meta:
        model = ChildParticipation
        fields = ["round", "party", "status", "organisation", "method"]
