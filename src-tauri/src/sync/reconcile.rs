//! End-of-day reconciliation: the provider's transaction list for a store-local day
//! against the calls the store made, kept as a report.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::connectors::{wallet, ProviderTransaction};
use crate::domain::{
    CoreError, CoreResult, Contrato, ErrorCode, EstadoConciliacion, EstadoEnvio, LlamadaApi, Money, ReconciliationLine,
    ReconciliationReport,
};
use crate::domain::{clock, csv_text};
use crate::store::{providers, reconciliation};

pub use crate::store::reconciliation::LocalCall;

/// The provider's contract, if its API can be reconciled against (it lists transactions).
pub fn check_reconcilable(conn: &Connection, provider: &str) -> CoreResult<Contrato> {
    match providers::contract(conn, provider)? {
        None => Err(CoreError::new(
            ErrorCode::ConciliacionNoDisponible,
            "banco",
            format!("El «banco» {provider} no está conectado a su API: no hay lista del proveedor con qué conciliar."),
        )),
        Some(Contrato::BancoV1) => Err(CoreError::new(
            ErrorCode::ConciliacionNoDisponible,
            "banco",
            format!("El contrato del «banco» {provider} (transfers-management v1) no ofrece una lista de transacciones: concilie con el extracto del banco (CSV referencia,monto)."),
        )),
        Some(contract) => Ok(contract),
    }
}

/// Whether the provider is connected at all (a statement can be reconciled for any contract).
pub fn check_connected(conn: &Connection, provider: &str) -> CoreResult<()> {
    if providers::is_connected(conn, provider)? {
        Ok(())
    } else {
        Err(CoreError::new(
            ErrorCode::ConciliacionNoDisponible,
            "banco",
            format!("El «banco» {provider} no está conectado a su API: la tienda no le envía nada que conciliar."),
        ))
    }
}

/// Largest statement accepted, as for the commission statement.
pub const STATEMENT_MAX_BYTES: usize = crate::domain::rules::IMPORT_MAX_BYTES;

/// A provider's statement: one `referencia,monto` row per line (the bank's `trnRqUID` or
/// the wallet's `reference_id`, and the amount), read as CSV (`domain::csv_text`): `,` or
/// `;` between fields, quotes, comma decimals, a byte-order mark; a header row and blank
/// lines are skipped. A line that cannot be read is refused with its number, so nothing is
/// half-reconciled.
pub fn parse_statement(text: &str) -> CoreResult<Vec<ProviderTransaction>> {
    if text.trim().is_empty() {
        return Err(CoreError::required("extracto"));
    }
    if text.len() > STATEMENT_MAX_BYTES {
        return Err(CoreError::new(ErrorCode::TextoDemasiadoLargo, "extracto", "El extracto del proveedor supera 2 MB."));
    }
    let bad = |line: i64, detail: &str| {
        CoreError::new(
            ErrorCode::ValorInvalido,
            "extracto",
            format!("El «extracto del proveedor» tiene un error en la línea {line}: {detail}."),
        )
    };
    let mut lines = Vec::new();
    for (index, row) in csv_text::read_rows(text).into_iter().enumerate() {
        let row = row.map_err(|line| bad(line, "no se puede leer como CSV"))?;
        let field = |i: usize| row.fields.get(i).map_or("", String::as_str);
        let (reference, amount) = (field(0), field(1));
        // A header names its columns: no digits in either.
        if index == 0 && !reference.bytes().chain(amount.bytes()).any(|b| b.is_ascii_digit()) {
            continue;
        }
        if row.fields.iter().skip(2).any(|f| !f.is_empty()) {
            return Err(bad(
                row.line,
                "tiene más de dos columnas (un monto con coma decimal va entre comillas o en un archivo separado por «;»)",
            ));
        }
        if reference.is_empty() || reference.len() > 60 {
            return Err(bad(row.line, "falta la referencia o es demasiado larga"));
        }
        let amount = Money::parse_positive("extracto", amount)
            .map_err(|_| bad(row.line, "el monto no es un número positivo con hasta dos decimales"))?;
        lines.push(ProviderTransaction {
            provider_ref: None,
            reference: Some(reference.to_string()),
            amount,
            operation: "extracto".into(),
            at: format!("línea {}", row.line),
            income: None,
            status: None,
            holder: None,
            cuit: None,
            cvu_cbu: None,
        });
    }
    Ok(lines)
}

/// The store's calls to `provider` for operations of the store-local `day`.
pub fn local_calls(conn: &Connection, provider: &str, day: NaiveDate) -> CoreResult<Vec<LocalCall>> {
    let from = clock::start_of_local_day(day);
    let to = clock::start_of_local_day(day.succ_opt().unwrap_or(day));
    Ok(reconciliation::local_calls(conn, provider, &from, &to)?)
}

