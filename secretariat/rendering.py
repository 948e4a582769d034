"""Texts rendered when they are written, not when they are read.

A Markdown field (a reply, a recommendation, an assessment's reasoning…) keeps beside it its
sanitised HTML (`RenderedHTMLField`) and, where lists show it, a plain-text excerpt
(`ExcerptField`). Both are filled from their source whenever the row is written: by `save()`
(`RenderedTextModel` adds them to `update_fields` when their source is listed there) and by
`bulk_create()` (Django calls each field's `pre_save`). `bulk_update()` and `QuerySet.update()`
call neither: a bulk path fills the rows with `fill()` and lists `with_rendered()`'s fields.

Pages, the API and the documents read the stored values; `manage.py render_texts` rebuilds them
after a change of the renderer (secretariat/text.py).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.safestring import SafeString, mark_safe

from .text import excerpt_of, render_markdown

#: The stored excerpt's length: lists cut it shorter (Truncator), never longer.
EXCERPT_LENGTH = 300


@dataclass(frozen=True)
class Rendering:
    html: SafeString
    excerpt: str


def render(text: str) -> Rendering:
    html = render_markdown(text)
    return Rendering(html=html, excerpt=excerpt_of(html, EXCERPT_LENGTH))


def rendering_of(instance: models.Model, source: str) -> Rendering:
    """The rendering of `instance.<source>`, once per value (the HTML and excerpt fields share it)."""
    text = getattr(instance, source) or ""
    memo = instance.__dict__.setdefault("_renderings", {})
    cached = memo.get(source)
    if cached is None or cached[0] != text:
        cached = memo[source] = (text, render(text))
    return cached[1]


class _RenderedField:
    """What the two kinds of rendered field share: a source field, filled on every write."""

    source: str

    def _rendered_value(self, rendering: Rendering) -> str:
        raise NotImplementedError

    def pre_save(self, model_instance, add):  # Django calls it on save() and bulk_create()
        value = self._rendered_value(rendering_of(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for default in ("editable", "blank", "default"):
            kwargs.pop(default, None)
        return name, path, args, kwargs


class RenderedHTMLField(_RenderedField, models.TextField):
    """The sanitised HTML of the Markdown field `source`; read back as safe HTML."""

    def __init__(self, *args, source: str, **kwargs) -> None:
        self.source = source
        kwargs.update(editable=False, blank=True, default="")
        super().__init__(*args, **kwargs)

    def _rendered_value(self, rendering: Rendering) -> str:
        return rendering.html

    def from_db_value(self, value, expression, connection):
        # Sanitised by nh3 when it was written (render_markdown), never edited by hand.
        return None if value is None else mark_safe(value)  # noqa: S308


class ExcerptField(_RenderedField, models.CharField):
    """The first EXCERPT_LENGTH characters of the Markdown field `source` as plain text."""

    def __init__(self, *args, source: str, **kwargs) -> None:
        self.source = source
        kwargs.update(editable=False, blank=True, default="", max_length=EXCERPT_LENGTH)
        super().__init__(*args, **kwargs)

    def _rendered_value(self, rendering: Rendering) -> str:
        return rendering.excerpt

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs


def rendered_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if isinstance(field, _RenderedField)]


def text_columns(model: type[models.Model], *, keep: Iterable[str] = (), path: str = "") -> list[str]:
    """The long text columns of `model`, its Markdown sources and their renderings, but `keep`:
    what a page that shows some or none of them defers (through the relation `path` if given)."""
    fields = rendered_fields(model)
    names = dict.fromkeys([*(field.source for field in fields), *(field.name for field in fields)])
    prefix = f"{path}__" if path else ""
    return [f"{prefix}{name}" for name in names if name not in set(keep)]


def with_rendered(model: type[models.Model], field_names: Iterable[str]) -> list[str]:
    """`field_names` and the rendered fields whose source is among them (for update_fields, bulk_update)."""
    names = list(field_names)
    sources = set(names)
    for field in rendered_fields(model):
        if field.source in sources and field.name not in names:
            names.append(field.name)
    return names


def fill(instances: Sequence[models.Model]) -> None:
    """Render the stored texts of rows about to be written by `bulk_update()`."""
    if not instances:
        return
    fields = rendered_fields(type(instances[0]))
    for instance in instances:
        for field in fields:
            field.pre_save(instance, add=False)


class RenderedTextModel(models.Model):
    """A model with rendered fields: `save(update_fields=[source])` writes the renderings too."""

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs) -> None:
        if update_fields is not None:
            update_fields = with_rendered(type(self), update_fields)
        else:
            # A row read with its renderings deferred (a page that shows the Markdown only) saves
            # only its loaded fields: load the renderings of the loaded sources, so they are saved.
            for field in rendered_fields(type(self)):
                if field.attname not in self.__dict__ and field.source in self.__dict__:
                    field.pre_save(self, add=False)
        super().save(*args, update_fields=update_fields, **kwargs)


def rendered_models() -> list[type[models.Model]]:
    """Every installed model with rendered fields (for `render_texts` and the tests)."""
    from django.apps import apps

    return [model for model in apps.get_models() if rendered_fields(model)]


def rerender(model: type[models.Model], *, batch_size: int = 500, write: bool = True) -> int:
    """Render the stored texts of every row of `model` again; write and count the rows that change.

    For `manage.py render_texts` after a change of the renderer, and the migrations that add
    rendered fields (given the historical model: its fields are these same classes). With
    `write=False`, only count the rows whose stored renderings differ from fresh ones.
    """
    fields = rendered_fields(model)
    names = [field.name for field in fields]
    sources = sorted({field.source for field in fields})
    changed = 0
    rows = model._default_manager.order_by("pk").only("pk", *sources, *names)
    batch: list[models.Model] = []
    for row in rows.iterator(chunk_size=batch_size):
        before = [getattr(row, name) for name in names]
        fill([row])
        if [getattr(row, name) for name in names] != before:
            batch.append(row)
        if len(batch) >= batch_size:
            if write:
                model._default_manager.bulk_update(batch, names)
            changed, batch = changed + len(batch), []
    if batch and write:
        model._default_manager.bulk_update(batch, names)
    return changed + len(batch)


def rerender_migration(*model_names: str):
    """A RunPython step filling the rendered fields of the given "app_label.Model" rows."""

    def forwards(apps, schema_editor) -> None:
        for name in model_names:
            rerender(apps.get_model(name))

    return forwards
