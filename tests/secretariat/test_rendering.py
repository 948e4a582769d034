"""Markdown texts keep their sanitised HTML and plain excerpt beside them (secretariat/rendering.py):
filled on every write, never raw HTML, rebuilt and checked by `manage.py render_texts`.

The write paths of the apps (services, portal, API, admin, imports) are checked in
tests/monitoring/test_rendered_texts.py and tests/recommendations/test_rendered_texts.py.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Model

from monitoring.models import Reply
from recommendations.models import Recommendation
from secretariat import rendering
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Our **law**.\n\n<script>alert('x')</script>\n\n"
    '<p onclick="steal()">Click</p> <a href="javascript:alert(1)">here</a> <img src=x onerror=alert(1)>'
)


def stale_renderings() -> dict[str, int]:
    """For each model with stored renderings, how many rows differ from a fresh rendering."""
    counts = {
        model._meta.label: rendering.rerender(model, write=False) for model in rendering.rendered_models()
    }
    return {label: count for label, count in counts.items() if count}


def assert_fresh(instance: Model) -> None:
    """The row in the database holds the rendering of its stored source, field by field."""
    row = type(instance)._default_manager.get(pk=instance.pk)
    for field in rendering.rendered_fields(type(instance)):
        fresh = rendering.render(getattr(row, field.source))
        expected = fresh.html if isinstance(field, rendering.RenderedHTMLField) else fresh.excerpt
        assert getattr(row, field.attname) == expected, field.name


def _render_texts(*args: str) -> str:
    out = io.StringIO()
    call_command("render_texts", *args, stdout=out)
    return out.getvalue()


# --- writes ---------------------------------------------------------------------------------------


def test_saving_a_reply_stores_its_html_and_excerpt():
    reply = ReplyFactory(text="Our *law* of 2024.")
    row = Reply.objects.get(pk=reply.pk)
    assert (row.text_html, row.text_excerpt) == ("<p>Our <em>law</em> of 2024.</p>", "Our law of 2024.")


def test_saving_only_the_text_also_writes_its_renderings():
    reply = ReplyFactory(text="Before.")
    reply.text = "After, **bold**."
    reply.save(update_fields=["text"])
    assert Reply.objects.get(pk=reply.pk).text_html == "<p>After, <strong>bold</strong>.</p>"


def test_bulk_create_stores_the_renderings():
    submission = ReplyFactory().submission
    Reply.objects.bulk_create([Reply(submission=submission, order=n, text=f"Bulk *{n}*") for n in (7, 8)])
    for reply in Reply.objects.filter(order__in=[7, 8]):
        assert_fresh(reply)
    assert Reply.objects.get(order=8).text_html == "<p>Bulk <em>8</em></p>"


def test_a_row_read_without_its_renderings_writes_them_when_its_text_changes():
    reply = Reply.objects.defer("text_html", "text_excerpt").get(pk=ReplyFactory(text="Old.").pk)
    reply.text = "New *text*."
    reply.save()
    assert_fresh(reply)
    assert Reply.objects.get(pk=reply.pk).text_excerpt == "New text."


def test_bulk_update_with_fill_and_with_rendered_keeps_the_renderings_in_step():
    replies = [ReplyFactory(text="One."), ReplyFactory(text="Two.")]
    for reply in replies:
        reply.text = f"Changed {reply.pk}, *again*."
    rendering.fill(replies)
    Reply.objects.bulk_update(replies, rendering.with_rendered(Reply, ["text"]))
    for reply in replies:
        assert_fresh(reply)


def test_with_rendered_adds_the_renderings_of_the_sources_listed_only():
    assert rendering.with_rendered(Recommendation, ["text_fr", "urgency"]) == [
        "text_fr",
        "urgency",
        "text_html_fr",
        "text_excerpt_fr",
    ]


# --- what is stored -------------------------------------------------------------------------------


def test_raw_html_of_a_text_is_never_stored():
    reply = Reply.objects.get(pk=ReplyFactory(text=HOSTILE).pk)
    for dangerous in ("<script", "onclick", "onerror", "javascript:", "<img"):
        assert dangerous not in reply.text_html
    assert "<strong>law</strong>" in reply.text_html
    assert "<" not in reply.text_excerpt


def test_the_excerpt_is_plain_text_of_at_most_300_characters():
    text = "\n\n".join(
        f"Paragraph {n} with **bold** and a [link](https://example.org/{n})." for n in range(40)
    )
    excerpt = Reply.objects.get(pk=ReplyFactory(text=text).pk).text_excerpt
    assert len(excerpt) == rendering.EXCERPT_LENGTH == 300
    assert excerpt.startswith("Paragraph 0 with bold and a link. Paragraph 1 with bold")
    assert not {"*", "[", "<", "\n"} & set(excerpt)


def test_the_stored_html_is_read_back_as_safe_html():
    reply = Reply.objects.get(pk=ReplyFactory(text="*Safe*").pk)
    assert reply.text_html.__html__() == "<p><em>Safe</em></p>"


def test_the_history_tables_do_not_get_the_rendered_columns():
    for model in rendering.rendered_models():
        history_columns = {field.name for field in model.history.model._meta.fields}
        rendered = {field.name for field in rendering.rendered_fields(model)}
        assert rendered and not rendered & history_columns, model._meta.label
        assert {field.source for field in rendering.rendered_fields(model)} <= history_columns


def test_every_markdown_model_of_the_apps_stores_its_renderings():
    labels = {model._meta.label for model in rendering.rendered_models()}
    assert labels == {
        "monitoring.Reply",
        "monitoring.ChildParticipation",
        "recommendations.Recommendation",
        "recommendations.FollowUpUpdate",
        "recommendations.Assessment",
        "recommendations.Practice",
        "recommendations.Factsheet",
        "recommendations.FactsheetSection",
        "recommendations.Finding",
        "recommendations.FindingComment",
    }


# --- render_texts ---------------------------------------------------------------------------------


@pytest.fixture
def stale_reply():
    """A reply whose stored HTML an older renderer wrote (QuerySet.update skips the renderings)."""
    reply = ReplyFactory(text="Fresh *text*.")
    Reply.objects.filter(pk=reply.pk).update(text_html="<p>Old renderer</p>", text_excerpt="Old renderer")
    return reply


def test_render_texts_rewrites_stale_rows_and_counts_them(stale_reply):
    ReplyFactory(text="Already fresh.")
    output = _render_texts()
    assert "monitoring.Reply: 1 row(s) re-rendered" in output
    assert "recommendations.Practice: 0 row(s) re-rendered" in output
    assert_fresh(stale_reply)
    assert stale_renderings() == {}


def test_render_texts_check_fails_on_a_stale_row_and_writes_nothing(stale_reply):
    with pytest.raises(CommandError, match="1 row"):
        _render_texts("--check")
    assert Reply.objects.get(pk=stale_reply.pk).text_html == "<p>Old renderer</p>"


def test_render_texts_check_passes_when_every_rendering_is_fresh():
    ReplyFactory(text="Fresh.")
    assert "monitoring.Reply: 0 row(s) differ" in _render_texts("--check")


def test_render_texts_may_be_limited_to_one_model(stale_reply):
    output = _render_texts("--model", "monitoring.Reply")
    assert output.strip() == "monitoring.Reply: 1 row(s) re-rendered"


@pytest.mark.parametrize("label", ["monitoring.Nothing", "monitoring.Submission", "nonsense"])
def test_render_texts_refuses_a_model_without_renderings(label):
    with pytest.raises(CommandError):
        _render_texts("--model", label)


# --- the demo data --------------------------------------------------------------------------------


def test_every_rendering_of_the_demo_data_equals_a_fresh_one(demo_loaded):
    # load_demo writes through every path the demo uses (imports, services, bulk writes):
    # one that skipped the renderings leaves rows behind here.
    assert stale_renderings() == {}
    assert Reply.objects.exclude(text_html="").exists()
    assert Recommendation.objects.exclude(text_html_en="").exists()


def test_text_columns_name_the_sources_and_their_renderings_but_those_kept():
    columns = rendering.text_columns(Recommendation, keep=("text_excerpt_en",), path="recommendation")

    assert sorted(columns) == [
        "recommendation__text_en",
        "recommendation__text_excerpt_fr",
        "recommendation__text_fr",
        "recommendation__text_html_en",
        "recommendation__text_html_fr",
    ]
