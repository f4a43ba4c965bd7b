-- Schema version 7: the local time of day a user's date-based reminders go out (was fixed at 09:00).
-- Quiet hours still win: a send time inside them moves to their end.

ALTER TABLE user_settings ADD COLUMN send_time TEXT NOT NULL DEFAULT '09:00'
    CHECK (send_time GLOB '[0-2][0-9]:[0-5][0-9]');
