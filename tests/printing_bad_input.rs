//! The printing and audit-log commands against what a person or a broken UI can send:
//! each refusal has its code, points at the input, names it in Spanish and writes nothing.

mod common;

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use ErrorCode::*;
use Who::*;

const UNKNOWN_ID: i64 = 999_999;

struct Ids {
    /// The cashier's DEPOSITO.
    agent: i64,
    /// The cashier's open session.
    session: i64,
    /// Cashier 2's top-up, in a session the cashier may not read.
    other_topup: i64,
    other_session: i64,
    csv: String,
    pdf: String,
    _dir: tempfile::TempDir,
}

fn setup() -> (Fixture, Ids) {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    let agent = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", "R-1", session)).unwrap().id;
    let register = fx.ventas.id;
    let other_session = fx.as_(Cashier2).open_session(open(register, "100")).unwrap().id;
    fx.as_(Cashier2).inject_carrier_float(injection("Viva", "50", other_session)).unwrap();
    let other_topup = fx.as_(Cashier2).create_topup(topup("Viva", "71234567", "10", other_session)).unwrap().id;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bitacora.csv").to_str().unwrap().to_string();
    let pdf = dir.path().join("z.pdf").to_str().unwrap().to_string();
    fx.open_all_handles();
    (fx, Ids { agent, session, other_topup, other_session, csv, pdf, _dir: dir })
}

type Case = common::Case<Ids>;

fn case<T>(
    who: Who,
    name: impl Into<String>,
    code: ErrorCode,
    field: Option<&'static str>,
    call: impl Fn(&mut Mostrador, &Ids) -> CoreResult<T> + 'static,
) -> Case {
    common::case(who, name, code, field, call)
}

fn settings(tipo: &str, direccion: Option<&str>, ancho: &str) -> PrinterSettingsInput {
    PrinterSettingsInput {
        tipo: tipo.into(),
        direccion: direccion.map(str::to_string),
        ancho: ancho.into(),
        impresion_automatica: false,
        copia_tienda: false,
    }
}

fn receipt(tipo: &str, id: i64) -> PrintReceiptInput {
    PrintReceiptInput { tipo: tipo.into(), id }
}

fn audit(f: impl FnOnce(&mut AuditFilter)) -> AuditFilter {
    let mut filter = AuditFilter::default();
    f(&mut filter);
    filter
}

fn settings_cases() -> Vec<Case> {
    let mut cases = vec![
        case(Nobody, "get_printer_settings", NoAutenticado, None, |a, _| a.get_printer_settings()),
        case(Nobody, "update_printer_settings", NoAutenticado, None, |a, _| a.update_printer_settings(settings("NINGUNA", None, "80"))),
        case(Cashier, "update_printer_settings", PermisoDenegado, None, |a, _| a.update_printer_settings(settings("NINGUNA", None, "80"))),
        case(Nobody, "print_test_page", NoAutenticado, None, |a, _| a.print_test_page()),
        case(Cashier, "print_test_page", PermisoDenegado, None, |a, _| a.print_test_page()),
        case(Admin, "print_test_page without a printer", ImpresoraNoDisponible, None, |a, _| a.print_test_page()),
    ];
    for tipo in ["", "laser", "red", "IMPRESORA", "RED;"] {
        cases.push(case(Admin, format!("tipo {tipo:?}"), ValorInvalido, Some("tipo"), move |a, _| {
            a.update_printer_settings(settings(tipo, Some("10.0.0.5"), "80"))
        }));
    }
    for ancho in ["", "57", "80mm", "0", "-58", "58.0"] {
        cases.push(case(Admin, format!("ancho {ancho:?}"), ValorInvalido, Some("ancho"), move |a, _| {
            a.update_printer_settings(settings("RED", Some("10.0.0.5"), ancho))
        }));
    }
    for tipo in ["RED", "USB", "SERIE"] {
        for (direccion, code) in [(None, CampoRequerido), (Some("   "), CampoRequerido)] {
            cases.push(case(Admin, format!("{tipo} without an address"), code, Some("direccion"), move |a, _| {
                a.update_printer_settings(settings(tipo, direccion, "58"))
            }));
        }
        let long = format!("/{}", "a".repeat(200));
        cases.push(case(Admin, format!("{tipo} with a long address"), TextoDemasiadoLargo, Some("direccion"), move |a, _| {
            a.update_printer_settings(settings(tipo, Some(&long), "58"))
        }));
    }
    for direccion in ["10.0.0.5:", "10.0.0.5:0", "10.0.0.5:65536", "10.0.0.5:abc", "http://10.0.0.5", "10.0.0.5 9100", ":9100", "impresora_1"] {
        cases.push(case(Admin, format!("RED {direccion:?}"), ValorInvalido, Some("direccion"), move |a, _| {
            a.update_printer_settings(settings("RED", Some(direccion), "80"))
        }));
    }
    for direccion in ["lp0", "dev/usb/lp0", "/dev/tty\u{0}S0", "LPT1"] {
        for tipo in ["USB", "SERIE"] {
            cases.push(case(Admin, format!("{tipo} {direccion:?}"), ValorInvalido, Some("direccion"), move |a, _| {
                a.update_printer_settings(settings(tipo, Some(direccion), "80"))
            }));
        }
    }
    cases
}

