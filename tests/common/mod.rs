//! Shared fixtures for the integration tests: a store on a real SQLite file in a temporary
//! directory, its operators and registers, handles logged in as each operator, and a
//! [`Snapshot`] of everything the database holds, to prove a refused command wrote nothing.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{TimeZone, Utc};
use mostrador::domain::*;
use mostrador::service::ManualClock;
use mostrador::Mostrador;
use rusqlite::types::Value;
use rusqlite::Connection;
use tempfile::TempDir;

pub const ADMIN_NAME: &str = "Ana Administradora";
pub const ADMIN_PIN: &str = "432198";
pub const CASHIER_NAME: &str = "Carlos Cajero";
pub const CASHIER_PIN: &str = "111199";
pub const CASHIER2_NAME: &str = "Lucía Cajera";
pub const CASHIER2_PIN: &str = "222222";

/// A customer's CUIT (11 digits) for the wallet's cashout (seeds/002 `"cuit": string`).
pub const CUSTOMER_CUIT: &str = "20304050607";

/// Who a call is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Nobody,
    Admin,
    Cashier,
    Cashier2,
}

impl Who {
    pub const ALL: [Who; 4] = [Who::Nobody, Who::Admin, Who::Cashier, Who::Cashier2];

    pub fn credentials(self) -> Option<Credentials> {
        let (name, pin) = match self {
            Who::Nobody => return None,
            Who::Admin => (ADMIN_NAME, ADMIN_PIN),
            Who::Cashier => (CASHIER_NAME, CASHIER_PIN),
            Who::Cashier2 => (CASHIER2_NAME, CASHIER2_PIN),
        };
        Some(creds(name, pin))
    }

    fn index(self) -> usize {
        self as usize
    }
}

pub fn creds(name: &str, pin: &str) -> Credentials {
    Credentials { name: name.into(), pin: pin.into() }
}

/// Monday 10 March 2025, 10:00 in Bolivia (14:00 UTC).
pub fn start_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 10, 14, 0, 0).unwrap()
}

/// A store with a first administrator, two cashiers and one register of each specialty.
///
/// `app` is the handle the test drives (logged in as whoever the test chose); `handles`
/// are extra connections to the same file, each logged in once as one operator, so tests
/// that switch operators often do not pay for a PIN hash at every switch.
pub struct Fixture {
    pub dir: TempDir,
    pub clock: ManualClock,
    pub app: Mostrador,
    pub admin: Operator,
    pub cashier: Operator,
    pub cashier2: Operator,
    pub mixta: Register,
    pub agentes: Register,
    pub ventas: Register,
    handles: [Option<Mostrador>; 4],
    keep_credentials: bool,
}

/// The records of the template store every fixture starts from.
struct Template {
    bytes: Vec<u8>,
    admin: Operator,
    cashier: Operator,
    cashier2: Operator,
    mixta: Register,
    agentes: Register,
    ventas: Register,
}

/// Builds the store once per test binary through the public API (three argon2 hashes) and
/// keeps the file's bytes; each fixture writes them to its own temporary file.
fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = db_path(dir.path());
        let clock = ManualClock::new(start_time());
        let mut app = Mostrador::open_with_clock(&path, Arc::new(clock)).expect("open store");
        let admin = app.create_first_admin(creds(ADMIN_NAME, ADMIN_PIN)).expect("first admin").operator;
        // The tests move the clock by hours with handles logged in once; the idle logout
        // has its own tests, which turn it back on.
        app.connection()
            .execute("UPDATE settings SET value = '0' WHERE key = 'idle_logout_minutes'", [])
            .expect("no idle logout");
        let cashier = app
            .create_operator(NewOperator { name: CASHIER_NAME.into(), role: "cajero".into(), pin: CASHIER_PIN.into() })
            .expect("cashier");
        let cashier2 = app
            .create_operator(NewOperator { name: CASHIER2_NAME.into(), role: "cajero".into(), pin: CASHIER2_PIN.into() })
            .expect("second cashier");
        let mut register = |name: &str, specialty: &str| {
            app.create_register(NewRegister { name: name.into(), specialty: specialty.into() }).expect("register")
        };
        let mixta = register("Caja 1", "MIXTA");
        let agentes = register("Caja 2 Agentes", "SOLO_AGENTES");
        let ventas = register("Caja 3 Ventas", "SOLO_VENTAS");
        app.logout().expect("logout");
        app.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
        drop(app);
        let bytes = std::fs::read(&path).expect("read template");
        Template { bytes, admin, cashier, cashier2, mixta, agentes, ventas }
    })
}

