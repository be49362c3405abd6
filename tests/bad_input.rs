//! Every core command (and so every Tauri command, which is a one-line wrapper over it)
//! against the inputs a person or a broken UI can send: each refusal has the exact code,
//! points at the input, names it in Spanish, and leaves the database as it was.
//!
//! The cases are a table: adding one is one line in `cases()` (or one entry in the input
//! lists it loops over).

mod common;

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use ErrorCode::*;
use Who::*;

const UNKNOWN_ID: i64 = 999_999;

/// Ids of the state the cases act on.
struct Ids {
    /// The cashier's open session on `busy_register`, with Bs 550.00 in the drawer.
    open: i64,
    /// A session of the cashier's that is already closed.
    closed: i64,
    /// A register with a session open on it.
    busy_register: i64,
    /// A register with no session.
    free_register: i64,
}

type Case = common::Case<Ids>;

/// `common::case` with this table's ids, so the rows' closures need no type annotations.
fn case<T>(
    who: Who,
    name: impl Into<String>,
    code: ErrorCode,
    field: Option<&'static str>,
    call: impl Fn(&mut Mostrador, &Ids) -> CoreResult<T> + 'static,
) -> Case {
    common::case(who, name, code, field, call)
}

/// Text a person could type into a required name field of at most `max` characters.
fn bad_names(max: usize) -> Vec<(String, ErrorCode)> {
    let mut cases = bad_optional_text(max);
    cases.push((String::new(), CampoRequerido));
    cases.push(("   ".into(), CampoRequerido));
    cases.push(("\t\n".into(), CampoRequerido));
    cases
}

/// Text refused even where the field may be left empty (notes).
fn bad_optional_text(max: usize) -> Vec<(String, ErrorCode)> {
    vec![
        ("a".repeat(max + 1), TextoDemasiadoLargo),
        ("ñ".repeat(max + 1), TextoDemasiadoLargo),
        ("x".repeat(10_000), TextoDemasiadoLargo),
        ("山田".into(), TextoInvalido),
        ("Ana 山田".into(), TextoInvalido),
        ("Иван".into(), TextoInvalido),
        ("محمد".into(), TextoInvalido),
        ("Ana 😀".into(), TextoInvalido),
        ("💵💵".into(), TextoInvalido),
        ("Ana\u{0}Pérez".into(), TextoInvalido),
        ("Ana\nPérez".into(), TextoInvalido),
        ("Ana\u{200B}".into(), TextoInvalido),
        ("\u{202E}anA".into(), TextoInvalido),
    ]
}

/// PINs refused for a new PIN: not 6 to 8 ASCII digits (4 and 5 digits still log in).
fn bad_pins() -> Vec<(String, ErrorCode)> {
    vec![
        (String::new(), CampoRequerido),
        ("123".into(), PinInvalido),
        ("1234".into(), PinInvalido),
        ("12345".into(), PinInvalido),
        ("123456789".into(), PinInvalido),
        ("12a4".into(), PinInvalido),
        ("abcd".into(), PinInvalido),
        (" 1234".into(), PinInvalido),
        ("-1234".into(), PinInvalido),
        ("١٢٣٤".into(), PinInvalido),
        ("１２３４".into(), PinInvalido),
        ("😀😀😀😀".into(), PinInvalido),
        ("1".repeat(10_000), PinInvalido),
    ]
}


fn new_operator(name: &str, role: &str, pin: &str) -> NewOperator {
    NewOperator { name: name.into(), role: role.into(), pin: pin.into() }
}

fn new_register(name: &str, specialty: &str) -> NewRegister {
    NewRegister { name: name.into(), specialty: specialty.into() }
}

fn profile(nombre: &str, direccion: Option<&str>, nit: Option<&str>) -> StoreProfileInput {
    StoreProfileInput { nombre: nombre.into(), direccion: direccion.map(Into::into), nit: nit.map(Into::into) }
}

fn threshold(value: &str) -> SettingsInput {
    SettingsInput { close_difference_threshold: value.into(), ..Default::default() }
}

fn with_auth(session_id: i64, counts: Vec<DenominationCount>, name: &str, pin: &str) -> CloseSessionInput {
    CloseSessionInput { authorization: Some(creds(name, pin)), ..close(session_id, counts) }
}

