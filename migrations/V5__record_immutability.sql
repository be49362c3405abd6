-- Record immutability, one pattern for every record table, and the transfer kinds.
--
-- V1 to V3 guarded the records with triggers written one way per table, with gaps
-- (topups and payments let operator_id change, agent transactions let voided_by change
-- after the void, an open session's opening figures could change). They are dropped and
-- written again below, the same way for every table:
--
--   <table>_immutable  BEFORE UPDATE, while the row is live: refused if a protected column
--                      changes, or if the state columns change other than in one complete
--                      step (the whole void, or the close).
--   <table>_final      BEFORE UPDATE, once the row is voided or closed: nothing changes.
--   <table>_no_delete  BEFORE DELETE: refused, always.
--
-- Append-only tables have no live state: <table>_immutable refuses every UPDATE.
-- The WHEN clauses of _immutable and _final never hold together, so each refusal has one
-- message. The messages that tests and callers match on are kept word for word.
--
-- Which columns may change, per table (every other column is protected, `id` included):
--
--   table               may change while live                      set once, all together     final when
--   ------------------  -----------------------------------------  -------------------------  ------------------
--   cash_sessions       -                                          the close: status,         status = 'CERRADA'
--                                                                  closed_at, closed_by,
--                                                                  counted, expected,
--                                                                  difference, result,
--                                                                  authorized_by, close_note
--                                                                  (only with status becoming
--                                                                  'CERRADA'; the CHECKs hold
--                                                                  the figures together)
--   agent_transactions  comision_banco (bank commission settled)   the void: voided_at,       voided_at IS NOT NULL
--                                                                  voided_by, void_reason
--   topups              -                                          the void: voided_at,       voided_at IS NOT NULL
--                                                                  voided_by, void_reason
--   injections          -                                          the void: voided_at,       voided_at IS NOT NULL
--                                                                  voided_by, void_reason
--   payments            -  (a correction voids the original and    the void: vigente = 0,     voided_at IS NOT NULL
--                          inserts a new row with corrige_a)       voided_at, voided_by,      (vigente = 0, by CHECK)
--                                                                  void_reason
--   transfers           -  append-only: reverse with a new transfer
--   cash_movements      -  append-only
--   audit_log           -  append-only
--
-- Protected (never change):
--   cash_sessions       id, register_id, operator_id, opened_at, opening_float, opening_adjustment
--   agent_transactions  id, banco, tipo_operacion, monto, comision_cliente, nro_referencia,
--                       url_comprobante, cuenta_cliente, fecha, id_caja_sesion, operator_id
--   topups              id, operadora, telefono, monto, fecha, id_caja_sesion, operator_id
--   injections          id, operadora, monto, bonificacion, fecha, id_caja_sesion, operator_id
--   payments            id, id_orden_trabajo, cliente, monto, fecha_pago, metodo_pago, referencia,
--                       id_caja_sesion, operator_id, created_at, corrige_a
--   transfers, cash_movements, audit_log: every column
--
-- transfers.kind: a BEFORE INSERT trigger refuses a kind not in the list, rather than a
-- CHECK through the 12-step table rebuild. Migrations run inside a transaction with
-- foreign keys on, where PRAGMA foreign_keys cannot be switched off (the rebuild's first
-- step): dropping the old `transfers`, parent of cash_movements.id and of its own
-- `reverses`, would then run an implicit DELETE that counts every cash movement as a
-- violation and scans cash_movements (no index on its `id`) once per transfer. Working
-- around it needs PRAGMA defer_foreign_keys and how SQLite resets its counter, and would
-- copy the largest table of every store at upgrade. The trigger costs one small check per
-- insert (measured with the core bench) and touches no row. A reversal copies the
-- original's kind, so it needs no kind of its own.

DROP TRIGGER cash_sessions_closed_is_final;
DROP TRIGGER cash_sessions_no_delete;
DROP TRIGGER transfers_no_update;
DROP TRIGGER transfers_no_delete;
DROP TRIGGER cash_movements_no_update;
DROP TRIGGER cash_movements_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER agent_transactions_immutable;
DROP TRIGGER agent_transactions_customer_account_immutable;
DROP TRIGGER agent_transactions_no_delete;
DROP TRIGGER topups_immutable;
DROP TRIGGER topups_no_delete;
DROP TRIGGER injections_immutable;
DROP TRIGGER injections_no_delete;
DROP TRIGGER payments_immutable;
DROP TRIGGER payments_no_delete;

-- cash_sessions ---------------------------------------------------------------------------

CREATE TRIGGER cash_sessions_immutable
BEFORE UPDATE ON cash_sessions
WHEN OLD.status = 'ABIERTA' AND (
       NEW.id IS NOT OLD.id OR NEW.register_id IS NOT OLD.register_id
    OR NEW.operator_id IS NOT OLD.operator_id OR NEW.opened_at IS NOT OLD.opened_at
    OR NEW.opening_float IS NOT OLD.opening_float OR NEW.opening_adjustment IS NOT OLD.opening_adjustment
    OR ((NEW.status IS NOT OLD.status OR NEW.closed_at IS NOT OLD.closed_at OR NEW.closed_by IS NOT OLD.closed_by
         OR NEW.counted IS NOT OLD.counted OR NEW.expected IS NOT OLD.expected OR NEW.difference IS NOT OLD.difference
         OR NEW.result IS NOT OLD.result OR NEW.authorized_by IS NOT OLD.authorized_by
         OR NEW.close_note IS NOT OLD.close_note)
        AND NEW.status IS NOT 'CERRADA'))
BEGIN
    SELECT RAISE(ABORT, 'una sesión de caja no se modifica: ciérrela');
END;

CREATE TRIGGER cash_sessions_final
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

-- agent_transactions ----------------------------------------------------------------------

CREATE TRIGGER agent_transactions_immutable
BEFORE UPDATE ON agent_transactions
WHEN OLD.voided_at IS NULL AND (
       NEW.id IS NOT OLD.id OR NEW.banco IS NOT OLD.banco OR NEW.tipo_operacion IS NOT OLD.tipo_operacion
    OR NEW.monto IS NOT OLD.monto OR NEW.comision_cliente IS NOT OLD.comision_cliente
    OR NEW.nro_referencia IS NOT OLD.nro_referencia OR NEW.url_comprobante IS NOT OLD.url_comprobante
    OR NEW.cuenta_cliente IS NOT OLD.cuenta_cliente OR NEW.fecha IS NOT OLD.fecha
    OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion OR NEW.operator_id IS NOT OLD.operator_id
    OR ((NEW.voided_at IS NOT OLD.voided_at OR NEW.voided_by IS NOT OLD.voided_by OR NEW.void_reason IS NOT OLD.void_reason)
        AND (NEW.voided_at IS NULL OR NEW.voided_by IS NULL OR NEW.void_reason IS NULL)))
BEGIN
    SELECT RAISE(ABORT, 'una transacción de agente no se modifica: anúlela');
END;

CREATE TRIGGER agent_transactions_final
BEFORE UPDATE ON agent_transactions
WHEN OLD.voided_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'una transacción de agente anulada no se modifica');
END;

