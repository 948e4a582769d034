"""Files as people really send them: semicolons, Windows-1252, a byte-order mark, XLSX."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from monitoring import imports
from monitoring.models import MonitoringRound, Reply
from secretariat import services as core_services
from secretariat.imports import read_file, read_rows
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
COLUMNS = ["party", "respondent_kind", "respondent", "question_refs", "language", "text"]
ROWS = [
    [
        "FRA",
        "state",
        "France",
        "1.1;1.2",
        "fr",
        "Campagnes de sensibilisation « Être prudent » dans les écoles",
    ],
    ["FRA", "state", "France", "16.1", "fr", "Coopération avec Europol – voir l'annexe"],
]


@pytest.fixture
def round_2(secretariat_admin):
    core_services.load_reference_data()
    round_ = RoundFactory(number=2)
    round_.parties.set(MonitoringRound.default_parties())
    imports.import_questionnaire(round=round_, text=(FIXTURES / "questionnaire_round2.csv").read_text())
    return round_


def _semicolon_csv() -> str:
    # Refs are separated by ";" inside a cell, so such cells are quoted, as Excel does.
    lines = [";".join(COLUMNS)] + [";".join(f'"{cell}"' for cell in row) for row in ROWS]
    return "\r\n".join(lines) + "\r\n"


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in ROWS:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("replies.csv", _semicolon_csv().encode("cp1252")),
        ("replies.csv", b"\xef\xbb\xbf" + _semicolon_csv().encode("utf-8")),
        ("replies.xlsx", _xlsx()),
    ],
    ids=["windows-1252 with semicolons", "utf-8 with a byte-order mark", "xlsx"],
)
def test_files_as_people_send_them_are_read_alike(name, data):
    rows = read_rows(read_file(data, name), set(COLUMNS))
    assert [line for line, _row in rows] == [2, 3]
    assert rows[0][1]["text"] == ROWS[0][5]
    assert rows[1][1]["question_refs"] == "16.1"


def test_import_command_loads_a_windows_1252_semicolon_csv(round_2, tmp_path):
    path = tmp_path / "replies_fr.csv"
    path.write_bytes(_semicolon_csv().encode("cp1252"))
    call_command("import_data", "replies", str(path), "--round", "2")
    assert Reply.objects.filter(text__contains="« Être prudent »").exists()


def test_import_command_loads_an_xlsx_workbook(round_2, tmp_path):
    path = tmp_path / "replies.xlsx"
    path.write_bytes(_xlsx())
    call_command("import_data", "replies", str(path), "--round", "2")
    assert Reply.objects.count() == 2


def test_a_damaged_workbook_is_refused_with_a_reason(round_2, tmp_path):
    path = tmp_path / "replies.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError, match="not a readable XLSX workbook"):
        call_command("import_data", "replies", str(path), "--round", "2")
    assert not Reply.objects.exists()


def test_xlsx_errors_name_the_spreadsheet_row(round_2):
    workbook = openpyxl.Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append(["FRA", "state", "France", "1.1", "fr", "Bon"])
    workbook.active.append(["ZZZ", "state", "Nowhere", "1.1", "fr", "Mauvais"])
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(imports.ImportRejected, match="line 3: unknown Party code"):
        imports.import_replies(round=round_2, text=read_file(output.getvalue(), "r.xlsx"), by=None)
