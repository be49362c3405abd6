//! Provider rules at the counter, on a real SQLite file: each limit at its boundary, a
//! customer's daily and monthly totals across sessions and registers (voids left out),
//! the identity document the rule asks for, the customer search, the commission tariff's
//! bands and rounding (a property test against integer arithmetic), the administrator's
//! audited override, the settlement's differences against the tariff, and bad input for
//! every new command. The wallet balance check against the simulator is in
//! `tests/provider_balance.rs`.

mod common;

use chrono::Duration;
use common::*;
use mostrador::domain::*;
use proptest::prelude::*;
use ErrorCode::*;
use Who::*;

fn limit(banco: &str, tipo: &str, min: Option<&str>, max: Option<&str>, day: Option<&str>, month: Option<&str>, identidad: &str) -> ProviderLimitInput {
    ProviderLimitInput {
        banco: banco.into(),
        tipo_operacion: tipo.into(),
        monto_minimo: min.map(Into::into),
        monto_maximo: max.map(Into::into),
        total_diario: day.map(Into::into),
        total_mensual: month.map(Into::into),
        identidad: identidad.into(),
        identidad_desde: None,
        identidad_en_recibo: false,
    }
}

fn customer(ci: &str, nombre: &str) -> ClienteIdentidad {
    ClienteIdentidad { ci_numero: ci.into(), ci_complemento: None, ci_expedido: Some("LP".into()), nombre: nombre.into() }
}

fn deposit_by(ci: Option<&str>, monto: &str, referencia: &str, session: i64) -> NewAgentTransaction {
    NewAgentTransaction { cliente: ci.map(|ci| customer(ci, "Juana Mamani")), ..agent("TIGO_MONEY", "DEPOSITO", monto, referencia, session) }
}

/// A store whose Tigo Money float is funded, with the demo's published Tigo Money limits
/// for deposits, and a cashier's session on the mixed register.
fn store_with_tigo_limits() -> (Fixture, i64) {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    fx.as_(Admin)
        .set_provider_limit(limit("TIGO_MONEY", "DEPOSITO", Some("3"), Some("2000"), Some("2000"), Some("14000"), "SIEMPRE"))
        .unwrap();
    let mixta = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    (fx, session)
}

/// Refused with `code` on `field`, and the database unchanged.
macro_rules! refused {
    ($fx:expr, $result:expr, $code:expr, $field:expr, $before:expr, $context:expr) => {{
        let result = $result;
        check_refused(&$fx, result, $code, $field, $before, $context)
    }};
}

#[track_caller]
fn check_refused<T: std::fmt::Debug>(fx: &Fixture, result: CoreResult<T>, code: ErrorCode, field: Option<&str>, before: &Snapshot, context: &str) -> CoreError {
    let err = expect_err(result, context);
    assert_error(&err, code, field, context);
    before.assert_same(&fx.snapshot(), context);
    err
}

#[test]
fn the_smallest_and_largest_amounts_refuse_at_their_boundary_and_accept_just_inside() {
    let (mut fx, s) = store_with_tigo_limits();
    let before = fx.snapshot();
    let err = refused!(fx, fx_deposit(&mut fx, Some("1000001"), "2.99", "L-1", s), LimiteProveedor, Some("monto"), &before, "below the minimum");
    assert!(err.message.contains("Bs 3,00"), "{}", err.message);
    fx.as_(Cashier).create_agent_transaction(deposit_by(Some("1000001"), "3.00", "L-2", s)).unwrap();

    let before = fx.snapshot();
    let err = refused!(fx, fx_deposit(&mut fx, Some("1000002"), "2000.01", "L-3", s), LimiteProveedor, Some("monto"), &before, "above the maximum");
    assert!(err.message.contains("Bs 2.000,00") && err.message.contains("Tigo Money"), "{}", err.message);
    let ok = fx.as_(Cashier).create_agent_transaction(deposit_by(Some("1000002"), "2000.00", "L-4", s)).unwrap();
    assert_eq!(ok.monto, bs(200_000));
}

fn fx_deposit(fx: &mut Fixture, ci: Option<&str>, monto: &str, referencia: &str, session: i64) -> CoreResult<TransaccionAgente> {
    fx.as_(Cashier).create_agent_transaction(deposit_by(ci, monto, referencia, session))
}

