"""The pure derivation: ledger + choices + day -> due reminders, each citing its catalogue rule."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest

from bot.reminders import rules
from bot.reminders.kinds import ALL_KINDS, RULE_OF_KIND, ReminderKind, parse_kinds
from bot.reminders.rules import FEEDBACK_NOTICE_DAYS, WHOLE_LEDGER, ReminderPrefs, derive_reminders
from scoring.catalogue import load_catalogue
from scoring.model import Contract
from scoring.rulebook import rule_numbers
from tests.builders import ended_days_ago, funded_fixed, open_hourly, top_rated_at_risk

TODAY = date(2026, 6, 1)
N = rule_numbers()


def keys(contracts: list, today: date = TODAY, **prefs: object) -> list[tuple[str, str, date]]:
    return [r.key for r in derive_reminders(contracts, today, ReminderPrefs(**prefs)).reminders]  # type: ignore[arg-type]


def test_every_kind_cites_a_catalogue_rule() -> None:
    catalogue = load_catalogue()
    assert set(RULE_OF_KIND) == ALL_KINDS
    for rule_id in RULE_OF_KIND.values():
        assert catalogue.get(rule_id).id == rule_id


def test_ask_client_after_the_users_idle_days() -> None:
    c = open_hourly("quiet", TODAY, idle=10)
    assert keys([c]) == [("quiet", "C-CLOSE-ADVICE", c.last_activity + timedelta(days=30))]
    assert keys([c], idle_days=7) == [("quiet", "C-CLOSE-ADVICE", c.last_activity + timedelta(days=7))]
    [r] = derive_reminders([c], TODAY).reminders
    assert r.kind is ReminderKind.ASK_CLIENT and r.facts["idle_days"] == 30 and r.facts["client"] == "Client quiet"


def test_no_ask_for_ended_disputed_funded_or_already_asked_contracts() -> None:
    contracts = [
        ended_days_ago("done", TODAY, 100),
        open_hourly("fight", TODAY, idle=50, disputed=True),
        funded_fixed("escrow", TODAY, idle=10),
        open_hourly("asked", TODAY, idle=40, asked=(5,)),
    ]
    found = keys(contracts)
    assert not [k for k in found if k[1] == "C-CLOSE-ADVICE"]


def test_self_close_when_asked_and_idle_the_catalogue_days() -> None:
    c = open_hourly("silent", TODAY, idle=20, asked=(5,))
    ready = c.last_activity + timedelta(days=N.self_close_idle_days)
    [r] = derive_reminders([c], TODAY).reminders
    assert (r.kind, r.rule_id, r.due_on) == (ReminderKind.SELF_CLOSE, "C-SELF-CLOSE-2MO", ready)
    assert r.facts["step"] == 1 and r.facts["steps"] == 1 and r.facts["idle_days"] == N.self_close_idle_days


def test_closings_are_staggered_by_the_plan() -> None:
    first = open_hourly("old", TODAY, idle=55, asked=(20,))  # ready in 5 days
    second = open_hourly("newer", TODAY, idle=50, asked=(20,))  # ready in 10 days: waits for its slot
    reminders = derive_reminders([first, second], TODAY).reminders
    assert [(r.contract_id, r.rule_id, r.due_on) for r in reminders] == [
        ("old", "C-SELF-CLOSE-2MO", TODAY + timedelta(days=5)),
        ("newer", "L-STAGGER", TODAY + timedelta(days=5 + N.stagger_days)),
    ]
    assert reminders[0].facts["next_contract"] == "newer" and reminders[1].facts["step"] == 2


def test_overdue_steps_come_one_at_a_time_and_re_anchor_on_the_last_closing() -> None:
    first = open_hourly("old", TODAY, idle=200, asked=(150,))
    second = open_hourly("newer", TODAY, idle=190, asked=(150,))
    # Both overdue: only the first step is due now; the second waits for the first closing.
    assert keys([first, second]) == [("old", "C-SELF-CLOSE-2MO", first.last_activity + timedelta(days=60))]
    closed = Contract.model_validate({**first.model_dump(), "status": "ended", "ended": TODAY, "last_activity": TODAY})
    assert keys([closed, second], kinds=frozenset({ReminderKind.PLANNED_CLOSE, ReminderKind.SELF_CLOSE})) == [
        ("newer", "L-STAGGER", TODAY + timedelta(days=N.stagger_days))
    ]


def test_feedback_two_days_before_the_window_closes_and_never_after() -> None:
    c = ended_days_ago("late", TODAY, 5, stars=None)
    deadline = c.ended + timedelta(days=N.feedback_days)  # type: ignore[operator]
    [r] = derive_reminders([c], TODAY).reminders
    assert (r.rule_id, r.due_on) == ("FB-14DAYS", deadline - timedelta(days=FEEDBACK_NOTICE_DAYS))
    assert r.facts["deadline"] == deadline.isoformat()
    assert keys([c], deadline) != [] and keys([c], deadline + timedelta(days=1)) == []
    assert keys([ended_days_ago("rated", TODAY, 5, stars=4.0)]) == []


def test_dormancy_on_the_catalogue_days_each_replacing_the_previous() -> None:
    c = funded_fixed("fp", TODAY, idle=10)
    days = (*N.dormant_warning_days, N.dormant_day)
    dues = [c.last_activity + timedelta(days=d) for d in days]
    assert keys([c]) == [("fp", "C-FP-DORMANT", d) for d in dues]
    assert keys([c], dues[1] + timedelta(days=1)) == [("fp", "C-FP-DORMANT", d) for d in dues[1:]]
    release_by = c.last_activity + timedelta(days=N.dormant_day + N.dormant_client_days + N.dormant_freelancer_days)
    assert keys([c], release_by - timedelta(days=1)) == [("fp", "C-FP-DORMANT", dues[-1])]
    assert keys([c], release_by) == []
    submitted = funded_fixed("sub", TODAY, idle=10, milestone_submitted=TODAY - timedelta(days=2))
    assert keys([submitted]) == []


def test_top_rated_at_risk_keeps_its_date_while_the_risk_lasts() -> None:
    contracts = top_rated_at_risk(TODAY)
    found = [derive_reminders(contracts, TODAY + timedelta(days=k)).reminders for k in (0, 3, 9)]
    for reminders in found:
        [r] = [r for r in reminders if r.kind is ReminderKind.TOP_RATED]
        assert (r.contract_id, r.rule_id, r.due_on) == (WHOLE_LEDGER, "B-TR-WEEKS", TODAY - timedelta(days=3))
        assert r.facts["jss"] < N.tr_min_jss and r.facts["eligible_weeks"] >= N.tr_eligible_weeks
    before = derive_reminders(contracts, TODAY - timedelta(days=5)).reminders
    assert not [r for r in before if r.kind is ReminderKind.TOP_RATED]


def test_kinds_switched_off_are_not_derived() -> None:
    contracts = [open_hourly("quiet", TODAY, idle=10), funded_fixed("fp", TODAY, idle=10)]
    only = ReminderPrefs(kinds=frozenset({ReminderKind.DORMANCY}))
    assert {r.kind for r in derive_reminders(contracts, TODAY, only).reminders} == {ReminderKind.DORMANCY}
    assert derive_reminders(contracts, TODAY, ReminderPrefs(kinds=frozenset())).reminders == ()


def test_recheck_is_the_next_expiry_or_the_safety_interval() -> None:
    c = funded_fixed("fp", TODAY, idle=70)  # the day-76 warning expires when day 83 is due, in 13 days
    result = derive_reminders([c], TODAY, ReminderPrefs(kinds=frozenset({ReminderKind.DORMANCY})))
    assert result.recheck_on == c.last_activity + timedelta(days=N.dormant_warning_days[1])
    ask_only = ReminderPrefs(kinds=frozenset({ReminderKind.ASK_CLIENT}))
    quiet = derive_reminders([open_hourly("q", TODAY, 3)], TODAY, ask_only)
    assert quiet.recheck_on == TODAY + timedelta(days=rules.SAFETY_RECHECK_DAYS)


def test_numbers_come_from_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = dataclasses.replace(
        N, dormant_warning_days=(70,), dormant_day=80, self_close_idle_days=45, feedback_days=10
    )
    monkeypatch.setattr(rules, "rule_numbers", lambda: changed)
    fp, asked = funded_fixed("fp", TODAY, 5), open_hourly("a", TODAY, 20, asked=(3,))
    done = ended_days_ago("e", TODAY, 1, stars=None)
    found = {r.contract_id: r.due_on for r in derive_reminders([fp, asked], TODAY).reminders if r.contract_id != "fp"}
    assert found == {"a": asked.last_activity + timedelta(days=45)}
    assert [k[2] for k in keys([fp])] == [fp.last_activity + timedelta(days=70), fp.last_activity + timedelta(days=80)]
    assert keys([done]) == [("e", "FB-14DAYS", done.ended + timedelta(days=10 - FEEDBACK_NOTICE_DAYS))]  # type: ignore[operator]


def test_an_unchanged_ledger_keeps_its_upcoming_reminders_day_after_day() -> None:
    """Deriving again tomorrow never re-dates a reminder that is still ahead (no queue churn, no repeats)."""
    rng = random.Random(5)
    for _ in range(8):
        contracts = []
        for i in range(rng.randrange(3, 9)):
            idle = rng.randrange(0, 120)
            pick = rng.random()
            if pick < 0.4:
                asked = (rng.randrange(0, idle + 1),) if rng.random() < 0.4 else ()
                contracts.append(open_hourly(f"h{i}", TODAY, idle, asked=asked))
            elif pick < 0.6:
                contracts.append(funded_fixed(f"f{i}", TODAY, idle))
            else:
                contracts.append(ended_days_ago(f"e{i}", TODAY, idle, stars=rng.choice([None, 5.0, 2.0])))
        day = TODAY
        previous = derive_reminders(contracts, day)
        for _ in range(45):
            day += timedelta(days=1)
            current = derive_reminders(contracts, day)
            ahead = {r.key for r in previous.reminders if r.due_on >= day}
            assert ahead <= {r.key for r in current.reminders} | _expired(previous, day), (day, contracts)
            previous = current


def _expired(derivation: rules.Derivation, day: date) -> set[tuple[str, str, date]]:
    """Keys a later day may legitimately drop: a dormancy step once the next one is due."""
    out = set()
    for r in derivation.reminders:
        if r.kind is ReminderKind.DORMANCY and r.due_on < day + timedelta(days=1):
            out.add(r.key)
    return out


def test_parse_kinds() -> None:
    assert parse_kinds(["feedback, top-rated"]) == {ReminderKind.FEEDBACK, ReminderKind.TOP_RATED}
    assert parse_kinds(["all"]) == ALL_KINDS
    with pytest.raises(ValueError, match="use one of"):
        parse_kinds(["nope"])
