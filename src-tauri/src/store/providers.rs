//! The `providers` list and `provider_connections`: how each provider is connected to
//! its API. Only the typed rows cross this module; the rules on them live in
//! `sync::outbox` (what a connection sends) and `service::sync` (what may be configured).

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{AjustesContrato, Contrato, Money, PuntoServicio};

/// A provider's connection as stored.
#[derive(Debug, Clone)]
pub struct Link {
    pub contract: Contrato,
    pub base_url: String,
    pub send_deposito: bool,
    pub send_retiro: bool,
    pub send_qr: bool,
    pub store_account: Option<String>,
    /// Bank: the point of service its deposits are taken at.
    pub point: Option<PuntoServicio>,
    pub max_single: Money,
    pub max_queued: Money,
    /// What the documents leave open (V6); `None` fields are the documented defaults.
    pub settings: AjustesContrato,
}

/// Where and how the worker reaches a provider; `updated_at` tells it the settings changed.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub provider: String,
    pub contract: Contrato,
    pub base_url: String,
    pub updated_at: String,
}

pub fn link(conn: &Connection, provider: &str) -> rusqlite::Result<Option<Link>> {
    conn.prepare_cached(
        "SELECT contract, send_deposito, send_retiro, send_qr, store_account, max_single, max_queued, base_url,
                point_code, point_branch, point_city_id, point_city, point_state,
                token_url, bank_utc_offset, deposit_type, terminal_id, user_ip, server_ip, modifier_user,
                token_expiry_unit, wallet_concept, unknown_resend, list_trusted_days, lookup_quiet_seconds,
                balance_unit
         FROM provider_connections WHERE provider = ?1",
    )?
    .query_row([provider], |r| {
        let point = match (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?) {
            (Some(codigo), Some(nombre), Some(ciudad_id), Some(ciudad), Some(departamento)) => {
                Some(PuntoServicio { codigo, nombre, ciudad_id, ciudad, departamento })
            }
            _ => None,
        };
        Ok(Link {
            point,
            contract: r.get(0)?,
            send_deposito: r.get(1)?,
            send_retiro: r.get(2)?,
            send_qr: r.get(3)?,
            store_account: r.get(4)?,
            max_single: r.get(5)?,
            max_queued: r.get(6)?,
            base_url: r.get(7)?,
            settings: AjustesContrato {
                url_token: r.get(13)?,
                zona_horaria: r.get(14)?,
                tipo_deposito: r.get(15)?,
                terminal_id: r.get(16)?,
                ip_terminal: r.get(17)?,
                ip_servidor: r.get(18)?,
                usuario_modificador: r.get(19)?,
                unidad_expiracion: r.get(20)?,
                concepto: r.get(21)?,
                reenvio_incierto: r.get(22)?,
                dias_lista_confiable: r.get(23)?,
                segundos_espera_consulta: r.get(24)?,
                unidad_saldo: r.get(25)?,
            },
        })
    })
    .optional()
}

/// The provider's contract, `None` for a record-only provider.
pub fn contract(conn: &Connection, provider: &str) -> rusqlite::Result<Option<Contrato>> {
    conn.query_row("SELECT contract FROM provider_connections WHERE provider = ?1", [provider], |r| r.get(0)).optional()
}

pub fn is_connected(conn: &Connection, provider: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM provider_connections WHERE provider = ?1)", [provider], |r| r.get(0))
}

pub fn base_url(conn: &Connection, provider: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT base_url FROM provider_connections WHERE provider = ?1", [provider], |r| r.get(0)).optional()
}

/// Every connected provider, by code.
pub fn endpoints(conn: &Connection) -> rusqlite::Result<Vec<Endpoint>> {
    conn.prepare("SELECT provider, contract, base_url, updated_at FROM provider_connections ORDER BY provider")?
        .query_map([], |r| Ok(Endpoint { provider: r.get(0)?, contract: r.get(1)?, base_url: r.get(2)?, updated_at: r.get(3)? }))?
        .collect()
}

/// Connected providers of one contract, by code.
pub fn with_contract(conn: &Connection, contract: Contrato) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT provider FROM provider_connections WHERE contract = ?1 ORDER BY provider")?
        .query_map([contract], |r| r.get(0))?
        .collect()
}

