"""Advice: "should I close contract X?" as a verdict from a fixed vocabulary, its rules and a revisit date.

The decision starts from the community's and Upwork's own advice (C-CLOSE-ADVICE, C-SELF-CLOSE-2MO,
C-FL-CAN-END, C-FP-DORMANT, C-FP-AUTO-RELEASE) and is then checked against the simulated numbers: if
closing now would cost points that waiting a few weeks would not, the verdict becomes "wait".

Before the usual flow, three cases that depend on the client and the money (see `_decide`):

- a client Upwork flagged or suspended (X-FLAGGED-CLIENT) cannot act on a request, and its feedback does
  not count against the score, so asking or waiting for it helps nothing: close it yourself (C-FL-CAN-END).
  Only funded escrow stops that: ending a fixed-price contract returns unreleased escrow to the client.
- a $0 contract the client never started (no payment, no escrow, no activity after the start) that you
  already asked to close has no effect on the score once it ends without feedback (X-NO-FEEDBACK,
  X-ZERO-POSITIVE): close it now, even before it is stale (stale ones already get "self_close_unpaid").
- a contract on hold (C-STATUSES: Upwork holds it until a problem such as a billing method or a
  suspended account is fixed). No source says a hold changes the JSS (C-PAUSED-JSS), so a stale one gets
  the usual advice, citing the hold too; a recent one is not "active": wait until it would be stale. On
  hold because the client was suspended is the flagged case. Paused contracts (by the client, who can
  restart them) keep the usual advice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from .classify import Segment
from .model import Contract, ContractKind, ContractStatus
from .params import DEFAULT_PARAMS, ModelParams
from .rulebook import rule_numbers
from .whatif import HORIZONS_MONTHS, Scenario, WhatIf, what_if

# A closing that costs less than this many displayed points is "no cost" (F-BANDS: a couple of points matter little).
MATERIAL_POINTS = 1.0


class Verdict(StrEnum):
    CLOSE_NOW = "close_now"
    ASK_CLIENT = "ask_client"
    WAIT = "wait"
    KEEP_OPEN = "keep_open"


@dataclass(frozen=True, slots=True)
class Advice:
    contract_id: str
    as_of: date
    verdict: Verdict
    reason: str  # a key the templates explain: see templates/advice.*
    rules: tuple[str, ...]  # deciding rules first
    revisit: date
    idle_days: int
    requests: int
    last_request: date | None
    escrow_usd: Decimal
    whatif: WhatIf | None
    stale_others: tuple[str, ...] = field(default=())


def idle_days(contract: Contract, as_of: date) -> int:
    return max(0, (as_of - contract.last_activity).days)


def is_stale(contract: Contract, as_of: date, params: ModelParams = DEFAULT_PARAMS) -> bool:
    """C-CLOSE-ADVICE / C-HOURLY-INACTIVE: open and idle long enough that the client should be asked."""
    return contract.is_open and idle_days(contract, as_of) >= params.stale_after_days


def never_started(c: Contract) -> bool:
    """X-NO-FEEDBACK / X-ZERO-POSITIVE: a $0 contract with no payment, no escrow and no activity after its start."""
    return (
        c.last_payment is None
        and not c.earnings_usd
        and not c.escrow_usd
        and c.milestone_submitted is None
        and c.last_activity <= c.started
    )


def _decide(c: Contract, as_of: date, params: ModelParams) -> tuple[Verdict, str, tuple[str, ...], date]:
    """The rule-based verdict, before the numbers are consulted."""
    verdict, reason, rules, revisit = _decide_usual(c, as_of, params)
    if c.is_open and c.status is ContractStatus.ON_HOLD and "C-PAUSED-JSS" not in rules:
        rules = (*rules, "C-PAUSED-JSS")
    return verdict, reason, rules, revisit


def _decide_usual(c: Contract, as_of: date, params: ModelParams) -> tuple[Verdict, str, tuple[str, ...], date]:
    """Ended, then disputed (the dispute must finish first, even with a flagged client), flagged client,
    never started, escrow, then the idle/request flow."""
    n = rule_numbers()
    idle = idle_days(c, as_of)
    requests = len(c.close_requests)
    last_request = c.close_requests[-1] if c.close_requests else None
    if not c.is_open:
        assert c.ended is not None
        feedback_until = c.ended + timedelta(days=n.feedback_days)
        if as_of <= feedback_until and not c.has_feedback:
            return Verdict.WAIT, "ended_feedback_open", ("FB-14DAYS", "FB-DOUBLE-BLIND", "FB-LATE"), feedback_until
        return Verdict.KEEP_OPEN, "already_ended", ("FB-EDIT", "X-NO-FEEDBACK"), as_of
    if c.disputed:
        return Verdict.WAIT, "disputed", ("X-DISPUTE", "FB-EDIT"), as_of + timedelta(days=14)
    feedback_check = as_of + timedelta(days=n.feedback_days)  # after closing: did the client leave feedback?
    held = ("C-PAUSED-JSS",) if c.status is not ContractStatus.ACTIVE else ()
    if c.client_flagged:
        # X-FLAGGED-CLIENT decides: the client cannot act, and its feedback does not count against you.
        if c.escrow_usd > 0:
            # Ending returns unreleased escrow to the client (C-FL-CAN-END); a submitted milestone may still
            # auto-release (C-FP-AUTO-RELEASE; whether it does for a suspended client is UNKNOWN).
            if c.milestone_submitted is not None:
                release = c.milestone_submitted + timedelta(days=n.auto_release_days)
                cited = ("X-FLAGGED-CLIENT", "C-FL-CAN-END", "C-FP-AUTO-RELEASE", *held)
                return Verdict.WAIT, "flagged_escrow", cited, max(as_of, release)
            cited = ("X-FLAGGED-CLIENT", "C-FL-CAN-END", *held)
            return Verdict.WAIT, "flagged_escrow", cited, as_of + timedelta(days=params.recheck_after_request_days)
        return Verdict.CLOSE_NOW, "flagged_client", ("X-FLAGGED-CLIENT", "C-FL-CAN-END", *held), feedback_check
    if requests and never_started(c) and idle < params.stale_after_days:  # stale: "self_close_unpaid" below
        cited = ("X-NO-FEEDBACK", "X-ZERO-POSITIVE", "X-ZERO-NEGATIVE", "C-FL-CAN-END")
        return Verdict.CLOSE_NOW, "never_started", cited, feedback_check
    if c.kind is ContractKind.FIXED and c.escrow_usd > 0:
        if c.milestone_submitted is not None:
            release = c.milestone_submitted + timedelta(days=n.auto_release_days)
            return (
                Verdict.WAIT,
                "escrow_submitted",
                ("C-FP-AUTO-RELEASE", "C-FL-CAN-END", "C-FP-DORMANT"),
                max(as_of, release),
            )
        warning = c.last_activity + timedelta(days=n.dormant_warning_days[0])
        if last_request is None or (as_of - last_request).days >= params.recheck_after_request_days:
            return (
                Verdict.ASK_CLIENT,
                "escrow_ask",
                ("C-FL-CAN-END", "C-FP-DORMANT", "C-FP-AUTO-RELEASE"),
                min(max(as_of + timedelta(days=7), warning), as_of + timedelta(days=30)),
            )
        return (
            Verdict.WAIT,
            "escrow_wait",
            ("C-FP-DORMANT", "C-FL-CAN-END", "C-FP-OPTOUT"),
            max(as_of + timedelta(days=1), warning),
        )
    if idle < params.stale_after_days:
        if c.status is ContractStatus.ON_HOLD:
            stale_day = c.last_activity + timedelta(days=params.stale_after_days)
            return Verdict.WAIT, "on_hold", ("C-STATUSES", "C-PAUSED-JSS"), stale_day
        long_term = c.last_payment is not None and (as_of - c.started).days >= n.long_term_payment_days
        rules: tuple[str, ...] = (
            ("WT-LONG-TERM", "E-CURRENT", "WT-EARNINGS-TIERS") if long_term else ("C-STATUSES", "E-CURRENT")
        )
        return (
            Verdict.KEEP_OPEN,
            "long_term_active" if long_term else "active",
            rules,
            c.last_activity + timedelta(days=params.stale_after_days),
        )
    unpaid = c.last_payment is None or c.net_earnings < n.public_min_usd
    if requests < n.self_close_min_requests:
        return (
            Verdict.ASK_CLIENT,
            "stale_not_asked",
            ("C-CLOSE-ADVICE", "FB-WHO-ENDS", "C-HOURLY-INACTIVE"),
            as_of + timedelta(days=params.recheck_after_request_days),
        )
    if unpaid:
        return (
            Verdict.CLOSE_NOW,
            "self_close_unpaid",
            ("C-CLOSE-ADVICE", "X-NO-FEEDBACK", "X-ZERO-POSITIVE", "X-ZERO-NEGATIVE"),
            feedback_check,
        )
    if idle >= n.self_close_idle_days:
        rules = ("C-SELF-CLOSE-2MO", "C-FL-CAN-END", "X-NO-FEEDBACK", "FB-WHO-ENDS")
        return Verdict.CLOSE_NOW, "self_close", rules, feedback_check
    self_close_day = c.last_activity + timedelta(days=n.self_close_idle_days)
    assert last_request is not None
    if (as_of - last_request).days >= params.recheck_after_request_days:
        return Verdict.ASK_CLIENT, "ask_again", ("C-CLOSE-ADVICE", "C-SELF-CLOSE-2MO"), self_close_day
    return Verdict.WAIT, "asked_recently", ("C-SELF-CLOSE-2MO", "C-CLOSE-ADVICE"), self_close_day


def advise(
    contracts: Sequence[Contract],
    contract_id: str,
    as_of: date,
    params: ModelParams = DEFAULT_PARAMS,
    horizons: Sequence[int] = HORIZONS_MONTHS,
    segments: Sequence[Segment] | None = None,
) -> Advice:
    """Should the freelancer close this contract now? Verdict, deciding rules, date to look again.

    `horizons`: the months ahead its what-if scores (`what_if`); the verdict reads month 0 only, so it is
    always included. An answer showing only "now" and "in 6 months" asks for (0, 6): the same advice for
    less than half the engine time. `segments`: every contract's, for its what-if (see `what_if`)."""
    target = next((c for c in contracts if c.id == contract_id), None)
    if target is None:
        raise KeyError(contract_id)
    verdict, reason, rules, revisit = _decide(target, as_of, params)
    months = horizons if 0 in horizons else (0, *horizons)
    sims = (
        what_if(contracts, contract_id, as_of, params, ranges=False, horizons=months, segments=segments)
        if target.is_open
        else None
    )
    if sims is not None and verdict is Verdict.CLOSE_NOW and not target.client_flagged:
        cost_now = sims.delta(Scenario.CLOSE_NO_FEEDBACK, 0)
        if cost_now is not None and cost_now <= -MATERIAL_POINTS and target.last_payment is not None:
            # Closing now drops a paid long-term contract that still counts as good (E-CURRENT); the
            # credit lapses on its own 90 days after the last payment, so close then instead.
            lapse = target.last_payment + timedelta(days=rule_numbers().long_term_payment_days)
            if lapse > as_of:
                verdict, reason, revisit = Verdict.WAIT, "wait_long_term_credit", lapse
                rules = ("E-CURRENT", "C-SELF-CLOSE-2MO", "WT-LONG-TERM")
    stale = [c for c in contracts if c.id != contract_id and is_stale(c, as_of, params)]  # then sort the few
    stale_others = tuple(c.id for c in sorted(stale, key=lambda c: (c.last_activity, c.id)))
    if verdict is Verdict.CLOSE_NOW and stale_others:
        rules = (*rules, "L-STAGGER")
    return Advice(
        contract_id=contract_id,
        as_of=as_of,
        verdict=verdict,
        reason=reason,
        rules=rules,
        revisit=revisit,
        idle_days=idle_days(target, as_of),
        requests=len(target.close_requests),
        last_request=target.close_requests[-1] if target.close_requests else None,
        escrow_usd=target.escrow_usd,
        whatif=sims,
        stale_others=stale_others,
    )
