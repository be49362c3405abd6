//! Provider rules at the counter: limits per provider and operation type, the customer's
//! identity document, commission tariffs and the wallet balance checks. The checks an
//! agent transaction passes run inside its write transaction ([`terms_for`]).

use chrono::{DateTime, Datelike, Utc};
use rusqlite::Connection;
use serde_json::json;

use super::agents::provider_code;
use super::{audit, Mostrador};
use crate::domain::clock::{start_of_local_day, store_offset};
use crate::domain::{
    bs_text, commission, text, AgentQuote, AgentQuoteInput, Band, BalanceCheck, ClienteIdentidad, ClienteResumen, CoreError, CoreResult,
    CustomerOperation, CustomerRef, CustomerSearch, ErrorCode, Identidad, Money, Operator, ProviderLimit, ProviderLimitInput, Redondeo,
    Role, RuleChange, Tariff, TariffBandInput, TariffInput, TipoComision, TipoOperacion, DEPARTAMENTOS,
};
use crate::store::{self, provider_rules as rules, provider_rules::Terms};

/// Most bands a tariff may have.
pub const TARIFF_MAX_BANDS: usize = 20;
const NAME_MAX: usize = 80;
/// Most rule changes the history lists (the newest).
pub const RULE_HISTORY_MAX: i64 = 200;

fn tariff_of(banco: &str, tipo: TipoOperacion, redondeo: Redondeo, bands: Vec<Band>) -> Tariff {
    Tariff { banco: banco.to_string(), tipo_operacion: tipo, redondeo, bandas: bands.into_iter().map(Band::to_wire).collect() }
}

impl Mostrador {
    pub fn list_provider_limits(&self) -> CoreResult<Vec<ProviderLimit>> {
        self.operator()?;
        Ok(rules::limits(&self.conn)?)
    }

    /// An administrator sets a provider's limits for one operation type (audited).
    pub fn set_provider_limit(&mut self, input: ProviderLimitInput) -> CoreResult<ProviderLimit> {
        let actor = self.admin("fijar los límites de un banco o billetera")?.id;
        let limit = read_limit(&self.conn, &input)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let before = rules::limit(&tx, &limit.banco, limit.tipo_operacion)?;
        if before.as_ref() != Some(&limit) {
            let versions = rules::RuleVersions::Limit(before.as_ref(), Some(&limit));
            rules::insert_rule_change(&tx, &limit.banco, limit.tipo_operacion, versions, actor, &now)?;
        }
        rules::put_limit(&tx, &limit, actor, &now)?;
        let detail = serde_json::to_value(&limit).map_err(CoreError::internal)?;
        audit(&tx, Some(actor), "set_provider_limit", "provider", None, detail, &now)?;
        tx.commit()?;
        Ok(limit)
    }

    pub fn list_commission_tariffs(&self) -> CoreResult<Vec<Tariff>> {
        self.operator()?;
        let mut all = Vec::new();
        for (banco, tipo) in rules::tariff_keys(&self.conn)? {
            if let Some((redondeo, bands)) = rules::tariff(&self.conn, &banco, tipo)? {
                all.push(tariff_of(&banco, tipo, redondeo, bands));
            }
        }
        Ok(all)
    }

    /// An administrator replaces a provider's tariff for one type (no bands: removes it).
    pub fn set_commission_tariff(&mut self, input: TariffInput) -> CoreResult<Tariff> {
        let actor = self.admin("fijar las tarifas de comisión")?.id;
        let banco = provider_code(&self.conn, "banco", &input.banco)?;
        let tipo = parse_tipo(&input.tipo_operacion)?;
        let redondeo = Redondeo::parse(input.redondeo.trim())
            .ok_or_else(|| CoreError::invalid("redondeo", "debe ser CENTAVO, DECIMO o BOLIVIANO"))?;
        let bands = read_bands(&input.bandas)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let before = rules::tariff(&tx, &banco, tipo)?.map(|(redondeo, bands)| tariff_of(&banco, tipo, redondeo, bands));
        rules::put_tariff(&tx, &banco, tipo, redondeo, &bands)?;
        let tariff = tariff_of(&banco, tipo, redondeo, bands);
        let after = (!tariff.bandas.is_empty()).then_some(&tariff);
        if before.as_ref() != after {
            let versions = rules::RuleVersions::Tariff(before.as_ref(), after);
            rules::insert_rule_change(&tx, &banco, tipo, versions, actor, &now)?;
        }
        let detail = serde_json::to_value(&tariff).map_err(CoreError::internal)?;
        audit(&tx, Some(actor), "set_commission_tariff", "provider", None, detail, &now)?;
        tx.commit()?;
        Ok(tariff)
    }

