"""A changelist's row checkboxes: the <input> Django's CheckboxInput renders, written without the
template engine (secretariat/admin_base.py, ScopedAdmin.action_checkbox)."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from secretariat.models import Party

pytestmark = pytest.mark.django_db


def _djangos_checkbox(obj) -> str:
    attrs = {
        "class": "action-select",
        "aria-label": format_html(_("Select this object for an action - {}"), str(obj)),
    }
    return forms.CheckboxInput(attrs, lambda value: False).render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))


def test_the_checkbox_is_the_one_django_renders(party_a):
    party_a.name_en = 'Fr<ance> & "Co"'
    assert admin.site._registry[Party].action_checkbox(party_a) == _djangos_checkbox(party_a)


def test_each_row_of_a_changelist_has_its_checkbox(client_for, secretariat_admin, party_a):
    page = client_for(secretariat_admin).get(reverse("admin:secretariat_party_changelist")).text
    assert _djangos_checkbox(party_a) in page
