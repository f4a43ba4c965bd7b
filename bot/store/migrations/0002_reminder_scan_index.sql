-- Schema version 2: the reminder scheduler walks only users who opted in and can still be DMed,
-- in user_id order (keyset pagination). A partial index keeps that scan proportional to the
-- opted-in users instead of every user who ever touched a setting.

CREATE INDEX user_settings_reminder_scan ON user_settings (user_id)
    WHERE reminders_enabled = 1 AND dm_closed = 0;