fn filter() -> SessionFilter {
    SessionFilter::default()
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        // No one logged in: every command that needs an operator refuses, before looking at its input.
        case(Nobody, "create_operator", NoAutenticado, None, |a, _| a.create_operator(new_operator("Eva", "cajero", "1234"))),
        case(Nobody, "create_operator, bad input", NoAutenticado, None, |a, _| a.create_operator(new_operator("山田", "x", "1"))),
        case(Nobody, "list_operators", NoAutenticado, None, |a, _| a.list_operators()),
        case(Nobody, "list_registers", NoAutenticado, None, |a, _| a.list_registers()),
        case(Nobody, "create_register", NoAutenticado, None, |a, _| a.create_register(new_register("Caja 9", "MIXTA"))),
        case(Nobody, "open_session", NoAutenticado, None, |a, i| a.open_session(open(i.free_register, "100"))),
        case(Nobody, "open_session, bad float", NoAutenticado, None, |a, i| a.open_session(open(i.free_register, "abc"))),
        case(Nobody, "active_session", NoAutenticado, None, |a, _| a.active_session()),
        case(Nobody, "session_balance", NoAutenticado, None, |a, i| a.session_balance(i.open)),
        case(Nobody, "record_cash_movement", NoAutenticado, None, |a, i| a.record_cash_movement(ingreso(i.open, "10"))),
        case(Nobody, "close_session", NoAutenticado, None, |a, i| a.close_session(close(i.open, counts_for(55_000)))),
        case(Nobody, "session_report", NoAutenticado, None, |a, i| a.session_report(i.open)),
        case(Nobody, "list_sessions", NoAutenticado, None, |a, _| a.list_sessions(filter())),
        case(Nobody, "export_sessions_csv", NoAutenticado, None, |a, _| a.export_sessions_csv(filter(), "/tmp/sesiones.csv")),
        case(Nobody, "get_settings", NoAutenticado, None, |a, _| a.get_settings()),
        case(Nobody, "set_own_language", NoAutenticado, None, |a, _| a.set_own_language("en")),
        case(Cashier, "language the counter does not speak", ValorInvalido, Some("language"), |a, _| a.set_own_language("fr")),
        case(Admin, "empty language", CampoRequerido, Some("language"), |a, _| a.set_own_language(" ")),
        case(Nobody, "agent_call_states", NoAutenticado, None, |a, _| a.agent_call_states(vec![1])),
        case(Cashier, "call states of too many operations", ValorInvalido, Some("ids"), |a, _| a.agent_call_states((1..=201).collect())),
        case(Nobody, "update_settings", NoAutenticado, None, |a, _| a.update_settings(threshold("50"))),
        case(Nobody, "integrity_check", NoAutenticado, None, |a, _| a.integrity_check()),
        case(Nobody, "system_health", NoAutenticado, None, |a, _| a.system_health()),
        case(Nobody, "get_store_profile", NoAutenticado, None, |a, _| a.get_store_profile()),
        case(Nobody, "update_store_profile", NoAutenticado, None, |a, _| a.update_store_profile(profile("Tienda Ana", None, None))),
        // A cashier doing an administrator's work.
        case(Cashier, "cashier create_operator", PermisoDenegado, None, |a, _| a.create_operator(new_operator("Eva", "cajero", "1234"))),
        case(Cashier, "cashier create_operator admin", PermisoDenegado, None, |a, _| a.create_operator(new_operator("Eva", "administrador", "1234"))),
        case(Cashier, "cashier create_operator, bad input", PermisoDenegado, None, |a, _| a.create_operator(new_operator("", "", ""))),
        case(Cashier, "cashier list_operators", PermisoDenegado, None, |a, _| a.list_operators()),
        case(Cashier, "cashier create_register", PermisoDenegado, None, |a, _| a.create_register(new_register("Caja 9", "MIXTA"))),
        case(Cashier, "cashier update_settings", PermisoDenegado, None, |a, _| a.update_settings(threshold("1000"))),
        case(Cashier, "cashier update_settings, bad input", PermisoDenegado, None, |a, _| a.update_settings(threshold("-1"))),
        case(Cashier, "cashier integrity_check", PermisoDenegado, None, |a, _| a.integrity_check()),
        case(Cashier, "cashier system_health", PermisoDenegado, None, |a, _| a.system_health()),
        case(Cashier, "cashier update_store_profile", PermisoDenegado, None, |a, _| a.update_store_profile(profile("Tienda Ana", None, None))),
        case(Cashier, "cashier update_store_profile, bad input", PermisoDenegado, None, |a, _| a.update_store_profile(profile("", None, Some("x")))),
        case(Admin, "store name of one letter", ValorInvalido, Some("nombre"), |a, _| a.update_store_profile(profile(" A ", None, None))),
        // A cashier acting on another cashier's session.
        case(Cashier2, "other's session_balance", PermisoDenegado, None, |a, i| a.session_balance(i.open)),
        case(Cashier2, "other's session ingreso", PermisoDenegado, None, |a, i| a.record_cash_movement(ingreso(i.open, "10"))),
        case(Cashier2, "other's session egreso", PermisoDenegado, None, |a, i| a.record_cash_movement(egreso(i.open, "10"))),
        case(Cashier2, "other's closed session movement", PermisoDenegado, None, |a, i| a.record_cash_movement(ingreso(i.closed, "10"))),
        case(Cashier2, "other's session close", PermisoDenegado, None, |a, i| a.close_session(close(i.open, counts_for(55_000)))),
        case(Cashier2, "other's session close, authorized", PermisoDenegado, None, |a, i| a.close_session(with_auth(i.open, vec![], ADMIN_NAME, ADMIN_PIN))),
        case(Cashier2, "other's session report", PermisoDenegado, None, |a, i| a.session_report(i.open)),
        case(Cashier2, "other's closed session report", PermisoDenegado, None, |a, i| a.session_report(i.closed)),
        // create_first_admin once the store is set up.
        case(Nobody, "create_first_admin again", YaInicializado, None, |a, _| a.create_first_admin(creds("Otro Admin", "987654"))),
        case(Cashier, "create_first_admin again as cashier", YaInicializado, None, |a, _| a.create_first_admin(creds("Otro Admin", "987654"))),
        case(Admin, "create_first_admin again as admin", YaInicializado, None, |a, _| a.create_first_admin(creds("Otro Admin", "987654"))),
        // login: what the name field checks; a wrong name or PIN never says which one was wrong.
        case(Nobody, "login unknown name", CredencialesInvalidas, Some("pin"), |a, _| a.login(creds("Nadie", "1234"))),
        case(Nobody, "login empty pin", CampoRequerido, Some("pin"), |a, _| a.login(creds(CASHIER2_NAME, ""))),
        case(Nobody, "login wrong pin", CredencialesInvalidas, Some("pin"), |a, _| a.login(creds(CASHIER2_NAME, "0000"))),
        case(Nobody, "login non-numeric pin", CredencialesInvalidas, Some("pin"), |a, _| a.login(creds(CASHIER2_NAME, "abcd"))),
        case(Nobody, "login emoji pin", CredencialesInvalidas, Some("pin"), |a, _| a.login(creds(CASHIER2_NAME, "😀😀"))),
        case(Nobody, "login huge pin", CredencialesInvalidas, Some("pin"), |a, _| a.login(creds("Nadie", &"9".repeat(10_000)))),
        // create_operator
        case(Admin, "duplicate operator", NombreDuplicado, Some("name"), |a, _| a.create_operator(new_operator(CASHIER_NAME, "cajero", "123456"))),
        case(Admin, "duplicate operator, other case", NombreDuplicado, Some("name"), |a, _| a.create_operator(new_operator("CARLOS CAJERO", "cajero", "123456"))),
        case(Admin, "duplicate operator, extra spaces", NombreDuplicado, Some("name"), |a, _| a.create_operator(new_operator("  Carlos   Cajero ", "cajero", "123456"))),
        case(Admin, "duplicate of the admin", NombreDuplicado, Some("name"), |a, _| a.create_operator(new_operator(ADMIN_NAME, "administrador", "123456"))),
        case(Admin, "unknown role", ValorInvalido, Some("role"), |a, _| a.create_operator(new_operator("Eva", "jefe", "1234"))),
        case(Admin, "empty role", ValorInvalido, Some("role"), |a, _| a.create_operator(new_operator("Eva", "", "1234"))),
        case(Admin, "capitalized role", ValorInvalido, Some("role"), |a, _| a.create_operator(new_operator("Eva", "Cajero", "1234"))),
        case(Admin, "non-Latin role", ValorInvalido, Some("role"), |a, _| a.create_operator(new_operator("Eva", "出納係", "1234"))),
        case(Admin, "huge role", ValorInvalido, Some("role"), |a, _| a.create_operator(new_operator("Eva", &"cajero".repeat(2_000), "1234"))),
        // create_register
        case(Admin, "duplicate register", NombreDuplicado, Some("name"), |a, _| a.create_register(new_register("Caja 1", "MIXTA"))),
        case(Admin, "duplicate register, other case", NombreDuplicado, Some("name"), |a, _| a.create_register(new_register("caja 2 agentes", "MIXTA"))),
        case(Admin, "unknown specialty", ValorInvalido, Some("specialty"), |a, _| a.create_register(new_register("Caja 9", "VENTAS"))),
        case(Admin, "empty specialty", ValorInvalido, Some("specialty"), |a, _| a.create_register(new_register("Caja 9", ""))),
        case(Admin, "lowercase specialty", ValorInvalido, Some("specialty"), |a, _| a.create_register(new_register("Caja 9", "mixta"))),
        case(Admin, "emoji specialty", ValorInvalido, Some("specialty"), |a, _| a.create_register(new_register("Caja 9", "💵"))),
        // open_session
        case(Admin, "open on unknown register", NoEncontrado, Some("register_id"), |a, _| a.open_session(open(UNKNOWN_ID, "100"))),
        case(Admin, "open on register 0", NoEncontrado, Some("register_id"), |a, _| a.open_session(open(0, "100"))),
        case(Admin, "open on negative register", NoEncontrado, Some("register_id"), |a, _| a.open_session(open(-1, "100"))),
        case(Admin, "open on register i64::MAX", NoEncontrado, Some("register_id"), |a, _| a.open_session(open(i64::MAX, "100"))),
        case(Cashier2, "open on a busy register", SesionYaAbierta, Some("register_id"), |a, i| a.open_session(open(i.busy_register, "100"))),
        case(Admin, "admin opens on a busy register", SesionYaAbierta, Some("register_id"), |a, i| a.open_session(open(i.busy_register, "0"))),
        case(Cashier, "second session for an operator", OperadorConSesionAbierta, None, |a, i| a.open_session(open(i.free_register, "100"))),
        case(Cashier, "second session on own register", SesionYaAbierta, Some("register_id"), |a, i| a.open_session(open(i.busy_register, "100"))),
        // session_balance / session_report
        case(Admin, "balance of unknown session", NoEncontrado, Some("session_id"), |a, _| a.session_balance(UNKNOWN_ID)),
        case(Admin, "balance of session 0", NoEncontrado, Some("session_id"), |a, _| a.session_balance(0)),
        case(Cashier, "balance of negative session", NoEncontrado, Some("session_id"), |a, _| a.session_balance(-7)),
        case(Admin, "report of unknown session", NoEncontrado, Some("session_id"), |a, _| a.session_report(UNKNOWN_ID)),
        case(Cashier, "report of session i64::MIN", NoEncontrado, Some("session_id"), |a, _| a.session_report(i64::MIN)),
        // record_cash_movement: kind and reason
        case(Cashier, "unknown kind", ValorInvalido, Some("kind"), |a, i| a.record_cash_movement(movement(i.open, "DEPOSITO", "OTRO_INGRESO", "10"))),
        case(Cashier, "empty kind", ValorInvalido, Some("kind"), |a, i| a.record_cash_movement(movement(i.open, "", "OTRO_INGRESO", "10"))),
        case(Cashier, "lowercase kind", ValorInvalido, Some("kind"), |a, i| a.record_cash_movement(movement(i.open, "ingreso", "OTRO_INGRESO", "10"))),
        case(Cashier, "non-Latin kind", ValorInvalido, Some("kind"), |a, i| a.record_cash_movement(movement(i.open, "入金", "OTRO_INGRESO", "10"))),
        case(Cashier, "unknown reason", ValorInvalido, Some("reason"), |a, i| a.record_cash_movement(movement(i.open, "INGRESO", "REGALO", "10"))),
        case(Cashier, "empty reason", ValorInvalido, Some("reason"), |a, i| a.record_cash_movement(movement(i.open, "EGRESO", "", "10"))),
        case(Cashier, "emoji reason", ValorInvalido, Some("reason"), |a, i| a.record_cash_movement(movement(i.open, "EGRESO", "😀", "10"))),
        case(Cashier, "egreso reason on an ingreso", ValorInvalido, Some("reason"), |a, i| a.record_cash_movement(movement(i.open, "INGRESO", "PAGO_PROVEEDOR", "10"))),
        case(Cashier, "ingreso reason on an egreso", ValorInvalido, Some("reason"), |a, i| a.record_cash_movement(movement(i.open, "EGRESO", "APORTE_DUENO", "10"))),
        // record_cash_movement: the session
        case(Cashier, "movement on unknown session", NoEncontrado, Some("session_id"), |a, _| a.record_cash_movement(ingreso(UNKNOWN_ID, "10"))),
        case(Admin, "movement on session -1", NoEncontrado, Some("session_id"), |a, _| a.record_cash_movement(egreso(-1, "10"))),
        case(Cashier, "ingreso on a closed session", SesionCerrada, Some("session_id"), |a, i| a.record_cash_movement(ingreso(i.closed, "10"))),
        case(Admin, "admin egreso on a closed session", SesionCerrada, Some("session_id"), |a, i| a.record_cash_movement(egreso(i.closed, "10"))),
        case(Cashier, "egreso above the drawer", FondosInsuficientes, Some("amount"), |a, i| a.record_cash_movement(egreso(i.open, "550.01"))),
        case(Admin, "admin egreso above the drawer", FondosInsuficientes, Some("amount"), |a, i| a.record_cash_movement(egreso(i.open, "1000000"))),
        // close_session: the count
        case(Cashier, "unknown denomination", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("B500", 1)]))),
        case(Cashier, "empty denomination", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("", 1)]))),
        case(Cashier, "lowercase denomination", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("b100", 5)]))),
        case(Cashier, "non-Latin denomination", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("百", 5)]))),
        case(Cashier, "repeated denomination", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("B100", 5), count("B50", 1), count("B100", 0)]))),
        case(Cashier, "negative quantity", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("B100", 6), count("B50", -1)]))),
        case(Cashier, "quantity i64::MIN", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("M1", i64::MIN)]))),
        case(Cashier, "quantity above the limit", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("M0_10", 100_001)]))),
        case(Cashier, "quantity i64::MAX", ValorInvalido, Some("counts"), |a, i| a.close_session(close(i.open, vec![count("B200", i64::MAX)]))),
        // close_session: the session
        case(Cashier, "close unknown session", NoEncontrado, Some("session_id"), |a, _| a.close_session(close(UNKNOWN_ID, counts_for(55_000)))),
        case(Cashier, "close a closed session", SesionCerrada, Some("session_id"), |a, i| a.close_session(close(i.closed, counts_for(0)))),
        case(Admin, "admin closes a closed session", SesionCerrada, Some("session_id"), |a, i| a.close_session(close(i.closed, counts_for(10_000)))),
        // close_session: a difference above the threshold (Bs 20.00 by default) needs an administrator.
        case(Cashier, "short by Bs 550 without authorization", AutorizacionRequerida, Some("authorization"), |a, i| a.close_session(close(i.open, vec![]))),
        case(Cashier, "over by Bs 20.10 without authorization", AutorizacionRequerida, Some("authorization"), |a, i| a.close_session(close(i.open, counts_for(57_010)))),
        case(Admin, "admin closing still needs authorization", AutorizacionRequerida, Some("authorization"), |a, i| a.close_session(close(i.open, counts_for(52_990)))),
        case(Cashier, "authorization with a wrong PIN", CredencialesInvalidas, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], ADMIN_NAME, "0000"))),
        case(Cashier, "authorization with an empty PIN", CredencialesInvalidas, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], ADMIN_NAME, ""))),
        case(Cashier, "authorization by an unknown name", CredencialesInvalidas, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], "Nadie", ADMIN_PIN))),
        case(Cashier, "authorization with an empty name", CampoRequerido, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], "  ", ADMIN_PIN))),
        case(Cashier, "authorization with a non-Latin name", TextoInvalido, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], "山田", ADMIN_PIN))),
        case(Cashier, "authorization with a huge name", TextoDemasiadoLargo, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], &"A".repeat(5_000), ADMIN_PIN))),
        case(Cashier, "authorization by the cashier", PermisoDenegado, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], CASHIER_NAME, CASHIER_PIN))),
        case(Cashier, "authorization by another cashier", PermisoDenegado, Some("authorization"), |a, i| a.close_session(with_auth(i.open, vec![], CASHIER2_NAME, CASHIER2_PIN))),
        // export_sessions_csv: the list's filter, then the path.
        case(Admin, "sessions csv: no path", CampoRequerido, Some("ruta"), |a, _| a.export_sessions_csv(filter(), "  ")),
        case(Cashier, "sessions csv: folder that does not exist", ArchivoInvalido, Some("ruta"), |a, _| {
            a.export_sessions_csv(filter(), "/no/existe/sesiones.csv")
        }),
        case(Admin, "sessions csv: from after to", ValorInvalido, Some("to_date"), |a, _| {
            a.export_sessions_csv(SessionFilter { from_date: Some("2025-03-11".into()), to_date: Some("2025-03-10".into()), ..filter() }, "/tmp/sesiones.csv")
        }),
        // list_sessions
        case(Admin, "page 0", ValorInvalido, Some("page"), |a, _| a.list_sessions(SessionFilter { page: Some(0), ..filter() })),
        case(Cashier, "page -1", ValorInvalido, Some("page"), |a, _| a.list_sessions(SessionFilter { page: Some(-1), ..filter() })),
        case(Admin, "page i64::MIN", ValorInvalido, Some("page"), |a, _| a.list_sessions(SessionFilter { page: Some(i64::MIN), ..filter() })),
        case(Admin, "size 0", ValorInvalido, Some("size"), |a, _| a.list_sessions(SessionFilter { size: Some(0), ..filter() })),
        case(Cashier, "size -5", ValorInvalido, Some("size"), |a, _| a.list_sessions(SessionFilter { size: Some(-5), ..filter() })),
        case(Admin, "size 101", ValorInvalido, Some("size"), |a, _| a.list_sessions(SessionFilter { size: Some(101), ..filter() })),
        case(Admin, "size i64::MAX", ValorInvalido, Some("size"), |a, _| a.list_sessions(SessionFilter { size: Some(i64::MAX), ..filter() })),
        case(Admin, "from after to", ValorInvalido, Some("to_date"), |a, _| a.list_sessions(SessionFilter { from_date: Some("2025-03-11".into()), to_date: Some("2025-03-10".into()), ..filter() })),
    ];
    for status in ["abierta", "CERRADO", "OPEN", "山田", "😀", "ABIERTA,CERRADA"] {
        cases.push(case(Admin, format!("status {status:?}"), ValorInvalido, Some("status"), move |a, _| {
            a.list_sessions(SessionFilter { status: Some(status.into()), ..filter() })
        }));
    }
    let bad_dates = ["2025-13-01", "2025-02-30", "2025-00-10", "ayer", "10/03/2025", "2025-03-10T00:00:00", "99999-01-01", "山田", "😀"];
    for date in bad_dates.iter().map(|d| d.to_string()).chain(["9".repeat(5_000)]) {
        let d = date.clone();
        cases.push(case(Admin, format!("from_date {:.20}", date), ValorInvalido, Some("from_date"), move |a, _| {
            a.list_sessions(SessionFilter { from_date: Some(d.clone()), ..filter() })
        }));
        cases.push(case(Cashier, format!("to_date {:.20}", date), ValorInvalido, Some("to_date"), move |a, _| {
            a.list_sessions(SessionFilter { to_date: Some(date.clone()), ..filter() })
        }));
    }

    // Every text field with every kind of bad text.
    for (name, code) in bad_names(60) {
        let short = format!("{name:.12}");
        let n = name.clone();
        cases.push(case(Admin, format!("operator name {short:?}"), code, Some("name"), move |a, _| {
            a.create_operator(new_operator(&n, "cajero", "1234"))
        }));
        let n = name.clone();
        cases.push(case(Nobody, format!("first admin name {short:?}"), code, Some("name"), move |a, _| {
            a.create_first_admin(creds(&n, "1234"))
        }));
        cases.push(case(Nobody, format!("login name {short:?}"), code, Some("name"), move |a, _| a.login(creds(&name, "1234"))));
    }
    for (name, code) in bad_names(40) {
        cases.push(case(Admin, format!("register name {:.12?}", name), code, Some("name"), move |a, _| {
            a.create_register(new_register(&name, "MIXTA"))
        }));
    }
    for (note, code) in bad_optional_text(200) {
        let n = note.clone();
        cases.push(case(Cashier, format!("movement note {:.12?}", note), code, Some("note"), move |a, i| {
            a.record_cash_movement(CashMovementInput { note: Some(n.clone()), ..ingreso(i.open, "10") })
        }));
        cases.push(case(Cashier, format!("close note {:.12?}", note), code, Some("note"), move |a, i| {
            a.close_session(CloseSessionInput { note: Some(note.clone()), ..close(i.open, counts_for(55_000)) })
        }));
    }
    for (pin, code) in bad_pins() {
        let short = format!("{pin:.12}");
        let p = pin.clone();
        cases.push(case(Admin, format!("operator pin {short:?}"), code, Some("pin"), move |a, _| {
            a.create_operator(new_operator("Eva Nueva", "cajero", &p))
        }));
        cases.push(case(Nobody, format!("first admin pin {short:?}"), code, Some("pin"), move |a, _| {
            a.create_first_admin(creds("Otro Admin", &pin))
        }));
    }
    // Every money field with every kind of bad amount.
    for (amount, code) in bad_amounts(false) {
        let short = format!("{amount:.12}");
        let m = amount.clone();
        cases.push(case(Cashier, format!("ingreso {short:?}"), code, Some("amount"), move |a, i| {
            a.record_cash_movement(ingreso(i.open, &m))
        }));
        cases.push(case(Admin, format!("egreso {short:?}"), code, Some("amount"), move |a, i| {
            a.record_cash_movement(egreso(i.open, &amount))
        }));
    }
    for (name, code) in bad_names(60) {
        cases.push(case(Admin, format!("store name {:.12?}", name), code, Some("nombre"), move |a, _| {
            a.update_store_profile(profile(&name, Some("Calle Sucre 12"), Some("1234567")))
        }));
    }
    for (address, code) in bad_optional_text(100) {
        cases.push(case(Admin, format!("store address {:.12?}", address), code, Some("direccion"), move |a, _| {
            a.update_store_profile(profile("Tienda Ana", Some(&address), None))
        }));
    }
    for nit in ["1234", "1234567890123456", "123-456", "12 345 67", "NIT12345", "１２３４５６", "-123456", "123456.0"] {
        cases.push(case(Admin, format!("store NIT {nit:?}"), ValorInvalido, Some("nit"), move |a, _| {
            a.update_store_profile(profile("Tienda Ana", None, Some(nit)))
        }));
    }
    for (amount, code) in bad_amounts(true) {
        let short = format!("{amount:.12}");
        let m = amount.clone();
        cases.push(case(Cashier2, format!("opening float {short:?}"), code, Some("opening_float"), move |a, i| {
            a.open_session(open(i.free_register, &m))
        }));
        cases.push(case(Admin, format!("threshold {short:?}"), code, Some("close_difference_threshold"), move |a, _| {
            a.update_settings(threshold(&amount))
        }));
    }
    cases
}

