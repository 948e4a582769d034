"""Children's views in aggregate: suppression of small counts, the round's tables, the quotes."""

import pytest

from monitoring.models import Submission
from monitoring.participation_aggregates import (
    SUPPRESSION_THRESHOLD,
    Aggregates,
    cleared_quotes,
    round_aggregates,
    suppressed,
    table,
)
from tests.factories import PartyFactory, build_round

from .children_data import contribution, quote

# --- suppression, on tables of numbers -------------------------------------------------------------


def hidden_values(values, **totals) -> list[int]:
    grid = suppressed(values, **totals)
    return sorted(values[r][c] for r, row in enumerate(values) for c, _ in enumerate(row) if grid[r][c])


def test_the_threshold_is_five():
    assert SUPPRESSION_THRESHOLD == 5


def test_one_small_cell_hides_the_next_smallest_too():
    assert hidden_values([[3], [10], [20], [50]], column_totals=True) == [3, 10]


def test_two_small_cells_hide_nothing_more():
    assert hidden_values([[2], [3], [50]], column_totals=True) == [2, 3]


def test_a_small_cell_beside_a_zero_hides_a_non_zero_companion():
    # Zero says nothing about a child: it stays 0 and cannot protect the small cell.
    assert hidden_values([[3], [0], [20]], column_totals=True) == [3, 20]


def test_all_small_cells_are_all_hidden_and_the_total_stays():
    grid = suppressed([[2], [3], [4]], column_totals=True)
    assert grid == [[True], [True], [True], [False]]


def test_five_is_shown():
    assert hidden_values([[5], [7]], column_totals=True) == []


def test_totals_are_never_hidden():
    grid = suppressed([[3, 0], [0, 2]], row_totals=True, column_totals=True)
    assert [row[-1] for row in grid] == [False, False, False]
    assert grid[-1] == [False, False, False]


def test_a_cross_table_protects_rows_and_columns():
    # 3 alone in its row and its column: a companion in each, and again for the companions' lines.
    values = [[3, 10, 12], [8, 9, 20], [15, 30, 40]]
    grid = suppressed(values, row_totals=True, column_totals=True)
    for r in range(3):
        assert sum(grid[r][:3]) != 1, f"row {r} has a single hidden cell"
    for c in range(3):
        assert sum(grid[r][c] for r in range(3)) != 1, f"column {c} has a single hidden cell"
    assert grid[0][0]


def test_a_table_prints_hidden_cells_as_fewer_than_five():
    result = table(["A", "B", "C"], ["children"], [[3], [0], [20]], totals=True)
    assert [str(row.cells[0]) for row in result.rows] == ["fewer than 5", "0", "fewer than 5"]
    assert result.total.value == 23 and not result.total.suppressed


# --- the round's aggregates ------------------------------------------------------------------------


@pytest.fixture
def world(db, party_a, party_b, officer):
    third = PartyFactory(code="ITA", name_en="Italy", name_fr="Italie")
    round_ = build_round(parties=[party_a, party_b, third])
    q1, q2 = (round_.questions.get(ref=ref) for ref in ("1", "2"))
    contribution(
        round=round_,
        party=party_a,
        by=officer,
        ages={"children_10_12": 20, "children_13_15": 3},
        genders={"girls": 12, "boys": 11},
        questions=[q1, q2],
    )
    contribution(round=round_, party=third, by=officer, ages={"children_16_17": 12}, questions=[q1])
    contribution(round=round_, party=party_b, by=officer, ages={"children_under_10": 2}, questions=[q2])
    contribution(
        round=round_,
        party=party_b,
        by=officer,
        ages={"children_10_12": 40},
        status=Submission.Status.SUBMITTED,
    )
    return round_


@pytest.mark.django_db
def test_the_headline_counts_registered_contributions_only(world, officer):
    aggregates = round_aggregates(round=world, user=officer)
    assert aggregates.headline == "37 children in 3 Parties"
    assert aggregates.parties == ["France", "Italy", "Russian Federation"]


@pytest.mark.django_db
def test_a_party_with_fewer_than_five_children_is_not_shown_separately(world, officer):
    by_party = round_aggregates(round=world, user=officer).by_party
    shown = {row.label: str(row.cells[0]) for row in by_party.rows}
    assert shown == {"France": "23", "Italy": "fewer than 5", "Russian Federation": "fewer than 5"}
    assert str(by_party.total) == "37"


@pytest.mark.django_db
def test_age_bands_suppress_small_cells_and_keep_zeros(world, officer):
    by_age = round_aggregates(round=world, user=officer).by_age
    shown = [str(row.cells[0]) for row in by_age.rows]
    # under 10: 2, 10-12: 20, 13-15: 3, 16-17: 12, not recorded: 0
    assert shown == ["fewer than 5", "20", "fewer than 5", "12", "0"]


@pytest.mark.django_db
def test_a_contribution_speaking_to_two_questions_counts_for_each(world, officer):
    by_question = round_aggregates(round=world, user=officer).by_question
    assert [(row.label.split(".")[0], row.cells[0].value) for row in by_question.rows] == [
        ("1", 35),
        ("2", 25),
    ]


@pytest.mark.django_db
def test_a_state_user_gets_nothing(world, coordinator_a):
    aggregates = round_aggregates(round=world, user=coordinator_a)
    assert aggregates.children == 0
    assert aggregates.by_party.rows == []
    assert aggregates.quotes == []


@pytest.mark.django_db
def test_cleared_quotes_leave_out_open_flags_and_unregistered_contributions(world, officer):
    registered = world.child_participations.filter(status=Submission.Status.REGISTERED).first()
    submitted = world.child_participations.get(status=Submission.Status.SUBMITTED)
    kept = quote(registered, "Teachers should listen to us.", by=officer)
    quote(registered, "Something still to decide.", by=officer, open_flag=True)
    quote(submitted, "Not registered yet.", by=officer)
    assert list(cleared_quotes(round=world, user=officer)) == [kept]


@pytest.mark.django_db
def test_quotes_are_grouped_by_question(world, officer):
    registered = world.child_participations.filter(status=Submission.Status.REGISTERED).first()
    q1, q2 = (world.questions.get(ref=ref) for ref in ("1", "2"))
    both = quote(registered, "Both questions.", by=officer, questions=[q1, q2])
    general = quote(registered, "No question.", by=officer, order=1)
    groups = round_aggregates(round=world, user=officer).quotes
    assert [(group.question and group.question.ref, group.quotes) for group in groups] == [
        ("1", [both]),
        ("2", [both]),
        (None, [general]),
    ]


@pytest.mark.django_db
def test_the_aggregates_run_a_fixed_number_of_queries(world, officer, django_assert_max_num_queries):
    registered = world.child_participations.filter(status=Submission.Status.REGISTERED)
    for index, record in enumerate(registered):
        quote(record, f"Quote {index}", by=officer, questions=[world.questions.get(ref="1")])
    with django_assert_max_num_queries(6):
        round_aggregates(round=world, user=officer)


def test_a_total_of_fewer_than_five_children_is_not_shown_either():
    result = table(["A"], ["children"], [[3]], totals=True)
    assert str(result.total) == "fewer than 5"
    assert [str(count) for count in result.totals] == ["fewer than 5"]


def test_the_headline_does_not_give_a_small_number_of_children():
    empty = table([], ["children"], [], totals=False)
    aggregates = Aggregates(
        round=None,
        children=3,
        parties=["Malta"],
        by_party=empty,
        by_age=empty,
        by_gender=empty,
        by_question=empty,
    )
    assert aggregates.headline == "fewer than 5 children in 1 Party"
