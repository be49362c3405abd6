//! The UI's TypeScript types are generated from the Rust types. This test fails when
//! ui/src/bindings.ts is stale; `UPDATE_BINDINGS=1 cargo test --test bindings` rewrites it.
//! It also checks that every command is in build.rs's list and in the main window's
//! capability, so no command is callable by accident and none is missing, and that the
//! counter rules the UI reads (`counter_rules`) are the ones the core applies.

mod common;

use std::path::PathBuf;

use common::*;
use mostrador::commands::signatures;
use mostrador::domain::*;
use ts_rs::{Config, TS};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

macro_rules! declarations {
    ($cfg:expr; $($ty:ty),* $(,)?) => {
        vec![$(format!("export {}", <$ty as TS>::decl($cfg))),*]
    };
}

fn render() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by tests/bindings.rs; do not edit by hand.\n\
         // Regenerate with: UPDATE_BINDINGS=1 cargo test --test bindings\n\n\
         import type { Channel } from \"@tauri-apps/api/core\";\n\n",
    );
    let decls = declarations!(&cfg;
        Money, ErrorCode, CoreError, Role, Specialty, SessionStatus, MovementKind, MovementReason, CloseResult,
        Denomination, ReportKind, Operator, SetupStatus, NewOperator, Credentials, FirstAdmin, ResetPinInput, ChangePinInput,
        ChangeRoleInput, RecoverAdminInput, RecoveryOutcome, Register, NewRegister,
        OpenSessionInput, CashSession, CashMovementInput, CashMovement, SessionBalance, DenominationCount,
        CloseSessionInput, CloseOutcome, MovementTotal, OperatorTotal, CountLine, SessionReport,
        SessionFilter, Settings, SettingsInput, StoreProfile, StoreProfileInput, IntegrityReport,
        BackupSummary, SystemHealth, StartupCheck,
        TipoOperacion, Carrier, MetodoPago, MovimientoFondo, Provider, NewProvider, ProviderFloatInput,
        NewAgentTransaction, TransaccionAgente, AgentFilter, Page<()>, VoidInput, SettlementInput, SettledLine,
        UnmatchedLine, SettlementReport, OperadoraSaldo, NewTopup, RecargaCliente, NewInjection, InyeccionOperadora,
        CarrierBonusInput, RecargaFilter, NewPago, UpdatePago, Pago, PagoFilter, AgentTotal, CarrierTotal, PaymentTotal,
        Contrato, LlamadaApi, EstadoEnvio, EstadoConciliacion, AlmacenCredenciales, EstadoCredenciales, ProviderConnection, PuntoServicio, AjustesContrato, TipoDeposito, ReenvioIncierto, UnidadExpiracion, UnidadSaldo,
        ConfigureProviderInput, ProviderCredentialsInput, OutboundItem, OutboxFilter, CancelOutboundInput, ResolveOutboundInput, ProviderLink,
        SyncStatus, SyncProgress, ReconcileInput, ReconciliationLine, ReconciliationReport,
        DrawerEffect, DenominationRule, AgentRule, CounterRules,
        Respaldo, BackupSettings, BackupSettingsInput, BackupOverview, BackupNowInput, RestoreInput, RestoreDamagedInput, RestoreOutcome,
        Identidad, TipoComision, Redondeo, MomentoSaldo, ProviderLimit, ProviderLimitInput, ClienteIdentidad, TariffBand,
        Tariff, TariffBandInput, TariffInput, AgentQuote, AgentQuoteInput, ClienteResumen, CustomerSearch, CustomerRef,
        CommissionDifference, BalanceCheck, CustomerOperation, TipoRegla, RuleChange,
        TipoImpresora, AnchoPapel, PrinterSettings, PrinterSettingsInput, TipoComprobante, PrintReceiptInput, PrintOutcome,
        AuditEntry, AuditFilter,
        Language, EstadoLlamada, LlamadaDeOperacion, ProviderSyncTotal, HourActivity,
    );
    for decl in decls {
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.push_str("/** Every Tauri command: its arguments and what it resolves to. */\nexport interface Commands {\n");
    for sig in signatures(&cfg) {
        let args: Vec<String> = sig.args.iter().map(|(name, ty)| format!("{name}: {ty}")).collect();
        out.push_str(&format!("  {}: {{ args: {{ {} }}; result: {} }};\n", sig.name, args.join("; "), sig.result));
    }
    out.push_str("}\n");
    out
}

#[test]
fn typescript_bindings_are_current() {
    let path = root().join("ui/src/bindings.ts");
    let expected = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write bindings");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test --test bindings` and commit it"
    );
}

#[test]
fn every_command_is_declared_and_granted_to_the_main_window() {
    let names: Vec<&str> = signatures(&Config::new()).iter().map(|s| s.name).collect();
    let build_rs = std::fs::read_to_string(root().join("src-tauri/build.rs")).unwrap();
    let capability: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("src-tauri/capabilities/main-window.json")).unwrap(),
    )
    .unwrap();
    let granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = names.iter().map(|n| format!("allow-{}", n.replace('_', "-"))).collect();
    // Besides its own commands, the window may only open a file picker (voucher images)
    // and a save dialog (reconciliation CSV).
    expected.push("dialog:allow-open".to_string());
    expected.push("dialog:allow-save".to_string());
    // And hear the window's close request, to warn about unconfirmed calls before closing.
    expected.push("core:event:allow-listen".to_string());
    expected.push("core:event:allow-unlisten".to_string());
    expected.push("core:window:allow-destroy".to_string());
    assert_eq!(granted, expected, "the capability must grant exactly this app's commands and the file dialogs");
    for name in &names {
        assert!(build_rs.contains(&format!("\"{name}\"")), "{name} missing from build.rs COMMANDS");
    }
    assert_eq!(build_rs.matches("    \"").count(), names.len(), "build.rs lists a command that does not exist");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
}