    /// An administrator reads the history of a provider's limits and tariffs, newest first:
    /// each change with the version it replaced.
    pub fn provider_rule_history(&self, banco: String) -> CoreResult<Vec<RuleChange>> {
        self.admin("ver el historial de límites y tarifas")?;
        let banco = provider_code(&self.conn, "banco", &banco)?;
        Ok(rules::rule_history(&self.conn, &banco, RULE_HISTORY_MAX)?)
    }

    /// What the counter's form shows before an operation is recorded.
    pub fn quote_agent_operation(&self, input: AgentQuoteInput) -> CoreResult<AgentQuote> {
        let actor = self.operator()?;
        let banco = provider_code(&self.conn, "banco", &input.banco)?;
        let tipo = parse_tipo(&input.tipo_operacion)?;
        let monto = match input.monto.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => Some(Money::parse_positive("monto", m)?),
            None => None,
        };
        let ci = match input.ci_numero.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(numero) => Some((ci_number(numero)?, ci_complement(input.ci_complemento.as_deref())?)),
            None => None,
        };
        let limit = rules::limit(&self.conn, &banco, tipo)?;
        let tariff = rules::tariff(&self.conn, &banco, tipo)?;
        let band = |m: Money| tariff.as_ref().and_then(|(r, bands)| bands.iter().find(|b| b.covers(m)).map(|b| (*r, *b)));
        let priced = monto.and_then(band);
        let (restante_diario, restante_mensual) = match (&limit, &ci) {
            (Some(limit), Some((numero, complemento))) => {
                let used = Totals::of(&self.conn, &banco, tipo, (numero, complemento.as_deref()), self.clock.now())?;
                (remaining(limit.total_diario, used.day), remaining(limit.total_mensual, used.month))
            }
            _ => (None, None),
        };
        Ok(AgentQuote {
            comision_cliente: priced.and_then(|(r, b)| commission(monto?, b.cliente, r)),
            comision_editable: tariff.is_none() || actor.role == Role::Administrador,
            comision_banco_esperada: priced.and_then(|(r, b)| commission(monto?, b.banco, r)),
            identidad_requerida: limit.as_ref().is_some_and(|l| l.needs_identity(monto.unwrap_or(Money::ZERO))),
            limite: limit,
            restante_diario,
            restante_mensual,
        })
    }

    /// Customers by the start of their CI number or part of their name.
    pub fn search_customers(&self, input: CustomerSearch) -> CoreResult<Vec<ClienteResumen>> {
        self.operator()?;
        let texto = text::required("texto", &input.texto, 60)?;
        if texto.chars().count() < 2 {
            return Err(CoreError::invalid("texto", "debe tener al menos 2 caracteres"));
        }
        Ok(rules::search_customers(&self.conn, &texto)?)
    }

    /// A customer's agent transactions, newest first; a cashier's only of their own sessions.
    pub fn customer_operations(&self, input: CustomerRef) -> CoreResult<Vec<CustomerOperation>> {
        let scope = self.reader_scope()?;
        let numero = ci_number(&input.ci_numero)?;
        let complemento = ci_complement(input.ci_complemento.as_deref())?;
        let mut found = Vec::new();
        for (id, cliente) in rules::customer_operation_ids(&self.conn, (&numero, complemento.as_deref()))? {
            let transaccion = store::agents::load(&self.conn, id)?.ok_or_else(|| CoreError::internal("transacción desaparecida"))?;
            if self.may_read_session(scope, transaccion.id_caja_sesion).is_ok() {
                found.push(CustomerOperation { transaccion, cliente });
            }
        }
        Ok(found)
    }

    /// Each wallet's latest comparison of the store's float with the wallet's balance.
    pub fn provider_balance_checks(&self) -> CoreResult<Vec<BalanceCheck>> {
        self.operator()?;
        Ok(rules::latest_balance_checks(&self.conn)?)
    }
}

fn parse_tipo(text: &str) -> CoreResult<TipoOperacion> {
    TipoOperacion::parse(text.trim()).ok_or_else(|| CoreError::invalid("tipo_operacion", "debe ser DEPOSITO, RETIRO o TRANSFERENCIA_QR"))
}

fn optional_amount(field: &str, input: &Option<String>) -> CoreResult<Option<Money>> {
    match input.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => {
            let amount = Money::parse_positive(field, text)?;
            if amount < super::agents::AGENT_MINIMUM {
                return Err(CoreError::new(ErrorCode::MontoBajoMinimo, field, format!("El campo «{}» debe ser al menos Bs 1,00.", crate::domain::error::label(field))));
            }
            Ok(Some(amount))
        }
    }
}

