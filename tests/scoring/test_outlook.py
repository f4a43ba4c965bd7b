"""One contract's changes soon (`contract_changes`, what /advise shows) are exactly the whole ledger's
projection filtered to that contract: same events, same order, same scores before and after; and advice
from segments derived once for both is the same advice.

Why it matters: /advise computes both on every first question, and scoring only around one contract's
changes instead of around every contract's, from segments derived once, is a pure saving of engine time.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import advise, project
from scoring.model import Ledger
from scoring.outlook import contract_changes
from scoring.params import DEFAULT_PARAMS, Cadence, ModelParams
from scoring.score import all_segments
from scoring.whatif import HORIZONS_MONTHS
from tests.samples import FREELANCER
from tests.scoring.test_properties import AS_OF, examples, ledgers


def _filtered(ledger: Ledger, contract_id: str, as_of: date, params: ModelParams, months: int) -> tuple[object, ...]:
    projection = project(ledger.contracts, as_of, params, months=months)
    return tuple(e for e in projection.moving_events() if e.contract_id == contract_id)


@examples(80)
@given(ledgers(min_size=1, max_size=12), st.data(), st.sampled_from(list(Cadence)), st.sampled_from([1, 2, 6]))
def test_one_contracts_changes_are_the_projections_filtered(
    ledger: Ledger, data: st.DataObject, cadence: Cadence, months: int
) -> None:
    params = ModelParams(cadence=cadence)
    for contract in ledger.contracts:
        assert contract_changes(ledger.contracts, contract.id, AS_OF, params, months) == _filtered(
            ledger, contract.id, AS_OF, params, months
        )


def test_on_a_sample_ledger_every_contract_and_cadence() -> None:
    ledger = Ledger.model_validate_json(FREELANCER.read_bytes())
    for cadence in Cadence:
        params = ModelParams(cadence=cadence)
        for as_of in (AS_OF, date(2026, 3, 2)):
            found = 0
            for contract in ledger.contracts:
                changes = contract_changes(ledger.contracts, contract.id, as_of, params, 2)
                assert changes == _filtered(ledger, contract.id, as_of, params, 2)
                found += len(changes)
            assert found or not project(ledger.contracts, as_of, params, months=2).moving_events()


@examples(60)
@given(ledgers(min_size=1, max_size=10), st.sampled_from([(0, 6), HORIZONS_MONTHS]))
def test_advice_from_shared_segments_is_the_same_advice(ledger: Ledger, horizons: tuple[int, ...]) -> None:
    """/advise derives every contract's segments once for its outlook and its what-if: the advice (what-if
    numbers included) is the one derived from scratch."""
    segments = all_segments(ledger.contracts, DEFAULT_PARAMS, AS_OF)
    for contract in ledger.contracts:
        shared = advise(ledger.contracts, contract.id, AS_OF, horizons=horizons, segments=segments)
        assert shared == advise(ledger.contracts, contract.id, AS_OF, horizons=horizons)