#[test]
fn the_daily_total_counts_across_sessions_and_registers_ignores_voids_and_says_what_remains() {
    let (mut fx, s1) = store_with_tigo_limits();
    let agentes = fx.agentes.id;
    let s2 = fx.as_(Cashier2).open_session(open(agentes, "100")).unwrap().id;
    fx.as_(Cashier).create_agent_transaction(deposit_by(Some("4455667"), "1500", "D-1", s1)).unwrap();
    let other_register = fx.as_(Cashier2).create_agent_transaction(deposit_by(Some("4455667"), "400", "D-2", s2)).unwrap();
    // Another customer and another type do not count.
    fx.as_(Cashier).create_agent_transaction(deposit_by(Some("9999999"), "1000", "D-3", s1)).unwrap();

    let before = fx.snapshot();
    let err = refused!(fx, fx_deposit(&mut fx, Some("4455667"), "100.01", "D-4", s1), LimiteProveedor, Some("monto"), &before, "over the day");
    assert!(err.message.contains("le quedan Bs 100,00"), "{}", err.message);
    assert!(err.message.contains("ya lleva Bs 1.900,00 hoy"), "{}", err.message);
    let quote = fx
        .as_(Cashier)
        .quote_agent_operation(AgentQuoteInput {
            banco: "TIGO_MONEY".into(),
            tipo_operacion: "DEPOSITO".into(),
            monto: Some("100".into()),
            ci_numero: Some("4455667".into()),
            ci_complemento: None,
        })
        .unwrap();
    assert_eq!((quote.restante_diario, quote.restante_mensual, quote.identidad_requerida), (Some(bs(10_000)), Some(bs(1_210_000)), true));

    // A voided operation no longer counts: the 400 comes back.
    fx.as_(Admin).void_agent_transaction(VoidInput { id: other_register.id, motivo: "Error de monto".into() }).unwrap();
    fx.as_(Cashier).create_agent_transaction(deposit_by(Some("4455667"), "500", "D-5", s1)).unwrap();
    let before = fx.snapshot();
    refused!(fx, fx_deposit(&mut fx, Some("4455667"), "3", "D-6", s1), LimiteProveedor, Some("monto"), &before, "day full");

    // The next store day starts again (10:00 + 14 h is after midnight in La Paz).
    fx.clock.advance(Duration::hours(14));
    fx.as_(Cashier).create_agent_transaction(deposit_by(Some("4455667"), "2000", "D-7", s1)).unwrap();
}

#[test]
fn the_monthly_total_counts_every_day_of_the_calendar_month_and_ignores_voids() {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    fx.as_(Admin).set_provider_limit(limit("TIGO_MONEY", "DEPOSITO", None, None, Some("2000"), Some("3000"), "SIEMPRE")).unwrap();
    let (mixta, agentes) = (fx.mixta.id, fx.agentes.id);
    let s1 = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    fx.as_(Cashier).create_agent_transaction(deposit_by(Some("7654321"), "2000", "M-1", s1)).unwrap();
    fx.clock.advance(Duration::days(1));
    let s2 = fx.as_(Cashier2).open_session(open(agentes, "100")).unwrap().id;
    let voided = fx.as_(Cashier2).create_agent_transaction(deposit_by(Some("7654321"), "600", "M-2", s2)).unwrap();
    let before = fx.snapshot();
    let err = refused!(fx, fx.as_(Cashier2).create_agent_transaction(deposit_by(Some("7654321"), "400.01", "M-3", s2)), LimiteProveedor, Some("monto"), &before, "over the month");
    assert!(err.message.contains("al mes") && err.message.contains("le quedan Bs 400,00"), "{}", err.message);
    fx.as_(Admin).void_agent_transaction(VoidInput { id: voided.id, motivo: "Cliente desistió".into() }).unwrap();
    fx.as_(Cashier2).create_agent_transaction(deposit_by(Some("7654321"), "1000", "M-4", s2)).unwrap();
    let before = fx.snapshot();
    refused!(fx, fx.as_(Cashier2).create_agent_transaction(deposit_by(Some("7654321"), "1", "M-5", s2)), LimiteProveedor, Some("monto"), &before, "month full");
    // 10 March + 22 days is 1 April: a new month.
    fx.clock.advance(Duration::days(21));
    fx.as_(Cashier2).create_agent_transaction(deposit_by(Some("7654321"), "2000", "M-6", s2)).unwrap();
}