fn read_limit(conn: &Connection, input: &ProviderLimitInput) -> CoreResult<ProviderLimit> {
    let banco = provider_code(conn, "banco", &input.banco)?;
    let tipo = parse_tipo(&input.tipo_operacion)?;
    let monto_minimo = optional_amount("monto_minimo", &input.monto_minimo)?;
    let monto_maximo = optional_amount("monto_maximo", &input.monto_maximo)?;
    if let (Some(min), Some(max)) = (monto_minimo, monto_maximo) {
        if min > max {
            return Err(CoreError::invalid("monto_maximo", "no puede ser menor que el monto mínimo"));
        }
    }
    let total_diario = optional_amount("total_diario", &input.total_diario)?;
    let total_mensual = optional_amount("total_mensual", &input.total_mensual)?;
    let identidad = Identidad::parse(input.identidad.trim())
        .ok_or_else(|| CoreError::invalid("identidad", "debe ser NUNCA, SIEMPRE o DESDE_MONTO"))?;
    let identidad_desde = optional_amount("identidad_desde", &input.identidad_desde)?;
    match (identidad, identidad_desde) {
        (Identidad::DesdeMonto, None) => return Err(CoreError::required("identidad_desde")),
        (Identidad::Nunca | Identidad::Siempre, Some(_)) => {
            return Err(CoreError::invalid("identidad_desde", "solo se indica cuando el documento se pide desde un monto"))
        }
        _ => {}
    }
    Ok(ProviderLimit {
        banco,
        tipo_operacion: tipo,
        monto_minimo,
        monto_maximo,
        total_diario,
        total_mensual,
        identidad,
        identidad_desde,
        identidad_en_recibo: input.identidad_en_recibo,
    })
}

/// A band's field error, named by the band's number.
fn band_error(n: usize, err: CoreError) -> CoreError {
    CoreError::new(err.code, "bandas", format!("Banda {n} de las «bandas de la tarifa»: {}", err.message))
}

fn read_value(n: usize, kind: &str, tipo: &str, valor: &str) -> CoreResult<(TipoComision, i64)> {
    let tipo = TipoComision::parse(tipo.trim())
        .ok_or_else(|| band_error(n, CoreError::invalid(kind, "debe ser FIJA o PORCENTAJE")))?;
    // A fixed value in bolivianos and a percentage are both written with at most two
    // decimals: centavos, or hundredths of a percent.
    let value = Money::parse_non_negative(kind, valor).map_err(|e| band_error(n, e))?.centavos();
    if tipo == TipoComision::Porcentaje && value > 10_000 {
        return Err(band_error(n, CoreError::invalid(kind, "no puede superar 100 %")));
    }
    Ok((tipo, value))
}

/// A tariff's bands: contiguous from the first `desde`, each to its `hasta` (included),
/// the next from one centavo more; only the last may have no top.
fn read_bands(input: &[TariffBandInput]) -> CoreResult<Vec<Band>> {
    if input.len() > TARIFF_MAX_BANDS {
        return Err(CoreError::invalid("bandas", &format!("admite como máximo {TARIFF_MAX_BANDS} bandas")));
    }
    let mut bands: Vec<Band> = Vec::with_capacity(input.len());
    for (i, b) in input.iter().enumerate() {
        let n = i + 1;
        let desde = Money::parse_non_negative("desde", &b.desde).map_err(|e| band_error(n, e))?;
        let hasta = match b.hasta.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            Some(h) => Some(Money::parse_positive("hasta", h).map_err(|e| band_error(n, e))?),
            None => None,
        };
        if hasta.is_some_and(|h| h < desde) {
            return Err(band_error(n, CoreError::invalid("hasta", "no puede ser menor que «desde»")));
        }
        if let Some(previous) = bands.last() {
            let Some(top) = previous.hasta else {
                return Err(band_error(n - 1, CoreError::invalid("hasta", "solo la última banda puede no tener tope")));
            };
            if desde.centavos() != top.centavos() + 1 {
                return Err(band_error(n, CoreError::invalid("desde", &format!("debe ser {} (un centavo más que el tope de la banda anterior)", bs_text(Money::from_centavos(top.centavos() + 1))))));
            }
        }
        let cliente = read_value(n, "cliente_valor", &b.cliente_tipo, &b.cliente_valor)?;
        let banco = read_value(n, "banco_valor", &b.banco_tipo, &b.banco_valor)?;
        bands.push(Band { desde, hasta, cliente, banco });
    }
    Ok(bands)
}