/// What a test stored in the keyring it deletes: the credentials of every provider of
/// this store (keys are per install id, so no other fixture's are touched).
impl Drop for Fixture {
    fn drop(&mut self) {
        if self.keep_credentials {
            return;
        }
        let conn = self.app.connection();
        let Ok(codes) = mostrador::store::providers::codes(conn) else { return };
        for code in codes {
            if let Ok(key) = mostrador::sync::credential_key(conn, &code) {
                let _ = self.app.secrets().delete(&key);
            }
        }
    }
}

impl Fixture {
    /// The full store on a fresh file; `app` is logged in as the administrator.
    pub fn new() -> Self {
        let t = template();
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(db_path(dir.path()), &t.bytes).expect("write store");
        let clock = ManualClock::new(start_time());
        let mut app = Mostrador::open_with_clock(&db_path(dir.path()), Arc::new(clock.clone())).expect("open store");
        app.login(creds(ADMIN_NAME, ADMIN_PIN)).expect("admin login");
        // Every fixture is its own store: keyring entries and idempotency keys are per
        // install id, so fixtures copied from one template must not share it.
        app.connection()
            .execute("UPDATE settings SET value = lower(hex(randomblob(6))) WHERE key = 'install_id'", [])
            .expect("new install id");
        Fixture {
            dir,
            clock,
            app,
            admin: t.admin.clone(),
            cashier: t.cashier.clone(),
            cashier2: t.cashier2.clone(),
            mixta: t.mixta.clone(),
            agentes: t.agentes.clone(),
            ventas: t.ventas.clone(),
            handles: [None, None, None, None],
            keep_credentials: false,
        }
    }

    pub fn registers(&self) -> [&Register; 3] {
        [&self.mixta, &self.agentes, &self.ventas]
    }

    pub fn path(&self) -> PathBuf {
        db_path(self.dir.path())
    }

    /// Another handle on the same database and clock, logged in as nobody.
    pub fn open_handle(&self) -> Mostrador {
        Mostrador::open_with_clock(&self.path(), Arc::new(self.clock.clone())).expect("second handle")
    }

    /// Logs `app` in as `who` (or out, for [`Who::Nobody`]).
    pub fn login(&mut self, who: Who) -> Option<Operator> {
        match who.credentials() {
            None => {
                self.app.logout().expect("logout");
                None
            }
            Some(c) => Some(self.app.login(c).expect("login")),
        }
    }

    pub fn login_admin(&mut self) -> Operator {
        self.login(Who::Admin).unwrap()
    }

    pub fn login_cashier(&mut self) -> Operator {
        self.login(Who::Cashier).unwrap()
    }

    pub fn login_cashier2(&mut self) -> Operator {
        self.login(Who::Cashier2).unwrap()
    }

    /// A handle logged in as `who`, opened (and logged in) the first time it is asked for.
    pub fn as_(&mut self, who: Who) -> &mut Mostrador {
        let i = who.index();
        if self.handles[i].is_none() {
            let mut handle = self.open_handle();
            if let Some(c) = who.credentials() {
                handle.login(c).expect("login");
            }
            self.handles[i] = Some(handle);
        }
        self.handles[i].as_mut().unwrap()
    }

    /// Closes every connection and hands back the folder (with the database file in it)
    /// and the clock, to reopen the store.
    pub fn into_parts(mut self) -> (TempDir, ManualClock) {
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"));
        let clock = self.clock.clone();
        // The store lives on in `dir`: its credentials stay for whoever reopens it.
        self.keep_credentials = true;
        (dir, clock)
    }

    /// Opens and logs in every handle now, so their logins are not written later, inside a
    /// test's snapshot window.
    pub fn open_all_handles(&mut self) {
        for who in Who::ALL {
            self.as_(who);
        }
    }

