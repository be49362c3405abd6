//! The store's float with a connected wallet against the wallet's `account/balance`
//! (seeds/002 L28), over loopback HTTP against the bank simulator, with credentials in the
//! machine's real keyring: equal floats show no difference; drift planted in the
//! simulator shows at the next check, in the sync centre's list and the end-of-day job's
//! report.

mod common;

use std::time::Duration;

use common::Who::*;
use common::*;
use mostrador::domain::clock::SystemClock;
use mostrador::domain::*;
use mostrador::simulator::{self, SimulatorConfig};
use mostrador::sync::{SyncHandle, WorkerConfig};
use serde_json::json;

const WALLET_USER: &str = "agente.demo";
const WALLET_PASSWORD: &str = "demo-1234";

fn wallet_connection(url: &str) -> ConfigureProviderInput {
    ConfigureProviderInput {
        banco: "TIGO_MONEY".into(),
        contrato: "BILLETERA_V2".into(),
        url_base: Some(url.into()),
        enviar_deposito: true,
        enviar_retiro: true,
        enviar_qr: true,
        limite_operacion: Some("5000".into()),
        limite_pendiente: Some("1000000".into()),
        concepto: Some(simulator::DEMO_WALLET_CONCEPT.to_string()),
        ..ConfigureProviderInput::default()
    }
}

