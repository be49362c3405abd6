//! Agent transactions for banks and wallets (DEPOSITO, RETIRO, TRANSFERENCIA_QR),
//! providers and their floats, voids and the bank-commission settlement.

use std::path::Path;

use rusqlite::Connection;
use serde_json::json;

use super::ops::{self, Side};
use super::{audit, provider_rules, Mostrador};
use crate::domain::rules::IMPORT_MAX_BYTES;
use crate::domain::{
    csv_text, text, AccountCode, ClienteIdentidad, CommissionDifference, AgentFilter, CoreError, CoreResult, ErrorCode, Income, Money, MovimientoFondo, NewAgentTransaction,
    NewProvider, OperationKey, Page, Provider, ProviderFloatInput, SettledLine, SettlementInput, SettlementReport,
    TipoOperacion, TransaccionAgente, TransferKind, UnmatchedLine, VoidInput,
};
use crate::store::{self, ledger};
use crate::sync::outbox;

pub const REFERENCE_MAX: usize = 40;
/// Largest voucher file copied into the data folder.
pub const VOUCHER_MAX_BYTES: u64 = 5 * 1024 * 1024;
const VOUCHER_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "pdf"];

fn load_agent(conn: &Connection, id: i64) -> CoreResult<TransaccionAgente> {
    store::agents::load(conn, id)?.ok_or_else(|| CoreError::not_found("id", "la transacción de agente"))
}

impl ops::Voidable for TransaccionAgente {
    fn operation(&self) -> OperationKey {
        OperationKey::Agent(self.id)
    }
    fn session_id(&self) -> i64 {
        self.id_caja_sesion
    }
    fn is_voided(&self) -> bool {
        self.anulada_en.is_some()
    }
    const ALREADY_VOIDED: &'static str = "La transacción indicada en «identificador» ya fue anulada.";
    const ACTION: &'static str = "anular operaciones";
    const AUDIT: (&'static str, &'static str) = ("void_agent_transaction", "agent_transaction");
    fn load(conn: &Connection, id: i64) -> CoreResult<Self> {
        load_agent(conn, id)
    }
}

/// A configured provider's code, as typed (trimmed, upper-case).
pub(super) fn provider_code(conn: &Connection, field: &str, input: &str) -> CoreResult<String> {
    let code = input.trim().to_uppercase();
    if code.is_empty() {
        return Err(CoreError::required(field));
    }
    if !store::agents::provider_exists(conn, &code)? {
        return Err(CoreError::not_found(field, "el banco o billetera"));
    }
    Ok(code)
}

