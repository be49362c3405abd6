//! Registers (cajas) and the settings an administrator keeps.

use rusqlite::params;
use serde_json::json;

use super::{audit, Mostrador};
use crate::domain::{text, CoreError, CoreResult, ErrorCode, IntegrityReport, Money, NewRegister, Register, Settings, SettingsInput, Specialty};
use crate::store::{self, ledger};

pub const REGISTER_NAME_MAX: usize = 40;

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
