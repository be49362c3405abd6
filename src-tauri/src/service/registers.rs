//! Registers (cajas) and the settings an administrator keeps.

use serde_json::json;

use super::{audit, Mostrador};
use crate::domain::{
    text, CoreError, CoreResult, ErrorCode, IntegrityReport, Money, NewRegister, Register, Settings, SettingsInput, Specialty,
    StoreProfile, StoreProfileInput,
};
use crate::store::{self, ledger};

pub const REGISTER_NAME_MAX: usize = 40;
pub const STORE_NAME_MAX: usize = 60;
pub const STORE_ADDRESS_MAX: usize = 100;
/// What receipts call a store no administrator has named.
pub const DEFAULT_STORE_NAME: &str = "Mostrador";
const STORE_NAME: &str = "store_name";
const STORE_ADDRESS: &str = "store_address";
const STORE_NIT: &str = "store_nit";
const CLOSE_THRESHOLD: &str = "close_difference_threshold";
const IDLE_LOGOUT: &str = "idle_logout_minutes";
const BLIND_CLOSE: &str = "blind_close";
/// Used when the setting is missing or unreadable: a counter left alone is not left open.
pub const DEFAULT_IDLE_LOGOUT_MINUTES: i64 = 15;
pub const MAX_IDLE_LOGOUT_MINUTES: i64 = 8 * 60;

/// Minutes without a command before a session ends; 0 = never.
pub(super) fn idle_logout_minutes(conn: &rusqlite::Connection) -> CoreResult<i64> {
    Ok(store::setting(conn, IDLE_LOGOUT)?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_IDLE_LOGOUT_MINUTES))
}

/// The blind-close policy: on unless an administrator turned it off.
pub(super) fn blind_close(conn: &rusqlite::Connection) -> CoreResult<bool> {
    Ok(store::setting(conn, BLIND_CLOSE)?.as_deref() != Some("0"))
}

fn parse_idle_minutes(input: &str) -> CoreResult<i64> {
    let text = input.trim();
    match text.parse::<i64>() {
        Ok(m) if text.bytes().all(|b| b.is_ascii_digit()) && (0..=MAX_IDLE_LOGOUT_MINUTES).contains(&m) => Ok(m),
        _ if text.is_empty() => Err(CoreError::required("idle_logout_minutes")),
        _ => Err(CoreError::invalid(
            "idle_logout_minutes",
            &format!("debe ser un número entero de minutos, de 0 (nunca) a {MAX_IDLE_LOGOUT_MINUTES}"),
        )),
    }
}

impl Mostrador {
    pub fn list_registers(&self) -> CoreResult<Vec<Register>> {
        self.operator()?;
        Ok(store::settings::registers(&self.conn)?)
    }

    pub fn create_register(&mut self, input: NewRegister) -> CoreResult<Register> {
        let actor = self.admin("crear cajas")?.id;
        let name = text::required("name", &input.name, REGISTER_NAME_MAX)?;
        let specialty = Specialty::parse(input.specialty.trim()).ok_or_else(|| {
            CoreError::invalid("specialty", "debe ser SOLO_VENTAS, SOLO_AGENTES o MIXTA")
        })?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        if store::settings::register_name_taken(&tx, &name)? {
            return Err(CoreError::new(
                ErrorCode::NombreDuplicado,
                "name",
                format!("Ya existe una caja con el nombre «{name}»."),
            ));
        }
        let id = store::settings::insert_register(&tx, &name, specialty, &now)?;
        audit(&tx, Some(actor), "create_register", "register", Some(id), json!({"name": name, "specialty": specialty}), &now)?;
        tx.commit()?;
        Ok(Register { id, name, specialty, vault_balance: Money::ZERO, open_session_id: None })
    }

    pub fn get_settings(&self) -> CoreResult<Settings> {
        self.operator()?;
        self.settings()
    }

    pub(super) fn settings(&self) -> CoreResult<Settings> {
        let threshold = store::setting(&self.conn, CLOSE_THRESHOLD)?
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(|| CoreError::internal("falta el ajuste close_difference_threshold"))?;
        Ok(Settings {
            close_difference_threshold: Money::from_centavos(threshold),
            idle_logout_minutes: idle_logout_minutes(&self.conn)?,
            blind_close: blind_close(&self.conn)?,
        })
    }

