//! Records and inputs that cross the command boundary. TypeScript types for all of them
//! are generated into ui/src/bindings (see tests/bindings.rs); never write them by hand.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::money::Money;
use super::wire::wire_enum;

wire_enum!(
    /// What an operator may do. Checked in the core for every command.
    Role { Cajero => "cajero", Administrador => "administrador" }
);

wire_enum!(
    /// Which operations a register (caja) is for.
    Specialty { SoloVentas => "SOLO_VENTAS", SoloAgentes => "SOLO_AGENTES", Mixta => "MIXTA" }
);

wire_enum!(SessionStatus { Abierta => "ABIERTA", Cerrada => "CERRADA" });

wire_enum!(MovementKind { Ingreso => "INGRESO", Egreso => "EGRESO" });

wire_enum!(
    /// Typed reason of a cash movement; each belongs to one kind.
    MovementReason {
        ReposicionCambio => "REPOSICION_CAMBIO",
        AporteDueno => "APORTE_DUENO",
        OtroIngreso => "OTRO_INGRESO",
        PagoProveedor => "PAGO_PROVEEDOR",
        GastoOperativo => "GASTO_OPERATIVO",
        RetiroDueno => "RETIRO_DUENO",
        DepositoBancario => "DEPOSITO_BANCARIO",
        OtroEgreso => "OTRO_EGRESO",
    }
);

impl MovementReason {
    pub fn kind(self) -> MovementKind {
        use MovementReason::*;
        match self {
            ReposicionCambio | AporteDueno | OtroIngreso => MovementKind::Ingreso,
            PagoProveedor | GastoOperativo | RetiroDueno | DepositoBancario | OtroEgreso => {
                MovementKind::Egreso
            }
        }
    }
}

wire_enum!(CloseResult { Cuadrado => "CUADRADO", Sobrante => "SOBRANTE", Faltante => "FALTANTE" });

wire_enum!(
    /// Bolivian notes and coins counted at a blind close.
    Denomination {
        B200 => "B200", B100 => "B100", B50 => "B50", B20 => "B20", B10 => "B10",
        M5 => "M5", M2 => "M2", M1 => "M1", M050 => "M0_50", M020 => "M0_20", M010 => "M0_10",
    }
);

impl Denomination {
    pub fn value(self) -> Money {
        use Denomination::*;
        Money::from_centavos(match self {
            B200 => 20_000,
            B100 => 10_000,
            B50 => 5_000,
            B20 => 2_000,
            B10 => 1_000,
            M5 => 500,
            M2 => 200,
            M1 => 100,
            M050 => 50,
            M020 => 20,
            M010 => 10,
        })
    }
}

wire_enum!(ReportKind { X => "X", Z => "Z" });

wire_enum!(
    /// The language an operator reads the counter in: Spanish (es-BO, the default) or English.
    Language { Es => "es", En => "en" }
);

impl Default for Language {
    fn default() -> Self {
        Language::Es
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Operator {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// Locked by failed PINs right now (only the administrators' list fills it in).
    #[serde(default)]
    pub locked: bool,
    /// The language this operator chose; remembered across logins.
    #[serde(default)]
    pub language: Language,
}

/// The first administrator and the store's recovery code, shown this once: with it the
/// owner can give an administrator a new PIN when every administrator's PIN is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FirstAdmin {
    pub operator: Operator,
    pub recovery_code: String,
}

/// An administrator gives another operator a new PIN.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ResetPinInput {
    pub operator_id: i64,
    pub new_pin: String,
}

/// An operator changes their own PIN, proving the current one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ChangePinInput {
    pub current_pin: String,
    pub new_pin: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ChangeRoleInput {
    pub operator_id: i64,
    /// One of "cajero" / "administrador"; checked by the core.
    #[ts(as = "Role")]
    pub role: String,
}

/// The owner, with the recovery code, gives an administrator a new PIN (no one logged in).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct RecoverAdminInput {
    pub name: String,
    pub recovery_code: String,
    pub new_pin: String,
}

