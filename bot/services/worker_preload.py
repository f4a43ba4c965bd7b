"""Imported once by the engine workers' fork server (`workers.PRELOAD`): readies rendering there.

Why: answer jobs render in the workers (see context.py). On its first use Jinja compiles a template (about
a second for all of them on a small, busy box) and Discord escaping imports discord.py (a quarter of a
second); done in the fork server, before it forks, every worker (and every replacement after a crash)
starts ready, so a user's first answer after a start does not pay for it. The fork server can only import
modules, hence a module that does the work.
"""

from __future__ import annotations

from bot.render.environment import OutputFormat, environment
from bot.render.escaping import for_console, for_discord


def compile_templates() -> int:
    """Compile every template for every output (cached by `environment`); returns how many."""
    compiled = 0
    for fmt in OutputFormat:
        env = environment(fmt)
        for name in env.list_templates():
            env.get_template(name)
            compiled += 1
    return compiled


compile_templates()
for_discord("warm")  # imports discord.utils, as the first Discord answer would
for_console("warm")
