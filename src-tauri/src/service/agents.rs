//! Agent transactions for banks and wallets (DEPOSITO, RETIRO, TRANSFERENCIA_QR),
//! providers and their floats, voids and the bank-commission settlement.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

use super::ops::{self, Side};
use super::{audit, Mostrador};
use crate::domain::{
    text, AgentFilter, CoreError, CoreResult, ErrorCode, Money, MovimientoFondo, NewAgentTransaction, NewProvider, Page,
    Provider, ProviderFloatInput, SettledLine, SettlementInput, SettlementReport, TipoOperacion, TransaccionAgente,
    UnmatchedLine, VoidInput,
};
use crate::store::{self, ledger};
use crate::sync::outbox;

pub const REFERENCE_MAX: usize = 40;
/// Largest voucher file copied into the data folder.
pub const VOUCHER_MAX_BYTES: u64 = 5 * 1024 * 1024;
const VOUCHER_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "pdf"];

const AGENT_COLUMNS: &str = "id, banco, tipo_operacion, monto, comision_cliente, comision_banco, nro_referencia,
     url_comprobante, fecha, id_caja_sesion, operator_id, voided_at, void_reason, cuenta_cliente";

fn agent_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TransaccionAgente> {
    Ok(TransaccionAgente {
        id: r.get(0)?,
        banco: r.get(1)?,
        tipo_operacion: r.get(2)?,
        monto: r.get(3)?,
        comision_cliente: r.get(4)?,
        comision_banco: r.get(5)?,
        nro_referencia: r.get(6)?,
        url_comprobante: r.get(7)?,
        fecha: r.get(8)?,
        id_caja_sesion: r.get(9)?,
        id_usuario: r.get(10)?,
        anulada_en: r.get(11)?,
        motivo_anulacion: r.get(12)?,
        cuenta_cliente: r.get(13)?,
    })
}

fn load_agent(conn: &Connection, id: i64) -> CoreResult<TransaccionAgente> {
    conn.prepare_cached(&format!("SELECT {AGENT_COLUMNS} FROM agent_transactions WHERE id = ?1"))?
        .query_row([id], agent_from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("id", "la transacción de agente"))
}

fn operation_key(id: i64) -> String {
    format!("agente:{id}")
}

/// A configured provider's code, as typed (trimmed, upper-case).
pub(super) fn provider_code(conn: &Connection, field: &str, input: &str) -> CoreResult<String> {
    let code = input.trim().to_uppercase();
    if code.is_empty() {
        return Err(CoreError::required(field));
    }
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM providers WHERE code = ?1)")?
        .query_row([&code], |r| r.get(0))?;
    if !exists {
        return Err(CoreError::not_found(field, "el banco o billetera"));
    }
    Ok(code)
}