/// Every provider's code (record-only ones included), by name.
pub fn codes(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT code FROM providers ORDER BY name")?.query_map([], |r| r.get(0))?.collect()
}

/// Makes the provider record-only.
pub fn disconnect(conn: &Connection, provider: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM provider_connections WHERE provider = ?1", [provider])?;
    Ok(())
}

/// Stores the provider's connection, replacing every setting of an existing one.
pub fn save(conn: &Connection, provider: &str, link: &Link, now: &str) -> rusqlite::Result<()> {
    upsert(conn, provider, link, now, UPDATE_ALL)
}

/// Connects the provider as `link` says if it is not connected yet; an existing
/// connection keeps its settings and only moves to `link`'s URL.
pub fn save_or_move(conn: &Connection, provider: &str, link: &Link, now: &str) -> rusqlite::Result<()> {
    upsert(conn, provider, link, now, UPDATE_URL)
}

const UPDATE_ALL: &str = "contract = excluded.contract, base_url = excluded.base_url,
     send_deposito = excluded.send_deposito, send_retiro = excluded.send_retiro, send_qr = excluded.send_qr,
     store_account = excluded.store_account, max_single = excluded.max_single, max_queued = excluded.max_queued,
     updated_at = excluded.updated_at, point_code = excluded.point_code, point_branch = excluded.point_branch,
     point_city_id = excluded.point_city_id, point_city = excluded.point_city, point_state = excluded.point_state,
     token_url = excluded.token_url, bank_utc_offset = excluded.bank_utc_offset, deposit_type = excluded.deposit_type,
     terminal_id = excluded.terminal_id, user_ip = excluded.user_ip, server_ip = excluded.server_ip,
     modifier_user = excluded.modifier_user, token_expiry_unit = excluded.token_expiry_unit,
     wallet_concept = excluded.wallet_concept, unknown_resend = excluded.unknown_resend,
     list_trusted_days = excluded.list_trusted_days, lookup_quiet_seconds = excluded.lookup_quiet_seconds,
     balance_unit = excluded.balance_unit";

/// The URL moves, and with it a token URL given (a simulator's stand-in on the same host);
/// a wallet without a concept takes the one given.
const UPDATE_URL: &str = "base_url = excluded.base_url, updated_at = excluded.updated_at,
     token_url = COALESCE(excluded.token_url, provider_connections.token_url),
     wallet_concept = COALESCE(provider_connections.wallet_concept, excluded.wallet_concept)";

fn upsert(conn: &Connection, provider: &str, link: &Link, now: &str, on_conflict: &str) -> rusqlite::Result<()> {
    let point = link.point.as_ref();
    let settings = &link.settings;
    conn.execute(
        &format!(
            "INSERT INTO provider_connections (provider, contract, base_url, send_deposito, send_retiro, send_qr, store_account,
                                               max_single, max_queued, updated_at,
                                               point_code, point_branch, point_city_id, point_city, point_state,
                                               token_url, bank_utc_offset, deposit_type, terminal_id, user_ip, server_ip,
                                               modifier_user, token_expiry_unit, wallet_concept, unknown_resend,
                                               list_trusted_days, lookup_quiet_seconds, balance_unit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)
             ON CONFLICT (provider) DO UPDATE SET {on_conflict}"
        ),
        params![
            provider,
            link.contract,
            link.base_url,
            link.send_deposito,
            link.send_retiro,
            link.send_qr,
            link.store_account,
            link.max_single,
            link.max_queued,
            now,
            point.map(|p| &p.codigo),
            point.map(|p| &p.nombre),
            point.map(|p| &p.ciudad_id),
            point.map(|p| &p.ciudad),
            point.map(|p| &p.departamento),
            settings.url_token,
            settings.zona_horaria,
            settings.tipo_deposito,
            settings.terminal_id,
            settings.ip_terminal,
            settings.ip_servidor,
            settings.usuario_modificador,
            settings.unidad_expiracion,
            settings.concepto,
            settings.reenvio_incierto,
            settings.dias_lista_confiable,
            settings.segundos_espera_consulta,
            settings.unidad_saldo,
        ],
    )?;
    Ok(())
}
