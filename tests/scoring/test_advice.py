"""Advice ("should I close it?"): the shared eval scenarios, and cases from the catalogue's questions (K)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from scoring.catalogue import cite
from scoring.engine import Advice, Scenario, Verdict, advise
from scoring.model import Contract, parse_ledger_json
from tests.builders import days, ended, open_contract

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("JSS_SHARED_DIR", REPO.parent / "shared"))
SCENARIOS = SHARED / "eval" / "scenarios"

AS_OF = date(2025, 6, 1)


def happy(n: int = 4) -> list[Contract]:
    """A settled history: n 5-star $1,200 jobs for different clients, ended early in the year."""
    return [ended(f"h{i}", date(2025, 1, 10) + days(i), earnings=1200, started=date(2024, 11, 1)) for i in range(n)]


def ask(contracts: list[Contract], target: str, as_of: date = AS_OF) -> Advice:
    advice = advise(contracts, target, as_of)
    cite(*advice.rules)  # every cited rule exists in the catalogue
    assert advice.contract_id == target and advice.as_of == as_of
    return advice


# --- the shared eval scenarios -----------------------------------------------------------------------


def _scenario_files() -> list[object]:
    if not SCENARIOS.is_dir():
        reason = (
            f"{SCENARIOS} not found: the eval scenarios come from the project's shared folder "
            "(../shared beside the repository, or set JSS_SHARED_DIR to that folder)"
        )
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="scenarios-absent")]
    files = sorted(SCENARIOS.glob("*.json"))
    if not files:
        reason = f"{SCENARIOS} holds no *.json scenario files"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="scenarios-empty")]
    return [pytest.param(f, id=f.stem) for f in files]


@pytest.mark.parametrize("path", _scenario_files())
def test_shared_eval_scenario(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    ledger = parse_ledger_json(json.dumps(case["ledger"]))
    assert ledger.as_of is not None, f"{path.name}: the scenario's ledger needs as_of"
    advice = ask(list(ledger.contracts), case["target"], ledger.as_of)
    assert advice.verdict.value in case["ok"], f"{path.name}: {advice.verdict} ({advice.reason})"
    assert set(advice.rules) & set(case["rules"]), f"{path.name}: cites {advice.rules}, wanted one of {case['rules']}"


# --- K1: the client vanished; hourly, about $300 paid -----------------------------------------------


def test_vanished_client_not_asked_yet_ask_first() -> None:
    x = open_contract("x", started=date(2025, 2, 1), last_payment=date(2025, 4, 1), earnings=300)
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.ASK_CLIENT
    assert advice.reason == "stale_not_asked"
    assert advice.rules[0] == "C-CLOSE-ADVICE"
    assert advice.revisit == AS_OF + days(14)
    assert advice.idle_days == 61 and advice.requests == 0


def test_asked_twice_idle_three_months_close_it_yourself() -> None:
    x = open_contract(
        "x",
        started=date(2025, 1, 1),
        last_payment=date(2025, 3, 1),
        earnings=300,
        requests=[date(2025, 4, 15), date(2025, 5, 10)],
    )
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.CLOSE_NOW
    assert advice.reason == "self_close"
    assert "C-SELF-CLOSE-2MO" in advice.rules
    assert advice.revisit == AS_OF + days(14)  # after closing: look again when the feedback window is over
    assert advice.last_request == date(2025, 5, 10)


def test_asked_recently_idle_six_weeks_wait_for_two_months() -> None:
    last = AS_OF - days(45)
    x = open_contract("x", started=date(2025, 1, 1), last_payment=last, earnings=300, requests=[AS_OF - days(5)])
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.WAIT
    assert advice.reason == "asked_recently"
    assert "C-SELF-CLOSE-2MO" in advice.rules
    assert advice.revisit == last + days(60)


def test_asked_a_while_ago_idle_six_weeks_ask_again() -> None:
    last = AS_OF - days(45)
    x = open_contract("x", started=date(2025, 1, 1), last_payment=last, earnings=300, requests=[AS_OF - days(20)])
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.ASK_CLIENT
    assert advice.reason == "ask_again"
    assert advice.revisit == last + days(60)


def test_other_stale_contracts_add_the_stagger_advice() -> None:
    x = open_contract(
        "x", started=date(2025, 1, 1), last_payment=date(2025, 3, 1), earnings=300, requests=[date(2025, 4, 15)]
    )
    y = open_contract("y", started=date(2024, 6, 1), last_payment=date(2024, 12, 1), earnings=300)
    z = open_contract("z", started=date(2024, 6, 1), last_payment=date(2025, 2, 1), earnings=300)
    advice = ask([*happy(), x, y, z], "x")
    assert advice.verdict is Verdict.CLOSE_NOW
    assert advice.rules[-1] == "L-STAGGER"
    assert advice.stale_others == ("y", "z")  # oldest activity first


# --- K2: a $0 contract that never started -------------------------------------------------------------


def test_zero_contract_never_started_asked_once_close_now() -> None:
    x = open_contract("x", started=date(2025, 4, 1), requests=[date(2025, 5, 25)])
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.CLOSE_NOW
    assert advice.reason == "self_close_unpaid"
    assert {"X-ZERO-POSITIVE", "X-ZERO-NEGATIVE", "X-NO-FEEDBACK"} <= set(advice.rules)
    assert advice.revisit == AS_OF + days(14)


def test_zero_contract_not_asked_ask_first() -> None:
    x = open_contract("x", started=date(2025, 4, 1))
    assert ask([*happy(), x], "x").verdict is Verdict.ASK_CLIENT


# --- K7: fixed price, money in escrow -----------------------------------------------------------------


def test_submitted_milestone_wait_for_auto_release() -> None:
    submitted = date(2025, 5, 25)
    f = open_contract(
        "f", kind="fixed", started=date(2025, 3, 1), last_activity=submitted, escrow=600, submitted=submitted
    )
    advice = ask([*happy(), f], "f")
    assert advice.verdict is Verdict.WAIT
    assert advice.reason == "escrow_submitted"
    assert advice.rules[0] == "C-FP-AUTO-RELEASE"
    assert advice.revisit == submitted + days(14)
    assert advice.escrow_usd == 600


def test_silent_escrow_client_ask_and_watch_the_dormancy_clock() -> None:
    last = date(2025, 4, 1)  # 2 months of silence
    f = open_contract("f", kind="fixed", started=date(2025, 3, 1), last_activity=last, escrow=600)
    advice = ask([*happy(), f], "f")
    assert advice.verdict is Verdict.ASK_CLIENT
    assert {"C-FP-DORMANT", "C-FL-CAN-END"} <= set(advice.rules)
    assert advice.revisit == last + days(76)  # the first dormancy warning


def test_silent_escrow_client_asked_recently_wait_for_the_warning() -> None:
    last = date(2025, 4, 1)
    f = open_contract(
        "f", kind="fixed", started=date(2025, 3, 1), last_activity=last, escrow=600, requests=[AS_OF - days(3)]
    )
    advice = ask([*happy(), f], "f")
    assert advice.verdict is Verdict.WAIT
    assert advice.rules[0] == "C-FP-DORMANT"
    assert advice.revisit == last + days(76)


@pytest.mark.parametrize("idle", [31, 61, 100, 200, 400])
@pytest.mark.parametrize("requests", [0, 1, 3])
@pytest.mark.parametrize("submitted", [False, True])
def test_funded_escrow_is_never_close_now(idle: int, requests: int, submitted: bool) -> None:
    last = AS_OF - days(idle)
    f = open_contract(
        "f",
        kind="fixed",
        started=last - days(30),
        last_activity=last,
        escrow=900,
        requests=[last + days(1 + 7 * k) for k in range(requests)],
        submitted=last if submitted else None,
    )
    advice = ask([*happy(), f], "f")
    assert advice.verdict is not Verdict.CLOSE_NOW


# --- keep open / ended ------------------------------------------------------------------------------


def test_steady_paid_monthly_keep_open() -> None:
    s = open_contract("s", started=date(2024, 9, 1), last_payment=date(2025, 5, 28), earnings=5400)
    advice = ask([*happy(), s], "s")
    assert advice.verdict is Verdict.KEEP_OPEN
    assert advice.reason == "long_term_active"
    assert advice.rules[:2] == ("WT-LONG-TERM", "E-CURRENT")
    assert advice.revisit == date(2025, 5, 28) + days(30)


def test_new_active_contract_keep_open() -> None:
    s = open_contract("s", started=AS_OF - days(20), last_activity=AS_OF - days(2))
    advice = ask([*happy(), s], "s")
    assert advice.verdict is Verdict.KEEP_OPEN and advice.reason == "active"


def test_ended_without_feedback_wait_for_the_feedback_window() -> None:
    end = AS_OF - days(5)
    e = ended("e", end, stars=None)
    advice = ask([*happy(), e], "e")
    assert advice.verdict is Verdict.WAIT
    assert advice.rules[0] == "FB-14DAYS"
    assert advice.revisit == end + days(14)
    assert advice.whatif is None


def test_ended_long_ago_nothing_to_do() -> None:
    advice = ask([*happy(), ended("e", AS_OF - days(30), stars=None)], "e")
    assert advice.verdict is Verdict.KEEP_OPEN and advice.reason == "already_ended"


def test_open_dispute_wait() -> None:
    d = open_contract(
        "d",
        started=date(2025, 1, 1),
        last_payment=date(2025, 2, 1),
        earnings=800,
        disputed=True,
        requests=[date(2025, 3, 1), date(2025, 4, 1)],
    )
    advice = ask([*happy(), d], "d")
    assert advice.verdict is Verdict.WAIT
    assert advice.rules[0] == "X-DISPUTE"


# --- the numbers override the rule: a paid long-term contract still counting good ---------------------


def test_wait_while_the_long_term_credit_lasts() -> None:
    last_payment = date(2025, 3, 15)  # 78 days idle: past the 2 months of C-SELF-CLOSE-2MO
    target = open_contract(
        "lt",
        started=date(2024, 6, 1),
        last_payment=last_payment,
        earnings=3000,
        requests=[date(2025, 4, 20), date(2025, 5, 15)],
    )
    contracts = [
        *[ended(f"g{i}", AS_OF - days(20 + i)) for i in range(3)],
        ended("bad", AS_OF - days(25), stars=2.0),
        target,
    ]
    advice = ask(contracts, "lt")
    assert advice.verdict is Verdict.WAIT
    assert advice.reason == "wait_long_term_credit"
    assert advice.rules[0] == "E-CURRENT"
    assert advice.revisit == last_payment + days(90)
    assert advice.whatif is not None
    cost = advice.whatif.delta(Scenario.CLOSE_NO_FEEDBACK, 0)
    assert cost is not None and cost <= -1.0
    # On the revisit day the credit is used up: close then.
    later = ask(contracts, "lt", advice.revisit)
    assert later.verdict is Verdict.CLOSE_NOW


def test_closing_that_costs_nothing_stays_close_now() -> None:
    # Same contract in an all-good ledger: closing changes nothing (100 either way).
    target = open_contract(
        "lt",
        started=date(2024, 6, 1),
        last_payment=date(2025, 3, 15),
        earnings=3000,
        requests=[date(2025, 4, 20), date(2025, 5, 15)],
    )
    assert ask([*happy(), target], "lt").verdict is Verdict.CLOSE_NOW


def test_unknown_contract() -> None:
    with pytest.raises(KeyError):
        advise(happy(), "nope", AS_OF)