fn print_cases() -> Vec<Case> {
    let mut cases = vec![
        case(Nobody, "print_receipt", NoAutenticado, None, |a, i| a.print_receipt(receipt("AGENTE", i.agent))),
        case(Nobody, "receipt_lines", NoAutenticado, None, |a, i| a.receipt_lines(receipt("AGENTE", i.agent))),
        case(Nobody, "print_session_report", NoAutenticado, None, |a, i| a.print_session_report(i.session)),
        case(Nobody, "save_session_report_pdf", NoAutenticado, None, |a, i| a.save_session_report_pdf(i.session, &i.pdf)),
        case(Cashier, "print_receipt without a printer", ImpresoraNoDisponible, None, |a, i| a.print_receipt(receipt("AGENTE", i.agent))),
        case(Cashier, "print_session_report without a printer", ImpresoraNoDisponible, None, |a, i| a.print_session_report(i.session)),
        case(Cashier, "another cashier's receipt", PermisoDenegado, None, |a, i| a.receipt_lines(receipt("RECARGA", i.other_topup))),
        case(Cashier, "another cashier's receipt, printed", PermisoDenegado, None, |a, i| a.print_receipt(receipt("RECARGA", i.other_topup))),
        case(Cashier, "another cashier's report", PermisoDenegado, None, |a, i| a.print_session_report(i.other_session)),
        case(Cashier, "another cashier's report as PDF", PermisoDenegado, None, |a, i| a.save_session_report_pdf(i.other_session, &i.pdf)),
        case(Admin, "unknown session's report", NoEncontrado, Some("session_id"), |a, _| a.print_session_report(UNKNOWN_ID)),
        case(Admin, "unknown session's report lines", NoEncontrado, Some("session_id"), |a, _| a.session_report_lines(UNKNOWN_ID)),
        case(Nobody, "session_report_lines", NoAutenticado, None, |a, i| a.session_report_lines(i.session)),
        case(Cashier, "another cashier's report lines", PermisoDenegado, None, |a, i| a.session_report_lines(i.other_session)),
        case(Admin, "unknown session's PDF", NoEncontrado, Some("session_id"), |a, i| a.save_session_report_pdf(UNKNOWN_ID, &i.pdf)),
        case(Admin, "PDF without a path", CampoRequerido, Some("ruta"), |a, i| a.save_session_report_pdf(i.session, "  ")),
        case(Admin, "PDF into a folder that does not exist", ArchivoInvalido, Some("ruta"), |a, i| {
            a.save_session_report_pdf(i.session, "/no/existe/z.pdf")
        }),
    ];
    for tipo in ["", "agente", "VENTA", "AGENTE "] {
        let trimmed_is_valid = tipo.trim() == "AGENTE";
        if trimmed_is_valid {
            continue;
        }
        cases.push(case(Cashier, format!("tipo {tipo:?}"), ValorInvalido, Some("tipo"), move |a, i| a.receipt_lines(receipt(tipo, i.agent))));
        cases.push(case(Cashier, format!("tipo {tipo:?}, printed"), ValorInvalido, Some("tipo"), move |a, i| a.print_receipt(receipt(tipo, i.agent))));
    }
    for id in [0, -1, i64::MIN] {
        cases.push(case(Cashier, format!("id {id}"), ValorInvalido, Some("id"), move |a, _| a.receipt_lines(receipt("AGENTE", id))));
        cases.push(case(Cashier, format!("id {id}, printed"), ValorInvalido, Some("id"), move |a, _| a.print_receipt(receipt("PAGO", id))));
    }
    for tipo in ["AGENTE", "RECARGA", "INYECCION", "PAGO", "MOVIMIENTO"] {
        cases.push(case(Admin, format!("unknown {tipo}"), NoEncontrado, Some("id"), move |a, _| a.receipt_lines(receipt(tipo, UNKNOWN_ID))));
        cases.push(case(Admin, format!("unknown {tipo}, printed"), NoEncontrado, Some("id"), move |a, _| a.print_receipt(receipt(tipo, UNKNOWN_ID))));
    }
    cases
}

