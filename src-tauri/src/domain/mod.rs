//! Domain rules and the records they speak about; no storage, no Tauri.
pub mod backup;
pub mod audit;
pub mod clock;
pub mod csv_text;
pub mod error;
pub mod health;
pub mod ledger;
pub mod money;
pub mod operations;
pub mod provider_rules;
pub mod printing;
pub mod records;
pub mod rules;
pub mod sync;
pub mod text;
pub mod ticket_labels;
pub mod tickets;
mod wire;

pub use backup::*;
pub use audit::*;
pub use error::{CoreError, CoreResult, ErrorCode};
pub use health::*;
pub use ledger::{AccountCode, Income, OperationKey, TransferKind};
pub use money::Money;
pub use operations::*;
pub use provider_rules::*;
pub use printing::{
    AnchoPapel, PrintOutcome, PrintReceiptInput, PrinterSettings, PrinterSettingsInput, Ticket, TipoComprobante, TipoImpresora,
};
pub use records::*;
pub use rules::*;
pub use sync::*;
