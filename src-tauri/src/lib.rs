//! Mostrador: an offline-first point of sale for banking agents.
//!
//! `domain` holds the rules and records, `store` the SQLite ledger, `service` the core
//! API every caller uses, `commands` the thin Tauri layer over it and `app` the window.
//! `sync` is the offline queue (outbox, worker, reconciliation), `connectors` the typed
//! clients of the provider APIs, `secrets` the OS keyring holding their credentials.
//! `printer` turns receipts and reports into ESC/POS bytes and PDFs and sends them.
//! `simulator` is the bank simulator the `bank-simulator` binary and the tests run.

pub mod app;
pub mod commands;
pub mod connectors;
pub mod domain;
pub mod printer;
pub mod secrets;
pub mod service;
pub mod simulator;
pub mod store;
pub mod sync;

pub use service::Mostrador;
