//! Demo mode: a store with registers and operators ready to use, for the first run and
//! for training. It seeds an empty database only; on a store it created itself it issues
//! the demo operators new random PINs at every start, so whoever runs the demo again can
//! still log in. A store that was not created by the demo is never touched, and neither
//! is one whose provider connections point anywhere but the bundled simulator the demo
//! connected them to: the demo moves every connection at each start, and must never move
//! one a person pointed at a real provider.

use rand::Rng;
use serde_json::json;

use super::{audit, Mostrador, DEFAULT_LIMIT_QUEUED, DEFAULT_LIMIT_SINGLE};
use crate::connectors::ProviderSecret;
use crate::domain::{AjustesContrato, 
    Contrato, CoreError, CoreResult, Credentials, ErrorCode, NewOperator, NewRegister, ProviderFloatInput, ProviderLimitInput, PuntoServicio, Role,
    StoreProfileInput, TariffBandInput, TariffInput,
};
use crate::simulator::DemoBank;
use crate::store::{self, providers};

/// Marks a database as created by the demo.
const DEMO_MARKER: &str = "demo_store";

/// The simulator URL the demo last connected the store's providers to.
const DEMO_SIMULATOR_URL: &str = "demo_simulator_url";

/// The audit action of connecting the simulator (its detail names the URL); how a demo
/// store from before [`DEMO_SIMULATOR_URL`] existed knows its simulator's URL.
const CONNECT_ACTION: &str = "demo_connect_simulator";

const OPERATORS: &[(&str, Role)] =
    &[("Ana Administradora", Role::Administrador), ("Carlos Cajero", Role::Cajero), ("Lucía Cajera", Role::Cajero)];

