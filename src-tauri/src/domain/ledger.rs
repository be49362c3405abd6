//! The ledger's vocabulary: account codes, transfer kinds and operation keys. Each is a
//! type with one constructor and one parser, so no code formats or splits them by hand
//! and SQL never rebuilds them. Their text forms are what the database stores.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::operations::{MetodoPago, Carrier};
use super::wire::wire_enum;

wire_enum!(
    /// What a transfer records. Reversals keep the kind of the transfer they reverse. The
    /// `transfers.kind` CHECK lists exactly these (a test compares the two).
    TransferKind {
        OpeningFloat => "APERTURA",
        OpeningAdjustment => "AJUSTE_APERTURA",
        CashIn => "INGRESO",
        CashOut => "EGRESO",
        CloseDifference => "DIFERENCIA_CIERRE",
        CloseToVault => "CIERRE_A_BOVEDA",
        ProviderFunding => "FONDEO_PROVEEDOR",
        ProviderWithdrawal => "RETIRO_PROVEEDOR",
        Deposit => "DEPOSITO",
        Withdrawal => "RETIRO",
        QrTransfer => "TRANSFERENCIA_QR",
        ClientCommission => "COMISION_CLIENTE",
        BankCommission => "COMISION_BANCO",
        BankCommissionPaid => "PAGO_COMISION_BANCO",
        Topup => "RECARGA",
        Injection => "INYECCION",
        CarrierBonus => "BONIFICACION_OPERADORA",
        Payment => "PAGO",
    }
);

impl From<super::operations::TipoOperacion> for TransferKind {
    fn from(tipo: super::operations::TipoOperacion) -> Self {
        use super::operations::TipoOperacion;
        match tipo {
            TipoOperacion::Deposito => TransferKind::Deposit,
            TipoOperacion::Retiro => TransferKind::Withdrawal,
            TipoOperacion::TransferenciaQr => TransferKind::QrTransfer,
        }
    }
}

/// The store's income accounts (`income:<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Income {
    ClientCommission,
    BankCommission,
    CarrierBonus,
    Payments,
}

impl Income {
    const ALL: [Income; 4] = [Income::ClientCommission, Income::BankCommission, Income::CarrierBonus, Income::Payments];

    fn as_str(self) -> &'static str {
        match self {
            Income::ClientCommission => "client_commission",
            Income::BankCommission => "bank_commission",
            Income::CarrierBonus => "carrier_bonus",
            Income::Payments => "payments",
        }
    }
}

/// An account of the ledger, by what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountCode {
    /// Money from or to outside the store (owner, suppliers, adjustments).
    External,
    /// Close differences: surplus and shortage.
    OverShort,
    /// The cash a register keeps between sessions (`vault:<register id>`).
    Vault(i64),
    /// A session's cash drawer (`drawer:<session id>`).
    Drawer(i64),
    /// The store's e-money float with a bank or wallet (`provider_float:<code>`).
    ProviderFloat(String),
    /// Bank commissions accrued and not yet paid (`receivable:bank_commission:<code>`).
    BankCommissionReceivable(String),
    /// A carrier's top-up balance (`carrier_float:<carrier>`).
    CarrierFloat(Carrier),
    /// Where a non-cash payment lands (`bank:<method>`).
    PaymentBank(MetodoPago),
    Income(Income),
}

impl AccountCode {
    /// Which balance a shortage of this account is about, for the cashier's message.
    pub fn shortage(&self) -> Shortage {
        match self {
            AccountCode::ProviderFloat(code) => Shortage::ProviderFloat(code.clone()),
            AccountCode::CarrierFloat(carrier) => Shortage::CarrierFloat(*carrier),
            _ => Shortage::Cash,
        }
    }
}

/// What a shortfall is short of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortage {
    Cash,
    ProviderFloat(String),
    CarrierFloat(Carrier),
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountCode::External => f.write_str("external"),
            AccountCode::OverShort => f.write_str("over_short"),
            AccountCode::Vault(register) => write!(f, "vault:{register}"),
            AccountCode::Drawer(session) => write!(f, "drawer:{session}"),
            AccountCode::ProviderFloat(code) => write!(f, "provider_float:{code}"),
            AccountCode::BankCommissionReceivable(code) => write!(f, "receivable:bank_commission:{code}"),
            AccountCode::CarrierFloat(carrier) => write!(f, "carrier_float:{}", carrier.as_str()),
            AccountCode::PaymentBank(method) => write!(f, "bank:{}", method.as_str()),
            AccountCode::Income(income) => write!(f, "income:{}", income.as_str()),
        }
    }
}

/// Text that is not a ledger code the product writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("código desconocido del libro: {0}")]
pub struct UnknownCode(pub String);

fn id_after(text: &str, prefix: &str) -> Option<i64> {
    text.strip_prefix(prefix)?.parse().ok().filter(|id: &i64| *id > 0)
}

fn name_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix).filter(|name| !name.is_empty())
}

impl FromStr for AccountCode {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let code = match text {
            "external" => Some(AccountCode::External),
            "over_short" => Some(AccountCode::OverShort),
            _ => id_after(text, "vault:")
                .map(AccountCode::Vault)
                .or_else(|| id_after(text, "drawer:").map(AccountCode::Drawer))
                .or_else(|| name_after(text, "provider_float:").map(|c| AccountCode::ProviderFloat(c.into())))
                .or_else(|| {
                    name_after(text, "receivable:bank_commission:").map(|c| AccountCode::BankCommissionReceivable(c.into()))
                })
                .or_else(|| name_after(text, "carrier_float:").and_then(Carrier::parse).map(AccountCode::CarrierFloat))
                .or_else(|| name_after(text, "bank:").and_then(MetodoPago::parse).map(AccountCode::PaymentBank))
                .or_else(|| {
                    let name = name_after(text, "income:")?;
                    Income::ALL.into_iter().find(|i| i.as_str() == name).map(AccountCode::Income)
                }),
        };
        code.ok_or_else(|| UnknownCode(text.to_string()))
    }
}