impl Mostrador {
    pub fn list_providers(&self) -> CoreResult<Vec<Provider>> {
        self.operator()?;
        let mut stmt = self.conn.prepare(
            "SELECT p.code, p.name, f.balance, r.balance FROM providers p
             JOIN accounts f ON f.code = 'provider_float:' || p.code
             JOIN accounts r ON r.code = 'receivable:bank_commission:' || p.code ORDER BY p.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Provider { code: r.get(0)?, name: r.get(1)?, saldo: r.get(2)?, comision_por_cobrar: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn create_provider(&mut self, input: NewProvider) -> CoreResult<Provider> {
        let actor = self.admin("agregar bancos o billeteras")?.id;
        let code = input.code.trim().to_uppercase();
        if code.is_empty() {
            return Err(CoreError::required("code"));
        }
        if !(2..=30).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
            return Err(CoreError::invalid("code", "debe tener de 2 a 30 letras mayúsculas, dígitos o «_»"));
        }
        let name = text::required("name", &input.name, 60)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let taken: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM providers WHERE code = ?1)", [&code], |r| r.get(0))?;
        if taken {
            return Err(CoreError::new(ErrorCode::NombreDuplicado, "code", format!("Ya existe un banco o billetera con el código {code}.")));
        }
        tx.execute("INSERT INTO providers (code, name, created_at) VALUES (?1, ?2, ?3)", params![code, name, now])?;
        ledger::create_account(&tx, &format!("provider_float:{code}"), false)?;
        ledger::create_account(&tx, &format!("receivable:bank_commission:{code}"), true)?;
        audit(&tx, Some(actor), "create_provider", "provider", None, json!({"code": code, "name": name}), &now)?;
        tx.commit()?;
        Ok(Provider { code, name, saldo: Money::ZERO, comision_por_cobrar: Money::ZERO })
    }

    /// An administrator funds the store's float with a provider (the opening float is the
    /// first funding) or withdraws from it.
    pub fn adjust_provider_float(&mut self, input: ProviderFloatInput) -> CoreResult<Provider> {
        let actor = self.admin("mover el saldo con un banco o billetera")?.id;
        let code = provider_code(&self.conn, "banco", &input.banco)?;
        let tipo = MovimientoFondo::parse(input.tipo.trim())
            .ok_or_else(|| CoreError::invalid("tipo", "debe ser FONDEO o RETIRO"))?;
        let monto = Money::parse_positive("monto", &input.monto)?;
        let nota = text::optional("nota", input.nota.as_deref(), 200)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let float = ops::account(&tx, &format!("provider_float:{code}"))?;
        let external = ops::account(&tx, ledger::EXTERNAL)?;
        let (from, to) = match tipo {
            MovimientoFondo::Fondeo => (external, float),
            MovimientoFondo::Retiro => (float, external),
        };
        let operation = format!("fondo:{code}");
        let transfer = ledger::Transfer {
            from,
            to,
            amount: monto,
            kind: if tipo == MovimientoFondo::Fondeo { "FONDEO_PROVEEDOR" } else { "RETIRO_PROVEEDOR" },
            session_id: None,
            operator_id: actor,
            operation: Some(&operation),
        };
        ops::post_all(&tx, &[transfer], "monto", &now)?;
        audit(&tx, Some(actor), "adjust_provider_float", "provider", None, json!({"banco": code, "tipo": tipo, "monto": monto, "nota": nota}), &now)?;
        tx.commit()?;
        self.list_providers()?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or_else(|| CoreError::internal("proveedor desaparecido"))
    }

    /// Records a DEPOSITO, RETIRO or TRANSFERENCIA_QR in the logged-in operator's open
    /// session, with its transfers, in one transaction.
    pub fn create_agent_transaction(&mut self, input: NewAgentTransaction) -> CoreResult<TransaccionAgente> {
        let actor = self.operator()?.clone();
        let banco = provider_code(&self.conn, "banco", &input.banco)?;
        let tipo = TipoOperacion::parse(input.tipo_operacion.trim()).ok_or_else(|| {
            CoreError::invalid("tipo_operacion", "debe ser DEPOSITO, RETIRO o TRANSFERENCIA_QR")
        })?;
        let monto = Money::parse_positive("monto", &input.monto)?;
        if monto < Money::from_centavos(100) {
            return Err(CoreError::new(ErrorCode::MontoNoPositivo, "monto", "El monto mínimo de una operación de agente es Bs 1.00."));
        }
        let comision = ops::amount_or_zero("comision_cliente", &input.comision_cliente)?;
        let referencia = text::required("nro_referencia", &input.nro_referencia, REFERENCE_MAX)?;
        let voucher = input.comprobante.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(check_voucher).transpose()?;
        let cuenta = outbox::customer_account(input.cuenta_cliente.as_deref())?;
        let at = self.clock.now();
        let now = self.now();
        let data_dir = self.path.parent().map(Path::to_path_buf).unwrap_or_default();

        let tx = store::write(&mut self.conn)?;
        let session = ops::session_for_operation(&tx, input.id_caja_sesion, &actor, Side::Agentes)?;
        let duplicate: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM agent_transactions WHERE banco = ?1 AND nro_referencia = ?2)")?
            .query_row(params![banco, referencia], |r| r.get(0))?;
        if duplicate {
            return Err(CoreError::new(
                ErrorCode::ReferenciaDuplicada,
                "nro_referencia",
                format!("El número de referencia «{referencia}» ya está registrado para {banco}."),
            ));
        }
        // What the provider will be sent, checked against its offline limits.
        let planned = outbox::plan(&tx, &banco, tipo, monto, cuenta.as_deref())?;
        // The row is immutable once written (trigger), so the voucher's stored path goes in
        // with it: the id is chosen here, under the write lock, as SQLite would choose it.
        let id: i64 = tx.prepare_cached("SELECT COALESCE(MAX(id), 0) + 1 FROM agent_transactions")?.query_row([], |r| r.get(0))?;
        let stored = voucher.as_deref().map(|source| voucher_path(id, source));
        tx.prepare_cached(
            "INSERT INTO agent_transactions (id, banco, tipo_operacion, monto, comision_cliente, nro_referencia, url_comprobante, fecha, id_caja_sesion, operator_id, cuenta_cliente)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![id, banco, tipo, monto, comision, referencia, stored, now, session.session_id, actor.id, cuenta])?;
        let operation = operation_key(id);
        let float = ops::account(&tx, &format!("provider_float:{banco}"))?;
        let income = ops::account(&tx, "income:client_commission")?;
        let base = ledger::Transfer {
            from: income,
            to: session.drawer,
            amount: comision,
            kind: "COMISION_CLIENTE",
            session_id: Some(session.session_id),
            operator_id: actor.id,
            operation: Some(&operation),
        };
        // The commission comes in first, so a RETIRO may pay out of it.
        let mut transfers = Vec::with_capacity(2);
        if comision.is_positive() {
            transfers.push(base);
        }
        transfers.push(match tipo {
            TipoOperacion::Deposito | TipoOperacion::TransferenciaQr => {
                ledger::Transfer { from: float, to: session.drawer, amount: monto, kind: tipo.as_str(), ..base }
            }
            TipoOperacion::Retiro => ledger::Transfer { from: session.drawer, to: float, amount: monto, kind: tipo.as_str(), ..base },
        });
        ops::post_all(&tx, &transfers, "monto", &now)?;
        if let Some(planned) = &planned {
            outbox::enqueue(&tx, &banco, planned, id, &referencia, monto, at, &now)?;
        }
        if let (Some(source), Some(relative)) = (&voucher, &stored) {
            copy_voucher(&data_dir, relative, source)?;
        }
        audit(&tx, Some(actor.id), "create_agent_transaction", "agent_transaction", Some(id), json!({"banco": banco, "tipo": tipo, "monto": monto}), &now)?;
        let record = load_agent(&tx, id)?;
        tx.commit()?;
        if planned.is_some() {
            self.wake_sync();
        }
        Ok(record)
    }

    pub fn get_agent_transaction(&self, id: i64) -> CoreResult<TransaccionAgente> {
        self.operator()?;
        load_agent(&self.conn, id)
    }

    /// Agent transactions, newest first, filtered by session, provider, type and local dates.
    pub fn list_agent_transactions(&self, filter: AgentFilter) -> CoreResult<Page<TransaccionAgente>> {
        self.operator()?;
        let paging = ops::paging(filter.page, filter.size, 1)?;
        let mut clauses = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(id) = filter.id_caja_sesion {
            clauses.push("id_caja_sesion = ?".to_string());
            args.push(id.into());
        }
        let banco = match filter.banco.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            Some(banco) => Some(provider_code(&self.conn, "banco", banco)?),
            None => None,
        };
        if let Some(banco) = &banco {
            clauses.push("banco = ?".to_string());
            args.push(banco.clone().into());
        }
        let tipo = match filter.tipo_operacion.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(tipo) => Some(
                TipoOperacion::parse(tipo)
                    .ok_or_else(|| CoreError::invalid("tipo_operacion", "debe ser DEPOSITO, RETIRO o TRANSFERENCIA_QR"))?,
            ),
            None => None,
        };
        if let Some(tipo) = tipo {
            clauses.push("tipo_operacion = ?".to_string());
            args.push(tipo.as_str().to_string().into());
        }
        let (start, end) = ops::date_bounds(("desde", &filter.desde), ("hasta", &filter.hasta))?;
        if let Some(start) = start {
            clauses.push("fecha >= ?".to_string());
            args.push(start.into());
        }
        // The previous page's last row, checked before anything is counted.
        let after: Option<(String, i64)> = match filter.despues_de {
            Some(last) => Some((
                self.conn
                    .prepare_cached("SELECT fecha FROM agent_transactions WHERE id = ?1")?
                    .query_row([last], |r| r.get(0))
                    .optional()?
                    .ok_or_else(|| CoreError::not_found("despues_de", "la transacción de agente"))?,
                last,
            )),
            None => None,
        };
        // Filtered by provider and dates only, the total is a sum over the daily counts.
        let known_total = if filter.id_caja_sesion.is_none() && tipo.is_none() {
            let desde = ops::filter_date("desde", &filter.desde)?.map(|d| d.to_string());
            let hasta = ops::filter_date("hasta", &filter.hasta)?.map(|d| d.to_string());
            Some(
                self.conn
                    .prepare_cached(
                        "SELECT COALESCE(SUM(cantidad), 0) FROM agent_daily_counts
                         WHERE (?1 IS NULL OR banco = ?1) AND (?2 IS NULL OR dia >= ?2) AND (?3 IS NULL OR dia <= ?3)",
                    )?
                    .query_row(params![banco, desde, hasta], |r| r.get(0))?,
            )
        } else {
            None
        };
        let order = "fecha DESC, id DESC";
        let Some((fecha, last)) = after else {
            if let Some(end) = end {
                clauses.push("fecha < ?".to_string());
                args.push(end.into());
            }
            let where_sql = ops::where_sql(&clauses);
            return ops::page_of(&self.conn, "agent_transactions", AGENT_COLUMNS, &where_sql, order, args, paging, known_total, agent_from_row);
        };
        // Keyset: the page starts right after the previous page's last row in (fecha, id)
        // order, found through the index instead of skipping rows with OFFSET. The total is
        // still the whole filter's.
        let total = match known_total {
            Some(total) => total,
            None => {
                let (mut clauses, mut args) = (clauses.clone(), args.clone());
                if let Some(end) = &end {
                    clauses.push("fecha < ?".to_string());
                    args.push(end.clone().into());
                }
                ops::count(&self.conn, "agent_transactions", &ops::where_sql(&clauses), &args)?
            }
        };
        // One upper bound on fecha, the tighter: SQLite starts the index range from one of
        // them and only filters with the other.
        match end {
            Some(end) if end <= fecha => {
                clauses.push("fecha < ?".to_string());
                args.push(end.into());
            }
            _ => {
                clauses.push("fecha <= ?".to_string());
                args.push(fecha.clone().into());
            }
        }
        clauses.push("(fecha, id) < (?, ?)".to_string());
        args.push(fecha.into());
        args.push(last.into());
        let where_sql = ops::where_sql(&clauses);
        ops::page_of(&self.conn, "agent_transactions", AGENT_COLUMNS, &where_sql, order, args, (paging.0, paging.1, 0), Some(total), agent_from_row)
    }

    /// Voids an agent transaction by its exact reversing transfers: administrator only,
    /// with a reason, while its session is open, at most once.
    pub fn void_agent_transaction(&mut self, input: VoidInput) -> CoreResult<TransaccionAgente> {
        let actor = self.admin("anular operaciones")?.clone();
        let motivo = ops::void_reason(&input.motivo)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let record = load_agent(&tx, input.id)?;
        let operation = operation_key(record.id);
        let target = ops::VoidTarget {
            table: "agent_transactions",
            also_set: "",
            id: record.id,
            operation: &operation,
            session_id: record.id_caja_sesion,
            already_voided: record.anulada_en.is_some(),
            already_voided_message: "La transacción indicada en «identificador» ya fue anulada.",
        };
        let session = ops::void(&tx, &actor, target, &motivo, &now)?;
        // A voided operation earns the store no bank commission: take back what was accrued.
        if record.comision_banco.is_positive() {
            ops::reverse(&tx, &format!("comision:{}", record.id), session.session_id, actor.id, &now)?;
        }
        outbox::on_void(&tx, record.id, &motivo, actor.id, &now)?;
        audit(&tx, Some(actor.id), "void_agent_transaction", "agent_transaction", Some(record.id), json!({"motivo": motivo}), &now)?;
        let record = load_agent(&tx, record.id)?;
        tx.commit()?;
        self.wake_sync();
        Ok(record)
    }

    /// Imports the bank's commission statement (`nro_referencia,comision_banco` lines) for
    /// one provider: each matched transaction's comision_banco is set and the change is
    /// accrued as a receivable; with `pagado` the provider's whole outstanding receivable is
    /// paid into the float.
    /// Lines that match nothing are returned, never dropped.
    pub fn settle_bank_commissions(&mut self, input: SettlementInput) -> CoreResult<SettlementReport> {
        let actor = self.admin("liquidar comisiones bancarias")?.id;
        let banco = provider_code(&self.conn, "banco", &input.banco)?;
        if input.csv.trim().is_empty() {
            return Err(CoreError::required("csv"));
        }
        if input.csv.len() > 2_000_000 {
            return Err(CoreError::new(ErrorCode::TextoDemasiadoLargo, "csv", "El archivo de comisiones supera 2 MB."));
        }
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let mut conciliadas = Vec::new();
        let mut sin_coincidencia = Vec::new();
        let mut total = Money::ZERO;
        // A spreadsheet's export may start with a byte-order mark.
        let csv = input.csv.trim_start_matches('\u{feff}');
        let mut first = true;
        for (index, raw) in csv.lines().enumerate() {
            let linea = index as i64 + 1;
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let is_first = std::mem::replace(&mut first, false);
            let unmatched = |motivo: &str| UnmatchedLine { linea, texto: line.chars().take(120).collect(), motivo: motivo.into() };
            let Some((referencia, importe)) = line.split_once([',', ';']) else {
                sin_coincidencia.push(unmatched("no tiene dos columnas"));
                continue;
            };
            let referencia = referencia.trim().trim_matches('"');
            let importe = importe.trim().trim_matches('"');
            let comision = Money::parse_non_negative("comision_banco", importe);
            let found: Option<(i64, Money, Option<String>)> = tx
                .prepare_cached("SELECT id, comision_banco, voided_at FROM agent_transactions WHERE banco = ?1 AND nro_referencia = ?2")?
                .query_row(params![banco, referencia], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            // A header: the first line, with no amount and no known reference. A first line
            // naming a transaction is data, and reported if its amount is unreadable.
            if is_first && comision.is_err() && found.is_none() {
                continue;
            }
            let Ok(comision) = comision else {
                sin_coincidencia.push(unmatched("la comisión no es un monto válido"));
                continue;
            };
            let Some((id, previous, voided)) = found else {
                sin_coincidencia.push(unmatched("ninguna transacción tiene esa referencia"));
                continue;
            };
            if voided.is_some() {
                sin_coincidencia.push(unmatched("la transacción está anulada"));
                continue;
            }
            let change = comision.checked_sub(previous).ok_or_else(|| CoreError::internal("desborde"))?;
            if change != Money::ZERO {
                let receivable = ops::account(&tx, &format!("receivable:bank_commission:{banco}"))?;
                let income = ops::account(&tx, "income:bank_commission")?;
                let operation = format!("comision:{id}");
                let accrual = ledger::Transfer {
                    from: income,
                    to: receivable,
                    amount: change.abs(),
                    kind: "COMISION_BANCO",
                    session_id: None,
                    operator_id: actor,
                    operation: Some(&operation),
                };
                let accrual = if change.is_negative() { ledger::Transfer { from: receivable, to: income, ..accrual } } else { accrual };
                ops::post_all(&tx, &[accrual], "csv", &now)?;
                tx.execute("UPDATE agent_transactions SET comision_banco = ?2 WHERE id = ?1", params![id, comision])?;
                total = total.checked_add(change).ok_or_else(|| CoreError::internal("desborde"))?;
            }
            conciliadas.push(SettledLine { linea, nro_referencia: referencia.to_string(), id_transaccion: id, comision_banco: comision });
        }
        // Paid: the bank has put everything it owes the store into the float, so the whole
        // outstanding receivable (earlier imports included) moves there.
        let mut monto_pagado = Money::ZERO;
        if input.pagado {
            let receivable = ops::account(&tx, &format!("receivable:bank_commission:{banco}"))?;
            let outstanding = ledger::balance(&tx, receivable)?;
            if outstanding.is_positive() {
                let float = ops::account(&tx, &format!("provider_float:{banco}"))?;
                let operation = format!("liquidacion:{banco}");
                let payment = ledger::Transfer {
                    from: receivable,
                    to: float,
                    amount: outstanding,
                    kind: "PAGO_COMISION_BANCO",
                    session_id: None,
                    operator_id: actor,
                    operation: Some(&operation),
                };
                ops::post_all(&tx, &[payment], "csv", &now)?;
                monto_pagado = outstanding;
            }
        }
        tx.execute(
            "INSERT INTO bank_commission_settlements (banco, lineas, conciliadas, total, pagado, operator_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![banco, (conciliadas.len() + sin_coincidencia.len()) as i64, conciliadas.len() as i64, total, input.pagado, actor, now],
        )?;
        audit(&tx, Some(actor), "settle_bank_commissions", "provider", None, json!({"banco": banco, "total": total, "sin_coincidencia": sin_coincidencia.len()}), &now)?;
        tx.commit()?;
        Ok(SettlementReport { banco, conciliadas, sin_coincidencia, total, pagado: input.pagado, monto_pagado })
    }
}

