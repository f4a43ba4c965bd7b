-- Schema version 4: DM reminders (bot/reminders): a durable queue, per-user reminder state and choices.
--
-- The queue holds reminders derived from each ledger (bot/reminders/rules.py). A reminder's identity is
-- (user, contract, rule, due day): deriving again after an edit can only add new keys or cancel stale
-- ones, never duplicate one. Delivery is claim -> send -> mark, each its own transaction: a claim moves
-- `deliver_at` to the end of a lease, so a sender that dies mid-send leaves a row that becomes due again
-- by itself, and the Discord nonce (id + delivery number) makes a resend after a crash a no-op.
--
-- Times: `due_on` is the user's local date, while `planned_at`, `deliver_at` and the other *_at columns are
-- ISO-8601 UTC text with microseconds (they sort as text). This file runs inside the runner's
-- transaction: no BEGIN/COMMIT here.

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    user_id     TEXT    NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    contract_id TEXT    NOT NULL CHECK (length(contract_id) <= 64),  -- '' = about the whole ledger
    rule_id     TEXT    NOT NULL CHECK (length(rule_id) BETWEEN 1 AND 40),
    due_on      TEXT    NOT NULL CHECK (date(due_on) = due_on),
    kind        TEXT    NOT NULL CHECK (kind IN ('ask_client', 'self_close', 'planned_close', 'feedback',
                                                 'dormancy', 'top_rated')),
    -- pending: waits for deliver_at. sending: claimed (deliver_at = lease end). sent. cancelled: the
    -- ledger no longer implies it. held: the user's DMs are closed (resumes with them). failed: gave up.
    state       TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sending', 'sent', 'cancelled', 'held', 'failed')),
    planned_at  TEXT    NOT NULL,  -- when it is meant to go out (due day, send hour, quiet hours, snooze)
    deliver_at  TEXT    NOT NULL,  -- when the sender acts next (planned_at, a retry, or a lease end)
    facts       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(facts)),
    delivery    INTEGER NOT NULL DEFAULT 0 CHECK (delivery >= 0),  -- deliveries made (a snooze adds one)
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),  -- claims of the current delivery
    claim_token TEXT,
    claimed_at  TEXT,
    message_id  TEXT,
    sent_at     TEXT,
    last_error  TEXT    CHECK (last_error IS NULL OR length(last_error) <= 300),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (user_id, contract_id, rule_id, due_on)
);

-- The sender's scan: rows that can become due, in the order they are due. Partial, so the history of
-- sent and cancelled reminders never slows it down.
CREATE INDEX reminders_due ON reminders (deliver_at, id) WHERE state IN ('pending', 'sending');

-- Per-user scheduling state. replan_at: when to derive the user's reminders again ('' = as soon as
-- possible, set by the triggers below when the ledger or a setting changes, NULL = only on a change).
-- changes: a counter the same triggers bump, so a derivation that read the ledger before a concurrent
-- edit does not overwrite the edit's '' with a later replan_at (see ReminderStore.sync).
-- dm_notice: the DMs were found closed and the user has not been told yet.
CREATE TABLE reminder_users (
    user_id    TEXT    NOT NULL PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    replan_at  TEXT,
    planned_on TEXT    CHECK (planned_on IS NULL OR date(planned_on) = planned_on),
    changes    INTEGER NOT NULL DEFAULT 0,  -- bumped by every change: a derivation started before one is stale
    dm_notice  INTEGER NOT NULL DEFAULT 0 CHECK (dm_notice IN (0, 1)),
    updated_at TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE INDEX reminder_users_replan ON reminder_users (replan_at, user_id) WHERE replan_at IS NOT NULL;

-- Reminder kinds a user switched off (no row: the kind is on).
CREATE TABLE reminder_kinds_off (
    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('ask_client', 'self_close', 'planned_close', 'feedback', 'dormancy',
                                          'top_rated')),
    PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;

-- "An edit re-plans": any change to an opted-in user's contracts or close requests, and any change to
-- anyone's settings, marks the user for a new derivation in the same transaction as the change. So no
-- writer (bot, console, importer, another process) has to remember to tell the scheduler, and a crash
-- cannot separate the change from the mark. The users check skips rows being removed by a cascade.

CREATE TRIGGER reminders_replan_contract_insert AFTER INSERT ON contracts
WHEN EXISTS (SELECT 1 FROM user_settings WHERE user_id = NEW.user_id AND reminders_enabled = 1)
BEGIN
    INSERT INTO reminder_users (user_id, replan_at) VALUES (NEW.user_id, '')
    ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1;
END;

CREATE TRIGGER reminders_replan_contract_update AFTER UPDATE ON contracts
WHEN EXISTS (SELECT 1 FROM user_settings WHERE user_id = NEW.user_id AND reminders_enabled = 1)
BEGIN
    INSERT INTO reminder_users (user_id, replan_at) VALUES (NEW.user_id, '')
    ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1;
END;

CREATE TRIGGER reminders_replan_contract_delete AFTER DELETE ON contracts
WHEN EXISTS (SELECT 1 FROM user_settings WHERE user_id = OLD.user_id AND reminders_enabled = 1)
 AND EXISTS (SELECT 1 FROM users WHERE user_id = OLD.user_id)
BEGIN
    INSERT INTO reminder_users (user_id, replan_at) VALUES (OLD.user_id, '')
    ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1;
END;

CREATE TRIGGER reminders_replan_request_insert AFTER INSERT ON close_requests
WHEN EXISTS (SELECT 1 FROM user_settings WHERE user_id = NEW.user_id AND reminders_enabled = 1)
BEGIN
    INSERT INTO reminder_users (user_id, replan_at) VALUES (NEW.user_id, '')
    ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1;
END;

CREATE TRIGGER reminders_replan_request_delete AFTER DELETE ON close_requests
WHEN EXISTS (SELECT 1 FROM user_settings WHERE user_id = OLD.user_id AND reminders_enabled = 1)
 AND EXISTS (SELECT 1 FROM users WHERE user_id = OLD.user_id)
BEGIN
    INSERT INTO reminder_users (user_id, replan_at) VALUES (OLD.user_id, '')
    ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1;
END;

CREATE TRIGGER reminders_replan_settings_insert AFTER INSERT ON user_settings
BEGIN
    INSERT INTO reminder_users (user_id, replan_at) VALUES (NEW.user_id, '')
    ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1;
END;

CREATE TRIGGER reminders_replan_settings_update AFTER UPDATE ON user_settings
BEGIN
    INSERT INTO reminder_users (user_id, replan_at) VALUES (NEW.user_id, '')
    ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1;
END;

-- Users who opted in before this version: plan them on the first scan.
INSERT INTO reminder_users (user_id, replan_at)
SELECT user_id, '' FROM user_settings WHERE reminders_enabled = 1;
