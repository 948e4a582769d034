"""`manage.py render_factsheet SLUG --format html|docx|pdf --output PATH`."""

import io

import pytest
from django.core.management import CommandError, call_command

from .factories import RecommendationFactory
from .test_factsheet import FactsheetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def factsheet(report, chapter, secretariat_admin):
    RecommendationFactory(chapter=chapter, number="V-17", text_en="The Committee requires a complaint route.")
    return FactsheetFactory(slug="international-cooperation", report=report, chapter=chapter)


def render(*args) -> str:
    out = io.StringIO()
    call_command("render_factsheet", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("format", "start"), [("html", b"<!DOCTYPE html>"), ("docx", b"PK"), ("pdf", b"%PDF")]
)
def test_command_writes_the_factsheet_in_each_format(factsheet, tmp_path, format, start):
    output = tmp_path / f"factsheet.{format}"
    message = render("international-cooperation", "--format", format, "--output", str(output))
    assert output.read_bytes().startswith(start)
    assert f"Wrote {output}: 0 section(s), 1 recommendation(s), 0 practice(s)." in message


def test_command_renders_as_the_named_user(factsheet, tmp_path, coordinator_b):
    output = tmp_path / "factsheet.html"
    render("international-cooperation", "--format", "html", "--output", str(output), "--user", "coord-b")
    assert "Recommendation V-17" in output.read_text()


def test_unknown_slug_is_refused(factsheet, tmp_path):
    with pytest.raises(CommandError, match="There is no factsheet 'no-such-sheet'"):
        render("no-such-sheet", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))


def test_unknown_format_is_refused(factsheet, tmp_path):
    with pytest.raises(CommandError, match="Unknown format 'odt'"):
        render("international-cooperation", "--format", "odt", "--output", str(tmp_path / "x.odt"))


def test_missing_folder_is_refused(factsheet, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        render(
            "international-cooperation", "--format", "pdf", "--output", str(tmp_path / "missing" / "x.pdf")
        )


def test_unwritable_path_is_refused(factsheet, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        render("international-cooperation", "--format", "pdf", "--output", str(tmp_path))


def test_unknown_user_is_refused(factsheet, tmp_path):
    with pytest.raises(CommandError, match="There is no active user 'nobody'"):
        render(
            "international-cooperation",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
            "--user",
            "nobody",
        )
