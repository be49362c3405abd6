-- Foundation: operators, registers, cash sessions and the append-only ledger.
-- Money is integer centavos everywhere. Timestamps are RFC 3339 UTC text.

CREATE TABLE operators (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    role            TEXT    NOT NULL CHECK (role IN ('cajero', 'administrador')),
    pin_hash        TEXT    NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_logins   INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until    TEXT,
    created_at      TEXT    NOT NULL
) STRICT;

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    currency        TEXT    NOT NULL DEFAULT 'BOB',
    may_go_negative INTEGER NOT NULL CHECK (may_go_negative IN (0, 1)),
    -- Cache of the sum of transfers, kept by the trigger below; the CHECK is the
    -- balance rule enforced where the data lives.
    balance         INTEGER NOT NULL DEFAULT 0,
    CHECK (may_go_negative = 1 OR balance >= 0)
) STRICT;

CREATE TABLE registers (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    specialty       TEXT    NOT NULL CHECK (specialty IN ('SOLO_VENTAS', 'SOLO_AGENTES', 'MIXTA')),
    created_at      TEXT    NOT NULL
) STRICT;

CREATE TABLE cash_sessions (
    id                  INTEGER PRIMARY KEY,
    register_id         INTEGER NOT NULL REFERENCES registers(id),
    operator_id         INTEGER NOT NULL REFERENCES operators(id),
    status              TEXT    NOT NULL CHECK (status IN ('ABIERTA', 'CERRADA')),
    opened_at           TEXT    NOT NULL,
    opening_float       INTEGER NOT NULL CHECK (opening_float >= 0),
    opening_adjustment  INTEGER NOT NULL DEFAULT 0,
    closed_at           TEXT,
    closed_by           INTEGER REFERENCES operators(id),
    counted             INTEGER CHECK (counted >= 0),
    expected            INTEGER,
    difference          INTEGER,
    result              TEXT CHECK (result IN ('CUADRADO', 'SOBRANTE', 'FALTANTE')),
    authorized_by       INTEGER REFERENCES operators(id),
    close_note          TEXT,
    CHECK ((status = 'ABIERTA') = (closed_at IS NULL)),
    CHECK (status = 'ABIERTA' OR (counted IS NOT NULL AND expected IS NOT NULL
                                  AND difference = counted - expected AND result IS NOT NULL))
) STRICT;

-- At most one open session per register and per operator, whatever the code does.
CREATE UNIQUE INDEX cash_sessions_one_open_per_register
    ON cash_sessions(register_id) WHERE status = 'ABIERTA';
CREATE UNIQUE INDEX cash_sessions_one_open_per_operator
    ON cash_sessions(operator_id) WHERE status = 'ABIERTA';
CREATE INDEX cash_sessions_by_opening ON cash_sessions(opened_at);

-- A closed session stays closed and its figures never change.
CREATE TRIGGER cash_sessions_closed_is_final
BEFORE UPDATE ON cash_sessions
WHEN OLD.status = 'CERRADA'
BEGIN
    SELECT RAISE(ABORT, 'una sesión cerrada no se modifica');
END;

CREATE TRIGGER cash_sessions_no_delete
BEFORE DELETE ON cash_sessions
BEGIN
    SELECT RAISE(ABORT, 'las sesiones de caja no se borran');
END;

-- The ledger: every money movement is one immutable transfer between two accounts.
CREATE TABLE transfers (
    id              INTEGER PRIMARY KEY,
    from_account    INTEGER NOT NULL REFERENCES accounts(id),
    to_account      INTEGER NOT NULL REFERENCES accounts(id),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    kind            TEXT    NOT NULL,
    session_id      INTEGER REFERENCES cash_sessions(id),
    operator_id     INTEGER NOT NULL REFERENCES operators(id),
    reverses        INTEGER REFERENCES transfers(id),
    created_at      TEXT    NOT NULL,
    CHECK (from_account <> to_account)
) STRICT;

-- A transfer is reversed at most once. Partial, so the common unreversed row writes no
-- index entry: every index entry is a page written at each durable commit.
CREATE UNIQUE INDEX transfers_reversed_once ON transfers(reverses) WHERE reverses IS NOT NULL;

CREATE TRIGGER transfers_post
AFTER INSERT ON transfers
BEGIN
    UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.from_account;
    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.to_account;
END;

CREATE TRIGGER transfers_no_update
BEFORE UPDATE ON transfers
BEGIN
    SELECT RAISE(ABORT, 'el libro es de solo agregado: use una transferencia inversa');
END;

CREATE TRIGGER transfers_no_delete
BEFORE DELETE ON transfers
BEGIN
    SELECT RAISE(ABORT, 'el libro es de solo agregado: use una transferencia inversa');
END;

-- A movement is identified by its transfer. The table is clustered for the X/Z report:
-- a session's movements lie together in (kind, reason, operator) order, so the report
-- reads one range and the write touches no secondary index.
CREATE TABLE cash_movements (
    session_id      INTEGER NOT NULL REFERENCES cash_sessions(id),
    kind            TEXT    NOT NULL CHECK (kind IN ('INGRESO', 'EGRESO')),
    reason          TEXT    NOT NULL,
    operator_id     INTEGER NOT NULL REFERENCES operators(id),
    id              INTEGER NOT NULL REFERENCES transfers(id),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    note            TEXT,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (session_id, kind, reason, operator_id, id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER cash_movements_no_update
BEFORE UPDATE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'los movimientos de caja no se modifican');
END;

CREATE TRIGGER cash_movements_no_delete
BEFORE DELETE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'los movimientos de caja no se borran');
END;

CREATE TABLE close_counts (
    session_id      INTEGER NOT NULL REFERENCES cash_sessions(id),
    denomination    TEXT    NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (session_id, denomination)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    operator_id     INTEGER REFERENCES operators(id),
    action          TEXT    NOT NULL,
    entity          TEXT    NOT NULL,
    entity_id       INTEGER,
    detail          TEXT    NOT NULL DEFAULT '{}',
    created_at      TEXT    NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'la bitácora es de solo agregado');
END;

CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'la bitácora es de solo agregado');
END;

CREATE TABLE settings (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO settings (key, value) VALUES ('close_difference_threshold', '2000');

-- Shared counterpart accounts. Each register's vault is the account 'vault:<register id>'
-- and each session's drawer is 'drawer:<session id>', created with them.
INSERT INTO accounts (code, may_go_negative) VALUES ('external', 1), ('over_short', 1);
