-- Schema version 3 (twin of ../0003_guild_settings.sql): per-server settings.

CREATE TABLE guild_settings (
    guild_id         TEXT COLLATE "C" PRIMARY KEY,
    forum_channel_id TEXT COLLATE "C",
    updated_at       TEXT COLLATE "C" NOT NULL
);
