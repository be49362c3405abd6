-- Provider rules at the counter: limits per provider and operation type, commission
-- tariffs, the customer recorded with an agent transaction, and the checks of the store's
-- float against a wallet's own balance.

-- Set by an administrator (audited); one row per provider and type. Amounts in centavos.
CREATE TABLE provider_limits (
    banco               TEXT    NOT NULL REFERENCES providers(code),
    tipo_operacion      TEXT    NOT NULL CHECK (tipo_operacion IN ('DEPOSITO', 'RETIRO', 'TRANSFERENCIA_QR')),
    monto_minimo        INTEGER CHECK (monto_minimo >= 100),
    monto_maximo        INTEGER CHECK (monto_maximo >= 100),
    total_diario        INTEGER CHECK (total_diario >= 100),
    total_mensual       INTEGER CHECK (total_mensual >= 100),
    identidad           TEXT    NOT NULL CHECK (identidad IN ('NUNCA', 'SIEMPRE', 'DESDE_MONTO')),
    identidad_desde     INTEGER CHECK (identidad_desde >= 100),
    identidad_en_recibo INTEGER NOT NULL CHECK (identidad_en_recibo IN (0, 1)),
    updated_at          TEXT    NOT NULL,
    updated_by          INTEGER NOT NULL REFERENCES operators(id),
    PRIMARY KEY (banco, tipo_operacion),
    CHECK (monto_minimo IS NULL OR monto_maximo IS NULL OR monto_minimo <= monto_maximo),
    CHECK ((identidad = 'DESDE_MONTO') = (identidad_desde IS NOT NULL))
) STRICT, WITHOUT ROWID;

-- A tariff's bands, contiguous from `desde` up (both ends included; the last may have no
-- top). Values: centavos for FIJA, hundredths of a percent for PORCENTAJE (150 = 1,50 %).
CREATE TABLE commission_tariffs (
    banco               TEXT    NOT NULL REFERENCES providers(code),
    tipo_operacion      TEXT    NOT NULL CHECK (tipo_operacion IN ('DEPOSITO', 'RETIRO', 'TRANSFERENCIA_QR')),
    desde               INTEGER NOT NULL CHECK (desde >= 0),
    hasta               INTEGER CHECK (hasta >= desde),
    cliente_tipo        TEXT    NOT NULL CHECK (cliente_tipo IN ('FIJA', 'PORCENTAJE')),
    cliente_valor       INTEGER NOT NULL CHECK (cliente_valor >= 0),
    banco_tipo          TEXT    NOT NULL CHECK (banco_tipo IN ('FIJA', 'PORCENTAJE')),
    banco_valor         INTEGER NOT NULL CHECK (banco_valor >= 0),
    redondeo            TEXT    NOT NULL CHECK (redondeo IN ('CENTAVO', 'DECIMO', 'BOLIVIANO')),
    PRIMARY KEY (banco, tipo_operacion, desde)
) STRICT, WITHOUT ROWID;

-- What the rules fixed for one agent transaction, written with it and never changed: the
-- customer's document and name, the tariff's commissions, the reason an administrator
-- charged another client commission.
CREATE TABLE agent_transaction_terms (
    agent_transaction_id    INTEGER PRIMARY KEY REFERENCES agent_transactions(id),
    ci_numero               TEXT,
    ci_complemento          TEXT,
    ci_expedido             TEXT,
    cliente_nombre          TEXT,
    comision_tarifa         INTEGER CHECK (comision_tarifa >= 0),
    comision_banco_esperada INTEGER CHECK (comision_banco_esperada >= 0),
    motivo_comision         TEXT,
    CHECK ((ci_numero IS NULL) = (cliente_nombre IS NULL)),
    CHECK (ci_numero IS NOT NULL OR (ci_complemento IS NULL AND ci_expedido IS NULL))
) STRICT;

CREATE INDEX agent_transaction_terms_by_document ON agent_transaction_terms(ci_numero, ci_complemento) WHERE ci_numero IS NOT NULL;

CREATE TRIGGER agent_transaction_terms_immutable
BEFORE UPDATE ON agent_transaction_terms
BEGIN
    SELECT RAISE(ABORT, 'las condiciones de una transacción de agente no se modifican');
END;

CREATE TRIGGER agent_transaction_terms_no_delete
BEFORE DELETE ON agent_transaction_terms
BEGIN
    SELECT RAISE(ABORT, 'las condiciones de una transacción de agente no se borran');
END;

-- The store's float with a wallet against the wallet's `account/balance`, append-only.
CREATE TABLE provider_balance_checks (
    id                  INTEGER PRIMARY KEY,
    banco               TEXT    NOT NULL REFERENCES providers(code),
    fecha               TEXT    NOT NULL,
    momento             TEXT    NOT NULL CHECK (momento IN ('SINCRONIZACION', 'CIERRE_DIA')),
    saldo_tienda        INTEGER NOT NULL,
    saldo_proveedor     INTEGER NOT NULL
) STRICT;

CREATE INDEX provider_balance_checks_by_provider ON provider_balance_checks(banco, id);

CREATE TRIGGER provider_balance_checks_immutable
BEFORE UPDATE ON provider_balance_checks
BEGIN
    SELECT RAISE(ABORT, 'una comparación de saldos no se modifica');
END;

CREATE TRIGGER provider_balance_checks_no_delete
BEFORE DELETE ON provider_balance_checks
BEGIN
    SELECT RAISE(ABORT, 'las comparaciones de saldos no se borran');
END;