/// The cashier closes a session on `ventas` and has one open on `mixta` with Bs 550.00.
fn setup() -> (Fixture, Ids) {
    let mut fx = Fixture::new();
    let (ventas, mixta, agentes) = (fx.ventas.id, fx.mixta.id, fx.agentes.id);
    let app = fx.as_(Cashier);
    let closed = app.open_session(open(ventas, "100")).unwrap().id;
    app.close_session(close(closed, counts_for(10_000))).unwrap();
    let open_id = app.open_session(open(mixta, "500")).unwrap().id;
    app.record_cash_movement(ingreso(open_id, "50")).unwrap();
    assert_eq!(fx.drawer(open_id), 55_000);
    fx.open_all_handles();
    (fx, Ids { open: open_id, closed, busy_register: mixta, free_register: agentes })
}

#[test]
fn every_command_refuses_bad_input_and_writes_nothing() {
    let (mut fx, ids) = setup();
    let all = cases();
    let failures = run_bad_input_table(&mut fx, &all, &ids);
    assert!(all.len() > 250, "the table lost cases: {}", all.len());
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), all.len(), failures.join("\n"));
    // The refusals left the ledger as consistent as they found it.
    assert_ledger_consistent(fx.app.connection(), "after the bad inputs");
    assert_eq!(fx.drawer(ids.open), 55_000);
}

