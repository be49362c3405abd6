//! Every command of providers, credentials, the outbox and reconciliation against the
//! inputs a person or a broken UI can send: the exact code, the field named in Spanish,
//! nothing written to the database, and nothing written to the keyring.
//! No simulator is needed: every case is refused before any call would go out.

mod common;

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use ErrorCode::*;
use Who::*;

const UNKNOWN_ID: i64 = 999_999;

struct Ids {
    session: i64,
    acked: i64,
    queued: i64,
    attention_no_reversal: i64,
    unknown_outcome: i64,
    /// A call of a voided operation the provider refused at its first attempt (a call in
    /// doubt may be retried: it is only asked about).
    voided_rejected: i64,
    reconciliation: i64,
}

fn wallet(url: &str) -> ConfigureProviderInput {
    ConfigureProviderInput {
        banco: "TIGO_MONEY".into(),
        contrato: "BILLETERA_V2".into(),
        url_base: Some(url.into()),
        enviar_deposito: true,
        enviar_retiro: true,
        enviar_qr: true,
        cuenta_tienda: None,
        limite_operacion: Some("1000".into()),
        limite_pendiente: Some("3000".into()),
        concepto: Some("VAR".into()),
        ..ConfigureProviderInput::default()
    }
}

fn bank() -> ConfigureProviderInput {
    ConfigureProviderInput {
        banco: "BCP".into(),
        contrato: "BANCO_V1".into(),
        url_base: Some("http://127.0.0.1:9".into()),
        enviar_deposito: true,
        enviar_retiro: false,
        enviar_qr: true,
        cuenta_tienda: Some("10000000001".into()),
        limite_operacion: None,
        limite_pendiente: None,
        url_token: Some("http://127.0.0.1:9/_sim/bank/oauth/token".into()),
        ..with_bank_point(ConfigureProviderInput::default())
    }
}

fn statement(banco: &str, extracto: &str) -> ReconcileInput {
    ReconcileInput { banco: banco.into(), fecha: "2025-03-10".into(), extracto: Some(extracto.into()) }
}

fn creds_for(banco: &str) -> ProviderCredentialsInput {
    ProviderCredentialsInput { banco: banco.into(), usuario: "usuario".into(), secreto: "secreto-1".into() }
}

fn deposit(banco: &str, monto: &str, cuenta: Option<&str>, referencia: &str, session: i64) -> NewAgentTransaction {
    NewAgentTransaction {
        cuenta_cliente: cuenta.map(Into::into),
        cuit_cliente: (banco != "BCP").then(|| CUSTOMER_CUIT.to_string()),
        ..agent(banco, "DEPOSITO", monto, referencia, session)
    }
}