fn audit_cases() -> Vec<Case> {
    let mut cases = vec![
        case(Nobody, "list_audit_log", NoAutenticado, None, |a, _| a.list_audit_log(AuditFilter::default())),
        case(Cashier, "list_audit_log", PermisoDenegado, None, |a, _| a.list_audit_log(AuditFilter::default())),
        case(Cashier2, "list_audit_log of oneself", PermisoDenegado, None, |a, _| {
            let me = a.current_operator().unwrap().id;
            a.list_audit_log(audit(|f| f.operator_id = Some(me)))
        }),
        case(Nobody, "audit_actions", NoAutenticado, None, |a, _| a.audit_actions()),
        case(Cashier, "audit_actions", PermisoDenegado, None, |a, _| a.audit_actions()),
        case(Nobody, "export_audit_log_csv", NoAutenticado, None, |a, i| a.export_audit_log_csv(AuditFilter::default(), &i.csv)),
        case(Cashier, "export_audit_log_csv", PermisoDenegado, None, |a, i| a.export_audit_log_csv(AuditFilter::default(), &i.csv)),
        case(Admin, "export without a path", CampoRequerido, Some("ruta"), |a, _| a.export_audit_log_csv(AuditFilter::default(), "")),
        case(Admin, "export into a folder that does not exist", ArchivoInvalido, Some("ruta"), |a, _| {
            a.export_audit_log_csv(AuditFilter::default(), "/no/existe/bitacora.csv")
        }),
        case(Admin, "export with a bad filter", ValorInvalido, Some("from_date"), |a, i| {
            a.export_audit_log_csv(audit(|f| f.from_date = Some("ayer".into())), &i.csv)
        }),
        case(Admin, "unknown operator", NoEncontrado, Some("operator_id"), |a, _| a.list_audit_log(audit(|f| f.operator_id = Some(UNKNOWN_ID)))),
        case(Admin, "to before from", ValorInvalido, Some("to_date"), |a, _| {
            a.list_audit_log(audit(|f| {
                f.from_date = Some("2025-03-10".into());
                f.to_date = Some("2025-03-09".into());
            }))
        }),
    ];
    for action in ["LOGIN", "login; DROP TABLE audit_log", "log in", "login%", "ñandú", &"a".repeat(65)] {
        let action = action.to_string();
        cases.push(case(Admin, format!("action {action:?}"), ValorInvalido, Some("action"), move |a, _| {
            a.list_audit_log(audit(|f| f.action = Some(action.clone())))
        }));
    }
    for date in ["2025-13-01", "10/03/2025", "2025-02-30", "hoy", "2025-3-1x"] {
        cases.push(case(Admin, format!("from_date {date:?}"), ValorInvalido, Some("from_date"), move |a, _| {
            a.list_audit_log(audit(|f| f.from_date = Some(date.into())))
        }));
        cases.push(case(Admin, format!("to_date {date:?}"), ValorInvalido, Some("to_date"), move |a, _| {
            a.list_audit_log(audit(|f| f.to_date = Some(date.into())))
        }));
    }
    for (page, size, field) in [(Some(0), None, "page"), (Some(-3), None, "page"), (None, Some(0), "size"), (None, Some(101), "size"), (None, Some(-1), "size")] {
        cases.push(case(Admin, format!("page {page:?} size {size:?}"), ValorInvalido, Some(field), move |a, _| {
            a.list_audit_log(audit(|f| {
                f.page = page;
                f.size = size;
            }))
        }));
    }
    cases
}

#[test]
fn every_printing_and_audit_command_refuses_bad_input_and_writes_nothing() {
    let (mut fx, ids) = setup();
    let mut all = settings_cases();
    all.extend(print_cases());
    all.extend(audit_cases());
    let failures = run_bad_input_table(&mut fx, &all, &ids);
    assert!(all.len() > 90, "the table lost cases: {}", all.len());
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), all.len(), failures.join("\n"));
}

#[test]
fn printer_inputs_that_are_not_the_right_type_are_refused_when_read() {
    for bad in [r#"{"tipo":"AGENTE","id":"12"}"#, r#"{"tipo":"AGENTE","id":1.5}"#, r#"{"tipo":7,"id":1}"#, r#"{"id":1}"#] {
        assert!(serde_json::from_str::<PrintReceiptInput>(bad).is_err(), "{bad}");
    }
    let settings = r#"{"tipo":"RED","direccion":"10.0.0.5","ancho":"80","impresion_automatica":"si","copia_tienda":false}"#;
    assert!(serde_json::from_str::<PrinterSettingsInput>(settings).is_err());
}
