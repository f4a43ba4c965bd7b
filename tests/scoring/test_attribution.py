"""Drop attribution: points per cause add up to the modelled change; the residue stands apart."""

from __future__ import annotations

import pytest

from scoring.attribution import CauseKind, attribute
from scoring.engine import score
from tests.builders import D, ended


def twelve_contract_ledger() -> list:
    """Twelve clients over two years: eleven good jobs and one poorly rated one in September 2025."""
    spec = [
        ("2024-03-01", "800"),
        ("2024-04-10", "300"),
        ("2024-06-15", "1500"),
        ("2024-08-20", "200"),
        ("2024-11-01", "600"),
        ("2024-12-15", "2500"),
        ("2025-03-01", "400"),
        ("2025-05-20", "900"),
        ("2025-08-01", "150"),
        ("2025-10-01", "1200"),
        ("2025-10-20", "350"),
    ]
    contracts = [
        ended(f"c{i}", D(day), client=f"Client {i}", earnings=usd, started=D(day).replace(day=1))
        for i, (day, usd) in enumerate(spec)
    ]
    contracts.append(
        ended("poor", D("2025-09-10"), client="Client P", earnings="700", stars=2.0, started=D("2025-07-01"))
    )
    return contracts


def test_recorded_drop_100_to_89_is_attributed_and_adds_up() -> None:
    contracts = twelve_contract_ledger()
    start, end = D("2025-09-01"), D("2025-12-01")
    result = attribute(contracts, start, end, reported=(100, 89))
    assert result.modelled_start.raw == pytest.approx(score(contracts, start).raw)
    assert result.modelled_end.raw == pytest.approx(score(contracts, end).raw)
    total = sum(c.points for c in result.causes)
    assert total == pytest.approx(result.modelled_change)  # the parts add up exactly
    assert result.residue == pytest.approx(result.reported_change - result.modelled_change)  # shown apart
    biggest = min(result.causes, key=lambda c: c.points)
    assert biggest.contract_id == "poor" and biggest.kind is CauseKind.NEW_OUTCOME
    assert biggest.shown_before != biggest.shown_after  # the bad job made another window the best one
    assert "F-PUBLIC-EMPHASIS" in biggest.rules and "W-AGE-OUT" in result.rules
    print("\ncause                      points")
    for c in result.causes:
        print(f"{c.day} {c.contract_id:8} {c.kind.value:16} {c.points:+6.2f}")
    print(
        f"modelled {result.modelled_change:+.2f}, reported {result.reported_change:+d}, residue {result.residue:+.2f}"
    )


def test_age_out_is_a_cause_with_its_window() -> None:
    contracts = [
        ended("old-bad", D("2025-01-10"), client="X", stars=1.0, earnings="900"),
        *(ended(f"g{i}", D("2025-03-01"), client=f"C{i}") for i in range(4)),
    ]
    result = attribute(contracts, D("2026-01-01"), D("2026-02-01"))
    [cause] = [c for c in result.causes if c.contract_id == "old-bad"]
    assert cause.kind is CauseKind.LEFT_WINDOW and cause.window == "12m" and cause.points > 0
    assert cause.day == D("2026-01-11") and cause.rules == ("W-AGE-OUT",)
    assert sum(c.points for c in result.causes) == pytest.approx(result.modelled_change)


def test_unexplained_drop_names_the_private_feedback_suspect() -> None:
    # Public 5 stars everywhere, ended before the feedback form lost its private rating: a drop the
    # ledger cannot explain fits one big contract with poor private feedback.
    contracts = [ended(f"g{i}", D("2025-02-01"), client=f"C{i}", earnings="400") for i in range(6)]
    contracts.append(ended("big", D("2025-03-01"), client="Big", earnings="5000", started=D("2024-06-01")))
    result = attribute(contracts, D("2025-03-02"), D("2025-04-01"), reported=(100, 45))
    assert result.residue is not None and result.residue <= -25
    assert result.suspect is not None and result.suspect.contract_id == "big"
    assert result.suspect.rule == "F-PRIVATE-FB" and "F-PRIVATE-FB" in result.rules


def test_nothing_changed_means_no_causes() -> None:
    contracts = [ended(f"g{i}", D("2025-06-01"), client=f"C{i}") for i in range(3)]
    result = attribute(contracts, D("2025-06-10"), D("2025-06-20"), reported=(100, 100))
    assert result.causes == () and result.residue == 0 and result.suspect is None
