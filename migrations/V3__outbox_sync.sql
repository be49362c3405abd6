-- Providers connected to their APIs, the transactional outbox of calls waiting to go out
-- and the end-of-day reconciliation reports.

-- A random id for this database, so idempotency keys and keyring entries of one store
-- never collide with another database's (a reinstall, a test).
INSERT INTO settings (key, value) VALUES ('install_id', lower(hex(randomblob(6))));

-- A provider without a row here is record-only: nothing is sent.
CREATE TABLE provider_connections (
    provider        TEXT    PRIMARY KEY REFERENCES providers(code),
    contract        TEXT    NOT NULL CHECK (contract IN ('BILLETERA_V2', 'BANCO_V1')),
    base_url        TEXT    NOT NULL,
    send_deposito   INTEGER NOT NULL CHECK (send_deposito IN (0, 1)),
    send_retiro     INTEGER NOT NULL CHECK (send_retiro IN (0, 1)),
    send_qr         INTEGER NOT NULL CHECK (send_qr IN (0, 1)),
    -- Bank: the store's correspondent account, debited by every deposit.
    store_account   TEXT,
    -- Offline limits, in centavos: the largest single operation and the largest total
    -- queued and not yet acknowledged by the provider.
    max_single      INTEGER NOT NULL CHECK (max_single > 0),
    max_queued      INTEGER NOT NULL CHECK (max_queued > 0),
    updated_at      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

-- The customer's account a DEPOSITO or TRANSFERENCIA_QR is sent to (CVU, alias or bank
-- account); part of the immutable record.
ALTER TABLE agent_transactions ADD COLUMN cuenta_cliente TEXT;

CREATE TRIGGER agent_transactions_customer_account_immutable
BEFORE UPDATE OF cuenta_cliente ON agent_transactions
WHEN NEW.cuenta_cliente IS NOT OLD.cuenta_cliente
BEGIN
    SELECT RAISE(ABORT, 'una transacción de agente no se modifica: anúlela');
END;

CREATE TABLE outbox (
    id                      INTEGER PRIMARY KEY,
    provider                TEXT    NOT NULL REFERENCES providers(code),
    call                    TEXT    NOT NULL CHECK (call IN ('CASHOUT', 'VERIFICAR_COBRO', 'DEPOSITO', 'REVERSO')),
    agent_transaction_id    INTEGER NOT NULL REFERENCES agent_transactions(id),
    -- A reversal goes out only once the call it reverses is acknowledged.
    reverses                INTEGER REFERENCES outbox(id),
    -- Generated once, sent on every retry: the provider deduplicates by it.
    idempotency_key         TEXT    NOT NULL,
    -- The canonical request body, exactly what is sent.
    body                    TEXT    NOT NULL,
    amount                  INTEGER NOT NULL CHECK (amount > 0),
    state                   TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'retry_wait', 'acked', 'needs_attention', 'cancelled')),
    attempts                INTEGER NOT NULL DEFAULT 0,
    -- Unix milliseconds; stored so the backoff survives a restart.
    next_attempt_at         INTEGER NOT NULL,
    -- The last attempt may have reached the provider: ask before sending again.
    outcome_unknown         INTEGER NOT NULL DEFAULT 0 CHECK (outcome_unknown IN (0, 1)),
    provider_ref            TEXT,
    error_code              TEXT,
    error_text              TEXT,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL,
    acked_at                TEXT,
    cancelled_by            INTEGER REFERENCES operators(id),
    cancel_reason           TEXT,
    UNIQUE (provider, call, idempotency_key)
) STRICT;

CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE state IN ('queued', 'sending', 'retry_wait');
CREATE INDEX outbox_by_agent_transaction ON outbox(agent_transaction_id);
CREATE INDEX outbox_by_state ON outbox(state, id);

-- What each provider is owed and has not acknowledged (every call but reversals, in
-- queued, sending, retry_wait or needs_attention), kept by triggers so the offline limit
-- is checked from one row however long the queue grows.
CREATE TABLE outbox_owed (
    provider    TEXT    PRIMARY KEY REFERENCES providers(code),
    amount      INTEGER NOT NULL CHECK (amount >= 0)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER outbox_owed_on_insert
AFTER INSERT ON outbox
WHEN NEW.call != 'REVERSO' AND NEW.state IN ('queued', 'sending', 'retry_wait', 'needs_attention')
BEGIN
    INSERT INTO outbox_owed (provider, amount) VALUES (NEW.provider, NEW.amount)
    ON CONFLICT (provider) DO UPDATE SET amount = amount + NEW.amount;
END;

CREATE TRIGGER outbox_owed_on_state
AFTER UPDATE OF state ON outbox
WHEN NEW.call != 'REVERSO'
 AND (OLD.state IN ('queued', 'sending', 'retry_wait', 'needs_attention'))
  != (NEW.state IN ('queued', 'sending', 'retry_wait', 'needs_attention'))
BEGIN
    UPDATE outbox_owed
    SET amount = amount + CASE WHEN NEW.state IN ('queued', 'sending', 'retry_wait', 'needs_attention')
                               THEN NEW.amount ELSE -NEW.amount END
    WHERE provider = NEW.provider;
END;

CREATE TABLE reconciliations (
    id                  INTEGER PRIMARY KEY,
    provider            TEXT    NOT NULL REFERENCES providers(code),
    dia                 TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    operator_id         INTEGER REFERENCES operators(id),
    conciliadas         INTEGER NOT NULL,
    faltan_en_proveedor INTEGER NOT NULL,
    desconocidas        INTEGER NOT NULL
) STRICT;

CREATE TABLE reconciliation_lines (
    reconciliation_id       INTEGER NOT NULL REFERENCES reconciliations(id),
    line                    INTEGER NOT NULL,
    estado                  TEXT    NOT NULL CHECK (estado IN ('CONCILIADA', 'FALTA_EN_PROVEEDOR', 'DESCONOCIDA_EN_TIENDA')),
    agent_transaction_id    INTEGER REFERENCES agent_transactions(id),
    referencia              TEXT,
    provider_ref            TEXT,
    monto                   INTEGER NOT NULL,
    detalle                 TEXT    NOT NULL,
    PRIMARY KEY (reconciliation_id, line)
) STRICT, WITHOUT ROWID;
