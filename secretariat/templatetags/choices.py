"""{{ follow_up|choice_label:"assessed_status" }}: what `follow_up.get_assessed_status_display` prints,
for tables of hundreds of rows. The model's method builds a dict of the field's choices on every
call, hashing each lazy label (a translation lookup each time); here each field's labels are
translated once per language."""

from typing import Any

from django import template
from django.db.models import Model

from secretariat.models import choice_labels

register = template.Library()


@register.filter
def choice_label(obj: Model, field_name: str) -> Any:
    """The label of `obj`'s value of the field `field_name`, or the value when it is not a choice."""
    value = getattr(obj, obj._meta.get_field(field_name).attname)
    return choice_labels(type(obj), field_name).get(value, value)