#[test]
fn the_document_is_asked_as_the_rule_says_kept_with_the_operation_and_searchable() {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("BCP", "100000")).unwrap();
    let mut rule = limit("BCP", "DEPOSITO", None, None, None, None, "DESDE_MONTO");
    rule.identidad_desde = Some("1000".into());
    rule.identidad_en_recibo = true;
    let saved = fx.as_(Admin).set_provider_limit(rule).unwrap();
    assert_eq!((saved.identidad, saved.identidad_desde, saved.identidad_en_recibo), (Identidad::DesdeMonto, Some(bs(100_000)), true));
    let mixta = fx.mixta.id;
    let s = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    let plain = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "999.99", "B-1", s)).unwrap();
    assert_eq!(plain.cliente, None);
    let before = fx.snapshot();
    let err = refused!(fx, fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "1000", "B-2", s)), IdentidadRequerida, Some("ci_numero"), &before, "from the amount");
    assert!(err.message.contains("documento"), "{}", err.message);

    let who = ClienteIdentidad { ci_numero: "1234567".into(), ci_complemento: Some("1a".into()), ci_expedido: Some("cb".into()), nombre: "  Rosa   Quispe ".into() };
    let kept = fx
        .as_(Cashier)
        .create_agent_transaction(NewAgentTransaction { cliente: Some(who), ..agent("BCP", "DEPOSITO", "1000", "B-2", s) })
        .unwrap();
    let expected = ClienteIdentidad { ci_numero: "1234567".into(), ci_complemento: Some("1A".into()), ci_expedido: Some("CB".into()), nombre: "Rosa Quispe".into() };
    assert_eq!(kept.cliente.as_ref(), Some(&expected));
    assert_eq!(expected.documento(), "1234567-1A CB");
    assert_eq!(fx.as_(Cashier).get_agent_transaction(kept.id).unwrap().cliente, Some(expected.clone()));
    let listed = fx.as_(Admin).list_agent_transactions(AgentFilter::default()).unwrap();
    assert_eq!(listed.items.iter().find(|t| t.id == kept.id).unwrap().cliente, Some(expected.clone()));

    for texto in ["1234", "quispe", "Rosa"] {
        let found = fx.as_(Cashier).search_customers(CustomerSearch { texto: texto.into() }).unwrap();
        assert_eq!(found.len(), 1, "{texto}");
        assert_eq!((found[0].cliente.clone(), found[0].operaciones), (expected.clone(), 1), "{texto}");
    }
    assert!(fx.as_(Cashier).search_customers(CustomerSearch { texto: "234567".into() }).unwrap().is_empty(), "a CI is searched by its start");
    let ops = fx.as_(Admin).customer_operations(CustomerRef { ci_numero: "1234567".into(), ci_complemento: Some("1A".into()) }).unwrap();
    assert_eq!(ops.iter().map(|o| o.transaccion.id).collect::<Vec<_>>(), vec![kept.id]);
    // The same number without the complement is another person.
    assert!(fx.as_(Admin).customer_operations(CustomerRef { ci_numero: "1234567".into(), ci_complemento: None }).unwrap().is_empty());
    // A cashier sees only the operations of their own sessions.
    assert!(fx.as_(Cashier2).customer_operations(CustomerRef { ci_numero: "1234567".into(), ci_complemento: Some("1A".into()) }).unwrap().is_empty());
}

fn band(desde: &str, hasta: Option<&str>, cliente: (&str, &str), banco: (&str, &str)) -> TariffBandInput {
    TariffBandInput::new(desde, hasta, cliente, banco)
}

fn tariff(redondeo: &str) -> TariffInput {
    TariffInput {
        banco: "TIGO_MONEY".into(),
        tipo_operacion: "DEPOSITO".into(),
        redondeo: redondeo.into(),
        bandas: vec![
            band("1", Some("100"), ("FIJA", "2"), ("FIJA", "1")),
            band("100.01", Some("1000"), ("PORCENTAJE", "1.5"), ("PORCENTAJE", "0.75")),
            band("1000.01", None, ("PORCENTAJE", "1.25"), ("FIJA", "8")),
        ],
    }
}

fn quote(fx: &mut Fixture, who: Who, monto: &str) -> AgentQuote {
    fx.as_(who)
        .quote_agent_operation(AgentQuoteInput { banco: "TIGO_MONEY".into(), tipo_operacion: "DEPOSITO".into(), monto: Some(monto.into()), ..Default::default() })
        .unwrap()
}

#[test]
fn the_tariff_gives_each_band_its_commission_at_the_boundaries_with_the_stated_rounding() {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    // (amount, client commission to the centavo, to ten centavos, to the boliviano, expected bank commission to the centavo)
    let table: &[(&str, i64, i64, i64, i64)] = &[
        ("1", 200, 200, 200, 100),
        ("100", 200, 200, 200, 100),
        ("100.01", 150, 150, 200, 75),       // 1,50015 → 1,50 / 1,50 / 2; 0,7500750 → 0,75
        ("133.33", 200, 200, 200, 100),      // 1,99995 → 2,00 (half up) ; 0,999975 → 1,00
        ("233.33", 350, 350, 300, 175),      // 3,49995 → 3,50 / 3,50 / 3 (just below 3,5); 1,749975 → 1,75
        ("1000", 1500, 1500, 1500, 750),
        ("1000.01", 1250, 1250, 1300, 800), // 12,500125 → 12,50 / 12,50 / 13 ; fixed 8
        ("1019.99", 1275, 1270, 1300, 800), // 12,749875 → 12,75 / 12,70 / 13
    ];
    for (i, redondeo) in ["CENTAVO", "DECIMO", "BOLIVIANO"].into_iter().enumerate() {
        let saved = fx.as_(Admin).set_commission_tariff(tariff(redondeo)).unwrap();
        assert_eq!(saved.bandas.len(), 3);
        assert_eq!(saved.bandas[1].cliente_valor, "1.50");
        for row in table {
            let expected = [row.1, row.2, row.3][i];
            let q = quote(&mut fx, Cashier, row.0);
            assert_eq!(q.comision_cliente, Some(bs(expected)), "{} {redondeo}", row.0);
            if redondeo == "CENTAVO" {
                assert_eq!(q.comision_banco_esperada, Some(bs(row.4)), "{} bank", row.0);
            }
            assert!(!q.comision_editable, "a cashier may not change the tariff's commission");
        }
    }
    assert!(quote(&mut fx, Admin, "50").comision_editable);
    // The form's commission is the tariff's when none is typed, and the drawer gets it.
    let mixta = fx.mixta.id;
    let s = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    let done = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "1019.99", "T-1", s)).unwrap();
    assert_eq!(done.comision_cliente, bs(1_300));
    assert_eq!(fx.drawer(s), 10_000 + 101_999 + 1_300);
    // Below the first band there is no tariff to apply.
    let before = fx.snapshot();
    refused!(fx, fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "0.50", "T-2", s)), MontoBajoMinimo, Some("monto"), &before, "below agent minimum");
    let listed = fx.as_(Cashier).list_commission_tariffs().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].redondeo, Redondeo::Boliviano);
    // No bands: the tariff is removed, and the commission is typed by hand again.
    fx.as_(Admin).set_commission_tariff(TariffInput { bandas: vec![], ..tariff("CENTAVO") }).unwrap();
    assert!(fx.as_(Cashier).list_commission_tariffs().unwrap().is_empty());
    assert_eq!(quote(&mut fx, Cashier, "50").comision_cliente, None);
}

