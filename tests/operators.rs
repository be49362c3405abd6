//! Operators over time: deactivation, PIN resets and changes, unlocking, role changes,
//! escalating lockouts, the recovery code and the idle logout. One test per rule, and a
//! bad-input table for the commands that do these things.

mod common;

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use ErrorCode::*;
use Who::*;

const UNKNOWN_ID: i64 = 999_999;

struct Ids {
    admin: i64,
    cashier: i64,
    cashier2: i64,
    /// The store's recovery code, issued in the setup.
    recovery_code: String,
}

fn case<T>(
    who: Who,
    name: impl Into<String>,
    code: ErrorCode,
    field: Option<&'static str>,
    call: impl Fn(&mut Mostrador, &Ids) -> CoreResult<T> + 'static,
) -> Case<Ids> {
    common::case(who, name, code, field, call)
}

fn reset(operator_id: i64, new_pin: &str) -> ResetPinInput {
    ResetPinInput { operator_id, new_pin: new_pin.into() }
}

fn change(current_pin: &str, new_pin: &str) -> ChangePinInput {
    ChangePinInput { current_pin: current_pin.into(), new_pin: new_pin.into() }
}

fn role(operator_id: i64, role: &str) -> ChangeRoleInput {
    ChangeRoleInput { operator_id, role: role.into() }
}

fn recover(name: &str, recovery_code: &str, new_pin: &str) -> RecoverAdminInput {
    RecoverAdminInput { name: name.into(), recovery_code: recovery_code.into(), new_pin: new_pin.into() }
}

fn idle(minutes: &str) -> SettingsInput {
    SettingsInput { close_difference_threshold: "20".into(), idle_logout_minutes: Some(minutes.into()), ..Default::default() }
}

/// New PINs refused: the login's 4 and 5 digits are too short for a new one.
fn bad_new_pins() -> Vec<(String, ErrorCode)> {
    vec![
        (String::new(), CampoRequerido),
        ("1234".into(), PinInvalido),
        ("12345".into(), PinInvalido),
        ("123456789".into(), PinInvalido),
        ("12a456".into(), PinInvalido),
        (" 123456".into(), PinInvalido),
        ("１２３４５６".into(), PinInvalido),
        ("😀😀😀😀😀😀".into(), PinInvalido),
        ("1".repeat(10_000), PinInvalido),
    ]
}

