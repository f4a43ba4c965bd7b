"""`/reminders list|kinds|snooze|settings` and the 'Pick a day…' form, through the local Discord."""

from __future__ import annotations

from datetime import timedelta

from . import START, World, dm_key, local
from .test_faults_e2e import idle_ledger


async def test_list_kinds_and_settings(world: World) -> None:
    await world.import_ledger(idle_ledger())
    await world.opt_in("Europe/Berlin", "22:00-07:00")
    await world.clock.run_until(START + timedelta(seconds=1))  # the overdue one goes out at once (13:00)
    [overview] = await world.command("reminders list")
    assert overview["title"] == "Your reminders: on"
    fields = {f["name"]: f["value"] for f in overview["fields"]}
    assert "on  `ask_client`: Ask the client" in fields["Kinds"] and "\\" not in fields["Kinds"]  # no escaped _
    assert fields["Sent recently"] == "#1 2026-01-05 13:00: Ask the client to close it: Job old (old)"
    assert fields["Upcoming"] == "#2 2026-01-15 09:00: Ask the client to close it: Job newer (newer)"
    [kinds] = await world.command("reminders kinds", {"kind": "ask_client", "enabled": False})
    assert kinds["title"] == "Reminder kinds saved." and "Off: `ask_client`." in kinds["description"]
    await world.clock.run_until(START + timedelta(days=30))
    assert [s.contract for s in world.sender.log] == ["old"]  # the kind is off: "newer" was cancelled
    [bad] = await world.command("reminders settings", {"quiet": "late-night"})
    assert bad["title"] == "That input is not valid" and "HH:MM" in bad["description"]
    [bad] = await world.command("reminders settings", {"send_at": "25:00"})
    assert bad["title"] == "That input is not valid" and "HH:MM" in bad["description"]
    [saved] = await world.command("reminders settings", {"send_at": "7:30"})
    assert saved["title"] == "Reminder settings saved." and "sent at 07:30" in saved["description"]
    [overview] = await world.command("reminders list")
    assert "reminders go out at 07:30 on their day" in overview["description"]


async def test_snooze_command_pick_a_day_form_and_other_users(world: World) -> None:
    user = world.server.default_user
    await world.import_ledger(idle_ledger())
    await world.opt_in("UTC", None)
    await world.clock.run_until(START + timedelta(minutes=1))
    [dm] = world.dms(user)
    rid, delivery = dm_key(dm)
    # Someone else cannot snooze it, even with its number.
    stranger = world.server.add_user("stranger")
    [refused] = await world.command("reminders snooze", {"reminder": rid}, user=stranger)
    assert refused["title"] == "Not found"
    # 'Pick a day…' opens a form; 3 days brings it back at 09:00 three days later.
    click = await world.server.send_component(f"jss:rem:{rid}:{delivery}:pick", message=dm)
    form = await click.wait_for_response()
    assert form.type == 9
    submit = await world.server.send_modal_submit(form.custom_id or "", {"days": "3"})
    edited = await submit.wait_for_response()
    assert edited.type == 7 and "2026-01-08 09:00" in (edited.data or {})["content"]
    # A second click on the old DM's buttons is not a second snooze.
    [again] = await world.command("reminders snooze", {"reminder": rid, "days": 2})
    assert again["title"] == "Snoozed."
    await world.clock.run_until(START + timedelta(days=3))
    assert [local(s.at, "UTC") for s in world.sender.log] == ["2026-01-05 12:00 UTC", "2026-01-07 09:00 UTC"]
    assert [s.delivery for s in world.sender.log] == [0, 1]
