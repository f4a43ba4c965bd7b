"""Scoring fewer horizons gives the same numbers for those horizons, and advice the same verdict.

Why it matters: the bot's advice answer shows "now / in 6 months" only and asks the engine for those two
horizons (`ADVICE_HORIZONS`); these properties are what makes that a pure saving of engine time.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import advise, what_if
from scoring.model import Ledger
from scoring.whatif import HORIZONS_MONTHS
from tests.scoring.test_properties import AS_OF, examples, ledgers

SOME = st.lists(st.sampled_from(HORIZONS_MONTHS), min_size=1, max_size=3, unique=True)


@examples(60)
@given(ledgers(min_size=1, max_size=10), st.data(), SOME, st.booleans())
def test_what_if_on_some_horizons_equals_all_of_them_there(
    ledger: Ledger, data: st.DataObject, months: list[int], ranges: bool
) -> None:
    target = data.draw(st.sampled_from([c.id for c in ledger.contracts]))
    full = what_if(ledger.contracts, target, AS_OF, ranges=ranges)
    some = what_if(ledger.contracts, target, AS_OF, ranges=ranges, horizons=months)
    assert [s.scenario for s in some.scenarios] == [s.scenario for s in full.scenarios]
    for a, b in zip(some.scenarios, full.scenarios, strict=True):
        assert (a.applicable, a.effective, a.money_at_risk_usd, a.rules, a.note) == (
            b.applicable,
            b.effective,
            b.money_at_risk_usd,
            b.rules,
            b.note,
        )
        assert sorted(a.points) == sorted(months)
        assert a.points == {m: b.points[m] for m in months}
        assert a.low == {m: b.low[m] for m in months}
        assert a.high == {m: b.high[m] for m in months}


@examples(60)
@given(ledgers(min_size=1, max_size=10), st.data(), SOME)
def test_advice_on_some_horizons_is_the_same_advice(ledger: Ledger, data: st.DataObject, months: list[int]) -> None:
    target = data.draw(st.sampled_from([c.id for c in ledger.contracts]))
    full = advise(ledger.contracts, target, AS_OF)
    some = advise(ledger.contracts, target, AS_OF, horizons=months)
    assert (some.verdict, some.reason, some.rules, some.revisit, some.stale_others) == (
        full.verdict,
        full.reason,
        full.rules,
        full.revisit,
        full.stale_others,
    )
    if full.whatif is None:
        assert some.whatif is None
        return
    assert some.whatif is not None
    shown = sorted({0, *months})  # month 0 decides the verdict: always scored
    for a, b in zip(some.whatif.scenarios, full.whatif.scenarios, strict=True):
        assert a.points == {m: b.points[m] for m in shown}
