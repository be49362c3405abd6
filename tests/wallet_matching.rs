//! The wallet's `account/transactions` items carry no id and no `reference_id`
//! (seeds/002): the unknown-outcome lookup and the end-of-day reconciliation match them on
//! their documented fields, with the ambiguity rule of CONTRACTS.md.

use mostrador::connectors::wallet::{self, Cashout, SentFacts};
use mostrador::connectors::{Lookup, ProviderTransaction};
use mostrador::domain::{EstadoConciliacion, EstadoEnvio, LlamadaApi, Money};
use mostrador::sync::reconcile::{match_records, LocalCall};

const CVU: &str = "0000003100000000000123";
const OTHER_CVU: &str = "0000003100000000000999";
const CUIT: &str = "20304050607";

fn bs(centavos: i64) -> Money {
    Money::from_centavos(centavos)
}

fn body(reference: &str, destination: &str, cuit: &str, centavos: i64) -> String {
    wallet::cashout_body(&Cashout {
        reference_id: reference,
        destination,
        cuit,
        amount: bs(centavos),
        concept: "VAR",
        description: "Depósito",
    })
    .get()
    .to_string()
}

/// A listed item with only the documented fields (no id, no reference_id).
fn listed(centavos: i64, income: bool, cuit: &str, cvu: &str, status: &str, at: &str) -> ProviderTransaction {
    ProviderTransaction {
        provider_ref: None,
        reference: None,
        amount: bs(centavos),
        operation: if income { "cashin" } else { "cashout" }.into(),
        at: at.into(),
        income: Some(income),
        status: Some(status.into()),
        holder: Some("TITULAR 0123".into()),
        cuit: Some(cuit.into()),
        cvu_cbu: Some(cvu.into()),
    }
}

fn call(id: i64, kind: LlamadaApi, key: &str, centavos: i64, body: String) -> LocalCall {
    LocalCall { agent_transaction_id: id, call: kind, key: key.into(), provider_ref: None, amount: bs(centavos), state: EstadoEnvio::Acked, body }
}

#[test]
fn the_lookup_finds_one_confirmed_match_misses_and_never_picks_between_two() {
    let sent = SentFacts::of_cashout(&body("MST-1", CVU, CUIT, 10_000)).unwrap();
    let list = vec![
        listed(10_000, false, CUIT, CVU, "approved", "2025-03-01 10:00:00"),
        listed(10_000, true, CUIT, CVU, "approved", "2025-03-01 10:05:00"),
        listed(10_000, false, "27111111113", CVU, "approved", "2025-03-01 10:06:00"),
        listed(10_000, false, CUIT, OTHER_CVU, "approved", "2025-03-01 10:07:00"),
        listed(10_001, false, CUIT, CVU, "approved", "2025-03-01 10:08:00"),
    ];
    // Planted match: only the first fits (amount, direction, CUIT, CVU).
    assert_eq!(wallet::resolve_lookup(&sent, &list, 0), Lookup::Found { provider_ref: None });
    // Planted miss.
    let missing = SentFacts::of_cashout(&body("MST-2", CVU, CUIT, 77_700)).unwrap();
    assert_eq!(wallet::resolve_lookup(&missing, &list, 0), Lookup::NotFound);
    // Planted ambiguity: a second listed cashout with the same fields: both shown, none picked.
    let mut doubled = list.clone();
    doubled.push(listed(10_000, false, CUIT, CVU, "approved", "2025-03-01 11:00:00"));
    let Lookup::Ambiguous { detail } = wallet::resolve_lookup(&sent, &doubled, 0) else { panic!("two candidates") };
    assert!(detail.contains("2025-03-01 10:00:00") && detail.contains("2025-03-01 11:00:00"), "{detail}");
    // One candidate that another call of the store (a twin) could be: not a confirmation.
    assert!(matches!(wallet::resolve_lookup(&sent, &list, 1), Lookup::Ambiguous { .. }));
    // A pending or rejected listed status is not a confirmation.
    for status in ["pending", "rechazada"] {
        let list = vec![listed(10_000, false, CUIT, CVU, status, "2025-03-01 10:00:00")];
        assert!(matches!(wallet::resolve_lookup(&sent, &list, 0), Lookup::Unavailable { .. }), "{status}");
    }
    // Sent to an alias: the list shows the resolved CVU, so the CVU is not compared.
    let alias = SentFacts::of_cashout(&body("MST-3", "juana.mamani", CUIT, 10_001)).unwrap();
    assert_eq!(wallet::resolve_lookup(&alias, &list, 0), Lookup::Found { provider_ref: None });
}