fn audit_rows(app: &Mostrador, action: &str) -> Vec<(Option<i64>, Option<i64>, String)> {
    let mut stmt = app
        .connection()
        .prepare("SELECT operator_id, entity_id, detail FROM audit_log WHERE action = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([action], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

fn cases() -> Vec<Case<Ids>> {
    let mut cases = vec![
        // No one logged in.
        case(Nobody, "deactivate", NoAutenticado, None, |a, i| a.deactivate_operator(i.cashier)),
        case(Nobody, "reactivate", NoAutenticado, None, |a, i| a.reactivate_operator(i.cashier)),
        case(Nobody, "unlock", NoAutenticado, None, |a, i| a.unlock_operator(i.cashier)),
        case(Nobody, "reset pin", NoAutenticado, None, |a, i| a.reset_operator_pin(reset(i.cashier, "123456"))),
        case(Nobody, "reset pin, bad input", NoAutenticado, None, |a, _| a.reset_operator_pin(reset(-1, "x"))),
        case(Nobody, "change own pin", NoAutenticado, None, |a, _| a.change_own_pin(change(CASHIER_PIN, "654321"))),
        case(Nobody, "change role", NoAutenticado, None, |a, i| a.change_operator_role(role(i.cashier, "administrador"))),
        case(Nobody, "issue recovery code", NoAutenticado, None, |a, _| a.issue_recovery_code(creds(ADMIN_NAME, ADMIN_PIN))),
        // A cashier doing an administrator's work, even on themselves.
        case(Cashier, "cashier deactivate", PermisoDenegado, None, |a, i| a.deactivate_operator(i.cashier2)),
        case(Cashier, "cashier deactivate the admin", PermisoDenegado, None, |a, i| a.deactivate_operator(i.admin)),
        case(Cashier, "cashier reactivate", PermisoDenegado, None, |a, i| a.reactivate_operator(i.cashier2)),
        case(Cashier, "cashier unlock", PermisoDenegado, None, |a, i| a.unlock_operator(i.cashier)),
        case(Cashier, "cashier reset pin", PermisoDenegado, None, |a, i| a.reset_operator_pin(reset(i.cashier2, "123456"))),
        case(Cashier, "cashier promotes self", PermisoDenegado, None, |a, i| a.change_operator_role(role(i.cashier, "administrador"))),
        case(Cashier, "cashier issue recovery code", PermisoDenegado, None, |a, _| a.issue_recovery_code(creds(CASHIER_NAME, CASHIER_PIN))),
        case(Cashier, "cashier sets idle time", PermisoDenegado, None, |a, _| a.update_settings(idle("0"))),
        // An operator that does not exist.
        case(Admin, "deactivate unknown", NoEncontrado, Some("operator_id"), |a, _| a.deactivate_operator(UNKNOWN_ID)),
        case(Admin, "reactivate unknown", NoEncontrado, Some("operator_id"), |a, _| a.reactivate_operator(UNKNOWN_ID)),
        case(Admin, "unlock unknown", NoEncontrado, Some("operator_id"), |a, _| a.unlock_operator(-1)),
        case(Admin, "reset pin unknown", NoEncontrado, Some("operator_id"), |a, _| a.reset_operator_pin(reset(0, "123456"))),
        case(Admin, "change role unknown", NoEncontrado, Some("operator_id"), |a, _| a.change_operator_role(role(UNKNOWN_ID, "cajero"))),
        // The rules.
        case(Admin, "deactivate the last administrator", UltimoAdministrador, Some("operator_id"), |a, i| a.deactivate_operator(i.admin)),
        case(Admin, "demote the last administrator", UltimoAdministrador, Some("operator_id"), |a, i| a.change_operator_role(role(i.admin, "cajero"))),
        case(Admin, "deactivate a cashier with a register open", OperadorConSesionAbierta, Some("operator_id"), |a, i| a.deactivate_operator(i.cashier)),
        case(Admin, "reset own pin without the current one", ValorInvalido, Some("operator_id"), |a, i| a.reset_operator_pin(reset(i.admin, "123456"))),
        case(Cashier, "change own pin, current empty", CampoRequerido, Some("current_pin"), |a, _| a.change_own_pin(change("", "654321"))),
        case(Cashier, "change own pin, current wrong", CredencialesInvalidas, Some("current_pin"), |a, _| a.change_own_pin(change("000000", "654321"))),
        case(Admin, "issue recovery code, no pin", CampoRequerido, Some("pin"), |a, _| a.issue_recovery_code(creds(ADMIN_NAME, ""))),
        case(Admin, "issue recovery code, wrong pin", CredencialesInvalidas, Some("pin"), |a, _| a.issue_recovery_code(creds(ADMIN_NAME, "000000"))),
        // The recovery code, with no one logged in.
        case(Nobody, "recover, no code", CampoRequerido, Some("recovery_code"), |a, _| a.recover_admin_pin(recover(ADMIN_NAME, "  ", "654321"))),
        case(Nobody, "recover, short code", ValorInvalido, Some("recovery_code"), |a, _| a.recover_admin_pin(recover(ADMIN_NAME, "ABCD-EFGH", "654321"))),
        case(Nobody, "recover, code with U", ValorInvalido, Some("recovery_code"), |a, _| a.recover_admin_pin(recover(ADMIN_NAME, "UUUU-UUUU-UUUU-UUUU-UUUU", "654321"))),
        case(Nobody, "recover, code of emoji", ValorInvalido, Some("recovery_code"), |a, _| a.recover_admin_pin(recover(ADMIN_NAME, &"😀".repeat(20), "654321"))),
        case(Nobody, "recover, wrong code", CredencialesInvalidas, Some("recovery_code"), |a, _| a.recover_admin_pin(recover(ADMIN_NAME, "0000-0000-0000-0000-0000", "654321"))),
        case(Nobody, "recover, no name", CampoRequerido, Some("name"), |a, i| a.recover_admin_pin(recover("", &i.recovery_code, "654321"))),
        case(Nobody, "recover, a cashier", NoEncontrado, Some("name"), |a, i| a.recover_admin_pin(recover(CASHIER_NAME, &i.recovery_code, "654321"))),
        case(Nobody, "recover, unknown name", NoEncontrado, Some("name"), |a, i| a.recover_admin_pin(recover("Nadie", &i.recovery_code, "654321"))),
    ];
    for bad in ["cajera", "", "ADMINISTRADOR", "jefe", "出納係"] {
        cases.push(case(Admin, format!("role {bad:?}"), ValorInvalido, Some("role"), move |a, i| a.change_operator_role(role(i.cashier2, bad))));
    }
    for (pin, code) in bad_new_pins() {
        let short = format!("{pin:.12}");
        let (p1, p2, p3) = (pin.clone(), pin.clone(), pin.clone());
        cases.push(case(Admin, format!("reset pin {short:?}"), code, Some("new_pin"), move |a, i| a.reset_operator_pin(reset(i.cashier2, &p1))));
        cases.push(case(Cashier2, format!("change own pin to {short:?}"), code, Some("new_pin"), move |a, _| a.change_own_pin(change(CASHIER2_PIN, &p2))));
        cases.push(case(Nobody, format!("recover with pin {short:?}"), code, Some("new_pin"), move |a, i| {
            a.recover_admin_pin(recover(ADMIN_NAME, &i.recovery_code, &p3))
        }));
    }
    for (minutes, code) in [("", CampoRequerido), ("-1", ValorInvalido), ("481", ValorInvalido), ("1.5", ValorInvalido), ("+5", ValorInvalido), ("diez", ValorInvalido), ("99999999999999999999", ValorInvalido)] {
        cases.push(case(Admin, format!("idle minutes {minutes:?}"), code, Some("idle_logout_minutes"), move |a, _| a.update_settings(idle(minutes))));
    }
    cases
}

#[test]
fn every_operator_command_refuses_bad_input_and_writes_nothing() {
    let mut fx = Fixture::new();
    let recovery_code = fx.as_(Admin).issue_recovery_code(creds(ADMIN_NAME, ADMIN_PIN)).unwrap();
    // The cashier has a register open, so they cannot be deactivated.
    let mixta = fx.mixta.id;
    fx.as_(Cashier).open_session(open(mixta, "100")).unwrap();
    fx.open_all_handles();
    let ids = Ids { admin: fx.admin.id, cashier: fx.cashier.id, cashier2: fx.cashier2.id, recovery_code };
    let all = cases();
    let failures = run_bad_input_table(&mut fx, &all, &ids);
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), all.len(), failures.join("\n"));
    // Nothing changed who may log in with what.
    for who in [Admin, Cashier, Cashier2] {
        fx.open_handle().login(who.credentials().unwrap()).unwrap_or_else(|e| panic!("{who:?}: {e:?}"));
    }
}

