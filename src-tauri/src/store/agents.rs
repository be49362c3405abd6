//! Providers (banks and wallets), agent transactions and bank-commission settlements: the
//! queries and row mappers.

use rusqlite::{params, Connection, OptionalExtension};

use super::query::{self, After, Filter, Listing, Paging};
use crate::domain::{AccountCode, ClienteIdentidad, Money, Page, Provider, TipoOperacion, TransaccionAgente};

pub fn provider_exists(conn: &Connection, code: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM providers WHERE code = ?1)")?.query_row([code], |r| r.get(0))
}

/// Every provider with its float and its accrued bank commissions, by name.
pub fn providers(conn: &Connection) -> rusqlite::Result<Vec<Provider>> {
    let named: Vec<(String, String)> =
        conn.prepare_cached("SELECT code, name FROM providers ORDER BY name")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    named
        .into_iter()
        .map(|(code, name)| {
            let saldo = super::ledger::balance_of(conn, &AccountCode::ProviderFloat(code.clone()))?;
            let comision_por_cobrar = super::ledger::balance_of(conn, &AccountCode::BankCommissionReceivable(code.clone()))?;
            Ok(Provider { code, name, saldo, comision_por_cobrar })
        })
        .collect()
}

/// Adds a provider with its float and commission-receivable accounts.
pub fn insert_provider(conn: &Connection, code: &str, name: &str, at: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO providers (code, name, created_at) VALUES (?1, ?2, ?3)", params![code, name, at])?;
    super::ledger::create_account(conn, &AccountCode::ProviderFloat(code.into()), false)?;
    super::ledger::create_account(conn, &AccountCode::BankCommissionReceivable(code.into()), true)?;
    Ok(())
}

const COLUMNS: &str = "id, banco, tipo_operacion, monto, comision_cliente, comision_banco, nro_referencia,
     url_comprobante, fecha, id_caja_sesion, operator_id, voided_at, void_reason, cuenta_cliente,
     ci_numero, ci_complemento, ci_expedido, cliente_nombre";

/// The transactions with the customer recorded for each (`agent_transaction_terms`, V11).
const WITH_TERMS: &str = "agent_transactions LEFT JOIN agent_transaction_terms ON agent_transaction_id = id";

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
        cliente: match r.get::<_, Option<String>>(14)? {
            Some(ci_numero) => Some(ClienteIdentidad { ci_numero, ci_complemento: r.get(15)?, ci_expedido: r.get(16)?, nombre: r.get(17)? }),
            None => None,
        },
    })
}

const LISTING: Listing<TransaccionAgente> =
    Listing { from: WITH_TERMS, columns: COLUMNS, order: "fecha DESC, id DESC", row: agent_from_row };

pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<TransaccionAgente>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {WITH_TERMS} WHERE id = ?1"))?
        .query_row([id], agent_from_row)
        .optional()
}

pub fn reference_taken(conn: &Connection, provider: &str, reference: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM agent_transactions WHERE banco = ?1 AND nro_referencia = ?2)")?
        .query_row(params![provider, reference], |r| r.get(0))
}

/// The id the next transaction gets, as SQLite would choose it; only meaningful under
/// the write lock. The row is immutable once written, so its voucher path goes in with it.
pub fn next_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MAX(id), 0) + 1 FROM agent_transactions")?.query_row([], |r| r.get(0))
}

/// An agent transaction's row as written.
pub struct AgentRow<'a> {
    pub id: i64,
    pub provider: &'a str,
    pub tipo: TipoOperacion,
    pub amount: Money,
    pub client_commission: Money,
    pub reference: &'a str,
    pub voucher: Option<&'a str>,
    pub session_id: i64,
    pub operator_id: i64,
    pub customer_account: Option<&'a str>,
}

pub fn insert(conn: &Connection, row: &AgentRow<'_>, at: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO agent_transactions (id, banco, tipo_operacion, monto, comision_cliente, nro_referencia, url_comprobante, fecha, id_caja_sesion, operator_id, cuenta_cliente)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        row.id,
        row.provider,
        row.tipo,
        row.amount,
        row.client_commission,
        row.reference,
        row.voucher,
        at,
        row.session_id,
        row.operator_id,
        row.customer_account
    ])?;
    Ok(())
}

