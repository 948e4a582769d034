"""The benchmarks' floor: the SELECTs an operation runs, executed raw (bench/common.py)."""

import importlib.util
from pathlib import Path

import pytest

from secretariat.models import Party
from tests.factories import PartyFactory

# bench/ is a folder of scripts, not a package: load its shared module by path, under a name of its own.
_spec = importlib.util.spec_from_file_location(
    "bench_common", Path(__file__).resolve().parent.parent / "bench" / "common.py"
)
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)


@pytest.mark.django_db
def test_floor_captures_the_selects_an_operation_runs_with_their_parameters():
    party = PartyFactory()

    statements = common.select_statements(lambda: list(Party.objects.filter(code=party.code)))

    assert len(statements) == 1
    assert party.code in statements[0]


@pytest.mark.django_db
def test_floor_leaves_writes_out():
    statements = common.select_statements(lambda: PartyFactory())

    assert all(statement.lstrip().upper().startswith(("SELECT", "WITH")) for statement in statements)


@pytest.mark.django_db
def test_raw_fetch_runs_the_captured_statements_through_the_driver():
    party = PartyFactory()
    statements = common.select_statements(lambda: list(Party.objects.filter(code=party.code)))

    assert common.floor_ms(statements, 3) > 0


def test_a_row_over_its_targets_is_flagged():
    slow = common.Measure("page", median=300, worst=400, queries=5, floor=10)

    assert "> 150 ms, > 10× floor" in slow.row(target_ms=150, max_ratio=10)


def test_a_row_within_its_targets_is_not_flagged():
    quick = common.Measure("page", median=50, worst=60, queries=5, floor=10)

    assert quick.row(target_ms=150, max_ratio=10).endswith("|  |")