#[test]
fn a_deactivated_cashier_cannot_log_in_until_reactivated() {
    let mut fx = Fixture::new();
    let cashier = fx.cashier.id;
    let op = fx.app.deactivate_operator(cashier).unwrap();
    assert!(!op.active);
    let err = expect_err(fx.open_handle().login(creds(CASHIER_NAME, CASHIER_PIN)), "deactivated login");
    // The same answer as a wrong PIN: a deactivated account is not confirmed to exist.
    assert_error(&err, CredencialesInvalidas, Some("pin"), "deactivated login");
    assert_eq!(err.message, "Nombre o PIN incorrecto.");
    assert!(!fx.app.list_operators().unwrap().iter().find(|o| o.id == cashier).unwrap().active);

    fx.app.reactivate_operator(cashier).unwrap();
    fx.open_handle().login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    let admin = Some(fx.admin.id);
    assert_eq!(audit_rows(&fx.app, "deactivate_operator").iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(admin, Some(cashier))]);
    assert_eq!(audit_rows(&fx.app, "reactivate_operator").iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(admin, Some(cashier))]);
}

#[test]
fn a_deactivated_operator_logged_in_elsewhere_is_refused_at_their_next_command() {
    let mut fx = Fixture::new();
    fx.as_(Cashier2).list_registers().unwrap();
    let id = fx.cashier2.id;
    fx.app.deactivate_operator(id).unwrap();
    let err = expect_err(fx.as_(Cashier2).list_registers(), "after deactivation");
    assert_error(&err, SesionExpirada, None, "after deactivation");
    assert_eq!(fx.as_(Cashier2).current_operator(), None);
    assert_eq!(audit_rows(&fx.app, "session_ended").len(), 1);
    // Refused once, audited once.
    fx.as_(Cashier2).list_registers().unwrap_err();
    assert_eq!(audit_rows(&fx.app, "session_ended").len(), 1);
}

