"""Projection chart: the score per window over time, the 90% Top Rated line and the dated events.

Headless (Agg) so it runs on servers and in CI; returns PNG bytes for the console to save and the bot
to attach. matplotlib is imported when the first chart is drawn, not with this module: it takes longer
to load than a `score` or `advise` answer takes to compute, and only projections with a plot need it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache
from types import ModuleType

from scoring.projection import Projection
from scoring.rulebook import rule_numbers
from scoring.uncertainty import ProjectionBand
from scoring.windows import TRENDING


@cache
def _matplotlib() -> tuple[ModuleType, ModuleType]:
    """(matplotlib.pyplot, matplotlib.dates), on the headless Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    return plt, mdates


def projection_png(
    projection: Projection, names: Mapping[str, str] | None = None, band: ProjectionBand | None = None
) -> bytes:
    """The likely score is the line drawn; the best-worst band (unknown feedback) is shaded around it."""
    plt, mdates = _matplotlib()
    names = names or {}
    points = list(projection.points)
    # Plain numbers on a date axis: an explicit range keeps an empty chart (no score yet) drawable.
    days = [float(mdates.date2num(p.day)) for p in points]
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
    try:
        labels = [*(f"{m}m" for m in rule_numbers().window_months), TRENDING]
        for label in labels:
            values = [p.window_scores().get(label) for p in points]
            if any(v is not None for v in values):
                ax.step(
                    days,
                    [float("nan") if v is None else v for v in values],
                    where="post",
                    label=label,
                    linewidth=1,
                    alpha=0.6,
                )
        if band is not None:
            low = [float("nan") if v is None else v for v in band.low]
            high = [float("nan") if v is None else v for v in band.high]
            ax.fill_between(days, low, high, step="post", color="grey", alpha=0.2, label="best-worst range")
        shown = [float("nan") if p.raw is None else p.raw for p in points]
        ax.step(days, shown, where="post", label="shown JSS (likely)", linewidth=2.4, color="black")
        ax.axhline(rule_numbers().tr_min_jss, color="tab:green", linestyle="--", linewidth=1)
        ax.text(days[0], rule_numbers().tr_min_jss + 0.8, "Top Rated 90%", color="tab:green", fontsize=8)
        for event in projection.moving_events()[:12]:
            x = float(mdates.date2num(event.day))
            ax.axvline(x, color="tab:red", alpha=0.25, linewidth=1)
            label = names.get(event.contract_id, event.contract_id)[:24].replace("$", r"\$")  # no mathtext
            ax.annotate(label, (x, 2), rotation=90, fontsize=7, color="tab:red", va="bottom")
        ax.set_ylim(0, 102)
        ax.set_xlim(days[0], max(days[-1], days[0] + 1))
        ax.xaxis_date()
        ax.set_ylabel("JSS (%)")
        ax.set_title("Projected Job Success Score if nothing else changes (model estimate)")
        ax.legend(loc="lower left", fontsize=8, ncol=3)
        ax.grid(alpha=0.2)
        fig.autofmt_xdate()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
    finally:
        plt.close(fig)