/// Checks a voucher file before the transaction is written.
fn check_voucher(path: &str) -> CoreResult<std::path::PathBuf> {
    let path = std::path::PathBuf::from(path);
    let bad = |why: &str| CoreError::new(ErrorCode::ArchivoInvalido, "comprobante", format!("El comprobante {why}."));
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).unwrap_or_default();
    if !VOUCHER_EXTENSIONS.contains(&extension.as_str()) {
        return Err(bad("debe ser una imagen JPG, PNG o WEBP, o un PDF"));
    }
    let meta = std::fs::metadata(&path).map_err(|_| bad("no existe o no se puede leer"))?;
    if !meta.is_file() {
        return Err(bad("no es un archivo"));
    }
    if meta.len() > VOUCHER_MAX_BYTES {
        return Err(bad("supera 5 MB"));
    }
    Ok(path)
}

/// Where transaction `id`'s voucher is stored, relative to the data folder.
fn voucher_path(id: i64, source: &Path) -> String {
    let extension = source.extension().and_then(|e| e.to_str()).unwrap_or("bin").to_lowercase();
    format!("comprobantes/agente-{id}.{extension}")
}

/// Copies the voucher to `relative` (see [`voucher_path`]) in the data folder.
fn copy_voucher(data_dir: &Path, relative: &str, source: &Path) -> CoreResult<()> {
    let target = data_dir.join(relative);
    std::fs::create_dir_all(target.parent().unwrap_or(data_dir)).map_err(CoreError::internal)?;
    std::fs::copy(source, &target).map_err(|_| {
        CoreError::new(ErrorCode::ArchivoInvalido, "comprobante", "No se pudo copiar el comprobante.")
    })?;
    Ok(())
}
