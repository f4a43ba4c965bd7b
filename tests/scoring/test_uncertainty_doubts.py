"""The range widens by the doubts a ledger actually has (issue 18, item 4): a private rating a contract may
carry without public stars, a refund that makes a hidden rating suspect, middling ratings whose mapping
Upwork has not published, ongoing work under 90 days old; and a ledger without such doubts stays narrow."""

from __future__ import annotations

from datetime import date

from scoring.engine import score
from scoring.model import Contract
from scoring.uncertainty import Rough, score_range, worst_private_ids
from tests.builders import days, ended, open_contract

AS_OF = date(2025, 3, 2)  # private ratings still possible (ModelParams.private_feedback_until: 2025-06-01)
LATER = date(2026, 3, 1)  # public stars only for contracts closed after the form change


def known_good(n: int, as_of: date = AS_OF) -> list[Contract]:
    """n five-star jobs whose private answers are known and good: no doubt about them."""
    return [ended(f"g{i}", as_of - days(10 + 20 * i), earnings=300, private=10) for i in range(n)]


def test_a_closed_contract_without_public_feedback_may_carry_a_private_one() -> None:
    """No stars on it, so it is excluded; but the client could answer the private questions only, and a bad
    answer counts (X-ZERO-NEGATIVE even without earnings): the worst reading takes it as bad. Without it the
    ledger has no doubt at all and the range is a point."""
    no_doubt = score_range(known_good(6), AS_OF)
    assert no_doubt.unknowns == () and no_doubt.low == no_doubt.high == 100
    silent = ended("silent", AS_OF - days(40), earnings=300, stars=None)
    spread = score_range([*known_good(6), silent], AS_OF)
    assert [(u.contract_id, u.reason) for u in spread.unknowns] == [("silent", "private_only")]
    assert spread.likely.jss == spread.high == 100  # the likely reading leaves it out, as Upwork says
    assert spread.low is not None and spread.low < 100
    after_the_form = ended("silent", LATER - days(40), earnings=300, stars=None)
    assert score_range([*known_good(6, LATER), after_the_form], LATER).unknowns == ()


def test_the_worst_reading_suspects_a_refunded_contract_first() -> None:
    """Ten hidden private ratings, one on a job whose client took the money back: the worst reading takes two
    of ten as bad (ModelParams.hidden_bad_rate), the refunded one first, then the most recent."""
    hidden = [ended(f"h{i}", AS_OF - days(5 + 15 * i), earnings=300) for i in range(9)]
    refunded = ended("refunded", AS_OF - days(120), earnings=300, refunded=150)
    assert worst_private_ids([*hidden, refunded], AS_OF) == frozenset({"refunded", "h0"})


def test_middling_ratings_move_together_both_ways() -> None:
    """Under public stars only, 4.0 to 4.8 stars are neutral in the model; Upwork's mapping is not published,
    so the best reading takes them as good and the worst as bad, all together (it is one mapping)."""
    jobs = [ended(f"g{i}", LATER - days(10 + 20 * i), earnings=300) for i in range(5)]
    middling = [ended(f"m{i}", LATER - days(15 + 20 * i), earnings=300, stars=4.5) for i in range(2)]
    spread = score_range([*jobs, *middling], LATER)
    assert {u.reason for u in spread.unknowns} == {"feedback_band"}
    assert spread.likely.jss == 71  # 5 good of 7
    assert spread.high == 100
    assert spread.low is not None and spread.low < 71
    assert Rough.FEEDBACK_BAND in spread.rough


def test_ongoing_work_under_90_days_widens_both_ways() -> None:
    """One good and one bad job plus ongoing paid work: credited as a job (the likely reading) or not at all
    (the worst); the answer says the estimate is rough because of it."""
    young = open_contract("young", started=AS_OF - days(40), last_payment=AS_OF - days(3), earnings=600)
    jobs = [
        ended("good", AS_OF - days(20), earnings=300, private=10),
        ended("bad", AS_OF - days(30), stars=1.0, private=2),
    ]
    spread = score_range([*jobs, young], AS_OF)
    assert [u.reason for u in spread.unknowns] == ["young_open"]
    assert spread.low is not None and spread.likely.jss is not None and spread.low < spread.likely.jss
    assert Rough.YOUNG_OPEN in spread.rough


def test_a_score_may_already_show_when_ongoing_work_counts() -> None:
    """One finished job and ongoing paid work with another client: no score in the model (one eligible job),
    but Upwork may count the ongoing work already. The range is then that of the score it would show."""
    young = open_contract("young", started=AS_OF - days(40), last_payment=AS_OF - days(3), earnings=600)
    ledger = [ended("only", AS_OF - days(10), earnings=300, private=10), young]
    assert score(ledger, AS_OF).jss is None
    spread = score_range(ledger, AS_OF)
    assert spread.likely.jss is None
    assert spread.low == spread.high == 100
