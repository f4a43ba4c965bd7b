"""The reminders service: what the `/reminders` commands and `jss-advisor reminders` do, UI-free.

Front ends call these methods and show the returned `Answer`s, as with the advisor service; the
scheduler (bot/reminders/scheduler.py) does the sending. Every method acts on the caller's own user
id only (a reminder id typed by someone else is "not found").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.clock import Clock, FixedClock, SystemClock
from bot.reminders.kinds import ALL_KINDS, KIND_LABELS, MAX_SNOOZE_DAYS, SNOOZE_DAYS, ReminderKind, parse_kinds
from bot.reminders.timing import DeliveryWindow
from bot.render import Answer, OutputFormat, render_answer
from bot.services.errors import ServiceError, service_error
from bot.services.lookup import display_names
from bot.services.reminders.messages import one_line, reminder_answer, shown_kind
from bot.services.reminders.planner import LookAgain, replan_user
from bot.store import LedgerStore, StoreError, UserSettings
from bot.store.reminder_store import QueuedReminder, ReminderStore, SyncResult
from scoring.params import ModelParams

RECENT_DAYS = 30  # "sent recently" in the overview
LIST_LIMIT = 20


MAX_REMINDER_ID = 2**63 - 1  # SQLite's largest INTEGER: a bigger id overflows the query, it cannot exist


class ReminderService:
    def __init__(
        self,
        store: LedgerStore,
        fmt: OutputFormat = OutputFormat.CONSOLE,
        clock: Clock | None = None,
        params: ModelParams | None = None,
    ) -> None:
        self.store = store
        self.reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
        self.fmt = fmt
        self.clock: Clock = clock or SystemClock()
        self.params = params or ModelParams()

    # -- helpers -----------------------------------------------------------------------------------

    def _render(self, kind: str, context: dict[str, Any], **kw: Any) -> Answer:
        return render_answer(kind, {**context, "fmt": self.fmt.value}, self.fmt, **kw)

    def error(self, key: str, reason: str | None = None, /, **values: Any) -> ServiceError:
        """The one error helper (bot/services/errors.py): `reason` picks the sentence in error_message.txt.j2."""
        return service_error(self.fmt, key, reason, **values)

    def notice(self, key: str, detail: str | None = None, level: str = "info", **data: Any) -> Answer:
        return self._render(
            "reminder_notice", {"key": key, "detail": detail, **data}, data={"notice": key, **data}, level=level
        )

    @staticmethod
    def window(settings: UserSettings) -> DeliveryWindow:
        return DeliveryWindow.of_settings(settings)

    async def on_day(self, user_id: str, day: date) -> ReminderService:
        """This service with its clock fixed at midday of `day` in the user's time zone (the console's
        --as-of), over the same store."""
        clock = FixedClock(await self.now_for(user_id, day))
        return ReminderService(self.store, self.fmt, clock, self.params)

    async def replan_later(self, user_id: str) -> None:
        """Ask the scheduler to derive the user's reminders again (after reminders derived for another day)."""
        await self.reminders.mark_replan(user_id, SystemClock().now())

    async def now_for(self, user_id: str, as_of: date | None) -> datetime:
        """`as_of` as an instant: midday of that day in the user's time zone (the console's --as-of), so
        that day's reminders (sent from 09:00, or when its morning quiet hours end) count as due."""
        if as_of is None:
            return self.clock.now()
        settings = await self.store.get_settings(user_id)
        return datetime.combine(as_of, time(12, 0), tzinfo=self.window(settings).zone)

    def render(self, reminder: QueuedReminder) -> Answer:
        """The reminder as sent now: its day counts (e.g. how long the contract has been idle) are as of
        today (the clock's UTC date: DMs go out around the user's morning, so it is their date too)."""
        return reminder_answer(reminder, self.fmt, on=self.clock.now().date())

    # -- reading -----------------------------------------------------------------------------------

    async def replan(self, user_id: str, now: datetime | None = None) -> SyncResult:
        """Derive the user's reminders now (the scheduler does this by itself; the console asks for it)."""
        return await replan_user(self.reminders, user_id, now or self.clock.now(), self.params)

    async def overview(self, user_id: str, now: datetime | None = None) -> Answer:
        """Settings, kinds, upcoming and recently sent reminders: `/reminders list`."""
        now = now or self.clock.now()
        settings = await self.store.get_settings(user_id)
        if settings.reminders_enabled:
            await self.replan(user_id, now)
        window = self.window(settings)
        off = await self.reminders.kinds_off(user_id)
        upcoming = await self.reminders.for_user(user_id, ("pending", "held", "sending"), limit=LIST_LIMIT)
        sent = await self.reminders.for_user(
            user_id, ("sent",), since=now - timedelta(days=RECENT_DAYS), limit=LIST_LIMIT
        )
        kinds = [(k.value, KIND_LABELS[k], k not in off) for k in ReminderKind]
        context = {
            "settings": settings,
            "kinds": kinds,
            "upcoming": [one_line(r, window) for r in upcoming],
            "sent": [one_line(r, window) for r in sent],
            "rules": [],
        }
        data = {
            "enabled": settings.reminders_enabled,
            "dm_closed": settings.dm_closed,
            "timezone": settings.timezone,
            "quiet_hours": [settings.quiet_start, settings.quiet_end] if settings.quiet_start else None,
            "idle_days": settings.idle_reminder_days,
            "send_time": settings.send_time,
            "kinds": {k.value: k not in off for k in ReminderKind},
            "upcoming": [_item(r) for r in upcoming],
            "sent": [_item(r) for r in sent],
        }
        return self._render("reminders", context, data=data)

    async def run_due(self, user_id: str, now: datetime | None = None) -> list[Answer]:
        """What the scheduler would send this user by `now` (the console's dry run: nothing is marked)."""
        now = now or self.clock.now()
        settings = await self.store.get_settings(user_id)
        if not settings.reminders_enabled:
            raise self.error("bad_input", "reminders_off")
        await self.replan(user_id, now)
        due = await self.reminders.due_for_user(user_id, now)
        if not due:
            return [self.notice("nothing_due", by=now.isoformat(timespec="minutes"))]
        return [self.render(r) for r in due]

    # -- changing ----------------------------------------------------------------------------------

    async def kinds(self, user_id: str, enable: Iterable[str] = (), disable: Iterable[str] = ()) -> Answer:
        """Switch reminder kinds on or off ('all' for every kind); with neither, show the current choice."""
        try:
            on, off = parse_kinds(enable), parse_kinds(disable)
        except ValueError as exc:
            raise self.error("bad_input", detail=str(exc)) from None
        if on or off:
            now_off = await self.reminders.set_kinds(user_id, on, off, self.clock.now())
        else:
            now_off = await self.reminders.kinds_off(user_id)
        enabled = sorted(k.value for k in ALL_KINDS if k not in now_off)
        return self.notice("kinds", on=enabled, off=sorted(now_off))

    async def snooze(
        self, user_id: str, reminder_id: int, days: int = SNOOZE_DAYS, delivery: int | None = None
    ) -> Answer:
        """Deliver a reminder again in `days` days, at the usual hour and outside quiet hours.

        `delivery` (from a DM button) makes a second click on the same message a no-op.
        """
        if not 1 <= days <= MAX_SNOOZE_DAYS:
            raise self.error("bad_input", "snooze_days", most=MAX_SNOOZE_DAYS)
        if not 1 <= reminder_id <= MAX_REMINDER_ID:
            raise self.error("not_found", "no_reminder")
        current = await self.reminders.get(user_id, reminder_id)
        if current is None or current.state not in ("sent", "pending", "held"):
            raise self.error("not_found", "no_reminder", reminder=reminder_id)
        if delivery is not None and (current.delivery != delivery or current.state != "sent"):
            when = self.window(await self.store.get_settings(user_id)).local(current.planned_at)
            return self.notice("snoozed", when.strftime("%Y-%m-%d %H:%M"), reminder=reminder_id, already=True)
        now = self.clock.now()
        settings = await self.store.get_settings(user_id)
        window = self.window(settings)
        until = window.planned(window.today(now) + timedelta(days=days), now)
        row = await self.reminders.snooze(user_id, reminder_id, until, now)
        if row is None:
            raise self.error("not_found", "no_reminder", reminder=reminder_id)
        text = window.local(until).strftime("%Y-%m-%d %H:%M")
        return self.notice("snoozed", text, reminder=reminder_id, until=until.isoformat())

    async def update(
        self,
        user_id: str,
        *,
        enabled: bool | None = None,
        timezone: str | None = None,
        quiet: str | None = None,
        idle_days: int | None = None,
        send_at: str | None = None,
    ) -> Answer:
        """Reminder settings: on/off, time zone, quiet hours ('22:00-07:00' or 'off'), idle days, and the
        local time date-based reminders go out ('18:30')."""
        changes: dict[str, Any] = {}
        if send_at is not None:
            changes["send_time"] = send_at
        if enabled is not None:
            changes["reminders_enabled"] = enabled
        if timezone is not None:
            changes["timezone"] = timezone
        if idle_days is not None:
            changes["idle_reminder_days"] = idle_days
        if quiet is not None:
            start, end = _quiet(quiet)
            if start == "bad":
                raise self.error("bad_input", "quiet_hours_format")
            changes.update(quiet_start=start, quiet_end=end)
        try:
            settings = await self.store.update_settings(user_id, **changes)
        except StoreError as exc:
            raise self.error("bad_input", detail=str(exc)) from None
        return self.notice("settings", **settings.model_dump(mode="json"))

    async def resume(self, user_id: str) -> Answer:
        """The user reopened their DMs: deliver held reminders again (the triggers re-plan the user)."""
        settings = await self.store.update_settings(user_id, dm_closed=False)
        await self.reminders.clear_dm_notice(user_id, self.clock.now())
        return self.notice("resumed", reminders_enabled=settings.reminders_enabled)

    async def remind_on(self, user_id: str, advice: Mapping[str, Any]) -> Answer:
        """ "Remind me" under an advice (`advice` = its data): a DM about the contract on the advice's
        look-again date, citing its deciding rule. Reminders are turned on if they were off (the user just
        asked for one), and the answer says so, with when DMs go out."""
        contract_id, day = str(advice["contract"]), date.fromisoformat(str(advice["revisit"]))
        rule_id = str((advice.get("rules") or ["C-CLOSE-ADVICE"])[0])
        facts = {"verdict": advice.get("verdict"), "asked_on": self.clock.today().isoformat()}
        facts["idle_days"] = int(advice.get("idle_days") or 0)
        contract = await self.store.get_contract(user_id, contract_id)
        if contract is None or not contract.is_open:
            raise self.error("not_found", "contract_gone")
        settings = await self.store.get_settings(user_id)
        turned_on = not settings.reminders_enabled
        if turned_on:
            settings = await self.store.update_settings(user_id, reminders_enabled=True)
        about = {
            "title": contract.title,
            "client": contract.client,
            "last_activity": contract.last_activity.isoformat(),
        }
        wanted = LookAgain(contract.id, rule_id, day, {**about, **facts})
        await replan_user(self.reminders, user_id, self.clock.now(), self.params, extra=[wanted])
        context = {
            "key": "remind",
            "c": contract,
            "name": display_names([contract])[contract.id],
            "on": day,
            "turned_on": turned_on,
            "settings": settings,
            "rules": [rule_id],
        }
        data = {"action": "remind", "contract": contract.id, "on": day.isoformat(), "turned_on": turned_on}
        return self._render("action", context, data=data)

    async def contract_of(self, user_id: str, reminder_id: int) -> str:
        """The contract one of the user's reminders is about (a DM button acts on it); not_found otherwise."""
        row = await self.reminders.get(user_id, reminder_id) if 1 <= reminder_id <= MAX_REMINDER_ID else None
        if row is None or not row.contract_id:
            raise self.error("not_found", "no_reminder", reminder=reminder_id)
        return row.contract_id

    # -- the DMs-closed notice -----------------------------------------------------------------------

    async def pending_notice(self, user_id: str) -> Answer | None:
        """The 'your DMs are closed' notice, if the user has not seen it yet (see `notice_shown`).

        Asked after every command, so it is one query, one trip to the database's thread: the flag itself.
        (It was remembered per user until the database's version moved, but reading the version is a query
        too, and a first command paid for both.)"""
        if not await self.reminders.dm_notice(user_id):
            return None
        return self.notice("dm_closed", level="warning")

    async def notice_shown(self, user_id: str) -> None:
        await self.reminders.clear_dm_notice(user_id, self.clock.now())

    async def choices(self, user_id: str, text: str) -> list[tuple[int, str]]:
        """Autocomplete for `/reminders snooze`: the caller's snoozable reminders matching `text`."""
        since = self.clock.now() - timedelta(days=RECENT_DAYS)
        rows = await self.reminders.for_user(user_id, ("pending", "held", "sent"), since=since, limit=50)
        settings = await self.store.get_settings(user_id)
        out = []
        for row in rows:
            label = f"#{row.id} {one_line(row, self.window(settings))['what']}"
            if text.strip().lower() in label.lower():
                out.append((row.id, label[:100]))
        return out[:25]


def _quiet(text: str) -> tuple[str | None, str | None]:
    value = text.strip().lower()
    if value in ("off", "none", "no", ""):
        return None, None
    start, sep, end = value.partition("-")
    if not sep or not start.strip() or not end.strip():
        return "bad", None
    return start.strip(), end.strip()


def _item(r: QueuedReminder) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": shown_kind(r),
        "rule": r.rule_id,
        "contract": r.contract_id or None,
        "due_on": r.due_on.isoformat(),
        "planned_at": r.planned_at.isoformat(),
        "state": r.state,
        "sent_at": r.sent_at.isoformat() if r.sent_at else None,
    }