#[test]
fn the_last_active_administrator_cannot_be_deactivated_or_demoted() {
    let mut fx = Fixture::new();
    let admin = fx.admin.id;
    assert_eq!(fx.app.deactivate_operator(admin).unwrap_err().code, UltimoAdministrador);
    assert_eq!(fx.app.change_operator_role(role(admin, "cajero")).unwrap_err().code, UltimoAdministrador);
    // An inactive administrator does not count: the guard is about who can still log in.
    let other = fx.app.create_operator(NewOperator { name: "Berta Admin".into(), role: "administrador".into(), pin: "246810".into() }).unwrap();
    fx.app.deactivate_operator(other.id).unwrap();
    assert_eq!(fx.app.deactivate_operator(admin).unwrap_err().code, UltimoAdministrador);
    // With a second active administrator, the first may be demoted (and is logged out).
    fx.app.reactivate_operator(other.id).unwrap();
    let demoted = fx.app.change_operator_role(role(admin, "cajero")).unwrap();
    assert_eq!(demoted.role, Role::Cajero);
    assert_eq!(fx.app.list_registers().unwrap_err().code, SesionExpirada);
    let mut berta = fx.open_handle();
    berta.login(creds("Berta Admin", "246810")).unwrap();
    assert_eq!(berta.deactivate_operator(other.id).unwrap_err().code, UltimoAdministrador);
    let rows = audit_rows(&berta, "change_operator_role");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].2.contains("\"from\":\"administrador\"") && rows[0].2.contains("\"to\":\"cajero\""), "{}", rows[0].2);
}

#[test]
fn a_promoted_cashier_logs_in_again_and_is_an_administrator() {
    let mut fx = Fixture::new();
    fx.as_(Cashier).list_registers().unwrap();
    fx.app.change_operator_role(role(fx.cashier.id, "administrador")).unwrap();
    assert_eq!(fx.as_(Cashier).list_operators().unwrap_err().code, SesionExpirada);
    let mut again = fx.open_handle();
    assert_eq!(again.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap().role, Role::Administrador);
    again.list_operators().unwrap();
}

#[test]
fn an_administrator_resets_a_pin_and_the_old_one_stops_working() {
    let mut fx = Fixture::new();
    let id = fx.cashier.id;
    // Locked first: the reset also lets them in.
    let mut other = fx.open_handle();
    for _ in 0..5 {
        other.login(creds(CASHIER_NAME, "000000")).unwrap_err();
    }
    fx.app.reset_operator_pin(reset(id, "135790")).unwrap();
    assert_eq!(other.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap_err().code, CredencialesInvalidas);
    other.login(creds(CASHIER_NAME, "135790")).unwrap();
    let rows = audit_rows(&fx.app, "reset_operator_pin");
    assert_eq!((rows[0].0, rows[0].1), (Some(fx.admin.id), Some(id)));
    assert!(!rows[0].2.contains("135790"), "no PIN in the audit: {}", rows[0].2);
}

#[test]
fn an_operator_changes_their_own_pin_by_giving_the_current_one() {
    let mut fx = Fixture::new();
    let err = expect_err(fx.as_(Cashier).change_own_pin(change("999999", "864209")), "wrong current PIN");
    assert_error(&err, CredencialesInvalidas, Some("current_pin"), "wrong current PIN");
    assert_eq!(fx.failed_logins(CASHIER_NAME), 1, "a wrong current PIN counts like a failed login");
    fx.as_(Cashier).change_own_pin(change(CASHIER_PIN, "864209")).unwrap();
    assert_eq!(fx.failed_logins(CASHIER_NAME), 0);
    let mut other = fx.open_handle();
    assert_eq!(other.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap_err().code, CredencialesInvalidas);
    other.login(creds(CASHIER_NAME, "864209")).unwrap();
    assert_eq!(audit_rows(&fx.app, "change_own_pin").len(), 1);
}

