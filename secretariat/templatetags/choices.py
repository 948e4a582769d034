"""{{ follow_up|choice_label:"assessed_status" }}: what `follow_up.get_assessed_status_display` prints,
for tables of hundreds of rows. The model's method builds a dict of the field's choices on every
call, hashing each lazy label (a translation lookup each time); here each field's labels are
translated once per language."""

import functools
from typing import Any

from django import template
from django.db.models import Field, Model
from django.utils.translation import get_language

register = template.Library()


@functools.cache
def _labels(field: Field, language: str | None) -> dict[Any, str]:
    return {value: str(label) for value, label in field.flatchoices}


@register.filter
def choice_label(obj: Model, field_name: str) -> Any:
    """The label of `obj`'s value of the field `field_name`, or the value when it is not a choice."""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field.attname)
    return _labels(field, get_language()).get(value, value)
