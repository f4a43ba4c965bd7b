-- Schema version 6: the payments Upwork CSV imports have counted, per user, by their identity across
-- downloads (the Ref ID, or the row's cells when there is none). Why: with the payments already
-- counted known, an older export imported after a newer one adds the earnings it alone shows, and no
-- export ever adds a payment twice. A payment belongs to the contract it was counted for; it goes when
-- that contract goes and follows it when it is renamed.

CREATE TABLE imported_payments (
    user_id      TEXT    NOT NULL,
    contract_id  TEXT    NOT NULL,
    export_kind  TEXT    NOT NULL CHECK (export_kind IN ('transactions', 'weekly')),
    payment_key  TEXT    NOT NULL CHECK (length(payment_key) = 64),
    category     TEXT    NOT NULL CHECK (category IN ('earning', 'refund')),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer' AND amount_cents > 0),
    PRIMARY KEY (user_id, export_kind, payment_key),
    FOREIGN KEY (user_id, contract_id) REFERENCES contracts (user_id, contract_id)
        ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE INDEX imported_payments_by_contract ON imported_payments (user_id, contract_id);
