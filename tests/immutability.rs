//! The schema's guards on the records (V5): every record table refuses, even from direct
//! SQL, an UPDATE of a protected column and any DELETE; a voided or closed row is final;
//! a void or a close happens in one complete step; the ledger refuses an unknown kind of
//! transfer. The valid flows (void, correction, settlement, close) still go through.

mod common;

use std::collections::BTreeSet;

use common::Who::*;
use common::*;
use mostrador::store;
use mostrador::Mostrador;
use rusqlite::Connection;

/// A direct connection to the file, as a tool or an attacker with the file would have.
fn raw(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    conn
}

/// How the schema guards one record table; the decision written at the top of
/// `migrations/V5__record_immutability.sql`.
struct Guard {
    table: &'static str,
    /// Columns that never change.
    protected: &'static [&'static str],
    /// Columns the core changes on a live row, any number of times.
    changing: &'static [&'static str],
    /// Columns set once, all in one step: the void or the close.
    once: &'static [&'static str],
    /// The refusal of a change to a live row.
    live_message: &'static str,
    /// The refusal of any change to a voided or closed row; None for append-only tables.
    final_message: Option<&'static str>,
    delete_message: &'static str,
}

const VOID: &[&str] = &["voided_at", "voided_by", "void_reason"];

const GUARDS: [Guard; 8] = [
    Guard {
        table: "cash_sessions",
        protected: &["id", "register_id", "operator_id", "opened_at", "opening_float", "opening_adjustment"],
        changing: &[],
        once: &[
            "status", "closed_at", "closed_by", "counted", "expected", "difference", "result", "authorized_by", "close_note",
        ],
        live_message: "una sesión de caja no se modifica: ciérrela",
        final_message: Some("una sesión cerrada no se modifica"),
        delete_message: "las sesiones de caja no se borran",
    },
    Guard {
        table: "agent_transactions",
        protected: &[
            "id", "banco", "tipo_operacion", "monto", "comision_cliente", "nro_referencia", "url_comprobante", "fecha",
            "id_caja_sesion", "operator_id", "cuenta_cliente",
        ],
        changing: &["comision_banco"],
        once: VOID,
        live_message: "una transacción de agente no se modifica: anúlela",
        final_message: Some("una transacción de agente anulada no se modifica"),
        delete_message: "las transacciones de agente no se borran: anúlelas",
    },
    Guard {
        table: "topups",
        protected: &["id", "operadora", "telefono", "monto", "fecha", "id_caja_sesion", "operator_id"],
        changing: &[],
        once: VOID,
        live_message: "una recarga no se modifica: anúlela",
        final_message: Some("una recarga anulada no se modifica"),
        delete_message: "las recargas no se borran: anúlelas",
    },
    Guard {
        table: "injections",
        protected: &["id", "operadora", "monto", "bonificacion", "fecha", "id_caja_sesion", "operator_id"],
        changing: &[],
        once: VOID,
        live_message: "una inyección no se modifica: anúlela",
        final_message: Some("una inyección anulada no se modifica"),
        delete_message: "las inyecciones no se borran: anúlelas",
    },
    Guard {
        table: "payments",
        protected: &[
            "id", "id_orden_trabajo", "cliente", "monto", "fecha_pago", "metodo_pago", "referencia", "id_caja_sesion",
            "operator_id", "created_at", "corrige_a",
        ],
        changing: &[],
        once: &["vigente", "voided_at", "voided_by", "void_reason"],
        live_message: "un pago no se modifica: corríjalo o anúlelo",
        final_message: Some("un pago anulado no se modifica"),
        delete_message: "los pagos no se borran: anúlelos",
    },
    Guard {
        table: "transfers",
        protected: &[
            "id", "from_account", "to_account", "amount", "kind", "session_id", "operator_id", "reverses", "created_at",
            "operation",
        ],
        changing: &[],
        once: &[],
        live_message: "el libro es de solo agregado: use una transferencia inversa",
        final_message: None,
        delete_message: "el libro es de solo agregado: use una transferencia inversa",
    },
    Guard {
        table: "cash_movements",
        protected: &["session_id", "kind", "reason", "operator_id", "id", "amount", "note", "created_at"],
        changing: &[],
        once: &[],
        live_message: "los movimientos de caja no se modifican",
        final_message: None,
        delete_message: "los movimientos de caja no se borran",
    },
    Guard {
        table: "audit_log",
        protected: &["id", "operator_id", "action", "entity", "entity_id", "detail", "created_at"],
        changing: &[],
        once: &[],
        live_message: "la bitácora es de solo agregado",
        final_message: None,
        delete_message: "la bitácora es de solo agregado",
    },
];