#[test]
fn a_four_digit_pin_set_before_the_six_digit_rule_still_logs_in() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let fx = Fixture::new();
    let hash = argon2::Argon2::default().hash_password(b"4321", &SaltString::generate(&mut OsRng)).unwrap().to_string();
    assert!(mostrador::store::operators::set_pin(fx.app.connection(), CASHIER_NAME, &hash).unwrap());
    fx.open_handle().login(creds(CASHIER_NAME, "4321")).unwrap();
}

#[test]
fn an_administrator_unlocks_a_locked_operator() {
    let mut fx = Fixture::new();
    let mut other = fx.open_handle();
    for _ in 0..5 {
        other.login(creds(CASHIER_NAME, "000000")).unwrap_err();
    }
    assert_eq!(other.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap_err().code, OperadorBloqueado);
    assert!(fx.app.list_operators().unwrap().iter().find(|o| o.id == fx.cashier.id).unwrap().locked);
    fx.app.unlock_operator(fx.cashier.id).unwrap();
    assert!(!fx.app.list_operators().unwrap().iter().any(|o| o.locked));
    other.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    assert_eq!(audit_rows(&fx.app, "unlock_operator").len(), 1);
}

#[test]
fn each_lockout_lasts_longer_until_a_correct_pin() {
    let mut fx = Fixture::new();
    fx.login(Nobody);
    let wrong = || creds(CASHIER_NAME, "000000");
    for _ in 0..4 {
        assert_eq!(fx.app.login(wrong()).unwrap_err().code, CredencialesInvalidas);
    }
    for (minutes, failed) in [(5, 5), (10, 6), (20, 7), (40, 8)] {
        let err = expect_err(fx.app.login(wrong()), "another failure");
        assert_error(&err, OperadorBloqueado, Some("pin"), "another failure");
        assert!(err.message.contains(&format!("bloqueado {minutes} minutos")), "{failed}: {}", err.message);
        assert_eq!(fx.failed_logins(CASHIER_NAME), failed, "the count is kept through the lockout");
        fx.clock.advance(Duration::minutes(minutes) - Duration::seconds(1));
        assert_eq!(fx.app.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap_err().code, OperadorBloqueado);
        fx.clock.advance(Duration::seconds(1));
    }
    // A correct PIN after the lockout clears it all; the next lockout is five minutes again.
    fx.app.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    assert_eq!(fx.failed_logins(CASHIER_NAME), 0);
    fx.login(Nobody);
    for _ in 0..4 {
        fx.app.login(wrong()).unwrap_err();
    }
    assert!(fx.app.login(wrong()).unwrap_err().message.contains("bloqueado 5 minutos"));
    assert_eq!(audit_rows(&fx.app, "operator_locked").len(), 5);
}

