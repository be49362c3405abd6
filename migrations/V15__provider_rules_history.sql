-- Each change of a provider's limits or commission tariff keeps the version it replaced:
-- one row per change, append-only, with the previous and the new version as JSON (the
-- wire shapes `ProviderLimit` and `Tariff`; NULL: there was none / it was removed).
CREATE TABLE provider_rule_history (
    id              INTEGER PRIMARY KEY,
    banco           TEXT    NOT NULL REFERENCES providers(code),
    tipo_operacion  TEXT    NOT NULL CHECK (tipo_operacion IN ('DEPOSITO', 'RETIRO', 'TRANSFERENCIA_QR')),
    regla           TEXT    NOT NULL CHECK (regla IN ('LIMITE', 'TARIFA')),
    anterior        TEXT    CHECK (anterior IS NULL OR json_valid(anterior)),
    nueva           TEXT    CHECK (nueva IS NULL OR json_valid(nueva)),
    fecha           TEXT    NOT NULL,
    operador_id     INTEGER NOT NULL REFERENCES operators(id),
    CHECK (anterior IS NOT NULL OR nueva IS NOT NULL)
) STRICT;

CREATE INDEX provider_rule_history_by_provider ON provider_rule_history(banco, id);

CREATE TRIGGER provider_rule_history_immutable
BEFORE UPDATE ON provider_rule_history
BEGIN
    SELECT RAISE(ABORT, 'el historial de reglas no se modifica');
END;

CREATE TRIGGER provider_rule_history_no_delete
BEFORE DELETE ON provider_rule_history
BEGIN
    SELECT RAISE(ABORT, 'el historial de reglas no se borra');
END;

-- Wallet v2 (seeds/002 L30 `"amount": integer`, no unit): the unit of account/balance's
-- amount per connection, 'CENTAVOS' (NULL, the default) or 'BOLIVIANOS'.
ALTER TABLE provider_connections ADD COLUMN balance_unit TEXT
    CHECK (balance_unit IS NULL OR balance_unit IN ('CENTAVOS', 'BOLIVIANOS'));
