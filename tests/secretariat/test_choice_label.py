"""The choice_label filter prints what get_FOO_display prints, in the active language."""

from django.template import Context, Template
from django.utils import translation

from recommendations.models import AssessedStatus, FollowUp

TEMPLATE = Template('{% load choices %}{{ follow_up|choice_label:"assessed_status" }}')


def _render(follow_up: FollowUp) -> str:
    return TEMPLATE.render(Context({"follow_up": follow_up}))


def test_it_prints_the_label_of_the_value():
    follow_up = FollowUp(assessed_status=AssessedStatus.PARTLY)
    assert _render(follow_up) == "Partly implemented" == follow_up.get_assessed_status_display()


def test_it_prints_the_label_in_the_active_language():
    follow_up = FollowUp(assessed_status=AssessedStatus.PARTLY)
    _render(follow_up)  # the English labels, cached first
    with translation.override("fr"):
        assert _render(follow_up) == "Partiellement mise en œuvre" == follow_up.get_assessed_status_display()


def test_a_value_that_is_not_a_choice_is_printed_as_it_is():
    assert _render(FollowUp(assessed_status="withdrawn")) == "withdrawn"