/// The `fecha` of a transaction, for a keyset page that starts after it.
pub fn fecha_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT fecha FROM agent_transactions WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()
}

/// The agent list's filter. `from`/`before` are stored instants; `from_day`/`to_day` the
/// same range as local dates, for the daily counts.
pub struct AgentQuery {
    pub session_id: Option<i64>,
    /// Only the sessions of this operator (a cashier's own).
    pub owner: Option<i64>,
    pub provider: Option<String>,
    pub tipo: Option<TipoOperacion>,
    pub from: Option<String>,
    pub before: Option<String>,
    pub from_day: Option<String>,
    pub to_day: Option<String>,
    /// The previous page's last row: id, with its fecha.
    pub after: Option<(i64, String)>,
}

pub fn list(conn: &Connection, q: AgentQuery, paging: Paging) -> rusqlite::Result<Page<TransaccionAgente>> {
    // Filtered by provider and dates only, the total is a sum over the daily counts.
    let known_total = match (q.session_id, q.tipo, q.owner) {
        (None, None, None) => Some(daily_count_total(conn, q.provider.as_deref(), q.from_day.as_deref(), q.to_day.as_deref())?),
        _ => None,
    };
    let mut filter = Filter::default();
    filter
        .and_some("id_caja_sesion = ?", q.session_id)
        .and_some(super::sessions::OWNED_BY, q.owner)
        .and_some("banco = ?", q.provider)
        .and_some("tipo_operacion = ?", q.tipo.map(|t| t.as_str().to_string()))
        .and_some("fecha >= ?", q.from);
    let Some((id, time)) = q.after else {
        filter.and_some("fecha < ?", q.before);
        return query::page(conn, &LISTING, &filter, paging, known_total);
    };
    let after = After { time, id };
    query::keyset_page(conn, &LISTING, &filter, "fecha < ?", "fecha <= ?", "(fecha, id) < (?, ?)", q.before, after, paging, known_total)
}

fn daily_count_total(conn: &Connection, provider: Option<&str>, from_day: Option<&str>, to_day: Option<&str>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COALESCE(SUM(cantidad), 0) FROM agent_daily_counts
         WHERE (?1 IS NULL OR banco = ?1) AND (?2 IS NULL OR dia >= ?2) AND (?3 IS NULL OR dia <= ?3)",
    )?
    .query_row(params![provider, from_day, to_day], |r| r.get(0))
}

/// A transaction named by a commission statement line.
pub struct Settleable {
    pub id: i64,
    pub bank_commission: Money,
    pub voided: bool,
}

pub fn by_reference(conn: &Connection, provider: &str, reference: &str) -> rusqlite::Result<Option<Settleable>> {
    conn.prepare_cached("SELECT id, comision_banco, voided_at IS NOT NULL FROM agent_transactions WHERE banco = ?1 AND nro_referencia = ?2")?
        .query_row(params![provider, reference], |r| Ok(Settleable { id: r.get(0)?, bank_commission: r.get(1)?, voided: r.get(2)? }))
        .optional()
}

pub fn set_bank_commission(conn: &Connection, id: i64, commission: Money) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE agent_transactions SET comision_banco = ?2 WHERE id = ?1")?.execute(params![id, commission])?;
    Ok(())
}

/// A settlement's summary row.
pub struct SettlementRow<'a> {
    pub provider: &'a str,
    pub lines: i64,
    pub matched: i64,
    pub total: Money,
    pub paid: bool,
    pub operator_id: i64,
}

pub fn insert_settlement(conn: &Connection, s: &SettlementRow<'_>, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO bank_commission_settlements (banco, lineas, conciliadas, total, pagado, operator_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![s.provider, s.lines, s.matched, s.total, s.paid, s.operator_id, at],
    )?;
    Ok(())
}