impl Mostrador {
    pub fn list_providers(&self) -> CoreResult<Vec<Provider>> {
        self.operator()?;
        Ok(store::agents::providers(&self.conn)?)
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
        if store::agents::provider_exists(&tx, &code)? {
            return Err(CoreError::new(ErrorCode::NombreDuplicado, "code", format!("Ya existe un banco o billetera con el código {code}.")));
        }
        store::agents::insert_provider(&tx, &code, &name, &now)?;
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
        let float = ledger::existing(&tx, &AccountCode::ProviderFloat(code.clone()))?;
        let external = ledger::existing(&tx, &AccountCode::External)?;
        let (from, to, kind) = match tipo {
            MovimientoFondo::Fondeo => (external, float, TransferKind::ProviderFunding),
            MovimientoFondo::Retiro => (float, external, TransferKind::ProviderWithdrawal),
        };
        let operation = OperationKey::ProviderFunding(code.clone());
        let transfer =
            ledger::Transfer { from, to, amount: monto, kind, session_id: None, operator_id: actor, operation: Some(&operation) };
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
        let valid = ValidAgent::read(&self.conn, &input)?;
        let at = self.clock.now();
        let now = self.now();
        let data_dir = self.path.parent().map(Path::to_path_buf).unwrap_or_default();

        let tx = store::write(&mut self.conn)?;
        let session = ops::session_for_operation(&tx, input.id_caja_sesion, &actor, Side::Agentes)?;
        // The provider's limits and tariff: the commission to charge, the terms to keep.
        let proposed = provider_rules::Proposed {
            banco: &valid.provider,
            tipo: valid.tipo,
            monto: valid.monto,
            comision: valid.comision,
            cliente: valid.cliente.as_ref(),
            motivo_comision: valid.motivo_comision.as_deref(),
        };
        let (comision, terms) = provider_rules::terms_for(&tx, &actor, &proposed, at)?;
        if store::agents::reference_taken(&tx, &valid.provider, &valid.referencia)? {
            return Err(CoreError::new(
                ErrorCode::ReferenciaDuplicada,
                "nro_referencia",
                format!("El número de referencia «{}» ya está registrado para {}.", valid.referencia, valid.provider),
            ));
        }
        // What the provider will be sent, checked against its offline limits.
        let planned = outbox::plan(&tx, &valid.provider, valid.tipo, valid.monto, valid.cuenta.as_deref(), valid.cuit.as_deref())?;
        // The row is immutable once written (trigger), so the voucher's stored path goes in
        // with it: the id is chosen here, under the write lock, as SQLite would choose it.
        let id = store::agents::next_id(&tx)?;
        let stored = valid.voucher.as_deref().map(|source| voucher_path(id, source));
        let row = store::agents::AgentRow {
            id,
            provider: &valid.provider,
            tipo: valid.tipo,
            amount: valid.monto,
            client_commission: comision,
            reference: &valid.referencia,
            voucher: stored.as_deref(),
            session_id: session.session_id,
            operator_id: actor.id,
            customer_account: valid.cuenta.as_deref(),
        };
        store::agents::insert(&tx, &row, &now)?;
        if !terms.is_empty() {
            store::provider_rules::insert_terms(&tx, id, &terms)?;
        }
        provider_rules::audit_override(&tx, actor.id, id, &terms, comision, &now)?;
        post_agent_transfers(&tx, &valid, comision, id, &session, actor.id, &now)?;
        if let Some(planned) = &planned {
            outbox::enqueue(&tx, &valid.provider, planned, id, &valid.referencia, valid.monto, at, &now)?;
        }
        if let (Some(source), Some(relative)) = (&valid.voucher, &stored) {
            copy_voucher(&data_dir, relative, source)?;
        }
        let detail = json!({"banco": valid.provider, "tipo": valid.tipo, "monto": valid.monto});
        audit(&tx, Some(actor.id), "create_agent_transaction", "agent_transaction", Some(id), detail, &now)?;
        let record = load_agent(&tx, id)?;
        tx.commit()?;
        if planned.is_some() {
            self.wake_sync();
        }
        Ok(record)
    }

    /// One agent transaction; a cashier only one of their own sessions.
    pub fn get_agent_transaction(&self, id: i64) -> CoreResult<TransaccionAgente> {
        let scope = self.reader_scope()?;
        let record = load_agent(&self.conn, id)?;
        self.may_read_session(scope, record.id_caja_sesion)?;
        Ok(record)
    }

