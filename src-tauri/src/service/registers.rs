//! Registers (cajas) and the settings an administrator keeps.

use rusqlite::params;
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

impl Mostrador {
    pub fn list_registers(&self) -> CoreResult<Vec<Register>> {
        self.operator()?;
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.name, r.specialty, a.balance,
                    (SELECT s.id FROM cash_sessions s WHERE s.register_id = r.id AND s.status = 'ABIERTA')
             FROM registers r JOIN accounts a ON a.code = 'vault:' || r.id
             ORDER BY r.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Register {
                id: r.get(0)?,
                name: r.get(1)?,
                specialty: r.get(2)?,
                vault_balance: r.get(3)?,
                open_session_id: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn create_register(&mut self, input: NewRegister) -> CoreResult<Register> {
        let actor = self.admin("crear cajas")?.id;
        let name = text::required("name", &input.name, REGISTER_NAME_MAX)?;
        let specialty = Specialty::parse(input.specialty.trim()).ok_or_else(|| {
            CoreError::invalid("specialty", "debe ser SOLO_VENTAS, SOLO_AGENTES o MIXTA")
        })?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let taken: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM registers WHERE name = ?1)", [&name], |r| r.get(0))?;
        if taken {
            return Err(CoreError::new(
                ErrorCode::NombreDuplicado,
                "name",
                format!("Ya existe una caja con el nombre «{name}»."),
            ));
        }
        tx.execute(
            "INSERT INTO registers (name, specialty, created_at) VALUES (?1, ?2, ?3)",
            params![name, specialty, now],
        )?;
        let id = tx.last_insert_rowid();
        ledger::create_account(&tx, &ledger::vault_code(id), false)?;
        audit(&tx, Some(actor), "create_register", "register", Some(id), json!({"name": name, "specialty": specialty}), &now)?;
        tx.commit()?;
        Ok(Register { id, name, specialty, vault_balance: Money::ZERO, open_session_id: None })
    }

    pub fn get_settings(&self) -> CoreResult<Settings> {
        self.operator()?;
        self.settings()
    }

    pub(super) fn settings(&self) -> CoreResult<Settings> {
        let threshold = store::setting(&self.conn, "close_difference_threshold")?
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(|| CoreError::internal("falta el ajuste close_difference_threshold"))?;
        Ok(Settings { close_difference_threshold: Money::from_centavos(threshold) })
    }

    pub fn update_settings(&mut self, input: SettingsInput) -> CoreResult<Settings> {
        let actor = self.admin("cambiar los ajustes")?.id;
        let threshold = Money::parse_non_negative("close_difference_threshold", &input.close_difference_threshold)?;
        let before = self.settings()?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        tx.execute(
            "UPDATE settings SET value = ?1 WHERE key = 'close_difference_threshold'",
            [threshold.centavos().to_string()],
        )?;
        audit(
            &tx,
            Some(actor),
            "update_settings",
            "settings",
            None,
            json!({"close_difference_threshold": {"from": before.close_difference_threshold, "to": threshold}}),
            &now,
        )?;
        tx.commit()?;
        Ok(Settings { close_difference_threshold: threshold })
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
            match value {
                Some(value) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, value],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
            };
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
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let messages: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(IntegrityReport {
            sqlite_ok: messages == ["ok"],
            sqlite_messages: messages,
            mismatched_accounts: ledger::mismatched_accounts(&self.conn)?,
        })
    }
}