proptest! {
    /// A percentage commission is the exact product rounded half up to the unit, as
    /// integer arithmetic computes it: ⌊(2·m·v + d) / 2d⌋ · unit with d = 10 000 · unit.
    #[test]
    fn a_percentage_commission_is_the_exact_product_rounded_half_up(monto in 1i64..100_000_000, value in 0i64..=10_000, unit in prop::sample::select(vec![(Redondeo::Centavo, 1i64), (Redondeo::Decimo, 10), (Redondeo::Boliviano, 100)])) {
        let got = commission(Money::from_centavos(monto), (TipoComision::Porcentaje, value), unit.0).unwrap();
        let d = 10_000i128 * i128::from(unit.1);
        let n = i128::from(monto) * i128::from(value);
        let expected = (2 * n + d) / (2 * d) * i128::from(unit.1);
        prop_assert_eq!(i128::from(got.centavos()), expected);
    }

    /// Contiguous bands cover every amount from the first `desde` up exactly once.
    #[test]
    fn contiguous_bands_cover_every_amount_exactly_once(tops in prop::collection::vec(1i64..50_000, 1..6), probe in 100i64..400_000) {
        let mut bands = Vec::new();
        let mut desde = 100i64;
        for top in &tops {
            let hasta = desde + top;
            bands.push(Band { desde: Money::from_centavos(desde), hasta: Some(Money::from_centavos(hasta)), cliente: (TipoComision::Fija, 1), banco: (TipoComision::Fija, 1) });
            desde = hasta + 1;
        }
        bands.push(Band { desde: Money::from_centavos(desde), hasta: None, cliente: (TipoComision::Fija, 1), banco: (TipoComision::Fija, 1) });
        let covering = bands.iter().filter(|b| b.covers(Money::from_centavos(probe))).count();
        prop_assert_eq!(covering, 1);
    }
}

