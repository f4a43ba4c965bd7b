"""The machine-readable twin of each engine answer (`Answer.data`, what --json prints).

Pure functions from engine results to plain dicts, apart from the services that fetch and render, so
the JSON shape of each answer is read in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from scoring import engine
from scoring.uncertainty import ProjectionBand, ScoreRange


def score_data(result: engine.ScoreResult, spread: ScoreRange, as_of: date) -> dict[str, Any]:
    p = result.point
    return {
        "jss": result.jss,
        "raw": None if result.raw is None else round(result.raw, 2),
        "shown_window": p.best,
        "windows": {k: None if v is None else round(v, 2) for k, v in p.window_scores().items()},
        "eligible": result.eligibility.eligible,
        "eligibility": {
            "jobs": result.eligibility.jobs,
            "clients": result.eligibility.clients,
            "jobs_needed": result.eligibility.jobs_needed,
            "clients_needed": result.eligibility.clients_needed,
        },
        "contracts": {
            c.contract_id: {"outcome": c.kind.value, "weight": c.weight, "rules": list(c.rules)}
            for c in result.classifications
        },
        "range": {
            "worst": spread.worst.jss,
            "likely": spread.likely.jss,
            "best": spread.best.jss,
            "low": spread.low,
            "high": spread.high,
            "unknown": [{"contract": u.contract_id, "why": u.reason, "rule": u.rule} for u in spread.unknowns],
            "rough": [r.value for r in spread.rough],  # why the estimate is rough (issue 18)
        },
        "as_of": as_of.isoformat(),
        "era": {"rule": result.era.rule, "since": result.era.since.isoformat()},  # the rules applied
        "update_day": result.update_day.isoformat(),  # the update it reflects (W-CADENCE-LEGACY/-CURRENT)
        "cadence": result.era.cadence.value,
    }


def scenario_rows(sims: engine.WhatIf) -> list[dict[str, Any]]:
    """One row per what-if scenario, for the templates (which name it: scenarios.j2) and the data."""
    return [
        {
            "scenario": s.scenario.value,
            "applicable": s.applicable,
            "note": s.note,
            "points": {m: p.jss for m, p in s.points.items()},
            "low": {m: None if v is None else int(v + 0.5) for m, v in s.low.items()},
            "high": {m: None if v is None else int(v + 0.5) for m, v in s.high.items()},
            "now": s.points[0].jss,
            "later": s.points[6].jss,
            "delta": sims.delta(s.scenario, 0) if s.scenario is not engine.Scenario.LEAVE_OPEN else None,
            "money": s.money_at_risk_usd,
            "effective": s.effective,
            "rules": list(s.rules),
        }
        for s in sims.scenarios
    ]


def advice_data(advice: engine.Advice, rows: Sequence[dict[str, Any]], contract_id: str, as_of: date) -> dict[str, Any]:
    return {
        "verdict": advice.verdict.value,
        "reason": advice.reason,
        "revisit": advice.revisit.isoformat(),
        "contract": contract_id,
        "idle_days": advice.idle_days,
        "close_requests": advice.requests,
        "simulations": {r["scenario"]: {"now": r["now"], "in_6_months": r["later"]} for r in rows if r["applicable"]},
        "as_of": as_of.isoformat(),
    }


def what_if_data(rows: Sequence[dict[str, Any]], contract_id: str, as_of: date) -> dict[str, Any]:
    return {
        "contract": contract_id,
        "as_of": as_of.isoformat(),
        "scenarios": {
            r["scenario"]: {
                "applicable": r["applicable"],
                "jss": r["points"],
                "low": r["low"],
                "high": r["high"],
                "money_at_risk_usd": str(r["money"]),
            }
            for r in rows
        },
    }


def projection_data(
    band: ProjectionBand, events: Sequence[engine.ProjectionEvent], cadence: str, as_of: date, marked: int = 0
) -> dict[str, Any]:
    """`marked`: the first events are numbered 1..marked on the chart (`marker`; None for the rest)."""
    return {
        "as_of": as_of.isoformat(),
        "cadence": cadence,
        "points": [
            {
                "day": p.day.isoformat(),
                "jss": p.jss,
                "window": p.best,
                "low": None if lo is None else round(lo, 2),
                "high": None if hi is None else round(hi, 2),
            }
            for p, lo, hi in zip(band.likely.points, band.low, band.high, strict=True)
        ],
        "events": [
            {
                "day": e.day.isoformat(),
                "update_day": e.update_day.isoformat(),
                "contract": e.contract_id,
                "kind": e.kind.value,
                "window": e.window,
                "jss_before": e.jss_before,
                "jss_after": e.jss_after,
                "rules": list(e.rules),
                "marker": i + 1 if i < marked else None,
            }
            for i, e in enumerate(events)
        ],
    }


def plan_data(plan: engine.ClosingPlan, as_of: date) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "top_rated": plan.top_rated,
        "steps": [
            {
                "day": s.day.isoformat(),
                "contract": s.contract_id,
                "ask_first": s.ask_first,
                "jss_likely": s.jss_likely,
                "jss_worst": s.jss_worst,
                "top_rated_risk": s.top_rated_risk,
            }
            for s in plan.steps
        ],
        "skipped": [{"contract": cid, "reason": why} for cid, why in plan.skipped],
    }


def top_rated_data(status: engine.TopRatedStatus) -> dict[str, Any]:
    return {
        "jss": status.jss,
        "eligible_weeks": status.eligible_weeks,
        "weeks_until_return": status.weeks_until_return,
        "earnings_12mo_usd": str(status.earnings_12mo_usd),
        "requirements_met": status.ledger_requirements_met,
    }