/// The kinds of transfer the core posts (a reversal carries its original's kind): the
/// ledger vocabulary's, in its order.
fn transfer_kinds() -> Vec<String> {
    mostrador::domain::TransferKind::ALL.iter().map(|k| k.as_str().to_string()).collect()
}

/// A store with, for every record table, a live row and (where the table has one) a
/// voided or closed row, all made through the core.
struct Records {
    fx: Fixture,
    /// (table, id of a live row, id of a voided or closed row)
    rows: Vec<(&'static str, i64, Option<i64>)>,
    /// The payment that corrects the voided one.
    correction: i64,
}

fn records() -> Records {
    let mut fx = Fixture::new();
    let (mixta, ventas) = (fx.mixta.id, fx.ventas.id);
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();

    // A closed session, and an open one holding the operations.
    let closed = {
        let cashier2 = fx.as_(Cashier2);
        let id = cashier2.open_session(open(ventas, "100")).unwrap().id;
        cashier2.close_session(close(id, counts_for(10_000))).unwrap();
        id
    };
    let cashier = fx.as_(Cashier);
    let session = cashier.open_session(open(mixta, "500")).unwrap().id;
    let movement = cashier.record_cash_movement(ingreso(session, "20")).unwrap().id;
    let agent_live = cashier.create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "100", "2", "T-1", session)).unwrap().id;
    let agent_voided = cashier.create_agent_transaction(agent("TIGO_MONEY", "RETIRO", "30", "T-2", session)).unwrap().id;
    let injection_live = cashier.inject_carrier_float(injection("Tigo", "100", session)).unwrap().id;
    let injection_voided = cashier.inject_carrier_float(injection("Entel", "50", session)).unwrap().id;
    let topup_live = cashier.create_topup(topup("Tigo", "71234567", "10", session)).unwrap().id;
    let topup_voided = cashier.create_topup(topup("Tigo", "61234567", "5", session)).unwrap().id;
    let payment_live = cashier.create_payment(pago(41, "BCP", "80", Some("BCP-1"), session)).unwrap().id;
    let payment_voided = cashier.create_payment(pago(42, "EFECTIVO", "60", None, session)).unwrap().id;

    // The administrator voids one of each and corrects a payment (a void and an insert).
    let admin = &mut fx.app;
    admin.void_agent_transaction(void(agent_voided, "referencia equivocada")).unwrap();
    admin.void_injection(void(injection_voided, "operadora equivocada")).unwrap();
    admin.void_topup(void(topup_voided, "número equivocado")).unwrap();
    let correction = admin
        .update_payment(mostrador::domain::UpdatePago {
            id: payment_voided,
            pago: pago(42, "EFECTIVO", "65", None, session),
            motivo: "monto mal digitado".into(),
        })
        .unwrap()
        .id;
    // The bank settles a commission on the live transaction: the column that may change.
    admin.settle_bank_commissions(settlement("TIGO_MONEY", "T-1,1.50", false)).unwrap();

    let conn = fx.app.connection();
    let last = |table: &str| -> i64 { conn.query_row(&format!("SELECT MAX(id) FROM {table}"), [], |r| r.get(0)).unwrap() };
    let rows = vec![
        ("cash_sessions", session, Some(closed)),
        ("agent_transactions", agent_live, Some(agent_voided)),
        ("topups", topup_live, Some(topup_voided)),
        ("injections", injection_live, Some(injection_voided)),
        ("payments", payment_live, Some(payment_voided)),
        ("transfers", last("transfers"), None),
        ("cash_movements", movement, None),
        ("audit_log", last("audit_log"), None),
    ];
    Records { fx, rows, correction }
}

impl Records {
    fn row(&self, table: &str) -> (i64, Option<i64>) {
        let (_, live, done) = self.rows.iter().find(|(t, _, _)| *t == table).unwrap();
        (*live, *done)
    }
}