/// A wallet and a bank provider connected (to a port where nothing answers: nothing is
/// sent here), outbox rows in each state the commands treat differently, and a stored
/// reconciliation report.
fn setup() -> (Fixture, Ids) {
    let mut fx = Fixture::new();
    for banco in ["TIGO_MONEY", "BCP"] {
        fx.app.adjust_provider_float(fund(banco, "10000")).unwrap();
    }
    fx.app.configure_provider(wallet("http://127.0.0.1:9")).unwrap();
    fx.app.configure_provider(bank()).unwrap();
    let mixta = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(mixta, "500")).unwrap().id;
    let row = |fx: &mut Fixture, banco: &str, referencia: &str| {
        let cuenta = if banco == "BCP" { "20000000001" } else { "0000003100000000000123" };
        let record = fx.as_(Cashier).create_agent_transaction(deposit(banco, "10", Some(cuenta), referencia, session)).unwrap();
        fx.app
            .connection()
            .query_row("SELECT id FROM outbox WHERE agent_transaction_id = ?1", [record.id], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let acked = row(&mut fx, "TIGO_MONEY", "A-1");
    let queued = row(&mut fx, "BCP", "A-2");
    let unknown_outcome = row(&mut fx, "BCP", "A-3");
    let to_void = row(&mut fx, "TIGO_MONEY", "A-4");
    let conn = fx.app.connection();
    // States the worker would have reached against a provider.
    conn.execute("UPDATE outbox SET state = 'acked', provider_ref = 'P-1' WHERE id = ?1", [acked]).unwrap();
    conn.execute("UPDATE outbox SET state = 'retry_wait', outcome_unknown = 1 WHERE id = ?1", [unknown_outcome]).unwrap();
    conn.execute("UPDATE outbox SET state = 'acked', provider_ref = 'P-4' WHERE id = ?1", [to_void]).unwrap();
    let voided: i64 = conn.query_row("SELECT agent_transaction_id FROM outbox WHERE id = ?1", [to_void], |r| r.get(0)).unwrap();
    fx.app.void_agent_transaction(void(voided, "Prueba")).unwrap();
    let attention_no_reversal: i64 =
        fx.app.connection().query_row("SELECT id FROM outbox WHERE reverses = ?1", [to_void], |r| r.get(0)).unwrap();
    let voided_rejected = row(&mut fx, "BCP", "A-5");
    fx.app
        .connection()
        .execute("UPDATE outbox SET state = 'needs_attention', outcome_unknown = 0, error_code = '422' WHERE id = ?1", [voided_rejected])
        .unwrap();
    let voided_op: i64 =
        fx.app.connection().query_row("SELECT agent_transaction_id FROM outbox WHERE id = ?1", [voided_rejected], |r| r.get(0)).unwrap();
    fx.app.void_agent_transaction(void(voided_op, "Prueba")).unwrap();
    // Bs 2997 owed to TIGO_MONEY, 3 short of its queued limit.
    for n in 0..3 {
        let input = deposit("TIGO_MONEY", "999", Some("cliente.demo"), &format!("Q-{n}"), session);
        fx.as_(Cashier).create_agent_transaction(input).unwrap();
    }
    fx.app
        .connection()
        .execute(
            "INSERT INTO reconciliations (provider, dia, created_at, conciliadas, faltan_en_proveedor, desconocidas)
             VALUES ('TIGO_MONEY', '2025-03-10', '2025-03-10T23:00:00.000Z', 0, 0, 0)",
            [],
        )
        .unwrap();
    let reconciliation = fx.app.connection().last_insert_rowid();
    // Every handle logged in now, so no case's snapshot sees a login's audit row.
    fx.open_all_handles();
    (fx, Ids { session, acked, queued, attention_no_reversal, unknown_outcome, voided_rejected, reconciliation })
}

/// `common::case` with the ids type fixed, so the rows need no closure annotations.
fn case<T>(
    who: Who,
    name: impl Into<String>,
    code: ErrorCode,
    field: Option<&'static str>,
    call: impl Fn(&mut Mostrador, &Ids) -> CoreResult<T> + 'static,
) -> Case<Ids> {
    common::case(who, name, code, field, call)
}

fn cases() -> Vec<Case<Ids>> {
    let mut cases: Vec<Case<Ids>> = vec![
        // Who may call what.
        case(Nobody, "list_provider_connections", NoAutenticado, None, |a, _| a.list_provider_connections()),
        case(Nobody, "configure_provider", NoAutenticado, None, |a, _| a.configure_provider(bank())),
        case(Nobody, "set_provider_credentials", NoAutenticado, None, |a, _| a.set_provider_credentials(creds_for("BCP"))),
        case(Nobody, "sync_status", NoAutenticado, None, |a, _| a.sync_status()),
        case(Nobody, "list_outbox", NoAutenticado, None, |a, _| a.list_outbox(OutboxFilter::default())),
        case(Nobody, "export_outbox_csv", NoAutenticado, None, |a, _| a.export_outbox_csv(OutboxFilter::default(), "/tmp/cola.csv")),
        case(Nobody, "retry_outbound", NoAutenticado, None, |a, i| a.retry_outbound(i.queued)),
        case(Nobody, "cancel_outbound", NoAutenticado, None, |a, i| {
            a.cancel_outbound(CancelOutboundInput { id: i.queued, motivo: "x".into() })
        }),
        case(Nobody, "resolve_outbound", NoAutenticado, None, |a, i| {
            a.resolve_outbound(ResolveOutboundInput { id: i.unknown_outcome, aplicada: true, motivo: "x".into() })
        }),
        case(Nobody, "get_reconciliation", NoAutenticado, None, |a, i| a.get_reconciliation(i.reconciliation)),
        case(Nobody, "export_reconciliation_csv", NoAutenticado, None, |a, i| {
            a.export_reconciliation_csv(i.reconciliation, "/tmp/x.csv")
        }),
        case(Nobody, "reconcile_provider", NoAutenticado, None, |a, _| {
            a.require_admin("conciliar")?;
            a.check_reconcile_input(&ReconcileInput { banco: "TIGO_MONEY".into(), fecha: "2025-03-10".into(), extracto: None })
        }),
        case(Nobody, "unlock_keyring", NoAutenticado, None, |a, _| a.keyring_to_unlock().map(|_| ())),
        case(Cashier, "unlock_keyring", PermisoDenegado, None, |a, _| a.keyring_to_unlock().map(|_| ())),
        case(Cashier, "configure_provider", PermisoDenegado, None, |a, _| a.configure_provider(bank())),
        case(Cashier, "set_provider_credentials", PermisoDenegado, None, |a, _| a.set_provider_credentials(creds_for("BCP"))),
        case(Cashier, "retry_outbound", PermisoDenegado, None, |a, i| a.retry_outbound(i.queued)),
        case(Cashier, "cancel_outbound", PermisoDenegado, None, |a, i| {
            a.cancel_outbound(CancelOutboundInput { id: i.queued, motivo: "x".into() })
        }),
        case(Cashier, "resolve_outbound", PermisoDenegado, None, |a, i| {
            a.resolve_outbound(ResolveOutboundInput { id: i.unknown_outcome, aplicada: true, motivo: "x".into() })
        }),
        case(Cashier, "get_reconciliation", PermisoDenegado, None, |a, i| a.get_reconciliation(i.reconciliation)),
        case(Cashier, "reconcile_provider", PermisoDenegado, None, |a, _| a.require_admin("conciliar")),
        // configure_provider
        case(Admin, "no provider", CampoRequerido, Some("banco"), |a, _| {
            a.configure_provider(ConfigureProviderInput { banco: " ".into(), ..bank() })
        }),
        case(Admin, "unknown provider", NoEncontrado, Some("banco"), |a, _| {
            a.configure_provider(ConfigureProviderInput { banco: "NOPE".into(), ..bank() })
        }),
        case(Admin, "unknown contract", ValorInvalido, Some("contrato"), |a, _| {
            a.configure_provider(ConfigureProviderInput { contrato: "SOAP".into(), ..bank() })
        }),
        case(Admin, "no url", CampoRequerido, Some("url_base"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_base: None, ..bank() })
        }),
        case(Admin, "blank url", CampoRequerido, Some("url_base"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_base: Some("  ".into()), ..bank() })
        }),
        case(Admin, "bank sends withdrawals", ValorInvalido, Some("enviar_retiro"), |a, _| {
            a.configure_provider(ConfigureProviderInput { enviar_retiro: true, ..bank() })
        }),
        case(Admin, "bank without the store's account", CampoRequerido, Some("cuenta_tienda"), |a, _| {
            a.configure_provider(ConfigureProviderInput { cuenta_tienda: None, ..bank() })
        }),
        case(Admin, "bank without its point of service", CampoRequerido, Some("punto_codigo"), |a, _| {
            a.configure_provider(ConfigureProviderInput {
                punto_codigo: None,
                punto_nombre: None,
                punto_ciudad_id: None,
                punto_ciudad: None,
                punto_departamento: None,
                ..bank()
            })
        }),
        case(Admin, "point code with letters", ValorInvalido, Some("punto_codigo"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_codigo: Some("PDS-0001".into()), ..bank() })
        }),
        case(Admin, "point code of 16 digits", ValorInvalido, Some("punto_codigo"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_codigo: Some("1234567890123456".into()), ..bank() })
        }),
        case(Admin, "point without a name", CampoRequerido, Some("punto_nombre"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_nombre: Some("  ".into()), ..bank() })
        }),
        case(Admin, "point name too long", TextoDemasiadoLargo, Some("punto_nombre"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_nombre: Some("N".repeat(41)), ..bank() })
        }),
        case(Admin, "point name in another script", TextoInvalido, Some("punto_nombre"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_nombre: Some("Тienda 山".into()), ..bank() })
        }),
        case(Admin, "municipality code of 4 digits", ValorInvalido, Some("punto_ciudad_id"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_ciudad_id: Some("2010".into()), ..bank() })
        }),
        case(Admin, "municipality code of 7 digits", ValorInvalido, Some("punto_ciudad_id"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_ciudad_id: Some("2010511".into()), ..bank() })
        }),
        case(Admin, "no municipality code", CampoRequerido, Some("punto_ciudad_id"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_ciudad_id: None, ..bank() })
        }),
        case(Admin, "no municipality", CampoRequerido, Some("punto_ciudad"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_ciudad: None, ..bank() })
        }),
        case(Admin, "department code of 1 digit", ValorInvalido, Some("punto_departamento"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_departamento: Some("2".into()), ..bank() })
        }),
        case(Admin, "department code with a letter", ValorInvalido, Some("punto_departamento"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_departamento: Some("0A".into()), ..bank() })
        }),
        case(Admin, "a bank sending nothing, half a point", CampoRequerido, Some("punto_ciudad"), |a, _| {
            a.configure_provider(ConfigureProviderInput {
                enviar_deposito: false,
                enviar_qr: false,
                punto_ciudad: None,
                ..bank()
            })
        }),
        case(Admin, "single limit over the queued limit", ValorInvalido, Some("limite_operacion"), |a, _| {
            a.configure_provider(ConfigureProviderInput {
                limite_operacion: Some("5000".into()),
                limite_pendiente: Some("4999.99".into()),
                ..bank()
            })
        }),
        // Every connection field is checked whenever it is given.
        case(Admin, "a store account of -1 while deposits are off", ValorInvalido, Some("cuenta_tienda"), |a, _| {
            a.configure_provider(ConfigureProviderInput {
                enviar_deposito: false,
                enviar_qr: false,
                cuenta_tienda: Some("-1".into()),
                ..bank()
            })
        }),
        case(Admin, "a wallet with a store account of letters", ValorInvalido, Some("cuenta_tienda"), |a, _| {
            a.configure_provider(ConfigureProviderInput { cuenta_tienda: Some("abcdefgh".into()), ..wallet("http://127.0.0.1:9") })
        }),
        case(Admin, "a wallet with half a point of service", CampoRequerido, Some("punto_nombre"), |a, _| {
            a.configure_provider(ConfigureProviderInput { punto_codigo: Some("123".into()), ..wallet("http://127.0.0.1:9") })
        }),
        // The contract settings (V6)
        case(Admin, "bank without a token url", CampoRequerido, Some("url_token"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_token: None, ..bank() })
        }),
        case(Admin, "token url blank", CampoRequerido, Some("url_token"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_token: Some("   ".into()), ..bank() })
        }),
        case(Admin, "token url not http", ValorInvalido, Some("url_token"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_token: Some("ftp://banco.example/token".into()), ..bank() })
        }),
        case(Admin, "token url with credentials", ValorInvalido, Some("url_token"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_token: Some("https://id:clave@banco.example/token".into()), ..bank() })
        }),
        case(Admin, "token url too long", TextoDemasiadoLargo, Some("url_token"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_token: Some(format!("https://b.example/{}", "t".repeat(200))), ..bank() })
        }),
        case(Admin, "wallet with a bad token url", ValorInvalido, Some("url_token"), |a, _| {
            a.configure_provider(ConfigureProviderInput { url_token: Some("token".into()), ..wallet("http://127.0.0.1:9") })
        }),
        case(Admin, "time zone without sign", ValorInvalido, Some("zona_horaria"), |a, _| {
            a.configure_provider(ConfigureProviderInput { zona_horaria: Some("04:00".into()), ..bank() })
        }),
        case(Admin, "time zone by name", ValorInvalido, Some("zona_horaria"), |a, _| {
            a.configure_provider(ConfigureProviderInput { zona_horaria: Some("America/La_Paz".into()), ..bank() })
        }),
        case(Admin, "time zone beyond 14 hours", ValorInvalido, Some("zona_horaria"), |a, _| {
            a.configure_provider(ConfigureProviderInput { zona_horaria: Some("-15:00".into()), ..bank() })
        }),
        case(Admin, "unknown resend mode", ValorInvalido, Some("reenvio_incierto"), |a, _| {
            a.configure_provider(ConfigureProviderInput { reenvio_incierto: Some("SIEMPRE".into()), ..bank() })
        }),
        case(Admin, "deposit type form unknown", ValorInvalido, Some("tipo_deposito"), |a, _| {
            a.configure_provider(ConfigureProviderInput { tipo_deposito: Some("Reverso".into()), ..bank() })
        }),
        case(Admin, "terminal id with spaces", ValorInvalido, Some("terminal_id"), |a, _| {
            a.configure_provider(ConfigureProviderInput { terminal_id: Some("CAJA 1".into()), ..bank() })
        }),
        case(Admin, "terminal id of 21 characters", ValorInvalido, Some("terminal_id"), |a, _| {
            a.configure_provider(ConfigureProviderInput { terminal_id: Some("T".repeat(21)), ..bank() })
        }),
        case(Admin, "terminal ip not an ip", ValorInvalido, Some("ip_terminal"), |a, _| {
            a.configure_provider(ConfigureProviderInput { ip_terminal: Some("192.168.1".into()), ..bank() })
        }),
        case(Admin, "server ip a host name", ValorInvalido, Some("ip_servidor"), |a, _| {
            a.configure_provider(ConfigureProviderInput { ip_servidor: Some("servidor.local".into()), ..bank() })
        }),
        case(Admin, "modifier user with an accent", ValorInvalido, Some("usuario_modificador"), |a, _| {
            a.configure_provider(ConfigureProviderInput { usuario_modificador: Some("JOSÉ".into()), ..bank() })
        }),
        case(Admin, "modifier user of 21 characters", ValorInvalido, Some("usuario_modificador"), |a, _| {
            a.configure_provider(ConfigureProviderInput { usuario_modificador: Some("U".repeat(21)), ..bank() })
        }),
        case(Admin, "token expiry unit unknown", ValorInvalido, Some("unidad_expiracion"), |a, _| {
            a.configure_provider(ConfigureProviderInput { unidad_expiracion: Some("MINUTES".into()), ..wallet("http://127.0.0.1:9") })
        }),
        case(Admin, "balance unit unknown", ValorInvalido, Some("unidad_saldo"), |a, _| {
            a.configure_provider(ConfigureProviderInput { unidad_saldo: Some("DOLARES".into()), ..wallet("http://127.0.0.1:9") })
        }),
        case(Admin, "balance unit in lower case with a typo", ValorInvalido, Some("unidad_saldo"), |a, _| {
            a.configure_provider(ConfigureProviderInput { unidad_saldo: Some("centavo".into()), ..wallet("http://127.0.0.1:9") })
        }),
        case(Admin, "wallet concept with symbols", ValorInvalido, Some("concepto"), |a, _| {
            a.configure_provider(ConfigureProviderInput { concepto: Some("VAR;DROP".into()), ..wallet("http://127.0.0.1:9") })
        }),
        case(Admin, "wallet concept too long", ValorInvalido, Some("concepto"), |a, _| {
            a.configure_provider(ConfigureProviderInput { concepto: Some("C".repeat(41)), ..wallet("http://127.0.0.1:9") })
        }),
        case(Admin, "disconnect with calls owed", EstadoNoPermite, Some("contrato"), |a, _| {
            a.configure_provider(ConfigureProviderInput { contrato: "NINGUNO".into(), ..bank() })
        }),
        case(Admin, "another contract with calls owed", EstadoNoPermite, Some("contrato"), |a, _| {
            a.configure_provider(ConfigureProviderInput { banco: "TIGO_MONEY".into(), ..bank() })
        }),
        // set_provider_credentials
        case(Admin, "credentials: unknown provider", NoEncontrado, Some("banco"), |a, _| {
            a.set_provider_credentials(creds_for("NOPE"))
        }),
        case(Admin, "credentials: no user", CampoRequerido, Some("usuario"), |a, _| {
            a.set_provider_credentials(ProviderCredentialsInput { usuario: " ".into(), ..creds_for("SOLI") })
        }),
        case(Admin, "credentials: user too long", TextoDemasiadoLargo, Some("usuario"), |a, _| {
            a.set_provider_credentials(ProviderCredentialsInput { usuario: "u".repeat(101), ..creds_for("SOLI") })
        }),
        case(Admin, "credentials: no secret", CampoRequerido, Some("secreto"), |a, _| {
            a.set_provider_credentials(ProviderCredentialsInput { secreto: "   ".into(), ..creds_for("SOLI") })
        }),
        case(Admin, "credentials: secret too long", TextoDemasiadoLargo, Some("secreto"), |a, _| {
            a.set_provider_credentials(ProviderCredentialsInput { secreto: "s".repeat(201), ..creds_for("SOLI") })
        }),
        // export_outbox_csv: the list's filter, then the path.
        case(Admin, "outbox csv: no path", CampoRequerido, Some("ruta"), |a, _| a.export_outbox_csv(OutboxFilter::default(), "")),
        case(Admin, "outbox csv: folder that does not exist", ArchivoInvalido, Some("ruta"), |a, _| {
            a.export_outbox_csv(OutboxFilter::default(), "/no/existe/cola.csv")
        }),
        case(Admin, "outbox csv: unknown state", ValorInvalido, Some("estado"), |a, _| {
            a.export_outbox_csv(OutboxFilter { estado: Some("perdido".into()), ..Default::default() }, "/tmp/cola.csv")
        }),
        // list_outbox
        case(Cashier, "outbox: unknown state", ValorInvalido, Some("estado"), |a, _| {
            a.list_outbox(OutboxFilter { estado: Some("perdido".into()), ..Default::default() })
        }),
        case(Cashier, "outbox: unknown provider", NoEncontrado, Some("banco"), |a, _| {
            a.list_outbox(OutboxFilter { banco: Some("NOPE".into()), ..Default::default() })
        }),
        case(Cashier, "outbox: page 0", ValorInvalido, Some("page"), |a, _| {
            a.list_outbox(OutboxFilter { page: Some(0), ..Default::default() })
        }),
        case(Cashier, "outbox: size 0", ValorInvalido, Some("size"), |a, _| {
            a.list_outbox(OutboxFilter { size: Some(0), ..Default::default() })
        }),
        case(Cashier, "outbox: size 101", ValorInvalido, Some("size"), |a, _| {
            a.list_outbox(OutboxFilter { size: Some(101), ..Default::default() })
        }),
        // retry_outbound and cancel_outbound
        case(Admin, "retry: unknown id", NoEncontrado, Some("id"), |a, _| a.retry_outbound(UNKNOWN_ID)),
        case(Admin, "retry: acked", EstadoNoPermite, Some("id"), |a, i| a.retry_outbound(i.acked)),
        case(Admin, "retry: queued already", EstadoNoPermite, Some("id"), |a, i| a.retry_outbound(i.queued)),
        case(Admin, "retry: wallet has no reversal", EstadoNoPermite, Some("id"), |a, i| a.retry_outbound(i.attention_no_reversal)),
        case(Admin, "retry: call of a voided operation", EstadoNoPermite, Some("id"), |a, i| a.retry_outbound(i.voided_rejected)),
        case(Admin, "cancel: unknown id", NoEncontrado, Some("id"), |a, _| {
            a.cancel_outbound(CancelOutboundInput { id: UNKNOWN_ID, motivo: "x".into() })
        }),
        case(Admin, "cancel: no reason", CampoRequerido, Some("motivo"), |a, i| {
            a.cancel_outbound(CancelOutboundInput { id: i.queued, motivo: "  ".into() })
        }),
        case(Admin, "cancel: reason too long", TextoDemasiadoLargo, Some("motivo"), |a, i| {
            a.cancel_outbound(CancelOutboundInput { id: i.queued, motivo: "m".repeat(201) })
        }),
        case(Admin, "cancel: acked", EstadoNoPermite, Some("id"), |a, i| {
            a.cancel_outbound(CancelOutboundInput { id: i.acked, motivo: "x".into() })
        }),
        case(Admin, "cancel: may have reached the provider", EsperandoProveedor, Some("id"), |a, i| {
            a.cancel_outbound(CancelOutboundInput { id: i.unknown_outcome, motivo: "x".into() })
        }),
        // resolve_outbound
        case(Admin, "resolve: unknown id", NoEncontrado, Some("id"), |a, _| {
            a.resolve_outbound(ResolveOutboundInput { id: UNKNOWN_ID, aplicada: true, motivo: "extracto".into() })
        }),
        case(Admin, "resolve: no reason", CampoRequerido, Some("motivo"), |a, i| {
            a.resolve_outbound(ResolveOutboundInput { id: i.unknown_outcome, aplicada: true, motivo: " ".into() })
        }),
        case(Admin, "resolve: outcome known", EstadoNoPermite, Some("id"), |a, i| {
            a.resolve_outbound(ResolveOutboundInput { id: i.queued, aplicada: false, motivo: "extracto".into() })
        }),
        case(Admin, "resolve: acked", EstadoNoPermite, Some("id"), |a, i| {
            a.resolve_outbound(ResolveOutboundInput { id: i.acked, aplicada: true, motivo: "extracto".into() })
        }),
        // Reconciliation reports
        case(Admin, "reconciliation: unknown id", NoEncontrado, Some("id"), |a, _| a.get_reconciliation(UNKNOWN_ID)),
        case(Admin, "csv: no path", CampoRequerido, Some("ruta"), |a, i| a.export_reconciliation_csv(i.reconciliation, " ")),
        case(Admin, "csv: folder that does not exist", ArchivoInvalido, Some("ruta"), |a, i| {
            a.export_reconciliation_csv(i.reconciliation, "/no/existe/conciliacion.csv")
        }),
        case(Admin, "reconcile: unknown provider", NoEncontrado, Some("banco"), |a, _| {
            a.check_reconcile_input(&ReconcileInput { banco: "NOPE".into(), fecha: "2025-03-10".into(), extracto: None })
        }),
        case(Admin, "reconcile: no date", CampoRequerido, Some("fecha"), |a, _| {
            a.check_reconcile_input(&ReconcileInput { banco: "TIGO_MONEY".into(), fecha: " ".into(), extracto: None })
        }),
        case(Admin, "reconcile: bank has no list", ConciliacionNoDisponible, Some("banco"), |a, _| {
            a.check_reconcile_input(&ReconcileInput { banco: "BCP".into(), fecha: "2025-03-10".into(), extracto: None })
        }),
        case(Admin, "reconcile: record-only provider", ConciliacionNoDisponible, Some("banco"), |a, _| {
            a.check_reconcile_input(&ReconcileInput { banco: "SOLI".into(), fecha: "2025-03-10".into(), extracto: None })
        }),
        // Reconciling against a statement.
        case(Nobody, "reconcile statement", NoAutenticado, None, |a, _| a.reconcile_statement(statement("BCP", "123456,10"))),
        case(Cashier, "reconcile statement", PermisoDenegado, None, |a, _| a.reconcile_statement(statement("BCP", "123456,10"))),
        case(Admin, "statement: empty", CampoRequerido, Some("extracto"), |a, _| a.reconcile_statement(statement("BCP", " \n "))),
        case(Admin, "statement: none", CampoRequerido, Some("extracto"), |a, _| {
            a.reconcile_statement(ReconcileInput { extracto: None, ..statement("BCP", "") })
        }),
        case(Admin, "statement: bad amount", ValorInvalido, Some("extracto"), |a, _| {
            a.reconcile_statement(statement("BCP", "referencia,monto\n123456,10\n654321,diez"))
        }),
        case(Admin, "statement: negative amount", ValorInvalido, Some("extracto"), |a, _| {
            a.reconcile_statement(statement("BCP", "123456,10\n654321,-5"))
        }),
        case(Admin, "statement: no reference", ValorInvalido, Some("extracto"), |a, _| {
            a.reconcile_statement(statement("BCP", "123456,10\n,5"))
        }),
        case(Admin, "statement: too big", TextoDemasiadoLargo, Some("extracto"), |a, _| {
            a.reconcile_statement(statement("BCP", &"123456,10\n".repeat(250_000)))
        }),
        case(Admin, "statement: bad date", ValorInvalido, Some("fecha"), |a, _| {
            a.reconcile_statement(ReconcileInput { fecha: "10/03/2025".into(), ..statement("BCP", "123456,10") })
        }),
        // What a connected provider asks of an agent transaction.
        case(Cashier, "deposit without the customer's account", CampoRequerido, Some("cuenta_cliente"), |a, i| {
            a.create_agent_transaction(deposit("TIGO_MONEY", "10", None, "N-1", i.session))
        }),
        case(Cashier, "account too long", TextoDemasiadoLargo, Some("cuenta_cliente"), |a, i| {
            a.create_agent_transaction(deposit("TIGO_MONEY", "10", Some(&"1".repeat(41)), "N-1", i.session))
        }),
        case(Cashier, "over the single offline limit", LimiteFueraDeLinea, Some("monto"), |a, i| {
            a.create_agent_transaction(deposit("TIGO_MONEY", "1000.01", Some("cliente.demo"), "N-1", i.session))
        }),
        // Bs 2997 is owed to TIGO_MONEY (Q-0..2; A-1 is acked, A-4 voided): Bs 3.01 more passes its limit.
        case(Cashier, "over the queued offline limit", LimiteFueraDeLinea, Some("monto"), |a, i| {
            a.create_agent_transaction(deposit("TIGO_MONEY", "3.01", Some("cliente.demo"), "N-1", i.session))
        }),
    ];
    for url in [
        "ftp://banco.example",
        "no es una dirección",
        "http://",
        "127.0.0.1:8765",
        "file:///etc/passwd",
        "https://usuario:clave@banco.example",
        "https://usuario@banco.example",
    ] {
        cases.push(case(Admin, format!("url {url:?}"), ValorInvalido, Some("url_base"), move |a, _| {
            a.configure_provider(ConfigureProviderInput { url_base: Some(url.into()), ..bank() })
        }));
    }
    // Clear-text http only to this machine: money and credentials never cross a network
    // unencrypted.
    for url in NOT_LOOPBACK_HTTP {
        cases.push(case(Admin, format!("url in clear text to {url:?}"), ValorInvalido, Some("url_base"), move |a, _| {
            a.configure_provider(ConfigureProviderInput { url_base: Some(url.into()), ..bank() })
        }));
        cases.push(case(Admin, format!("wallet url in clear text to {url:?}"), ValorInvalido, Some("url_base"), move |a, _| {
            a.configure_provider(wallet(url))
        }));
        cases.push(case(Admin, format!("token url in clear text to {url:?}"), ValorInvalido, Some("url_token"), move |a, _| {
            a.configure_provider(ConfigureProviderInput { url_token: Some(format!("{url}/oauth/token")), ..bank() })
        }));
    }
    for (account, code) in [("12ab5678", ValorInvalido), ("12345", ValorInvalido), ("123456789012345678901", TextoDemasiadoLargo)] {
        cases.push(case(Admin, format!("store account {account:?}"), code, Some("cuenta_tienda"), move |a, _| {
            a.configure_provider(ConfigureProviderInput { cuenta_tienda: Some(account.into()), ..bank() })
        }));
    }
    for (amount, code) in bad_amounts(false).into_iter().filter(|(a, _)| !a.trim().is_empty()) {
        for field in ["limite_operacion", "limite_pendiente"] {
            let amount_for = amount.clone();
            cases.push(case(Admin, format!("{field} {amount:?}"), code, Some(field), move |a, _| {
                let mut input = bank();
                if field == "limite_operacion" {
                    input.limite_operacion = Some(amount_for.clone());
                } else {
                    input.limite_pendiente = Some(amount_for.clone());
                }
                a.configure_provider(input)
            }));
        }
    }
    for account in ["123", "0000003100000000000123X", "cuenta con espacios", "12345678901234567890123", "ñandú.01"] {
        cases.push(case(Cashier, format!("wallet account {account:?}"), ValorInvalido, Some("cuenta_cliente"), move |a, i| {
            a.create_agent_transaction(deposit("TIGO_MONEY", "10", Some(account), "N-2", i.session))
        }));
    }
    // The wallet's cashout sends the customer's CUIT (seeds/002 `"cuit": string`).
    // The wallet lookup's assumptions: whole days 1..=3650, whole seconds 1..=86400,
    // checked on a bank's connection too.
    let lookup_settings = [
        ("dias_lista_confiable", "0"),
        ("dias_lista_confiable", "3651"),
        ("dias_lista_confiable", "treinta"),
        ("dias_lista_confiable", "30.5"),
        ("segundos_espera_consulta", "0"),
        ("segundos_espera_consulta", "-300"),
        ("segundos_espera_consulta", "86401"),
        ("segundos_espera_consulta", "5 min"),
    ];
    for (field, typed) in lookup_settings {
        for on_bank in [false, true] {
            cases.push(case(Admin, format!("{field} {typed:?} (bank: {on_bank})"), ValorInvalido, Some(field), move |a, _| {
                let input = if on_bank { bank() } else { wallet("http://127.0.0.1:9") };
                let input = match field {
                    "dias_lista_confiable" => ConfigureProviderInput { dias_lista_confiable: Some(typed.into()), ..input },
                    _ => ConfigureProviderInput { segundos_espera_consulta: Some(typed.into()), ..input },
                };
                a.configure_provider(input)
            }));
        }
    }
    cases.push(case(Cashier, "wallet deposit without the customer's CUIT", CampoRequerido, Some("cuit_cliente"), |a, i| {
        let input = NewAgentTransaction { cuit_cliente: None, ..deposit("TIGO_MONEY", "10", Some("cliente.demo"), "N-4", i.session) };
        a.create_agent_transaction(input)
    }));
    for (cuit, code) in [
        ("2030405060", ValorInvalido),
        ("203040506071", ValorInvalido),
        ("20-3040506A-7", ValorInvalido),
        ("20 304 050 607 000 000 0", TextoDemasiadoLargo),
    ] {
        // Checked whenever given, also on an operation that does not send it.
        for banco in ["TIGO_MONEY", "BCP"] {
            let account = if banco == "BCP" { "20000000001" } else { "cliente.demo" };
            cases.push(case(Cashier, format!("{banco} CUIT {cuit:?}"), code, Some("cuit_cliente"), move |a, i| {
                let input = NewAgentTransaction { cuit_cliente: Some(cuit.into()), ..deposit(banco, "10", Some(account), "N-5", i.session) };
                a.create_agent_transaction(input)
            }));
        }
    }
    // The cashout's concept has no documented default: a wallet sent cashouts needs one.
    cases.push(case(Admin, "wallet sending cashouts without a concept", CampoRequerido, Some("concepto"), |a, _| {
        a.configure_provider(ConfigureProviderInput { concepto: None, ..wallet("http://127.0.0.1:9") })
    }));
    for account in ["cliente.demo", "12345", "2000000000A"] {
        cases.push(case(Cashier, format!("bank account {account:?}"), ValorInvalido, Some("cuenta_cliente"), move |a, i| {
            a.create_agent_transaction(deposit("BCP", "10", Some(account), "N-3", i.session))
        }));
    }
    cases
}

