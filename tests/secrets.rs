//! The credential store on the machine's real keyring. On the CI machine and in the dev
//! container there is no D-Bus session (`DBUS_SESSION_BUS_ADDRESS` is unset), so
//! `SecretStore::detect` picks kernel keyutils; on a desktop these same tests run against
//! the Secret Service. Every test uses its own service name (with this process's id), so
//! it never touches real entries, and removes what it stored even when it fails.
//!
//! Some checks need a fresh process: reading from a child (as the app's `mostrador sync`
//! subprocess does) and detection with a different environment (detection runs once per
//! process and the test process's environment is not changed). Those re-run this test
//! binary filtered to `child_helper`, which does nothing unless `MOSTRADOR_SECRETS_CHILD`
//! says what to do, and prints its answer after a marker.

mod dbus_support;

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use mostrador::secrets::{SecretBackend, SecretError, SecretStore, MAX_VALUE_BYTES};

const CHILD_MODE: &str = "MOSTRADOR_SECRETS_CHILD";
const CHILD_SERVICE: &str = "MOSTRADOR_SECRETS_SERVICE";
const CHILD_PROVIDER: &str = "MOSTRADOR_SECRETS_PROVIDER";
const MARKER: &str = "CHILD_ANSWER=";

/// A service name no other test or run uses.
fn unique_service(test: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("bo.mostrador.test.{}.{nanos}.{}.{test}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A store on a unique service that deletes the listed providers when dropped.
struct Scratch {
    store: SecretStore,
    providers: &'static [&'static str],
}

impl Scratch {
    fn new(test: &str, providers: &'static [&'static str]) -> Scratch {
        Scratch { store: SecretStore::detect(&unique_service(test)), providers }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for provider in self.providers {
            let _ = self.store.delete(provider);
        }
    }
}

/// Runs `child_helper` in a new process of this test binary; returns what it printed
/// after the marker.
fn run_child(mode: &str, envs: &[(&str, &str)], remove: &[&str]) -> String {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["child_helper", "--exact", "--nocapture", "--test-threads=1"]).env(CHILD_MODE, mode);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    for k in remove {
        cmd.env_remove(k);
    }
    let out = cmd.output().expect("start child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
        .lines()
        .find_map(|l| l.split_once(MARKER).map(|(_, answer)| answer))
        .unwrap_or_else(|| panic!("child printed no answer: {stdout}"))
        .to_string()
}

/// Not a test of its own: the body of the child processes above.
#[test]
fn child_helper() {
    let Ok(mode) = std::env::var(CHILD_MODE) else { return };
    let answer = match mode.as_str() {
        "backend" => serde_json::to_string(&SecretStore::detect(&unique_service("child")).backend()).unwrap(),
        "read" => {
            let store = SecretStore::detect(&std::env::var(CHILD_SERVICE).unwrap());
            let value = store.get(&std::env::var(CHILD_PROVIDER).unwrap()).unwrap();
            serde_json::to_string(&value).unwrap()
        }
        other => panic!("unknown child mode {other}"),
    };
    println!("{MARKER}{answer}");
}

#[test]
fn round_trip_set_get_overwrite_delete() {
    let s = Scratch::new("round_trip", &["banco_union", "tigo_money"]);
    let first = r#"{"user":"agente01","secret":"clave-1 ñandú €"}"#;
    let second = r#"{"user":"agente01","secret":"clave-2"}"#;

    assert_eq!(s.store.get("banco_union").unwrap(), None);
    s.store.set("banco_union", first).unwrap();
    assert_eq!(s.store.get("banco_union").unwrap().as_deref(), Some(first));

    s.store.set("banco_union", second).unwrap();
    assert_eq!(s.store.get("banco_union").unwrap().as_deref(), Some(second));

    // Providers are separate entries.
    s.store.set("tigo_money", first).unwrap();
    assert_eq!(s.store.get("banco_union").unwrap().as_deref(), Some(second));
    assert_eq!(s.store.get("tigo_money").unwrap().as_deref(), Some(first));

    s.store.delete("banco_union").unwrap();
    assert_eq!(s.store.get("banco_union").unwrap(), None);
    assert_eq!(s.store.get("tigo_money").unwrap().as_deref(), Some(first));

    // Set again after a delete.
    s.store.set("banco_union", first).unwrap();
    assert_eq!(s.store.get("banco_union").unwrap().as_deref(), Some(first));

    // A clone is the same store, usable from another thread.
    let clone = s.store.clone();
    let read = std::thread::spawn(move || clone.get("banco_union").unwrap()).join().unwrap();
    assert_eq!(read.as_deref(), Some(first));
}

#[test]
fn missing_entries_read_as_none_and_delete_quietly() {
    let s = Scratch::new("missing", &[]);
    assert_eq!(s.store.get("nunca_guardado").unwrap(), None);
    s.store.delete("nunca_guardado").unwrap();
    s.store.delete("nunca_guardado").unwrap();
}

#[test]
fn services_do_not_see_each_other() {
    let a = Scratch::new("service_a", &["bnb"]);
    let b = Scratch::new("service_b", &["bnb"]);
    a.store.set("bnb", "valor-a").unwrap();
    assert_eq!(b.store.get("bnb").unwrap(), None);
    b.store.delete("bnb").unwrap();
    assert_eq!(a.store.get("bnb").unwrap().as_deref(), Some("valor-a"));
}