/// The simulator over loopback and a store with Tigo Money connected to it as a wallet,
/// its credentials in the real keyring.
async fn wallet_store() -> (simulator::SimulatorHandle, tempfile::TempDir, Fixture) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim_dir = tempfile::tempdir().unwrap();
    let sim = simulator::spawn("127.0.0.1:0".parse().unwrap(), SimulatorConfig::demo(sim_dir.path().join("sim.sqlite3"))).await.unwrap();
    let mut fx = Fixture::new();
    fx.as_(Admin).configure_provider(wallet_connection(&sim.url())).unwrap();
    fx.as_(Admin)
        .set_provider_credentials(ProviderCredentialsInput { banco: "TIGO_MONEY".into(), usuario: WALLET_USER.into(), secreto: WALLET_PASSWORD.into() })
        .unwrap();
    (sim, sim_dir, fx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn balance_drift_planted_in_the_simulator_appears_in_the_sync_centre_and_the_end_of_day_report() {
    let (sim, _sim_dir, mut fx) = wallet_store().await;
    let path = fx.path();
    let secrets = fx.app.secrets().clone();
    // The checks read the store's clock, like the app's, so they fall inside the session.
    let clock = fx.clock.clone();
    let check = |momento| {
        let (path, secrets, clock) = (path.clone(), secrets.clone(), clock.clone());
        async move { mostrador::sync::balance::check(&path, &secrets, &clock, "TIGO_MONEY", momento, Duration::from_secs(5)).await }
    };

    // A register open all along: its report shows the checks taken while it was open.
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;

    // The store has recorded no float yet: the whole wallet balance is a difference.
    let first = check(MomentoSaldo::Sincronizacion).await.unwrap();
    assert!(first.saldo_proveedor.is_positive(), "{first:?}");
    assert_eq!((first.saldo_tienda, first.diferencia), (bs(0), first.saldo_proveedor));
    // The store records the same float: no difference.
    let funding = first.saldo_proveedor.to_decimal().to_string();
    fx.as_(Admin).adjust_provider_float(fund("TIGO_MONEY", &funding)).unwrap();
    let even = check(MomentoSaldo::Sincronizacion).await.unwrap();
    assert_eq!((even.saldo_tienda, even.saldo_proveedor, even.diferencia), (first.saldo_proveedor, first.saldo_proveedor, bs(0)));

    // A payment into the wallet the store never recorded.
    let http = reqwest::Client::new();
    let planted = http
        .post(format!("{}/_sim/plant", sim.url()))
        .json(&json!({"contract": "wallet", "operation": "cashin", "amount": "25.50", "cvu": "0000003100000000000777"}))
        .send()
        .await
        .unwrap();
    assert!(planted.status().is_success(), "{}", planted.status());
    let drift = check(MomentoSaldo::CierreDia).await.unwrap();
    assert_eq!(drift.diferencia, bs(2_550), "{drift:?}");
    assert_eq!(drift.saldo_proveedor.centavos(), first.saldo_proveedor.centavos() + 2_550);

    // The sync centre lists each wallet's latest check.
    let latest = fx.as_(Cashier).provider_balance_checks().unwrap();
    assert_eq!(latest, vec![drift.clone()]);
    assert_eq!(latest[0].momento, MomentoSaldo::CierreDia);

    // The session's report shows the wallet's last check while it was open: the drift.
    let report = fx.as_(Cashier).session_report(session).unwrap();
    assert_eq!(report.saldos_billeteras, vec![drift.clone()]);

    // The printed Z report carries the same section: the print dialog's lines and the
    // saved PDF, read back with pdftotext.
    let expected = fx.drawer(session);
    fx.as_(Cashier).close_session(close(session, counts_for(expected))).unwrap();
    let printed = fx.as_(Cashier).session_report_lines(session).unwrap();
    assert_balance_section(&printed, "Bs 25,50");
    let pdf_dir = tempfile::tempdir().unwrap();
    let pdf = pdf_dir.path().join("reporte-z.pdf");
    let written = fx.as_(Cashier).save_session_report_pdf(session, pdf.to_str().unwrap()).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout", &written, "-"]).output().expect("pdftotext (poppler-utils) installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(|l| l.trim().to_string()).collect();
    assert!(text.iter().any(|l| l.contains("REPORTE Z")), "{text:#?}");
    assert_balance_section(&text, "Bs 25,50");

    // The headless end-of-day job prints the difference and exits non-zero.
    let dir = fx.path().parent().unwrap().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_mostrador")).args(["fin-de-dia", "--data-dir"]).arg(&dir).args(["--espera", "10"]).output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Saldo TIGO_MONEY") && stdout.contains("DIFERENCIA Bs 25,50"), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_not_connected_as_a_wallet_has_no_balance_to_check_and_nothing_is_written() {
    let fx = Fixture::new();
    let before = fx.snapshot();
    let err = mostrador::sync::balance::check(&fx.path(), fx.app.secrets(), &SystemClock, "BCP", MomentoSaldo::Sincronizacion, Duration::from_secs(1))
        .await
        .unwrap_err();
    assert_error(&err, ErrorCode::ProveedorNoDisponible, Some("banco"), "not a wallet");
    before.assert_same(&fx.snapshot(), "not a wallet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_planted_in_the_simulator_shows_after_an_automatic_pass_of_the_worker_at_most_once_per_interval() {
    let (sim, _sim_dir, mut fx) = wallet_store().await;
    let sim_url = sim.url();
    let every = Duration::from_secs(10 * 60);
    let (path, secrets, clock) = (fx.path(), fx.app.secrets().clone(), fx.clock.clone());
    let worker = move || {
        let config = WorkerConfig {
            clock: std::sync::Arc::new(clock.clone()),
            balance_every: Some(every),
            request_timeout: Duration::from_secs(5),
            probe_interval: Duration::from_millis(100),
            ..WorkerConfig::default()
        };
        SyncHandle::new(path.clone(), secrets.clone(), config)
    };
    let pass = || async { worker().run_until_drained(Duration::from_secs(5)).await.unwrap() };

    // The first automatic pass asks the idle wallet: nothing recorded yet, so the whole
    // balance is a difference. No manual sync anywhere.
    pass().await;
    let first = fx.as_(Cashier).provider_balance_checks().unwrap();
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].momento, MomentoSaldo::Sincronizacion);
    assert!(first[0].saldo_proveedor.is_positive() && first[0].diferencia == first[0].saldo_proveedor, "{first:?}");
    let funding = first[0].saldo_proveedor.to_decimal().to_string();
    fx.as_(Admin).adjust_provider_float(fund("TIGO_MONEY", &funding)).unwrap();

    // A payment into the wallet the store never recorded.
    let planted = reqwest::Client::new()
        .post(format!("{sim_url}/_sim/plant"))
        .json(&json!({"contract": "wallet", "operation": "cashin", "amount": "25.50", "cvu": "0000003100000000000777"}))
        .send()
        .await
        .unwrap();
    assert!(planted.status().is_success(), "{}", planted.status());

    // Within the interval a pass does not ask again (a new worker reads the last check).
    fx.clock.advance(chrono::Duration::minutes(9));
    pass().await;
    assert_eq!(fx.as_(Cashier).provider_balance_checks().unwrap(), first, "asked before the interval passed");

    // Once it has passed, the next automatic pass shows the drift in the sync centre.
    fx.clock.advance(chrono::Duration::minutes(2));
    pass().await;
    let latest = fx.as_(Cashier).provider_balance_checks().unwrap();
    assert_eq!(latest.len(), 1);
    assert_ne!(latest[0].id, first[0].id, "a new check was recorded");
    assert_eq!((latest[0].saldo_tienda, latest[0].diferencia), (first[0].saldo_proveedor, bs(2_550)), "{latest:?}");

    // A pass that cannot reach the wallet asks nothing and keeps the last check.
    sim.stop().await.unwrap();
    fx.clock.advance(chrono::Duration::minutes(30));
    pass().await;
    assert_eq!(fx.as_(Cashier).provider_balance_checks().unwrap(), latest, "a wallet out of reach has no new check");
}

