//! The provider's statement and the bank's commission statement are read as CSV: `,` or
//! `;` (sniffed from each line), quotes, comma decimals, a byte-order mark; an
//! unreadable line is reported with its number.
mod common;
use common::*;
use mostrador::domain::*;
use mostrador::sync::reconcile::parse_statement;
use Who::*;

fn amounts(text: &str) -> Vec<(String, i64)> {
    parse_statement(text).unwrap().into_iter().map(|t| (t.reference.unwrap(), t.amount.centavos())).collect()
}

#[test]
fn a_semicolon_statement_line_is_read_as_bs_150_50_not_150() {
    assert_eq!(amounts("123456;150,50"), vec![("123456".to_string(), 15_050)]);
    assert_eq!(amounts("referencia;monto\n123456;150,50\n654321;1.234,50\n"), vec![("123456".into(), 15_050), ("654321".into(), 123_450)]);
}

#[test]
fn a_comma_statement_reads_quoted_comma_decimals_a_bom_and_crlf() {
    let text = "\u{feff}\"referencia\",\"monto\"\r\n\r\n\"123456\",\"150,50\"\r\n654321,20.00\r\n\"REF, con coma\",\"1.000,00\"\r\n";
    assert_eq!(amounts(text), vec![("123456".to_string(), 15_050), ("654321".into(), 2_000), ("REF, con coma".into(), 100_000)]);
}

#[test]
fn an_unreadable_statement_line_is_refused_with_its_number() {
    let cases = [
        ("referencia;monto\n1;2,50\n\n2;2,505\n", "línea 4"),
        ("referencia,monto\n1,2.50\n2,150,50\n", "línea 3"),
        ("1;2,50\n;5\n", "línea 2"),
        ("1;2,50\r\n\r\n\r\n3;diez\r\n", "línea 4"),
        ("1;1.500\n", "línea 1"),
    ];
    for (text, line) in cases {
        let err = parse_statement(text).unwrap_err();
        assert_eq!((err.code, err.field.as_deref()), (ErrorCode::ValorInvalido, Some("extracto")), "{text:?}");
        assert!(err.message.contains(line), "{text:?}: {}", err.message);
    }
    let err = parse_statement("referencia,monto\n2,150,50\n").unwrap_err();
    assert!(err.message.contains("más de dos columnas"), "{}", err.message);
}

#[test]
fn a_semicolon_commission_statement_with_quotes_and_a_bom_settles_comma_decimals() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    let mut ids = Vec::new();
    for referencia in ["T-1", "T-2", "T-3"] {
        ids.push(fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", referencia, session)).unwrap().id);
    }
    let csv = "\u{feff}\"nro_referencia\";\"comision_banco\"\r\n\"T-1\";\"2,50\"\r\n\r\nT-2;1,25\r\nT-3;1.500\r\nT-1,2.50\r\n";
    let report = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", csv, false)).unwrap();
    let settled: Vec<(i64, &str, i64)> = report.conciliadas.iter().map(|l| (l.linea, l.nro_referencia.as_str(), l.comision_banco.centavos())).collect();
    assert_eq!(settled, vec![(2, "T-1", 250), (4, "T-2", 125), (6, "T-1", 250)], "each line's delimiter is its own");
    let unmatched: Vec<(i64, &str, &str)> = report.sin_coincidencia.iter().map(|l| (l.linea, l.texto.as_str(), l.motivo.as_str())).collect();
    assert_eq!(
        unmatched,
        vec![(5, "T-3;1.500", "la comisión no es un monto válido")],
        "1.500 is ambiguous: never read as 1.50"
    );
    assert_eq!(report.total, bs(375));
}

#[test]
fn a_comma_commission_statement_with_an_unquoted_comma_decimal_is_reported_not_misread() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", "T-1", session)).unwrap();
    let report = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "nro_referencia,comision_banco\nT-1,2,50\n", false)).unwrap();
    assert!(report.conciliadas.is_empty(), "{report:?}");
    assert_eq!(report.sin_coincidencia.len(), 1);
    assert_eq!(report.sin_coincidencia[0].linea, 2);
    assert!(report.sin_coincidencia[0].motivo.contains("más de dos columnas"));
    assert_eq!(report.total, bs(0));
}
