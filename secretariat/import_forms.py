"""The form of the admin's import page."""

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from .imports import OPTIONS, ImportKind

ENCODINGS = [("auto", _("Detect")), ("utf-8", "UTF-8"), ("cp1252", _("Windows-1252 (French Excel)"))]
DELIMITERS = [("auto", _("Detect")), (",", _("Comma (,)")), (";", _("Semicolon (;)"))]


class ImportForm(forms.Form):
    """A file of one kind, with the options its resource takes (round, report ...)."""

    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS, initial="auto")
    delimiter = forms.ChoiceField(label=_("Separator"), choices=DELIMITERS, initial="auto")
    file = forms.FileField(
        label=_("CSV or XLSX file"), validators=[FileExtensionValidator(["csv", "txt", "xlsx"])]
    )

    def __init__(self, *args, kind: ImportKind, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_columns = tuple(kind.resource.option_columns)
        blank = _("— from the file's “%(column)s” column —")
        option_fields = {}
        for column in self.option_columns:
            if option := OPTIONS.get(column):
                field = option.field(user)
            else:
                field = forms.CharField(label=column.replace("_", " ").capitalize(), max_length=100)
            field.required = False
            field.help_text = _("Leave empty when the file has a “%(column)s” column.") % {"column": column}
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = blank % {"column": column}
            option_fields[column] = field
        # The options first, as the file's columns they stand for.
        self.fields = {**option_fields, **self.fields}
        columns = ", ".join(kind.resource.columns())
        self.fields["file"].help_text = _(
            "Columns: %(columns)s. At most %(size)s MB; checked in the background, then imported "
            "when you confirm."
        ) % {"columns": columns, "size": settings.IMPORT_MAX_UPLOAD_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": settings.IMPORT_MAX_UPLOAD_MB}
            )
        return upload

    def options(self) -> dict:
        """The job's options: the kind's option columns as the file would write them, and how to read it."""
        options = {"encoding": self.cleaned_data["encoding"], "delimiter": self.cleaned_data["delimiter"]}
        for column in self.option_columns:
            value = self.cleaned_data.get(column)
            field = self.fields[column]
            if isinstance(field, forms.ModelChoiceField) and value is not None:
                value = getattr(value, field.to_field_name)
            if value not in (None, ""):
                options[column] = value
        return options
