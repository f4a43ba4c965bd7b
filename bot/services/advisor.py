"""The advisor service: one async API over the ledger store, the scoring engine and the templates.

Front ends (console, Discord) call these methods and show the returned `Answer`; they never touch
the store or the engine directly, so both behave the same way and are tested once.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from bot.render import Answer, OutputFormat, render_answer
from bot.render.filters import usd
from bot.store import ContractExistsError, ContractNotFoundError, ImportMode, LedgerStore, StoreError
from scoring import engine
from scoring.attribution import attribute
from scoring.catalogue import load_catalogue
from scoring.dates import add_months
from scoring.model import Contract, Ledger, LedgerError, ledger_to_json_data, parse_ledger_json
from scoring.params import Cadence, ModelParams
from scoring.uncertainty import projection_band, score_range
from scoring.whatif import HORIZONS_MONTHS as WHATIF_HORIZONS_MONTHS

from .inputs import contract_from_fields

ANSWER_CACHE_SIZE = 4096  # recent advise / what-if answers kept per service (~3 KB each: ~12 MB at most)
WARM_MAX_CONTRACTS = 25  # open contracts whose advice is prepared ahead per user (see warm_advice)
MAX_IMPORT_BYTES = 2_000_000
MAX_PROJECTION_MONTHS = 60  # ModelParams.projection_months: le=60
MAX_SPACING_DAYS = 90  # ModelParams.planner_spacing_days is ge=1; model_copy(update=...) does not validate

SCENARIO_LABELS = {
    engine.Scenario.LEAVE_OPEN: "Leave it open",
    engine.Scenario.CLOSE_NO_FEEDBACK: "Close now, no feedback",
    engine.Scenario.CLOSE_GOOD: "Close now, good feedback",
    engine.Scenario.CLOSE_POOR: "Close now, poor feedback",
    engine.Scenario.UPWORK_HANDLING: "Wait for Upwork's own handling",
    engine.Scenario.REFUND: "Refund in full",
}
NOT_APPLICABLE = {
    "already_ended": "the contract has already ended",
    "no_auto_closure": "Upwork does not close hourly or unfunded contracts by itself (C-HOURLY-INACTIVE)",
}


class ServiceError(Exception):
    """A failure to show the user as an answer (already rendered), never a traceback."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.description)
        self.answer = answer


def utc_today() -> date:
    return datetime.now(UTC).date()