/// `http://` URLs whose host is not loopback (127.0.0.0/8, `localhost`, `[::1]`).
const NOT_LOOPBACK_HTTP: [&str; 7] = [
    "http://banco.example",
    "http://10.0.0.5:8080",
    "http://192.168.1.20",
    "http://[2001:db8::1]:8080",
    "http://[::ffff:10.0.0.1]",
    "http://localhost.banco.example",
    "http://127.0.0.1.nip.io",
];

#[test]
fn every_sync_command_refuses_bad_input_and_writes_nothing() {
    let (mut fx, ids) = setup();
    let all = cases();
    let failures = run_bad_input_table(&mut fx, &all, &ids);
    assert!(all.len() > 80, "the table lost cases: {}", all.len());
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), all.len(), failures.join("\n"));
    // Refused credentials never reached the keyring.
    let app: &Mostrador = &fx.app;
    for banco in ["SOLI", "BCP", "TIGO_MONEY"] {
        let key = mostrador::sync::credential_key(app.connection(), banco).unwrap();
        assert_eq!(app.secrets().get(&key).unwrap(), None, "{banco} has credentials after refusals");
    }
    assert!(!std::path::Path::new("/no/existe/conciliacion.csv").exists());
    let exposed: Vec<&str> = mostrador::commands::signatures(&ts_rs::Config::new()).iter().map(|s| s.name).collect();
    for name in COMMANDS {
        assert!(exposed.contains(&name), "{name} is not a command");
        assert!(all.iter().any(|c| c.who == Nobody && c.name == name), "no case for {name} without a login");
    }
}

