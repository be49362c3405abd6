-- Agent transactions (banks and wallets), mobile top-ups (recargas) and work-order
-- payments, each posting its transfers in the ledger of V1. Wire names follow the seed
-- documents (banco, tipo_operacion, monto, nro_referencia, operadora, metodoPago, ...).

CREATE TABLE providers (
    code            TEXT    PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 30),
    name            TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO providers (code, name, created_at) VALUES
    ('TIGO_MONEY', 'Tigo Money', '2026-01-01T00:00:00.000Z'),
    ('BCP', 'Banco de Crédito BCP', '2026-01-01T00:00:00.000Z'),
    ('BANCO_UNION', 'Banco Unión', '2026-01-01T00:00:00.000Z'),
    ('SOLI', 'Soli', '2026-01-01T00:00:00.000Z');

INSERT INTO accounts (code, may_go_negative)
    SELECT 'provider_float:' || code, 0 FROM providers
    UNION ALL SELECT 'receivable:bank_commission:' || code, 1 FROM providers;

INSERT INTO accounts (code, may_go_negative) VALUES
    ('income:client_commission', 1),
    ('income:bank_commission', 1),
    ('income:carrier_bonus', 1),
    ('income:payments', 1),
    ('bank:BCP', 1),
    ('bank:LOS_ANDES', 1),
    ('bank:OTRO', 1),
    ('carrier_float:Tigo', 0),
    ('carrier_float:Entel', 0),
    ('carrier_float:Viva', 0);

-- Every operation's transfers carry the operation they belong to, so a void can reverse
-- exactly those.
ALTER TABLE transfers ADD COLUMN operation TEXT;
CREATE INDEX transfers_by_operation ON transfers(operation) WHERE operation IS NOT NULL;

CREATE TABLE agent_transactions (
    id                  INTEGER PRIMARY KEY,
    banco               TEXT    NOT NULL REFERENCES providers(code),
    tipo_operacion      TEXT    NOT NULL CHECK (tipo_operacion IN ('DEPOSITO', 'RETIRO', 'TRANSFERENCIA_QR')),
    monto               INTEGER NOT NULL CHECK (monto >= 100),
    comision_cliente    INTEGER NOT NULL DEFAULT 0 CHECK (comision_cliente >= 0),
    comision_banco      INTEGER NOT NULL DEFAULT 0 CHECK (comision_banco >= 0),
    nro_referencia      TEXT    NOT NULL,
    url_comprobante     TEXT,
    fecha               TEXT    NOT NULL,
    id_caja_sesion      INTEGER NOT NULL REFERENCES cash_sessions(id),
    operator_id         INTEGER NOT NULL REFERENCES operators(id),
    voided_at           TEXT,
    voided_by           INTEGER REFERENCES operators(id),
    void_reason         TEXT,
    UNIQUE (banco, nro_referencia)
) STRICT;

CREATE INDEX agent_transactions_by_session ON agent_transactions(id_caja_sesion);
CREATE INDEX agent_transactions_by_provider_date ON agent_transactions(banco, fecha);
CREATE INDEX agent_transactions_by_date ON agent_transactions(fecha);