fn audit_details(fx: &Fixture, action: &str) -> Vec<(i64, Option<i64>, serde_json::Value)> {
    let conn = fx.app.connection();
    let mut stmt = conn.prepare("SELECT operator_id, entity_id, detail FROM audit_log WHERE action = ?1 ORDER BY id").unwrap();
    stmt.query_map([action], |r| Ok((r.get(0)?, r.get(1)?, serde_json::from_str(&r.get::<_, String>(2)?).unwrap())))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_cashier_cannot_change_the_tariffs_commission_and_an_administrators_change_is_audited_with_its_reason() {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    fx.as_(Admin).set_commission_tariff(tariff("CENTAVO")).unwrap();
    let (mixta, agentes) = (fx.mixta.id, fx.agentes.id);
    let s = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    let before = fx.snapshot();
    let err = refused!(fx, fx.as_(Cashier).create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "50", "1", "O-1", s)), PermisoDenegado, Some("comision_cliente"), &before, "cashier override");
    assert!(err.message.contains("Bs 2,00"), "{}", err.message);
    // Typing the tariff's own figure is no change.
    let same = fx.as_(Cashier).create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "50", "2.00", "O-2", s)).unwrap();
    assert_eq!(same.comision_cliente, bs(200));
    assert!(audit_details(&fx, "override_client_commission").is_empty());

    let sa = fx.as_(Admin).open_session(open(agentes, "100")).unwrap().id;
    let before = fx.snapshot();
    refused!(fx, fx.as_(Admin).create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "50", "0", "O-3", sa)), CampoRequerido, Some("motivo_comision"), &before, "no reason");
    let input = NewAgentTransaction { motivo_comision: Some("Cliente frecuente, sin comisión".into()), ..agent_c("TIGO_MONEY", "DEPOSITO", "50", "0", "O-3", sa) };
    let waived = fx.as_(Admin).create_agent_transaction(input).unwrap();
    assert_eq!(waived.comision_cliente, bs(0));
    let audited = audit_details(&fx, "override_client_commission");
    assert_eq!(audited.len(), 1);
    assert_eq!((audited[0].0, audited[0].1), (fx.admin.id, Some(waived.id)));
    assert_eq!(audited[0].2["tarifa"], "2.00");
    assert_eq!(audited[0].2["cobrada"], "0.00");
    assert_eq!(audited[0].2["motivo"], "Cliente frecuente, sin comisión");
    // The terms row keeps what the tariff said and why it was changed; it cannot change.
    let conn = fx.app.connection();
    let (tarifa, motivo): (i64, String) = conn
        .query_row("SELECT comision_tarifa, motivo_comision FROM agent_transaction_terms WHERE agent_transaction_id = ?1", [waived.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((tarifa, motivo.as_str()), (200, "Cliente frecuente, sin comisión"));
    assert!(conn.execute("UPDATE agent_transaction_terms SET motivo_comision = 'otro' WHERE agent_transaction_id = ?1", [waived.id]).is_err());
    assert!(conn.execute("DELETE FROM agent_transaction_terms WHERE agent_transaction_id = ?1", [waived.id]).is_err());
}

#[test]
fn the_settlement_lists_what_the_bank_paid_against_what_the_tariff_expected() {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    fx.as_(Admin).set_commission_tariff(tariff("CENTAVO")).unwrap();
    let mixta = fx.mixta.id;
    let s = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    let a = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "50", "S-1", s)).unwrap(); // expects 1,00
    let b = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "200", "S-2", s)).unwrap(); // expects 1,50
    let c = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "2000", "S-3", s)).unwrap(); // expects 8,00
    let report = fx
        .as_(Admin)
        .settle_bank_commissions(SettlementInput { banco: "TIGO_MONEY".into(), csv: "S-1,1.00\nS-2,1.20\nS-3,9.00\n".into(), pagado: false })
        .unwrap();
    assert_eq!(report.conciliadas.len(), 3);
    let differences: Vec<(i64, Money, Money, Money)> = report.diferencias.iter().map(|d| (d.id_transaccion, d.esperada, d.pagada, d.diferencia)).collect();
    assert_eq!(differences, vec![(b.id, bs(150), bs(120), bs(-30)), (c.id, bs(800), bs(900), bs(100))]);
    assert!(!differences.iter().any(|d| d.0 == a.id));
}

