"""Properties the model promises for any valid ledger (hypothesis).

`JSS_PROPERTY_SCALE=30` multiplies the example counts for a deep run.

Not promised, so not tested: that closing with poor feedback never beats closing without feedback.
Adding an outcome can give a window "enough outcomes" (W-TRENDING), and a new trending score can then
exceed the old best even though the outcome is bad; likewise it can make a user eligible (E-CURRENT).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.dates import window_exit
from scoring.engine import DEFAULT_PARAMS, Scenario, project, score, what_if
from scoring.model import Contract, Ledger
from scoring.score import ScoreResult, all_segments
from scoring.windows import score_points
from tests.builders import ended

AS_OF = date(2025, 6, 1)
SCALE = int(os.environ.get("JSS_PROPERTY_SCALE", "1"))  # e.g. 30 for a deep run; 1 keeps the file < 20 s


def examples(n: int) -> settings:
    return settings(max_examples=n * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


SETTINGS = examples(60)
CLIENTS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark")
STARS = (1.0, 2.0, 3.0, 3.75, 4.0, 4.4, 4.5, 4.8, 5.0)


def _day(draw: st.DrawFn, low: date, high: date) -> date:
    return low + timedelta(days=draw(st.integers(0, max(0, (high - low).days))))


def _money(draw: st.DrawFn, max_cents: int = 1_000_000) -> Decimal:
    return Decimal(draw(st.integers(0, max_cents))) / 100


@st.composite
def contracts_st(draw: st.DrawFn, index: int, as_of: date = AS_OF) -> Contract:
    started = as_of - timedelta(days=draw(st.integers(0, 1100)))
    is_ended = draw(st.booleans())
    end = _day(draw, started, as_of) if is_ended else None
    latest = end or as_of
    earnings = draw(
        st.sampled_from([Decimal(0), Decimal("0.50"), Decimal(120), Decimal(800)])
        | st.builds(lambda cents: Decimal(cents) / 100, st.integers(0, 2_000_000))
    )
    paid = draw(st.booleans())
    return Contract(
        id=f"c{index}",
        title="Work",
        client=draw(st.sampled_from(CLIENTS)),
        kind=draw(st.sampled_from(["hourly", "fixed"])),
        status="ended" if is_ended else draw(st.sampled_from(["active", "paused", "on_hold"])),
        started=started,
        ended=end,
        last_activity=_day(draw, started, latest),
        last_payment=_day(draw, started, latest) if paid else None,
        earnings_usd=earnings,
        escrow_usd=_money(draw) if draw(st.booleans()) else Decimal(0),
        milestone_submitted=_day(draw, started, latest) if draw(st.booleans()) else None,
        public_stars=draw(st.none() | st.sampled_from(STARS) | st.floats(1.0, 5.0)),
        private_rating=draw(st.none() | st.integers(0, 10)),
        disputed=draw(st.integers(0, 9)) == 0,
        refunded_usd=_money(draw, 100_000) if draw(st.integers(0, 5)) == 0 else Decimal(0),
        client_flagged=draw(st.integers(0, 9)) == 0,
        close_requests=tuple(_day(draw, started, as_of) for _ in range(draw(st.integers(0, 2)))),
    )


@st.composite
def ledgers(draw: st.DrawFn, min_size: int = 0, max_size: int = 12) -> Ledger:
    size = draw(st.integers(min_size, max_size))
    return Ledger(as_of=AS_OF, contracts=tuple(draw(contracts_st(i)) for i in range(size)))


def assert_in_range(value: float | None) -> None:
    assert value is None or 0.0 <= value <= 100.0, value


def same_score(a: ScoreResult, b: ScoreResult) -> None:
    assert a.point.window_scores() == b.point.window_scores()
    assert (a.raw, a.jss, a.point.best, a.point.eligible) == (b.raw, b.jss, b.point.best, b.point.eligible)
    assert a.eligibility == b.eligibility


@SETTINGS
@given(ledgers())
def test_scores_are_percentages(ledger: Ledger) -> None:
    result = score(ledger.contracts, AS_OF)
    assert_in_range(result.raw)
    for value in result.point.window_scores().values():
        assert_in_range(value)
    assert result.jss is None or 0 <= result.jss <= 100
    assert (result.raw is None) == (result.jss is None)
    if not result.eligibility.eligible:
        assert result.raw is None
    assert len(result.classifications) == len(ledger.contracts)


@SETTINGS
@given(ledgers(), st.integers(0, 2000))
def test_a_good_outcome_never_lowers_a_score(ledger: Ledger, cents: int) -> None:
    before = score(ledger.contracts, AS_OF)
    good = ended(
        "new-good",
        AS_OF,
        client="A brand new client",
        earnings=str(Decimal(cents + 100) / 10),
        started=AS_OF - timedelta(days=20),
        stars=5.0,
    )
    after = score([*ledger.contracts, good], AS_OF)
    old, new = before.point.window_scores(), after.point.window_scores()
    for label, value in old.items():
        if value is not None:
            now = new[label]
            assert now is not None and now >= value - 1e-9, label
    if before.raw is not None:
        assert after.raw is not None and after.raw >= before.raw - 1e-9


@SETTINGS
@given(ledgers(), st.data())
def test_outcomes_older_than_24_months_change_nothing(ledger: Ledger, data: st.DataObject) -> None:
    # Ended at least 24 months and a day before as_of (731 days always covers 24 calendar months).
    end = AS_OF - timedelta(days=data.draw(st.integers(732, 1500)))
    assert window_exit(end, 24) <= AS_OF
    old = ended(
        "ancient",
        end,
        client=data.draw(st.sampled_from(CLIENTS)),
        stars=data.draw(st.none() | st.sampled_from(STARS)),
        disputed=data.draw(st.booleans()),
        earnings=data.draw(st.sampled_from([0, 90, 600, 9000])),
        last_payment=None,
        started=end - timedelta(days=data.draw(st.integers(0, 400))),
    )
    same_score(score(ledger.contracts, AS_OF), score([*ledger.contracts, old], AS_OF))


@SETTINGS
@given(ledgers(min_size=2), st.data())
def test_order_of_contracts_does_not_matter(ledger: Ledger, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(ledger.contracts))
    a, b = score(ledger.contracts, AS_OF), score(shuffled, AS_OF)
    same_score(a, b)
    assert a.classifications == b.classifications


@examples(25)
@given(ledgers())
def test_projection_stays_in_range(ledger: Ledger) -> None:
    proj = project(ledger.contracts, AS_OF)
    assert proj.points[0].day == AS_OF
    assert proj.points[0].raw == score(ledger.contracts, AS_OF).raw
    days = [p.day for p in proj.points]
    assert days == sorted(set(days))
    for p in proj.points:
        assert_in_range(p.raw)
    for e in proj.events:
        assert AS_OF < e.day <= proj.until
        for jss in (e.jss_before, e.jss_after):
            assert jss is None or 0 <= jss <= 100


@examples(20)
@given(ledgers(min_size=1, max_size=8), st.data())
def test_what_if_scenarios(ledger: Ledger, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(ledger.contracts))
    result = what_if(ledger.contracts, target.id, AS_OF)
    assert result.get(Scenario.LEAVE_OPEN).now.raw == score(ledger.contracts, AS_OF).raw
    for s in result.scenarios:
        assert s.money_at_risk_usd >= 0
        assert s.effective >= AS_OF
        for point in s.points.values():
            assert_in_range(point.raw)
    if not target.is_open:
        assert not result.get(Scenario.CLOSE_GOOD).applicable
    # Good feedback never scores below poor feedback on the same paid contract (same weight, same day,
    # same client: only good vs bad differs). Unpaid, good feedback is excluded (X-ZERO-POSITIVE) while
    # poor feedback counts (X-ZERO-NEGATIVE), and an extra outcome can change which windows have a score.
    if target.is_open and target.net_earnings >= 1:
        good, poor = result.get(Scenario.CLOSE_GOOD), result.get(Scenario.CLOSE_POOR)
        for months, point in good.points.items():
            other = poor.points[months].raw
            assert (point.raw is None) == (other is None)
            if point.raw is not None and other is not None:
                assert point.raw >= other - 1e-9


@SETTINGS
@given(ledgers(), st.lists(st.integers(-800, 800), min_size=1, max_size=12))
def test_the_sweep_agrees_with_one_day_at_a_time(ledger: Ledger, offsets: list[int]) -> None:
    segments = all_segments(ledger.contracts, DEFAULT_PARAMS, AS_OF)
    days = [AS_OF + timedelta(days=k) for k in offsets]
    together = score_points(segments, days)
    assert [p.day for p in together] == sorted(days)
    for point in together:
        alone = score_points(segments, [point.day])[0]
        assert alone.window_scores() == point.window_scores()
        assert (alone.raw, alone.best, alone.eligible) == (point.raw, point.best, point.eligible)
        assert alone.windows == point.windows