class AdvisorService:
    def __init__(
        self,
        store: LedgerStore,
        fmt: OutputFormat = OutputFormat.CONSOLE,
        today: Callable[[], date] = utc_today,
        params: ModelParams | None = None,
    ) -> None:
        self.store = store
        self._answers: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self.fmt = fmt
        self.today = today
        self.params = params or ModelParams()
        self._sim_cache: tuple[ModelParams, ModelParams] | None = None
        self._warmed: set[tuple[Any, ...]] = set()  # (user, day, store version) already prepared

    @property
    def _sim_params(self) -> ModelParams:
        """`params` for what-if and advice, which show the score at HORIZONS_MONTHS only (12 months at most).

        Projecting each scenario that far instead of `projection_months` (24) gives the same points for
        about 30% less engine time; /advise is the bot's busiest command.
        """
        if self._sim_cache is None or self._sim_cache[0] is not self.params:
            months = max(WHATIF_HORIZONS_MONTHS)
            sim = (
                self.params
                if self.params.projection_months <= months
                else self.params.model_copy(update={"projection_months": months})
            )
            self._sim_cache = (self.params, sim)
        return self._sim_cache[1]

    # -- helpers -----------------------------------------------------------------------------------

    def _render(self, kind: str, context: dict[str, Any], **kw: Any) -> Answer:
        return render_answer(kind, context, self.fmt, **kw)

    def error(self, key: str, message: str) -> ServiceError:
        return ServiceError(
            self._render(
                "error", {"key": key, "message": message}, level="error", data={"error": key, "message": message}
            )
        )

    def _params(self, cadence: Cadence | None) -> ModelParams:
        return self.params if cadence is None else self.params.model_copy(update={"cadence": cadence})

    async def _contracts(self, user_id: str, as_of: date) -> list[Contract]:
        contracts = await self.store.list_contracts(user_id)
        if not contracts:
            raise self.error("no_contracts", "Add a contract or import a ledger first.")
        self._check_as_of(contracts, as_of)
        return contracts

    def _check_as_of(self, contracts: Sequence[Contract], as_of: date) -> None:
        late = [c.id for c in contracts if c.latest_date() > as_of]
        if late:
            raise self.error("bad_input", f"as-of date {as_of} is before dates in contract(s) {', '.join(late[:5])}.")

    async def _contract(self, user_id: str, contract_id: str) -> Contract:
        contract = await self.store.get_contract(user_id, contract_id)
        if contract is None:
            raise self._not_found(contract_id)
        return contract

    def _not_found(self, contract_id: str) -> ServiceError:
        return self.error("not_found", f"No contract '{contract_id[:64]}' in your ledger.")

    def _pick(self, contracts: Sequence[Contract], contract_id: str) -> Contract:
        """The contract from a ledger already loaded (no second query)."""
        found = next((c for c in contracts if c.id == contract_id), None)
        if found is None:
            raise self._not_found(contract_id)
        return found

    @staticmethod
    def _names(contracts: Sequence[Contract]) -> dict[str, str]:
        return {c.id: f"{c.title} ({c.id})" if c.title != c.id else c.id for c in contracts}

    # -- ledger ------------------------------------------------------------------------------------

    async def add_contract(self, user_id: str, fields: dict[str, Any]) -> Answer:
        try:
            contract = contract_from_fields(fields)
            await self.store.add_contract(user_id, contract)
        except LedgerError as exc:
            raise self.error("bad_input", str(exc)) from None
        except ContractExistsError as exc:
            raise self.error("exists", str(exc)) from None
        return self._render("notice", {"key": "added", "detail": contract.id}, data={"contract": contract.id})

    async def edit_contract(self, user_id: str, contract_id: str, fields: dict[str, Any]) -> Answer:
        base = await self._contract(user_id, contract_id)
        new_id = fields.pop("id", None)
        try:
            contract = contract_from_fields(fields, base)
            await self.store.update_contract(user_id, contract)
            if new_id and new_id != contract_id:
                contract = await self.store.rename_contract(user_id, contract_id, new_id)
        except (LedgerError, StoreError) as exc:
            raise self.error("bad_input", str(exc)) from None
        return self._render("notice", {"key": "updated", "detail": contract.id}, data={"contract": contract.id})

    async def list_contracts(self, user_id: str, as_of: date | None = None) -> Answer:
        contracts = await self.store.list_contracts(user_id)
        as_of = as_of or self.today()
        data = {"contracts": [c.model_dump(mode="json") for c in contracts]}
        return self._render("contracts", {"contracts": contracts, "as_of": as_of}, data=data)

    async def show_contract(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        contract = await self._contract(user_id, contract_id)
        cls = engine.classify(contract, as_of or self.today(), self.params)
        data = {"contract": contract.model_dump(mode="json"), "counts": cls.counts, "outcome": cls.kind.value}
        return self._render("contract", {"c": contract, "cls": cls, "rules": list(cls.rules)}, data=data)

    async def remove_contract(self, user_id: str, contract_id: str) -> Answer:
        try:
            removed = await self.store.remove_contract(user_id, contract_id)
        except ContractNotFoundError as exc:
            raise self.error("not_found", str(exc)) from None
        return self._render("notice", {"key": "removed", "detail": removed.id}, data={"contract": removed.id})

    async def asked_client(self, user_id: str, contract_id: str, on: date | None = None) -> Answer:
        on = on or self.today()
        existing = await self._contract(user_id, contract_id)
        if on < existing.started:
            raise self.error("bad_input", f"{on} is before contract '{existing.id}' started ({existing.started}).")
        try:
            contract = await self.store.record_close_request(user_id, contract_id, on)
        except ContractNotFoundError as exc:
            raise self.error("not_found", str(exc)) from None
        except StoreError as exc:
            raise self.error("bad_input", str(exc)) from None
        detail = f"{contract.id}: asked {len(contract.close_requests)} time(s)"
        return self._render(
            "notice",
            {"key": "asked", "detail": detail, "rules": ["C-CLOSE-ADVICE"]},
            data={"contract": contract.id, "close_requests": len(contract.close_requests)},
        )

    async def import_ledger(self, user_id: str, raw: bytes | str, mode: ImportMode = "merge") -> Answer:
        if len(raw) > MAX_IMPORT_BYTES:
            raise self.error("bad_input", f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
        try:
            ledger = parse_ledger_json(raw)
            summary = await self.store.import_ledger(user_id, ledger, mode)
        except (LedgerError, StoreError) as exc:
            raise self.error("bad_input", f"nothing was imported: {exc}") from None
        detail = (
            f"{summary.added} added, {summary.updated} updated, {summary.removed} removed, "
            f"{summary.unchanged} unchanged"
        )
        return self._render("notice", {"key": "imported", "detail": detail}, data=summary.model_dump())

    async def export_ledger(self, user_id: str, as_of: date | None = None) -> str:
        contracts = await self.store.list_contracts(user_id)
        if as_of is not None:
            self._check_as_of(contracts, as_of)  # else Ledger() refuses with a ValidationError (a traceback)
        ledger = Ledger(as_of=as_of, contracts=tuple(contracts))
        return json.dumps(ledger_to_json_data(ledger), indent=1, ensure_ascii=False)

    async def forget(self, user_id: str) -> Answer:
        rows = await self.store.forget_user(user_id)
        return self._render("notice", {"key": "forgotten", "detail": None}, data={"rows_removed": rows})

    # -- engine ------------------------------------------------------------------------------------

    async def score(self, user_id: str, as_of: date | None = None) -> Answer:
        as_of = as_of or self.today()
        contracts = await self._contracts(user_id, as_of)
        result = engine.score(contracts, as_of, self.params)
        spread = score_range(contracts, as_of, self.params)
        counting = [c for c in result.classifications if c.counts]
        excluded = [c for c in result.classifications if not c.counts]
        p = result.point
        data = {
            "jss": result.jss,
            "raw": None if result.raw is None else round(result.raw, 2),
            "shown_window": p.best,
            "windows": {k: None if v is None else round(v, 2) for k, v in p.window_scores().items()},
            "eligible": result.eligibility.eligible,
            "eligibility": {
                "jobs": result.eligibility.jobs,
                "clients": result.eligibility.clients,
                "jobs_needed": result.eligibility.jobs_needed,
                "clients_needed": result.eligibility.clients_needed,
            },
            "contracts": {
                c.contract_id: {"outcome": c.kind.value, "weight": c.weight, "rules": list(c.rules)}
                for c in result.classifications
            },
            "range": {
                "worst": spread.worst.jss,
                "likely": spread.likely.jss,
                "best": spread.best.jss,
                "low": spread.low,
                "high": spread.high,
                "unknown": [{"contract": u.contract_id, "why": u.reason, "rule": u.rule} for u in spread.unknowns],
            },
            "as_of": as_of.isoformat(),
        }
        rules = list(dict.fromkeys([*result.rules, *(u.rule for u in spread.unknowns)]))
        ctx = {
            "result": result,
            "counting": counting,
            "excluded": excluded,
            "names": self._names(contracts),
            "spread": spread,
            "rules": rules,
        }
        level = "good" if (result.jss or 0) >= 90 else "warning"
        return self._render("score", ctx, data=data, level=level)

    def _sim_rows(self, sims: engine.WhatIf) -> list[dict[str, Any]]:
        rows = []
        for s in sims.scenarios:
            rows.append(
                {
                    "scenario": s.scenario.value,
                    "label": SCENARIO_LABELS[s.scenario],
                    "applicable": s.applicable,
                    "why": NOT_APPLICABLE.get(s.note, s.note),
                    "points": {m: p.jss for m, p in s.points.items()},
                    "low": {m: None if v is None else int(v + 0.5) for m, v in s.low.items()},
                    "high": {m: None if v is None else int(v + 0.5) for m, v in s.high.items()},
                    "now": s.points[0].jss,
                    "later": s.points[6].jss,
                    "delta": sims.delta(s.scenario, 0) if s.scenario is not engine.Scenario.LEAVE_OPEN else None,
                    "money": s.money_at_risk_usd,
                    "effective": s.effective,
                    "rules": list(s.rules),
                }
            )
        return rows

    async def _cached(self, key: tuple[Any, ...], compute: Callable[[], Awaitable[Answer]]) -> Answer:
        """Answers that depend only on the ledger and the day are kept until the data changes (any commit)."""
        full_key = (*key, await self.store.version())
        hit = self._answers.get(full_key)
        if hit is not None:
            self._answers.move_to_end(full_key)
            return hit
        answer = await compute()
        self._remember(full_key, answer)
        return answer

    def _remember(self, key: tuple[Any, ...], answer: Answer) -> None:
        self._answers[key] = answer
        while len(self._answers) > ANSWER_CACHE_SIZE:
            self._answers.popitem(last=False)

    @staticmethod
    def _advice_key(user_id: str, contract_id: str, day: date) -> tuple[Any, ...]:
        """The cache key of an /advise answer, without the store version `_cached` appends."""
        return ("advise", user_id, contract_id, day)

    async def advise(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        day = as_of or self.today()
        return await self._cached(
            self._advice_key(user_id, contract_id, day), lambda: self._advise(user_id, contract_id, day)
        )

    def ready_advice(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer | None:
        """The answer `advise` would give, if it is already in memory and still current; else None.

        Synchronous, so the bot can reply to a prepared question without starting a task for it."""
        version = self.store.version_now()
        if version is None:
            return None
        key = (*self._advice_key(user_id, contract_id, as_of or self.today()), version)
        hit = self._answers.get(key)
        if hit is not None:
            self._answers.move_to_end(key)
        return hit

    async def warm_advice(
        self, user_id: str, as_of: date | None = None, between: Callable[[], Awaitable[None]] | None = None
    ) -> int:
        """Prepare the advice for each of the user's open contracts, so their next /advise is answered
        from memory. Returns how many were computed.

        Why: advice takes a few ms of engine time, which is nothing for one person but makes a burst of
        questions queue behind each other; the bot calls this for active users when it is idle (see
        bot.discord_app.warming). The answers are the ones `advise` would compute, kept against the same
        store version and day, so any change to the data discards them exactly as it would its own.
        `between` is awaited before each contract (default: yield once), so a caller can wait for quiet."""
        day = as_of or self.today()
        version = await self.store.version()
        marker = (user_id, day, version)
        if marker in self._warmed:
            return 0
        contracts = await self.store.list_contracts(user_id)
        computed = 0
        try:
            self._check_as_of(contracts, day)
        except ServiceError:
            contracts = []  # dates after `day`: /advise reports it when asked
        for contract in [c for c in contracts if c.is_open][:WARM_MAX_CONTRACTS]:
            key = (*self._advice_key(user_id, contract.id, day), version)
            if key in self._answers:
                continue
            await (between() if between is not None else asyncio.sleep(0))  # let waiting commands run first
            if await self.store.version() != version:
                break  # the data changed meanwhile: these answers would be stale
            self._remember(key, self._advice_answer(contracts, contract.id, day))
            computed += 1
        else:
            if len(self._warmed) >= ANSWER_CACHE_SIZE:
                self._warmed.clear()
            self._warmed.add(marker)
        return computed

    async def _advise(self, user_id: str, contract_id: str, as_of: date) -> Answer:
        contracts = await self._contracts(user_id, as_of)
        self._pick(contracts, contract_id)
        return self._advice_answer(contracts, contract_id, as_of)

    def _advice_answer(self, contracts: Sequence[Contract], contract_id: str, as_of: date) -> Answer:
        advice = engine.advise(contracts, contract_id, as_of, self._sim_params)
        sims = self._sim_rows(advice.whatif) if advice.whatif else []
        cost = advice.whatif.delta(engine.Scenario.CLOSE_NO_FEEDBACK, 0) if advice.whatif else None
        names = self._names(contracts)
        ctx = {
            "advice": advice,
            "name": names[contract_id],
            "sims": [r for r in sims if r["applicable"]],
            "cost": cost,
            "rules": list(advice.rules),
        }
        data = {
            "verdict": advice.verdict.value,
            "reason": advice.reason,
            "revisit": advice.revisit.isoformat(),
            "contract": contract_id,
            "idle_days": advice.idle_days,
            "close_requests": advice.requests,
            "simulations": {
                r["scenario"]: {"now": r["now"], "in_6_months": r["later"]} for r in sims if r["applicable"]
            },
            "as_of": as_of.isoformat(),
        }
        level = {"close_now": "warning", "keep_open": "good"}.get(advice.verdict.value, "info")
        return self._render("advice", ctx, data=data, level=level)

    async def what_if(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        day = as_of or self.today()
        return await self._cached(
            ("what_if", user_id, contract_id, day), lambda: self._what_if(user_id, contract_id, day)
        )

    async def _what_if(self, user_id: str, contract_id: str, as_of: date) -> Answer:
        contracts = await self._contracts(user_id, as_of)
        self._pick(contracts, contract_id)
        sims = engine.what_if(contracts, contract_id, as_of, self._sim_params)
        rows = self._sim_rows(sims)
        rules = list(dict.fromkeys(r for row in rows if row["applicable"] for r in row["rules"]))
        ctx = {"rows": rows, "name": self._names(contracts)[contract_id], "as_of": as_of, "rules": rules}
        data = {
            "contract": contract_id,
            "as_of": as_of.isoformat(),
            "scenarios": {
                r["scenario"]: {
                    "applicable": r["applicable"],
                    "jss": r["points"],
                    "low": r["low"],
                    "high": r["high"],
                    "money_at_risk_usd": str(r["money"]),
                }
                for r in rows
            },
        }
        return self._render("whatif", ctx, data=data)

    async def projection(
        self,
        user_id: str,
        as_of: date | None = None,
        cadence: Cadence | None = None,
        plot: bool = False,
        months: int | None = None,
    ) -> Answer:
        as_of = as_of or self.today()
        if months is not None and not 1 <= months <= MAX_PROJECTION_MONTHS:
            raise self.error("bad_input", f"months must be 1 to {MAX_PROJECTION_MONTHS}.")
        contracts = await self._contracts(user_id, as_of)
        params = self._params(cadence)
        band = projection_band(contracts, as_of, params, months=months)
        proj = band.likely
        events = list(proj.moving_events())
        names = self._names(contracts)
        attachments: tuple[tuple[str, bytes], ...] = ()
        # A chart needs at least one score to draw: with none (a new ledger, no eligible jobs yet) every
        # series is empty and matplotlib fails on the unscaled date axis (ValueError: image too large).
        if plot and any(
            p.raw is not None or any(v is not None for v in p.window_scores().values()) for p in proj.points
        ):
            from bot.plot import projection_png  # matplotlib is slow to import: only when a plot is asked for

            attachments = (("jss-projection.png", projection_png(proj, names, band)),)
        rules = [
            "W-AGE-OUT",
            "W-24MAX",
            "W-WINDOWS",
            "W-TRENDING",
            "W-CADENCE-CURRENT" if params.cadence is Cadence.DAILY else "W-CADENCE-LEGACY",
        ]
        months_ahead = months or params.projection_months
        ctx = {
            "projection": proj,
            "events": events,
            "names": names,
            "lowest": proj.lowest,
            "cadence": params.cadence.value,
            "months": months_ahead,
            "rules": rules,
        }
        data = {
            "as_of": as_of.isoformat(),
            "cadence": params.cadence.value,
            "points": [
                {
                    "day": p.day.isoformat(),
                    "jss": p.jss,
                    "window": p.best,
                    "low": None if lo is None else round(lo, 2),
                    "high": None if hi is None else round(hi, 2),
                }
                for p, lo, hi in zip(proj.points, band.low, band.high, strict=True)
            ],
            "events": [
                {
                    "day": e.day.isoformat(),
                    "update_day": e.update_day.isoformat(),
                    "contract": e.contract_id,
                    "kind": e.kind.value,
                    "window": e.window,
                    "jss_before": e.jss_before,
                    "jss_after": e.jss_after,
                    "rules": list(e.rules),
                }
                for e in events
            ],
        }
        return self._render("projection", ctx, data=data, attachments=attachments)

    async def plan(
        self,
        user_id: str,
        as_of: date | None = None,
        contract_ids: Sequence[str] | None = None,
        spacing_days: int | None = None,
        expected_good: dict[str, date] | None = None,
    ) -> Answer:
        as_of = as_of or self.today()
        if spacing_days is not None and not 1 <= spacing_days <= MAX_SPACING_DAYS:
            raise self.error("bad_input", f"the spacing between closings must be 1 to {MAX_SPACING_DAYS} days.")
        contracts = await self._contracts(user_id, as_of)
        params = (
            self.params
            if spacing_days is None
            else self.params.model_copy(update={"planner_spacing_days": spacing_days})
        )
        plan = engine.plan_closings(contracts, as_of, params, contract_ids or None, expected_good)
        rules = list(dict.fromkeys(r for s in plan.steps for r in s.rules)) or ["L-STAGGER", "C-SELF-CLOSE-2MO"]
        ctx = {"plan": plan, "names": self._names(contracts), "stale_days": params.stale_after_days, "rules": rules}
        data = {
            "as_of": as_of.isoformat(),
            "top_rated": plan.top_rated,
            "steps": [
                {
                    "day": s.day.isoformat(),
                    "contract": s.contract_id,
                    "ask_first": s.ask_first,
                    "jss_likely": s.jss_likely,
                    "jss_worst": s.jss_worst,
                    "top_rated_risk": s.top_rated_risk,
                }
                for s in plan.steps
            ],
            "skipped": [{"contract": cid, "reason": why} for cid, why in plan.skipped],
        }
        return self._render("plan", ctx, data=data)

    async def top_rated(self, user_id: str, as_of: date | None = None) -> Answer:
        as_of = as_of or self.today()
        contracts = await self._contracts(user_id, as_of)
        status = engine.top_rated_status(contracts, as_of, self.params)
        data = {
            "jss": status.jss,
            "eligible_weeks": status.eligible_weeks,
            "weeks_until_return": status.weeks_until_return,
            "earnings_12mo_usd": str(status.earnings_12mo_usd),
            "requirements_met": status.ledger_requirements_met,
        }
        return self._render("toprated", {"status": status, "rules": list(status.rules)}, data=data)

    async def ask(self, user_id: str, question: str, as_of: date | None = None, personal: bool = True) -> Answer:
        """A plain-English question: the matching rules in plain words, personalised when the asker has a ledger.

        `personal=False` (public forum posts) never reads the ledger, so nothing private is shown.
        """
        from bot.qa.understand import understand  # the BM25 index is built on first use

        as_of = as_of or self.today()
        question = question.strip()[:2000]
        if not question:
            raise self.error("bad_input", "Ask a question, e.g. 'my client never closed the contract, should I?'")
        contracts = await self.store.list_contracts(user_id) if personal else []
        items = [(c.id, c.title, c.client) for c in contracts]
        u = understand(question, as_of, items)
        catalogue = load_catalogue()
        cited = [catalogue.get(r) for r in u.rules]
        myths = [catalogue.get(r) for r in u.myths]
        uncertain = [
            r
            for r in cited
            if r.confidence.value in {"UNKNOWN", "INFERRED"}
            or (r.note and ("UNKNOWN" in r.note or "onflict" in r.note))
        ]
        personal_text, personal_data = "", dict[str, Any]()
        if contracts and u.intent in PERSONAL_INTENTS:
            personal_text, personal_data = self._personal(contracts, u, as_of)
        title = question if len(question) <= 120 else question[:119] + "…"
        ctx = {
            "u": u,
            "title": title,
            "cited": cited,
            "myths": myths,
            "uncertain": uncertain,
            "personal": personal_text,
            "rules": list(dict.fromkeys([*u.rules, *u.myths])),
        }
        answer = self._render(
            "ask",
            ctx,
            data={"intent": u.intent, "matched": u.matched, "confidence": round(u.confidence, 3), **personal_data},
        )
        answer.data["answer"] = answer.data.pop("explanation", answer.description)
        return answer

    def _personal(self, contracts: Sequence[Contract], u: Any, as_of: date) -> tuple[str, dict[str, Any]]:
        """A few sentences from the engine on the asker's own ledger, for the question's intent."""
        result = engine.score(contracts, as_of, self.params)
        parts = [f"Estimated JSS today: {result.jss}%." if result.jss is not None else "No JSS yet on your ledger."]
        data: dict[str, Any] = {"jss": result.jss}
        intent = u.intent
        if intent == "no_score_yet" and not result.eligibility.eligible:
            e = result.eligibility
            parts.append(
                f"Eligible jobs in 24 months: {e.jobs} with {e.clients} client(s); you need "
                f"{e.jobs_needed} more job(s) and {e.clients_needed} more client(s)."
            )
        if intent in {"away_inactive", "rise_again", "score_drop"}:
            proj = engine.project(contracts, as_of, self.params, months=12)
            later = {m: proj.at(add_months(as_of, m)).jss for m in (3, 6, 12)}
            parts.append(
                "If nothing else changes: "
                + ", ".join(f"{'no score' if v is None else f'{v}%'} in {m} months" for m, v in later.items())
                + "."
            )
            moving = proj.moving_events()
            if moving:
                nxt = moving[0]
                parts.append(
                    f"Next change: {nxt.day}, {nxt.contract_id} ({nxt.kind.value.replace('_', ' ')}"
                    f"{' ' + nxt.window if nxt.window else ''}), {nxt.jss_before}% -> {nxt.jss_after}%."
                )
            data["projection"] = later
        if intent == "top_rated":
            status = engine.top_rated_status(contracts, as_of, self.params)
            back = (
                "now"
                if status.weeks_until_return == 0
                else f"in about {status.weeks_until_return} weeks"
                if status.weeks_until_return is not None
                else "not within two years without new good work"
            )
            parts.append(f"Eligible weeks: {status.eligible_weeks} of 16; score and weeks requirements met {back}.")
            data["top_rated"] = {"eligible_weeks": status.eligible_weeks, "weeks_until": status.weeks_until_return}
        if intent == "bad_feedback_impact" and u.facts.stars:
            amount = u.facts.amounts[0].value if u.facts.amounts else Decimal(500)
            stars = u.facts.stars[0].value
            hypo = Contract.model_validate(
                {
                    "id": "hypothetical-job",
                    "title": "that job",
                    "client": "that client",
                    "kind": "hourly",
                    "status": "ended",
                    "started": as_of,
                    "ended": as_of,
                    "last_activity": as_of,
                    "last_payment": as_of,
                    "earnings_usd": amount,
                    "public_stars": min(5.0, max(1.0, stars)),
                }
            )
            after = engine.score([*contracts, hypo], as_of, self.params).jss
            parts.append(
                f"A {usd(amount)} job rated {stars:g} stars ending today would move your estimate "
                f"to {after if after is not None else 'no score'}{'%' if after is not None else ''}."
            )
            data["with_that_job"] = after
        target = next((m.contract_id for m in u.contract_matches), None)
        if target is None and intent in {"close_or_not", "dormant_fixed", "zero_dollar"}:
            stale = [c for c in contracts if engine.is_stale(c, as_of, self.params)]
            target = stale[0].id if len(stale) == 1 else None
        if target is not None:
            advice = engine.advise(contracts, target, as_of, self._sim_params)
            parts.append(
                f"For {target}: {advice.verdict.value.replace('_', ' ')} (idle {advice.idle_days} days, "
                f"asked {advice.requests}x); look again on {advice.revisit}. Run advise for details."
            )
            data["advice"] = {"contract": target, "verdict": advice.verdict.value}
        return " ".join(parts), data

    async def record_score(self, user_id: str, jss: int, on: date | None = None) -> Answer:
        """Keep the JSS Upwork showed, so drops can be explained against what the user really saw."""
        on = on or self.today()
        if not 0 <= jss <= 100:
            raise self.error("bad_input", "A JSS is a whole number from 0 to 100.")
        if on > self.today():
            raise self.error("bad_input", f"{on} is in the future.")
        await self.store.record_snapshot(user_id, on, jss)
        return self._render(
            "notice", {"key": "recorded", "detail": f"{jss}% on {on}"}, data={"jss": jss, "on": on.isoformat()}
        )

    async def explain_change(self, user_id: str, start: date | None = None, end: date | None = None) -> Answer:
        """Why did my score move? Between two recorded scores by default, or two given days."""
        snapshots = dict(await self.store.list_snapshots(user_id))
        recorded = sorted(snapshots)
        if end is None:
            end = recorded[-1] if recorded and (start is None or recorded[-1] > start) else self.today()
        if start is None:
            earlier = [d for d in recorded if d < end]
            if not earlier:
                raise self.error(
                    "bad_input",
                    "Record the JSS Upwork shows you at least twice (record 96, then "
                    "record 89 after the drop), or give the two dates to compare.",
                )
            start = earlier[-1]
        if start >= end:
            raise self.error("bad_input", f"the first date ({start}) must be before the second ({end}).")
        contracts = await self._contracts(user_id, end)
        result = attribute(contracts, start, end, self.params, (snapshots.get(start), snapshots.get(end)))
        names = self._names(contracts)
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
        ctx = {"a": result, "names": names, "rules": list(result.rules)}
        return self._render("why", ctx, data=data)

    async def update_settings(self, user_id: str, changes: dict[str, Any]) -> Answer:
        try:
            settings = await self.store.update_settings(user_id, **changes)
        except StoreError as exc:
            raise self.error("bad_input", str(exc)) from None
        detail = (
            f"timezone {settings.timezone}, reminders {'on' if settings.reminders_enabled else 'off'}, "
            f"cadence {settings.cadence}"
        )
        return self._render("notice", {"key": "settings", "detail": detail}, data=settings.model_dump(mode="json"))

    async def set_forum_channel(self, guild_id: str, channel_id: str) -> Answer:
        await self.store.set_forum_channel(guild_id, channel_id)
        return self._render("notice", {"key": "forum", "detail": None}, data={"forum_channel_id": channel_id})

    async def contract_choices(self, user_id: str, text: str) -> list[tuple[str, str]]:
        """Autocomplete: the caller's own contracts matching what they typed."""
        return await self.store.search_contracts(user_id, text[:100], 25)


PERSONAL_INTENTS = {
    "close_or_not",
    "score_drop",
    "rise_again",
    "away_inactive",
    "top_rated",
    "no_score_yet",
    "bad_feedback_impact",
    "stagger_closing",
    "dormant_fixed",
    "long_term_contract",
    "zero_dollar",
}