/// A value different from the column's current one, of the column's type.
fn changed(conn: &Connection, table: &str, column: &str) -> String {
    let declared: String = conn
        .query_row(&format!("SELECT type FROM pragma_table_info('{table}') WHERE name = ?1"), [column], |r| r.get(0))
        .unwrap();
    match (column, declared.as_str()) {
        ("vigente", _) => "1 - vigente".into(),
        ("status", _) => "CASE status WHEN 'ABIERTA' THEN 'CERRADA' ELSE 'ABIERTA' END".into(),
        ("id", _) => "id + 1000".into(),
        (_, "INTEGER") => format!("COALESCE({column}, 0) + 1"),
        (_, "TEXT") => format!("COALESCE({column}, '') || 'x'"),
        (_, other) => panic!("{table}.{column}: no changed value for type {other}"),
    }
}

/// Runs `sql` and checks that the guard refused it with exactly `message` and the store
/// is as it was; returns what went wrong, if anything.
fn refusal_problem(fx: &Fixture, conn: &Connection, sql: &str, id: i64, message: &str) -> Option<String> {
    let before = fx.snapshot();
    let outcome = match conn.execute(sql, [id]) {
        Ok(n) => Some(format!("{sql} [{id}]: accepted, {n} rows")),
        Err(rusqlite::Error::SqliteFailure(e, Some(text)))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER && text == message =>
        {
            None
        }
        Err(err) => Some(format!("{sql} [{id}]: expected «{message}», got {err:?}")),
    };
    outcome.or_else(|| before.difference(&fx.snapshot()).map(|diff| format!("{sql} [{id}]: {diff}")))
}

