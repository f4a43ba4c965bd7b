"""The dated changes of the displayed score that one contract makes soon: /advise's "what it costs, and when".

Why not `project(...)` filtered to the contract (what /jss show and /toprated need: every contract's
changes): a projection scores the whole ledger on every update day and on and before every change of every
contract, tens of days for a realistic ledger, while an advice shows one contract's changes, none or a
few. Here the ledger is scored only on and before that contract's own change days. The sweep keeps the
projection's first and last day, so it feeds the same window events in the same order and every score is
the same float: the events equal the projection's, filtered (tests/scoring/test_outlook.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date, timedelta

from .classify import Segment
from .dates import add_months
from .model import Contract
from .params import DEFAULT_PARAMS, Cadence, ModelParams
from .projection import ProjectionEvent, segment_events, update_days
from .score import all_segments
from .windows import shown_points


def contract_changes(
    contracts: Sequence[Contract],
    contract_id: str,
    as_of: date,
    params: ModelParams = DEFAULT_PARAMS,
    months: int | None = None,
    segments: Sequence[Segment] | None = None,
) -> tuple[ProjectionEvent, ...]:
    """`project(contracts, as_of, params, months).moving_events()` of `contract_id` only, in the same order.

    `segments`: every contract's, as `all_segments(contracts, params, as_of)` gives them, when the caller
    has them already (the advice's what-if needs the same)."""
    until = add_months(as_of, months if months is not None else params.projection_months)
    if segments is None:
        segments = all_segments(contracts, params, as_of)
    # Daily updates: every change day is an update day and the projection ends on `until`, so the other
    # contracts' changes decide nothing here. Fortnightly: the last change of any contract may end it later.
    daily = params.cadence is Cadence.DAILY
    raw_events = segment_events(
        [s for s in segments if s.contract_id == contract_id] if daily else segments, as_of, until
    )
    own = [e for e in raw_events if e[1] == contract_id]
    if not own:
        return ()
    days = update_days(as_of, until, params.cadence, [e[0] for e in raw_events])
    # The projection scores from as_of to the later of its last update day and its last change day: the
    # same bounds here, so `window_events` keeps and orders the same events (float sums depend on order).
    last = max(days[-1], max(e[0] for e in raw_events))
    wanted = {as_of, last, *(e[0] for e in own), *(e[0] - timedelta(days=1) for e in own)}
    by_day = {p.day: p for p in shown_points(segments, sorted(wanted), params)}  # only `.jss` is read
    events = []
    for day, cid, kind, outcome, window, rules in own:
        index = bisect_left(days, day)
        shown_on = days[index] if index < len(days) else until
        before, after = by_day[day - timedelta(days=1)].jss, by_day[day].jss
        if before != after:
            events.append(ProjectionEvent(day, shown_on, cid, kind, outcome, window, rules, before, after))
    return tuple(events)


__all__ = ["contract_changes"]
