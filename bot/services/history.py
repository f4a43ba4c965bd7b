"""The scores Upwork showed the user, and why the score moved between two of them (or two days).

Recorded scores are what the user really saw; explaining a drop against them (not only against the
model) shows how much of it the ledger accounts for.
"""

from __future__ import annotations

from datetime import date

from bot.render import Answer
from scoring.attribution import attribute
from scoring.model import LedgerError

from .context import ServiceContext
from .inputs import JSS_START, as_of_range, check_day
from .lookup import display_names, ledger_as_of


class HistoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def record_score(self, user_id: str, jss: int, on: date | None = None) -> Answer:
        """Keep the JSS Upwork showed, so drops can be explained against what the user really saw."""
        on = on or self.ctx.today()
        if not 0 <= jss <= 100:
            raise self.ctx.error("bad_input", "jss_range")
        if on > self.ctx.today():
            raise self.ctx.error("bad_input", "in_future", day=on)
        if on < JSS_START:  # no JSS was shown before; and a day near date.min overflows `why` later
            raise self.ctx.error("bad_input", "day_too_early", field="on", day=on, earliest=JSS_START)
        await self.ctx.store.record_snapshot(user_id, on, jss)
        return self.ctx.render(
            "notice", {"key": "recorded", "jss": jss, "on": on}, data={"jss": jss, "on": on.isoformat()}
        )

    async def explain_change(self, user_id: str, start: date | None = None, end: date | None = None) -> Answer:
        """Why did my score move? Between two recorded scores by default, or two given days."""
        # A score recorded before JSS_START (accepted before it was checked) is left out, never computed on.
        snapshots = {day: jss for day, jss in await self.ctx.store.list_snapshots(user_id) if day >= JSS_START}
        recorded = sorted(snapshots)
        earliest, latest = as_of_range(self.ctx.today())
        try:
            for day, field in ((start, "from"), (end, "to")):
                if day is not None:
                    check_day(day, field, earliest, latest)
        except LedgerError as exc:
            raise self.ctx.error("bad_input", detail=str(exc)) from None
        if end is None:
            end = recorded[-1] if recorded and (start is None or recorded[-1] > start) else self.ctx.today()
        if start is None:
            earlier = [d for d in recorded if d < end]
            if not earlier:
                raise self.ctx.error("bad_input", "why_needs_two")
            start = earlier[-1]
        if start >= end:
            raise self.ctx.error("bad_input", "dates_order", start=start, end=end)
        contracts = await ledger_as_of(self.ctx, user_id, end)
        reported = (snapshots.get(start), snapshots.get(end))
        result = await self.ctx.compute(user_id, attribute, contracts, start, end, self.ctx.params, reported)
        data = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "modelled": {
                "from": result.modelled_start.jss,
                "to": result.modelled_end.jss,
                "change": None if result.modelled_change is None else round(result.modelled_change, 2),
            },
            "reported": {"from": result.reported_start, "to": result.reported_end, "change": result.reported_change},
            "causes": [
                {
                    "day": c.day.isoformat(),
                    "contract": c.contract_id,
                    "kind": c.kind.value,
                    "window": c.window,
                    "points": round(c.points, 2),
                    "rules": list(c.rules),
                }
                for c in result.causes
            ],
            "residue": None if result.residue is None else round(result.residue, 2),
            "suspect": None
            if result.suspect is None
            else {"contract": result.suspect.contract_id, "rule": result.suspect.rule},
        }
        context = {"a": result, "names": display_names(contracts), "rules": list(result.rules)}
        return self.ctx.render("why", context, data=data)
