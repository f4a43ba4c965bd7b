"""Advice that sees the client and the money: flagged clients, $0 contracts never started, holds.

Each case was a blind spot on held-out questions (issue "Questions answered like a forum regular", part 4).
"""

from __future__ import annotations

from datetime import date

import pytest

from scoring.engine import Verdict
from tests.builders import days, ended, open_contract

from .test_advice import AS_OF, ask, happy

# --- (1) the client was flagged or suspended by Upwork: asking it is pointless --------------------------


@pytest.mark.parametrize("status", ["active", "paused", "on_hold"])
@pytest.mark.parametrize("requests", [0, 1])
def test_flagged_client_close_it_yourself(status: str, requests: int) -> None:
    x = open_contract(
        "x",
        started=date(2025, 1, 1),
        last_payment=date(2025, 4, 1),
        earnings=300,
        status=status,
        flagged=True,
        requests=[date(2025, 5, 1)][:requests],
    )
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.CLOSE_NOW
    assert advice.reason == "flagged_client"
    assert advice.rules[0] == "X-FLAGGED-CLIENT"
    assert "C-FL-CAN-END" in advice.rules
    assert ("C-PAUSED-JSS" in advice.rules) is (status != "active")
    assert advice.revisit == AS_OF + days(14)  # the feedback window after closing


def test_flagged_client_recently_paid_still_close_no_long_term_wait() -> None:
    # Paid 20 days ago: without the flag this is "keep it open" (or, stale, "wait for the credit to lapse").
    x = open_contract("x", started=date(2024, 6, 1), last_payment=AS_OF - days(20), earnings=3000, flagged=True)
    advice = ask([ended("bad", AS_OF - days(25), stars=2.0), *happy(2), x], "x")
    assert advice.verdict is Verdict.CLOSE_NOW
    assert advice.rules[0] == "X-FLAGGED-CLIENT"


@pytest.mark.parametrize("submitted", [None, date(2025, 5, 25)])
def test_flagged_client_with_escrow_never_close_now(submitted: date | None) -> None:
    f = open_contract(
        "f",
        kind="fixed",
        started=date(2025, 3, 1),
        last_activity=date(2025, 4, 1),
        escrow=600,
        flagged=True,
        submitted=submitted,
    )
    advice = ask([*happy(), f], "f")
    assert advice.verdict is Verdict.WAIT
    assert advice.reason == "flagged_escrow"
    assert advice.rules[:2] == ("X-FLAGGED-CLIENT", "C-FL-CAN-END")
    if submitted is not None:
        assert advice.revisit == submitted + days(14)  # C-FP-AUTO-RELEASE


def test_flagged_client_dispute_still_waits_for_the_dispute() -> None:
    d = open_contract(
        "d", started=date(2025, 1, 1), last_payment=date(2025, 2, 1), earnings=800, disputed=True, flagged=True
    )
    assert ask([*happy(), d], "d").rules[0] == "X-DISPUTE"


# --- (2) a $0 contract the client never started, already asked to close ---------------------------------


@pytest.mark.parametrize("age", [3, 20, 29])
@pytest.mark.parametrize("kind", ["hourly", "fixed"])
def test_zero_contract_never_started_asked_close_now(age: int, kind: str) -> None:
    x = open_contract("x", kind=kind, started=AS_OF - days(age), requests=[AS_OF - days(1)])
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.CLOSE_NOW
    assert advice.reason == "never_started"
    assert advice.rules[0] == "X-NO-FEEDBACK"
    assert {"X-ZERO-POSITIVE", "X-ZERO-NEGATIVE"} <= set(advice.rules)
    assert advice.revisit == AS_OF + days(14)


def test_zero_contract_never_started_not_asked_is_not_closed_silently() -> None:
    x = open_contract("x", started=AS_OF - days(10))
    assert ask([*happy(), x], "x").verdict is not Verdict.CLOSE_NOW


@pytest.mark.parametrize(
    "fields",
    [
        {"escrow": 300, "kind": "fixed"},  # a funded milestone: ending returns it to the client
        {"last_activity": AS_OF - days(5)},  # work happened after the start
        {"earnings": 50, "last_payment": AS_OF - days(5)},  # it paid
    ],
)
def test_started_or_funded_contract_is_not_never_started(fields: dict[str, object]) -> None:
    x = open_contract("x", started=AS_OF - days(20), requests=[AS_OF - days(1)], **fields)  # type: ignore[arg-type]
    advice = ask([*happy(), x], "x")
    assert advice.reason != "never_started"


# --- (3) on hold: Upwork holds it until a problem is fixed ----------------------------------------------


def test_recent_contract_on_hold_is_not_just_active() -> None:
    x = open_contract("x", started=date(2025, 3, 1), last_payment=AS_OF - days(10), earnings=400, status="on_hold")
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.WAIT
    assert advice.reason == "on_hold"
    assert advice.rules[:2] == ("C-STATUSES", "C-PAUSED-JSS")
    assert advice.revisit == AS_OF - days(10) + days(30)  # then it is stale and the usual advice applies


def test_stale_contract_on_hold_follows_the_usual_advice_and_cites_the_hold() -> None:
    x = open_contract(
        "x",
        started=date(2025, 1, 1),
        last_payment=date(2025, 3, 1),
        earnings=300,
        status="on_hold",
        requests=[date(2025, 4, 15), date(2025, 5, 10)],
    )
    advice = ask([*happy(), x], "x")
    assert advice.verdict is Verdict.CLOSE_NOW
    assert advice.rules[0] == "C-SELF-CLOSE-2MO"
    assert "C-PAUSED-JSS" in advice.rules