    pub fn operator(&self, who: Who) -> Option<&Operator> {
        match who {
            Who::Nobody => None,
            Who::Admin => Some(&self.admin),
            Who::Cashier => Some(&self.cashier),
            Who::Cashier2 => Some(&self.cashier2),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot::take(self.app.connection())
    }

    pub fn balance_of(&self, code: &str) -> i64 {
        account_balance(self.app.connection(), code)
    }

    pub fn vault(&self, register_id: i64) -> i64 {
        self.balance_of(&format!("vault:{register_id}"))
    }

    pub fn drawer(&self, session_id: i64) -> i64 {
        self.balance_of(&format!("drawer:{session_id}"))
    }

    pub fn failed_logins(&self, name: &str) -> i64 {
        self.app
            .connection()
            .query_row("SELECT failed_logins FROM operators WHERE name = ?1", [name], |r| r.get(0))
            .unwrap()
    }
}

/// An empty database: migrated, no operator yet.
pub struct EmptyStore {
    pub dir: TempDir,
    pub clock: ManualClock,
    pub app: Mostrador,
}

impl EmptyStore {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = ManualClock::new(start_time());
        let app = Mostrador::open_with_clock(&dir.path().join("mostrador.sqlite3"), Arc::new(clock.clone()))
            .expect("open store");
        EmptyStore { dir, clock, app }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot::take(self.app.connection())
    }
}

pub fn account_balance(conn: &Connection, code: &str) -> i64 {
    conn.query_row("SELECT balance FROM accounts WHERE code = ?1", [code], |r| r.get(0))
        .unwrap_or_else(|e| panic!("account {code}: {e}"))
}

/// The names of every table in the database, from `sqlite_master`, so a table added by a
/// later migration is covered without editing the tests.
pub fn table_names(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// The tables the migrations create (everything but SQLite's and refinery's own).
pub fn schema_tables(conn: &Connection) -> Vec<String> {
    table_names(conn).into_iter().filter(|t| t != "refinery_schema_history").collect()
}

/// Columns a refused login or authorization may change: the failed-attempt counter and the
/// lockout time are what make lockout possible. Everything else must stay as it was.
const LOGIN_COUNTER_COLUMNS: &[(&str, &str)] = &[("operators", "failed_logins"), ("operators", "locked_until")];

/// Everything a command could have written: the row count of every table, every account's
/// balance, every cash session, and the full content of every table (but the login
/// counters, see [`LOGIN_COUNTER_COLUMNS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub row_counts: BTreeMap<String, i64>,
    pub balances: BTreeMap<String, i64>,
    pub sessions: Vec<Vec<String>>,
    pub contents: BTreeMap<String, Vec<Vec<String>>>,
}

fn render(value: Value) -> String {
    match value {
        Value::Null => "NULL".into(),
        Value::Integer(i) => format!("i:{i}"),
        Value::Real(f) => format!("r:{f}"),
        Value::Text(t) => format!("t:{t}"),
        Value::Blob(b) => format!("b:{b:?}"),
    }
}

fn rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = stmt.column_count();
    let mut out: Vec<Vec<String>> = stmt
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i).map(render)).collect::<Result<Vec<_>, _>>())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    out.sort();
    out
}

impl Snapshot {
    pub fn take(conn: &Connection) -> Snapshot {
        let mut row_counts = BTreeMap::new();
        let mut contents = BTreeMap::new();
        for table in table_names(conn) {
            let count: i64 =
                conn.query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| r.get(0)).unwrap();
            row_counts.insert(table.clone(), count);
            let columns: Vec<String> = {
                let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).unwrap();
                stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
            };
            let kept: Vec<String> = columns
                .into_iter()
                .filter(|c| !LOGIN_COUNTER_COLUMNS.contains(&(table.as_str(), c.as_str())))
                .map(|c| format!("\"{c}\""))
                .collect();
            contents.insert(table.clone(), rows(conn, &format!("SELECT {} FROM \"{table}\"", kept.join(", "))));
        }
        let balances = {
            let mut stmt = conn.prepare("SELECT code, balance FROM accounts").unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
        };
        let sessions = rows(conn, "SELECT * FROM cash_sessions");
        Snapshot { row_counts, balances, sessions, contents }
    }

    /// A description of what differs, if anything.
    pub fn difference(&self, after: &Snapshot) -> Option<String> {
        if self.row_counts != after.row_counts {
            return Some(format!("row counts changed: {:?} -> {:?}", self.row_counts, after.row_counts));
        }
        if self.balances != after.balances {
            return Some(format!("balances changed: {:?} -> {:?}", self.balances, after.balances));
        }
        if self.sessions != after.sessions {
            return Some(format!("cash sessions changed: {:?} -> {:?}", self.sessions, after.sessions));
        }
        for (table, rows) in &self.contents {
            if Some(rows) != after.contents.get(table) {
                return Some(format!("table {table} changed: {rows:?} -> {:?}", after.contents.get(table)));
            }
        }
        (self != after).then(|| "database changed".to_string())
    }

    #[track_caller]
    pub fn assert_same(&self, after: &Snapshot, context: &str) {
        if let Some(diff) = self.difference(after) {
            panic!("{context}: {diff}");
        }
    }
}