    /// Agent transactions, newest first, filtered by session, provider, type and local
    /// dates; a cashier's only of their own sessions.
    pub fn list_agent_transactions(&self, filter: AgentFilter) -> CoreResult<Page<TransaccionAgente>> {
        let owner = self.reader_scope()?;
        let paging = ops::paging(filter.page, filter.size, 1)?;
        let provider = match filter.banco.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            Some(banco) => Some(provider_code(&self.conn, "banco", banco)?),
            None => None,
        };
        let tipo = match filter.tipo_operacion.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(tipo) => Some(parse_tipo(tipo)?),
            None => None,
        };
        let dates = ops::date_range(("desde", &filter.desde), ("hasta", &filter.hasta))?;
        // The previous page's last row, checked before anything is counted.
        let after = match filter.despues_de {
            Some(last) => Some((
                last,
                store::agents::fecha_of(&self.conn, last)?
                    .ok_or_else(|| CoreError::not_found("despues_de", "la transacción de agente"))?,
            )),
            None => None,
        };
        let query = store::agents::AgentQuery {
            session_id: filter.id_caja_sesion,
            owner,
            provider,
            tipo,
            from: dates.start,
            before: dates.end,
            from_day: dates.from_day.map(|d| d.to_string()),
            to_day: dates.to_day.map(|d| d.to_string()),
            after,
        };
        Ok(store::agents::list(&self.conn, query, paging)?)
    }

    /// Voids an agent transaction by its exact reversing transfers: administrator only,
    /// with a reason, while its session is open, at most once.
    pub fn void_agent_transaction(&mut self, input: VoidInput) -> CoreResult<TransaccionAgente> {
        let record = self.void_record(input, |tx, actor, record: &TransaccionAgente, session, motivo, now| {
            // A voided operation earns the store no bank commission: take back what was accrued.
            if record.comision_banco.is_positive() {
                ops::reverse(tx, &OperationKey::BankCommission(record.id), session.session_id, actor.id, now)?;
            }
            outbox::on_void(tx, record.id, motivo, actor.id, now)
        })?;
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
        let provider = provider_code(&self.conn, "banco", &input.banco)?;
        if input.csv.trim().is_empty() {
            return Err(CoreError::required("csv"));
        }
        if input.csv.len() > IMPORT_MAX_BYTES {
            return Err(CoreError::new(ErrorCode::TextoDemasiadoLargo, "csv", "El archivo de comisiones supera 2 MB."));
        }
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let mut settlement = Settlement { provider: &provider, actor, now: &now, ..Settlement::default() };
        for line in statement_lines(&input.csv) {
            settlement.apply(&tx, line)?;
        }
        let monto_pagado = if input.pagado { settlement.pay_outstanding(&tx)? } else { Money::ZERO };
        let Settlement { conciliadas, sin_coincidencia, diferencias, total, .. } = settlement;
        let row = store::agents::SettlementRow {
            provider: &provider,
            lines: (conciliadas.len() + sin_coincidencia.len()) as i64,
            matched: conciliadas.len() as i64,
            total,
            paid: input.pagado,
            operator_id: actor,
        };
        store::agents::insert_settlement(&tx, &row, &now)?;
        let detail = json!({"banco": provider, "total": total, "sin_coincidencia": sin_coincidencia.len()});
        audit(&tx, Some(actor), "settle_bank_commissions", "provider", None, detail, &now)?;
        tx.commit()?;
        Ok(SettlementReport { banco: provider, conciliadas, sin_coincidencia, total, pagado: input.pagado, monto_pagado, diferencias })
    }
}

fn parse_tipo(text: &str) -> CoreResult<TipoOperacion> {
    TipoOperacion::parse(text).ok_or_else(|| CoreError::invalid("tipo_operacion", "debe ser DEPOSITO, RETIRO o TRANSFERENCIA_QR"))
}

/// An agent transaction's validated input.
struct ValidAgent {
    provider: String,
    tipo: TipoOperacion,
    monto: Money,
    /// As typed; `None`: the tariff's (or none).
    comision: Option<Money>,
    referencia: String,
    voucher: Option<std::path::PathBuf>,
    cuenta: Option<String>,
    cuit: Option<String>,
    cliente: Option<ClienteIdentidad>,
    motivo_comision: Option<String>,
}

impl ValidAgent {
    fn read(conn: &Connection, input: &NewAgentTransaction) -> CoreResult<Self> {
        let provider = provider_code(conn, "banco", &input.banco)?;
        let tipo = parse_tipo(input.tipo_operacion.trim())?;
        let monto = Money::parse_positive("monto", &input.monto)?;
        if monto < AGENT_MINIMUM {
            return Err(CoreError::new(ErrorCode::MontoBajoMinimo, "monto", "El monto mínimo de una operación de agente es Bs 1.00."));
        }
        let comision = match input.comision_cliente.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(_) => Some(ops::amount_or_zero("comision_cliente", &input.comision_cliente)?),
            None => None,
        };
        let referencia = text::required("nro_referencia", &input.nro_referencia, REFERENCE_MAX)?;
        let voucher = input.comprobante.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(check_voucher).transpose()?;
        let cuenta = outbox::customer_account(input.cuenta_cliente.as_deref())?;
        let cuit = outbox::customer_cuit(input.cuit_cliente.as_deref())?;
        let cliente = input.cliente.as_ref().map(provider_rules::read_customer).transpose()?;
        let motivo_comision = text::optional("motivo_comision", input.motivo_comision.as_deref(), 200)?;
        Ok(ValidAgent { provider, tipo, monto, comision, referencia, voucher, cuenta, cuit, cliente, motivo_comision })
    }
}

