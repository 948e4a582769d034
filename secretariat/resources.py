"""Column layouts of every record type for CSV/XLSX import and export (django-import-export).

`ProjectResource` is the base of them all. It matches rows to records by natural key (Party
code, round + question ref, report + recommendation number ...) from one query made before
the import, reports a row that says what the database already says as unchanged, refuses a
record met twice in one file, validates each instance without a query per row, records
history (who, when, "imported from FILE") also for bulk writes, and names the column of every
error. The layout a resource exports is exactly the one it imports.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history

from . import rendering
from .import_limits import Limits
from .imports import ImportRejected, RowError, validation_messages
from .models import ConventionArticle, Document, Organisation, Party, TreatyStatus, User


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def split_list(value) -> list[str]:
    """'BEL; FRA;' -> ['BEL', 'FRA']: lists in one cell are separated by semicolons."""
    return [part.strip() for part in _text(value).split(";") if part.strip()]


class KeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a natural key (a Party code ...), looked up in one query per import.

    `queryset` may be a callable taking the resource, for keys that depend on the import (the
    questions of the round being imported).
    """

    def __init__(self, model, field: str, *, label: "str | Promise" = "", queryset=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        # Lazy: the widgets are made as the resources' classes load, their errors in the worker's language.
        self.label = label or model._meta.verbose_name
        self.scope = queryset
        self.resource = None
        self._cache: dict[str, models.Model] | None = None

    def lookup(self) -> dict[str, models.Model]:
        if self._cache is None:
            queryset = self.scope(self.resource) if callable(self.scope) else self.scope
            if queryset is None:
                queryset = self.model._default_manager.all()
            self._cache = {_text(getattr(obj, self.field)): obj for obj in queryset}
        return self._cache

    def find(self, key: str):
        obj = self.lookup().get(key)
        if obj is None:
            raise ValueError(_("unknown %(label)s “%(key)s”") % {"label": self.label, "key": key})
        return obj

    def clean(self, value, row=None, **kwargs):
        key = _text(value)
        return self.find(key) if key else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else _text(getattr(value, self.field))


class KeyListWidget(KeyWidget):
    """Several natural keys in one cell, separated by semicolons ('1.1;1.2', 'BEL;FRA')."""

    def clean(self, value, row=None, **kwargs):
        keys = split_list(value)
        unknown = [key for key in keys if key not in self.lookup()]
        if unknown:
            raise ValueError(
                _("unknown %(label)s: %(keys)s") % {"label": self.label, "keys": ", ".join(unknown)}
            )
        return [self.lookup()[key] for key in keys]

    def render(self, value, obj=None, **kwargs):
        return ";".join(_text(getattr(item, self.field)) for item in value or [])


class ListField(fields.Field):
    """A many-to-many column: cleaned with the row, written after the instance is saved.

    The values read from the file wait on the instance (`_m2m`) so that the comparison with
    the database and the bulk writes see them.
    """

    def get_value(self, instance):
        pending = getattr(instance, "_m2m", {})
        if self.attribute in pending:
            return pending[self.attribute]
        if instance.pk is None:
            return []
        return list(getattr(instance, self.attribute).all())

    def save(self, instance, row, is_m2m=False, **kwargs):
        if not hasattr(instance, "_m2m"):
            instance._m2m = {}
        instance._m2m[self.attribute] = self.clean(row, **kwargs) or []


class YesNoWidget(widgets.BooleanWidget):
    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "yes", "Yes", "YES", "oui", "Oui"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "no", "No", "NO", "non", "Non"]

    def clean(self, value, row=None, **kwargs):
        if value in self.NULL_VALUES:
            return False
        if value not in self.TRUE_VALUES and value not in self.FALSE_VALUES:
            raise ValueError(_("expected yes or no"))
        return value in self.TRUE_VALUES

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class IsoDateWidget(widgets.Widget):
    """Dates as 2019-10-01; a month such as 2019-10 reads as its first day."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text + "-01" if len(text) == 7 else text[:10])
        except ValueError:
            raise ValueError(_("expected a date such as 2019-10-01")) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A value among a model field's choices; the error lists them."""

    def __init__(self, choices, aliases: dict[str, str] | None = None):
        super().__init__()
        self.values = [value for value, _label in choices]
        self.aliases = aliases or {}

    def clean(self, value, row=None, **kwargs):
        text = self.aliases.get(_text(value), _text(value))
        if text not in self.values:
            raise ValueError(_("expected one of %(values)s") % {"values": ", ".join(self.values)})
        return text

    def render(self, value, obj=None, **kwargs):
        return _text(value)


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return _text(value)


