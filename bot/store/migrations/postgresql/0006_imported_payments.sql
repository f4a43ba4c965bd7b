-- Schema version 6 (twin of ../0006_imported_payments.sql): the payments CSV imports have counted.

CREATE TABLE imported_payments (
    user_id      TEXT COLLATE "C" NOT NULL,
    contract_id  TEXT COLLATE "C" NOT NULL,
    export_kind  TEXT COLLATE "C" NOT NULL CHECK (export_kind IN ('transactions', 'weekly')),
    payment_key  TEXT COLLATE "C" NOT NULL CHECK (length(payment_key) = 64),
    category     TEXT COLLATE "C" NOT NULL CHECK (category IN ('earning', 'refund')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (user_id, export_kind, payment_key),
    FOREIGN KEY (user_id, contract_id) REFERENCES contracts (user_id, contract_id)
        ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX imported_payments_by_contract ON imported_payments (user_id, contract_id);