/// The operation a transfer belongs to, so a void reverses exactly its transfers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OperationKey {
    /// An agent transaction (`agente:<id>`).
    Agent(i64),
    /// The bank commission accrued on agent transaction id (`comision:<id>`).
    BankCommission(i64),
    /// A top-up (`recarga:<id>`).
    Topup(i64),
    /// An injection of carrier balance (`inyeccion:<id>`).
    Injection(i64),
    /// A work-order payment (`pago:<id>`).
    Payment(i64),
    /// An administrator's funding or withdrawal of a provider float (`fondo:<code>`).
    ProviderFunding(String),
    /// A provider paying its accrued bank commissions (`liquidacion:<code>`).
    CommissionSettlement(String),
}

impl fmt::Display for OperationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperationKey::Agent(id) => write!(f, "agente:{id}"),
            OperationKey::BankCommission(id) => write!(f, "comision:{id}"),
            OperationKey::Topup(id) => write!(f, "recarga:{id}"),
            OperationKey::Injection(id) => write!(f, "inyeccion:{id}"),
            OperationKey::Payment(id) => write!(f, "pago:{id}"),
            OperationKey::ProviderFunding(code) => write!(f, "fondo:{code}"),
            OperationKey::CommissionSettlement(code) => write!(f, "liquidacion:{code}"),
        }
    }
}

impl FromStr for OperationKey {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = id_after(text, "agente:")
            .map(OperationKey::Agent)
            .or_else(|| id_after(text, "comision:").map(OperationKey::BankCommission))
            .or_else(|| id_after(text, "recarga:").map(OperationKey::Topup))
            .or_else(|| id_after(text, "inyeccion:").map(OperationKey::Injection))
            .or_else(|| id_after(text, "pago:").map(OperationKey::Payment))
            .or_else(|| name_after(text, "fondo:").map(|c| OperationKey::ProviderFunding(c.into())))
            .or_else(|| name_after(text, "liquidacion:").map(|c| OperationKey::CommissionSettlement(c.into())));
        key.ok_or_else(|| UnknownCode(text.to_string()))
    }
}

macro_rules! sql_text {
    ($ty:ty) => {
        impl rusqlite::ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.to_string().into())
            }
        }

        impl rusqlite::types::FromSql for $ty {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                value.as_str()?.parse().map_err(|e: UnknownCode| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

sql_text!(AccountCode);
sql_text!(OperationKey);

#[cfg(test)]
mod tests {
    use super::*;

    fn every_account() -> Vec<AccountCode> {
        let mut all = vec![
            AccountCode::External,
            AccountCode::OverShort,
            AccountCode::Vault(3),
            AccountCode::Drawer(12),
            AccountCode::ProviderFloat("TIGO_MONEY".into()),
            AccountCode::BankCommissionReceivable("BCP".into()),
        ];
        all.extend(Carrier::ALL.iter().map(|o| AccountCode::CarrierFloat(*o)));
        all.extend(MetodoPago::ALL.iter().map(|m| AccountCode::PaymentBank(*m)));
        all.extend(Income::ALL.into_iter().map(AccountCode::Income));
        all
    }

    #[test]
    fn every_account_code_reads_back_as_itself() {
        for code in every_account() {
            assert_eq!(code.to_string().parse::<AccountCode>(), Ok(code.clone()), "{code}");
        }
    }

    #[test]
    fn account_codes_keep_the_text_the_database_stores() {
        assert_eq!(AccountCode::Drawer(7).to_string(), "drawer:7");
        assert_eq!(AccountCode::BankCommissionReceivable("BCP".into()).to_string(), "receivable:bank_commission:BCP");
        assert_eq!(AccountCode::CarrierFloat(Carrier::Tigo).to_string(), "carrier_float:Tigo");
        assert_eq!(AccountCode::Income(Income::Payments).to_string(), "income:payments");
        assert_eq!(AccountCode::PaymentBank(MetodoPago::LosAndes).to_string(), "bank:LOS_ANDES");
    }

    #[test]
    fn every_operation_key_reads_back_as_itself() {
        let keys = [
            OperationKey::Agent(1),
            OperationKey::BankCommission(2),
            OperationKey::Topup(3),
            OperationKey::Injection(4),
            OperationKey::Payment(5),
            OperationKey::ProviderFunding("BCP".into()),
            OperationKey::CommissionSettlement("SOLI".into()),
        ];
        for key in keys {
            assert_eq!(key.to_string().parse::<OperationKey>(), Ok(key.clone()), "{key}");
        }
    }

    #[test]
    fn malformed_codes_and_keys_are_refused() {
        for text in ["", "drawer:", "drawer:x", "drawer:-1", "carrier_float:Claro", "bank:EFECTIVOS", "income:tips", "vault"] {
            assert!(text.parse::<AccountCode>().is_err(), "{text}");
        }
        for text in ["", "agente:", "agente:0", "agentes:1", "pago:1x", "fondo:", "anulacion:3"] {
            assert!(text.parse::<OperationKey>().is_err(), "{text}");
        }
    }

    #[test]
    fn transfer_kinds_are_distinct_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for kind in TransferKind::ALL {
            assert!(seen.insert(kind.as_str()), "{} repeated", kind.as_str());
            assert_eq!(TransferKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(TransferKind::parse("REVERSO"), None);
    }
}