/// The commands this file covers (`sync_now` has no input but its channel).
const COMMANDS: [&str; 12] = [
    "export_outbox_csv",
    "unlock_keyring",
    "list_provider_connections",
    "configure_provider",
    "set_provider_credentials",
    "sync_status",
    "list_outbox",
    "retry_outbound",
    "cancel_outbound",
    "get_reconciliation",
    "export_reconciliation_csv",
    "reconcile_provider",
];

#[test]
fn accepted_settings_and_credentials_read_back_without_the_secret() {
    let (mut fx, _) = setup();
    let soli = fx
        .app
        .configure_provider(ConfigureProviderInput {
            banco: " soli ".into(),
            limite_operacion: None,
            limite_pendiente: None,
            ..wallet("https://api.soli.example/")
        })
        .unwrap();
    assert_eq!(soli.banco, "SOLI");
    assert_eq!((soli.limite_operacion, soli.limite_pendiente), (mostrador::service::DEFAULT_LIMIT_SINGLE, mostrador::service::DEFAULT_LIMIT_QUEUED));
    assert_eq!(soli.credenciales, EstadoCredenciales::Faltan);
    let saved = fx.app.set_provider_credentials(creds_for("SOLI")).unwrap();
    assert_eq!(saved.credenciales, EstadoCredenciales::Guardadas);
    let wire = serde_json::to_string(&fx.app.list_provider_connections().unwrap()).unwrap();
    assert!(!wire.contains("secreto-1"));
    // Record-only again once nothing is owed.
    let none = fx.app.configure_provider(ConfigureProviderInput { banco: "SOLI".into(), contrato: "NINGUNO".into(), ..Default::default() }).unwrap();
    assert_eq!(none.contrato, None);
}

