"""The worst reading takes its suspects from the score shown (issue 18, round 4).

The worst reading takes a share of the hidden private ratings as bad, the most suspect first. A contract the
score shown does not contain cannot be one of them, or the worst reading changes nothing: under the
fortnightly updates (W-CADENCE-LEGACY) a job closed after the last update Sunday is not in the score yet
(seen on the calibration set's fit part: a newcomer's nine jobs, the newest closed after the update, was the
suspect); a job older than the window displayed is not in it any more (W-AGE-OUT, W-WINDOWS)."""

from __future__ import annotations

from datetime import date

from scoring.cadence import update_day
from scoring.eras import era_of
from scoring.model import Contract
from scoring.uncertainty import score_range, worst_private_ids
from tests.builders import days, ended

AS_OF = date(2019, 6, 14)  # a Friday under the fortnightly rules
UPDATE = update_day(AS_OF, era_of(AS_OF))


def ledger() -> list[Contract]:
    """Five five-star jobs in the last update, one closed after it; every private rating hidden."""
    before = [ended(f"in{i}", UPDATE - days(3 + 20 * i), earnings=300) for i in range(5)]
    after = ended("after", AS_OF - days(1), earnings=300)
    assert after.ended is not None and after.ended > UPDATE
    return [*before, after]


def test_the_worst_reading_suspects_a_contract_the_shown_score_contains() -> None:
    picked = worst_private_ids(ledger(), AS_OF)
    assert picked == frozenset({"in0"})  # the newest one in the update, not the one closed after it


def test_so_the_range_of_a_spotless_ledger_opens_downwards() -> None:
    spread = score_range(ledger(), AS_OF)
    assert spread.likely.jss == spread.high == 100
    assert spread.low is not None and spread.low < 100  # was 100 to 100: a range that hid the doubt


def test_a_contract_outside_the_24_month_window_is_no_suspect_either() -> None:
    """A refund is the first suspect, but a refunded job that ended 30 months ago is in no window: the worst
    reading must spend its picks (two of nine here) on contracts the score contains (the same mistake as above,
    in time)."""
    today = date(2024, 3, 3)  # under the fortnightly rules, a Sunday
    recent = [ended(f"r{i}", today - days(20 + 30 * i), earnings=300) for i in range(9)]
    old_refund = ended("old", today - days(900), earnings=300, refunded=300)
    assert worst_private_ids([*recent, old_refund], today) == frozenset({"r0", "r1"})
    spread = score_range([*recent, old_refund], today)
    assert spread.likely.jss == spread.high == 100
    assert spread.low is not None and spread.low < 100


def test_the_suspect_is_taken_from_the_window_whose_score_is_shown() -> None:
    """The best window is displayed (W-WINDOWS). Five five-star jobs in the last year give 100 in every short
    window; a 4.5-star job 20 months ago is only in the 24-month one. Lowest stars first would make that job
    the bad one and leave the 100 shown untouched: a range of 100 to 100 for a ledger full of hidden ratings
    (found on the fit part: 17 jobs over four years, 83 shown; with suspects from the 24 months alone its
    range was 100 to 100)."""
    today = date(2025, 5, 4)  # daily updates; every rating here may still carry a hidden private one
    year = [ended(f"y{i}", today - days(10 + 80 * i), earnings=300) for i in range(5)]
    older = [ended("middling", today - days(600), earnings=300, stars=4.5)]
    older += [ended(f"o{i}", today - days(400 + 50 * i), earnings=300) for i in range(3)]
    spread = score_range([*year, *older], today)
    assert spread.likely.jss == spread.high == 100
    assert spread.low is not None and spread.low < 100
