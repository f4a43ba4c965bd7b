"""Shared fixtures of the engine tests, and the calibration table in the terminal summary."""

from __future__ import annotations

import pytest

_CALIBRATION = pytest.StashKey[list[str]]()


@pytest.fixture
def calibration_report(request: pytest.FixtureRequest) -> list[str]:
    """Lines appended here are printed in pytest's terminal summary (visible without -s)."""
    return request.config.stash.setdefault(_CALIBRATION, [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(_CALIBRATION, [])
    if lines:
        terminalreporter.section("JSS model calibration against forum data points (L-*)")
        for line in lines:
            terminalreporter.write_line(line)