/// What a wallet call can be matched on in a list without ids.
fn facts(call: &LocalCall) -> Option<wallet::SentFacts> {
    match call.call {
        LlamadaApi::Cashout => wallet::SentFacts::of_cashout(&call.body),
        LlamadaApi::VerificarCobro => Some(wallet::SentFacts::of_cashin(call.amount)),
        _ => None,
    }
}

/// Matches each local call with the provider's record: by the store's key when the
/// provider echoes it (a statement's `referencia`), else, for a wallet call, on the
/// list's documented fields (amount, direction, CUIT, CVU/CBU; status decides). The
/// ambiguity rule (CONTRACTS.md): a call that two unmatched listed operations fit, or
/// whose one candidate another call fits too, is `REQUIERE_ATENCION` with every
/// candidate shown, never a pick; a candidate listed as pending is not a confirmation.
/// What is left on either side is flagged.
pub fn match_records(local: &[LocalCall], remote: &[ProviderTransaction]) -> Vec<ReconciliationLine> {
    let mut used = vec![false; remote.len()];
    let mut lines = Vec::new();
    let by_fields = match_by_key(local, remote, &mut used, &mut lines);
    match_by_fields(&by_fields, remote, &mut used, &mut lines);
    lines.extend(remote.iter().zip(&used).filter(|(_, used)| !**used).map(|(t, _)| unknown_in_store(t)));
    lines
}

/// Whether the listed record names this call: it echoes the store's key, carries the
/// provider's reference the call got back, or (a charge check) the checked charge's id.
fn names_call(call: &LocalCall, t: &ProviderTransaction) -> bool {
    t.reference.as_deref() == Some(call.key.as_str())
        || (t.provider_ref.is_some()
            && (t.provider_ref == call.provider_ref
                || (call.call == LlamadaApi::VerificarCobro && t.provider_ref.as_deref() == Some(call.key.as_str()))))
}

/// The first pass: each call against the first unused record that names it, reconciled
/// when the amounts agree, flagged when they differ. Returns the calls no record names.
fn match_by_key<'a>(
    local: &'a [LocalCall],
    remote: &[ProviderTransaction],
    used: &mut [bool],
    lines: &mut Vec<ReconciliationLine>,
) -> Vec<&'a LocalCall> {
    let mut unnamed = Vec::new();
    for call in local {
        let found = remote.iter().enumerate().position(|(i, t)| !used[i] && names_call(call, t));
        match found {
            Some(i) if remote[i].amount == call.amount => {
                used[i] = true;
                lines.push(line(EstadoConciliacion::Conciliada, call, remote[i].provider_ref.clone(), "Coincide con el proveedor.".into()));
            }
            Some(i) => {
                used[i] = true;
                let detail = format!("El proveedor la registra por Bs {} y la tienda por Bs {}.", remote[i].amount, call.amount);
                lines.push(line(EstadoConciliacion::FaltaEnProveedor, call, remote[i].provider_ref.clone(), detail));
            }
            None => unnamed.push(call),
        }
    }
    unnamed
}

/// The second pass, on the documented fields: every call's candidates first, so a listed
/// operation two calls fit is seen as shared.
fn match_by_fields(calls: &[&LocalCall], remote: &[ProviderTransaction], used: &mut [bool], lines: &mut Vec<ReconciliationLine>) {
    let candidates: Vec<Vec<usize>> = calls
        .iter()
        .map(|call| match facts(call) {
            Some(sent) => (0..remote.len()).filter(|&i| !used[i] && wallet::is_candidate(&sent, &remote[i])).collect(),
            None => Vec::new(),
        })
        .collect();
    let shared = |i: usize| candidates.iter().filter(|c| c.contains(&i)).count() > 1;
    for (call, mine) in calls.iter().zip(&candidates) {
        let reconciled = match mine.as_slice() {
            [] => without_candidate(call),
            [one] if !shared(*one) => with_one_candidate(call, &remote[*one]),
            many => with_many_candidates(call, many, many.iter().any(|&i| shared(i)), remote),
        };
        for &i in mine {
            used[i] = true;
        }
        lines.push(reconciled);
    }
}

/// A call no listed operation fits: what the store knows of it says why.
fn without_candidate(call: &LocalCall) -> ReconciliationLine {
    let detail = match call.state {
        EstadoEnvio::Acked => "El proveedor la confirmó pero no figura en su lista del día.",
        EstadoEnvio::NeedsAttention => "El proveedor la rechazó; requiere atención.",
        _ => "Aún no se envió al proveedor (pendiente en la cola).",
    };
    line(EstadoConciliacion::FaltaEnProveedor, call, call.provider_ref.clone(), detail.into())
}