class _ImportRowResult(RowResult):
    def add_instance_info(self, instance):
        # str() of some records runs queries (a reply's refs); the resource gives a cheap label.
        if instance is not None:
            self.object_id = instance.pk
            self.object_repr = getattr(instance, "_import_label", "") or ""


def update_rows(model: type[models.Model], objs: list, field_names: tuple[str, ...], batch_size: int) -> None:
    """Write `field_names` of `objs` with one `UPDATE ... FROM (VALUES ...)` per batch.

    Django's bulk_update builds a CASE per field and row, whose compilation took more than half
    of a 5,000-row follow-up import; this takes a few milliseconds a batch. PostgreSQL and
    SQLite (3.33+); other databases get bulk_update.
    """
    if connection.vendor not in ("postgresql", "sqlite"):
        model._default_manager.bulk_update(objs, list(field_names), batch_size=batch_size)
        return
    quote = connection.ops.quote_name
    key = model._meta.pk
    targets = [model._meta.get_field(name) for name in field_names]
    columns = [key, *targets]

    def typed(field) -> str:
        # PostgreSQL types a VALUES column from its values (text when all are NULL): cast it.
        value = f"v.{quote(field.column)}"
        return f"CAST({value} AS {field.db_type(connection)})" if connection.vendor == "postgresql" else value

    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in columns)
    assignments = ", ".join(f"{quote(field.column)} = {typed(field)}" for field in targets)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(columns, objs)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            # Only quoted names from the model's metadata are formatted in; values are parameters.
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {', '.join([row] * len(batch))}) "  # noqa: S608
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{quote(key.column)} = {typed(key)}",
                [
                    field.get_db_prep_save(getattr(obj, field.attname), connection)
                    for obj in batch
                    for field in columns
                ],
            )


