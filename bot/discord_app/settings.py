"""Typed settings from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    dev_guild_id: int | None = Field(None, alias="DISCORD_DEV_GUILD_ID")
    db_path: Path = Field(Path("jss-advisor.db"), alias="JSS_ADVISOR_DB")
    log_level: str = Field("INFO", alias="JSS_LOG_LEVEL")
    # Forum posts' text needs the privileged Message Content intent; without it the bot answers from
    # the post title alone. Enable it in the Developer Portal first, then set this to true.
    message_content: bool = Field(False, alias="DISCORD_MESSAGE_CONTENT")