/// create_first_admin on a store that still needs one: bad names and PINs are refused and
/// the store stays waiting for its first administrator.
#[test]
fn create_first_admin_refuses_bad_input_on_an_empty_store() {
    let mut store = EmptyStore::new();
    let mut inputs: Vec<(Credentials, ErrorCode, &str)> = Vec::new();
    for (name, code) in bad_names(60) {
        inputs.push((creds(&name, "1234"), code, "name"));
    }
    for (pin, code) in bad_pins() {
        inputs.push((creds("Ana", &pin), code, "pin"));
    }
    for (input, code, field) in inputs {
        let before = store.snapshot();
        let context = format!("create_first_admin({:.20?}, {:.12?})", input.name, input.pin);
        let err = expect_err(store.app.create_first_admin(input), &context);
        assert_error(&err, code, Some(field), &context);
        before.assert_same(&store.snapshot(), &context);
        assert!(store.app.setup_status().unwrap().needs_first_admin, "{context}");
        assert_eq!(store.app.current_operator(), None, "{context}");
    }
    // Logging in before there is anyone: refused the same way as a wrong name.
    let before = store.snapshot();
    let err = expect_err(store.app.login(creds("Ana", "1234")), "login on an empty store");
    assert_error(&err, CredencialesInvalidas, Some("pin"), "login on an empty store");
    before.assert_same(&store.snapshot(), "login on an empty store");
}

