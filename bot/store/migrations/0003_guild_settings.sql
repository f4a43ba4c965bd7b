-- Schema version 3: per-server settings (the forum channel the bot answers in). Keyed by guild,
-- not by user: an admin sets it once for the whole server.

CREATE TABLE guild_settings (
    guild_id TEXT PRIMARY KEY,
    forum_channel_id TEXT,
    updated_at TEXT NOT NULL
);