-- How many agent transactions each provider has per store-local day (UTC-4), kept by a
-- trigger, so a list filtered by provider and dates knows its total from a few rows
-- instead of counting every match.
CREATE TABLE agent_daily_counts (
    banco               TEXT    NOT NULL REFERENCES providers(code),
    dia                 TEXT    NOT NULL,
    cantidad            INTEGER NOT NULL CHECK (cantidad > 0),
    PRIMARY KEY (banco, dia)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER agent_transactions_count_per_day
AFTER INSERT ON agent_transactions
BEGIN
    INSERT INTO agent_daily_counts (banco, dia, cantidad) VALUES (NEW.banco, date(NEW.fecha, '-4 hours'), 1)
    ON CONFLICT (banco, dia) DO UPDATE SET cantidad = cantidad + 1;
END;

-- Only the bank commission (settled later) and the void mark may change, once.
CREATE TRIGGER agent_transactions_immutable
BEFORE UPDATE ON agent_transactions
WHEN NEW.banco IS NOT OLD.banco OR NEW.tipo_operacion IS NOT OLD.tipo_operacion
  OR NEW.monto IS NOT OLD.monto OR NEW.comision_cliente IS NOT OLD.comision_cliente
  OR NEW.nro_referencia IS NOT OLD.nro_referencia OR NEW.fecha IS NOT OLD.fecha
  OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion OR NEW.operator_id IS NOT OLD.operator_id
  OR NEW.url_comprobante IS NOT OLD.url_comprobante
  OR (OLD.voided_at IS NOT NULL AND (NEW.voided_at IS NOT OLD.voided_at OR NEW.void_reason IS NOT OLD.void_reason))
BEGIN
    SELECT RAISE(ABORT, 'una transacción de agente no se modifica: anúlela');
END;

CREATE TRIGGER agent_transactions_no_delete
BEFORE DELETE ON agent_transactions
BEGIN
    SELECT RAISE(ABORT, 'las transacciones de agente no se borran: anúlelas');
END;

CREATE TABLE carriers (
    operadora           TEXT    PRIMARY KEY CHECK (operadora IN ('Tigo', 'Entel', 'Viva')),
    -- Bonus the carrier adds to each injection, in hundredths of a percent (250 = 2.50 %).
    bonus_basis_points  INTEGER NOT NULL DEFAULT 0 CHECK (bonus_basis_points BETWEEN 0 AND 5000)
) STRICT, WITHOUT ROWID;

INSERT INTO carriers (operadora) VALUES ('Tigo'), ('Entel'), ('Viva');

CREATE TABLE topups (
    id                  INTEGER PRIMARY KEY,
    operadora           TEXT    NOT NULL REFERENCES carriers(operadora),
    telefono            TEXT    NOT NULL CHECK (length(telefono) = 8),
    monto               INTEGER NOT NULL CHECK (monto >= 10),
    fecha               TEXT    NOT NULL,
    id_caja_sesion      INTEGER NOT NULL REFERENCES cash_sessions(id),
    operator_id         INTEGER NOT NULL REFERENCES operators(id),
    voided_at           TEXT,
    voided_by           INTEGER REFERENCES operators(id),
    void_reason         TEXT
) STRICT;

CREATE INDEX topups_by_session ON topups(id_caja_sesion);
CREATE INDEX topups_by_date ON topups(fecha);

CREATE TABLE injections (
    id                  INTEGER PRIMARY KEY,
    operadora           TEXT    NOT NULL REFERENCES carriers(operadora),
    monto               INTEGER NOT NULL CHECK (monto >= 100),
    bonificacion        INTEGER NOT NULL DEFAULT 0 CHECK (bonificacion >= 0),
    fecha               TEXT    NOT NULL,
    id_caja_sesion      INTEGER NOT NULL REFERENCES cash_sessions(id),
    operator_id         INTEGER NOT NULL REFERENCES operators(id),
    voided_at           TEXT,
    voided_by           INTEGER REFERENCES operators(id),
    void_reason         TEXT
) STRICT;

CREATE INDEX injections_by_session ON injections(id_caja_sesion);

CREATE TRIGGER topups_immutable
BEFORE UPDATE ON topups
WHEN NEW.operadora IS NOT OLD.operadora OR NEW.telefono IS NOT OLD.telefono OR NEW.monto IS NOT OLD.monto
  OR NEW.fecha IS NOT OLD.fecha OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion
  OR OLD.voided_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'una recarga no se modifica: anúlela');
END;

CREATE TRIGGER topups_no_delete BEFORE DELETE ON topups
BEGIN SELECT RAISE(ABORT, 'las recargas no se borran'); END;

