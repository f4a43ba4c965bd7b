"""Every reminder kind renders, in both outputs, citing its rule, with user text escaped."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.reminders.kinds import RULE_OF_KIND, ReminderKind
from bot.reminders.rules import derive_reminders
from bot.render import OutputFormat
from bot.services.reminders import ReminderService
from bot.services.reminders.messages import reminder_answer
from bot.store import LedgerStore
from bot.store.reminder_store import QueuedReminder
from scoring.model import Ledger
from tests.builders import ended_days_ago, funded_fixed, open_hourly, top_rated_at_risk

TODAY = date(2026, 6, 1)


def queued(index: int, r) -> QueuedReminder:  # type: ignore[no-untyped-def]
    moment = datetime(2026, 6, 1, 9, tzinfo=UTC)
    return QueuedReminder(
        index,
        "1",
        r.contract_id,
        r.rule_id,
        r.kind,
        r.due_on,
        "pending",
        moment,
        moment,
        json.dumps(r.facts),
        0,
        0,
        None,
        None,
        None,
    )


def every_kind() -> list[QueuedReminder]:
    contracts = [
        open_hourly("ask", TODAY, 10),
        open_hourly("old", TODAY, 55, asked=(20,)),
        open_hourly("newer", TODAY, 50, asked=(20,)),
        ended_days_ago("fb", TODAY, 3, stars=None),
        funded_fixed("fp", TODAY, 80),
        funded_fixed("fp90", TODAY, 95),
    ]
    found = derive_reminders(contracts, TODAY).reminders + derive_reminders(top_rated_at_risk(TODAY), TODAY).reminders
    assert {r.kind for r in found} == set(ReminderKind)
    return [queued(i, r) for i, r in enumerate(found, start=1)]


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_kind_renders_and_cites_its_rule(fmt: OutputFormat) -> None:
    for reminder in every_kind():
        answer = reminder_answer(reminder, fmt)
        assert answer.title and answer.description, reminder.kind
        assert answer.rule_ids[0] == RULE_OF_KIND[reminder.kind]
        assert answer.footer.startswith(f"Reminder #{reminder.id} · ") and reminder.rule_id not in answer.footer
        assert answer.data["due_on"] == reminder.due_on.isoformat()


def test_user_text_is_escaped_for_discord() -> None:
    hostile = open_hourly("x", TODAY, 10, title="**bold** @everyone", client="<@123> Evil\n## Fake")
    [r] = derive_reminders([hostile], TODAY).reminders
    answer = reminder_answer(queued(1, r), OutputFormat.DISCORD)
    text = answer.title + answer.description
    assert "@everyone" not in text.replace("@\u200beveryone", "") and "\\*\\*bold" in text
    assert "<@123>" not in text and not any(f.name == "Fake" for f in answer.fields)
    assert (r.due_on - timedelta(days=30)) == hostile.last_activity


@pytest.mark.parametrize("fmt", list(OutputFormat))
async def test_the_list_and_every_notice_render(fmt: OutputFormat, tmp_path: Path) -> None:
    """Every reminder template (reminders.md.j2, reminder_notice.md.j2) in both outputs, hostile text included."""
    async with await LedgerStore.open(tmp_path / "m.db") as store:
        service = ReminderService(store, fmt, FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC)))
        hostile = open_hourly("x", TODAY, 40, title="**bold** @everyone", client="<@1> Evil")
        await store.import_ledger("1", Ledger(contracts=(hostile, funded_fixed("fp", TODAY, 80))), "replace")
        off = await service.overview("1")
        assert off.title == "Your reminders: off"
        await service.update("1", enabled=True, quiet="22:00-07:00", timezone="Europe/Berlin")
        overview = await service.overview("1")
        fields = {f.name: f.value for f in overview.fields}
        assert overview.title == "Your reminders: on" and "C-" not in overview.title
        assert "Dormancy warning, day 76" in fields["Upcoming"]
        if fmt is OutputFormat.DISCORD:
            assert "@everyone" not in fields["Upcoming"].replace("@\u200beveryone", "")
        settings = (await service.store.get_settings("1")).model_dump(mode="json")
        values: dict[str, dict[str, object]] = {
            "kinds": {"on": ["feedback"], "off": ["ask_client"]},
            "snoozed": {"detail": "2026-01-12 09:00"},
            "settings": settings,
            "resumed": {"reminders_enabled": True},
            "dm_closed": {},
            "nothing_due": {"by": "2026-01-05T09:00+00:00"},
        }
        for key, data in values.items():
            detail = data.pop("detail", None)
            notice = service.notice(key, detail if isinstance(detail, str) else None, **data)
            assert notice.title and notice.kind == "reminder_notice", key
            assert notice.description, key