pub fn movement(session_id: i64, kind: &str, reason: &str, amount: &str) -> CashMovementInput {
    CashMovementInput { session_id, kind: kind.into(), reason: reason.into(), amount: amount.into(), note: None }
}

pub fn ingreso(session_id: i64, amount: &str) -> CashMovementInput {
    movement(session_id, "INGRESO", "APORTE_DUENO", amount)
}

pub fn egreso(session_id: i64, amount: &str) -> CashMovementInput {
    movement(session_id, "EGRESO", "GASTO_OPERATIVO", amount)
}

/// An opening, with the administrator's authorization a cashier needs when the declared
/// float differs from the vault by more than the threshold (ignored when not needed).
pub fn open(register_id: i64, float: &str) -> OpenSessionInput {
    OpenSessionInput { register_id, opening_float: float.into(), authorization: Some(creds(ADMIN_NAME, ADMIN_PIN)) }
}


pub fn count(denomination: &str, quantity: i64) -> DenominationCount {
    DenominationCount { denomination: denomination.into(), quantity }
}

/// The pieces a cashier would count for `centavos` (largest first); the amount must be a
/// multiple of 10 centavos, the smallest coin.
pub fn counts_for(centavos: i64) -> Vec<DenominationCount> {
    assert!(centavos >= 0 && centavos % 10 == 0, "{centavos} cannot be counted in Bolivian cash");
    let mut rest = centavos;
    let mut out = Vec::new();
    for d in Denomination::ALL {
        let value = d.value().centavos();
        let quantity = rest / value;
        if quantity > 0 {
            out.push(count(d.as_str(), quantity));
            rest -= quantity * value;
        }
    }
    out
}

pub fn close(session_id: i64, counts: Vec<DenominationCount>) -> CloseSessionInput {
    CloseSessionInput { session_id, counts, note: None, authorization: None }
}

pub fn bs(centavos: i64) -> Money {
    Money::from_centavos(centavos)
}

/// What is wrong with a refusal, if anything: the code, the field it points at and a
/// non-empty Spanish message that names that field by its label.
pub fn error_problem(err: &CoreError, code: ErrorCode, field: Option<&str>) -> Option<String> {
    if err.code != code {
        return Some(format!("expected {code:?}, got {err:?}"));
    }
    if err.field.as_deref() != field {
        return Some(format!("expected field {field:?}, got {err:?}"));
    }
    if err.message.trim().is_empty() {
        return Some(format!("empty message: {err:?}"));
    }
    if let Some(field) = field {
        let label = mostrador::domain::error::label(field).to_lowercase();
        if !err.message.to_lowercase().contains(&label) {
            return Some(format!("message «{}» does not name the field «{label}»", err.message));
        }
    }
    None
}

pub fn assert_error(err: &CoreError, code: ErrorCode, field: Option<&str>, context: &str) {
    if let Some(problem) = error_problem(err, code, field) {
        panic!("{context}: {problem}");
    }
}

/// Unwraps the error of a result that must have failed.
#[track_caller]
pub fn expect_err<T: std::fmt::Debug>(result: CoreResult<T>, context: &str) -> CoreError {
    match result {
        Ok(value) => panic!("{context}: expected an error, got {value:?}"),
        Err(err) => err,
    }
}

