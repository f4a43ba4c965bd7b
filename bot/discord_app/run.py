"""Start the Discord bot from settings; a missing token is a one-line error, not a traceback."""

from __future__ import annotations

import logging
import sys

from pydantic import ValidationError

from bot.discord_app.settings import Settings

from .client import build_bot


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        print(f"jss-advisor bot: {problems} (see .env.example)", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    if settings.discord_token is None or not settings.discord_token.get_secret_value():
        print(
            "jss-advisor bot: DISCORD_TOKEN is not set (see .env.example); the console works without it: "
            "jss-advisor demo",
            file=sys.stderr,
        )
        return 2
    bot = build_bot(
        settings.db_path,
        shards=settings.shards,
        shard_count=settings.shard_count,
        dev_guild_id=settings.dev_guild_id,
        message_content=settings.message_content,
        freeze_startup_heap=True,
    )
    bot.run(settings.discord_token.get_secret_value(), log_handler=None)
    return 0
