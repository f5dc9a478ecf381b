"""Submissions take their diarienummer as the transaction's last write
(``open_case(reference_later=True)`` + ``assign_reference``): same numbers as ``open_case``
gives, consecutive, given back on rollback; on PostgreSQL in one statement."""

from __future__ import annotations

import pytest

from caseflow.cases.references import (
    PENDING_PREFIX,
    assign_reference,
    format_reference,
    peek_serial,
    reference_key,
)
from caseflow.cases.services import open_case
from caseflow.extensions import db
from tests.factories import make_unit


def _open(unit, later: bool):
    return open_case(unit=unit, title="Trasig lykta", channel="webform", reference_later=later)


@pytest.mark.parametrize(
    "pattern",
    [
        None,
        "{unit}-{yy}-{seq}",
        "{seq:05}/{unit}/{yyyy}",
        "{unit} {yyyy}/{seq:02}",
        "{unit}:{seq:4}",  # space padding: the two-statement path
    ],
)
def test_the_reference_given_last_follows_the_units_pattern(pattern) -> None:
    unit = make_unit(reference_pattern=pattern)
    case = _open(unit, later=True)
    assert case.reference.startswith(PENDING_PREFIX)
    reference = assign_reference(case)
    db.session.expire(case)
    expected = format_reference(
        pattern or "{unit} {yyyy}/{seq:04}", unit.prefix, case.serial_year, 1
    )
    assert (case.reference, case.reference_key, case.serial) == (
        expected,
        reference_key(expected),
        1,
    )
    assert reference == expected


def test_serials_wider_than_the_padding_are_never_cut() -> None:
    unit = make_unit(reference_pattern="{unit} {yyyy}/{seq:02}")
    for _ in range(100):
        _open(unit, later=False)
    case = _open(unit, later=True)
    assign_reference(case)
    db.session.expire(case)
    assert case.reference.endswith("/101")
    assert case.reference_key.endswith("-101")


def test_deferred_and_immediate_openings_share_one_gap_free_series() -> None:
    unit = make_unit()
    first = _open(unit, later=False)
    second = _open(unit, later=True)
    third = _open(unit, later=False)
    assign_reference(second)
    assert [first.serial, third.serial, second.serial] == [1, 2, 3]
    assert assign_reference(second) == second.reference  # a second call changes nothing
    assert peek_serial(unit.id, second.serial_year) == 3


def test_a_rolled_back_deferred_opening_gives_its_number_back() -> None:
    unit = make_unit()
    kept = _open(unit, later=False)
    with pytest.raises(RuntimeError), db.session.begin_nested():
        assign_reference(_open(unit, later=True))
        raise RuntimeError("the request failed after the number was taken")
    after = _open(unit, later=True)
    assign_reference(after)
    assert (kept.serial, after.serial) == (1, 2)
