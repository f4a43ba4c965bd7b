-- Schema version 9: refunds a CSV import could not yet attribute, per user, kept until their earning is
-- imported. Why: a download that starts after a payment but holds its refund names the payment by its
-- Ref ID only; imported before the older download, the refund has no contract yet. Dropping it would
-- lose money for good (the older download brings the earning, not the refund again), so it waits here,
-- keyed like a counted payment, and is netted against the earning's contract by the import that counts
-- that earning (then it leaves this table for `imported_payments`). Keys are hashes: no user text.

CREATE TABLE pending_refunds (
    user_id      TEXT    NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    export_kind  TEXT    NOT NULL CHECK (export_kind IN ('transactions', 'weekly')),
    payment_key  TEXT    NOT NULL CHECK (length(payment_key) = 64),
    refers_key   TEXT    NOT NULL CHECK (length(refers_key) = 64),
    day          TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer' AND amount_cents > 0),
    kind         TEXT    CHECK (kind IS NULL OR kind IN ('hourly', 'fixed')),
    PRIMARY KEY (user_id, export_kind, payment_key)
) WITHOUT ROWID;

CREATE INDEX pending_refunds_by_earning ON pending_refunds (user_id, export_kind, refers_key);

-- And the day the guided first run recorded a close request for a contract ("asked the client to close
-- it"), so that picking that answer again adds nothing and picking another answer instead takes back
-- the request the first pick added (and only that one: requests recorded elsewhere are the user's).
ALTER TABLE onboarding_questions ADD COLUMN asked_on TEXT
    CHECK (asked_on IS NULL OR asked_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