#[test]
fn a_child_process_reads_what_the_parent_stored() {
    let s = Scratch::new("child_read", &["bcp"]);
    let value = r#"{"user":"agente07","secret":"s3cr3t"}"#;
    s.store.set("bcp", value).unwrap();
    let answer = run_child("read", &[(CHILD_SERVICE, s.store.service()), (CHILD_PROVIDER, "bcp")], &[]);
    assert_eq!(serde_json::from_str::<Option<String>>(&answer).unwrap().as_deref(), Some(value));
}

#[test]
fn without_a_session_bus_the_backend_is_keyutils() {
    let answer = run_child("backend", &[], &["DBUS_SESSION_BUS_ADDRESS"]);
    assert_eq!(answer, "\"KEYUTILS\"");
    // A bus address that cannot be reached falls back too.
    let answer = run_child("backend", &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mostrador-bus")], &[]);
    assert_eq!(answer, "\"KEYUTILS\"");
}

#[test]
fn with_a_bus_but_no_secret_service_the_backend_is_keyutils() {
    // A private bus of our own with no services to start, so that a desktop's keyring
    // daemon is never woken up by this test.
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("bus");
    let config = dir.path().join("bus.conf");
    dbus_support::write_bus_config(&config, &socket);
    let Ok(mut daemon) = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .arg("--nofork")
        .stderr(std::process::Stdio::null())
        .spawn()
    else {
        eprintln!("dbus-daemon is not installed: skipping this check");
        return;
    };
    let started = std::time::Instant::now();
    while !socket.exists() && started.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let address = format!("unix:path={}", socket.display());
    let answer = std::panic::catch_unwind(|| run_child("backend", &[("DBUS_SESSION_BUS_ADDRESS", &address)], &[]));
    let _ = daemon.kill();
    let _ = daemon.wait();
    assert_eq!(answer.expect("child"), "\"KEYUTILS\"");
}

#[test]
fn every_thread_sees_the_latest_value() {
    // Threads that never touched the keyring before, as a thread pool would have: a value
    // read on one thread and then replaced from another must not be read stale.
    let s = Scratch::new("threads", &["ecofuturo"]);
    let on_new_thread = |f: Box<dyn FnOnce(&SecretStore) + Send>| {
        let store = s.store.clone();
        std::thread::spawn(move || f(&store)).join().unwrap();
    };
    on_new_thread(Box::new(|st| st.set("ecofuturo", "v1").unwrap()));
    let reader = s.store.clone();
    let (ask, asked) = std::sync::mpsc::channel::<()>();
    let (tell, told) = std::sync::mpsc::channel::<Option<String>>();
    let reading = std::thread::spawn(move || {
        for () in asked {
            tell.send(reader.get("ecofuturo").unwrap()).unwrap();
        }
    });
    ask.send(()).unwrap();
    assert_eq!(told.recv().unwrap().as_deref(), Some("v1"));
    on_new_thread(Box::new(|st| st.set("ecofuturo", "v2").unwrap()));
    ask.send(()).unwrap();
    assert_eq!(told.recv().unwrap().as_deref(), Some("v2"));
    on_new_thread(Box::new(|st| assert_eq!(st.get("ecofuturo").unwrap().as_deref(), Some("v2"))));
    on_new_thread(Box::new(|st| st.delete("ecofuturo").unwrap()));
    ask.send(()).unwrap();
    assert_eq!(told.recv().unwrap(), None);
    drop(ask);
    reading.join().unwrap();
}

#[test]
fn backends_serialize_and_say_whether_they_persist() {
    assert_eq!(serde_json::to_string(&SecretBackend::SecretService).unwrap(), "\"SECRET_SERVICE\"");
    assert_eq!(serde_json::to_string(&SecretBackend::KernelKeyutils).unwrap(), "\"KEYUTILS\"");
    assert!(SecretBackend::SecretService.persistent());
    assert!(!SecretBackend::KernelKeyutils.persistent());
    assert!(SecretBackend::SecretService.notice().is_none());
    assert!(SecretBackend::KernelKeyutils.notice().unwrap().contains("reinicio"));
    let explicit = SecretStore::with_backend("bo.mostrador.test", SecretBackend::KernelKeyutils);
    assert_eq!(explicit.backend(), SecretBackend::KernelKeyutils);
}

#[test]
fn refused_values_give_spanish_errors_without_the_value() {
    let s = Scratch::new("refused", &["bisa"]);
    let secret = "ZZ-no-debe-aparecer-ZZ";
    let too_long = format!("{secret}{}", "x".repeat(MAX_VALUE_BYTES));
    for (provider, value) in [("bisa", ""), ("bisa", too_long.as_str()), ("", secret), ("a\u{7}b", secret)] {
        let err = s.store.set(provider, value).unwrap_err();
        assert!(matches!(err, SecretError::Invalid(_)), "{err:?}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    assert!(s.store.set("bisa", "").unwrap_err().to_string().contains("vacía"));
    assert!(s.store.set("bisa", &too_long).unwrap_err().to_string().contains("demasiado larga"));
    assert_eq!(s.store.get("bisa").unwrap(), None);
    // The largest allowed value is stored whole.
    let largest = "y".repeat(MAX_VALUE_BYTES);
    s.store.set("bisa", &largest).unwrap();
    assert_eq!(s.store.get("bisa").unwrap().as_deref(), Some(largest.as_str()));
}

#[test]
fn the_store_is_clone_send_and_sync() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<SecretStore>();
}