class ProjectResource(resources.ModelResource):
    """Base of the project's resources; see the module docstring."""

    #: Columns whose values identify a record.
    natural_key: tuple[str, ...] = ()
    #: Columns every file must have (the natural key is always required).
    required: tuple[str, ...] = ()
    #: Columns an option may supply for the whole file (round, report).
    option_columns: tuple[str, ...] = ()
    #: Model fields `full_clean` leaves to the resource (set after validation).
    clean_exclude: tuple[str, ...] = ()
    #: Model fields written by bulk updates.
    update_fields: tuple[str, ...] = ()

    class Meta:
        skip_diff = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = False
        clean_model_instances = False
        use_bulk = False
        batch_size = 1000

    def __init__(self, user=None, options=None, source_name: str = "", **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.options = options or {}
        self.source_name = source_name
        self.lines: list[int] = []
        self._by_key: dict[tuple, models.Model] = {}
        self._seen: dict[tuple, int] = {}
        self._before: dict[str, str] | None = None
        self._columns = {field.column_name: field for field in self.get_export_fields()}
        for field in self._columns.values():
            if isinstance(field.widget, KeyWidget):
                field.widget.resource = self

    @classmethod
    def columns(cls) -> list[str]:
        """The file layout, in order: what export writes and import reads."""
        return [field.column_name for field in cls().get_export_fields()]

    @property
    def change_reason(self) -> str:
        return f"imported from {self.source_name}" if self.source_name else "imported"

    def get_row_result_class(self):
        return _ImportRowResult

    def after_import(self, dataset, result, **kwargs) -> None:
        """Nothing, where import-export resets the table's id sequence to the largest id the
        import's transaction sees (as loaddata does, for files that carry ids). Our files never
        carry ids, and with several task workers the reset moves the sequence back below the ids
        another import's open transaction has taken: that import's next insert then fails on a
        duplicate key (found by tests/deployment/test_multi_process.py)."""

    # --- the header ---------------------------------------------------------------------

    def check_header(self, header: list[str], options: dict) -> tuple[list[str], list[str]]:
        """The header with option columns added, and the constant values of those columns."""
        names = [name.strip() for name in header]
        errors = []
        if not any(names):
            errors.append(RowError(1, reason=_("the header row is empty")))
        duplicates = sorted({name for name in names if name and names.count(name) > 1})
        errors += [RowError(1, name, reason=_("this column appears twice")) for name in duplicates]
        unknown = [name for name in names if name and name not in self._columns]
        errors += [
            RowError(
                1,
                name,
                reason=_("unknown column; the columns are %(columns)s")
                % {"columns": ", ".join(self._columns)},
            )
            for name in unknown
        ]
        constants = []
        added = []
        for column in self.option_columns:
            if column not in names and column in options:
                added.append(column)
                constants.append(str(options[column]))
        missing = [c for c in (*self.natural_key, *self.required) if c not in names and c not in added]
        for column in dict.fromkeys(missing):
            if column in self.option_columns:
                reason = _("missing column (or give --%(column)s)") % {"column": column}
            else:
                reason = _("missing column")
            errors.append(RowError(1, column, reason=reason))
        if errors:
            raise ImportRejected(errors)
        return [name or f"_blank_{index}" for index, name in enumerate(names)] + added, constants

    # --- matching rows to records -------------------------------------------------------

    def existing(self) -> models.QuerySet:
        """The records a file of this kind may update (prefetch what `rendered` reads)."""
        return self.get_queryset()

    def prepare(self) -> None:
        self._by_key = {self.instance_key(obj): obj for obj in self.existing()}
        self._seen = {}

    def finish(self) -> list[str]:
        """Work done once after every row (notes for the report)."""
        return []

    def row_key(self, row) -> tuple[str, ...]:
        return tuple(_text(row.get(column)) for column in self.natural_key)

    def instance_key(self, obj) -> tuple[str, ...]:
        return tuple(_text(self._columns[column].export(obj)) for column in self.natural_key)

    def rendered(self, obj, columns=None) -> dict[str, str]:
        return {
            column: _text(self._columns[column].export(obj))
            for column in (columns or self._columns)
            if column in self._columns
        }

    def get_instance(self, instance_loader, row):
        instance = self._by_key.get(self.row_key(row))
        self._before = self.rendered(instance, list(row)) if instance is not None else None
        return instance

    def before_import_row(self, row, row_number=None, **kwargs):
        line = self.lines[row_number - 1] if row_number else 0
        first = self._seen.setdefault(self.row_key(row), line)
        if first != line:
            raise ValidationError(
                {
                    self.natural_key[-1]: _("the same %(key)s as line %(line)s")
                    % {"key": " + ".join(self.natural_key), "line": first}
                }
            )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            if field.column_name not in row or not field.attribute or field.readonly:
                continue
            try:
                field.save(instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)
        instance._import_label = self.label(instance, row)

    def label(self, instance, row) -> str:
        """How a row's record is named in the preview."""
        return " ".join(_text(row.get(column)) for column in self.natural_key)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._before is None:
            return False
        return self.rendered(instance, list(self._before)) == self._before

    # --- validating -----------------------------------------------------------------------

    def check_instance(self, instance, new: bool) -> None:
        """Business rules of the kind; raise ValidationError({column: reason})."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                self.check_instance(instance, new=self._before is None)
                instance.full_clean(
                    exclude=self.clean_exclude, validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # --- writing ----------------------------------------------------------------------------

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user
        instance._change_reason = self.change_reason

    def save_m2m(self, instance, row, **kwargs):
        if not self._meta.use_bulk:
            for attribute, values in getattr(instance, "_m2m", {}).items():
                getattr(instance, attribute).set(values)

    def _has_history(self) -> bool:
        return hasattr(self._meta.model, "history")

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.create_instances = list(self.create_instances), []
        if instances:
            self._bulk_write(instances, True, result, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.update_instances = list(self.update_instances), []
        if instances:
            self._bulk_write(instances, False, result, raise_errors)

    def _written_fields(self, instances) -> tuple[str, ...]:
        """`update_fields`, and the stored renderings of the texts among them, rendered now."""
        names = rendering.with_rendered(self._meta.model, self.update_fields)
        if len(names) > len(self.update_fields):
            rendering.fill(instances)
        return tuple(names)

    def _bulk_write(self, instances, created: bool, result, raise_errors) -> None:
        model = self._meta.model
        history = {"default_user": self.user, "default_change_reason": self.change_reason}
        try:
            with transaction.atomic():
                if created and self._has_history():
                    bulk_create_with_history(instances, model, batch_size=self._meta.batch_size, **history)
                elif created:
                    model.objects.bulk_create(instances, batch_size=self._meta.batch_size)
                else:
                    # Not Django's bulk_update: its CASE per row and field took most of an import.
                    update_rows(model, instances, self._written_fields(instances), self._meta.batch_size)
                    if self._has_history():
                        model.history.bulk_history_create(
                            instances, update=True, batch_size=self._meta.batch_size, **history
                        )
                self.bulk_write_m2m(instances, created)
                self.after_bulk_write(instances, created)
        except Exception as error:  # reported against the file, never a half-written batch
            self.handle_import_error(result, error, raise_errors)

    def bulk_write_m2m(self, instances, created: bool) -> None:
        """Many-to-many values of a batch, in one insert per relation (kept in `m2m_rows`)."""
        self.m2m_rows = {}
        for field in self._columns.values():
            if not isinstance(field, ListField):
                continue
            relation = getattr(self._meta.model, field.attribute)
            through = relation.through
            source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
            if not created:
                through.objects.filter(**{f"{source}__in": instances}).delete()
            self.m2m_rows[field.attribute] = through.objects.bulk_create(
                [
                    through(**{f"{source}_id": instance.pk, f"{target}_id": value.pk})
                    for instance in instances
                    for value in instance._m2m.get(field.attribute, [])
                ]
            )

    def after_bulk_write(self, instances, created: bool) -> None:
        """Work on a batch after it is written (history of relations ...)."""

    # --- reporting --------------------------------------------------------------------------

    def column_of(self, key: str) -> str:
        if key == NON_FIELD_ERRORS:
            return ""
        if key in self._columns:
            return key
        for field in self._columns.values():
            if field.attribute == key or (field.attribute or "").split("__")[0] == key:
                return field.column_name
        return key

    def oversized(self, header, rows, lines) -> list[RowError]:
        """Cells over the size limit, emptied so they are not carried further."""
        errors = []
        limit = Limits.from_settings().cell_chars
        for line, values in zip(lines, rows, strict=True):
            for index, value in enumerate(values):
                if len(value) > limit:
                    errors.append(
                        RowError(
                            line,
                            header[index],
                            value[:60],
                            _("the cell holds %(count)s characters; the limit is %(limit)s")
                            % {"count": f"{len(value):,}", "limit": f"{limit:,}"},
                        )
                    )
                    values[index] = ""
        return errors

    def describe_errors(self, result, header, rows, lines) -> list[RowError]:
        found = [RowError(None, reason=f"{error.error}") for error in result.base_errors]
        for number, errors in result.row_errors():
            found += [RowError(lines[number - 1], reason=f"{error.error}") for error in errors]
        for invalid in result.invalid_rows:
            row = dict(zip(header, rows[invalid.number - 1], strict=False))
            for key, messages in validation_messages(invalid.error).items():
                column = self.column_of(key)
                found += [
                    RowError(lines[invalid.number - 1], column, row.get(column, ""), message)
                    for message in messages
                ]
        return sorted(found, key=lambda error: error.line or 0)


# --- the shared core's record types -----------------------------------------------------------


def _party_column(column: str = "party", attribute: str = "party") -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=KeyWidget(Party, "code", label=gettext_lazy("Party code")),
    )


class PartyResource(ProjectResource):
    """The layout of fixtures/parties.csv, read by `load_reference` and the import page alike."""

    code = fields.Field(attribute="code", column_name="code", widget=TextWidget())
    name_en = fields.Field(attribute="name_en", column_name="name_en", widget=TextWidget())
    name_fr = fields.Field(attribute="name_fr", column_name="name_fr", widget=TextWidget())
    coe_member = fields.Field(attribute="coe_member", column_name="coe_member", widget=YesNoWidget())
    # A column per treaty of Party.TREATIES, named after it ("lanzarote"), with its status (the class
    # body's namespace, which locals() is here, is where the resource finds its declared fields).
    locals().update(
        {
            treaty: fields.Field(
                attribute=f"{treaty}_status", column_name=treaty, widget=ChoiceWidget(TreatyStatus.choices)
            )
            for treaty in Party.TREATIES
        }
    )
    weprotect = fields.Field(attribute="weprotect_member", column_name="weprotect", widget=YesNoWidget())
    as_of = fields.Field(attribute="statuses_as_of", column_name="as_of", widget=IsoDateWidget())

    natural_key = ("code",)
    required = ("name_en", "name_fr")
    update_fields = (
        "name_en",
        "name_fr",
        "coe_member",
        *(f"{treaty}_status" for treaty in Party.TREATIES),
        "weprotect_member",
        "statuses_as_of",
    )

    class Meta:
        model = Party
        fields = ("code", "name_en", "name_fr", "coe_member", *Party.TREATIES, "weprotect", "as_of")
        import_id_fields = ("code",)


class OrganisationResource(ProjectResource):
    name = fields.Field(attribute="name", column_name="name", widget=TextWidget())
    name_fr = fields.Field(attribute="name_fr", column_name="name_fr", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Organisation.Kind.choices))
    party = _party_column()
    website = fields.Field(attribute="website", column_name="website", widget=TextWidget())
    email = fields.Field(attribute="email", column_name="email", widget=TextWidget())

    natural_key = ("name",)
    required = ("kind",)

    class Meta:
        model = Organisation
        fields = ("name", "name_fr", "kind", "party", "website", "email")
        import_id_fields = ("name",)

    def existing(self):
        return Organisation.objects.select_related("party")


class UserResource(resources.ModelResource):
    """Exports people without secrets: never the password hash. Not imported: accounts are
    created in the admin, where roles and Parties are checked."""

    party = fields.Field(
        attribute="party", column_name="party", widget=widgets.ForeignKeyWidget(Party, "code")
    )
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Organisation, "name"),
    )

    class Meta:
        model = User
        import_id_fields = ["username"]
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "party",
            "organisation",
            "is_active",
        ]


class ConventionArticleResource(ProjectResource):
    number = fields.Field(attribute="number", column_name="number", widget=widgets.IntegerWidget())
    title_en = fields.Field(attribute="title_en", column_name="title_en", widget=TextWidget())
    title_fr = fields.Field(attribute="title_fr", column_name="title_fr", widget=TextWidget())

    natural_key = ("number",)
    required = ("title_en",)

    class Meta:
        model = ConventionArticle
        fields = ("number", "title_en", "title_fr")
        import_id_fields = ("number",)


class DocumentResource(resources.ModelResource):
    """Export only: documents come with their files, uploaded in the admin."""

    party = fields.Field(
        attribute="party", column_name="party", widget=widgets.ForeignKeyWidget(Party, "code")
    )
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Organisation, "name"),
    )

    class Meta:
        model = Document
        import_id_fields = ["reference"]
        fields = ["reference", "title", "kind", "date", "language", "url", "party", "organisation"]
