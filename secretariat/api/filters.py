"""Query-string filters of the API's lists (django-filter), by natural keys: ?party=FRA&round=2.

They narrow a queryset that already comes from secretariat.access, so a filter naming another
Party's records only ever gives an empty list. Here: the filters every app's lists share (ids,
Parties and rounds by their natural keys) and the Parties' own; each app's are in its api package.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from secretariat.models import Case, Correspondence, Decision, Meeting, Notification, Party, TreatyStatus

_ROUND_HELP = _("The round's number.")
PARTY_HELP = _("The Party's code, e.g. FRA.")


class IdFilter(filters.NumberFilter):
    """A whole number, compared as is: never a lookup of the record itself.

    django-filter's default for a foreign key (ModelChoiceFilter) would check the id against every
    row of the table, answering differently for another Party's record and a missing one.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
        document_schema(self, type="integer", minimum=kwargs["min_value"], maximum=kwargs["max_value"])


def document_schema(filter_: filters.Filter, **schema) -> None:
    """Show the bounds the filter's form field checks in the OpenAPI schema (drf-spectacular sees a type)."""
    help_text = filter_.extra.get("help_text")
    set_override(filter_, "field", schema | ({"description": help_text} if help_text else {}))


def party_filter(field_name: str) -> filters.CharFilter:
    """A Party given by its code (any case), at `field_name`."""
    return filters.CharFilter(field_name=field_name, lookup_expr="iexact", help_text=PARTY_HELP)


def round_filter(field_name: str) -> IdFilter:
    """A round given by its number, at `field_name`."""
    return IdFilter(field_name=field_name, max_value=32767, help_text=_ROUND_HELP)


class PartyFilter(filters.FilterSet):
    lanzarote_status = filters.ChoiceFilter(choices=TreatyStatus.choices)

    class Meta:
        model = Party
        fields = ["lanzarote_status", "coe_member"]


class CaseFilter(filters.FilterSet):
    party = party_filter("party__code")
    kind = filters.CharFilter(help_text=_("The kind of case: submission, follow_up."))
    waiting_on = filters.ChoiceFilter(choices=Case.WaitingOn.choices)
    handler = IdFilter(help_text=_("The id of the Secretariat user handling the case."))
    unassigned = filters.BooleanFilter(field_name="handler", lookup_expr="isnull", help_text=_("No handler."))
    open = filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", help_text=_("Not closed."))
    overdue = filters.BooleanFilter(method="filter_overdue", help_text=_("Open and past its due date."))

    class Meta:
        model = Case
        fields = ["party", "kind", "waiting_on", "handler", "unassigned", "open", "overdue"]

    def filter_overdue(self, queryset, name: str, value: bool):
        late = Q(closed_at__isnull=True, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text=_("Not read yet."))
    event = filters.CharFilter(help_text=_("The event, e.g. submission.submitted."))

    class Meta:
        model = Notification
        fields = ["unread", "event"]


class CorrespondenceFilter(filters.FilterSet):
    party = party_filter("party__code")
    case = IdFilter(help_text=_("The case's id."))
    kind = filters.ChoiceFilter(choices=Correspondence.Kind.choices)
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte", help_text=_("On or after."))
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte", help_text=_("On or before."))

    class Meta:
        model = Correspondence
        fields = ["party", "case", "kind", "date_after", "date_before"]


class MeetingFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Meeting.Status.choices)
    starts_after = filters.DateFilter(field_name="starts_on", lookup_expr="gte", help_text=_("On or after."))
    starts_before = filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", help_text=_("On or before.")
    )

    class Meta:
        model = Meeting
        fields = ["status", "starts_after", "starts_before"]


class DecisionFilter(filters.FilterSet):
    party = party_filter("item__party__code")
    meeting = filters.NumberFilter(field_name="item__meeting__number", help_text=_("The meeting's number."))
    published = filters.BooleanFilter()

    class Meta:
        model = Decision
        fields = ["party", "meeting", "published"]