#[derive(Debug, Clone)]
pub struct DemoOperator {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

fn random_pin() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

/// Seeds the demo store on an empty database, or gives the demo operators of a store the
/// demo created new PINs. Returns the operators and their PINs to print; empty for a
/// store that is not a demo store.
pub fn seed(app: &mut Mostrador) -> CoreResult<Vec<DemoOperator>> {
    check_only_simulator(app)?;
    if !app.setup_status()?.needs_first_admin {
        return reissue_pins(app);
    }
    let operators: Vec<DemoOperator> =
        OPERATORS.iter().map(|(name, role)| DemoOperator { name: name.to_string(), role: *role, pin: random_pin() }).collect();
    let admin = &operators[0];
    // The demo prints its PINs; its recovery code is not needed and not kept.
    app.create_first_admin(Credentials { name: admin.name.clone(), pin: admin.pin.clone() })?;
    for op in &operators[1..] {
        app.create_operator(NewOperator { name: op.name.clone(), role: op.role.as_str().into(), pin: op.pin.clone() })?;
    }
    for (name, specialty) in [("Caja 1", "MIXTA"), ("Caja 2 Agentes", "SOLO_AGENTES"), ("Caja 3 Ventas", "SOLO_VENTAS")] {
        app.create_register(NewRegister { name: name.into(), specialty: specialty.into() })?;
    }
    // E-money floats to work with: the demo's providers start funded.
    for banco in ["TIGO_MONEY", "BCP", "BANCO_UNION", "SOLI"] {
        app.adjust_provider_float(ProviderFloatInput {
            banco: banco.into(),
            tipo: "FONDEO".into(),
            monto: "20000".into(),
            nota: Some("Saldo inicial de la demostración".into()),
        })?;
    }
    set_tigo_money_limits(app)?;
    set_example_tariff(app)?;
    app.update_store_profile(StoreProfileInput {
        nombre: "Tienda de demostración".into(),
        direccion: Some("Av. 6 de Marzo 1234, El Alto".into()),
        nit: None,
    })?;
    store::settings::put_setting(&app.conn, DEMO_MARKER, Some("1"))?;
    app.logout()?;
    Ok(operators)
}

/// Tigo Money's published limits for a basic account: cash in (DEPOSITO) Bs 3 to 2.000,
/// cash out (RETIRO) Bs 10 to 2.000, Bs 2.000 a day each way and Bs 14.000 a month. The
/// totals are counted by the customer's CI, which is therefore asked every time and
/// printed on the receipt.
pub const DEMO_TIGO_LIMITS: [(&str, &str); 2] = [("DEPOSITO", "3"), ("RETIRO", "10")];

fn set_tigo_money_limits(app: &mut Mostrador) -> CoreResult<()> {
    for (tipo, minimo) in DEMO_TIGO_LIMITS {
        app.set_provider_limit(ProviderLimitInput {
            banco: "TIGO_MONEY".into(),
            tipo_operacion: tipo.into(),
            monto_minimo: Some(minimo.into()),
            monto_maximo: Some("2000".into()),
            total_diario: Some("2000".into()),
            total_mensual: Some("14000".into()),
            identidad: "SIEMPRE".into(),
            identidad_desde: None,
            identidad_en_recibo: true,
        })?;
    }
    Ok(())
}

/// An EXAMPLE commission tariff, with invented figures (no bank publishes its agents'
/// tariffs): Banco Unión deposits, a fixed Bs 2 up to Bs 500 (the bank paying Bs 1), then
/// 0,5 % (the bank paying 0,25 %), rounded to ten centavos. It is only there so that the
/// demo's counter shows a commission filled from a tariff; the start-up printout and the
/// README say it is an example.
pub const DEMO_EXAMPLE_TARIFF: (&str, &str) = ("BANCO_UNION", "DEPOSITO");

/// How the start-up printout labels [`DEMO_EXAMPLE_TARIFF`].
pub const DEMO_EXAMPLE_TARIFF_NOTE: &str =
    "Tarifa de EJEMPLO con cifras inventadas (no publicadas por el banco): Banco Unión, depósitos, Bs 2 hasta Bs 500 y 0,5 % desde Bs 500,01.";

fn set_example_tariff(app: &mut Mostrador) -> CoreResult<()> {
    let band = TariffBandInput::new;
    app.set_commission_tariff(TariffInput {
        banco: DEMO_EXAMPLE_TARIFF.0.into(),
        tipo_operacion: DEMO_EXAMPLE_TARIFF.1.into(),
        redondeo: "DECIMO".into(),
        bandas: vec![
            band("1", Some("500"), ("FIJA", "2"), ("FIJA", "1")),
            band("500.01", None, ("PORCENTAJE", "0.5"), ("PORCENTAJE", "0.25")),
        ],
    })?;
    Ok(())
}

/// The demo store's point of service at the bank: code, branch, municipality code,
/// municipality, department code.
pub const DEMO_BANK_POINT: [&str; 5] = ["000000000000001", "TIENDA DEMO EL ALTO", "20105", "EL ALTO", "02"];

/// Connects a demo store's Tigo Money (wallet v2) and BCP (bank v1) to the bundled bank
/// simulator, with the simulator's demo credentials in the keyring. Run at every demo
/// start: the simulator's port may change, and keyutils forgets at a reboot.
/// Returns false (and changes nothing) on a store the demo did not create.
pub fn connect_simulator(app: &mut Mostrador, sim: &DemoBank) -> CoreResult<bool> {
    if store::setting(&app.conn, DEMO_MARKER)?.is_none() {
        return Ok(false);
    }
    check_only_simulator(app)?;
    let links = [("TIGO_MONEY", Contrato::BilleteraV2, &sim.wallet), ("BCP", Contrato::BancoV1, &sim.bank)];
    for (banco, _, login) in &links {
        let key = crate::sync::credential_key(&app.conn, banco)?;
        let value = serde_json::to_string(&ProviderSecret { user: login.user.clone(), secret: login.secret.clone() })
            .map_err(CoreError::internal)?;
        app.secrets().set(&key, &value).map_err(|e| {
            CoreError::general(ErrorCode::CredencialesNoDisponibles, format!("No se pudieron guardar las credenciales de la demostración: {e}"))
        })?;
    }
    let now = app.now();
    let tx = store::write(&mut app.conn)?;
    for (banco, contract, _) in &links {
        let bank = *contract == Contrato::BancoV1;
        let [codigo, nombre, ciudad_id, ciudad, departamento] = DEMO_BANK_POINT.map(str::to_string);
        let link = providers::Link {
            contract: *contract,
            base_url: sim.url.clone(),
            send_deposito: true,
            send_retiro: !bank,
            send_qr: true,
            store_account: bank.then(|| sim.correspondent_account.clone()),
            point: bank.then_some(PuntoServicio { codigo, nombre, ciudad_id, ciudad, departamento }),
            max_single: DEFAULT_LIMIT_SINGLE,
            max_queued: DEFAULT_LIMIT_QUEUED,
            // The bank's document names no token endpoint: the simulator's stand-in.
            settings: AjustesContrato {
                url_token: bank.then(|| token_url(&sim.url)),
                // A concept of the simulator's catalogue (its payment/concepts).
                concepto: (!bank).then(|| crate::simulator::DEMO_WALLET_CONCEPT.to_string()),
                ..AjustesContrato::default()
            },
        };
        // An existing connection keeps what the manager set; only the simulator's URL moves.
        providers::save_or_move(&tx, banco, &link, &now)?;
    }
    store::settings::put_setting(&tx, DEMO_SIMULATOR_URL, Some(&sim.url))?;
    audit(&tx, None, CONNECT_ACTION, "provider", None, json!({"url": sim.url}), &now)?;
    tx.commit()?;
    Ok(true)
}

/// The bank's token URL on the simulator at `url` (the bank's document names none).
fn token_url(url: &str) -> String {
    format!("{}{}", url.trim_end_matches('/'), crate::simulator::BANK_TOKEN_STAND_IN)
}

/// The simulator URL the demo last connected this store to, if it ever did.
fn simulator_url(app: &Mostrador) -> CoreResult<Option<String>> {
    if let Some(url) = store::setting(&app.conn, DEMO_SIMULATOR_URL)? {
        return Ok(Some(url));
    }
    let detail = store::records::last_audit_detail(&app.conn, CONNECT_ACTION)?;
    Ok(detail
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
        .and_then(|d| d.get("url").and_then(|u| u.as_str()).map(str::to_string)))
}

/// Refuses, changing nothing, when a provider connection of this store (its URL or its
/// token URL) points anywhere but the simulator the demo last connected it to. A store
/// with no connection passes.
pub fn check_only_simulator(app: &Mostrador) -> CoreResult<()> {
    let simulator = simulator_url(app)?;
    let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
    let mut elsewhere = Vec::new();
    for endpoint in providers::endpoints(&app.conn)? {
        let Some(link) = providers::link(&app.conn, &endpoint.provider)? else { continue };
        let on_simulator = simulator.as_deref().is_some_and(|sim| {
            same(&link.base_url, sim) && link.settings.url_token.as_deref().is_none_or(|t| same(t, &token_url(sim)))
        });
        if !on_simulator {
            elsewhere.push(format!("{} ({})", endpoint.provider, link.base_url));
        }
    }
    if elsewhere.is_empty() {
        return Ok(());
    }
    Err(CoreError::general(
        ErrorCode::EstadoNoPermite,
        format!(
            "El modo demostración no usa esta base de datos: sus proveedores no apuntan al simulador de bancos \
             de la demostración ({}). No se cambió nada; ábrala sin --demo, o use --demo con otra carpeta (--data-dir).",
            elsewhere.join(", ")
        ),
    ))
}

fn reissue_pins(app: &mut Mostrador) -> CoreResult<Vec<DemoOperator>> {
    if store::setting(&app.conn, DEMO_MARKER)?.is_none() {
        return Ok(Vec::new());
    }
    let mut issued = Vec::new();
    let mut hashes = Vec::new();
    for (name, role) in OPERATORS {
        let pin = random_pin();
        hashes.push((name, app.pin_hasher.hash(&pin)?));
        issued.push(DemoOperator { name: name.to_string(), role: *role, pin });
    }
    let now = app.now();
    let tx = store::write(&mut app.conn)?;
    for (name, hash) in hashes {
        if !store::operators::set_pin(&tx, name, &hash)? {
            issued.retain(|op| op.name != *name);
        }
    }
    audit(&tx, None, "demo_reissue_pins", "operator", None, json!({"operators": issued.len()}), &now)?;
    tx.commit()?;
    Ok(issued)
}