/// The smallest agent transaction.
pub const AGENT_MINIMUM: Money = Money::from_centavos(100);

/// The cash and float moves of an agent transaction: the client commission into the
/// drawer first (so a RETIRO may pay out of it), then the amount between float and drawer.
fn post_agent_transfers(
    conn: &Connection,
    valid: &ValidAgent,
    comision: Money,
    id: i64,
    session: &ops::SessionDrawer,
    operator_id: i64,
    now: &str,
) -> CoreResult<()> {
    let operation = OperationKey::Agent(id);
    let float = ledger::existing(conn, &AccountCode::ProviderFloat(valid.provider.clone()))?;
    let income = ledger::existing(conn, &AccountCode::Income(Income::ClientCommission))?;
    let base = ledger::Transfer {
        from: income,
        to: session.drawer,
        amount: comision,
        kind: TransferKind::ClientCommission,
        session_id: Some(session.session_id),
        operator_id,
        operation: Some(&operation),
    };
    let mut transfers = Vec::with_capacity(2);
    if comision.is_positive() {
        transfers.push(base);
    }
    let amount = ledger::Transfer { from: float, to: session.drawer, amount: valid.monto, kind: valid.tipo.into(), ..base };
    // The drawer's side of the amount is the rule the UI shows (domain/rules.rs).
    transfers.push(if valid.tipo.drawer_effect().receives_monto() { amount } else { amount.flipped() });
    ops::post_all(conn, &transfers, "monto", now)
}

/// One row of a commission statement: its line number, text and fields, or the number of
/// a line the CSV reader could not read.
struct StatementLine {
    linea: i64,
    text: String,
    fields: Option<Vec<String>>,
    first: bool,
}

/// The non-empty rows of a statement read as CSV (`domain::csv_text`: `,` or `;`, quotes,
/// comma decimals, a byte-order mark), numbered as the file has them.
fn statement_lines(csv: &str) -> impl Iterator<Item = StatementLine> {
    csv_text::read_rows(csv).into_iter().enumerate().map(|(n, row)| match row {
        Ok(row) => StatementLine { linea: row.line, text: row.text, fields: Some(row.fields), first: n == 0 },
        Err(linea) => StatementLine { linea, text: String::new(), fields: None, first: n == 0 },
    })
}

/// Why a statement row is not `referencia,importe`, or the reference and the amount read.
fn parse_statement_line(fields: &[String]) -> Result<(&str, CoreResult<Money>), &'static str> {
    match fields {
        [referencia, importe, rest @ ..] if rest.iter().all(String::is_empty) => {
            Ok((referencia.as_str(), Money::parse_non_negative("comision_banco", importe)))
        }
        [_, _, ..] => Err("tiene más de dos columnas (una comisión con coma decimal va entre comillas o en un archivo separado por «;»)"),
        _ => Err("no tiene dos columnas"),
    }
}

/// A settlement being applied, line by line, in one transaction.
#[derive(Default)]
struct Settlement<'a> {
    provider: &'a str,
    actor: i64,
    now: &'a str,
    conciliadas: Vec<SettledLine>,
    sin_coincidencia: Vec<UnmatchedLine>,
    diferencias: Vec<CommissionDifference>,
    total: Money,
}