/// The report's «Saldo con las billeteras» section names the wallet and prints `difference`
/// on its «Diferencia» line (the cash count's own «Diferencia» comes before the section).
fn assert_balance_section(lines: &[String], difference: &str) {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    let start = lines.iter().position(|l| *l == "Saldo con las billeteras").unwrap_or_else(|| panic!("no balance section: {lines:#?}"));
    let section = &lines[start..];
    assert!(section.iter().any(|l| l.starts_with("TIGO_MONEY") && l.contains("Consultado")), "{section:#?}");
    assert!(section.iter().any(|l| l.starts_with("Según la tienda")) && section.iter().any(|l| l.starts_with("Según la billetera")), "{section:#?}");
    let at = section.iter().position(|l| l.starts_with("Diferencia")).unwrap_or_else(|| panic!("no difference: {section:#?}"));
    let value = if section[at].ends_with(difference) { section[at] } else { section[at + 1] };
    assert!(value.ends_with(difference), "{section:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_sets_a_wallets_balance_unit_per_connection_and_the_check_reads_the_amount_in_it() {
    let (sim, _sim_dir, mut fx) = wallet_store().await;
    let (path, secrets) = (fx.path(), fx.app.secrets().clone());
    let check = || {
        let (path, secrets) = (path.clone(), secrets.clone());
        async move { mostrador::sync::balance::check(&path, &secrets, &SystemClock, "TIGO_MONEY", MomentoSaldo::Sincronizacion, Duration::from_secs(5)).await.unwrap() }
    };
    let unit = |fx: &mut Fixture| {
        let connections = fx.as_(Admin).list_provider_connections().unwrap();
        connections.into_iter().find(|c| c.banco == "TIGO_MONEY").unwrap().ajustes.unidad_saldo
    };

    // Unset, the amount is read as centavos (the stated default).
    assert_eq!(unit(&mut fx), None);
    let in_centavos = check().await.saldo_proveedor;
    assert!(in_centavos.is_positive());

    // The same answer read as whole bolivianos is a hundred times more.
    let bolivianos = ConfigureProviderInput { unidad_saldo: Some("BOLIVIANOS".into()), ..wallet_connection(&sim.url()) };
    fx.as_(Admin).configure_provider(bolivianos).unwrap();
    assert_eq!(unit(&mut fx), Some(UnidadSaldo::Bolivianos));
    assert_eq!(check().await.saldo_proveedor.centavos(), in_centavos.centavos() * 100);

    // Back to centavos, and a cashier may not change it (nothing written).
    fx.as_(Admin).configure_provider(ConfigureProviderInput { unidad_saldo: Some("CENTAVOS".into()), ..wallet_connection(&sim.url()) }).unwrap();
    assert_eq!(check().await.saldo_proveedor, in_centavos);
    let err = fx.as_(Cashier).configure_provider(ConfigureProviderInput { unidad_saldo: Some("BOLIVIANOS".into()), ..wallet_connection(&sim.url()) });
    assert_error(&expect_err(err, "cashier"), ErrorCode::PermisoDenegado, None, "cashier sets the unit");
    assert_eq!(unit(&mut fx), Some(UnidadSaldo::Centavos));
}
