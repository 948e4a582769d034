"""Query-string filters of the API's lists (django-filter), by natural keys: ?party=FRA&round=2.

They narrow a queryset that already comes from secretariat.access, so a filter naming another
Party's records only ever gives an empty list. Here: the filters every app's lists share (ids,
Parties and rounds by their natural keys) and the Parties' own; each app's are in its api package.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from secretariat.models import Party, TreatyStatus

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