/// Every account's cached balance against the sum of its transfers, no negative balance
/// where the rule forbids it, and the whole ledger summing to zero.
pub fn assert_ledger_consistent(conn: &Connection, context: &str) {
    use mostrador::store::ledger;
    let mismatched = ledger::mismatched_accounts(conn).unwrap();
    assert!(mismatched.is_empty(), "{context}: cached balances differ from transfers: {mismatched:?}");
    let mut stmt = conn.prepare("SELECT id, code, balance, may_go_negative FROM accounts").unwrap();
    let accounts: Vec<(i64, String, i64, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Every stored code and operation key is one the ledger's vocabulary reads back.
    for (_, code, _, _) in &accounts {
        assert!(code.parse::<mostrador::domain::AccountCode>().is_ok(), "{context}: unknown account code {code}");
    }
    let operations: Vec<String> = conn
        .prepare("SELECT DISTINCT operation FROM transfers WHERE operation IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for key in operations {
        assert!(key.parse::<mostrador::domain::OperationKey>().is_ok(), "{context}: unknown operation key {key}");
    }
    let mut total = 0i64;
    for (id, code, balance, may_go_negative) in accounts {
        let from_transfers = ledger::balance_from_transfers(conn, id).unwrap().centavos();
        assert_eq!(balance, from_transfers, "{context}: {code} cached {balance} vs transfers {from_transfers}");
        if code.starts_with("drawer:")
            || code.starts_with("vault:")
            || code.starts_with("provider_float:")
            || code.starts_with("carrier_float:")
        {
            assert!(!may_go_negative, "{context}: {code} must not be allowed to go negative");
            assert!(balance >= 0, "{context}: {code} is negative ({balance})");
        }
        total += balance;
    }
    assert_eq!(total, 0, "{context}: the ledger does not sum to zero");
}

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join("mostrador.sqlite3")
}

/// "1234.50" for 123450 centavos, as a cashier would type it.
pub fn text(centavos: i64) -> String {
    bs(centavos).to_string()
}

// ---------------------------------------------------------------------------------------
// Store-side operations: agent transactions, recargas, payments.

/// The store-local date of [`start_time`].
pub const TODAY: &str = "2025-03-10";

/// The providers and carriers the schema presets.
pub const PROVIDERS: [&str; 4] = ["TIGO_MONEY", "BCP", "BANCO_UNION", "SOLI"];
pub const CARRIERS: [&str; 3] = ["Tigo", "Entel", "Viva"];
pub const METHODS: [&str; 4] = ["BCP", "EFECTIVO", "LOS_ANDES", "OTRO"];

/// A FONDEO of a provider's float.
pub fn fund(banco: &str, monto: &str) -> ProviderFloatInput {
    ProviderFloatInput { banco: banco.into(), tipo: "FONDEO".into(), monto: monto.into(), nota: None }
}

/// A RETIRO from a provider's float.
pub fn defund(banco: &str, monto: &str) -> ProviderFloatInput {
    ProviderFloatInput { banco: banco.into(), tipo: "RETIRO".into(), monto: monto.into(), nota: None }
}

/// An agent transaction with no client commission and no voucher.
pub fn agent(banco: &str, tipo: &str, monto: &str, referencia: &str, session: i64) -> NewAgentTransaction {
    NewAgentTransaction {
        banco: banco.into(),
        tipo_operacion: tipo.into(),
        monto: monto.into(),
        comision_cliente: None,
        nro_referencia: referencia.into(),
        id_caja_sesion: session,
        comprobante: None,
        cuenta_cliente: None,
        cuit_cliente: None,
        cliente: None,
        motivo_comision: None,
    }
}

/// An agent transaction with a client commission.
pub fn agent_c(banco: &str, tipo: &str, monto: &str, comision: &str, referencia: &str, session: i64) -> NewAgentTransaction {
    NewAgentTransaction { comision_cliente: Some(comision.into()), ..agent(banco, tipo, monto, referencia, session) }
}

pub fn topup(operadora: &str, telefono: &str, monto: &str, session: i64) -> NewTopup {
    NewTopup { operadora: operadora.into(), telefono: telefono.into(), monto: monto.into(), id_caja_sesion: session }
}

pub fn injection(operadora: &str, monto: &str, session: i64) -> NewInjection {
    NewInjection { operadora: operadora.into(), monto: monto.into(), id_caja_sesion: session }
}