/// The median of `n` timed calls.
fn median_time(n: usize, mut call: impl FnMut()) -> StdDuration {
    let mut times: Vec<StdDuration> = (0..n)
        .map(|_| {
            let start = Instant::now();
            call();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

#[test]
fn an_unknown_name_and_a_wrong_pin_look_the_same_in_message_and_time() {
    let mut fx = Fixture::new();
    fx.login(Nobody);
    let unknown = fx.app.login(creds("Nadie Nunca", "123456")).unwrap_err();
    let wrong = fx.app.login(creds(CASHIER_NAME, "000000")).unwrap_err();
    let cashier2 = fx.cashier2.id;
    fx.as_(Admin).deactivate_operator(cashier2).unwrap();
    let inactive = fx.app.login(creds(CASHIER2_NAME, CASHIER2_PIN)).unwrap_err();
    assert_eq!(unknown, wrong);
    assert_eq!(inactive, wrong);

    // Both verify one argon2 hash (tens of milliseconds); without the dummy hash an unknown
    // name answers in microseconds. Wrong PINs stop at four so no lockout interferes.
    let app = &mut fx.app;
    let t_wrong = median_time(3, || drop(app.login(creds(CASHIER_NAME, "000000"))));
    let t_unknown = median_time(3, || drop(app.login(creds("Nadie Nunca", "000000"))));
    let t_inactive = median_time(3, || drop(app.login(creds(CASHIER2_NAME, "000000"))));
    for (what, t) in [("unknown name", t_unknown), ("inactive operator", t_inactive)] {
        let ratio = t.as_secs_f64() / t_wrong.as_secs_f64();
        assert!((0.5..2.0).contains(&ratio), "{what}: {t:?} against a wrong PIN's {t_wrong:?}");
    }
}

#[test]
fn the_recovery_code_shown_at_setup_gives_an_administrator_a_new_pin_once() {
    let mut store = EmptyStore::new();
    let first = store.app.create_first_admin(creds("Ana Dueña", "112233")).unwrap();
    assert_eq!(first.recovery_code.len(), 24, "{}", first.recovery_code);
    // Stored hashed: the code itself is nowhere in the database.
    let plain = first.recovery_code.replace('-', "");
    let settings: Vec<String> = {
        let mut stmt = store.app.connection().prepare("SELECT value FROM settings").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert!(settings.iter().any(|v| v.starts_with("$argon2id$")));
    assert!(!settings.iter().any(|v| v.contains(&plain) || v.contains(&first.recovery_code)));
    store.app.logout().unwrap();

    // Typed in lower case with spaces, as read from paper.
    let typed = first.recovery_code.to_lowercase().replace('-', " ");
    let outcome = store.app.recover_admin_pin(recover("ana dueña", &typed, "445566")).unwrap();
    assert_eq!(outcome.operator.id, first.operator.id);
    assert_ne!(outcome.recovery_code, first.recovery_code);
    assert_eq!(store.app.current_operator(), None, "recovery logs no one in");
    assert_eq!(store.app.login(creds("Ana Dueña", "112233")).unwrap_err().code, CredencialesInvalidas);
    store.app.login(creds("Ana Dueña", "445566")).unwrap();
    store.app.logout().unwrap();
    // The code is spent; the new one works.
    let err = expect_err(store.app.recover_admin_pin(recover("Ana Dueña", &first.recovery_code, "778899")), "spent code");
    assert_error(&err, CredencialesInvalidas, Some("recovery_code"), "spent code");
    store.app.recover_admin_pin(recover("Ana Dueña", &outcome.recovery_code, "778899")).unwrap();
    let rows = audit_rows(&store.app, "recover_admin_pin");
    assert_eq!(rows.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(None, Some(first.operator.id)); 2]);
}

#[test]
fn an_idle_session_ends_after_the_set_time_and_polling_does_not_keep_it_alive() {
    let mut fx = Fixture::new();
    let settings = fx.app.update_settings(idle("10")).unwrap();
    assert_eq!(settings.idle_logout_minutes, 10);
    fx.as_(Cashier).list_registers().unwrap();
    fx.clock.advance(Duration::minutes(9));
    fx.as_(Cashier).list_registers().unwrap();
    // The UI's polls in between do not count as use.
    for _ in 0..9 {
        fx.clock.advance(Duration::minutes(1));
        fx.as_(Cashier).sync_status().unwrap();
        assert!(fx.as_(Cashier).current_operator().is_some());
    }
    fx.clock.advance(Duration::minutes(1));
    let err = expect_err(fx.as_(Cashier).list_registers(), "idle");
    assert_error(&err, SesionExpirada, None, "idle");
    assert!(err.message.contains("10 minutos"), "{}", err.message);
    assert_eq!(fx.as_(Cashier).current_operator(), None);
    assert_eq!(fx.as_(Cashier).sync_status().unwrap_err().code, SesionExpirada);
    let rows = audit_rows(&fx.app, "session_ended");
    assert_eq!((rows.len(), rows[0].0), (1, Some(fx.cashier.id)));
    assert!(rows[0].2.contains("idle"), "{}", rows[0].2);
    // Logging in again starts a new session.
    fx.as_(Cashier).login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    fx.as_(Cashier).list_registers().unwrap();
}

#[test]
fn an_idle_time_of_zero_never_logs_out_and_new_stores_default_to_fifteen_minutes() {
    let fx = Fixture::new();
    assert_eq!(fx.app.get_settings().unwrap().idle_logout_minutes, 0);
    fx.clock.advance(Duration::days(3));
    fx.app.list_registers().unwrap();
    let store = EmptyStore::new();
    let mut app = store.app;
    app.create_first_admin(creds("Ana", "123456")).unwrap();
    assert_eq!(app.get_settings().unwrap().idle_logout_minutes, 15);
    store.clock.advance(Duration::minutes(15));
    assert_eq!(app.list_registers().unwrap_err().code, SesionExpirada);
}
