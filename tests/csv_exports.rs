//! History's agent transactions, the session list and the outbox exported as CSV (the
//! `csv` crate: `;`, a byte-order mark, amounts as `1234,50`) and read back.
mod common;
use common::*;
use mostrador::domain::*;
use Who::*;

/// The file read back with the csv crate: its header and its rows.
fn read_back(path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark, so a spreadsheet opens it as UTF-8");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

fn column<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    &row[header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))]
}

#[test]
fn history_exported_as_csv_reads_back_field_for_field_with_every_page() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "5000")).unwrap().id;
    let first = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "1.234,50", "R;1 \"cita\"", session)).unwrap();
    for n in 0..120 {
        fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "1", &format!("-N-{n}"), session)).unwrap();
    }
    fx.app.void_agent_transaction(void(first.id, "Monto, mal; escrito")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("historial.csv");
    let written = fx.as_(Cashier).export_agent_transactions_csv(AgentFilter::default(), path.to_str().unwrap()).unwrap();
    assert_eq!(written, path.to_str().unwrap());

    let (header, rows) = read_back(&written);
    assert_eq!(header[..5], ["id", "fecha", "banco", "tipo_operacion", "monto"]);
    assert_eq!(rows.len(), 121, "every page, not only the first");
    let row = rows.iter().find(|r| column(&header, r, "id") == first.id.to_string()).unwrap();
    assert_eq!(column(&header, row, "monto"), "1234,50");
    assert_eq!(Money::parse_positive("monto", column(&header, row, "monto")).unwrap(), first.monto, "the amount reads back by the es-BO rule");
    assert_eq!(column(&header, row, "nro_referencia"), "R;1 \"cita\"");
    assert_eq!(column(&header, row, "motivo_anulacion"), "Monto, mal; escrito");
    assert_eq!(column(&header, row, "tipo_operacion"), "DEPOSITO");
    assert!(!column(&header, row, "anulada_en").is_empty());
    assert!(rows.iter().any(|r| column(&header, r, "nro_referencia") == "'-N-0"), "a formula is made inert");

    // The filter of the screen applies: a type with no rows gives only the header.
    let path = dir.path().join("retiros.csv");
    let filter = AgentFilter { tipo_operacion: Some("RETIRO".into()), ..AgentFilter::default() };
    let (_, rows) = read_back(&fx.as_(Cashier).export_agent_transactions_csv(filter, path.to_str().unwrap()).unwrap());
    assert!(rows.is_empty());
}

#[test]
fn the_session_list_exported_as_csv_reads_back_and_a_cashier_gets_only_their_own() {
    let mut fx = Fixture::new();
    let (mixta, agentes) = (fx.mixta.id, fx.agentes.id);
    let mine = fx.as_(Cashier).open_session(open(mixta, "1500,50")).unwrap().id;
    let admins = fx.as_(Admin).open_session(open(agentes, "20")).unwrap().id;
    let dir = tempfile::tempdir().unwrap();

    let path = dir.path().join("todas.csv");
    let (header, rows) = read_back(&fx.as_(Admin).export_sessions_csv(SessionFilter::default(), path.to_str().unwrap()).unwrap());
    let ids: Vec<&str> = rows.iter().map(|r| column(&header, r, "id")).collect();
    assert!(ids.contains(&mine.to_string().as_str()) && ids.contains(&admins.to_string().as_str()), "{ids:?}");
    let row = rows.iter().find(|r| column(&header, r, "id") == mine.to_string()).unwrap();
    assert_eq!(column(&header, row, "fondo_inicial"), "1500,50");
    assert_eq!(column(&header, row, "estado"), "ABIERTA");
    assert_eq!(column(&header, row, "cerrada"), "");

    let path = dir.path().join("mias.csv");
    let (header, rows) = read_back(&fx.as_(Cashier).export_sessions_csv(SessionFilter::default(), path.to_str().unwrap()).unwrap());
    assert_eq!(rows.iter().map(|r| column(&header, r, "id").to_string()).collect::<Vec<_>>(), vec![mine.to_string()]);
}

#[test]
fn the_outbox_exported_as_csv_reads_back_with_its_states() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "10000")).unwrap();
    fx.app
        .configure_provider(ConfigureProviderInput {
            banco: "TIGO_MONEY".into(),
            contrato: "BILLETERA_V2".into(),
            url_base: Some("http://127.0.0.1:9".into()),
            enviar_deposito: true,
            enviar_retiro: true,
            enviar_qr: true,
            concepto: Some("VAR".into()),
            ..ConfigureProviderInput::default()
        })
        .unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    let input = NewAgentTransaction {
        cuenta_cliente: Some("0000003100000000000123".into()),
        cuit_cliente: Some("20123456789".into()),
        ..agent("TIGO_MONEY", "DEPOSITO", "150,50", "Q-1", session)
    };
    let record = fx.as_(Cashier).create_agent_transaction(input).unwrap();
    fx.app.connection().execute("UPDATE outbox SET state = 'acked', provider_ref = 'P;1' WHERE agent_transaction_id = ?1", [record.id]).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cola.csv");
    let (header, rows) = read_back(&fx.as_(Admin).export_outbox_csv(OutboxFilter::default(), path.to_str().unwrap()).unwrap());
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(column(&header, row, "id_transaccion"), record.id.to_string());
    assert_eq!(column(&header, row, "monto"), "150,50");
    assert_eq!(column(&header, row, "estado"), "acked");
    assert_eq!(column(&header, row, "referencia_proveedor"), "P;1");
    assert_eq!(column(&header, row, "nro_referencia"), "Q-1");
}

#[test]
fn a_reconciliation_exported_as_csv_reads_back_with_quotes_and_an_inert_formula() {
    let line = |estado, referencia: &str, monto: i64, detalle: &str| ReconciliationLine {
        estado,
        id_transaccion: Some(7),
        referencia: Some(referencia.into()),
        referencia_proveedor: None,
        monto: Money::from_centavos(monto),
        detalle: detalle.into(),
    };
    let report = ReconciliationReport {
        id: 1,
        banco: "BCP".into(),
        dia: "2025-03-10".into(),
        creado: "2025-03-10T22:00:00Z".into(),
        conciliadas: 1,
        faltan_en_proveedor: 0,
        desconocidas: 1,
        lineas: vec![
            line(EstadoConciliacion::Conciliada, "K-1", 15_050, "Coincide, \"sí\"."),
            line(EstadoConciliacion::DesconocidaEnTienda, "=K-2", 100, "línea 2"),
        ],
    };
    let text = mostrador::sync::reconcile::to_csv(&report);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), ["estado", "id_transaccion", "referencia", "referencia_proveedor", "monto", "detalle"]);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    assert_eq!(rows[0], ["CONCILIADA", "7", "K-1", "", "150.50", "Coincide, \"sí\"."]);
    assert_eq!(rows[1][2], "'=K-2");
}