CREATE TRIGGER injections_immutable
BEFORE UPDATE ON injections
WHEN NEW.operadora IS NOT OLD.operadora OR NEW.monto IS NOT OLD.monto OR NEW.bonificacion IS NOT OLD.bonificacion
  OR NEW.fecha IS NOT OLD.fecha OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion OR NEW.operator_id IS NOT OLD.operator_id
  OR OLD.voided_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'una inyección no se modifica: anúlela');
END;

CREATE TRIGGER injections_no_delete BEFORE DELETE ON injections
BEGIN SELECT RAISE(ABORT, 'las inyecciones no se borran'); END;

CREATE TABLE payments (
    id                  INTEGER PRIMARY KEY,
    id_orden_trabajo    INTEGER NOT NULL CHECK (id_orden_trabajo > 0),
    cliente             TEXT    NOT NULL,
    monto               INTEGER NOT NULL CHECK (monto > 0),
    fecha_pago          TEXT    NOT NULL,
    metodo_pago         TEXT    NOT NULL CHECK (metodo_pago IN ('BCP', 'EFECTIVO', 'LOS_ANDES', 'OTRO')),
    referencia          TEXT,
    vigente             INTEGER NOT NULL DEFAULT 1 CHECK (vigente IN (0, 1)),
    id_caja_sesion      INTEGER NOT NULL REFERENCES cash_sessions(id),
    operator_id         INTEGER NOT NULL REFERENCES operators(id),
    created_at          TEXT    NOT NULL,
    -- A correction voids the original and points back to it.
    corrige_a           INTEGER UNIQUE REFERENCES payments(id),
    voided_at           TEXT,
    voided_by           INTEGER REFERENCES operators(id),
    void_reason         TEXT,
    CHECK (metodo_pago = 'EFECTIVO' OR referencia IS NOT NULL),
    CHECK ((vigente = 1) = (voided_at IS NULL))
) STRICT;

-- A reference identifies one live payment per method; a correction reuses it.
CREATE UNIQUE INDEX payments_reference_per_method
    ON payments(metodo_pago, referencia) WHERE vigente = 1 AND referencia IS NOT NULL;
CREATE INDEX payments_by_work_order ON payments(id_orden_trabajo);
CREATE INDEX payments_by_session ON payments(id_caja_sesion);

CREATE TRIGGER payments_immutable
BEFORE UPDATE ON payments
WHEN NEW.id_orden_trabajo IS NOT OLD.id_orden_trabajo OR NEW.cliente IS NOT OLD.cliente
  OR NEW.monto IS NOT OLD.monto OR NEW.fecha_pago IS NOT OLD.fecha_pago
  OR NEW.metodo_pago IS NOT OLD.metodo_pago OR NEW.referencia IS NOT OLD.referencia
  OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion OR OLD.vigente = 0
BEGIN
    SELECT RAISE(ABORT, 'un pago no se modifica: corríjalo o anúlelo');
END;

CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'los pagos no se borran: anúlelos'); END;

-- Carrier balances when a session opened and closed, for the X/Z report.
CREATE TABLE session_carrier_balances (
    session_id          INTEGER NOT NULL REFERENCES cash_sessions(id),
    moment              TEXT    NOT NULL CHECK (moment IN ('APERTURA', 'CIERRE')),
    operadora           TEXT    NOT NULL REFERENCES carriers(operadora),
    saldo               INTEGER NOT NULL,
    PRIMARY KEY (session_id, moment, operadora)
) STRICT, WITHOUT ROWID;

CREATE TABLE bank_commission_settlements (
    id                  INTEGER PRIMARY KEY,
    banco               TEXT    NOT NULL REFERENCES providers(code),
    lineas              INTEGER NOT NULL,
    conciliadas         INTEGER NOT NULL,
    total               INTEGER NOT NULL,
    pagado              INTEGER NOT NULL CHECK (pagado IN (0, 1)),
    operator_id         INTEGER NOT NULL REFERENCES operators(id),
    created_at          TEXT    NOT NULL
) STRICT;
