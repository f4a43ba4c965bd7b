"""Which reminders a ledger implies: ledger + the user's choices + a day -> due reminders. Pure, no I/O.

Why a pure function: the durable queue (bot/store/reminder_store.py) is re-synced from it whenever a
ledger or a setting changes ("an edit re-plans"), so what to remind must depend only on its inputs,
and must be testable without a database or Discord. The result is stable from one day to the next
while nothing changes (a reminder keeps its due date, hence its queue key), so deriving again never
duplicates a reminder; it only drops the ones that became obsolete and adds the new ones.

Every number comes from the rules catalogue (`scoring.rulebook.rule_numbers()`) or the model's
parameters; the only constants here are product choices the issue states, named below.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from scoring.engine import plan_closings, top_rated_status
from scoring.model import Contract, ContractKind
from scoring.params import DEFAULT_PARAMS, ModelParams
from scoring.rulebook import RuleNumbers, rule_numbers
from scoring.score import all_segments
from scoring.windows import score_points

from .kinds import ALL_KINDS, RULE_OF_KIND, ReminderKind

FEEDBACK_NOTICE_DAYS = 2  # the issue: "feedback window closing in 2 days"
DEFAULT_IDLE_DAYS = 30  # the default; users change it (UserSettings.idle_reminder_days)
SAFETY_RECHECK_DAYS = 30  # derive again at least this often, so nothing time-driven can be missed for long
REORDER_RECHECK_DAYS = 7  # a closing plan of 2+ contracts may be reordered as the JSS projection moves
WEEK_DAYS = 7
WHOLE_LEDGER = ""  # the contract id of reminders about the whole ledger (B-TR-WEEKS)


@dataclass(frozen=True, slots=True)
class ReminderPrefs:
    """What the user chose: after how many idle days to nudge, and which kinds they want."""

    idle_days: int = DEFAULT_IDLE_DAYS
    kinds: frozenset[ReminderKind] = ALL_KINDS


@dataclass(frozen=True, slots=True)
class DueReminder:
    """One reminder the ledger implies. `(contract_id, rule_id, due_on)` is its identity in the queue;
    `facts` are what its message says (JSON-safe values only: they are stored)."""

    kind: ReminderKind
    contract_id: str
    due_on: date
    facts: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def rule_id(self) -> str:
        return RULE_OF_KIND[self.kind]

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.contract_id, self.rule_id, self.due_on)


@dataclass(frozen=True, slots=True)
class Derivation:
    """The reminders (upcoming ones included) in due order, and the day to derive again at the latest
    even if the ledger does not change (a reminder expires, a plan may reorder, Top Rated is re-checked)."""

    reminders: tuple[DueReminder, ...]
    recheck_on: date


def _funded_fixed(c: Contract) -> bool:
    """C-FP-DORMANT applies; ending it would return the escrow (C-FL-CAN-END), so no close reminders."""
    return c.kind is ContractKind.FIXED and c.escrow_usd > 0


def _about(c: Contract) -> dict[str, Any]:
    return {"title": c.title, "client": c.client, "last_activity": c.last_activity.isoformat()}


def _ask_client(contracts: Sequence[Contract], prefs: ReminderPrefs, n: RuleNumbers) -> Iterator[DueReminder]:
    """C-CLOSE-ADVICE: an open contract idle `idle_days` whose client was not asked yet (as the advice
    engine counts requests). Due once per idle spell: new activity moves the date, a request ends it."""
    for c in contracts:
        if not c.is_open or c.disputed or _funded_fixed(c) or len(c.close_requests) >= n.self_close_min_requests:
            continue
        due = c.last_activity + timedelta(days=prefs.idle_days)
        yield DueReminder(ReminderKind.ASK_CLIENT, c.id, due, {**_about(c), "idle_days": prefs.idle_days})


def _last_nudged_closing(contracts: Sequence[Contract]) -> date | None:
    """The latest end of a contract the client had been asked about: the previous closing of a plan."""
    ends = [c.ended for c in contracts if c.ended is not None and c.close_requests]
    return max(ends, default=None)


def _closings(
    contracts: Sequence[Contract], today: date, params: ModelParams, n: RuleNumbers
) -> tuple[list[DueReminder], date | None]:
    """C-SELF-CLOSE-2MO and L-STAGGER: contracts the client was asked about become ready to close
    yourself after `min_idle_days` idle; with several, the closings are spaced `spacing_days` apart in
    the order `plan_closings` picks (oldest first, changed only to protect Top Rated). A closing due on
    its own ready day cites C-SELF-CLOSE-2MO; one that waits for its slot in the plan cites L-STAGGER.
    Only the first step may be overdue: the later ones are never due at the same time as it."""
    candidates = [
        c
        for c in contracts
        if c.is_open and not c.disputed and not _funded_fixed(c) and len(c.close_requests) >= n.self_close_min_requests
    ]
    if not candidates:
        return [], None
    spacing = timedelta(days=n.stagger_days)
    idle = timedelta(days=n.self_close_idle_days)
    ready = {c.id: c.last_activity + idle for c in candidates}
    by_id = {c.id: c for c in candidates}
    plan = plan_closings(contracts, today, params, contract_ids=[c.id for c in candidates])
    order = [s.contract_id for s in plan.steps if s.contract_id in by_id]
    order += [c.id for c in sorted(candidates, key=lambda c: (c.last_activity, c.started, c.id)) if c.id not in order]
    steps = {s.contract_id: s for s in plan.steps}
    previous = _last_nudged_closing(contracts)
    floor = previous + spacing if previous is not None else None
    slots: list[tuple[str, date]] = []
    for cid in order:
        slot = ready[cid] if floor is None else max(ready[cid], floor)
        slots.append((cid, slot))
        floor = slot + spacing
    out = []
    for index, (cid, slot) in enumerate(slots):
        if index and slot < today:
            # Overdue together with the step before it (a plan first seen late, or a step not acted on):
            # one closing at a time, so it waits until the previous one is closed, which re-anchors it.
            continue
        c, step = by_id[cid], steps.get(cid)
        kind = ReminderKind.SELF_CLOSE if slot == ready[cid] else ReminderKind.PLANNED_CLOSE
        facts = {
            **_about(c),
            "ready_on": ready[cid].isoformat(),
            "idle_days": (slot - c.last_activity).days,
            "requests": len(c.close_requests),
            "step": index + 1,
            "steps": len(slots),
            "spacing_days": n.stagger_days,
            "next_contract": slots[index + 1][0] if index + 1 < len(slots) else None,
            "next_on": slots[index + 1][1].isoformat() if index + 1 < len(slots) else None,
            "jss_likely": step.jss_likely if step else None,
            "jss_worst": step.jss_worst if step else None,
            "top_rated_risk": bool(step and step.top_rated_risk),
        }
        out.append(DueReminder(kind, cid, slot, facts))
    recheck = today + timedelta(days=REORDER_RECHECK_DAYS) if len(slots) > 1 else None
    return out, recheck


def _feedback(contracts: Sequence[Contract], today: date, n: RuleNumbers) -> tuple[list[DueReminder], list[date]]:
    """FB-14DAYS: an ended contract without feedback, `FEEDBACK_NOTICE_DAYS` before its window closes.
    Dropped once the window has closed (an unsent reminder would only be noise then)."""
    out, expiries = [], []
    for c in contracts:
        if c.ended is None or c.has_feedback:
            continue
        deadline = c.ended + timedelta(days=n.feedback_days)
        if today > deadline:
            continue
        due = max(c.ended, deadline - timedelta(days=FEEDBACK_NOTICE_DAYS))
        facts = {**_about(c), "ended": c.ended.isoformat(), "deadline": deadline.isoformat(), "days": n.feedback_days}
        out.append(DueReminder(ReminderKind.FEEDBACK, c.id, due, facts))
        expiries.append(deadline + timedelta(days=1))
    return out, expiries


def _dormancy(contracts: Sequence[Contract], today: date, n: RuleNumbers) -> tuple[list[DueReminder], list[date]]:
    """C-FP-DORMANT: a funded fixed-price contract with no milestone waiting for approval gets warned on
    days 76 and 83 and goes dormant on day 90 of inactivity (the clock the what-if engine uses). Each
    step is dropped when the next one is due; the last when your window to request release ends."""
    out, expiries = [], []
    days = (*n.dormant_warning_days, n.dormant_day)
    for c in contracts:
        if not c.is_open or not _funded_fixed(c) or c.milestone_submitted is not None or c.disputed:
            continue
        dues = [c.last_activity + timedelta(days=d) for d in days]
        release_by = c.last_activity + timedelta(days=n.dormant_day + n.dormant_client_days + n.dormant_freelancer_days)
        for index, due in enumerate(dues):
            expires = dues[index + 1] if index + 1 < len(dues) else release_by
            if today >= expires:
                continue
            facts = {
                **_about(c),
                "day": days[index],
                "dormant_day": n.dormant_day,
                "dormant_on": dues[-1].isoformat(),
                "release_by": release_by.isoformat(),
                "escrow_usd": str(c.escrow_usd),
            }
            out.append(DueReminder(ReminderKind.DORMANCY, c.id, due, facts))
            expiries.append(expires)
    return out, expiries


def _risk_start(contracts: Sequence[Contract], today: date, params: ModelParams, n: RuleNumbers) -> date:
    """The first day of the current run below the Top Rated JSS, so the reminder's date (its queue key)
    stays the same on every later day of the same run."""
    days = [today - timedelta(days=k) for k in range(n.tr_of_weeks * WEEK_DAYS)]
    points = score_points(all_segments(contracts, params, today), days, params)  # ascending
    start = points[0].day
    for point in reversed(points):
        if point.jss is not None and point.jss >= n.tr_min_jss:
            break
        start = point.day
    return start


def _top_rated(
    contracts: Sequence[Contract], today: date, params: ModelParams, n: RuleNumbers
) -> tuple[list[DueReminder], date]:
    """B-TR-WEEKS: the badge is still held by its count (13+ of the last 16 weeks) but this week is below
    the Top Rated JSS, so every further week eats into the margin. Holders are re-checked daily (a JSS
    can drop when good outcomes age out, with no edit); others weekly."""
    now = score_points(all_segments(contracts, params, today), [today], params)[0]
    if now.jss is not None and now.jss >= n.tr_min_jss:
        # This week counts, so nothing is at risk today; the full 16-week history (the expensive part)
        # is only needed on a day below the line. A possible holder is looked at again tomorrow.
        return [], today + timedelta(days=1)
    status = top_rated_status(contracts, today, params)
    recheck = today + timedelta(days=1 if status.weeks_ok else WEEK_DAYS)
    if not status.weeks_ok or status.jss_ok:
        return [], recheck
    facts = {
        "jss": status.jss,
        "eligible_weeks": status.eligible_weeks,
        "needed_weeks": n.tr_eligible_weeks,
        "of_weeks": n.tr_of_weeks,
        "margin_weeks": status.eligible_weeks - n.tr_eligible_weeks,
        "min_jss": int(n.tr_min_jss),
    }
    start = _risk_start(contracts, today, params, n)
    return [DueReminder(ReminderKind.TOP_RATED, WHOLE_LEDGER, start, facts)], recheck


def derive_reminders(
    contracts: Sequence[Contract],
    today: date,
    prefs: ReminderPrefs = ReminderPrefs(),  # noqa: B008 - frozen, so a shared default is safe
    params: ModelParams = DEFAULT_PARAMS,
) -> Derivation:
    """Every reminder of the wanted kinds the ledger implies on `today` (the user's local date): past-due
    ones that still apply and upcoming ones, sorted by due date, then rule, then contract."""
    n = rule_numbers()
    found: list[DueReminder] = []
    rechecks = [today + timedelta(days=SAFETY_RECHECK_DAYS)]
    kinds = prefs.kinds
    if ReminderKind.ASK_CLIENT in kinds:
        found += _ask_client(contracts, prefs, n)
    if kinds & {ReminderKind.SELF_CLOSE, ReminderKind.PLANNED_CLOSE}:
        closings, recheck = _closings(contracts, today, params, n)
        found += [r for r in closings if r.kind in kinds]
        rechecks += [recheck] if recheck else []
    if ReminderKind.FEEDBACK in kinds:
        feedback, expiries = _feedback(contracts, today, n)
        found += feedback
        rechecks += expiries
    if ReminderKind.DORMANCY in kinds:
        dormancy, expiries = _dormancy(contracts, today, n)
        found += dormancy
        rechecks += expiries
    if ReminderKind.TOP_RATED in kinds and contracts:
        top_rated, recheck = _top_rated(contracts, today, params, n)
        found += top_rated
        rechecks.append(recheck)
    found.sort(key=lambda r: (r.due_on, r.rule_id, r.contract_id))
    return Derivation(tuple(found), min(d for d in rechecks if d > today))