/// Commands with no input to get wrong: without anyone logged in they answer, or refuse,
/// and write nothing.
#[test]
fn commands_without_input_write_nothing_when_no_one_is_logged_in() {
    let mut fx = Fixture::new();
    fx.login(Nobody);
    let before = fx.snapshot();
    assert!(!fx.app.setup_status().unwrap().needs_first_admin);
    assert_eq!(fx.app.current_operator(), None);
    fx.app.logout().expect("logout with no one logged in is a no-op");
    fx.app.logout().unwrap();
    assert_eq!(fx.app.current_operator(), None);
    before.assert_same(&fx.snapshot(), "setup_status / current_operator / logout");
}

/// Filters that match nothing are not errors: an unknown register or operator gives an
/// empty page, and a cashier asking for someone else's sessions gets their own.
#[test]
fn list_sessions_with_unknown_ids_is_an_empty_page() {
    let (mut fx, ids) = setup();
    let before = fx.snapshot();
    for (who, f) in [
        (Admin, SessionFilter { register_id: Some(UNKNOWN_ID), ..filter() }),
        (Admin, SessionFilter { operator_id: Some(UNKNOWN_ID), ..filter() }),
        (Admin, SessionFilter { register_id: Some(-1), operator_id: Some(0), ..filter() }),
        (Cashier2, SessionFilter { register_id: Some(ids.busy_register), ..filter() }),
        (Admin, SessionFilter { page: Some(i64::MAX), ..filter() }),
        (Admin, SessionFilter { page: Some(i64::MAX), size: Some(100), ..filter() }),
        (Admin, SessionFilter { from_date: Some("2100-01-01".into()), ..filter() }),
    ] {
        let page = fx.as_(who).list_sessions(f.clone()).unwrap_or_else(|e| panic!("{f:?}: {e:?}"));
        assert!(page.items.is_empty(), "{f:?}: {page:?}");
        if f.page.is_none() {
            assert_eq!(page.total, 0, "{f:?}");
        }
    }
    let theirs = SessionFilter { operator_id: Some(fx.cashier.id), ..filter() };
    let page = fx.as_(Cashier2).list_sessions(theirs).unwrap();
    assert_eq!((page.total, page.items.len()), (0, 0), "a cashier sees only their own sessions");
    before.assert_same(&fx.snapshot(), "list_sessions");
}

