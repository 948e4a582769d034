"""A new admin page that forgets the access module is a bug: this catches it."""

from django.contrib import admin
from django.contrib.auth.models import Group

from secretariat import access
from secretariat.admin_base import ReadOnlyInline, ScopedAdmin

# Groups are managed by Secretariat administrators only (no other role has auth permissions).
UNSCOPED_BY_DESIGN = {Group}


def test_every_admin_derives_from_scoped_admin():
    unscoped = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model not in UNSCOPED_BY_DESIGN and not isinstance(model_admin, ScopedAdmin)
    ]
    assert unscoped == []


def test_every_admin_model_has_an_access_rule():
    missing = [
        model._meta.label
        for model in admin.site._registry
        if model not in UNSCOPED_BY_DESIGN and not access.has_rule(model)
    ]
    assert missing == []


def test_every_admin_inline_is_scoped():
    # An inline is scoped when it derives from ReadOnlyInline or defines its own get_queryset.
    unscoped = [
        f"{model._meta.label}: {inline.model._meta.label}"
        for model, model_admin in admin.site._registry.items()
        for inline in model_admin.inlines
        if not (issubclass(inline, ReadOnlyInline) or "get_queryset" in vars(inline))
        or not access.has_rule(inline.model)
    ]
    assert unscoped == []