#[test]
fn each_change_of_a_limit_or_tariff_keeps_the_version_it_replaced_newest_first_and_append_only() {
    let mut fx = Fixture::new();
    let first = limit("TIGO_MONEY", "DEPOSITO", Some("3"), Some("2000"), None, None, "NUNCA");
    let v1 = fx.as_(Admin).set_provider_limit(first.clone()).unwrap();
    let v2 = fx.as_(Admin).set_provider_limit(ProviderLimitInput { monto_maximo: Some("1500".into()), ..first }).unwrap();
    // Saving the same limits again is no change: no history row.
    fx.as_(Admin).set_provider_limit(limit("TIGO_MONEY", "DEPOSITO", Some("3"), Some("1500"), None, None, "NUNCA")).unwrap();
    let t1 = fx.as_(Admin).set_commission_tariff(tariff("CENTAVO")).unwrap();
    let t2 = fx.as_(Admin).set_commission_tariff(tariff("BOLIVIANO")).unwrap();
    fx.as_(Admin).set_commission_tariff(TariffInput { bandas: Vec::new(), ..tariff("BOLIVIANO") }).unwrap();
    // Another provider's change is not in Tigo Money's history.
    fx.as_(Admin).set_provider_limit(limit("BCP", "DEPOSITO", None, Some("5000"), None, None, "NUNCA")).unwrap();

    let history = fx.as_(Admin).provider_rule_history("tigo_money".into()).unwrap();
    let shape: Vec<_> = history.iter().map(|c| (c.regla, c.tipo_operacion)).collect();
    use TipoOperacion::Deposito;
    assert_eq!(
        shape,
        vec![(TipoRegla::Tarifa, Deposito), (TipoRegla::Tarifa, Deposito), (TipoRegla::Tarifa, Deposito), (TipoRegla::Limite, Deposito), (TipoRegla::Limite, Deposito)],
        "{history:#?}"
    );
    let versions: Vec<_> = history.iter().map(|c| (c.tarifa_anterior.clone(), c.tarifa_nueva.clone())).take(3).collect();
    assert_eq!(versions, vec![(Some(t2.clone()), None), (Some(t1.clone()), Some(t2)), (None, Some(t1))]);
    let limits: Vec<_> = history.iter().skip(3).map(|c| (c.limite_anterior.clone(), c.limite_nuevo.clone())).collect();
    assert_eq!(limits, vec![(Some(v1.clone()), Some(v2)), (None, Some(v1))]);
    assert!(history.iter().all(|c| c.banco == "TIGO_MONEY" && c.operador == fx.admin.name), "{history:#?}");
    assert!(history.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert!(history[..3].iter().all(|c| c.limite_anterior.is_none() && c.limite_nuevo.is_none()));
    assert_eq!(fx.as_(Admin).provider_rule_history("BCP".into()).unwrap().len(), 1);

    // Append-only where the data lives.
    let conn = rusqlite::Connection::open(fx.path()).unwrap();
    assert!(conn.execute("UPDATE provider_rule_history SET nueva = NULL", []).is_err(), "a history row is never changed");
    assert!(conn.execute("DELETE FROM provider_rule_history", []).is_err(), "nor deleted");
    assert_eq!(fx.as_(Admin).provider_rule_history("TIGO_MONEY".into()).unwrap(), history);
}

#[test]
fn a_cashier_may_not_set_limits_or_tariffs_and_nothing_is_written() {
    let mut fx = Fixture::new();
    // A refused permission is audited; the rules themselves are not written.
    let err = expect_err(fx.as_(Cashier).set_provider_limit(limit("TIGO_MONEY", "DEPOSITO", Some("3"), None, None, None, "NUNCA")), "limit");
    assert_error(&err, PermisoDenegado, None, "limit");
    let err = expect_err(fx.as_(Cashier).set_commission_tariff(tariff("CENTAVO")), "tariff");
    assert_error(&err, PermisoDenegado, None, "tariff");
    assert!(fx.as_(Admin).list_provider_limits().unwrap().is_empty());
    assert!(fx.as_(Admin).list_commission_tariffs().unwrap().is_empty());
    // The history is an administrator's: a cashier is refused.
    let err = expect_err(fx.as_(Cashier).provider_rule_history("TIGO_MONEY".into()), "cashier history");
    assert_error(&err, PermisoDenegado, None, "cashier history");
    assert!(fx.as_(Admin).provider_rule_history("TIGO_MONEY".into()).unwrap().is_empty(), "a refused change leaves no history");
    for err in [
        expect_err(fx.as_(Nobody).list_provider_limits(), "nobody"),
        expect_err(fx.as_(Nobody).provider_balance_checks(), "nobody checks"),
        expect_err(fx.as_(Nobody).provider_rule_history("TIGO_MONEY".into()), "nobody history"),
    ] {
        assert_error(&err, NoAutenticado, None, "nobody");
    }
}

#[test]
fn bad_input_to_every_new_command_names_its_field_and_writes_nothing() {
    let (mut fx, s) = store_with_tigo_limits();
    let before = fx.snapshot();
    let with = |f: fn(&mut ProviderLimitInput)| {
        let mut input = limit("TIGO_MONEY", "RETIRO", Some("10"), Some("2000"), None, None, "NUNCA");
        f(&mut input);
        input
    };
    let limit_cases: Vec<(ProviderLimitInput, ErrorCode, &str)> = vec![
        (with(|i| i.banco = " ".into()), CampoRequerido, "banco"),
        (with(|i| i.banco = "NADIE".into()), NoEncontrado, "banco"),
        (with(|i| i.tipo_operacion = "PAGO".into()), ValorInvalido, "tipo_operacion"),
        (with(|i| i.monto_minimo = Some("abc".into())), MontoInvalido, "monto_minimo"),
        (with(|i| i.monto_minimo = Some("0.99".into())), MontoBajoMinimo, "monto_minimo"),
        (with(|i| i.monto_maximo = Some("1.500".into())), MontoDecimales, "monto_maximo"),
        (with(|i| i.monto_maximo = Some("5".into())), ValorInvalido, "monto_maximo"),
        (with(|i| i.total_diario = Some("-5".into())), MontoNoPositivo, "total_diario"),
        (with(|i| i.total_mensual = Some("x".into())), MontoInvalido, "total_mensual"),
        (with(|i| i.identidad = "A_VECES".into()), ValorInvalido, "identidad"),
        (with(|i| i.identidad = "DESDE_MONTO".into()), CampoRequerido, "identidad_desde"),
        (with(|i| i.identidad_desde = Some("100".into())), ValorInvalido, "identidad_desde"),
    ];
    for (input, code, field) in limit_cases {
        let context = format!("set_provider_limit {field} {input:?}");
        refused!(fx, fx.as_(Admin).set_provider_limit(input), code, Some(field), &before, &context);
    }

    let tariff_with = |f: &dyn Fn(&mut TariffInput)| {
        let mut input = tariff("CENTAVO");
        f(&mut input);
        input
    };
    let tariff_cases: Vec<(TariffInput, ErrorCode, &str, &str)> = vec![
        (tariff_with(&|t| t.banco = "NADIE".into()), NoEncontrado, "banco", ""),
        (tariff_with(&|t| t.tipo_operacion = "X".into()), ValorInvalido, "tipo_operacion", ""),
        (tariff_with(&|t| t.redondeo = "MEDIO".into()), ValorInvalido, "redondeo", ""),
        (tariff_with(&|t| t.bandas[0].desde = "uno".into()), MontoInvalido, "bandas", "Banda 1"),
        (tariff_with(&|t| t.bandas[0].hasta = Some("0.50".into())), ValorInvalido, "bandas", "Banda 1"),
        (tariff_with(&|t| t.bandas[1].desde = "100.02".into()), ValorInvalido, "bandas", "Banda 2"),
        (tariff_with(&|t| t.bandas[1].desde = "90".into()), ValorInvalido, "bandas", "Banda 2"),
        (tariff_with(&|t| t.bandas[1].hasta = None), ValorInvalido, "bandas", "Banda 2"),
        (tariff_with(&|t| t.bandas[2].cliente_tipo = "MIXTA".into()), ValorInvalido, "bandas", "Banda 3"),
        (tariff_with(&|t| t.bandas[2].cliente_valor = "100.01".into()), ValorInvalido, "bandas", "Banda 3"),
        (tariff_with(&|t| t.bandas[2].banco_valor = "1,255".into()), MontoDecimales, "bandas", "Banda 3"),
        (tariff_with(&|t| t.bandas = (0..21).map(|_| band("1", None, ("FIJA", "1"), ("FIJA", "1"))).collect()), ValorInvalido, "bandas", ""),
    ];
    for (input, code, field, names) in tariff_cases {
        let context = format!("set_commission_tariff {field} {names}");
        let err = refused!(fx, fx.as_(Admin).set_commission_tariff(input), code, Some(field), &before, &context);
        assert!(err.message.contains(names), "{context}: {}", err.message);
    }

    let q = |f: fn(&mut AgentQuoteInput)| {
        let mut input = AgentQuoteInput { banco: "TIGO_MONEY".into(), tipo_operacion: "DEPOSITO".into(), ..Default::default() };
        f(&mut input);
        input
    };
    let quote_cases: Vec<(AgentQuoteInput, ErrorCode, &str)> = vec![
        (q(|i| i.banco = String::new()), CampoRequerido, "banco"),
        (q(|i| i.tipo_operacion = "OTRO".into()), ValorInvalido, "tipo_operacion"),
        (q(|i| i.monto = Some("0".into())), MontoNoPositivo, "monto"),
        (q(|i| i.ci_numero = Some("12AB".into())), ValorInvalido, "ci_numero"),
        (q(|i| {
            i.ci_numero = Some("123456".into());
            i.ci_complemento = Some("ABC".into());
        }), ValorInvalido, "ci_complemento"),
    ];
    for (input, code, field) in quote_cases {
        refused!(fx, fx.as_(Cashier).quote_agent_operation(input), code, Some(field), &before, &format!("quote {field}"));
    }
    refused!(fx, fx.as_(Admin).provider_rule_history(" ".into()), CampoRequerido, Some("banco"), &before, "history empty");
    refused!(fx, fx.as_(Admin).provider_rule_history("NADIE".into()), NoEncontrado, Some("banco"), &before, "history unknown");
    refused!(fx, fx.as_(Cashier).search_customers(CustomerSearch { texto: " ".into() }), CampoRequerido, Some("texto"), &before, "search empty");
    refused!(fx, fx.as_(Cashier).search_customers(CustomerSearch { texto: "a".into() }), ValorInvalido, Some("texto"), &before, "search short");
    refused!(fx, fx.as_(Cashier).search_customers(CustomerSearch { texto: "😀😀".into() }), TextoInvalido, Some("texto"), &before, "search emoji");
    refused!(fx, fx.as_(Admin).customer_operations(CustomerRef { ci_numero: "".into(), ci_complemento: None }), CampoRequerido, Some("ci_numero"), &before, "ops empty");
    refused!(fx, fx.as_(Admin).customer_operations(CustomerRef { ci_numero: "12".into(), ci_complemento: None }), ValorInvalido, Some("ci_numero"), &before, "ops short");

    let person = |f: fn(&mut ClienteIdentidad)| {
        let mut c = customer("5556667", "Juana Mamani");
        f(&mut c);
        NewAgentTransaction { cliente: Some(c), ..agent("TIGO_MONEY", "DEPOSITO", "10", "X-1", s) }
    };
    let customer_cases: Vec<(NewAgentTransaction, ErrorCode, &str)> = vec![
        (person(|c| c.ci_numero = String::new()), CampoRequerido, "ci_numero"),
        (person(|c| c.ci_numero = "12.345.678".into()), ValorInvalido, "ci_numero"),
        (person(|c| c.ci_complemento = Some("1-A".into())), ValorInvalido, "ci_complemento"),
        (person(|c| c.ci_expedido = Some("XX".into())), ValorInvalido, "ci_expedido"),
        (person(|c| c.nombre = "  ".into()), CampoRequerido, "cliente_nombre"),
        (person(|c| c.nombre = "x".repeat(81)), TextoDemasiadoLargo, "cliente_nombre"),
        (NewAgentTransaction { motivo_comision: Some("y".repeat(201)), ..person(|_| ()) }, TextoDemasiadoLargo, "motivo_comision"),
        (deposit_by(None, "10", "X-1", s), IdentidadRequerida, "ci_numero"),
    ];
    for (input, code, field) in customer_cases {
        refused!(fx, fx.as_(Cashier).create_agent_transaction(input), code, Some(field), &before, &format!("agent {field}"));
    }
}

#[test]
fn the_demo_sets_tigo_moneys_published_limits_for_a_basic_account() {
    let mut store = EmptyStore::new();
    let operators = mostrador::service::demo::seed(&mut store.app).unwrap();
    let admin = operators.iter().find(|o| o.role == Role::Administrador).unwrap();
    store.app.login(creds(&admin.name, &admin.pin)).unwrap();
    let limits = store.app.list_provider_limits().unwrap();
    let figures: Vec<(&str, TipoOperacion, Option<Money>, Option<Money>, Option<Money>, Option<Money>, Identidad)> = limits
        .iter()
        .map(|l| (l.banco.as_str(), l.tipo_operacion, l.monto_minimo, l.monto_maximo, l.total_diario, l.total_mensual, l.identidad))
        .collect();
    assert_eq!(
        figures,
        vec![
            ("TIGO_MONEY", TipoOperacion::Deposito, Some(bs(300)), Some(bs(200_000)), Some(bs(200_000)), Some(bs(1_400_000)), Identidad::Siempre),
            ("TIGO_MONEY", TipoOperacion::Retiro, Some(bs(1_000)), Some(bs(200_000)), Some(bs(200_000)), Some(bs(1_400_000)), Identidad::Siempre),
        ]
    );
    // One example tariff, labelled as such, on a provider the limits leave alone.
    let (banco, tipo) = mostrador::service::demo::DEMO_EXAMPLE_TARIFF;
    let tariffs = store.app.list_commission_tariffs().unwrap();
    assert_eq!(tariffs.iter().map(|t| (t.banco.as_str(), t.tipo_operacion.as_str())).collect::<Vec<_>>(), vec![(banco, tipo)]);
    assert!(mostrador::service::demo::DEMO_EXAMPLE_TARIFF_NOTE.contains("EJEMPLO"));
    let quote = |app: &mut mostrador::service::Mostrador, monto: &str| {
        let input = AgentQuoteInput { banco: banco.into(), tipo_operacion: tipo.into(), monto: Some(monto.into()), ..Default::default() };
        app.quote_agent_operation(input).unwrap().comision_cliente
    };
    assert_eq!(quote(&mut store.app, "500"), Some(bs(200)));
    // 0,5 % of Bs 1.234,00 is Bs 6,17, rounded to ten centavos.
    assert_eq!(quote(&mut store.app, "1234"), Some(bs(620)));
}

#[test]
fn a_record_only_provider_is_reconciled_from_its_statement_like_the_bank() {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("SOLI", "1000")).unwrap();
    let mixta = fx.mixta.id;
    let s = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    let matched = fx.as_(Cashier).create_agent_transaction(agent("SOLI", "DEPOSITO", "100", "SO-1", s)).unwrap();
    let differs = fx.as_(Cashier).create_agent_transaction(agent("SOLI", "DEPOSITO", "50", "SO-2", s)).unwrap();
    let missing = fx.as_(Cashier).create_agent_transaction(agent("SOLI", "RETIRO", "30", "SO-3", s)).unwrap();
    let voided = fx.as_(Cashier).create_agent_transaction(agent("SOLI", "DEPOSITO", "20", "SO-4", s)).unwrap();
    fx.as_(Admin).void_agent_transaction(VoidInput { id: voided.id, motivo: "Duplicada".into() }).unwrap();
    let input = ReconcileInput {
        banco: "SOLI".into(),
        fecha: "2025-03-10".into(),
        extracto: Some("referencia,monto\nSO-1,100\nSO-2,55\nSO-9,10\n".into()),
    };
    let report = fx.as_(Admin).reconcile_statement(input).unwrap();
    let lines: Vec<(EstadoConciliacion, Option<i64>, Option<String>, Money)> =
        report.lineas.iter().map(|l| (l.estado, l.id_transaccion, l.referencia.clone(), l.monto)).collect();
    assert_eq!(
        lines,
        vec![
            (EstadoConciliacion::Conciliada, Some(matched.id), Some("SO-1".into()), bs(10_000)),
            (EstadoConciliacion::FaltaEnProveedor, Some(differs.id), Some("SO-2".into()), bs(5_000)),
            (EstadoConciliacion::FaltaEnProveedor, Some(missing.id), Some("SO-3".into()), bs(3_000)),
            (EstadoConciliacion::DesconocidaEnTienda, None, Some("SO-9".into()), bs(1_000)),
        ],
        "{report:#?}"
    );
    assert!(report.lineas[1].detalle.contains("55.00"), "{}", report.lineas[1].detalle);
    assert_eq!(report.lineas[2].detalle, "Registrada en la tienda; no figura en el extracto del proveedor.");
    assert_eq!((report.conciliadas, report.faltan_en_proveedor, report.desconocidas), (1, 2, 1));
    assert_eq!(fx.as_(Admin).get_reconciliation(report.id).unwrap(), report);
}
