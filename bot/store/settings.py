"""Per-user preferences and their validation.

Validation lives in the model (not in the SQL layer) so the console and Discord front ends get the same
readable refusal, e.g. "timezone: unknown time zone ...", before anything is written.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scoring.params import Cadence

from .errors import InvalidSettingError

_HHMM_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_MAX_ECHO = 40


@cache
def _zones_by_folded_name() -> dict[str, str]:
    """Canonical IANA names keyed case-insensitively, so 'europe/berlin' is accepted as 'Europe/Berlin'."""
    return {name.casefold(): name for name in available_timezones()}


def normalize_timezone(value: str) -> str:
    """The canonical IANA key for `value`, or ValueError with a hint (checked against zoneinfo)."""
    key = value.strip()
    if not key or len(key) > 64:
        raise ValueError("use an IANA time zone name such as 'Europe/Berlin' or 'America/New_York'")
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        canonical = _zones_by_folded_name().get(key.casefold())
        if canonical is None:
            raise ValueError(
                f"unknown time zone '{key[:_MAX_ECHO]}'; use an IANA name such as 'Europe/Berlin' or 'America/New_York'"
            ) from None
        return canonical
    return key


def normalize_hhmm(value: str) -> str:
    """'7:05' -> '07:05'; ValueError unless it is a 24-hour clock time."""
    match = _HHMM_RE.match(value.strip())
    if match is None:
        raise ValueError(f"'{value[:_MAX_ECHO]}' is not a time of day; use 24-hour HH:MM such as '22:30'")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


class UserSettings(BaseModel):
    """A user's preferences; the defaults are what a user who never changed anything gets.

    Reminders are opt-in (off by default). Quiet hours are a window in the user's time zone that may wrap
    past midnight (22:00-07:00); both ends are set together or neither.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = "UTC"
    reminders_enabled: bool = False
    cadence: Cadence = Cadence.DAILY
    quiet_start: str | None = None
    quiet_end: str | None = None
    dm_closed: bool = False
    idle_reminder_days: Annotated[int, Field(ge=1, le=365, strict=True)] = 30
    send_time: str = "09:00"  # local time a date-based reminder goes out on its day (quiet hours still win)

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: Any) -> Any:
        return normalize_timezone(value) if isinstance(value, str) else value

    @field_validator("quiet_start", "quiet_end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> Any:
        if isinstance(value, str):
            return normalize_hhmm(value) if value.strip() else None
        return value

    @field_validator("send_time", mode="before")
    @classmethod
    def _send_time(cls, value: Any) -> Any:
        return normalize_hhmm(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _quiet_pair(self) -> UserSettings:
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValueError("set both quiet_start and quiet_end (e.g. '22:00' and '07:00'), or clear both")
        if self.quiet_start is not None and self.quiet_start == self.quiet_end:
            raise ValueError("quiet_start and quiet_end are equal; clear both to turn quiet hours off")
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The time zone object for scheduling (valid by construction)."""
        return ZoneInfo(self.timezone)


SETTING_NAMES: tuple[str, ...] = tuple(UserSettings.model_fields)


def apply_changes(current: UserSettings, changes: dict[str, Any]) -> UserSettings:
    """`current` with `changes` applied and validated, or InvalidSettingError naming the setting."""
    unknown = sorted(set(changes) - set(SETTING_NAMES))
    if unknown:
        raise InvalidSettingError(
            f"unknown setting '{unknown[0][:_MAX_ECHO]}'; settings are: {', '.join(SETTING_NAMES)}",
            setting=None,
        )
    try:
        return UserSettings.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = error.get("loc", ())
        setting = str(loc[0]) if loc else None
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        if error.get("type") == "enum" and setting == "cadence":
            message = "use 'daily' or 'biweekly'"
        text = f"{setting}: {message}" if setting else message
        raise InvalidSettingError(text, setting=setting) from None