pub fn bonus(operadora: &str, percent: &str) -> CarrierBonusInput {
    CarrierBonusInput { operadora: operadora.into(), bonificacion_porcentaje: percent.into() }
}

/// A payment dated today for work order `pendiente` by "Rosa Quispe".
pub fn pago(pendiente: i64, metodo: &str, monto: &str, referencia: Option<&str>, session: i64) -> NewPago {
    NewPago {
        pendiente_id: pendiente,
        cliente: "Rosa Quispe".into(),
        monto: monto.into(),
        fecha_pago: TODAY.into(),
        metodo_pago: metodo.into(),
        referencia: referencia.map(str::to_string),
        id_caja_sesion: session,
    }
}

pub fn void(id: i64, motivo: &str) -> VoidInput {
    VoidInput { id, motivo: motivo.into() }
}

pub fn settlement(banco: &str, csv: &str, pagado: bool) -> SettlementInput {
    SettlementInput { banco: banco.into(), csv: csv.into(), pagado }
}

impl Fixture {
    /// Where vouchers are copied: `comprobantes/` beside the database file.
    pub fn vouchers_dir(&self) -> PathBuf {
        self.dir.path().join("comprobantes")
    }

    /// Every account's cached balance by code.
    pub fn balances(&self) -> BTreeMap<String, i64> {
        all_balances(self.app.connection())
    }
}

