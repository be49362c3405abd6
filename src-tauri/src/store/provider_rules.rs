//! Provider limits, commission tariffs, the terms recorded with an agent transaction (its
//! customer, the tariff's commissions) and the wallet balance checks: queries and mappers.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{
    Band, BalanceCheck, ClienteIdentidad, ClienteResumen, MomentoSaldo, Money, ProviderLimit, Redondeo, RuleChange, Tariff,
    TipoOperacion, TipoRegla,
};

const LIMIT_COLUMNS: &str = "banco, tipo_operacion, monto_minimo, monto_maximo, total_diario, total_mensual, identidad,
     identidad_desde, identidad_en_recibo";

fn limit_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProviderLimit> {
    Ok(ProviderLimit {
        banco: r.get(0)?,
        tipo_operacion: r.get(1)?,
        monto_minimo: r.get(2)?,
        monto_maximo: r.get(3)?,
        total_diario: r.get(4)?,
        total_mensual: r.get(5)?,
        identidad: r.get(6)?,
        identidad_desde: r.get(7)?,
        identidad_en_recibo: r.get(8)?,
    })
}

pub fn limits(conn: &Connection) -> rusqlite::Result<Vec<ProviderLimit>> {
    conn.prepare_cached(&format!("SELECT {LIMIT_COLUMNS} FROM provider_limits ORDER BY banco, tipo_operacion"))?
        .query_map([], limit_from_row)?
        .collect()
}

pub fn limit(conn: &Connection, provider: &str, tipo: TipoOperacion) -> rusqlite::Result<Option<ProviderLimit>> {
    conn.prepare_cached(&format!("SELECT {LIMIT_COLUMNS} FROM provider_limits WHERE banco = ?1 AND tipo_operacion = ?2"))?
        .query_row(params![provider, tipo], limit_from_row)
        .optional()
}

/// Writes a provider's limits for one type, replacing what was there.
pub fn put_limit(conn: &Connection, l: &ProviderLimit, operator_id: i64, at: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO provider_limits (banco, tipo_operacion, monto_minimo, monto_maximo, total_diario, total_mensual, identidad,
             identidad_desde, identidad_en_recibo, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (banco, tipo_operacion) DO UPDATE SET monto_minimo = ?3, monto_maximo = ?4, total_diario = ?5,
             total_mensual = ?6, identidad = ?7, identidad_desde = ?8, identidad_en_recibo = ?9, updated_at = ?10, updated_by = ?11",
    )?
    .execute(params![
        l.banco,
        l.tipo_operacion,
        l.monto_minimo,
        l.monto_maximo,
        l.total_diario,
        l.total_mensual,
        l.identidad,
        l.identidad_desde,
        l.identidad_en_recibo,
        at,
        operator_id
    ])?;
    Ok(())
}

/// What a customer (by document) has done with a provider, of one type, from `from` (a
/// stored instant) on, voided operations left out.
pub fn customer_total(conn: &Connection, provider: &str, tipo: TipoOperacion, ci: (&str, Option<&str>), from: &str) -> rusqlite::Result<Money> {
    conn.prepare_cached(
        "SELECT COALESCE(SUM(a.monto), 0) FROM agent_transaction_terms t JOIN agent_transactions a ON a.id = t.agent_transaction_id
         WHERE t.ci_numero = ?1 AND t.ci_complemento IS ?2 AND a.banco = ?3 AND a.tipo_operacion = ?4
           AND a.voided_at IS NULL AND a.fecha >= ?5",
    )?
    .query_row(params![ci.0, ci.1, provider, tipo, from], |r| r.get(0))
}

