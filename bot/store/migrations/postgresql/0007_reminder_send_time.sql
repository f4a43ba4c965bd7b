-- Schema version 7 (twin of ../0007_reminder_send_time.sql): the local time date-based reminders go out.

ALTER TABLE user_settings ADD COLUMN send_time TEXT COLLATE "C" NOT NULL DEFAULT '09:00'
    CHECK (send_time ~ '^[0-2][0-9]:[0-5][0-9]$');