impl Settlement<'_> {
    fn apply(&mut self, conn: &Connection, line: StatementLine) -> CoreResult<()> {
        let unmatched = |motivo: &str| UnmatchedLine { linea: line.linea, texto: line.text.chars().take(120).collect(), motivo: motivo.into() };
        let Some(fields) = &line.fields else {
            self.sin_coincidencia.push(unmatched("no se puede leer como CSV"));
            return Ok(());
        };
        let (referencia, comision) = match parse_statement_line(fields) {
            Ok(parsed) => parsed,
            Err(motivo) => {
                self.sin_coincidencia.push(unmatched(motivo));
                return Ok(());
            }
        };
        let found = store::agents::by_reference(conn, self.provider, referencia)?;
        // A header: the first line, with no amount and no known reference. A first line
        // naming a transaction is data, and reported if its amount is unreadable.
        if line.first && comision.is_err() && found.is_none() {
            return Ok(());
        }
        let Ok(comision) = comision else {
            self.sin_coincidencia.push(unmatched("la comisión no es un monto válido"));
            return Ok(());
        };
        let Some(found) = found else {
            self.sin_coincidencia.push(unmatched("ninguna transacción tiene esa referencia"));
            return Ok(());
        };
        if found.voided {
            self.sin_coincidencia.push(unmatched("la transacción está anulada"));
            return Ok(());
        }
        self.accrue(conn, found.id, found.bank_commission, comision)?;
        if let Some(esperada) = store::provider_rules::expected_bank_commission(conn, found.id)?.filter(|e| *e != comision) {
            let diferencia = Money::from_centavos(comision.centavos() - esperada.centavos());
            self.diferencias.push(CommissionDifference { id_transaccion: found.id, nro_referencia: referencia.to_string(), esperada, pagada: comision, diferencia });
        }
        self.conciliadas.push(SettledLine { linea: line.linea, nro_referencia: referencia.to_string(), id_transaccion: found.id, comision_banco: comision });
        Ok(())
    }

    /// Books the change of a transaction's bank commission as a receivable.
    fn accrue(&mut self, conn: &Connection, id: i64, previous: Money, comision: Money) -> CoreResult<()> {
        let change = comision.checked_sub(previous).ok_or_else(|| CoreError::internal("desborde"))?;
        if change == Money::ZERO {
            return Ok(());
        }
        let receivable = ledger::existing(conn, &AccountCode::BankCommissionReceivable(self.provider.to_string()))?;
        let income = ledger::existing(conn, &AccountCode::Income(Income::BankCommission))?;
        let operation = OperationKey::BankCommission(id);
        let accrual = ledger::Transfer {
            from: income,
            to: receivable,
            amount: change.abs(),
            kind: TransferKind::BankCommission,
            session_id: None,
            operator_id: self.actor,
            operation: Some(&operation),
        };
        let accrual = if change.is_negative() { accrual.flipped() } else { accrual };
        ops::post_all(conn, &[accrual], "csv", self.now)?;
        store::agents::set_bank_commission(conn, id, comision)?;
        self.total = self.total.checked_add(change).ok_or_else(|| CoreError::internal("desborde"))?;
        Ok(())
    }

    /// Paid: the bank has put everything it owes the store into the float, so the whole
    /// outstanding receivable (earlier imports included) moves there. Returns the amount.
    fn pay_outstanding(&self, conn: &Connection) -> CoreResult<Money> {
        let receivable = ledger::existing(conn, &AccountCode::BankCommissionReceivable(self.provider.to_string()))?;
        let outstanding = ledger::balance(conn, receivable)?;
        if !outstanding.is_positive() {
            return Ok(Money::ZERO);
        }
        let float = ledger::existing(conn, &AccountCode::ProviderFloat(self.provider.to_string()))?;
        let operation = OperationKey::CommissionSettlement(self.provider.to_string());
        let payment = ledger::Transfer {
            from: receivable,
            to: float,
            amount: outstanding,
            kind: TransferKind::BankCommissionPaid,
            session_id: None,
            operator_id: self.actor,
            operation: Some(&operation),
        };
        ops::post_all(conn, &[payment], "csv", self.now)?;
        Ok(outstanding)
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

/// Copies the voucher to `relative` (see [`voucher_path`]) in the data folder, durably,
/// before the row naming it commits: written under a partial name, flushed, renamed, and
/// the folder flushed. A crash before the commit leaves at most an orphaned file, which
/// no row names and the automatic backup pass removes (`backup::clean_orphan_vouchers`).
fn copy_voucher(data_dir: &Path, relative: &str, source: &Path) -> CoreResult<()> {
    let target = data_dir.join(relative);
    std::fs::create_dir_all(target.parent().unwrap_or(data_dir)).map_err(CoreError::internal)?;
    let partial = store::backup::partial_name(&target);
    let written = std::fs::copy(source, &partial)
        .and_then(|_| std::fs::File::open(&partial)?.sync_all())
        .and_then(|_| std::fs::rename(&partial, &target))
        .and_then(|_| store::backup::sync_dir(&target));
    written.map_err(|_| {
        let _ = std::fs::remove_file(&partial);
        CoreError::new(ErrorCode::ArchivoInvalido, "comprobante", "No se pudo copiar el comprobante.")
    })
}
