"""`jss-advisor`: the composition root. It hands the command line to the console front end and gives it
the one thing the console may not import itself: a way to start the Discord front end (`jss-advisor bot`).

Why here and not in the console: the two front ends are siblings that never import each other (the
import contract in pyproject.toml), and the console must start without loading discord.py.
"""

from __future__ import annotations

from collections.abc import Sequence


def run_discord_bot() -> int:
    """Start the Discord bot from its settings (imported only when asked: discord.py is slow to load)."""
    from bot.discord_app.run import main as run_bot

    return run_bot()


def main(argv: Sequence[str] | None = None) -> int:
    from bot.console.cli import main as console_main

    return console_main(argv, run_bot=run_discord_bot)


if __name__ == "__main__":
    raise SystemExit(main())
