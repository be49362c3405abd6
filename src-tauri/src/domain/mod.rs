//! Domain rules and the records they speak about; no storage, no Tauri.
pub mod clock;
pub mod csv_text;
pub mod error;
pub mod health;
pub mod ledger;
pub mod money;
pub mod operations;
pub mod records;
pub mod rules;
pub mod sync;
pub mod text;
mod wire;

pub use error::{CoreError, CoreResult, ErrorCode};
pub use health::*;
pub use ledger::{AccountCode, Income, OperationKey, TransferKind};
pub use money::Money;
pub use operations::*;
pub use records::*;
pub use rules::*;
pub use sync::*;