/// The administrator whose PIN was reset and the store's new recovery code (the one used
/// is spent), shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecoveryOutcome {
    pub operator: Operator,
    pub recovery_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetupStatus {
    /// True until the first administrator has been created.
    pub needs_first_admin: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NewOperator {
    pub name: String,
    /// One of "cajero" / "administrador"; checked by the core.
    #[ts(as = "Role")]
    pub role: String,
    pub pin: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct Credentials {
    pub name: String,
    pub pin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Register {
    pub id: i64,
    pub name: String,
    pub specialty: Specialty,
    /// Cash kept for this register since its last counted close.
    pub vault_balance: Money,
    /// The session open on it, if any.
    pub open_session_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NewRegister {
    pub name: String,
    #[ts(as = "Specialty")]
    pub specialty: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct OpenSessionInput {
    pub register_id: i64,
    /// The float the cashier declares to have in the drawer, e.g. "500.00".
    pub opening_float: String,
    /// An administrator's name and PIN, needed when a cashier's declared float differs
    /// from the register's vault by more than the close threshold.
    #[ts(optional)]
    #[serde(default)]
    pub authorization: Option<Credentials>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashSession {
    pub id: i64,
    pub register_id: i64,
    pub register_name: String,
    pub operator_id: i64,
    pub operator_name: String,
    pub status: SessionStatus,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub opening_float: Money,
    /// Declared float minus what the vault held: positive adds cash, negative is a shortfall.
    pub opening_adjustment: Money,
    pub counted: Option<Money>,
    pub expected: Option<Money>,
    pub difference: Option<Money>,
    pub result: Option<CloseResult>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CashMovementInput {
    pub session_id: i64,
    #[ts(as = "MovementKind")]
    pub kind: String,
    #[ts(as = "MovementReason")]
    pub reason: String,
    pub amount: String,
    #[ts(optional)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashMovement {
    pub id: i64,
    pub session_id: i64,
    pub kind: MovementKind,
    pub reason: MovementReason,
    pub amount: Money,
    pub note: Option<String>,
    pub operator_id: i64,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionBalance {
    pub session_id: i64,
    /// The drawer account's balance: what should be in the drawer now. `None` for a
    /// cashier while the blind-close policy hides it (until the count is submitted).
    pub balance: Option<Money>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct DenominationCount {
    #[ts(as = "Denomination")]
    pub denomination: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CloseSessionInput {
    pub session_id: i64,
    pub counts: Vec<DenominationCount>,
    #[ts(optional)]
    pub note: Option<String>,
    /// Needed when the difference is above the configured threshold.
    #[ts(optional)]
    pub authorization: Option<Credentials>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CloseOutcome {
    pub session: CashSession,
    pub counted: Money,
    pub expected: Money,
    pub difference: Money,
    pub result: CloseResult,
    pub authorized_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MovementTotal {
    pub kind: MovementKind,
    pub reason: MovementReason,
    pub count: i64,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OperatorTotal {
    pub operator_id: i64,
    pub operator_name: String,
    pub count: i64,
    pub ingresos: Money,
    pub egresos: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CountLine {
    pub denomination: Denomination,
    pub quantity: i64,
    pub subtotal: Money,
}

/// X report while the session is open, Z report once it is closed: a pure read of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionReport {
    pub kind: ReportKind,
    pub session: CashSession,
    pub opening_float: Money,
    pub opening_adjustment: Money,
    pub movements: Vec<MovementTotal>,
    pub total_ingresos: Money,
    pub total_egresos: Money,
    pub by_operator: Vec<OperatorTotal>,
    /// Theoretical drawer balance (for a Z report: just before the close). `None` on a
    /// cashier's X report while the blind-close policy hides it.
    pub expected: Option<Money>,
    pub counted: Option<Money>,
    pub difference: Option<Money>,
    pub result: Option<CloseResult>,
    pub count_lines: Vec<CountLine>,
    pub agentes: Vec<super::operations::AgentTotal>,
    pub comision_cliente: Money,
    pub comision_banco: Money,
    pub recargas: Vec<super::operations::CarrierTotal>,
    pub pagos: Vec<super::operations::PaymentTotal>,
    /// Operations of the session voided so far (agent transactions, top-ups, injections, payments).
    pub anulaciones: i64,
    /// The session's calls to each provider by state: what has reached them and what not.
    pub sync: Vec<super::operations::ProviderSyncTotal>,
    /// Operations of the session by the store's hour, for the chart of the day.
    pub actividad: Vec<super::operations::HourActivity>,
    /// Each connected wallet's last balance check while the session was open: the store's
    /// float against the wallet's own balance, and their difference.
    pub saldos_billeteras: Vec<super::BalanceCheck>,
    pub generated_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct SessionFilter {
    #[ts(optional)]
    pub register_id: Option<i64>,
    #[ts(optional)]
    pub operator_id: Option<i64>,
    #[ts(optional, as = "Option<SessionStatus>")]
    pub status: Option<String>,
    /// Inclusive, YYYY-MM-DD, on the opening date.
    #[ts(optional)]
    pub from_date: Option<String>,
    #[ts(optional)]
    pub to_date: Option<String>,
    #[ts(optional)]
    pub page: Option<i64>,
    #[ts(optional)]
    pub size: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    /// A close whose difference is larger than this needs an administrator's PIN.
    pub close_difference_threshold: Money,
    /// Minutes without a command before the operator must log in again; 0 = never.
    pub idle_logout_minutes: i64,
    /// A cashier does not see the drawer's expected cash until the count is submitted.
    pub blind_close: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct SettingsInput {
    pub close_difference_threshold: String,
    /// Whole minutes, 0 (never) to 480; absent leaves it as it is.
    #[serde(default)]
    #[ts(optional)]
    pub idle_logout_minutes: Option<String>,
    /// Absent leaves the blind-close policy as it is.
    #[serde(default)]
    #[ts(optional)]
    pub blind_close: Option<bool>,
}

/// The store as its receipts name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StoreProfile {
    /// Printed at the top of every receipt; "Mostrador" until an administrator names it.
    pub nombre: String,
    pub direccion: Option<String>,
    /// The store's tax id (NIT), digits only.
    pub nit: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct StoreProfileInput {
    pub nombre: String,
    #[ts(optional)]
    pub direccion: Option<String>,
    #[ts(optional)]
    pub nit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IntegrityReport {
    pub sqlite_ok: bool,
    pub sqlite_messages: Vec<String>,
    /// Accounts whose cached balance differs from the sum of their transfers.
    pub mismatched_accounts: Vec<String>,
}
