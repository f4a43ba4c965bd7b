"""Top Rated tracker: eligible weeks of the last 16 and when the badge can come back (B-TR, B-TR-WEEKS).

Past weeks are re-scored from the ledger (what it implies, not what Upwork showed: recorded snapshots
are better when the user has them); future weeks come from the no-change projection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .dates import add_months
from .model import Contract
from .params import DEFAULT_PARAMS, ModelParams
from .rulebook import rule_numbers
from .score import all_segments
from .windows import score_points

LOOKAHEAD_WEEKS = 104


@dataclass(frozen=True, slots=True)
class WeekMark:
    day: date
    jss: int | None
    eligible: bool


@dataclass(frozen=True, slots=True)
class TopRatedStatus:
    as_of: date
    jss: int | None
    jss_ok: bool
    weeks: tuple[WeekMark, ...]  # the last 16 weeks, oldest first
    eligible_weeks: int
    weeks_ok: bool
    earnings_12mo_usd: Decimal
    earnings_ok: bool
    account_age_ok: bool
    activity_ok: bool
    weeks_until_return: int | None  # 0: requirements from the ledger met now; None: not within two years
    return_day: date | None
    rules: tuple[str, ...]

    @property
    def ledger_requirements_met(self) -> bool:
        return self.jss_ok and self.weeks_ok and self.earnings_ok and self.account_age_ok and self.activity_ok


def earnings_last_12_months(contracts: Sequence[Contract], as_of: date) -> Decimal:
    """B-TR's $1,000: net earnings of contracts paid in the last 12 months, prorated over the paid span."""
    start = add_months(as_of, -12)
    total = Decimal(0)
    for c in contracts:
        if c.last_payment is None or c.last_payment < start or c.net_earnings <= 0:
            continue
        span = max(1, (c.last_payment - c.started).days)
        inside = (c.last_payment - max(c.started, start)).days
        share = Decimal(min(span, max(inside, 0))) / Decimal(span) if c.started < start else Decimal(1)
        total += (c.net_earnings * share).quantize(Decimal("0.01"))
    return total


def top_rated_status(
    contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS
) -> TopRatedStatus:
    n = rule_numbers()
    segments = all_segments(contracts, params, as_of)
    past = [as_of - timedelta(weeks=k) for k in range(n.tr_of_weeks - 1, -1, -1)]
    future = [as_of + timedelta(weeks=k) for k in range(1, LOOKAHEAD_WEEKS + 1)]
    points = score_points(segments, [*past, *future], params)
    marks = [WeekMark(p.day, p.jss, p.jss is not None and p.jss >= n.tr_min_jss) for p in points]
    history = marks[: len(past)]
    now = history[-1]
    eligible = sum(m.eligible for m in history)
    earnings = earnings_last_12_months(contracts, as_of)
    first_start = min((c.started for c in contracts), default=as_of)
    last_activity = max((c.last_activity for c in contracts), default=None)
    age_ok = (as_of - first_start).days > n.tr_min_account_age_days
    activity_ok = last_activity is not None and (as_of - last_activity).days <= n.tr_activity_days
    weeks_until: int | None = None
    return_day: date | None = None
    for k in range(len(history) - 1, len(marks)):
        window = marks[k - n.tr_of_weeks + 1 : k + 1]
        if marks[k].eligible and sum(m.eligible for m in window) >= n.tr_eligible_weeks:
            weeks_until = k - (len(history) - 1)
            return_day = marks[k].day
            break
    return TopRatedStatus(
        as_of=as_of,
        jss=now.jss,
        jss_ok=now.eligible,
        weeks=tuple(history),
        eligible_weeks=eligible,
        weeks_ok=eligible >= n.tr_eligible_weeks,
        earnings_12mo_usd=earnings,
        earnings_ok=earnings >= n.tr_min_earnings_12mo,
        account_age_ok=age_ok,
        activity_ok=activity_ok,
        weeks_until_return=weeks_until,
        return_day=return_day,
        rules=("B-TR", "B-TR-WEEKS", "B-TR-LOSS", "W-TRENDING"),
    )