#[test]
fn http_to_a_loopback_host_is_accepted_for_the_service_and_the_token() {
    let (mut fx, _) = setup();
    for url in ["http://127.0.0.1:9", "http://127.1.2.3:8080", "http://localhost:8765", "http://LOCALHOST", "http://[::1]:8765"] {
        let saved = fx
            .app
            .configure_provider(ConfigureProviderInput {
                url_base: Some(url.into()),
                url_token: Some(format!("{url}/oauth/token")),
                ..bank()
            })
            .unwrap_or_else(|e| panic!("{url} refused: {}", e.message));
        assert_eq!(saved.url_base.as_deref(), Some(url));
        let wallet = fx.app.configure_provider(wallet(url)).unwrap_or_else(|e| panic!("wallet {url} refused: {}", e.message));
        assert_eq!(wallet.url_base.as_deref(), Some(url));
    }
    // And https anywhere.
    let remote = fx
        .app
        .configure_provider(ConfigureProviderInput {
            url_base: Some("https://api.banco.example".into()),
            url_token: Some("https://auth.banco.example/oauth/token".into()),
            ..bank()
        })
        .unwrap();
    assert_eq!(remote.url_base.as_deref(), Some("https://api.banco.example"));
}

#[test]
fn a_clear_text_url_to_another_host_is_refused_naming_https() {
    let (mut fx, _) = setup();
    let err = fx.app.configure_provider(wallet("http://banco.example")).unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ValorInvalido, Some("url_base")));
    assert!(err.message.contains("https://"), "{}", err.message);
}
