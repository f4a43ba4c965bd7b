"""When a reminder is delivered: its due day at a set local hour, never inside the user's quiet hours.

Why here and not in SQL: quiet hours are wall-clock times in the user's IANA time zone, so daylight
saving changes the UTC instant from one day to the next; zoneinfo gets that right, SQLite cannot.
Instants are stored as UTC; the user's zone is applied only to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SEND_TIME = time(9, 0)  # default: a date-based reminder goes out at 09:00 local on its due day (user setting)


class WindowSettings(Protocol):
    """The parts of a user's settings (bot.store.UserSettings) that decide when a reminder goes out."""

    @property
    def timezone(self) -> str: ...
    @property
    def quiet_start(self) -> str | None: ...
    @property
    def quiet_end(self) -> str | None: ...
    @property
    def send_time(self) -> str: ...


@dataclass(frozen=True, slots=True)
class DeliveryWindow:
    """A user's time zone and quiet hours (a window that may wrap past midnight, e.g. 22:00-07:00)."""

    zone: ZoneInfo
    quiet_start: time | None = None
    quiet_end: time | None = None
    send_time: time = SEND_TIME

    @classmethod
    def of(
        cls, timezone: str, quiet_start: str | None, quiet_end: str | None, send_time: str | None = None
    ) -> DeliveryWindow:
        """From stored settings ('Europe/Berlin', '22:00', '07:00', '09:00'); validated by UserSettings."""
        return cls(ZoneInfo(timezone), _hhmm(quiet_start), _hhmm(quiet_end), _hhmm(send_time) or SEND_TIME)

    @classmethod
    def of_settings(cls, settings: WindowSettings) -> DeliveryWindow:
        return cls.of(settings.timezone, settings.quiet_start, settings.quiet_end, settings.send_time)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def today(self, instant: datetime) -> date:
        """The user's calendar date at `instant`: reminders are due on the user's days, not UTC's."""
        return self.local(instant).date()

    def is_quiet(self, instant: datetime) -> bool:
        if self.quiet_start is None or self.quiet_end is None:
            return False
        now = self.local(instant).time()
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= now < self.quiet_end
        return now >= self.quiet_start or now < self.quiet_end

    def after_quiet(self, instant: datetime) -> datetime:
        """`instant`, or the end of the quiet period it falls in (the next `quiet_end` in local time)."""
        if not self.is_quiet(instant):
            return instant
        assert self.quiet_start is not None and self.quiet_end is not None
        local = self.local(instant)
        day = local.date()
        if local.time() >= self.quiet_end:  # in the evening part of a window that wraps past midnight
            day += timedelta(days=1)
        end = at_local(day, self.quiet_end, self.zone)
        return end if end > instant else instant  # a DST jump can put the wall time before the instant

    def planned(self, due_on: date, now: datetime) -> datetime:
        """When a reminder due on `due_on` goes out: the user's send time, local, that day (now if that has
        passed), moved to the end of the quiet hours it falls in."""
        return self.after_quiet(max(at_local(due_on, self.send_time, self.zone), now))

    def next_local_midnight(self, day: date) -> datetime:
        """The UTC instant the user's `day` begins: when a derivation for that day should run."""
        return at_local(day, time(0, 0), self.zone)


def _hhmm(value: str | None) -> time | None:
    if value is None:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def at_local(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `wall` on `day` in `zone`. A time skipped by a spring-forward jump
    maps to the same offset as just before it (02:30 becomes 03:30); a repeated time takes its first
    occurrence (fold=0)."""
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