CREATE TRIGGER agent_transactions_no_delete
BEFORE DELETE ON agent_transactions
BEGIN
    SELECT RAISE(ABORT, 'las transacciones de agente no se borran: anúlelas');
END;

-- topups ----------------------------------------------------------------------------------

CREATE TRIGGER topups_immutable
BEFORE UPDATE ON topups
WHEN OLD.voided_at IS NULL AND (
       NEW.id IS NOT OLD.id OR NEW.operadora IS NOT OLD.operadora OR NEW.telefono IS NOT OLD.telefono
    OR NEW.monto IS NOT OLD.monto OR NEW.fecha IS NOT OLD.fecha
    OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion OR NEW.operator_id IS NOT OLD.operator_id
    OR ((NEW.voided_at IS NOT OLD.voided_at OR NEW.voided_by IS NOT OLD.voided_by OR NEW.void_reason IS NOT OLD.void_reason)
        AND (NEW.voided_at IS NULL OR NEW.voided_by IS NULL OR NEW.void_reason IS NULL)))
BEGIN
    SELECT RAISE(ABORT, 'una recarga no se modifica: anúlela');
END;

CREATE TRIGGER topups_final
BEFORE UPDATE ON topups
WHEN OLD.voided_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'una recarga anulada no se modifica');
END;

CREATE TRIGGER topups_no_delete
BEFORE DELETE ON topups
BEGIN
    SELECT RAISE(ABORT, 'las recargas no se borran: anúlelas');
END;

-- injections ------------------------------------------------------------------------------

CREATE TRIGGER injections_immutable
BEFORE UPDATE ON injections
WHEN OLD.voided_at IS NULL AND (
       NEW.id IS NOT OLD.id OR NEW.operadora IS NOT OLD.operadora OR NEW.monto IS NOT OLD.monto
    OR NEW.bonificacion IS NOT OLD.bonificacion OR NEW.fecha IS NOT OLD.fecha
    OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion OR NEW.operator_id IS NOT OLD.operator_id
    OR ((NEW.voided_at IS NOT OLD.voided_at OR NEW.voided_by IS NOT OLD.voided_by OR NEW.void_reason IS NOT OLD.void_reason)
        AND (NEW.voided_at IS NULL OR NEW.voided_by IS NULL OR NEW.void_reason IS NULL)))
