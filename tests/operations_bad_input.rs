//! Every command of the store-side operations (providers, agent transactions, bank
//! commissions, recargas, payments) against the inputs a person or a broken UI can send:
//! each refusal has the exact code, points at the input, names it in Spanish by its label,
//! and leaves the database as it was.
//!
//! The cases are a table: one line per case in `cases()`, or one entry in the input lists
//! it loops over.

mod common;

use std::path::PathBuf;

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use ErrorCode::*;
use Who::*;

const UNKNOWN_ID: i64 = 999_999;

/// Ids of the state the cases act on (see [`setup`]).
struct Ids {
    /// The cashier's open session on MIXTA: Bs 512.00 in the drawer.
    open: i64,
    /// The cashier's earlier session on MIXTA, closed, with one operation of each kind.
    closed: i64,
    /// Cashier 2's open session on SOLO_AGENTES: Bs 50.00 in the drawer.
    agentes: i64,
    /// The administrator's open session on SOLO_VENTAS: Bs 10.00 in the drawer.
    ventas: i64,
    /// A live DEPOSITO "T-1" at TIGO_MONEY in `open`.
    agent: i64,
    /// A voided DEPOSITO "B-1" at BCP in `open`.
    agent_voided: i64,
    /// A DEPOSITO "C-1" at TIGO_MONEY in `closed`.
    agent_closed: i64,
    /// A DEPOSITO of Bs 1000 in `agentes` whose void the drawer can no longer pay.
    agent_unpayable: i64,
    topup: i64,
    topup_voided: i64,
    topup_closed: i64,
    /// A Bs 50 top-up in `ventas` whose void the drawer can no longer pay.
    topup_unpayable: i64,
    /// A live Bs 5 Tigo injection in `ventas`, voidable.
    injection: i64,
    /// A voided Bs 1 Tigo injection in `open`.
    injection_voided: i64,
    /// The Bs 100 Tigo injection in `closed`.
    injection_closed: i64,
    /// The Bs 100 Entel injection in `open`, of which Bs 20 was sold (one top-up stands).
    injection_sold: i64,
    /// A live cash payment of work order 7 in `open`.
    pago: i64,
    /// A live BCP payment "P-1" in `open`.
    pago_bcp: i64,
    /// A voided LOS_ANDES payment "P-2" in `open`.
    pago_voided: i64,
    pago_closed: i64,
    /// A Bs 30 cash payment in `ventas` whose void the drawer can no longer pay.
    pago_unpayable: i64,
    /// Voucher files of every bad kind, in a folder of their own.
    files: Files,
}

struct Files {
    _dir: tempfile::TempDir,
    gif: String,
    missing: String,
    directory: String,
    too_big: String,
    no_extension: String,
    exe: String,
}