/// A call exactly one listed operation fits, and no other call: its listed status decides.
fn with_one_candidate(call: &LocalCall, listed: &ProviderTransaction) -> ReconciliationLine {
    let (estado, detail) = match wallet::listed_status(listed.status.as_deref()) {
        wallet::ListedStatus::Confirmed => {
            (EstadoConciliacion::Conciliada, format!("Coincide con el proveedor: {}.", wallet::describe(listed)))
        }
        wallet::ListedStatus::Failed => (
            EstadoConciliacion::FaltaEnProveedor,
            format!("El proveedor la lista como no realizada: {}.", wallet::describe(listed)),
        ),
        wallet::ListedStatus::Pending => (
            EstadoConciliacion::RequiereAtencion,
            format!("El proveedor la lista sin confirmar: {}.", wallet::describe(listed)),
        ),
    };
    line(estado, call, call.provider_ref.clone(), detail)
}

/// A call several listed operations fit, or whose one candidate another call fits too:
/// never a pick, every candidate shown.
fn with_many_candidates(call: &LocalCall, many: &[usize], shared: bool, remote: &[ProviderTransaction]) -> ReconciliationLine {
    let detail = format!(
        "Requiere atención: {} operaciones del proveedor coinciden{}: {}.",
        many.len(),
        if shared { " (y también con otro envío de la tienda)" } else { "" },
        many.iter().map(|&i| wallet::describe(&remote[i])).collect::<Vec<_>>().join(" | ")
    );
    line(EstadoConciliacion::RequiereAtencion, call, call.provider_ref.clone(), detail)
}

/// A listed operation no call of the store's matched.
fn unknown_in_store(t: &ProviderTransaction) -> ReconciliationLine {
    ReconciliationLine {
        estado: EstadoConciliacion::DesconocidaEnTienda,
        id_transaccion: None,
        referencia: t.reference.clone(),
        referencia_proveedor: t.provider_ref.clone(),
        monto: t.amount,
        detalle: format!("{} que la tienda no registró.", wallet::describe(t)),
    }
}

fn line(estado: EstadoConciliacion, call: &LocalCall, provider_ref: Option<String>, detalle: String) -> ReconciliationLine {
    ReconciliationLine {
        estado,
        id_transaccion: Some(call.agent_transaction_id),
        referencia: Some(call.key.clone()),
        referencia_proveedor: provider_ref,
        monto: call.amount,
        detalle,
    }
}

/// Matches the provider's `remote` records of `day` with the store's calls, read in the
/// caller's write transaction, and stores the report; the caller commits it.
pub fn record(
    tx: &Connection,
    provider: &str,
    day: NaiveDate,
    operator: Option<i64>,
    now: &str,
    remote: &[ProviderTransaction],
) -> CoreResult<ReconciliationReport> {
    let local = local_calls(tx, provider, day)?;
    save(tx, provider, day, operator, now, match_records(&local, remote))
}

/// Stores a report; the caller's transaction commits it.
pub fn save(
    conn: &Connection,
    provider: &str,
    day: NaiveDate,
    operator: Option<i64>,
    now: &str,
    lines: Vec<ReconciliationLine>,
) -> CoreResult<ReconciliationReport> {
    let count = |estado| lines.iter().filter(|l| l.estado == estado).count() as i64;
    let (conciliadas, faltan, desconocidas) = (
        count(EstadoConciliacion::Conciliada),
        count(EstadoConciliacion::FaltaEnProveedor),
        count(EstadoConciliacion::DesconocidaEnTienda),
    );
    let mut report = ReconciliationReport {
        id: 0,
        banco: provider.to_string(),
        dia: day.to_string(),
        creado: now.to_string(),
        conciliadas,
        faltan_en_proveedor: faltan,
        desconocidas,
        lineas: lines,
    };
    report.id = reconciliation::insert(conn, &report, operator)?;
    Ok(report)
}

pub fn load(conn: &Connection, id: i64) -> CoreResult<ReconciliationReport> {
    reconciliation::load(conn, id)?.ok_or_else(|| CoreError::not_found("id", "la conciliación"))
}

/// The report as CSV (comma-separated, amounts as `150.50`, quoted where needed), for the
/// manager's records; written by the csv crate, a formula made inert.
pub fn to_csv(report: &ReconciliationReport) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let mut write = |fields: &[String]| writer.write_record(fields.iter().map(|f| csv_text::inert(f).into_owned()));
    let header = ["estado", "id_transaccion", "referencia", "referencia_proveedor", "monto", "detalle"].map(String::from);
    // Writing into memory cannot fail.
    let _ = write(&header);
    for l in &report.lineas {
        let _ = write(&[
            l.estado.as_str().to_string(),
            l.id_transaccion.map(|id| id.to_string()).unwrap_or_default(),
            l.referencia.clone().unwrap_or_default(),
            l.referencia_proveedor.clone().unwrap_or_default(),
            l.monto.to_string(),
            l.detalle.clone(),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