/// The one write a refusal makes: a wrong PIN counts against the operator (that is what
/// makes lockout possible) and nothing else changes. A success clears the count.
#[test]
fn a_failed_login_only_counts_the_failure() {
    let mut fx = Fixture::new();
    fx.login(Nobody);
    let before = fx.snapshot();
    for attempt in 1..=4 {
        let err = expect_err(fx.app.login(creds(CASHIER_NAME, "9999")), "wrong pin");
        assert_error(&err, CredencialesInvalidas, Some("pin"), "wrong pin");
        assert_eq!(fx.failed_logins(CASHIER_NAME), attempt);
        assert_eq!(fx.failed_logins(CASHIER2_NAME), 0, "another operator's count is untouched");
        before.assert_same(&fx.snapshot(), "a failed login");
    }
    // An unknown name counts against no one.
    let err = expect_err(fx.app.login(creds("Nadie", "9999")), "unknown name");
    assert_error(&err, CredencialesInvalidas, Some("pin"), "unknown name");
    before.assert_same(&fx.snapshot(), "unknown name");
    assert_eq!(fx.failed_logins(CASHIER_NAME), 4);

    // The right PIN clears the count.
    fx.app.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    assert_eq!(fx.failed_logins(CASHIER_NAME), 0);

    // A wrong administrator's PIN in a close's authorization counts against the administrator.
    let session = fx.app.open_session(open(fx.mixta.id, "100")).unwrap().id;
    let before = fx.snapshot();
    let err = expect_err(fx.app.close_session(with_auth(session, vec![], ADMIN_NAME, "0000")), "wrong authorization");
    assert_error(&err, CredencialesInvalidas, Some("authorization"), "wrong authorization");
    assert_eq!(fx.failed_logins(ADMIN_NAME), 1);
    before.assert_same(&fx.snapshot(), "a refused authorization");

    // The fifth failure locks the operator and leaves one audit row saying so.
    fx.login(Nobody);
    for _ in 0..4 {
        fx.app.login(creds(CASHIER2_NAME, "0000")).unwrap_err();
    }
    let audit_rows = |fx: &Fixture| fx.snapshot().row_counts["audit_log"];
    let audits = audit_rows(&fx);
    let err = expect_err(fx.app.login(creds(CASHIER2_NAME, "0000")), "fifth failure");
    assert_error(&err, OperadorBloqueado, Some("pin"), "fifth failure");
    assert_eq!(audit_rows(&fx), audits + 1);
    let (action, operator): (String, i64) = fx
        .app
        .connection()
        .query_row("SELECT action, operator_id FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((action.as_str(), operator), ("operator_locked", fx.cashier2.id));
}
