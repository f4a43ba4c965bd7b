"""Catching the matplotlib figures the chart code saves, for tests that measure what was drawn."""

from __future__ import annotations

from typing import Any

import pytest
from matplotlib.figure import Figure


def capture_saved_figures(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """Every figure saved from now on (still written as usual), in order."""
    saved: list[Figure] = []
    real_savefig = Figure.savefig

    def capture(self: Figure, *args: Any, **kwargs: Any) -> None:
        saved.append(self)
        real_savefig(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", capture)
    return saved