fn assert_no_problems(problems: Vec<String>) {
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_column_of_every_record_table_is_decided_once() {
    let fx = Fixture::new();
    let conn = fx.app.connection();
    for guard in &GUARDS {
        let mut columns: Vec<String> = {
            let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{}')", guard.table)).unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
        };
        columns.sort();
        let mut decided: Vec<String> =
            guard.protected.iter().chain(guard.changing).chain(guard.once).map(|c| c.to_string()).collect();
        decided.sort();
        assert_eq!(decided, columns, "{}: every column protected, changing or set once, and only one of them", guard.table);
    }
}

#[test]
fn an_update_of_any_protected_column_of_a_live_row_is_refused_and_changes_nothing() {
    let r = records();
    let conn = raw(&r.fx.path());
    let mut problems = Vec::new();
    let mut tried = 0;
    for guard in &GUARDS {
        let (live, _) = r.row(guard.table);
        for column in guard.protected {
            let sql = format!("UPDATE {} SET {column} = {} WHERE id = ?1", guard.table, changed(&conn, guard.table, column));
            problems.extend(refusal_problem(&r.fx, &conn, &sql, live, guard.live_message));
            tried += 1;
        }
    }
    assert_no_problems(problems);
    assert_eq!(tried, GUARDS.iter().map(|g| g.protected.len()).sum::<usize>());
}

#[test]
fn a_void_or_a_close_is_one_complete_step_never_one_column_alone() {
    let r = records();
    let conn = raw(&r.fx.path());
    let mut problems = Vec::new();
    for guard in GUARDS.iter().filter(|g| !g.once.is_empty()) {
        let (live, _) = r.row(guard.table);
        for column in guard.once {
            if (guard.table, *column) == ("cash_sessions", "status") {
                // Closing with no count is left to the table's CHECKs, as before V5.
                let sql = "UPDATE cash_sessions SET status = 'CERRADA' WHERE id = ?1";
                let before = r.fx.snapshot();
                let err = conn.execute(sql, [live]).expect_err(sql);
                assert!(err.to_string().contains("CHECK constraint failed"), "{sql}: {err}");
                before.assert_same(&r.fx.snapshot(), sql);
                continue;
            }
            let sql = format!("UPDATE {} SET {column} = {} WHERE id = ?1", guard.table, changed(&conn, guard.table, column));
            problems.extend(refusal_problem(&r.fx, &conn, &sql, live, guard.live_message));
        }
    }
    // A void with a column missing, and a payment voided but left vigente.
    for (table, sql) in [
        ("agent_transactions", "UPDATE agent_transactions SET voided_at = 'x', voided_by = 1 WHERE id = ?1"),
        ("topups", "UPDATE topups SET voided_at = 'x', void_reason = 'x' WHERE id = ?1"),
        ("injections", "UPDATE injections SET voided_by = 1, void_reason = 'x' WHERE id = ?1"),
        ("payments", "UPDATE payments SET voided_at = 'x', voided_by = 1, void_reason = 'x' WHERE id = ?1"),
        ("cash_sessions", "UPDATE cash_sessions SET closed_at = 'x', counted = 0, expected = 0, difference = 0, result = 'CUADRADO' WHERE id = ?1"),
    ] {
        let guard = GUARDS.iter().find(|g| g.table == table).unwrap();
        problems.extend(refusal_problem(&r.fx, &conn, sql, r.row(table).0, guard.live_message));
    }
    assert_no_problems(problems);
}

#[test]
fn a_voided_or_closed_row_refuses_an_update_of_every_column() {
    let r = records();
    let conn = raw(&r.fx.path());
    let mut problems = Vec::new();
    for guard in &GUARDS {
        let (_, done) = r.row(guard.table);
        let (Some(done), Some(message)) = (done, guard.final_message) else {
            assert!(guard.once.is_empty(), "{} has a final state but no final row", guard.table);
            continue;
        };
        for column in guard.protected.iter().chain(guard.changing).chain(guard.once) {
            let sql = format!("UPDATE {} SET {column} = {} WHERE id = ?1", guard.table, changed(&conn, guard.table, column));
            problems.extend(refusal_problem(&r.fx, &conn, &sql, done, message));
        }
        // Not even the same void or close again.
        let sql = format!("UPDATE {} SET {} = {} WHERE id = ?1", guard.table, guard.once[0], guard.once[0]);
        problems.extend(refusal_problem(&r.fx, &conn, &sql, done, message));
    }
    assert_no_problems(problems);
}

#[test]
fn a_delete_is_refused_on_every_record_table_live_or_final() {
    let r = records();
    let conn = raw(&r.fx.path());
    let before = r.fx.snapshot();
    let mut problems = Vec::new();
    for guard in &GUARDS {
        let (live, done) = r.row(guard.table);
        let sql = format!("DELETE FROM {} WHERE id = ?1", guard.table);
        for id in [Some(live), done].into_iter().flatten() {
            problems.extend(refusal_problem(&r.fx, &conn, &sql, id, guard.delete_message));
        }
        let all = format!("DELETE FROM {} WHERE id > ?1", guard.table);
        problems.extend(refusal_problem(&r.fx, &conn, &all, 0, guard.delete_message));
        assert!(before.row_counts[guard.table] > 0, "{} is empty", guard.table);
    }
    assert_no_problems(problems);
}

#[test]
fn the_valid_void_correction_settlement_and_close_still_go_through() {
    let mut r = records();
    let conn = raw(&r.fx.path());
    // One void per voidable table, by the administrator, with its columns set together.
    for table in ["agent_transactions", "topups", "injections", "payments"] {
        let (_, done) = r.row(table);
        let (at, by, reason): (Option<String>, Option<i64>, Option<String>) = conn
            .query_row(&format!("SELECT voided_at, voided_by, void_reason FROM {table} WHERE id = ?1"), [done.unwrap()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap();
        assert!(at.is_some() && reason.is_some(), "{table}: {at:?} {reason:?}");
        assert_eq!(by, Some(r.fx.admin.id), "{table}");
    }
    let (_, voided_payment) = r.row("payments");
    let (vigente, corrige_a): (i64, Option<i64>) = conn
        .query_row("SELECT (SELECT vigente FROM payments WHERE id = ?1), corrige_a FROM payments WHERE id = ?2", [voided_payment.unwrap(), r.correction], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!((vigente, corrige_a), (0, voided_payment));
    let (agent_live, _) = r.row("agent_transactions");
    let comision: i64 =
        conn.query_row("SELECT comision_banco FROM agent_transactions WHERE id = ?1", [agent_live], |row| row.get(0)).unwrap();
    assert_eq!(comision, 150, "the settlement set the bank commission");
    // Settled again with another amount, and voided afterwards: both still allowed.
    r.fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-1,2", false)).unwrap();
    let comision: i64 =
        conn.query_row("SELECT comision_banco FROM agent_transactions WHERE id = ?1", [agent_live], |row| row.get(0)).unwrap();
    assert_eq!(comision, 200);
    let voided = r.fx.app.void_agent_transaction(void(agent_live, "cliente desistió")).unwrap();
    assert!(voided.anulada_en.is_some());
    // The open session closes, and that close is final.
    let (session, _) = r.row("cash_sessions");
    let drawer = r.fx.drawer(session);
    r.fx.as_(Cashier).close_session(close(session, counts_for(drawer))).unwrap();
    let status: String = conn.query_row("SELECT status FROM cash_sessions WHERE id = ?1", [session], |row| row.get(0)).unwrap();
    assert_eq!(status, "CERRADA");
    assert_no_problems(
        refusal_problem(&r.fx, &conn, "UPDATE cash_sessions SET close_note = 'x' WHERE id = ?1", session, "una sesión cerrada no se modifica")
            .into_iter()
            .collect(),
    );
    assert_ledger_consistent(r.fx.app.connection(), "after voids, corrections, settlements and closes");
}

/// The kinds the schema accepts, in order, read from the trigger that guards
/// `transfers.kind`: the quoted names in its WHEN clause.
fn schema_transfer_kinds(conn: &Connection) -> Vec<String> {
    let sql: String = conn
        .query_row("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'transfers_kind_known'", [], |r| r.get(0))
        .unwrap();
    let when = &sql[sql.find("WHEN").expect("a WHEN clause")..sql.find("BEGIN").expect("a body")];
    when.split('\'').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn the_schema_lists_exactly_the_transfer_kinds_the_core_posts() {
    let fx = Fixture::new();
    let kinds = schema_transfer_kinds(fx.app.connection());
    assert_eq!(kinds, transfer_kinds());
    assert_eq!(kinds.iter().collect::<BTreeSet<_>>().len(), kinds.len(), "no kind twice");
}

#[test]
fn an_unknown_transfer_kind_is_refused_and_every_known_one_accepted() {
    let r = records();
    let mut conn = raw(&r.fx.path());
    let before = r.fx.snapshot();
    let insert = "INSERT INTO transfers (from_account, to_account, amount, kind, operator_id, created_at)
                  SELECT (SELECT id FROM accounts WHERE code = 'external'), (SELECT id FROM accounts WHERE code = 'over_short'),
                         100, ?1, 1, '2025-03-10T14:00:00.000Z'";
    let mut problems = Vec::new();
    for kind in ["X", "", "pago", "Pago", "PAGO ", " PAGO", "REVERSO", "TRANSFERENCIA", "APERTURA,PAGO"] {
        let outcome = match conn.execute(insert, [kind]) {
            Ok(_) => Some(format!("kind «{kind}» accepted")),
            Err(rusqlite::Error::SqliteFailure(e, Some(text)))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER && text == "tipo de transferencia desconocido" =>
            {
                None
            }
            Err(err) => Some(format!("kind «{kind}»: {err:?}")),
        };
        problems.extend(outcome);
        if let Some(diff) = before.difference(&r.fx.snapshot()) {
            problems.push(format!("kind «{kind}» wrote: {diff}"));
        }
    }
    assert_no_problems(problems);
    // Every kind in the list goes in (rolled back, to leave the ledger as the core left it).
    let tx = conn.transaction().unwrap();
    for kind in transfer_kinds() {
        tx.execute(insert, [&kind]).unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    drop(tx);
    before.assert_same(&r.fx.snapshot(), "known kinds rolled back");
}

/// The immutability triggers of the record tables, by name, as V5 leaves them: the same
/// three (two for append-only tables) on every table, none of the older ones.
#[test]
fn every_record_table_has_the_same_guard_triggers_and_no_older_ones() {
    let fx = Fixture::new();
    let conn = fx.app.connection();
    for guard in &GUARDS {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND sql NOT LIKE '%AFTER INSERT%' AND name != 'transfers_kind_known' ORDER BY name")
            .unwrap();
        let names: Vec<String> = stmt.query_map([guard.table], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        let mut expected = vec![format!("{}_immutable", guard.table), format!("{}_no_delete", guard.table)];
        if guard.final_message.is_some() {
            expected.push(format!("{}_final", guard.table));
        }
        expected.sort();
        assert_eq!(names, expected, "{}", guard.table);
    }
}

/// A store at V4 with sessions, operations, voids and a correction, written with SQL as
/// the V4 core would have.
const V4_ROWS: &str = "
    INSERT INTO operators (id, name, role, pin_hash, created_at) VALUES
        (1, 'Ana', 'administrador', 'x', '2025-03-01T12:00:00.000Z'),
        (2, 'Carlos', 'cajero', 'x', '2025-03-01T12:00:00.000Z');
    INSERT INTO registers (id, name, specialty, created_at) VALUES (1, 'Caja 1', 'MIXTA', '2025-03-01T12:00:00.000Z');
    INSERT INTO accounts (code, may_go_negative) VALUES ('vault:1', 0), ('drawer:1', 0), ('drawer:2', 0);
    INSERT INTO cash_sessions (id, register_id, operator_id, status, opened_at, opening_float)
        VALUES (1, 1, 2, 'ABIERTA', '2025-03-09T13:00:00.000Z', 10000);
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'external'), (SELECT id FROM accounts WHERE code = 'vault:1'), 10000, 'AJUSTE_APERTURA', 1, 2, '2025-03-09T13:00:00.000Z'),
        ((SELECT id FROM accounts WHERE code = 'vault:1'), (SELECT id FROM accounts WHERE code = 'drawer:1'), 10000, 'APERTURA', 1, 2, '2025-03-09T13:00:00.000Z');
    UPDATE cash_sessions SET status = 'CERRADA', closed_at = '2025-03-09T22:00:00.000Z', closed_by = 2, counted = 10000,
        expected = 10000, difference = 0, result = 'CUADRADO' WHERE id = 1;
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'drawer:1'), (SELECT id FROM accounts WHERE code = 'vault:1'), 10000, 'CIERRE_A_BOVEDA', 1, 2, '2025-03-09T22:00:00.000Z');
    INSERT INTO cash_sessions (id, register_id, operator_id, status, opened_at, opening_float)
        VALUES (2, 1, 2, 'ABIERTA', '2025-03-10T13:00:00.000Z', 10000);
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'vault:1'), (SELECT id FROM accounts WHERE code = 'drawer:2'), 10000, 'APERTURA', 2, 2, '2025-03-10T13:00:00.000Z'),
        ((SELECT id FROM accounts WHERE code = 'external'), (SELECT id FROM accounts WHERE code = 'drawer:2'), 2000, 'INGRESO', 2, 2, '2025-03-10T13:10:00.000Z');
    INSERT INTO cash_movements (id, session_id, kind, reason, amount, operator_id, created_at)
        VALUES ((SELECT MAX(id) FROM transfers), 2, 'INGRESO', 'APORTE_DUENO', 2000, 2, '2025-03-10T13:10:00.000Z');
    INSERT INTO transfers (from_account, to_account, amount, kind, operator_id, operation, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'external'), (SELECT id FROM accounts WHERE code = 'provider_float:TIGO_MONEY'), 50000, 'FONDEO_PROVEEDOR', 1, 'fondo:TIGO_MONEY', '2025-03-10T12:00:00.000Z');
    INSERT INTO agent_transactions (id, banco, tipo_operacion, monto, comision_cliente, nro_referencia, fecha, id_caja_sesion, operator_id)
        VALUES (1, 'TIGO_MONEY', 'DEPOSITO', 10000, 0, 'T-1', '2025-03-10T13:20:00.000Z', 2, 2),
               (2, 'TIGO_MONEY', 'DEPOSITO', 5000, 0, 'T-2', '2025-03-10T13:25:00.000Z', 2, 2);
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, operation, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'provider_float:TIGO_MONEY'), (SELECT id FROM accounts WHERE code = 'drawer:2'), 10000, 'DEPOSITO', 2, 2, 'agente:1', '2025-03-10T13:20:00.000Z'),
        ((SELECT id FROM accounts WHERE code = 'provider_float:TIGO_MONEY'), (SELECT id FROM accounts WHERE code = 'drawer:2'), 5000, 'DEPOSITO', 2, 2, 'agente:2', '2025-03-10T13:25:00.000Z');
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, operation, reverses, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'drawer:2'), (SELECT id FROM accounts WHERE code = 'provider_float:TIGO_MONEY'), 5000, 'DEPOSITO', 2, 1, 'agente:2',
         (SELECT id FROM transfers WHERE operation = 'agente:2'), '2025-03-10T13:30:00.000Z');
    UPDATE agent_transactions SET voided_at = '2025-03-10T13:30:00.000Z', voided_by = 1, void_reason = 'duplicada' WHERE id = 2;
    UPDATE agent_transactions SET comision_banco = 150 WHERE id = 1;
    INSERT INTO transfers (from_account, to_account, amount, kind, operator_id, operation, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'income:bank_commission'), (SELECT id FROM accounts WHERE code = 'receivable:bank_commission:TIGO_MONEY'), 150, 'COMISION_BANCO', 1, 'comision:1', '2025-03-10T14:00:00.000Z');
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, operation, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'drawer:2'), (SELECT id FROM accounts WHERE code = 'carrier_float:Tigo'), 3000, 'INYECCION', 2, 2, 'inyeccion:1', '2025-03-10T13:40:00.000Z'),
        ((SELECT id FROM accounts WHERE code = 'carrier_float:Tigo'), (SELECT id FROM accounts WHERE code = 'drawer:2'), 1000, 'RECARGA', 2, 2, 'recarga:1', '2025-03-10T13:45:00.000Z');
    INSERT INTO injections (id, operadora, monto, fecha, id_caja_sesion, operator_id) VALUES (1, 'Tigo', 3000, '2025-03-10T13:40:00.000Z', 2, 2);
    INSERT INTO topups (id, operadora, telefono, monto, fecha, id_caja_sesion, operator_id, voided_at, voided_by, void_reason)
        VALUES (1, 'Tigo', '71234567', 1000, '2025-03-10T13:45:00.000Z', 2, 2, NULL, NULL, NULL);
    INSERT INTO payments (id, id_orden_trabajo, cliente, monto, fecha_pago, metodo_pago, id_caja_sesion, operator_id, created_at)
        VALUES (1, 7, 'Rosa', 6000, '2025-03-10', 'EFECTIVO', 2, 2, '2025-03-10T13:50:00.000Z');
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, operation, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'income:payments'), (SELECT id FROM accounts WHERE code = 'drawer:2'), 6000, 'PAGO', 2, 2, 'pago:1', '2025-03-10T13:50:00.000Z');
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, operation, reverses, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'drawer:2'), (SELECT id FROM accounts WHERE code = 'income:payments'), 6000, 'PAGO', 2, 1, 'pago:1',
         (SELECT id FROM transfers WHERE operation = 'pago:1'), '2025-03-10T13:55:00.000Z');
    UPDATE payments SET vigente = 0, voided_at = '2025-03-10T13:55:00.000Z', voided_by = 1, void_reason = 'monto' WHERE id = 1;
    INSERT INTO payments (id, id_orden_trabajo, cliente, monto, fecha_pago, metodo_pago, id_caja_sesion, operator_id, created_at, corrige_a)
        VALUES (2, 7, 'Rosa', 6500, '2025-03-10', 'EFECTIVO', 2, 1, '2025-03-10T13:55:00.000Z', 1);
    INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, operation, created_at) VALUES
        ((SELECT id FROM accounts WHERE code = 'income:payments'), (SELECT id FROM accounts WHERE code = 'drawer:2'), 6500, 'PAGO', 2, 1, 'pago:2', '2025-03-10T13:55:00.000Z');
    INSERT INTO audit_log (operator_id, action, entity, entity_id, created_at) VALUES
        (2, 'open_session', 'cash_session', 2, '2025-03-10T13:00:00.000Z'),
        (1, 'void_payment', 'payment', 1, '2025-03-10T13:55:00.000Z');