fn ci_number(input: &str) -> CoreResult<String> {
    let numero = input.trim();
    if numero.is_empty() {
        return Err(CoreError::required("ci_numero"));
    }
    if !(4..=12).contains(&numero.len()) || !numero.chars().all(|c| c.is_ascii_digit()) {
        return Err(CoreError::invalid("ci_numero", "debe tener de 4 a 12 dígitos, sin complemento ni lugar de expedición"));
    }
    Ok(numero.to_string())
}

fn ci_complement(input: Option<&str>) -> CoreResult<Option<String>> {
    match input.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) if c.len() <= 2 && c.chars().all(|c| c.is_ascii_alphanumeric()) => Ok(Some(c.to_uppercase())),
        Some(_) => Err(CoreError::invalid("ci_complemento", "debe tener uno o dos caracteres, letras o dígitos (por ejemplo 1A)")),
    }
}

/// Checks a customer's document and name as typed.
pub(super) fn read_customer(input: &ClienteIdentidad) -> CoreResult<ClienteIdentidad> {
    let ci_numero = ci_number(&input.ci_numero)?;
    let ci_complemento = ci_complement(input.ci_complemento.as_deref())?;
    let ci_expedido = match input.ci_expedido.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => None,
        Some(e) if DEPARTAMENTOS.contains(&e.to_uppercase().as_str()) => Some(e.to_uppercase()),
        Some(_) => return Err(CoreError::invalid("ci_expedido", &format!("debe ser uno de {}", DEPARTAMENTOS.join(", ")))),
    };
    let nombre = text::required("cliente_nombre", &input.nombre, NAME_MAX)?;
    Ok(ClienteIdentidad { ci_numero, ci_complemento, ci_expedido, nombre })
}

/// A customer's totals with a provider for one type: today's and this month's.
struct Totals {
    day: Money,
    month: Money,
}

impl Totals {
    fn of(conn: &Connection, banco: &str, tipo: TipoOperacion, ci: (&str, Option<&str>), at: DateTime<Utc>) -> CoreResult<Totals> {
        let today = at.with_timezone(&store_offset()).date_naive();
        let first = today.with_day(1).ok_or_else(|| CoreError::internal("primer día del mes"))?;
        Ok(Totals {
            day: rules::customer_total(conn, banco, tipo, ci, &start_of_local_day(today))?,
            month: rules::customer_total(conn, banco, tipo, ci, &start_of_local_day(first))?,
        })
    }
}

fn remaining(limit: Option<Money>, used: Money) -> Option<Money> {
    limit.map(|l| Money::from_centavos((l.centavos() - used.centavos()).max(0)))
}

fn type_words(tipo: TipoOperacion) -> &'static str {
    match tipo {
        TipoOperacion::Deposito => "depósitos",
        TipoOperacion::Retiro => "retiros",
        TipoOperacion::TransferenciaQr => "transferencias QR",
    }
}

/// An agent transaction as its rules see it.
pub(super) struct Proposed<'a> {
    pub banco: &'a str,
    pub tipo: TipoOperacion,
    pub monto: Money,
    /// The client commission typed, if any.
    pub comision: Option<Money>,
    pub cliente: Option<&'a ClienteIdentidad>,
    pub motivo_comision: Option<&'a str>,
}

