//! The audit log viewer: administrators read the append-only log filtered by operator,
//! action and store-local dates, page by page, and export it as CSV with the same filter.

mod common;

use chrono::Duration;
use common::*;
use mostrador::domain::*;
use Who::*;

fn filter(f: impl FnOnce(&mut AuditFilter)) -> AuditFilter {
    let mut filter = AuditFilter::default();
    f(&mut filter);
    filter
}

/// Three days of activity: the cashier opens a session and records movements on the
/// 10th (Bolivia), an INGRESO on the 11th, and the administrator changes the store's
/// name on the 12th.
fn three_days(fx: &mut Fixture) -> i64 {
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    for _ in 0..3 {
        fx.as_(Cashier).record_cash_movement(ingreso(session, "10")).unwrap();
    }
    fx.clock.advance(Duration::days(1));
    fx.as_(Cashier).record_cash_movement(ingreso(session, "20")).unwrap();
    fx.clock.advance(Duration::days(1));
    fx.app
        .update_store_profile(StoreProfileInput { nombre: "Tienda Doña Rosa".into(), direccion: None, nit: None })
        .unwrap();
    session
}

#[test]
fn the_audit_log_filters_by_operator_action_and_local_date_and_pages_newest_first() {
    let mut fx = Fixture::new();
    three_days(&mut fx);
    let admin = fx.admin.id;
    let cashier = fx.cashier.id;

    let everything = fx.app.list_audit_log(filter(|f| f.size = Some(100))).unwrap();
    assert!(everything.items.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(everything.total, everything.items.len() as i64);

    let mine = fx.app.list_audit_log(filter(|f| f.operator_id = Some(cashier))).unwrap();
    assert!(mine.total >= 5, "login, open, four movements: {mine:?}");
    assert!(mine.items.iter().all(|e| e.operator_id == Some(cashier) && e.operator_name.as_deref() == Some(CASHIER_NAME)));

    let movements = fx.app.list_audit_log(filter(|f| f.action = Some("cash_movement".into()))).unwrap();
    assert_eq!(movements.total, 4);
    assert!(movements.items.iter().all(|e| e.action == "cash_movement" && e.entity_id.is_some()));

    // The 11th in Bolivia holds the one INGRESO of that day.
    let eleventh = filter(|f| {
        f.action = Some("cash_movement".into());
        f.from_date = Some("2025-03-11".into());
        f.to_date = Some("2025-03-11".into());
    });
    let day = fx.app.list_audit_log(eleventh).unwrap();
    assert_eq!(day.total, 1);
    let detail: serde_json::Value = serde_json::from_str(&day.items[0].detail).unwrap();
    assert_eq!(detail["amount"], "20.00", "the 11th's INGRESO, not one of the 10th's: {detail}");
    let from_12 = fx.app.list_audit_log(filter(|f| f.from_date = Some("2025-03-12".into()))).unwrap();
    assert!(from_12.items.iter().all(|e| e.operator_id == Some(admin)), "{from_12:?}");
    assert!(from_12.items.iter().any(|e| e.action == "update_store_profile"));

    // Paging: two rows a page, in the same order as the whole list, with the whole total.
    let p1 = fx.app.list_audit_log(filter(|f| { f.operator_id = Some(cashier); f.size = Some(2); })).unwrap();
    let p2 = fx.app.list_audit_log(filter(|f| { f.operator_id = Some(cashier); f.size = Some(2); f.page = Some(2); })).unwrap();
    assert_eq!((p1.total, p2.total, p1.items.len(), p2.items.len()), (mine.total, mine.total, 2, 2));
    let ids: Vec<i64> = p1.items.iter().chain(&p2.items).map(|e| e.id).collect();
    assert_eq!(ids, mine.items.iter().take(4).map(|e| e.id).collect::<Vec<_>>());

    let actions = fx.app.audit_actions().unwrap();
    for expected in ["cash_movement", "login", "open_session", "update_store_profile"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
    assert!(actions.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
}

#[test]
fn the_audit_log_exported_as_csv_reads_back_every_page_under_the_same_filter() {
    let mut fx = Fixture::new();
    let session = three_days(&mut fx);
    for _ in 0..120 {
        fx.as_(Cashier).record_cash_movement(ingreso(session, "1")).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bitacora.csv");
    let by_action = filter(|f| f.action = Some("cash_movement".into()));
    let written = fx.app.export_audit_log_csv(by_action.clone(), path.to_str().unwrap()).unwrap();

    let bytes = std::fs::read(&written).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, mostrador::service::AUDIT_COLUMNS);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    assert_eq!(rows.len(), 124, "every page, not only the first");
    assert!(rows.iter().all(|r| r[4] == "cash_movement" && r[3] == CASHIER_NAME));
    let newest = fx.app.list_audit_log(filter(|f| { f.action = Some("cash_movement".into()); f.size = Some(1); })).unwrap();
    let first = &newest.items[0];
    assert_eq!(rows[0], [
        first.id.to_string(),
        first.created_at.clone(),
        fx.cashier.id.to_string(),
        CASHIER_NAME.to_string(),
        first.action.clone(),
        first.entity.clone(),
        first.entity_id.map(|i| i.to_string()).unwrap_or_default(),
        first.detail.clone(),
    ]);
    let detail: serde_json::Value = serde_json::from_str(&rows[0][7]).expect("the detail reads back as JSON through the CSV's quoting");
    assert!(detail.is_object());
}
