"""Stored preferences: each user's settings (with their audit row) and each server's forum channel.

Why apart from the model in settings.py: the model validates (shared by every front end before
anything is written); this module only maps it to and from the `user_settings` and `guild_settings` rows.
"""

from __future__ import annotations

from typing import Any

from .audit import ensure_user, write_audit
from .backend import Connection, Database
from .ids import check_user
from .models import AuditAction
from .settings import UserSettings, apply_changes

_SETTINGS_COLUMNS = (
    "timezone",
    "reminders_enabled",
    "cadence",
    "quiet_start",
    "quiet_end",
    "dm_closed",
    "idle_reminder_days",
    "send_time",
)
_UPSERT_SETTINGS = (
    f"INSERT INTO user_settings (user_id, {', '.join(_SETTINGS_COLUMNS)}, updated_at) "
    f"VALUES ({', '.join('?' * (len(_SETTINGS_COLUMNS) + 2))}) "
    "ON CONFLICT (user_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in (*_SETTINGS_COLUMNS, "updated_at"))
)


async def _settings_in(db: Connection, user_id: str) -> UserSettings:
    query = f"SELECT {', '.join(_SETTINGS_COLUMNS)} FROM user_settings WHERE user_id = ?"
    rows = list(await db.execute_fetchall(query, (user_id,)))
    if not rows:
        return UserSettings()
    values = dict(zip(_SETTINGS_COLUMNS, tuple(rows[0]), strict=True))
    values["reminders_enabled"] = bool(values["reminders_enabled"])
    values["dm_closed"] = bool(values["dm_closed"])
    return UserSettings.model_validate(values)


class SettingsStore:
    """User settings and server settings, on a shared `Database`."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def get_settings(self, user_id: str) -> UserSettings:
        """The user's settings, or the defaults when they never changed any."""
        check_user(user_id)
        async with self._database.read() as db:
            return await _settings_in(db, user_id)

    async def update_settings(self, user_id: str, **changes: Any) -> UserSettings:
        """Change some settings (validated: IANA time zone, HH:MM quiet hours, cadence); returns all settings.

        InvalidSettingError names the setting and what is accepted; nothing is written then. A change
        that changes nothing writes nothing.
        """
        check_user(user_id)
        async with self._database.write() as db:
            current = await _settings_in(db, user_id)
            new = apply_changes(current, changes)
            if new == current:
                return current
            now = self._database.now()
            await ensure_user(db, user_id, now)
            values = new.model_dump(mode="json")
            await db.execute(
                _UPSERT_SETTINGS,
                (
                    user_id,
                    values["timezone"],
                    int(new.reminders_enabled),
                    values["cadence"],
                    values["quiet_start"],
                    values["quiet_end"],
                    int(new.dm_closed),
                    values["idle_reminder_days"],
                    values["send_time"],
                    now,
                ),
            )
            diff = {name: values[name] for name in _SETTINGS_COLUMNS if getattr(new, name) != getattr(current, name)}
            await write_audit(db, user_id, now, AuditAction.SETTINGS_UPDATE, None, {"changed": diff})
        return new

    async def get_forum_channel(self, guild_id: str) -> str | None:
        """The forum channel a server's admin asked the bot to answer in, if any."""
        async with self._database.read() as db:
            cursor = await db.execute("SELECT forum_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,))
            row = await cursor.fetchone()
        return None if row is None else row[0]

    async def set_forum_channel(self, guild_id: str, channel_id: str | None) -> None:
        """Remember (or with None forget) the server's forum channel."""
        async with self._database.write() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, forum_channel_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (guild_id) DO UPDATE SET forum_channel_id = excluded.forum_channel_id, "
                "updated_at = excluded.updated_at",
                (guild_id, channel_id, self._database.now()),
            )
