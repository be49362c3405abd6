//! The UI's TypeScript types are generated from the Rust types. This test fails when
//! ui/src/bindings.ts is stale; `UPDATE_BINDINGS=1 cargo test --test bindings` rewrites it.
//! It also checks that every command is in build.rs's list and in the main window's
//! capability, so no command is callable by accident and none is missing.

use std::path::PathBuf;

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
        Denomination, ReportKind, Operator, SetupStatus, NewOperator, Credentials, Register, NewRegister,
        OpenSessionInput, CashSession, CashMovementInput, CashMovement, SessionBalance, DenominationCount,
        CloseSessionInput, CloseOutcome, MovementTotal, OperatorTotal, CountLine, SessionReport,
        SessionFilter, Settings, SettingsInput, StoreProfile, StoreProfileInput, IntegrityReport,
        TipoOperacion, Carrier, MetodoPago, MovimientoFondo, Provider, NewProvider, ProviderFloatInput,
        NewAgentTransaction, TransaccionAgente, AgentFilter, Page<()>, VoidInput, SettlementInput, SettledLine,
        UnmatchedLine, SettlementReport, OperadoraSaldo, NewTopup, RecargaCliente, NewInjection, InyeccionOperadora,
        CarrierBonusInput, RecargaFilter, NewPago, UpdatePago, Pago, PagoFilter, AgentTotal, CarrierTotal, PaymentTotal,
        Contrato, LlamadaApi, EstadoEnvio, EstadoConciliacion, AlmacenCredenciales, ProviderConnection, PuntoServicio,
        ConfigureProviderInput, ProviderCredentialsInput, OutboundItem, OutboxFilter, CancelOutboundInput, ProviderLink,
        SyncStatus, SyncProgress, ReconcileInput, ReconciliationLine, ReconciliationReport,
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
