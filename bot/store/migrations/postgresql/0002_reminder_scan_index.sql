-- Schema version 2 (twin of ../0002_reminder_scan_index.sql): the opted-in users' partial index.

CREATE INDEX user_settings_reminder_scan ON user_settings (user_id)
    WHERE reminders_enabled = 1 AND dm_closed = 0;
