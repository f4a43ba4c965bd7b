"""Contracts for reminder tests, dated relative to a day so each test reads as "idle N days"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from scoring.model import Contract


def days_before(day: date, n: int) -> date:
    return day - timedelta(days=n)


def open_hourly(
    cid: str, today: date, idle: int, *, asked: tuple[int, ...] = (), started: int = 400, **extra: Any
) -> Contract:
    """An open hourly contract last active `idle` days before `today`, asked `asked` days before it."""
    last = days_before(today, idle)
    return Contract.model_validate(
        {
            "id": cid,
            "title": f"Project {cid}",
            "client": f"Client {cid}",
            "kind": "hourly",
            "status": "active",
            "started": days_before(today, started),
            "last_activity": last,
            "last_payment": last,
            "earnings_usd": "800",
            "close_requests": [days_before(today, a) for a in asked],
            **extra,
        }
    )


def funded_fixed(cid: str, today: date, idle: int, **extra: Any) -> Contract:
    last = days_before(today, idle)
    return Contract.model_validate(
        {
            "id": cid,
            "title": f"Milestone {cid}",
            "client": f"Client {cid}",
            "kind": "fixed",
            "status": "active",
            "started": days_before(today, idle + 30),
            "last_activity": last,
            "earnings_usd": "300",
            "escrow_usd": "300",
            **extra,
        }
    )


def ended(
    cid: str,
    today: date,
    ended_ago: int,
    *,
    stars: float | None = 5.0,
    usd: str = "900",
    length: int = 100,
    asked: tuple[int, ...] = (),
) -> Contract:
    end = days_before(today, ended_ago)
    return Contract.model_validate(
        {
            "id": cid,
            "title": f"Job {cid}",
            "client": f"Client {cid}",
            "kind": "hourly",
            "status": "ended",
            "started": end - timedelta(days=length),
            "ended": end,
            "last_activity": end,
            "last_payment": end,
            "earnings_usd": usd,
            "public_stars": stars,
            "close_requests": [days_before(today, a) for a in asked],
        }
    )


def top_rated_at_risk(today: date) -> list[Contract]:
    """Six 5-star jobs over the last year, then a large 1-star job that ended 3 days ago: the JSS fell
    below 90 three days ago while 15 of the last 16 weeks are still eligible."""
    goods = [ended(f"g{i}", today, 200 - 20 * i, length=100) for i in range(6)]
    return [*goods, ended("bad", today, 3, stars=1.0, usd="3000", length=57)]