BEGIN
    SELECT RAISE(ABORT, 'una inyección no se modifica: anúlela');
END;

CREATE TRIGGER injections_final
BEFORE UPDATE ON injections
WHEN OLD.voided_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'una inyección anulada no se modifica');
END;

CREATE TRIGGER injections_no_delete
BEFORE DELETE ON injections
BEGIN
    SELECT RAISE(ABORT, 'las inyecciones no se borran: anúlelas');
END;

-- payments --------------------------------------------------------------------------------

CREATE TRIGGER payments_immutable
BEFORE UPDATE ON payments
WHEN OLD.voided_at IS NULL AND (
       NEW.id IS NOT OLD.id OR NEW.id_orden_trabajo IS NOT OLD.id_orden_trabajo OR NEW.cliente IS NOT OLD.cliente
    OR NEW.monto IS NOT OLD.monto OR NEW.fecha_pago IS NOT OLD.fecha_pago
    OR NEW.metodo_pago IS NOT OLD.metodo_pago OR NEW.referencia IS NOT OLD.referencia
    OR NEW.id_caja_sesion IS NOT OLD.id_caja_sesion OR NEW.operator_id IS NOT OLD.operator_id
    OR NEW.created_at IS NOT OLD.created_at OR NEW.corrige_a IS NOT OLD.corrige_a
    OR ((NEW.voided_at IS NOT OLD.voided_at OR NEW.voided_by IS NOT OLD.voided_by OR NEW.void_reason IS NOT OLD.void_reason
         OR NEW.vigente IS NOT OLD.vigente)
        AND (NEW.voided_at IS NULL OR NEW.voided_by IS NULL OR NEW.void_reason IS NULL OR NEW.vigente IS NOT 0)))
BEGIN
    SELECT RAISE(ABORT, 'un pago no se modifica: corríjalo o anúlelo');
END;

CREATE TRIGGER payments_final
BEFORE UPDATE ON payments
WHEN OLD.voided_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'un pago anulado no se modifica');
END;

CREATE TRIGGER payments_no_delete
BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'los pagos no se borran: anúlelos');
END;

-- transfers (append-only) -----------------------------------------------------------------

CREATE TRIGGER transfers_immutable
BEFORE UPDATE ON transfers
BEGIN
    SELECT RAISE(ABORT, 'el libro es de solo agregado: use una transferencia inversa');
END;

CREATE TRIGGER transfers_no_delete
BEFORE DELETE ON transfers
BEGIN
    SELECT RAISE(ABORT, 'el libro es de solo agregado: use una transferencia inversa');
END;

-- The kinds of transfer; a reversal carries the kind of the transfer it reverses. Written
-- as comparisons, not NOT IN (...): in a trigger, an IN list of constants builds a
-- temporary index at every insert (some microseconds each), the comparisons cost nearly
-- nothing.
CREATE TRIGGER transfers_kind_known
BEFORE INSERT ON transfers
WHEN NOT (
       NEW.kind = 'APERTURA'
    OR NEW.kind = 'AJUSTE_APERTURA'
    OR NEW.kind = 'INGRESO'
    OR NEW.kind = 'EGRESO'
    OR NEW.kind = 'DIFERENCIA_CIERRE'
    OR NEW.kind = 'CIERRE_A_BOVEDA'
    OR NEW.kind = 'FONDEO_PROVEEDOR'
    OR NEW.kind = 'RETIRO_PROVEEDOR'
    OR NEW.kind = 'DEPOSITO'
    OR NEW.kind = 'RETIRO'
    OR NEW.kind = 'TRANSFERENCIA_QR'
    OR NEW.kind = 'COMISION_CLIENTE'
    OR NEW.kind = 'COMISION_BANCO'
    OR NEW.kind = 'PAGO_COMISION_BANCO'
    OR NEW.kind = 'RECARGA'
    OR NEW.kind = 'INYECCION'
    OR NEW.kind = 'BONIFICACION_OPERADORA'
    OR NEW.kind = 'PAGO')
BEGIN
    SELECT RAISE(ABORT, 'tipo de transferencia desconocido');
END;

-- cash_movements (append-only) ------------------------------------------------------------

CREATE TRIGGER cash_movements_immutable
BEFORE UPDATE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'los movimientos de caja no se modifican');
END;

CREATE TRIGGER cash_movements_no_delete
BEFORE DELETE ON cash_movements
BEGIN
    SELECT RAISE(ABORT, 'los movimientos de caja no se borran');
END;

-- audit_log (append-only) -----------------------------------------------------------------

CREATE TRIGGER audit_log_immutable
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'la bitácora es de solo agregado');
END;

CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'la bitácora es de solo agregado');
END;