/// A provider's tariff for one type: its rounding and bands, lowest first.
pub fn tariff(conn: &Connection, provider: &str, tipo: TipoOperacion) -> rusqlite::Result<Option<(Redondeo, Vec<Band>)>> {
    let rows: Vec<(Redondeo, Band)> = conn
        .prepare_cached(
            "SELECT redondeo, desde, hasta, cliente_tipo, cliente_valor, banco_tipo, banco_valor FROM commission_tariffs
             WHERE banco = ?1 AND tipo_operacion = ?2 ORDER BY desde",
        )?
        .query_map(params![provider, tipo], |r| {
            Ok((
                r.get(0)?,
                Band { desde: r.get(1)?, hasta: r.get(2)?, cliente: (r.get(3)?, r.get(4)?), banco: (r.get(5)?, r.get(6)?) },
            ))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows.first().map(|(redondeo, _)| *redondeo).map(|redondeo| (redondeo, rows.into_iter().map(|(_, b)| b).collect())))
}

/// Every provider and type with a tariff.
pub fn tariff_keys(conn: &Connection) -> rusqlite::Result<Vec<(String, TipoOperacion)>> {
    conn.prepare_cached("SELECT DISTINCT banco, tipo_operacion FROM commission_tariffs ORDER BY banco, tipo_operacion")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Replaces a provider's tariff for one type with `bands` (none: no tariff).
pub fn put_tariff(conn: &Connection, provider: &str, tipo: TipoOperacion, redondeo: Redondeo, bands: &[Band]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM commission_tariffs WHERE banco = ?1 AND tipo_operacion = ?2")?.execute(params![provider, tipo])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO commission_tariffs (banco, tipo_operacion, desde, hasta, cliente_tipo, cliente_valor, banco_tipo, banco_valor, redondeo)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for b in bands {
        insert.execute(params![provider, tipo, b.desde, b.hasta, b.cliente.0, b.cliente.1, b.banco.0, b.banco.1, redondeo])?;
    }
    Ok(())
}

/// The version a rule change replaced and the new one (`None`: none / removed).
pub enum RuleVersions<'a> {
    Limit(Option<&'a ProviderLimit>, Option<&'a ProviderLimit>),
    Tariff(Option<&'a Tariff>, Option<&'a Tariff>),
}

/// Appends one change of a provider's rule for one type to its history.
pub fn insert_rule_change(conn: &Connection, provider: &str, tipo: TipoOperacion, versions: RuleVersions<'_>, operator_id: i64, at: &str) -> rusqlite::Result<i64> {
    fn json<T: serde::Serialize>(v: Option<&T>) -> rusqlite::Result<Option<String>> {
        v.map(|v| serde_json::to_string(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))).transpose()
    }
    let (regla, anterior, nueva) = match versions {
        RuleVersions::Limit(before, after) => (TipoRegla::Limite, json(before)?, json(after)?),
        RuleVersions::Tariff(before, after) => (TipoRegla::Tarifa, json(before)?, json(after)?),
    };
    conn.prepare_cached(
        "INSERT INTO provider_rule_history (banco, tipo_operacion, regla, anterior, nueva, fecha, operador_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![provider, tipo, regla, anterior, nueva, at, operator_id])?;
    Ok(conn.last_insert_rowid())
}

/// A provider's rule changes, newest first (at most `limit`).
pub fn rule_history(conn: &Connection, provider: &str, limit: i64) -> rusqlite::Result<Vec<RuleChange>> {
    fn parsed<T: serde::de::DeserializeOwned>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<T>> {
        let text: Option<String> = r.get(i)?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))))
            .transpose()
    }
    conn.prepare_cached(
        "SELECT h.id, h.banco, h.tipo_operacion, h.regla, h.fecha, o.name, h.anterior, h.nueva
         FROM provider_rule_history h JOIN operators o ON o.id = h.operador_id
         WHERE h.banco = ?1 ORDER BY h.id DESC LIMIT ?2",
    )?
    .query_map(params![provider, limit], |r| {
        let regla: TipoRegla = r.get(3)?;
        let limit = regla == TipoRegla::Limite;
        Ok(RuleChange {
            id: r.get(0)?,
            banco: r.get(1)?,
            tipo_operacion: r.get(2)?,
            regla,
            fecha: r.get(4)?,
            operador: r.get(5)?,
            limite_anterior: if limit { parsed(r, 6)? } else { None },
            limite_nuevo: if limit { parsed(r, 7)? } else { None },
            tarifa_anterior: if limit { None } else { parsed(r, 6)? },
            tarifa_nueva: if limit { None } else { parsed(r, 7)? },
        })
    })?
    .collect()
}