    pub fn update_settings(&mut self, input: SettingsInput) -> CoreResult<Settings> {
        let actor = self.admin("cambiar los ajustes")?.id;
        let threshold = Money::parse_non_negative("close_difference_threshold", &input.close_difference_threshold)?;
        let before = self.settings()?;
        let idle = match input.idle_logout_minutes.as_deref() {
            Some(minutes) => parse_idle_minutes(minutes)?,
            None => before.idle_logout_minutes,
        };
        let blind = input.blind_close.unwrap_or(before.blind_close);
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        store::settings::put_setting(&tx, CLOSE_THRESHOLD, Some(&threshold.centavos().to_string()))?;
        store::settings::put_setting(&tx, IDLE_LOGOUT, Some(&idle.to_string()))?;
        store::settings::put_setting(&tx, BLIND_CLOSE, Some(if blind { "1" } else { "0" }))?;
        audit(
            &tx,
            Some(actor),
            "update_settings",
            "settings",
            None,
            json!({
                "close_difference_threshold": {"from": before.close_difference_threshold, "to": threshold},
                "idle_logout_minutes": {"from": before.idle_logout_minutes, "to": idle},
                "blind_close": {"from": before.blind_close, "to": blind},
            }),
            &now,
        )?;
        tx.commit()?;
        Ok(Settings { close_difference_threshold: threshold, idle_logout_minutes: idle, blind_close: blind })
    }

    /// The store's name, address and NIT for the receipts' header.
    pub fn get_store_profile(&self) -> CoreResult<StoreProfile> {
        self.operator()?;
        Ok(StoreProfile {
            nombre: store::setting(&self.conn, STORE_NAME)?.unwrap_or_else(|| DEFAULT_STORE_NAME.to_string()),
            direccion: store::setting(&self.conn, STORE_ADDRESS)?,
            nit: store::setting(&self.conn, STORE_NIT)?,
        })
    }

    /// An administrator names the store on its receipts; an empty address or NIT removes it.
    pub fn update_store_profile(&mut self, input: StoreProfileInput) -> CoreResult<StoreProfile> {
        let actor = self.admin("cambiar los datos de la tienda")?.id;
        let nombre = text::required("nombre", &input.nombre, STORE_NAME_MAX)?;
        if nombre.chars().count() < 2 {
            return Err(CoreError::invalid("nombre", "debe tener al menos 2 caracteres"));
        }
        let direccion = text::optional("direccion", input.direccion.as_deref(), STORE_ADDRESS_MAX)?;
        let nit = match input.nit.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(nit) if (5..=15).contains(&nit.len()) && nit.chars().all(|c| c.is_ascii_digit()) => Some(nit.to_string()),
            Some(_) => return Err(CoreError::invalid("nit", "debe tener de 5 a 15 dígitos, sin guiones ni espacios")),
            None => None,
        };
        let before = self.get_store_profile()?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        for (key, value) in [(STORE_NAME, Some(&nombre)), (STORE_ADDRESS, direccion.as_ref()), (STORE_NIT, nit.as_ref())] {
            store::settings::put_setting(&tx, key, value.map(String::as_str))?;
        }
        let after = StoreProfile { nombre, direccion, nit };
        audit(&tx, Some(actor), "update_store_profile", "settings", None, json!({"from": before, "to": after}), &now)?;
        tx.commit()?;
        Ok(after)
    }

    /// `PRAGMA integrity_check` plus the ledger's own check: every cached balance equals
    /// the sum of its transfers.
    pub fn integrity_check(&self) -> CoreResult<IntegrityReport> {
        self.admin("verificar la base de datos")?;
        let messages = store::settings::integrity_messages(&self.conn)?;
        Ok(IntegrityReport {
            sqlite_ok: messages == ["ok"],
            sqlite_messages: messages,
            mismatched_accounts: ledger::mismatched_accounts(&self.conn)?,
        })
    }
}