#[test]
fn the_reconciliation_matches_a_list_without_ids_on_its_documented_fields() {
    let local = vec![
        // Planted matches: a cashout and a customer's transfer.
        call(1, LlamadaApi::Cashout, "MST-1", 10_000, body("MST-1", CVU, CUIT, 10_000)),
        call(2, LlamadaApi::VerificarCobro, "555", 25_000, r#"{"id":"555","amount":250.00}"#.into()),
        // Planted ambiguity: two listed cashouts fit this one.
        call(3, LlamadaApi::Cashout, "MST-3", 5_000, body("MST-3", OTHER_CVU, "27111111113", 5_000)),
        // Planted miss.
        call(4, LlamadaApi::Cashout, "MST-4", 99_900, body("MST-4", CVU, CUIT, 99_900)),
        // Listed as pending: not a confirmation.
        call(5, LlamadaApi::Cashout, "MST-5", 3_300, body("MST-5", CVU, CUIT, 3_300)),
    ];
    let remote = vec![
        listed(10_000, false, CUIT, CVU, "approved", "2025-03-01 09:00:00"),
        listed(25_000, true, "20999999993", "0000003100000000000555", "approved", "2025-03-01 09:10:00"),
        listed(5_000, false, "27111111113", OTHER_CVU, "approved", "2025-03-01 09:20:00"),
        listed(5_000, false, "27111111113", OTHER_CVU, "approved", "2025-03-01 09:30:00"),
        listed(3_300, false, CUIT, CVU, "pending", "2025-03-01 09:40:00"),
        // Unknown to the store.
        listed(1_200, true, "20111111112", "0000003100000000000444", "approved", "2025-03-01 09:50:00"),
    ];
    let lines = match_records(&local, &remote);
    let of = |id: i64| lines.iter().find(|l| l.id_transaccion == Some(id)).unwrap();
    assert_eq!(of(1).estado, EstadoConciliacion::Conciliada, "{:?}", of(1));
    assert_eq!(of(2).estado, EstadoConciliacion::Conciliada, "{:?}", of(2));
    assert_eq!(of(3).estado, EstadoConciliacion::RequiereAtencion);
    assert!(of(3).detalle.contains("09:20:00") && of(3).detalle.contains("09:30:00"), "both shown: {}", of(3).detalle);
    assert_eq!(of(4).estado, EstadoConciliacion::FaltaEnProveedor);
    assert_eq!(of(5).estado, EstadoConciliacion::RequiereAtencion, "pending is not a confirmation");
    let unknown: Vec<_> = lines.iter().filter(|l| l.estado == EstadoConciliacion::DesconocidaEnTienda).collect();
    assert_eq!(unknown.len(), 1, "{lines:#?}");
    assert_eq!(unknown[0].monto, bs(1_200));

    // Two identical calls and two identical listed operations: each call has two
    // candidates, so both need a person; nothing is picked.
    let twins = vec![
        call(6, LlamadaApi::Cashout, "MST-6", 4_000, body("MST-6", CVU, CUIT, 4_000)),
        call(7, LlamadaApi::Cashout, "MST-7", 4_000, body("MST-7", CVU, CUIT, 4_000)),
    ];
    let remote = vec![
        listed(4_000, false, CUIT, CVU, "approved", "2025-03-01 12:00:00"),
        listed(4_000, false, CUIT, CVU, "approved", "2025-03-01 12:01:00"),
    ];
    let lines = match_records(&twins, &remote);
    assert!(lines.iter().filter(|l| l.id_transaccion.is_some()).all(|l| l.estado == EstadoConciliacion::RequiereAtencion), "{lines:#?}");
}