#[test]
fn errors_reach_the_ui_as_code_message_field() {
    let err = CoreError::new(ErrorCode::MontoInvalido, "amount", "El campo «monto» debe ser un número.");
    assert_eq!(
        serde_json::to_value(&err).unwrap(),
        serde_json::json!({"code": "MONTO_INVALIDO", "message": "El campo «monto» debe ser un número.", "field": "amount"})
    );
    let general = CoreError::not_logged_in();
    assert_eq!(serde_json::to_value(&general).unwrap()["code"], "NO_AUTENTICADO");
    assert!(serde_json::to_value(&general).unwrap()["field"].is_null());
}

#[test]
fn counter_rules_hand_the_ui_the_denominations_and_agent_rules_of_the_core() {
    let rules = counter_rules();
    let denominations: Vec<(&str, i64, bool)> =
        rules.denominations.iter().map(|d| (d.code.as_str(), d.value.centavos(), d.coin)).collect();
    assert_eq!(
        denominations,
        vec![
            ("B200", 20_000, false),
            ("B100", 10_000, false),
            ("B50", 5_000, false),
            ("B20", 2_000, false),
            ("B10", 1_000, false),
            ("M5", 500, true),
            ("M2", 200, true),
            ("M1", 100, true),
            ("M0_50", 50, true),
            ("M0_20", 20, true),
            ("M0_10", 10, true),
        ],
        "every denomination, largest first"
    );
    assert_eq!(rules.denominations.iter().map(|d| d.code).collect::<Vec<_>>(), Denomination::ALL);
    assert!(rules.denominations.iter().all(|d| d.value == d.code.value()));
    assert_eq!(rules.import_max_bytes, mostrador::sync::reconcile::STATEMENT_MAX_BYTES);
    // What the UI receives: Money as a decimal string, the signs as numbers.
    let json = serde_json::to_value(&rules).unwrap();
    assert_eq!(json["denominations"][8], serde_json::json!({"code": "M0_50", "value": "0.50", "coin": true}));
    assert_eq!(
        json["agent"],
        serde_json::json!([
            {"tipo": "DEPOSITO", "caja": {"monto": 1, "comision": 1}, "saldo_proveedor": -1},
            {"tipo": "RETIRO", "caja": {"monto": -1, "comision": 1}, "saldo_proveedor": 1},
            {"tipo": "TRANSFERENCIA_QR", "caja": {"monto": 1, "comision": 1}, "saldo_proveedor": -1},
        ])
    );
    assert_eq!(json["import_max_bytes"], 2_000_000);
}

#[test]
fn each_agent_operation_moves_the_drawer_and_the_float_as_counter_rules_say() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("BCP", "1000")).unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Who::Cashier).open_session(open(register, "500")).unwrap().id;
    let float = "provider_float:BCP";
    for (i, rule) in counter_rules().agent.iter().enumerate() {
        let (drawer_before, float_before) = (fx.drawer(session), fx.balance_of(float));
        let input = agent_c("BCP", rule.tipo.as_str(), "200", "3", &format!("R-{i}"), session);
        fx.as_(Who::Cashier).create_agent_transaction(input).unwrap();
        let expected = rule.caja.change(Money::from_centavos(20_000), Money::from_centavos(300)).unwrap();
        assert_eq!(fx.drawer(session) - drawer_before, expected.centavos(), "drawer after a {:?}", rule.tipo);
        assert_eq!(fx.balance_of(float) - float_before, i64::from(rule.saldo_proveedor) * 20_000, "float after a {:?}", rule.tipo);
    }
}

#[test]
fn the_import_limit_is_the_one_the_statement_imports_enforce() {
    let limit = counter_rules().import_max_bytes;
    // One line of data, padded with blanks (skipped) to exactly the limit, then one byte more.
    let padded = |line: &str, extra: usize| format!("{line}{}", " ".repeat(limit - line.len() + extra));
    let mut fx = Fixture::new();
    let at_limit = fx.app.settle_bank_commissions(settlement("BCP", &padded("NADA,1.00\n", 0), false)).unwrap();
    assert_eq!(at_limit.sin_coincidencia.len(), 1, "a statement of exactly the limit is read");
    let over = fx.app.settle_bank_commissions(settlement("BCP", &padded("NADA,1.00\n", 1), false));
    assert_error(&expect_err(over, "commission statement"), ErrorCode::TextoDemasiadoLargo, Some("csv"), "one byte over");

    use mostrador::sync::reconcile::parse_statement;
    assert_eq!(parse_statement(&padded("REF-1,1.00\n", 0)).unwrap().len(), 1);
    let over = parse_statement(&padded("REF-1,1.00\n", 1)).map(|_| ());
    assert_error(&expect_err(over, "provider statement"), ErrorCode::TextoDemasiadoLargo, Some("extracto"), "one byte over");
}
