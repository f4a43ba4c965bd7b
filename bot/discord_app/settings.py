"""Typed settings from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.store import is_url


class Settings(BaseSettings):
    # Empty values (as in a copied .env.example) mean "not set": the defaults apply.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    dev_guild_id: int | None = Field(None, alias="DISCORD_DEV_GUILD_ID")
    db_path: Path | str = Field(Path("jss-advisor.db"), alias="JSS_ADVISOR_DB")  # a file, or a postgresql:// URL
    log_level: str = Field("INFO", alias="JSS_LOG_LEVEL")
    # Forum posts' text needs the privileged Message Content intent; without it the bot answers from
    # the post title alone. Enable it in the Developer Portal first, then set this to true.
    message_content: bool = Field(False, alias="DISCORD_MESSAGE_CONTENT")
    # Several processes: the bot's shards in all (Discord requires sharding from 2,500 guilds), and the ones
    # this process runs ("0,1" or "0-1"; empty: all of them). Unset: one process, no sharding. Every process of the
    # bot must be given the same count, and each shard to exactly one process.
    shard_count: int | None = Field(None, alias="JSS_ADVISOR_SHARD_COUNT", ge=1)
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(None, alias="JSS_ADVISOR_SHARD_IDS")

    @field_validator("db_path", mode="before")
    @classmethod
    def _file_or_url(cls, value: Any) -> Any:
        """A `postgresql://` URL stays text (as a Path its `//` would fold); anything else is a file path."""
        return value if isinstance(value, str) and is_url(value) else Path(value)

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: Any) -> Any:
        """`0,1`, `0 1` or a range `0-3` (a systemd instance name cannot hold a comma); empty: none given."""
        if not isinstance(value, str):
            return value
        ids: list[int] = []
        for part in value.replace(",", " ").split():
            first, dash, last = part.partition("-")
            ids += range(int(first), int(last) + 1) if dash else [int(first)]
        return tuple(ids) or None

    @model_validator(mode="after")
    def _shards_fit(self) -> Self:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("JSS_ADVISOR_SHARD_IDS needs JSS_ADVISOR_SHARD_COUNT (the shards in all)")
            wrong = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if wrong or len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError(
                    f"JSS_ADVISOR_SHARD_IDS must be distinct shards from 0 to {self.shard_count - 1}, "
                    f"got {','.join(map(str, self.shard_ids))}"
                )
        return self

    @property
    def shards(self) -> tuple[int, ...] | None:
        """The shards this process runs (None: not sharded)."""
        if self.shard_count is None:
            return None
        return self.shard_ids or tuple(range(self.shard_count))
