-- The wallet's transaction list carries no id and no reference_id (seeds/002
-- account/transactions): the reconciliation matches it on its documented fields, and a
-- call that two listed operations fit (or whose one candidate is not confirmed) is a line
-- that needs a person: REQUIERE_ATENCION. SQLite cannot change a CHECK in place.
CREATE TABLE reconciliation_lines_v8 (
    reconciliation_id       INTEGER NOT NULL REFERENCES reconciliations(id),
    line                    INTEGER NOT NULL,
    estado                  TEXT    NOT NULL CHECK (estado IN ('CONCILIADA', 'FALTA_EN_PROVEEDOR', 'DESCONOCIDA_EN_TIENDA', 'REQUIERE_ATENCION')),
    agent_transaction_id    INTEGER REFERENCES agent_transactions(id),
    referencia              TEXT,
    provider_ref            TEXT,
    monto                   INTEGER NOT NULL,
    detalle                 TEXT    NOT NULL,
    PRIMARY KEY (reconciliation_id, line)
) STRICT, WITHOUT ROWID;
INSERT INTO reconciliation_lines_v8 SELECT * FROM reconciliation_lines;
DROP TABLE reconciliation_lines;
ALTER TABLE reconciliation_lines_v8 RENAME TO reconciliation_lines;
