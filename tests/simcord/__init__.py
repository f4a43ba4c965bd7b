"""The bot's commands under SimCord (PyPI `simcord`), an in-process simulation of Discord's behaviour for
discord.py that this project did not write: a second opinion beside our own local Discord (tests.fakediscord).

SimCord swaps discord.py's HTTP client and webhook adapter, so it checks behaviour (ephemeral replies, defer
then followup, DMs, buttons and forms), not the wire format our fake validates against the OpenAPI spec.
Where the two disagree, Discord's documentation decides; see the notes in the tests.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from scoring.model import Ledger
from tests.builders import good_jobs, ledger, open_hourly
from tests.discord_app.reminders import START

TODAY = START.date()
# SimCord fails an action whose handlers are not idle within its settle timeout (5 s by default). This is a
# bound on hangs, not a speed requirement: a loaded CI machine may take seconds to draw a chart.
SETTLE_LIMIT = 60.0


def sample_ledger() -> Ledger:
    """Eight good jobs (a score to show) and two idle contracts: "old" is overdue for an 'ask the client'
    reminder at START, "newer" falls due ten days later."""
    return ledger(
        [
            *good_jobs(8, TODAY - timedelta(days=20)),
            open_hourly("old", TODAY, 45),
            open_hourly("newer", TODAY, 20),
        ]
    )


# Every test of this folder that uses SimCord's `simcord_env` gets the bound above (`simcord.run` options).
SIMCORD_OPTIONS = pytest.mark.simcord(settle_timeout=SETTLE_LIMIT)