fn voucher_files() -> Files {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let write = |p: &PathBuf, bytes: usize| std::fs::write(p, vec![0xFFu8; bytes]).unwrap();
    let gif = path("voucher.gif");
    write(&gif, 100);
    let directory = path("carpeta.png");
    std::fs::create_dir(&directory).unwrap();
    let too_big = path("grande.pdf");
    write(&too_big, 5 * 1024 * 1024 + 1);
    let no_extension = path("comprobante");
    write(&no_extension, 100);
    let exe = path("voucher.jpg.exe");
    write(&exe, 100);
    let s = |p: PathBuf| p.to_string_lossy().into_owned();
    Files {
        gif: s(gif),
        missing: s(path("no-existe.jpg")),
        directory: s(directory),
        too_big: s(too_big),
        no_extension: s(no_extension),
        exe: s(exe),
        _dir: dir,
    }
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

/// Text refused even where the field may be left empty.
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

/// Text refused in a required field.
fn bad_text(max: usize) -> Vec<(String, ErrorCode)> {
    let mut cases = bad_optional_text(max);
    cases.push((String::new(), CampoRequerido));
    cases.push(("   ".into(), CampoRequerido));
    cases.push(("\t\n".into(), CampoRequerido));
    cases
}


/// Dates that are not a YYYY-MM-DD calendar date.
fn bad_dates() -> Vec<String> {
    ["2025-13-01", "2025-02-30", "2025-00-10", "ayer", "10/03/2025", "2025-03-10T00:00:00", "99999-01-01", "山田", "😀"]
        .iter()
        .map(|d| d.to_string())
        .chain(["9".repeat(5_000)])
        .collect()
}

/// Ids no record has.
const UNKNOWN_IDS: [i64; 5] = [0, -1, UNKNOWN_ID, i64::MAX, i64::MIN];

/// A correction of a payment to a valid cash payment of Bs 25.
fn correction(id: i64, session: i64) -> UpdatePago {
    UpdatePago { id, pago: pago(7, "EFECTIVO", "25", None, session), motivo: "monto mal digitado".into() }
}

fn agent_filter() -> AgentFilter {
    AgentFilter::default()
}

fn recarga_filter() -> RecargaFilter {
    RecargaFilter::default()
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        // No one logged in: every command refuses before looking at its input.
        case(Nobody, "list_providers", NoAutenticado, None, |a, _| a.list_providers()),
        case(Nobody, "create_provider", NoAutenticado, None, |a, _| a.create_provider(NewProvider { code: "BNB".into(), name: "BNB".into() })),
        case(Nobody, "adjust_provider_float", NoAutenticado, None, |a, _| a.adjust_provider_float(fund("BCP", "10"))),
        case(Nobody, "create_agent_transaction", NoAutenticado, None, |a, i| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", i.open))),
        case(Nobody, "create_agent_transaction, bad input", NoAutenticado, None, |a, _| a.create_agent_transaction(agent("", "", "", "", 0))),
        case(Nobody, "list_agent_transactions", NoAutenticado, None, |a, _| a.list_agent_transactions(agent_filter())),
        case(Nobody, "export_agent_transactions_csv", NoAutenticado, None, |a, _| a.export_agent_transactions_csv(agent_filter(), "/tmp/historial.csv")),
        case(Nobody, "get_agent_transaction", NoAutenticado, None, |a, i| a.get_agent_transaction(i.agent)),
        case(Nobody, "void_agent_transaction", NoAutenticado, None, |a, i| a.void_agent_transaction(void(i.agent, "error"))),
        case(Nobody, "settle_bank_commissions", NoAutenticado, None, |a, _| a.settle_bank_commissions(settlement("TIGO_MONEY", "T-1,1", false))),
        case(Nobody, "list_carrier_balances", NoAutenticado, None, |a, _| a.list_carrier_balances()),
        case(Nobody, "configure_carrier_bonus", NoAutenticado, None, |a, _| a.configure_carrier_bonus(bonus("Tigo", "2"))),
        case(Nobody, "create_topup", NoAutenticado, None, |a, i| a.create_topup(topup("Entel", "71234567", "1", i.open))),
        case(Nobody, "list_topups", NoAutenticado, None, |a, _| a.list_topups(recarga_filter())),
        case(Nobody, "inject_carrier_float", NoAutenticado, None, |a, i| a.inject_carrier_float(injection("Tigo", "10", i.open))),
        case(Nobody, "list_injections", NoAutenticado, None, |a, _| a.list_injections(recarga_filter())),
        case(Nobody, "void_topup", NoAutenticado, None, |a, i| a.void_topup(void(i.topup, "error"))),
        case(Nobody, "void_injection", NoAutenticado, None, |a, i| a.void_injection(void(i.injection, "error"))),
        case(Nobody, "void_injection, bad input", NoAutenticado, None, |a, _| a.void_injection(void(0, ""))),
        case(Nobody, "create_payment", NoAutenticado, None, |a, i| a.create_payment(pago(7, "EFECTIVO", "10", None, i.open))),
        case(Nobody, "list_payments", NoAutenticado, None, |a, _| a.list_payments(PagoFilter::default())),
        case(Nobody, "update_payment", NoAutenticado, None, |a, i| a.update_payment(correction(i.pago, i.open))),
        case(Nobody, "void_payment", NoAutenticado, None, |a, i| a.void_payment(void(i.pago, "error"))),
        case(Nobody, "payments_for_work_order", NoAutenticado, None, |a, _| a.payments_for_work_order(7)),
        // A cashier doing an administrator's work, even on their own records.
        case(Cashier, "cashier create_provider", PermisoDenegado, None, |a, _| a.create_provider(NewProvider { code: "BNB".into(), name: "BNB".into() })),
        case(Cashier, "cashier create_provider, bad input", PermisoDenegado, None, |a, _| a.create_provider(NewProvider { code: "".into(), name: "".into() })),
        case(Cashier, "cashier adjust_provider_float", PermisoDenegado, None, |a, _| a.adjust_provider_float(fund("BCP", "10"))),
        case(Cashier2, "cashier adjust_provider_float retiro", PermisoDenegado, None, |a, _| a.adjust_provider_float(defund("BCP", "10"))),
        case(Cashier, "cashier voids own agent transaction", PermisoDenegado, None, |a, i| a.void_agent_transaction(void(i.agent, "error"))),
        case(Cashier2, "cashier voids another's agent transaction", PermisoDenegado, None, |a, i| a.void_agent_transaction(void(i.agent, "error"))),
        case(Cashier, "cashier settle_bank_commissions", PermisoDenegado, None, |a, _| a.settle_bank_commissions(settlement("TIGO_MONEY", "T-1,1", true))),
        case(Cashier, "cashier configure_carrier_bonus", PermisoDenegado, None, |a, _| a.configure_carrier_bonus(bonus("Tigo", "2"))),
        case(Cashier, "cashier voids own top-up", PermisoDenegado, None, |a, i| a.void_topup(void(i.topup, "error"))),
        case(Cashier, "cashier voids own injection", PermisoDenegado, None, |a, i| a.void_injection(void(i.injection_sold, "error"))),
        case(Cashier2, "cashier voids another's injection", PermisoDenegado, None, |a, i| a.void_injection(void(i.injection, "error"))),
        case(Cashier, "cashier voids an unknown injection", PermisoDenegado, None, |a, _| a.void_injection(void(UNKNOWN_ID, ""))),
        case(Cashier, "cashier corrects own payment", PermisoDenegado, None, |a, i| a.update_payment(correction(i.pago, i.open))),
        case(Cashier, "cashier voids own payment", PermisoDenegado, None, |a, i| a.void_payment(void(i.pago, "error"))),
        case(Cashier2, "cashier voids another's payment", PermisoDenegado, None, |a, i| a.void_payment(void(i.pago, "error"))),
        // create_provider
        case(Admin, "provider code empty", CampoRequerido, Some("code"), |a, _| a.create_provider(NewProvider { code: "".into(), name: "Banco".into() })),
        case(Admin, "provider code blank", CampoRequerido, Some("code"), |a, _| a.create_provider(NewProvider { code: "  ".into(), name: "Banco".into() })),
        case(Admin, "provider duplicate", NombreDuplicado, Some("code"), |a, _| a.create_provider(NewProvider { code: "TIGO_MONEY".into(), name: "Otra".into() })),
        case(Admin, "provider duplicate, lower case", NombreDuplicado, Some("code"), |a, _| a.create_provider(NewProvider { code: " bcp ".into(), name: "Otra".into() })),
        // adjust_provider_float
        case(Admin, "float of an unknown provider", NoEncontrado, Some("banco"), |a, _| a.adjust_provider_float(fund("BNB", "10"))),
        case(Admin, "float of no provider", CampoRequerido, Some("banco"), |a, _| a.adjust_provider_float(fund(" ", "10"))),
        case(Admin, "float of a non-Latin provider", NoEncontrado, Some("banco"), |a, _| a.adjust_provider_float(fund("山田", "10"))),
        case(Admin, "retiro past an empty float", SaldoProveedorInsuficiente, Some("monto"), |a, _| a.adjust_provider_float(defund("SOLI", "1"))),
        case(Admin, "retiro past the float by a centavo", SaldoProveedorInsuficiente, Some("monto"), |a, _| a.adjust_provider_float(defund("TIGO_MONEY", "850.01"))),
        // create_agent_transaction: the session
        case(Cashier, "agent in an unknown session", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", UNKNOWN_ID))),
        case(Cashier, "agent in session 0", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", 0))),
        case(Cashier, "agent in session -1", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", -1))),
        case(Cashier, "agent in session i64::MAX", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", i64::MAX))),
        case(Cashier, "agent in a closed session", SesionCerrada, Some("id_caja_sesion"), |a, i| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", i.closed))),
        case(Cashier2, "agent in another cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", i.open))),
        case(Admin, "admin in a cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "cashier in cashier 2's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.create_agent_transaction(agent("BCP", "RETIRO", "10", "N-1", i.agentes))),
        case(Admin, "agent on a SOLO_VENTAS register", EspecialidadNoPermite, Some("id_caja_sesion"), |a, i| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "N-1", i.ventas))),
        case(Admin, "retiro on a SOLO_VENTAS register", EspecialidadNoPermite, Some("id_caja_sesion"), |a, i| a.create_agent_transaction(agent("BCP", "RETIRO", "1", "N-1", i.ventas))),
        // create_agent_transaction: provider, type, reference and balances
        case(Cashier, "agent with no provider", CampoRequerido, Some("banco"), |a, i| a.create_agent_transaction(agent("", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "agent with a blank provider", CampoRequerido, Some("banco"), |a, i| a.create_agent_transaction(agent(" \t", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "agent at an unknown provider", NoEncontrado, Some("banco"), |a, i| a.create_agent_transaction(agent("BNB", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "agent at a misspelled provider", NoEncontrado, Some("banco"), |a, i| a.create_agent_transaction(agent("TIGO MONEY", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "agent at a non-Latin provider", NoEncontrado, Some("banco"), |a, i| a.create_agent_transaction(agent("山田", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "agent at an emoji provider", NoEncontrado, Some("banco"), |a, i| a.create_agent_transaction(agent("💵", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "agent at a huge provider", NoEncontrado, Some("banco"), |a, i| a.create_agent_transaction(agent(&"B".repeat(10_000), "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "duplicate reference", ReferenciaDuplicada, Some("nro_referencia"), |a, i| a.create_agent_transaction(agent("TIGO_MONEY", "RETIRO", "10", "T-1", i.open))),
        case(Cashier, "duplicate reference with spaces", ReferenciaDuplicada, Some("nro_referencia"), |a, i| a.create_agent_transaction(agent("tigo_money", "DEPOSITO", "10", "  T-1 ", i.open))),
        case(Cashier, "reference of a voided transaction", ReferenciaDuplicada, Some("nro_referencia"), |a, i| a.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "B-1", i.open))),
        case(Cashier, "reference from a closed session", ReferenciaDuplicada, Some("nro_referencia"), |a, i| a.create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", "C-1", i.open))),
        case(Cashier2, "reference from another cashier", ReferenciaDuplicada, Some("nro_referencia"), |a, i| a.create_agent_transaction(agent("TIGO_MONEY", "RETIRO", "1", "T-1", i.agentes))),
        case(Cashier, "deposit with no float", SaldoProveedorInsuficiente, Some("monto"), |a, i| a.create_agent_transaction(agent("SOLI", "DEPOSITO", "10", "N-1", i.open))),
        case(Cashier, "QR transfer with no float", SaldoProveedorInsuficiente, Some("monto"), |a, i| a.create_agent_transaction(agent("SOLI", "TRANSFERENCIA_QR", "1", "N-1", i.open))),
        case(Cashier, "deposit past the float by a centavo", SaldoProveedorInsuficiente, Some("monto"), |a, i| a.create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "850.01", "N-1", i.open))),
        case(Cashier, "deposit of the maximum", SaldoProveedorInsuficiente, Some("monto"), |a, i| a.create_agent_transaction(agent_c("BCP", "DEPOSITO", "1000000", "5", "N-1", i.open))),
        case(Cashier, "retiro past the drawer", FondosInsuficientes, Some("monto"), |a, i| a.create_agent_transaction(agent("BCP", "RETIRO", "512.01", "N-1", i.open))),
        case(Cashier, "retiro past drawer and commission", FondosInsuficientes, Some("monto"), |a, i| a.create_agent_transaction(agent_c("BCP", "RETIRO", "600", "87.99", "N-1", i.open))),
        case(Cashier2, "retiro past a small drawer", FondosInsuficientes, Some("monto"), |a, i| a.create_agent_transaction(agent("TIGO_MONEY", "RETIRO", "50.01", "N-1", i.agentes))),
        case(Cashier, "amount under the agent minimum", MontoBajoMinimo, Some("monto"), |a, i| a.create_agent_transaction(agent("BCP", "DEPOSITO", "0.99", "N-1", i.open))),
        case(Cashier, "amount of fifty centavos", MontoBajoMinimo, Some("monto"), |a, i| a.create_agent_transaction(agent("BCP", "RETIRO", "0,50", "N-1", i.open))),
        // export_agent_transactions_csv: the list's filter, then the path.
        case(Cashier, "agents csv: no path", CampoRequerido, Some("ruta"), |a, _| a.export_agent_transactions_csv(agent_filter(), " ")),
        case(Admin, "agents csv: folder that does not exist", ArchivoInvalido, Some("ruta"), |a, _| {
            a.export_agent_transactions_csv(agent_filter(), "/no/existe/historial.csv")
        }),
        case(Cashier, "agents csv: unknown type", ValorInvalido, Some("tipo_operacion"), |a, _| {
            a.export_agent_transactions_csv(AgentFilter { tipo_operacion: Some("PRESTAMO".into()), ..agent_filter() }, "/tmp/historial.csv")
        }),
        case(Cashier, "agents csv: unknown provider", NoEncontrado, Some("banco"), |a, _| {
            a.export_agent_transactions_csv(AgentFilter { banco: Some("NOPE".into()), ..agent_filter() }, "/tmp/historial.csv")
        }),
        // list_agent_transactions
        case(Cashier, "agents page 0", ValorInvalido, Some("page"), |a, _| a.list_agent_transactions(AgentFilter { page: Some(0), ..agent_filter() })),
        case(Cashier, "agents page -1", ValorInvalido, Some("page"), |a, _| a.list_agent_transactions(AgentFilter { page: Some(-1), ..agent_filter() })),
        case(Admin, "agents page i64::MIN", ValorInvalido, Some("page"), |a, _| a.list_agent_transactions(AgentFilter { page: Some(i64::MIN), ..agent_filter() })),
        case(Cashier, "agents size 0", ValorInvalido, Some("size"), |a, _| a.list_agent_transactions(AgentFilter { size: Some(0), ..agent_filter() })),
        case(Cashier, "agents size -5", ValorInvalido, Some("size"), |a, _| a.list_agent_transactions(AgentFilter { size: Some(-5), ..agent_filter() })),
        case(Admin, "agents size 101", ValorInvalido, Some("size"), |a, _| a.list_agent_transactions(AgentFilter { size: Some(101), ..agent_filter() })),
        case(Admin, "agents size i64::MAX", ValorInvalido, Some("size"), |a, _| a.list_agent_transactions(AgentFilter { size: Some(i64::MAX), ..agent_filter() })),
        case(Cashier, "agents of an unknown provider", NoEncontrado, Some("banco"), |a, _| a.list_agent_transactions(AgentFilter { banco: Some("BNB".into()), ..agent_filter() })),
        case(Cashier, "agents of a non-Latin provider", NoEncontrado, Some("banco"), |a, _| a.list_agent_transactions(AgentFilter { banco: Some("山田".into()), ..agent_filter() })),
        case(Cashier, "agents after an unknown row", NoEncontrado, Some("despues_de"), |a, _| a.list_agent_transactions(AgentFilter { despues_de: Some(UNKNOWN_ID), ..agent_filter() })),
        case(Admin, "agents after row -1", NoEncontrado, Some("despues_de"), |a, _| a.list_agent_transactions(AgentFilter { despues_de: Some(-1), ..agent_filter() })),
        case(Cashier, "agents after a row, bad page", ValorInvalido, Some("page"), |a, _| a.list_agent_transactions(AgentFilter { despues_de: Some(1), page: Some(0), ..agent_filter() })),
        case(Admin, "agents from after to", ValorInvalido, Some("hasta"), |a, _| a.list_agent_transactions(AgentFilter { desde: Some("2025-03-11".into()), hasta: Some("2025-03-10".into()), ..agent_filter() })),
        // void_agent_transaction
        case(Admin, "void a voided transaction", YaAnulada, Some("id"), |a, i| a.void_agent_transaction(void(i.agent_voided, "otra vez"))),
        case(Admin, "void in a closed session", SesionCerrada, Some("id"), |a, i| a.void_agent_transaction(void(i.agent_closed, "tarde"))),
        case(Admin, "void a deposit the drawer cannot pay back", FondosInsuficientes, Some("id"), |a, i| a.void_agent_transaction(void(i.agent_unpayable, "error"))),
        // settle_bank_commissions
        case(Admin, "settle with no provider", CampoRequerido, Some("banco"), |a, _| a.settle_bank_commissions(settlement("", "T-1,1", false))),
        case(Admin, "settle an unknown provider", NoEncontrado, Some("banco"), |a, _| a.settle_bank_commissions(settlement("BNB", "T-1,1", false))),
        case(Admin, "settle a non-Latin provider", NoEncontrado, Some("banco"), |a, _| a.settle_bank_commissions(settlement("山田", "T-1,1", true))),
        case(Admin, "settle an empty file", CampoRequerido, Some("csv"), |a, _| a.settle_bank_commissions(settlement("TIGO_MONEY", "", true))),
        case(Admin, "settle a blank file", CampoRequerido, Some("csv"), |a, _| a.settle_bank_commissions(settlement("TIGO_MONEY", " \n\t\r\n ", false))),
        case(Admin, "settle a file over 2 MB", TextoDemasiadoLargo, Some("csv"), |a, _| a.settle_bank_commissions(settlement("TIGO_MONEY", &"T-1,1.00\n".repeat(250_001), true))),
        // configure_carrier_bonus
        case(Admin, "bonus over 50", ValorInvalido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Tigo", "50.01"))),
        case(Admin, "bonus of 51", ValorInvalido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Tigo", "51"))),
        case(Admin, "bonus of 100", ValorInvalido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Entel", "100"))),
        case(Admin, "bonus past any amount", ValorInvalido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Viva", "2000000"))),
        case(Admin, "bonus of 40 nines", ValorInvalido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Viva", &"9".repeat(40)))),
        case(Admin, "bonus empty", CampoRequerido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Viva", ""))),
        case(Admin, "bonus negative", MontoNoPositivo, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Viva", "-1"))),
        case(Admin, "bonus not a number", MontoInvalido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Viva", "dos"))),
        case(Admin, "bonus with a percent sign", MontoInvalido, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Viva", "2%"))),
        case(Admin, "bonus with three decimals", MontoDecimales, Some("bonificacion_porcentaje"), |a, _| a.configure_carrier_bonus(bonus("Viva", "2.555"))),
        // create_topup
        case(Cashier, "topup in an unknown session", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_topup(topup("Entel", "71234567", "1", UNKNOWN_ID))),
        case(Cashier, "topup in session 0", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_topup(topup("Entel", "71234567", "1", 0))),
        case(Cashier, "topup in a closed session", SesionCerrada, Some("id_caja_sesion"), |a, i| a.create_topup(topup("Entel", "71234567", "1", i.closed))),
        case(Cashier2, "topup in another cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.create_topup(topup("Entel", "71234567", "1", i.open))),
        case(Admin, "topup by the admin in a cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.create_topup(topup("Entel", "71234567", "1", i.open))),
        case(Cashier2, "topup on a SOLO_AGENTES register", EspecialidadNoPermite, Some("id_caja_sesion"), |a, i| a.create_topup(topup("Entel", "71234567", "1", i.agentes))),
        case(Cashier, "topup with no carrier balance", SaldoOperadoraInsuficiente, Some("monto"), |a, i| a.create_topup(topup("Viva", "61234567", "10", i.open))),
        case(Cashier, "topup past the carrier balance", SaldoOperadoraInsuficiente, Some("monto"), |a, i| a.create_topup(topup("Entel", "61234567", "90.01", i.open))),
        case(Cashier, "topup under the minimum", MontoBajoMinimo, Some("monto"), |a, i| a.create_topup(topup("Entel", "71234567", "0.09", i.open))),
        case(Cashier, "topup of five centavos", MontoBajoMinimo, Some("monto"), |a, i| a.create_topup(topup("Entel", "71234567", "0,05", i.open))),
        // list_topups / list_injections
        case(Cashier, "topups page 0", ValorInvalido, Some("page"), |a, _| a.list_topups(RecargaFilter { page: Some(0), ..recarga_filter() })),
        case(Cashier, "topups page -1", ValorInvalido, Some("page"), |a, _| a.list_topups(RecargaFilter { page: Some(-1), ..recarga_filter() })),
        case(Cashier, "topups size 0", ValorInvalido, Some("size"), |a, _| a.list_topups(RecargaFilter { size: Some(0), ..recarga_filter() })),
        case(Admin, "topups size 101", ValorInvalido, Some("size"), |a, _| a.list_topups(RecargaFilter { size: Some(101), ..recarga_filter() })),
        case(Admin, "topups from after to", ValorInvalido, Some("hasta"), |a, _| a.list_topups(RecargaFilter { desde: Some("2025-03-11".into()), hasta: Some("2025-03-10".into()), ..recarga_filter() })),
        case(Cashier, "injections page 0", ValorInvalido, Some("page"), |a, _| a.list_injections(RecargaFilter { page: Some(0), ..recarga_filter() })),
        case(Admin, "injections page i64::MIN", ValorInvalido, Some("page"), |a, _| a.list_injections(RecargaFilter { page: Some(i64::MIN), ..recarga_filter() })),
        case(Cashier, "injections size -1", ValorInvalido, Some("size"), |a, _| a.list_injections(RecargaFilter { size: Some(-1), ..recarga_filter() })),
        case(Admin, "injections size i64::MAX", ValorInvalido, Some("size"), |a, _| a.list_injections(RecargaFilter { size: Some(i64::MAX), ..recarga_filter() })),
        case(Admin, "injections from after to", ValorInvalido, Some("hasta"), |a, _| a.list_injections(RecargaFilter { desde: Some("2026-01-01".into()), hasta: Some("2025-12-31".into()), ..recarga_filter() })),
        // inject_carrier_float
        case(Cashier, "inject in an unknown session", NoEncontrado, Some("id_caja_sesion"), |a, _| a.inject_carrier_float(injection("Tigo", "10", UNKNOWN_ID))),
        case(Cashier, "inject in session -1", NoEncontrado, Some("id_caja_sesion"), |a, _| a.inject_carrier_float(injection("Tigo", "10", -1))),
        case(Cashier, "inject in a closed session", SesionCerrada, Some("id_caja_sesion"), |a, i| a.inject_carrier_float(injection("Tigo", "10", i.closed))),
        case(Cashier2, "inject in another cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.inject_carrier_float(injection("Tigo", "10", i.open))),
        case(Admin, "inject by the admin in a cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.inject_carrier_float(injection("Tigo", "10", i.open))),
        case(Cashier2, "inject on a SOLO_AGENTES register", EspecialidadNoPermite, Some("id_caja_sesion"), |a, i| a.inject_carrier_float(injection("Tigo", "10", i.agentes))),
        case(Cashier, "inject past the drawer", FondosInsuficientes, Some("monto"), |a, i| a.inject_carrier_float(injection("Tigo", "512.01", i.open))),
        case(Admin, "inject past a small drawer", FondosInsuficientes, Some("monto"), |a, i| a.inject_carrier_float(injection("Viva", "11", i.ventas))),
        case(Cashier, "inject under the minimum", MontoBajoMinimo, Some("monto"), |a, i| a.inject_carrier_float(injection("Tigo", "0.99", i.open))),
        // void_topup
        case(Admin, "void a voided top-up", YaAnulada, Some("id"), |a, i| a.void_topup(void(i.topup_voided, "otra vez"))),
        case(Admin, "void a top-up in a closed session", SesionCerrada, Some("id"), |a, i| a.void_topup(void(i.topup_closed, "tarde"))),
        case(Admin, "void a top-up the drawer cannot pay back", FondosInsuficientes, Some("id"), |a, i| a.void_topup(void(i.topup_unpayable, "error"))),
        // void_injection
        case(Admin, "void a voided injection", YaAnulada, Some("id"), |a, i| a.void_injection(void(i.injection_voided, "otra vez"))),
        case(Admin, "void an injection in a closed session", SesionCerrada, Some("id"), |a, i| a.void_injection(void(i.injection_closed, "tarde"))),
        case(Admin, "void an injection whose balance was sold", SaldoOperadoraInsuficiente, Some("id"), |a, i| a.void_injection(void(i.injection_sold, "error"))),
        // create_payment
        case(Cashier, "payment in an unknown session", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_payment(pago(7, "EFECTIVO", "10", None, UNKNOWN_ID))),
        case(Cashier, "payment in session 0", NoEncontrado, Some("id_caja_sesion"), |a, _| a.create_payment(pago(7, "EFECTIVO", "10", None, 0))),
        case(Cashier, "payment in a closed session", SesionCerrada, Some("id_caja_sesion"), |a, i| a.create_payment(pago(7, "EFECTIVO", "10", None, i.closed))),
        case(Cashier2, "payment in another cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.create_payment(pago(7, "EFECTIVO", "10", None, i.open))),
        case(Admin, "payment by the admin in a cashier's session", PermisoDenegado, Some("id_caja_sesion"), |a, i| a.create_payment(pago(7, "BCP", "10", Some("P-9"), i.open))),
        case(Cashier2, "payment on a SOLO_AGENTES register", EspecialidadNoPermite, Some("id_caja_sesion"), |a, i| a.create_payment(pago(7, "EFECTIVO", "10", None, i.agentes))),
        case(Cashier, "payment without a reference", CampoRequerido, Some("referencia"), |a, i| a.create_payment(pago(7, "BCP", "10", None, i.open))),
        case(Cashier, "payment with a blank reference", CampoRequerido, Some("referencia"), |a, i| a.create_payment(pago(7, "LOS_ANDES", "10", Some("  "), i.open))),
        case(Cashier, "payment OTRO without a reference", CampoRequerido, Some("referencia"), |a, i| a.create_payment(pago(7, "OTRO", "10", None, i.open))),
        case(Cashier, "duplicate payment reference", ReferenciaDuplicada, Some("referencia"), |a, i| a.create_payment(pago(8, "BCP", "10", Some("P-1"), i.open))),
        case(Cashier, "duplicate payment reference, spaced", ReferenciaDuplicada, Some("referencia"), |a, i| a.create_payment(pago(8, "BCP", "10", Some(" P-1 "), i.open))),
        case(Cashier, "payment dated tomorrow", ValorInvalido, Some("fechaPago"), |a, i| a.create_payment(NewPago { fecha_pago: "2025-03-11".into(), ..pago(7, "EFECTIVO", "10", None, i.open) })),
        case(Cashier, "payment dated next year", ValorInvalido, Some("fechaPago"), |a, i| a.create_payment(NewPago { fecha_pago: "2026-03-10".into(), ..pago(7, "EFECTIVO", "10", None, i.open) })),
        case(Cashier, "payment with no date", CampoRequerido, Some("fechaPago"), |a, i| a.create_payment(NewPago { fecha_pago: " ".into(), ..pago(7, "EFECTIVO", "10", None, i.open) })),
        // list_payments
        case(Cashier, "payments page -1", ValorInvalido, Some("page"), |a, _| a.list_payments(PagoFilter { page: Some(-1), size: None, ..Default::default() })),
        case(Admin, "payments page i64::MIN", ValorInvalido, Some("page"), |a, _| a.list_payments(PagoFilter { page: Some(i64::MIN), size: None, ..Default::default() })),
        case(Cashier, "payments size 0", ValorInvalido, Some("size"), |a, _| a.list_payments(PagoFilter { page: None, size: Some(0), ..Default::default() })),
        case(Admin, "payments size 101", ValorInvalido, Some("size"), |a, _| a.list_payments(PagoFilter { page: Some(0), size: Some(101), ..Default::default() })),
        case(Cashier, "session's payments page -1", ValorInvalido, Some("page"), |a, i| a.list_payments(PagoFilter { id_caja_sesion: Some(i.open), page: Some(-1), ..Default::default() })),
        case(Cashier, "unknown session's payments page -1", ValorInvalido, Some("page"), |a, _| a.list_payments(PagoFilter { id_caja_sesion: Some(UNKNOWN_ID), page: Some(-1), ..Default::default() })),
        case(Admin, "voided payments page i64::MIN", ValorInvalido, Some("page"), |a, _| a.list_payments(PagoFilter { incluir_anulados: Some(true), page: Some(i64::MIN), ..Default::default() })),
        case(Cashier, "voided payments size 0", ValorInvalido, Some("size"), |a, i| a.list_payments(PagoFilter { id_caja_sesion: Some(i.open), incluir_anulados: Some(true), size: Some(0), ..Default::default() })),
        case(Cashier2, "session's payments size -1", ValorInvalido, Some("size"), |a, i| a.list_payments(PagoFilter { id_caja_sesion: Some(i.closed), incluir_anulados: Some(false), size: Some(-1), ..Default::default() })),
        case(Admin, "voided payments size 101", ValorInvalido, Some("size"), |a, _| a.list_payments(PagoFilter { id_caja_sesion: Some(0), incluir_anulados: Some(true), page: Some(0), size: Some(101) })),
        case(Admin, "voided payments size i64::MAX", ValorInvalido, Some("size"), |a, i| a.list_payments(PagoFilter { id_caja_sesion: Some(i.ventas), incluir_anulados: Some(true), page: Some(0), size: Some(i64::MAX) })),
        // update_payment
        case(Admin, "correct a voided payment", YaAnulada, Some("id"), |a, i| a.update_payment(correction(i.pago_voided, i.open))),
        case(Admin, "correct a payment of a closed session", SesionCerrada, Some("id"), |a, i| a.update_payment(correction(i.pago_closed, i.open))),
        case(Admin, "correct a payment the drawer cannot pay back", FondosInsuficientes, Some("id"), |a, i| a.update_payment(correction(i.pago_unpayable, i.ventas))),
        case(Admin, "correct onto a live reference", ReferenciaDuplicada, Some("referencia"), |a, i| a.update_payment(UpdatePago { pago: pago(7, "BCP", "20", Some("P-1"), i.open), ..correction(i.pago, i.open) })),
        case(Admin, "correct to a future date", ValorInvalido, Some("fechaPago"), |a, i| a.update_payment(UpdatePago { pago: NewPago { fecha_pago: "2025-03-11".into(), ..pago(7, "EFECTIVO", "20", None, i.open) }, ..correction(i.pago, i.open) })),
        case(Admin, "correct to no reference", CampoRequerido, Some("referencia"), |a, i| a.update_payment(UpdatePago { pago: pago(7, "OTRO", "20", None, i.open), ..correction(i.pago, i.open) })),
        case(Admin, "correct to amount 0", MontoNoPositivo, Some("monto"), |a, i| a.update_payment(UpdatePago { pago: pago(7, "EFECTIVO", "0", None, i.open), ..correction(i.pago, i.open) })),
        case(Admin, "correct to work order 0", ValorInvalido, Some("pendienteId"), |a, i| a.update_payment(UpdatePago { pago: pago(0, "EFECTIVO", "20", None, i.open), ..correction(i.pago, i.open) })),
        case(Admin, "correct to no client", CampoRequerido, Some("cliente"), |a, i| a.update_payment(UpdatePago { pago: NewPago { cliente: "".into(), ..pago(7, "EFECTIVO", "20", None, i.open) }, ..correction(i.pago, i.open) })),
        case(Admin, "correct to an unknown method", ValorInvalido, Some("metodoPago"), |a, i| a.update_payment(UpdatePago { pago: pago(7, "TARJETA", "20", None, i.open), ..correction(i.pago, i.open) })),
        // void_payment
        case(Admin, "void a voided payment", YaAnulada, Some("id"), |a, i| a.void_payment(void(i.pago_voided, "otra vez"))),
        case(Admin, "void a payment of a closed session", SesionCerrada, Some("id"), |a, i| a.void_payment(void(i.pago_closed, "tarde"))),
        case(Admin, "void a payment the drawer cannot pay back", FondosInsuficientes, Some("id"), |a, i| a.void_payment(void(i.pago_unpayable, "error"))),
    ];

    // Unknown ids, for every command that takes one.
    for id in UNKNOWN_IDS {
        cases.push(case(Cashier, format!("get_agent_transaction {id}"), NoEncontrado, Some("id"), move |a, _| a.get_agent_transaction(id)));
        cases.push(case(Admin, format!("void_agent_transaction {id}"), NoEncontrado, Some("id"), move |a, _| a.void_agent_transaction(void(id, "error"))));
        cases.push(case(Admin, format!("void_topup {id}"), NoEncontrado, Some("id"), move |a, _| a.void_topup(void(id, "error"))));
        cases.push(case(Admin, format!("void_injection {id}"), NoEncontrado, Some("id"), move |a, _| a.void_injection(void(id, "error"))));
        cases.push(case(Admin, format!("void_payment {id}"), NoEncontrado, Some("id"), move |a, _| a.void_payment(void(id, "error"))));
        cases.push(case(Admin, format!("update_payment {id}"), NoEncontrado, Some("id"), move |a, i| a.update_payment(correction(id, i.open))));
    }
    for id in [0, -1, i64::MIN] {
        cases.push(case(Cashier, format!("payments_for_work_order {id}"), ValorInvalido, Some("pendienteId"), move |a, _| a.payments_for_work_order(id)));
        cases.push(case(Cashier, format!("payment for work order {id}"), ValorInvalido, Some("pendienteId"), move |a, i| a.create_payment(pago(id, "EFECTIVO", "10", None, i.open))));
    }
    for id in [0, -1, i64::MIN] {
        cases.push(case(Cashier, format!("list_agent_transactions page {id}"), ValorInvalido, Some("page"), move |a, _| {
            a.list_agent_transactions(AgentFilter { page: Some(id), ..agent_filter() })
        }));
    }

    // Provider codes: 2 to 30 upper-case letters, digits or "_" (typed in any case).
    for code in ["A", "1", &"A".repeat(31), "BN-B", "BN B", "BNB!", "山田", "ÑANDU", "😀😀", "BANCO.UNION", &"X".repeat(10_000)] {
        let code = code.to_string();
        cases.push(case(Admin, format!("provider code {code:.12?}"), ValorInvalido, Some("code"), move |a, _| {
            a.create_provider(NewProvider { code: code.clone(), name: "Banco Nuevo".into() })
        }));
    }
    for (name, code) in bad_text(60) {
        cases.push(case(Admin, format!("provider name {name:.12?}"), code, Some("name"), move |a, _| {
            a.create_provider(NewProvider { code: "BNB".into(), name: name.clone() })
        }));
    }
    // Float movements.
    for tipo in ["", "DEPOSITO", "FONDEO;RETIRO", "山田", "😀", "INGRESO"] {
        cases.push(case(Admin, format!("float tipo {tipo:?}"), ValorInvalido, Some("tipo"), move |a, _| {
            a.adjust_provider_float(ProviderFloatInput { tipo: tipo.into(), ..fund("BCP", "10") })
        }));
    }
    for (amount, code) in bad_amounts(false) {
        let m = amount.clone();
        cases.push(case(Admin, format!("fondeo {amount:.12?}"), code, Some("monto"), move |a, _| a.adjust_provider_float(fund("BCP", &m))));
        cases.push(case(Admin, format!("retiro {amount:.12?}"), code, Some("monto"), move |a, _| a.adjust_provider_float(defund("BCP", &amount))));
    }
    for (nota, code) in bad_optional_text(200) {
        cases.push(case(Admin, format!("float nota {nota:.12?}"), code, Some("nota"), move |a, _| {
            a.adjust_provider_float(ProviderFloatInput { nota: Some(nota.clone()), ..fund("BCP", "10") })
        }));
    }
    // Agent transactions: type, amounts, commission, reference, voucher.
    for tipo in ["", "  ", "COMPRA", "DEPOSITO;RETIRO", "TRANSFERENCIA", "山田", "😀", &"RETIRO".repeat(2_000)] {
        let tipo = tipo.to_string();
        cases.push(case(Cashier, format!("agent tipo {tipo:.12?}"), ValorInvalido, Some("tipo_operacion"), move |a, i| {
            a.create_agent_transaction(agent("BCP", &tipo, "10", "N-1", i.open))
        }));
    }
    for tipo in ["COMPRA", "山田"] {
        cases.push(case(Cashier, format!("agents filter tipo {tipo:?}"), ValorInvalido, Some("tipo_operacion"), move |a, _| {
            a.list_agent_transactions(AgentFilter { tipo_operacion: Some(tipo.into()), ..agent_filter() })
        }));
    }
    for (amount, code) in bad_amounts(false) {
        let m = amount.clone();
        cases.push(case(Cashier, format!("agent deposit {amount:.12?}"), code, Some("monto"), move |a, i| {
            a.create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", &m, "N-1", i.open))
        }));
        cases.push(case(Cashier2, format!("agent retiro {amount:.12?}"), code, Some("monto"), move |a, i| {
            a.create_agent_transaction(agent("BCP", "RETIRO", &amount, "N-1", i.agentes))
        }));
    }
    for (amount, code) in bad_amounts(true).into_iter().filter(|(_, code)| *code != CampoRequerido) {
        cases.push(case(Cashier, format!("agent commission {amount:.12?}"), code, Some("comision_cliente"), move |a, i| {
            a.create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "10", &amount, "N-1", i.open))
        }));
    }
    for (referencia, code) in bad_text(40) {
        cases.push(case(Cashier, format!("agent reference {referencia:.12?}"), code, Some("nro_referencia"), move |a, i| {
            a.create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", &referencia, i.open))
        }));
    }
    type FilePick = fn(&Files) -> &String;
    let files: [(&str, FilePick); 6] = [
        ("gif", |f| &f.gif),
        ("missing", |f| &f.missing),
        ("directory", |f| &f.directory),
        ("over 5 MB", |f| &f.too_big),
        ("no extension", |f| &f.no_extension),
        ("exe", |f| &f.exe),
    ];
    for (name, pick) in files {
        cases.push(case(Cashier, format!("voucher {name}"), ArchivoInvalido, Some("comprobante"), move |a, i| {
            a.create_agent_transaction(NewAgentTransaction {
                comprobante: Some(pick(&i.files).clone()),
                ..agent("TIGO_MONEY", "DEPOSITO", "10", "N-1", i.open)
            })
        }));
    }
    for path in ["/", ".jpg", "山田.jpg", "comprobante.png\u{0}", "https://example.com/v.jpg"] {
        cases.push(case(Cashier, format!("voucher path {path:?}"), ArchivoInvalido, Some("comprobante"), move |a, i| {
            a.create_agent_transaction(NewAgentTransaction {
                comprobante: Some(path.into()),
                ..agent("TIGO_MONEY", "DEPOSITO", "10", "N-1", i.open)
            })
        }));
    }
    // Dates of every list filter.
    for date in bad_dates() {
        let (d1, d2, d3, d4, d5) = (date.clone(), date.clone(), date.clone(), date.clone(), date.clone());
        let short = format!("{date:.20}");
        cases.push(case(Cashier, format!("agents desde {short}"), ValorInvalido, Some("desde"), move |a, _| {
            a.list_agent_transactions(AgentFilter { desde: Some(d1.clone()), ..agent_filter() })
        }));
        cases.push(case(Admin, format!("agents hasta {short}"), ValorInvalido, Some("hasta"), move |a, _| {
            a.list_agent_transactions(AgentFilter { hasta: Some(d2.clone()), ..agent_filter() })
        }));
        cases.push(case(Cashier, format!("topups desde {short}"), ValorInvalido, Some("desde"), move |a, _| {
            a.list_topups(RecargaFilter { desde: Some(d3.clone()), ..recarga_filter() })
        }));
        cases.push(case(Cashier, format!("injections hasta {short}"), ValorInvalido, Some("hasta"), move |a, _| {
            a.list_injections(RecargaFilter { hasta: Some(d4.clone()), ..recarga_filter() })
        }));
        cases.push(case(Cashier, format!("payment date {short}"), ValorInvalido, Some("fechaPago"), move |a, i| {
            a.create_payment(NewPago { fecha_pago: d5.clone(), ..pago(7, "EFECTIVO", "10", None, i.open) })
        }));
    }
    // Carriers: every command that names one.
    for (operadora, code) in [
        ("", CampoRequerido),
        ("  ", CampoRequerido),
        ("Claro", ValorInvalido),
        ("Tigo Star", ValorInvalido),
        ("Tigo;Entel", ValorInvalido),
        ("山田", ValorInvalido),
        ("😀", ValorInvalido),
        ("TIGO_MONEY", ValorInvalido),
    ] {
        cases.push(case(Admin, format!("bonus operadora {operadora:?}"), code, Some("operadora"), move |a, _| a.configure_carrier_bonus(bonus(operadora, "2"))));
        cases.push(case(Cashier, format!("topup operadora {operadora:?}"), code, Some("operadora"), move |a, i| {
            a.create_topup(topup(operadora, "71234567", "1", i.open))
        }));
        cases.push(case(Cashier, format!("inject operadora {operadora:?}"), code, Some("operadora"), move |a, i| {
            a.inject_carrier_float(injection(operadora, "10", i.open))
        }));
        if code == ValorInvalido {
            cases.push(case(Cashier, format!("topups filter {operadora:?}"), code, Some("operadora"), move |a, _| {
                a.list_topups(RecargaFilter { operadora: Some(operadora.into()), ..recarga_filter() })
            }));
            cases.push(case(Cashier, format!("injections filter {operadora:?}"), code, Some("operadora"), move |a, _| {
                a.list_injections(RecargaFilter { operadora: Some(operadora.into()), ..recarga_filter() })
            }));
        }
    }
    // Phones: 8 digits starting with 6 or 7; spaces and dashes are ignored.
    for (telefono, code) in [
        ("", CampoRequerido),
        (" - ", CampoRequerido),
        ("7123456", ValorInvalido),
        ("712345678", ValorInvalido),
        ("51234567", ValorInvalido),
        ("81234567", ValorInvalido),
        ("01234567", ValorInvalido),
        ("7123456a", ValorInvalido),
        ("+59171234567", ValorInvalido),
        ("(712)34567", ValorInvalido),
        ("7123.4567", ValorInvalido),
        ("７１２３４５６７", ValorInvalido),
        ("٧١٢٣٤٥٦٧", ValorInvalido),
        ("山田", ValorInvalido),
        ("😀😀😀😀😀😀😀😀", ValorInvalido),
        ("-7", ValorInvalido),
    ] {
        cases.push(case(Cashier, format!("phone {telefono:?}"), code, Some("telefono"), move |a, i| a.create_topup(topup("Entel", telefono, "1", i.open))));
    }
    cases.push(case(Cashier, "phone of 10,000 digits", ValorInvalido, Some("telefono"), |a, i| {
        a.create_topup(topup("Entel", &"7".repeat(10_000), "1", i.open))
    }));
    for (amount, code) in bad_amounts(false) {
        let m = amount.clone();
        cases.push(case(Cashier, format!("topup {amount:.12?}"), code, Some("monto"), move |a, i| a.create_topup(topup("Entel", "71234567", &m, i.open))));
        cases.push(case(Cashier, format!("injection {amount:.12?}"), code, Some("monto"), move |a, i| {
            a.inject_carrier_float(injection("Entel", &amount, i.open))
        }));
    }
    // Payments: client, amount, method, reference; void and correction reasons.
    for (cliente, code) in bad_text(80) {
        cases.push(case(Cashier, format!("payment client {cliente:.12?}"), code, Some("cliente"), move |a, i| {
            a.create_payment(NewPago { cliente: cliente.clone(), ..pago(7, "EFECTIVO", "10", None, i.open) })
        }));
    }
    for (amount, code) in bad_amounts(false) {
        let m = amount.clone();
        cases.push(case(Cashier, format!("payment {amount:.12?}"), code, Some("monto"), move |a, i| a.create_payment(pago(7, "EFECTIVO", &m, None, i.open))));
        cases.push(case(Admin, format!("corrected payment {amount:.12?}"), code, Some("monto"), move |a, i| {
            a.update_payment(UpdatePago { pago: pago(7, "EFECTIVO", &amount, None, i.open), ..correction(i.pago, i.open) })
        }));
    }
    for metodo in ["", "TARJETA", "CHEQUE", "BCP;EFECTIVO", "山田", "😀", &"OTRO".repeat(3_000)] {
        let metodo = metodo.to_string();
        cases.push(case(Cashier, format!("payment method {metodo:.12?}"), ValorInvalido, Some("metodoPago"), move |a, i| {
            a.create_payment(pago(7, &metodo, "10", Some("R-1"), i.open))
        }));
    }
    for (referencia, code) in bad_optional_text(40) {
        let r = referencia.clone();
        cases.push(case(Cashier, format!("payment reference {referencia:.12?}"), code, Some("referencia"), move |a, i| {
            a.create_payment(pago(7, "BCP", "10", Some(&r), i.open))
        }));
        cases.push(case(Cashier, format!("cash payment reference {referencia:.12?}"), code, Some("referencia"), move |a, i| {
            a.create_payment(pago(7, "EFECTIVO", "10", Some(&referencia), i.open))
        }));
    }
    for (motivo, code) in bad_text(200) {
        let (m1, m2, m3, m4) = (motivo.clone(), motivo.clone(), motivo.clone(), motivo.clone());
        let short = format!("{motivo:.12?}");
        cases.push(case(Admin, format!("void agent motivo {short}"), code, Some("motivo"), move |a, i| a.void_agent_transaction(void(i.agent, &m1))));
        cases.push(case(Admin, format!("void topup motivo {short}"), code, Some("motivo"), move |a, i| a.void_topup(void(i.topup, &m2))));
        cases.push(case(Admin, format!("void injection motivo {short}"), code, Some("motivo"), move |a, i| a.void_injection(void(i.injection, &m4))));
        cases.push(case(Admin, format!("void payment motivo {short}"), code, Some("motivo"), move |a, i| a.void_payment(void(i.pago_bcp, &m3))));
        cases.push(case(Admin, format!("correction motivo {short}"), code, Some("motivo"), move |a, i| {
            a.update_payment(UpdatePago { motivo: motivo.clone(), ..correction(i.pago, i.open) })
        }));
    }
    cases
}

/// The state the cases act on; see [`Ids`]. Balances after it: TIGO_MONEY float 850,
/// BCP 990 + 10 (the voided B-1 came back), carrier Tigo 45, Entel 90, Viva 0.
fn setup() -> (Fixture, Ids) {
    let mut fx = Fixture::new();
    fx.open_all_handles();
    let (mixta, agentes, ventas) = (fx.mixta.id, fx.agentes.id, fx.ventas.id);
    let admin = fx.as_(Admin);
    admin.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    admin.adjust_provider_float(fund("BCP", "2000")).unwrap();

    // The cashier's first session on MIXTA: one of each operation, then closed.
    let c = fx.as_(Cashier);
    let closed = c.open_session(open(mixta, "500")).unwrap().id;
    let injection_closed = c.inject_carrier_float(injection("Tigo", "100", closed)).unwrap().id;
    let agent_closed = c.create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "50", "C-1", closed)).unwrap().id;
    let topup_closed = c.create_topup(topup("Tigo", "71234567", "10", closed)).unwrap().id;
    let pago_closed = c.create_payment(pago(7, "EFECTIVO", "20", None, closed)).unwrap().id;
    c.close_session(close(closed, counts_for(48_000))).unwrap();

    // The cashier's open session on MIXTA.
    let open_id = c.open_session(open(mixta, "480")).unwrap().id;
    let agent_id = c.create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "100", "2", "T-1", open_id)).unwrap().id;
    let agent_voided = c.create_agent_transaction(agent("BCP", "DEPOSITO", "10", "B-1", open_id)).unwrap().id;
    let injection_sold = c.inject_carrier_float(injection("Entel", "100", open_id)).unwrap().id;
    let injection_voided = c.inject_carrier_float(injection("Tigo", "1", open_id)).unwrap().id;
    let topup_id = c.create_topup(topup("Entel", "7654 3210", "10", open_id)).unwrap().id;
    let topup_voided = c.create_topup(topup("Entel", "6543-2109", "10", open_id)).unwrap().id;
    let pago_id = c.create_payment(pago(7, "EFECTIVO", "20", None, open_id)).unwrap().id;
    let pago_bcp = c.create_payment(pago(7, "BCP", "30", Some("P-1"), open_id)).unwrap().id;
    let pago_voided = c.create_payment(pago(8, "LOS_ANDES", "40", Some("P-2"), open_id)).unwrap().id;
    let admin = fx.as_(Admin);
    admin.void_agent_transaction(void(agent_voided, "monto equivocado")).unwrap();
    admin.void_topup(void(topup_voided, "número equivocado")).unwrap();
    admin.void_payment(void(pago_voided, "pago duplicado")).unwrap();
    admin.void_injection(void(injection_voided, "operadora equivocada")).unwrap();
    assert_eq!(fx.drawer(open_id), 51_200);

    // Cashier 2 on SOLO_AGENTES: a deposit whose void the drawer can no longer pay.
    let c2 = fx.as_(Cashier2);
    let agentes_id = c2.open_session(open(agentes, "300")).unwrap().id;
    let agent_unpayable = c2.create_agent_transaction(agent("BCP", "DEPOSITO", "1000", "D-9", agentes_id)).unwrap().id;
    c2.record_cash_movement(egreso(agentes_id, "1250")).unwrap();
    assert_eq!(fx.drawer(agentes_id), 5_000);

    // The administrator on SOLO_VENTAS: a top-up and a cash payment the drawer can no longer pay back.
    let admin = fx.as_(Admin);
    let ventas_id = admin.open_session(open(ventas, "100")).unwrap().id;
    let topup_unpayable = admin.create_topup(topup("Tigo", "77777777", "50", ventas_id)).unwrap().id;
    let pago_unpayable = admin.create_payment(pago(9, "EFECTIVO", "30", None, ventas_id)).unwrap().id;
    let injection_id = admin.inject_carrier_float(injection("Tigo", "5", ventas_id)).unwrap().id;
    admin.record_cash_movement(egreso(ventas_id, "165")).unwrap();
    assert_eq!(fx.drawer(ventas_id), 1_000);

    assert_eq!(fx.balance_of("provider_float:TIGO_MONEY"), 85_000);
    assert_eq!(fx.balance_of("carrier_float:Tigo"), 4_500);
    assert_eq!(fx.balance_of("carrier_float:Entel"), 9_000);
    assert_eq!(fx.balance_of("carrier_float:Viva"), 0);
    assert_eq!(fx.balance_of("provider_float:SOLI"), 0);
    assert_ledger_consistent(fx.app.connection(), "setup");
    let ids = Ids {
        open: open_id,
        closed,
        agentes: agentes_id,
        ventas: ventas_id,
        agent: agent_id,
        agent_voided,
        agent_closed,
        agent_unpayable,
        topup: topup_id,
        topup_voided,
        topup_closed,
        topup_unpayable,
        injection: injection_id,
        injection_voided,
        injection_closed,
        injection_sold,
        pago: pago_id,
        pago_bcp,
        pago_voided,
        pago_closed,
        pago_unpayable,
        files: voucher_files(),
    };
    (fx, ids)
}

#[test]
fn every_operation_command_refuses_bad_input_and_writes_nothing() {
    let (mut fx, ids) = setup();
    let all = cases();
    let failures = run_bad_input_table(&mut fx, &all, &ids);
    assert!(all.len() > 500, "the table lost cases: {}", all.len());
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), all.len(), failures.join("\n"));
    assert!(!fx.vouchers_dir().exists(), "a refused transaction left a voucher behind");
    assert_ledger_consistent(fx.app.connection(), "after the bad inputs");
    assert_eq!(fx.drawer(ids.open), 51_200);
    // Every command the tables exercise is one the app exposes.
    let exposed: Vec<&str> = mostrador::commands::signatures(&ts_rs::Config::new()).iter().map(|s| s.name).collect();
    for name in COMMANDS {
        assert!(exposed.contains(&name), "{name} is not a command");
        assert!(all.iter().any(|c| c.who == Nobody && c.name == name), "no case for {name} without a login");
    }
}

/// The store-side commands this file covers.
const COMMANDS: [&str; 22] = [
    "export_agent_transactions_csv",
    "list_providers",
    "create_provider",
    "adjust_provider_float",
    "create_agent_transaction",
    "list_agent_transactions",
    "get_agent_transaction",
    "void_agent_transaction",
    "settle_bank_commissions",
    "list_carrier_balances",
    "configure_carrier_bonus",
    "create_topup",
    "list_topups",
    "inject_carrier_float",
    "list_injections",
    "void_topup",
    "void_injection",
    "create_payment",
    "list_payments",
    "update_payment",
    "void_payment",
    "payments_for_work_order",
];

/// Filters that match nothing are not errors: unknown ids and pages past the end give
/// empty pages, and nothing is written.
#[test]
fn lists_with_unknown_ids_or_far_pages_are_empty() {
    let (mut fx, ids) = setup();
    let before = fx.snapshot();
    let app = fx.as_(Cashier);
    for filter in [
        AgentFilter { id_caja_sesion: Some(UNKNOWN_ID), ..agent_filter() },
        AgentFilter { id_caja_sesion: Some(-1), ..agent_filter() },
        AgentFilter { page: Some(i64::MAX), ..agent_filter() },
        AgentFilter { page: Some(i64::MAX), size: Some(100), ..agent_filter() },
        AgentFilter { banco: Some("soli".into()), ..agent_filter() },
        AgentFilter { desde: Some("2100-01-01".into()), ..agent_filter() },
        AgentFilter { hasta: Some("2000-01-01".into()), ..agent_filter() },
        AgentFilter { id_caja_sesion: Some(ids.agentes), tipo_operacion: Some("RETIRO".into()), ..agent_filter() },
    ] {
        let page = app.list_agent_transactions(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
        assert!(page.items.is_empty(), "{filter:?}: {page:?}");
    }
    for filter in [
        RecargaFilter { id_caja_sesion: Some(UNKNOWN_ID), ..recarga_filter() },
        RecargaFilter { page: Some(i64::MAX), size: Some(100), ..recarga_filter() },
        RecargaFilter { operadora: Some("viva".into()), ..recarga_filter() },
        RecargaFilter { desde: Some("2025-03-11".into()), ..recarga_filter() },
    ] {
        let topups = app.list_topups(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
        assert!(topups.items.is_empty(), "{filter:?}: {topups:?}");
        let injections = app.list_injections(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
        assert!(injections.items.is_empty(), "{filter:?}: {injections:?}");
    }
    for filter in [PagoFilter { page: Some(i64::MAX), size: Some(100), ..Default::default() }, PagoFilter { page: Some(1_000), size: None, ..Default::default() }] {
        let page = app.list_payments(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
        assert!(page.items.is_empty(), "{filter:?}: {page:?}");
        assert_eq!(page.total, 3, "the cashier's live payments: the closed session's and two in `open`");
    }
    // A session filter naming no session, or a session with no payments, is an empty page.
    for id_caja_sesion in [UNKNOWN_ID, 0, -1, i64::MAX, i64::MIN, ids.agentes] {
        for incluir_anulados in [None, Some(false), Some(true)] {
            let filter = PagoFilter { id_caja_sesion: Some(id_caja_sesion), incluir_anulados, ..Default::default() };
            let page = app.list_payments(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
            assert!(page.items.is_empty() && page.total == 0, "{filter:?}: {page:?}");
        }
    }
    let filter = PagoFilter { id_caja_sesion: Some(ids.open), incluir_anulados: Some(true), page: Some(5), size: Some(100) };
    let far = app.list_payments(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
    assert_eq!((far.items.len(), far.total), (0, 3), "past the end of `open`'s payments, the voided one included");
    assert!(app.payments_for_work_order(UNKNOWN_ID).unwrap().is_empty());
    assert!(app.payments_for_work_order(i64::MAX).unwrap().is_empty());
    before.assert_same(&fx.snapshot(), "lists");
}

/// Ids arrive from the UI as JSON numbers: text, fractions or numbers past i64 never reach
/// the core.
#[test]
fn ids_that_are_not_integers_are_refused_when_the_input_is_read() {
    let bad = [r#""12""#, "1.5", "-0.5", "99999999999999999999", "null", r#""abc""#, "true", "[1]"];
    for id in bad {
        assert!(serde_json::from_str::<VoidInput>(&format!(r#"{{"id":{id},"motivo":"x"}}"#)).is_err(), "VoidInput id {id}");
        let topup = format!(r#"{{"operadora":"Tigo","telefono":"71234567","monto":"1","id_caja_sesion":{id}}}"#);
        assert!(serde_json::from_str::<NewTopup>(&topup).is_err(), "NewTopup id_caja_sesion {id}");
        let payment = format!(
            r#"{{"pendienteId":{id},"cliente":"Ana","monto":"1","fechaPago":"2025-03-10","metodoPago":"EFECTIVO","id_caja_sesion":1}}"#
        );
        assert!(serde_json::from_str::<NewPago>(&payment).is_err(), "NewPago pendienteId {id}");
    }
    // Amounts travel as text, so a JSON number (which JavaScript may already have rounded) is refused.
    let agent = r#"{"banco":"BCP","tipo_operacion":"DEPOSITO","monto":10.1,"nro_referencia":"X","id_caja_sesion":1}"#;
    assert!(serde_json::from_str::<NewAgentTransaction>(agent).is_err());
}
