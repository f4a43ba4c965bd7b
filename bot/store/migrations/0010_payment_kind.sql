-- Schema version 10: the contract type a counted payment shows (an hourly invoice, a fixed-price milestone;
-- NULL for a bonus, which says nothing). Why: a contract first seen through a bonus alone gets the
-- fixed-price default; when a later import (an older download, the other export) shows its hourly time, the
-- type must follow the evidence as it would had the whole history come in one file -- unless the user chose
-- the type. Knowing what the counted payments showed tells the two apart. Rows counted before this version
-- show nothing (NULL), which leaves their contracts' types as they are.

ALTER TABLE imported_payments ADD COLUMN payment_kind TEXT CHECK (payment_kind IS NULL OR payment_kind IN ('hourly', 'fixed'));
