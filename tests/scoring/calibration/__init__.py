"""Our own calibration set: scores freelancers reported in public posts, rebuilt into ledgers.

`points.toml` holds the posts (URL, date, era, the score shown, the rebuilt contracts and every assumption,
all written before the model was run). This module turns them into contracts and splits them, once and for
all, into a fit part and a held-back part by a hash of the URL: the split does not depend on the model, the
scores or the order of the file, so adding a point never moves another one.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from scoring.model import Contract

POINTS_FILE = Path(__file__).with_name("points.toml")
HELD_BACK_MODULUS = 3  # a third of the points are held back: sha256(url) % 3 == 0
NO_SCORE = -1  # `reported` of a post that says no score was shown


@dataclass(frozen=True)
class CalibrationPoint:
    id: str
    url: str
    as_of: date
    era: str  # catalogue id of the rules in force on as_of (written before the model was run)
    reported: int  # the score Upwork showed; NO_SCORE when none was shown
    story: str
    assumptions: tuple[str, ...]
    contracts: tuple[Contract, ...]

    @property
    def held_back(self) -> bool:
        return is_held_back(self.url)

    @property
    def has_score(self) -> bool:
        return self.reported != NO_SCORE


def is_held_back(url: str) -> bool:
    """Fixed before the first run: a third of the URLs, chosen by their SHA-256."""
    return int(hashlib.sha256(url.encode()).hexdigest(), 16) % HELD_BACK_MODULUS == 0


def _each(value: Any, n: int, every: int = 0) -> list[Any]:
    """A group's field for each of its n copies: a list gives one value each, a number is spread by `every`."""
    if isinstance(value, list):
        if len(value) != n:
            raise ValueError(f"list of {len(value)} values for {n} contracts")
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and every:
        return [value + i * every for i in range(n)]
    return [value] * n


def _group(point_id: str, index: int, group: dict[str, Any], as_of: date) -> list[Contract]:
    n = int(group.get("n", 1))
    every = int(group.get("every", 0))
    status = str(group.get("status", "ended"))

    def ago(days: int | None) -> date | None:
        return None if days is None else as_of - timedelta(days=int(days))

    def field(name: str, default: Any = None, spread: bool = False) -> list[Any]:
        return _each(group.get(name, default), n, every if spread else 0)

    earnings, stars, private = field("earnings", 300), field("stars"), field("private")
    refunded = field("refunded", 0)
    started_ago, paid_ago, active_ago = field("started_ago", spread=True), field("paid_ago"), field("active_ago")
    contracts = []
    for i in range(n):
        cid = f"{point_id[:40]}-{index}-{i}"
        client = str(group.get("client", f"Client {cid}"))
        data: dict[str, Any] = {
            "id": cid,
            "title": f"Job {cid}",
            "client": client,
            "kind": str(group.get("kind", "hourly")),
            "earnings_usd": Decimal(str(earnings[i])),
            "refunded_usd": Decimal(str(refunded[i])),
            "public_stars": stars[i],
            "private_rating": private[i],
            "disputed": bool(group.get("disputed", False)),
        }
        paid = earnings[i] > 0
        if status == "ended":
            end = ago(field("ended_ago", spread=True)[i])
            assert end is not None, f"{point_id}: an ended group needs ended_ago"
            start = end - timedelta(days=int(group.get("length", 14)))
            last_paid = ago(paid_ago[i]) if paid_ago[i] is not None else end
            data |= {
                "status": "ended",
                "started": start,
                "ended": end,
                "last_activity": end,
                "last_payment": last_paid if paid else None,
            }
        else:
            start = ago(started_ago[i])
            assert start is not None, f"{point_id}: an open group needs started_ago"
            last_paid = ago(paid_ago[i]) if paid and paid_ago[i] is not None else None
            activity = ago(active_ago[i]) or last_paid or start
            data |= {"status": status, "started": start, "last_activity": activity, "last_payment": last_paid}
        contracts.append(Contract.model_validate(data))
    return contracts


def _point(raw: dict[str, Any]) -> CalibrationPoint:
    as_of = raw["as_of"]
    assert isinstance(as_of, date)
    contracts = [c for i, g in enumerate(raw.get("group", [])) for c in _group(raw["id"], i, g, as_of)]
    return CalibrationPoint(
        id=str(raw["id"]),
        url=str(raw["url"]),
        as_of=as_of,
        era=str(raw["era"]),
        reported=int(raw["reported"]),
        story=str(raw["story"]),
        assumptions=tuple(str(a) for a in raw["assumptions"]),
        contracts=tuple(contracts),
    )


@cache
def load_points(path: Path = POINTS_FILE) -> tuple[CalibrationPoint, ...]:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    return tuple(_point(p) for p in raw["point"])


def split(points: Sequence[CalibrationPoint]) -> tuple[list[CalibrationPoint], list[CalibrationPoint]]:
    """(fit, held back)."""
    return [p for p in points if not p.held_back], [p for p in points if p.held_back]