";

#[test]
fn v5_keeps_every_row_and_balance_of_a_v4_store_and_guards_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mostrador.sqlite3");
    let before = {
        // V1 to V4 from the migration files, applied as the previous version would have.
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let migrations: Vec<refinery::Migration> =
            ["V1__foundation", "V2__agents_recargas_pagos", "V3__outbox_sync", "V4__bank_service_point"]
                .iter()
                .map(|name| {
                    let sql = std::fs::read_to_string(format!("{}/migrations/{name}.sql", env!("CARGO_MANIFEST_DIR"))).unwrap();
                    refinery::Migration::unapplied(name, &sql).unwrap()
                })
                .collect();
        refinery::Runner::new(&migrations).run(&mut conn).unwrap();
        assert_eq!(store::schema_version(&conn).unwrap(), 4);
        conn.execute_batch(V4_ROWS).unwrap();
        assert_ledger_consistent(&conn, "the V4 store");
        let mut snapshot = Snapshot::take(&conn);
        snapshot.contents.remove("refinery_schema_history");
        snapshot
    };
    for guard in &GUARDS {
        assert!(before.row_counts[guard.table] > 0, "the V4 store has no {}", guard.table);
    }

    let app = Mostrador::open(&path).unwrap();
    let conn = app.connection();
    assert_eq!(store::schema_version(conn).unwrap(), store::supported_schema_version());
    let mut after = Snapshot::take(conn);
    after.contents.remove("refinery_schema_history");
    after.row_counts.remove("refinery_schema_history");
    let mut expected = before.clone();
    expected.row_counts.remove("refinery_schema_history");
    // Later migrations add settings of their own (V7: the idle logout); every V4 setting
    // is still there, unchanged.
    let (kept, now_settings) = (expected.contents.remove("settings").unwrap(), after.contents.remove("settings").unwrap());
    assert!(kept.iter().all(|row| now_settings.contains(row)), "V4 settings lost: {kept:?} -> {now_settings:?}");
    expected.row_counts.remove("settings");
    after.row_counts.remove("settings");
    // Tables later migrations create (V10: outbox_retired, V11: provider rules, ...) start empty.
    let new_tables: Vec<String> = after.row_counts.keys().filter(|t| !expected.row_counts.contains_key(*t)).cloned().collect();
    for table in &new_tables {
        assert_eq!(after.row_counts.remove(table), Some(0), "{table} is new and must start empty");
        after.contents.remove(table);
    }
    // V12 gives every operator a language column: Spanish for all who were there.
    for row in after.contents.get_mut("operators").unwrap() {
        assert_eq!(row.pop().as_deref(), Some("t:es"), "V12 language of a migrated operator");
    }
    expected.assert_same(&after, "V4 to V5");
    assert_ledger_consistent(conn, "the V5 store");
    let fk: i64 = conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0);

    // The migrated rows are guarded the V5 way: the voided ones are final, the live ones
    // keep their protected columns, the operator of a top-up included (V2 let it change).
    for (sql, message) in [
        ("UPDATE agent_transactions SET comision_banco = 1 WHERE id = 2", "una transacción de agente anulada no se modifica"),
        ("UPDATE topups SET operator_id = 1 WHERE id = 1", "una recarga no se modifica: anúlela"),
        ("UPDATE payments SET operator_id = 2 WHERE id = 2", "un pago no se modifica: corríjalo o anúlelo"),
        ("UPDATE payments SET void_reason = 'otro' WHERE id = 1", "un pago anulado no se modifica"),
        ("UPDATE cash_sessions SET opening_float = 0 WHERE id = 2", "una sesión de caja no se modifica: ciérrela"),
        ("UPDATE cash_sessions SET close_note = 'x' WHERE id = 1", "una sesión cerrada no se modifica"),
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains(message), "{sql}: {err}");
    }
    let mut after_refusals = Snapshot::take(conn);
    after_refusals.contents.remove("refinery_schema_history");
    after_refusals.row_counts.remove("refinery_schema_history");
    after_refusals.contents.remove("settings");
    after_refusals.row_counts.remove("settings");
    for table in &new_tables {
        after_refusals.row_counts.remove(table);
        after_refusals.contents.remove(table);
    }
    for row in after_refusals.contents.get_mut("operators").unwrap() {
        row.pop();
    }
    expected.assert_same(&after_refusals, "refused updates of migrated rows");
}
