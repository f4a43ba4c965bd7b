"""The JSS rules of a date: one table of eras, each tied to the timeline rule that opened it.

Upwork changed what counts several times (the T-* timeline). A ledger asked about "as of 2019-06-01" must
be scored with 2019's rules, so every rule that changed is a field of `Era`, and `era_of(day)` picks the
row in force. The dates and the published numbers come from the rules catalogue (rules.toml), read once;
nothing here is an if-chain on dates elsewhere in the engine: code asks the era.

What changed, by era (catalogue ids):
  T-2015-LAUNCH       every outcome weighs the same; $0 contracts count; contracts without feedback count
                      (X-NO-FEEDBACK, legacy wording); 3 clients needed (E-HISTORY); updates every other Sunday.
  T-2020-03-SIZE      outcomes weighted by earnings (WT-LEGACY-SIZE, modelled by today's tiers); $0 with
                      positive feedback excluded (X-ZERO-POSITIVE).
  T-2020-11-NOFB      contracts without feedback excluded (X-NO-FEEDBACK); 4 contracts with 2 clients (E-HISTORY).
  T-2023-12           2 jobs with 2 clients (E-CURRENT); more emphasis on public feedback (F-PUBLIC-EMPHASIS).
  T-2024-09-INSIGHTS  daily updates (W-CADENCE-CURRENT).
Private ratings are per contract, not per era: a contract closed before T-FORM-CHANGE may carry one, a
later one has public stars only (ModelParams.private_feedback_until, the change's date being UNKNOWN).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cache

from .catalogue import load_catalogue
from .params import Cadence


@dataclass(frozen=True, slots=True)
class Era:
    """The rules in force from `since` until the next era begins."""

    rule: str  # the timeline rule (T-*) that opened the era; answers cite it
    since: date
    earnings_weighted: bool  # T-2020-03-SIZE: earnings tiers weigh outcomes (before: every job weighs 1)
    zero_positive_counts: bool  # X-ZERO-POSITIVE: before T-2020-03-SIZE a $0 job with good feedback counted
    no_feedback_counts: bool  # X-NO-FEEDBACK: before T-2020-11-NOFB a job without feedback counted
    min_jobs: int  # E-CURRENT / E-HISTORY: eligible jobs needed within 24 months
    min_clients: int  # E-CURRENT / E-HISTORY / T-2020-11-NOFB: distinct clients needed
    cadence: Cadence  # W-CADENCE-LEGACY until T-2024-09-INSIGHTS, then W-CADENCE-CURRENT
    rules: tuple[str, ...]  # the rules that describe this era's differences, for citations


@cache
def eras() -> tuple[Era, ...]:
    """Every era, oldest first, with its dates and numbers from the catalogue."""
    cat = load_catalogue()

    def since(rule_id: str) -> date:
        day = cat.get(rule_id).since
        assert day is not None, f"{rule_id} has no 'since' date in rules.toml"
        return day

    nofb, history, current = cat.get("T-2020-11-NOFB"), cat.get("E-HISTORY"), cat.get("E-CURRENT")
    clients_before = nofb.number_int("min_clients_before")
    clients_after = nofb.number_int("min_clients_after")
    contracts_2020_2023 = history.number_int("min_contracts_2020_11_to_2023_12")
    legacy = ("X-NO-FEEDBACK", "X-ZERO-POSITIVE", "E-HISTORY", "W-CADENCE-LEGACY")
    return (
        Era(
            "T-2015-LAUNCH",
            since("T-2015-LAUNCH"),
            earnings_weighted=False,
            zero_positive_counts=True,
            no_feedback_counts=True,
            min_jobs=clients_before,  # "3 or more clients": at least as many jobs (UNKNOWN beyond that)
            min_clients=clients_before,
            cadence=Cadence.BIWEEKLY_SUNDAY,
            rules=("T-2015-LAUNCH", *legacy),
        ),
        Era(
            "T-2020-03-SIZE",
            since("T-2020-03-SIZE"),
            earnings_weighted=True,
            zero_positive_counts=False,
            no_feedback_counts=True,
            min_jobs=clients_before,
            min_clients=clients_before,
            cadence=Cadence.BIWEEKLY_SUNDAY,
            rules=("T-2020-03-SIZE", "WT-LEGACY-SIZE", "X-NO-FEEDBACK", "E-HISTORY", "W-CADENCE-LEGACY"),
        ),
        Era(
            "T-2020-11-NOFB",
            since("T-2020-11-NOFB"),
            earnings_weighted=True,
            zero_positive_counts=False,
            no_feedback_counts=False,
            min_jobs=contracts_2020_2023,
            min_clients=clients_after,
            cadence=Cadence.BIWEEKLY_SUNDAY,
            rules=("T-2020-11-NOFB", "E-HISTORY", "W-CADENCE-LEGACY"),
        ),
        Era(
            "T-2023-12",
            since("T-2023-12"),
            earnings_weighted=True,
            zero_positive_counts=False,
            no_feedback_counts=False,
            min_jobs=current.number_int("min_jobs"),
            min_clients=current.number_int("min_clients"),
            cadence=Cadence.BIWEEKLY_SUNDAY,
            rules=("T-2023-12", "E-CURRENT", "W-CADENCE-LEGACY"),
        ),
        Era(
            "T-2024-09-INSIGHTS",
            since("T-2024-09-INSIGHTS"),
            earnings_weighted=True,
            zero_positive_counts=False,
            no_feedback_counts=False,
            min_jobs=current.number_int("min_jobs"),
            min_clients=current.number_int("min_clients"),
            cadence=Cadence.DAILY,
            rules=("T-2024-09-INSIGHTS", "E-CURRENT", "W-CADENCE-CURRENT"),
        ),
    )


CURRENT_ERA_RULE = "T-2024-09-INSIGHTS"


def era_of(day: date | None) -> Era:
    """The era in force on `day`: today's rules for None, the first era's for days before the JSS existed."""
    table = eras()
    if day is None:
        return table[-1]
    index = bisect_right(_starts(), day) - 1
    return table[max(index, 0)]


@cache
def _starts() -> tuple[date, ...]:
    """Each era's first day, oldest first: `era_of` runs once per contract and per projected day."""
    return tuple(e.since for e in eras())
