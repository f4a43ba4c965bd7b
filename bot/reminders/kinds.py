"""The reminder kinds a user can switch on and off, each tied to the catalogue rule it applies.

Why an enum with stable string values: the values are stored (per-user preferences, the queue) and
typed by users (`/reminders kinds`, `jss-advisor reminders kinds --off feedback`), so they must never
change; the rule ids are what every reminder cites.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

SNOOZE_DAYS = 7  # the DM button: "Remind me in 7 days"
MAX_SNOOZE_DAYS = 90  # the longest snooze a user may ask for


class ReminderKind(StrEnum):
    ASK_CLIENT = "ask_client"
    SELF_CLOSE = "self_close"
    PLANNED_CLOSE = "planned_close"
    FEEDBACK = "feedback"
    DORMANCY = "dormancy"
    TOP_RATED = "top_rated"


ALL_KINDS: frozenset[ReminderKind] = frozenset(ReminderKind)

RULE_OF_KIND: dict[ReminderKind, str] = {
    ReminderKind.ASK_CLIENT: "C-CLOSE-ADVICE",
    ReminderKind.SELF_CLOSE: "C-SELF-CLOSE-2MO",
    ReminderKind.PLANNED_CLOSE: "L-STAGGER",
    ReminderKind.FEEDBACK: "FB-14DAYS",
    ReminderKind.DORMANCY: "C-FP-DORMANT",
    ReminderKind.TOP_RATED: "B-TR-WEEKS",
}

KIND_LABELS: dict[ReminderKind, str] = {
    ReminderKind.ASK_CLIENT: "Ask the client to close an idle contract",
    ReminderKind.SELF_CLOSE: "Close it yourself after asking and 2 idle months",
    ReminderKind.PLANNED_CLOSE: "A staggered closing from your plan is due",
    ReminderKind.FEEDBACK: "The 14-day feedback window closes in 2 days",
    ReminderKind.DORMANCY: "A funded fixed-price contract nears dormancy (day 76, 83, 90)",
    ReminderKind.TOP_RATED: "Top Rated eligible weeks at risk",
}


def parse_kinds(values: Iterable[str]) -> frozenset[ReminderKind]:
    """Kinds from user input ('feedback', 'top-rated', 'all'); ValueError naming the accepted values."""
    chosen: set[ReminderKind] = set()
    for raw in values:
        for part in raw.replace(",", " ").split():
            name = part.strip().lower().replace("-", "_")
            if name == "all":
                chosen |= ALL_KINDS
                continue
            try:
                chosen.add(ReminderKind(name))
            except ValueError:
                valid = ", ".join(k.value for k in ReminderKind)
                raise ValueError(f"unknown reminder kind '{part[:40]}'; use one of: {valid}, all") from None
    return frozenset(chosen)