/// Checks an agent transaction against its provider's limits and tariff, in the write
/// transaction: returns the client commission to charge and the terms to record with it.
/// A refusal leaves nothing written (the caller's transaction rolls back).
pub(super) fn terms_for(conn: &Connection, actor: &Operator, p: &Proposed<'_>, at: DateTime<Utc>) -> CoreResult<(Money, Terms)> {
    let name = rules::provider_name(conn, p.banco)?.unwrap_or_else(|| p.banco.to_string());
    if let Some(limit) = rules::limit(conn, p.banco, p.tipo)? {
        check_amount(&limit, &name, p.monto)?;
        if limit.needs_identity(p.monto) && p.cliente.is_none() {
            return Err(CoreError::new(
                ErrorCode::IdentidadRequerida,
                "ci_numero",
                format!("{name} pide el documento de identidad del cliente para {} de este monto: indique su número de CI y su nombre.", type_words(p.tipo)),
            ));
        }
        if let Some(cliente) = p.cliente {
            let used = Totals::of(conn, p.banco, p.tipo, (&cliente.ci_numero, cliente.ci_complemento.as_deref()), at)?;
            check_total(limit.total_diario, used.day, p.monto, || format!("al día en {} para un mismo cliente", type_words(p.tipo)), "hoy", &name)?;
            check_total(limit.total_mensual, used.month, p.monto, || format!("al mes en {} para un mismo cliente", type_words(p.tipo)), "este mes", &name)?;
        }
    }
    let mut terms = Terms { cliente: p.cliente.cloned(), ..Terms::default() };
    let Some((redondeo, bands)) = rules::tariff(conn, p.banco, p.tipo)? else {
        return Ok((p.comision.unwrap_or(Money::ZERO), terms));
    };
    let band = bands.iter().find(|b| b.covers(p.monto)).ok_or_else(|| {
        CoreError::new(ErrorCode::ValorInvalido, "monto", format!("El monto no está en ninguna banda de la tarifa de comisiones de {name}."))
    })?;
    let tarifa = commission(p.monto, band.cliente, redondeo).ok_or_else(|| CoreError::internal("desborde de comisión"))?;
    terms.tariff_commission = Some(tarifa);
    terms.expected_bank_commission = commission(p.monto, band.banco, redondeo);
    let charged = match p.comision {
        Some(typed) if typed != tarifa => {
            if actor.role != Role::Administrador {
                return Err(CoreError::new(
                    ErrorCode::PermisoDenegado,
                    "comision_cliente",
                    format!("La comisión del cliente la fija la tarifa de {name} ({}); solo un administrador puede cambiarla, con un motivo.", bs_text(tarifa)),
                ));
            }
            let motivo = p.motivo_comision.ok_or_else(|| CoreError::required("motivo_comision"))?;
            terms.override_reason = Some(motivo.to_string());
            typed
        }
        _ => tarifa,
    };
    Ok((charged, terms))
}

fn check_amount(limit: &ProviderLimit, name: &str, monto: Money) -> CoreResult<()> {
    let words = type_words(limit.tipo_operacion);
    if let Some(min) = limit.monto_minimo.filter(|min| monto < *min) {
        return Err(CoreError::new(ErrorCode::LimiteProveedor, "monto", format!("El monto mínimo de {name} para {words} es {}.", bs_text(min))));
    }
    if let Some(max) = limit.monto_maximo.filter(|max| monto > *max) {
        return Err(CoreError::new(
            ErrorCode::LimiteProveedor,
            "monto",
            format!("El monto máximo de {name} para {words} es {}.", bs_text(max)),
        ));
    }
    Ok(())
}

fn check_total(limit: Option<Money>, used: Money, monto: Money, what: impl Fn() -> String, when: &str, name: &str) -> CoreResult<()> {
    let Some(limit) = limit else { return Ok(()) };
    if used.centavos() + monto.centavos() <= limit.centavos() {
        return Ok(());
    }
    let left = remaining(Some(limit), used).unwrap_or(Money::ZERO);
    Err(CoreError::new(
        ErrorCode::LimiteProveedor,
        "monto",
        format!(
            "El monto supera lo que {name} permite: hasta {} {}. Este cliente ya lleva {} {when}; le quedan {}.",
            bs_text(limit),
            what(),
            bs_text(used),
            bs_text(left)
        ),
    ))
}

/// Audits an administrator's client commission that differs from the tariff's.
pub(super) fn audit_override(conn: &Connection, actor: i64, id: i64, terms: &Terms, charged: Money, now: &str) -> CoreResult<()> {
    if let (Some(tarifa), Some(motivo)) = (terms.tariff_commission, &terms.override_reason) {
        let detail = json!({"tarifa": tarifa, "cobrada": charged, "motivo": motivo});
        audit(conn, Some(actor), "override_client_commission", "agent_transaction", Some(id), detail, now)?;
    }
    Ok(())
}

/// A record-only provider (no API) reconciled from its statement, as a bank is: the
/// statement's `referencia` against the reference each operation was recorded with, the
/// amounts compared; voided operations left out. The caller's transaction commits it.
pub(super) fn reconcile_record_only(
    conn: &Connection,
    banco: &str,
    day: chrono::NaiveDate,
    actor: i64,
    now: &str,
    remote: &[crate::connectors::ProviderTransaction],
) -> CoreResult<crate::domain::ReconciliationReport> {
    let from = start_of_local_day(day);
    let to = start_of_local_day(day.succ_opt().unwrap_or(day));
    let local = rules::recorded_operations(conn, banco, &from, &to)?;
    let mut lines = crate::sync::reconcile::match_records(&local, remote);
    for line in &mut lines {
        if line.estado == crate::domain::EstadoConciliacion::FaltaEnProveedor && line.detalle.starts_with("El proveedor la confirmó") {
            line.detalle = "Registrada en la tienda; no figura en el extracto del proveedor.".into();
        }
    }
    crate::sync::reconcile::save(conn, banco, day, Some(actor), now, lines)
}
