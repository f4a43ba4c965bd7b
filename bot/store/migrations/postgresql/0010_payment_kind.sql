-- Schema version 10 (twin of ../0010_payment_kind.sql): the contract type a counted payment shows.

ALTER TABLE imported_payments ADD COLUMN payment_kind TEXT COLLATE "C"
    CHECK (payment_kind IS NULL OR payment_kind IN ('hourly', 'fixed'));