/// What the rules fixed for one agent transaction.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub cliente: Option<ClienteIdentidad>,
    pub tariff_commission: Option<Money>,
    pub expected_bank_commission: Option<Money>,
    pub override_reason: Option<String>,
}

impl Terms {
    pub fn is_empty(&self) -> bool {
        self.cliente.is_none() && self.tariff_commission.is_none() && self.expected_bank_commission.is_none()
    }
}

pub fn insert_terms(conn: &Connection, id: i64, t: &Terms) -> rusqlite::Result<()> {
    let c = t.cliente.as_ref();
    conn.prepare_cached(
        "INSERT INTO agent_transaction_terms (agent_transaction_id, ci_numero, ci_complemento, ci_expedido, cliente_nombre,
             comision_tarifa, comision_banco_esperada, motivo_comision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        c.map(|c| &c.ci_numero),
        c.and_then(|c| c.ci_complemento.as_ref()),
        c.and_then(|c| c.ci_expedido.as_ref()),
        c.map(|c| &c.nombre),
        t.tariff_commission,
        t.expected_bank_commission,
        t.override_reason
    ])?;
    Ok(())
}

fn cliente_from(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Option<ClienteIdentidad>> {
    let numero: Option<String> = r.get(first)?;
    Ok(match numero {
        Some(ci_numero) => Some(ClienteIdentidad {
            ci_numero,
            ci_complemento: r.get(first + 1)?,
            ci_expedido: r.get(first + 2)?,
            nombre: r.get(first + 3)?,
        }),
        None => None,
    })
}

/// The customer recorded with a transaction, if any.
pub fn customer_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<ClienteIdentidad>> {
    Ok(conn
        .prepare_cached("SELECT ci_numero, ci_complemento, ci_expedido, cliente_nombre FROM agent_transaction_terms WHERE agent_transaction_id = ?1")?
        .query_row([id], |r| cliente_from(r, 0))
        .optional()?
        .flatten())
}

/// The bank commission the tariff expected for a transaction, if it had a tariff.
pub fn expected_bank_commission(conn: &Connection, id: i64) -> rusqlite::Result<Option<Money>> {
    Ok(conn
        .prepare_cached("SELECT comision_banco_esperada FROM agent_transaction_terms WHERE agent_transaction_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Customers whose CI starts with `text` or whose name contains it, with their count of
/// operations, the latest first; at most 50. The last name recorded for a document wins.
pub fn search_customers(conn: &Connection, text: &str) -> rusqlite::Result<Vec<ClienteResumen>> {
    let like = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let prefix = format!("{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    conn.prepare_cached(
        "SELECT t.ci_numero, t.ci_complemento,
                (SELECT ci_expedido FROM agent_transaction_terms l WHERE l.ci_numero = t.ci_numero AND l.ci_complemento IS t.ci_complemento ORDER BY agent_transaction_id DESC LIMIT 1),
                (SELECT cliente_nombre FROM agent_transaction_terms l WHERE l.ci_numero = t.ci_numero AND l.ci_complemento IS t.ci_complemento ORDER BY agent_transaction_id DESC LIMIT 1),
                COUNT(*), MAX(a.fecha)
         FROM agent_transaction_terms t JOIN agent_transactions a ON a.id = t.agent_transaction_id
         WHERE t.ci_numero IS NOT NULL AND (t.ci_numero LIKE ?1 ESCAPE '\\' OR t.cliente_nombre LIKE ?2 ESCAPE '\\')
         GROUP BY t.ci_numero, t.ci_complemento ORDER BY MAX(a.fecha) DESC LIMIT 50",
    )?
    .query_map(params![prefix, like], |r| {
        Ok(ClienteResumen { cliente: cliente_from(r, 0)?.unwrap_or_default(), operaciones: r.get(4)?, ultima: r.get(5)? })
    })?
    .collect()
}

/// The ids of a customer's agent transactions, newest first (at most 200), with the
/// customer as recorded with each.
pub fn customer_operation_ids(conn: &Connection, ci: (&str, Option<&str>)) -> rusqlite::Result<Vec<(i64, ClienteIdentidad)>> {
    conn.prepare_cached(
        "SELECT t.agent_transaction_id, t.ci_numero, t.ci_complemento, t.ci_expedido, t.cliente_nombre
         FROM agent_transaction_terms t JOIN agent_transactions a ON a.id = t.agent_transaction_id
         WHERE t.ci_numero = ?1 AND t.ci_complemento IS ?2 ORDER BY a.fecha DESC, a.id DESC LIMIT 200",
    )?
    .query_map(params![ci.0, ci.1], |r| Ok((r.get(0)?, cliente_from(r, 1)?.unwrap_or_default())))?
    .collect()
}

pub fn insert_balance_check(conn: &Connection, provider: &str, momento: MomentoSaldo, store: Money, remote: Money, at: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO provider_balance_checks (banco, fecha, momento, saldo_tienda, saldo_proveedor) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![provider, at, momento, store, remote])?;
    Ok(conn.last_insert_rowid())
}

fn check_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BalanceCheck> {
    let (tienda, proveedor): (Money, Money) = (r.get(4)?, r.get(5)?);
    Ok(BalanceCheck {
        id: r.get(0)?,
        banco: r.get(1)?,
        fecha: r.get(2)?,
        momento: r.get(3)?,
        saldo_tienda: tienda,
        saldo_proveedor: proveedor,
        diferencia: Money::from_centavos(proveedor.centavos() - tienda.centavos()),
    })
}

/// When `provider`'s balance was last checked (any moment), if ever.
pub fn last_balance_check_at(conn: &Connection, provider: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT fecha FROM provider_balance_checks WHERE banco = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([provider], |r| r.get(0))
        .optional()
}

/// Each provider's latest balance check.
pub fn latest_balance_checks(conn: &Connection) -> rusqlite::Result<Vec<BalanceCheck>> {
    conn.prepare_cached(
        "SELECT id, banco, fecha, momento, saldo_tienda, saldo_proveedor FROM provider_balance_checks
         WHERE id IN (SELECT MAX(id) FROM provider_balance_checks GROUP BY banco) ORDER BY banco",
    )?
    .query_map([], check_from_row)?
    .collect()
}

/// The balance checks of one store-local day (from `from` to before `before`), by time.
pub fn balance_checks_between(conn: &Connection, from: &str, before: &str) -> rusqlite::Result<Vec<BalanceCheck>> {
    conn.prepare_cached(
        "SELECT id, banco, fecha, momento, saldo_tienda, saldo_proveedor FROM provider_balance_checks
         WHERE fecha >= ?1 AND fecha < ?2 ORDER BY id",
    )?
    .query_map(params![from, before], check_from_row)?
    .collect()
}

/// A provider's name, for messages.
pub fn provider_name(conn: &Connection, code: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT name FROM providers WHERE code = ?1")?.query_row([code], |r| r.get(0)).optional()
}

/// A record-only provider's operations stamped from `from` to before `to`, not voided, as
/// the reconciliation's local side: keyed by the reference the provider gave the cashier.
pub fn recorded_operations(conn: &Connection, provider: &str, from: &str, to: &str) -> rusqlite::Result<Vec<super::reconciliation::LocalCall>> {
    conn.prepare_cached(
        "SELECT id, tipo_operacion, nro_referencia, monto FROM agent_transactions
         WHERE banco = ?1 AND fecha >= ?2 AND fecha < ?3 AND voided_at IS NULL ORDER BY id",
    )?
    .query_map(params![provider, from, to], |r| {
        let tipo: TipoOperacion = r.get(1)?;
        Ok(super::reconciliation::LocalCall {
            agent_transaction_id: r.get(0)?,
            // No call was made: the type only says which way the money went.
            call: if tipo == TipoOperacion::Retiro { crate::domain::LlamadaApi::VerificarCobro } else { crate::domain::LlamadaApi::Deposito },
            key: r.get(2)?,
            provider_ref: None,
            amount: r.get(3)?,
            state: crate::domain::EstadoEnvio::Acked,
            body: String::new(),
        })
    })?
    .collect()
}