pub fn all_balances(conn: &Connection) -> BTreeMap<String, i64> {
    let mut stmt = conn.prepare("SELECT code, balance FROM accounts").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

/// The transfers an operation ("agente:3", "recarga:1", "pago:2") posted, in order, as
/// `(from code, to code, centavos, kind, reverses)`.
pub fn operation_transfers(conn: &Connection, operation: &str) -> Vec<(String, String, i64, String, Option<i64>)> {
    let mut stmt = conn
        .prepare(
            "SELECT f.code, t.code, x.amount, x.kind, x.reverses FROM transfers x
             JOIN accounts f ON f.id = x.from_account JOIN accounts t ON t.id = x.to_account
             WHERE x.operation = ?1 ORDER BY x.id",
        )
        .unwrap();
    stmt.query_map([operation], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// One row of a bad-input table: `who` calls `call`, which must fail with `code`
/// pointing at `field` and write nothing. `I` holds the ids the table's setup made.
pub struct Case<I> {
    pub name: String,
    pub who: Who,
    pub call: Box<dyn Fn(&mut Mostrador, &I) -> CoreResult<()>>,
    pub code: ErrorCode,
    pub field: Option<&'static str>,
}

pub fn case<I, T>(
    who: Who,
    name: impl Into<String>,
    code: ErrorCode,
    field: Option<&'static str>,
    call: impl Fn(&mut Mostrador, &I) -> CoreResult<T> + 'static,
) -> Case<I> {
    Case { name: name.into(), who, code, field, call: Box::new(move |app, ids| call(app, ids).map(|_| ())) }
}

/// Runs every case on the fixture and returns what went wrong: a case accepted, the wrong
/// code, field or message, a write to the database, or a change of who is logged in.
pub fn run_bad_input_table<I>(fx: &mut Fixture, cases: &[Case<I>], ids: &I) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        let before = fx.snapshot();
        let who_before = fx.as_(case.who).current_operator();
        let result = (case.call)(fx.as_(case.who), ids);
        let context = format!("[{:?}] {}", case.who, case.name);
        match result {
            Ok(()) => failures.push(format!("{context}: accepted")),
            Err(err) => {
                if let Some(problem) = error_problem(&err, case.code, case.field) {
                    failures.push(format!("{context}: {problem}"));
                }
            }
        }
        if let Some(diff) = before.difference(&fx.snapshot()) {
            failures.push(format!("{context}: wrote to the database: {diff}"));
        }
        if fx.as_(case.who).current_operator() != who_before {
            failures.push(format!("{context}: changed who is logged in"));
        }
    }
    failures
}

/// Amounts refused by every money field; `zero_allowed` for a float, a threshold or a
/// commission.
pub fn bad_amounts(zero_allowed: bool) -> Vec<(String, ErrorCode)> {
    let mut cases: Vec<(String, ErrorCode)> = vec![
        (String::new(), ErrorCode::CampoRequerido),
        ("   ".into(), ErrorCode::CampoRequerido),
        ("-5".into(), ErrorCode::MontoNoPositivo),
        ("-0.01".into(), ErrorCode::MontoNoPositivo),
        ("-1000000.01".into(), ErrorCode::MontoNoPositivo),
        ("abc".into(), ErrorCode::MontoInvalido),
        ("Bs 100".into(), ErrorCode::MontoInvalido),
        ("1e3".into(), ErrorCode::MontoInvalido),
        ("NaN".into(), ErrorCode::MontoInvalido),
        ("inf".into(), ErrorCode::MontoInvalido),
        ("+5".into(), ErrorCode::MontoInvalido),
        ("12.5.1".into(), ErrorCode::MontoInvalido),
        ("1,000.50".into(), ErrorCode::MontoInvalido),
        ("1.000,5.0".into(), ErrorCode::MontoInvalido),
        ("1,000,50".into(), ErrorCode::MontoInvalido),
        ("1.500".into(), ErrorCode::MontoDecimales),
        ("1,500".into(), ErrorCode::MontoDecimales),
        (".".into(), ErrorCode::MontoInvalido),
        ("0x10".into(), ErrorCode::MontoInvalido),
        ("١٠٠".into(), ErrorCode::MontoInvalido),
        ("１００".into(), ErrorCode::MontoInvalido),
        ("山田".into(), ErrorCode::MontoInvalido),
        ("💵100".into(), ErrorCode::MontoInvalido),
        ("1.005".into(), ErrorCode::MontoDecimales),
        ("0.001".into(), ErrorCode::MontoDecimales),
        ("10,255".into(), ErrorCode::MontoDecimales),
        ("1.000000000000000000000000000001".into(), ErrorCode::MontoDecimales),
        ("1000000.01".into(), ErrorCode::MontoExcedeMaximo),
        ("2000000".into(), ErrorCode::MontoExcedeMaximo),
        ("9".repeat(40), ErrorCode::MontoExcedeMaximo),
        ("9".repeat(10_000), ErrorCode::MontoExcedeMaximo),
    ];
    if !zero_allowed {
        cases.extend([("0".into(), ErrorCode::MontoNoPositivo), ("0.00".into(), ErrorCode::MontoNoPositivo), ("-0".into(), ErrorCode::MontoNoPositivo)]);
    }
    cases
}

/// A bank connection with the demo store's point of service and, when its URL is given,
/// the simulator's token stand-in beside it.
pub fn with_bank_point(input: ConfigureProviderInput) -> ConfigureProviderInput {
    let [codigo, nombre, ciudad_id, ciudad, departamento] = mostrador::service::demo::DEMO_BANK_POINT.map(|p| Some(p.to_string()));
    let url_token = input.url_token.clone().or_else(|| {
        input.url_base.as_ref().map(|u| format!("{}{}", u.trim_end_matches('/'), mostrador::simulator::BANK_TOKEN_STAND_IN))
    });
    ConfigureProviderInput {
        url_token,
        punto_codigo: codigo,
        punto_nombre: nombre,
        punto_ciudad_id: ciudad_id,
        punto_ciudad: ciudad,
        punto_departamento: departamento,
        ..input
    }
}

/// A connection of `banco` on `contrato` to the bank simulator at `url`, sending every
/// operation its contract takes, with the simulator's accounts, point and concept.
pub fn connection(banco: &str, contrato: &str, url: &str) -> ConfigureProviderInput {
    let input = ConfigureProviderInput {
        banco: banco.into(),
        contrato: contrato.into(),
        url_base: Some(url.into()),
        enviar_deposito: true,
        enviar_retiro: contrato == "BILLETERA_V2",
        enviar_qr: true,
        cuenta_tienda: (contrato == "BANCO_V1").then(|| mostrador::simulator::DEMO_CORRESPONDENT_ACCOUNT.to_string()),
        limite_operacion: Some("5000".into()),
        limite_pendiente: Some("1000000".into()),
        concepto: (contrato == "BILLETERA_V2").then(|| mostrador::simulator::DEMO_WALLET_CONCEPT.to_string()),
        ..ConfigureProviderInput::default()
    };
    if contrato == "BANCO_V1" {
        with_bank_point(input)
    } else {
        input
    }
}
