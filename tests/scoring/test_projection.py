"""Projection: dated events (W-AGE-OUT, W-24MAX, E-CURRENT lapses) and the update cadence."""

from __future__ import annotations

from datetime import date

from scoring.classify import OutcomeKind
from scoring.dates import add_months
from scoring.engine import DEFAULT_PARAMS, Cadence, EventKind, ModelParams, project, score
from scoring.model import Contract
from scoring.params import IdleOpenEffect
from tests.builders import days, ended, good_jobs, open_contract

AS_OF = date(2025, 6, 1)
ANCHOR = date(2023, 12, 10)  # W-CADENCE-LEGACY: a known update Sunday


def ledger_with_bad(end: date = date(2025, 3, 10)) -> list[Contract]:
    return [*good_jobs(5, AS_OF - days(10)), ended("y", end, stars=1.0)]


def test_default_horizon_is_24_months() -> None:
    proj = project(ledger_with_bad(), AS_OF)
    assert proj.as_of == AS_OF and proj.until == add_months(AS_OF, 24)
    assert proj.points[0].day == AS_OF and proj.points[-1].day == proj.until
    assert project(ledger_with_bad(), AS_OF, months=6).until == add_months(AS_OF, 6)


def test_bad_outcome_leaves_each_window_on_its_day() -> None:
    end = date(2025, 3, 10)
    contracts = ledger_with_bad(end)
    proj = project(contracts, AS_OF)
    leaves = {e.window: e for e in proj.events if e.contract_id == "y" and e.kind is EventKind.LEAVES_WINDOW}
    assert {w: e.day for w, e in leaves.items()} == {
        "3m": date(2025, 6, 11),
        "6m": date(2025, 9, 11),
        "12m": date(2026, 3, 11),
        "24m": date(2027, 3, 11),
    }
    assert leaves["6m"].rules == ("W-AGE-OUT",) and leaves["24m"].rules == ("W-24MAX",)
    assert all(e.outcome is OutcomeKind.BAD for e in leaves.values())
    for e in leaves.values():
        assert e.update_day == e.day  # daily cadence: shown the same day
        assert e.jss_before == score(contracts, e.day - days(1)).jss
        assert e.jss_after == score(contracts, e.day).jss
        assert proj.at(e.day).jss == e.jss_after
    # Leaving the 3-month window lifts the trending score: the event moves the displayed JSS.
    assert leaves["3m"] in proj.moving_events()
    assert leaves["3m"].jss_after is not None and leaves["3m"].jss_before is not None
    assert leaves["3m"].jss_after > leaves["3m"].jss_before


def test_projection_points_match_the_score_on_their_day() -> None:
    contracts = ledger_with_bad()
    proj = project(contracts, AS_OF)
    assert proj.points[0].raw == score(contracts, AS_OF).raw
    for p in proj.points:
        assert p.jss == score(contracts, p.day).jss, p.day
        assert p.raw is None or 0 <= p.raw <= 100


def test_at_gives_the_last_update_on_or_before() -> None:
    proj = project(ledger_with_bad(), AS_OF)
    first_change = proj.points[1].day
    assert proj.at(first_change - days(1)) == proj.points[0]
    assert proj.at(first_change) == proj.points[1]
    assert proj.at(AS_OF - days(30)) == proj.points[0]


def test_stale_long_term_contract_goes_idle_91_days_after_last_payment() -> None:
    last_payment = AS_OF - days(40)  # stale: no payment assumed from now on
    lt = open_contract("lt", started=date(2024, 6, 1), last_payment=last_payment, earnings=2500)
    contracts = [*good_jobs(3, AS_OF - days(10)), lt]
    mine = [e for e in project(contracts, AS_OF).events if e.contract_id == "lt"]
    idle = next(e for e in mine if e.kind is EventKind.GOES_IDLE)
    assert idle.day == last_payment + days(91)  # "a payment in the last 90 days" holds on day 90
    assert idle.outcome is OutcomeKind.NEUTRAL
    assert {"E-CURRENT", "C-OPEN-INACTIVE-JSS"} <= set(idle.rules)
    assert idle.jss_before == 100 and idle.jss_after == score(contracts, idle.day).jss
    assert not [e for e in mine if e.kind in (EventKind.STOPS_COUNTING, EventKind.STARTS_COUNTING)]
    # The idle outcome is dated the day it starts, and ages out of the windows from then.
    assert [e.window for e in mine if e.kind is EventKind.LEAVES_WINDOW][:2] == ["3m", "6m"]

    excluded = ModelParams(idle_open_effect=IdleOpenEffect.EXCLUDED)
    mine = [e for e in project(contracts, AS_OF, excluded).events if e.contract_id == "lt"]
    assert [(e.kind, e.day, e.outcome) for e in mine] == [
        (EventKind.STOPS_COUNTING, last_payment + days(91), OutcomeKind.GOOD)
    ]


def test_active_contract_is_assumed_to_keep_being_paid() -> None:
    lt = open_contract("lt", started=date(2024, 6, 1), last_payment=AS_OF - days(5), earnings=2500)
    contracts = [*good_jobs(3, AS_OF - days(10)), lt]
    assert DEFAULT_PARAMS.assume_active_continues
    assert not [e for e in project(contracts, AS_OF).events if e.contract_id == "lt"]
    literal = ModelParams(assume_active_continues=False)
    mine = [e for e in project(contracts, AS_OF, literal).events if e.contract_id == "lt"]
    assert [(e.kind, e.day) for e in mine][0] == (EventKind.GOES_IDLE, AS_OF - days(5) + days(91))


def test_biweekly_cadence_updates_every_other_sunday() -> None:
    params = ModelParams(cadence=Cadence.BIWEEKLY_SUNDAY)
    proj = project(ledger_with_bad(), AS_OF, params)
    assert proj.cadence is Cadence.BIWEEKLY_SUNDAY
    assert proj.points[0].day == AS_OF
    sundays = [p.day for p in proj.points[1:]]
    assert len(sundays) > 50
    assert all(d.weekday() == 6 for d in sundays)
    assert all((d - ANCHOR).days % 14 == 0 for d in sundays)
    assert all((b - a).days == 14 for a, b in zip(sundays, sundays[1:], strict=False))
    assert AS_OF < sundays[0] <= AS_OF + days(14)
    for e in proj.events:
        assert e.update_day in sundays and e.update_day - days(14) < e.day <= e.update_day
        assert proj.at(e.update_day).jss == score(ledger_with_bad(), e.update_day).jss


def test_nothing_happens_to_an_empty_ledger() -> None:
    proj = project([], AS_OF)
    assert proj.events == ()
    assert all(p.raw is None for p in proj.points)
    assert proj.lowest.raw is None
