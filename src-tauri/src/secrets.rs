//! Provider credentials in the operating system's keyring, never in SQLite, logs or the UI.
//!
//! Each credential is one opaque string (the caller stores JSON of user + secret) under
//! `(service, provider)`. Two backends, chosen once at run time by [`SecretStore::detect`]:
//!
//! - **Secret Service** (GNOME Keyring, KWallet…) over the D-Bus session bus: persistent,
//!   the normal case on a desktop. Items carry the attributes `service`, `username`
//!   (= provider) and `target = default`, in the default collection. A read never asks
//!   to unlock it: a locked collection answers [`SecretError::Locked`] ("bloqueado") at
//!   once, so nothing waits on a prompt and nothing prompts again pass after pass; the
//!   user unlocks the keyring from the desktop (it is unlocked at login as a rule).
//!
//! Every call is bounded: it runs on the store's own thread and the caller waits at most
//! [`CALL_TIMEOUT`] (then [`SecretError::NoAnswer`]); a call still queued when its caller
//! gave up is dropped, not run late. Still, call these methods off the UI thread.
//! - **Kernel keyutils** where no Secret Service answers (headless machine, CI, no
//!   `DBUS_SESSION_BUS_ADDRESS`). Kernel memory only: **nothing survives a reboot**; the UI
//!   should say so ([`SecretBackend::persistent`], [`SecretBackend::notice`]).
//!
//! Where keyutils entries live and for how long: a key of type `user`, described
//! `keyring-rs:<provider>@<service>`, in the user's *persistent keyring*
//! (`_persistent.<uid>`, see persistent-keyring(7)), which every call links into the
//! caller's session keyring. It is shared by all threads and processes of the same user:
//! a `mostrador sync` started by the app reads what the app stored, and so does a process
//! of another login session of that user. The key has no expiry of its own; the persistent
//! keyring is dropped, with its keys, after `/proc/sys/kernel/keys/persistent_keyring_expiry`
//! seconds (3 days by default, an administrator may raise it) without any access by that
//! user (every get/set/delete here resets the timer), and everything is gone on reboot.
//! On a kernel built without persistent keyrings the key stays in the session keyring
//! (keyring-rs's default): the login session's, or the user-session keyring
//! `_uid_ses.<uid>` shared by processes that have none, until reboot.

use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Largest value stored, in bytes, on both backends. Far above a user + secret in JSON and
/// well inside keyutils' limits (32 767 bytes per key; 20 000 bytes for all of a non-root
/// user's keys together, `/proc/sys/kernel/keys/maxbytes`).
pub const MAX_VALUE_BYTES: usize = 4_096;

/// Longest provider name, in bytes.
pub const MAX_PROVIDER_BYTES: usize = 200;

/// The entry read to find out whether the Secret Service answers; never written.
const PROBE_PROVIDER: &str = "__mostrador_probe__";

/// How long [`SecretStore::detect`] waits for the Secret Service before giving up on it.
const PROBE_TIMEOUT: Duration = Duration::from_secs(6);

/// The longest any keyring call keeps its caller waiting.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// How long an unlock waits for the person at the desktop's password prompt.
pub const UNLOCK_WAIT: Duration = Duration::from_secs(60);

/// Set while an unlock runs on the store's thread (waiting, as a rule, for the person at
/// the prompt): every other call answers [`SecretError::Locked`] at once instead of
/// queuing behind it until its own bound.
static UNLOCKING: AtomicBool = AtomicBool::new(false);

/// Clears [`UNLOCKING`] when the unlock ends, however it ends.
struct Unlocking;

impl Unlocking {
    fn start() -> Unlocking {
        UNLOCKING.store(true, Ordering::SeqCst);
        Unlocking
    }
}

impl Drop for Unlocking {
    fn drop(&mut self) {
        UNLOCKING.store(false, Ordering::SeqCst);
    }
}

/// The file in the data folder that says which store the desktop app used, so a headless
/// run (`sincronizar`, `fin-de-dia`) can tell when it cannot reach the same one.
pub const BACKEND_MARKER: &str = "almacen-credenciales";

/// Where credentials are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum SecretBackend {
    /// The desktop's Secret Service over D-Bus: survives reboots.
    #[serde(rename = "SECRET_SERVICE")]
    SecretService,
    /// The Linux kernel's keyutils: lost on reboot.
    #[serde(rename = "KEYUTILS")]
    KernelKeyutils,
}

impl SecretBackend {
    /// Whether stored credentials survive a reboot.
    pub fn persistent(&self) -> bool {
        matches!(self, SecretBackend::SecretService)
    }

    /// What to tell the user about this backend, when there is something to tell.
    pub fn notice(&self) -> Option<&'static str> {
        match self {
            SecretBackend::SecretService => None,
            SecretBackend::KernelKeyutils => Some(
                "Este equipo no tiene un llavero de escritorio (Secret Service): las credenciales \
                 de los proveedores se guardan en la memoria del sistema y no sobreviven a un \
                 reinicio. Tras reiniciar habrá que ingresarlas de nuevo.",
            ),
        }
    }
}

/// Why a keyring call failed. Messages are Spanish and never contain the stored value;
/// the `String` in `Unavailable` and `Denied` is the platform's own (technical) detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("El almacén de credenciales del sistema no está disponible ({0}).")]
    Unavailable(String),
    /// The keyring is locked: it must be unlocked on the desktop (nothing here prompts).
    #[error("El almacén de credenciales del sistema está bloqueado: desbloquee el llavero de la sesión y vuelva a intentar.")]
    Locked,
    /// The keyring did not answer within the bound (in seconds).
    #[error("El almacén de credenciales del sistema no respondió en {0} s (puede estar bloqueado esperando su contraseña).")]
    NoAnswer(u64),
    #[error("El almacén de credenciales del sistema negó el acceso ({0}).")]
    Denied(String),
    /// An unlock that did not happen: the prompt was dismissed, or the desktop has nothing
    /// that can show it.
    #[error("El llavero sigue bloqueado: se canceló la solicitud de su contraseña o el escritorio no pudo mostrarla. Desbloquéelo desde el gestor de contraseñas del escritorio (o cierre e inicie la sesión) y vuelva a intentar.")]
    NotUnlocked,
    /// The provider name or the value was refused; the message says which and why.
    #[error("{0}")]
    Invalid(String),
    /// The stored value for this provider is not UTF-8 text.
    #[error("La credencial guardada de «{0}» está dañada; vuelva a ingresarla.")]
    Corrupt(String),
    /// Several Secret Service items match this provider.
    #[error("Hay varias credenciales guardadas de «{0}» en el llavero del sistema; elimínelas y vuelva a ingresarla.")]
    Ambiguous(String),
}

/// Credentials of one application (`service`) in the backend chosen at start-up.
/// Cheap to clone; all clones share the same backend.
#[derive(Debug, Clone)]
pub struct SecretStore {
    service: Arc<str>,
    backend: SecretBackend,
    timeout: Duration,
}

/// Whether the store can be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum SecretState {
    #[serde(rename = "DISPONIBLE")]
    Available,
    /// A Secret Service whose default collection is locked.
    #[serde(rename = "BLOQUEADO")]
    Locked,
    #[serde(rename = "NO_DISPONIBLE")]
    Unavailable,
}

impl SecretStore {
    /// Picks the backend: the Secret Service if `DBUS_SESSION_BUS_ADDRESS` is set and
    /// reading a probe entry there works (no entry counts as working), kernel keyutils
    /// otherwise. The probe runs once per process; later calls reuse its answer.
    pub fn detect(service: &str) -> SecretStore {
        static DETECTED: OnceLock<SecretBackend> = OnceLock::new();
        let backend = *DETECTED.get_or_init(|| {
            let backend = match probe_secret_service(service) {
                Ok(()) => SecretBackend::SecretService,
                Err(why) => {
                    log::warn!(
                        "credenciales: sin Secret Service ({why}); se usa keyutils del núcleo, \
                         que no sobrevive a un reinicio"
                    );
                    SecretBackend::KernelKeyutils
                }
            };
            log::info!("credenciales: almacén {backend:?}");
            backend
        });
        SecretStore::with_backend(service, backend)
    }

    /// A store on the given backend, without probing.
    pub fn with_backend(service: &str, backend: SecretBackend) -> SecretStore {
        SecretStore { service: Arc::from(service), backend, timeout: CALL_TIMEOUT }
    }

    /// The same store with another bound on each call.
    pub fn with_timeout(mut self, timeout: Duration) -> SecretStore {
        self.timeout = timeout;
        self
    }

    /// Whether a call would work now, without prompting: on the Secret Service, whether
    /// its default collection exists and is unlocked.
    pub fn state(&self) -> SecretState {
        let backend = self.backend;
        match run_bounded(self.timeout, move || ready(backend)) {
            Ok(()) => SecretState::Available,
            Err(SecretError::Locked) => SecretState::Locked,
            Err(_) => SecretState::Unavailable,
        }
    }

    pub fn backend(&self) -> SecretBackend {
        self.backend
    }

    /// Asks the Secret Service to unlock its default collection; the desktop shows its own
    /// password prompt. Like every call it runs on the store's thread, and waits for the
    /// person at most `wait` (then [`SecretError::NoAnswer`]); meanwhile every other
    /// keyring call (a second unlock too) answers "bloqueado" at once.
    /// Nothing to do on keyutils or an unlocked collection. Call it off the UI thread.
    pub fn unlock(&self, wait: Duration) -> Result<(), SecretError> {
        let backend = self.backend;
        // The thread's own wait on the prompt ends first; the margin covers connecting.
        run_bounded(wait + Duration::from_secs(3), move || {
            let _unlocking = Unlocking::start();
            match backend {
                SecretBackend::KernelKeyutils => Ok(()),
                SecretBackend::SecretService => unlock_default_collection(wait),
            }
        })
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Stores `value` for `provider`, replacing any previous one.
    pub fn set(&self, provider: &str, value: &str) -> Result<(), SecretError> {
        check_provider(provider)?;
        if value.is_empty() {
            return Err(SecretError::Invalid(format!("La credencial de «{provider}» está vacía.")));
        }
        if value.len() > MAX_VALUE_BYTES {
            return Err(SecretError::Invalid(format!(
                "La credencial de «{provider}» es demasiado larga (máximo {MAX_VALUE_BYTES} bytes)."
            )));
        }
        let (entry, provider, value) = (self.entry(provider)?, provider.to_string(), value.to_string());
        let backend = self.backend;
        run_bounded(self.timeout, move || {
            ready(backend)?;
            entry.set_password(&value).map_err(|e| to_error(&provider, e))
        })
    }

    /// The value stored for `provider`, `None` when there is none.
    pub fn get(&self, provider: &str) -> Result<Option<String>, SecretError> {
        check_provider(provider)?;
        let (entry, provider) = (self.entry(provider)?, provider.to_string());
        let backend = self.backend;
        run_bounded(self.timeout, move || {
            ready(backend)?;
            match entry.get_password() {
                Ok(value) => Ok(Some(value)),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(to_error(&provider, e)),
            }
        })
    }

    /// Removes the value stored for `provider`; removing a missing one is not an error.
    pub fn delete(&self, provider: &str) -> Result<(), SecretError> {
        check_provider(provider)?;
        let (entry, provider) = (self.entry(provider)?, provider.to_string());
        let backend = self.backend;
        run_bounded(self.timeout, move || {
            ready(backend)?;
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                // Several Secret Service items for one provider: remove them all.
                Err(keyring::Error::Ambiguous(credentials)) => {
                    for credential in credentials {
                        match credential.delete_credential() {
                            Ok(()) | Err(keyring::Error::NoEntry) => {}
                            Err(e) => return Err(to_error(&provider, e)),
                        }
                    }
                    Ok(())
                }
                Err(e) => Err(to_error(&provider, e)),
            }
        })
    }

    fn entry(&self, provider: &str) -> Result<keyring::Entry, SecretError> {
        credential(self.backend, &self.service, provider)
            .map(keyring::Entry::new_with_credential)
            .map_err(|e| to_error(provider, e))
    }
}

/// One keyring call waiting for the store's thread.
struct Job {
    /// When its caller stops waiting: a job still queued then is dropped, never run late.
    deadline: Instant,
    run: Box<dyn FnOnce() + Send>,
}

/// Runs `call` on the store's own thread, one call at a time (keyring-rs warns that the
/// Secret Service copes badly with concurrent calls), and waits for it at most `timeout`.
/// A call stuck behind an unlock prompt keeps only that thread waiting.
fn run_bounded<T: Send + 'static>(
    timeout: Duration,
    call: impl FnOnce() -> Result<T, SecretError> + Send + 'static,
) -> Result<T, SecretError> {
    if UNLOCKING.load(Ordering::SeqCst) {
        return Err(SecretError::Locked);
    }
    static QUEUE: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new().name("credenciales".into()).spawn(move || {
            for job in rx {
                if Instant::now() < job.deadline {
                    (job.run)();
                }
            }
        });
        if let Err(e) = spawned {
            log::error!("credenciales: no se pudo iniciar su hilo: {e}");
        }
        Mutex::new(tx)
    });
    let (tx, rx) = mpsc::sync_channel(1);
    let job = Job { deadline: Instant::now() + timeout, run: Box::new(move || drop(tx.send(call()))) };
    let sent = queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).send(job);
    if sent.is_err() {
        return Err(SecretError::Unavailable("el hilo de credenciales no está en marcha".into()));
    }
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(_) => {
            log::warn!("credenciales: el almacén no respondió en {} ms", timeout.as_millis());
            Err(SecretError::NoAnswer(timeout.as_secs().max(1)))
        }
    }
}

/// `Ok` when a call can go ahead without any prompt: on the Secret Service, the default
/// collection exists and is unlocked. Called on the store's thread.
fn ready(backend: SecretBackend) -> Result<(), SecretError> {
    match backend {
        SecretBackend::KernelKeyutils => Ok(()),
        SecretBackend::SecretService => default_collection_unlocked(),
    }
}

#[cfg(target_os = "linux")]
fn default_collection_unlocked() -> Result<(), SecretError> {
    use dbus_secret_service::{EncryptionType, SecretService};
    let ss = SecretService::connect(EncryptionType::Plain).map_err(|e| SecretError::Unavailable(e.to_string()))?;
    let collection = ss.get_default_collection().map_err(|e| {
        SecretError::Unavailable(format!("el llavero no tiene una colección por omisión ({e}); créela con el gestor de contraseñas del escritorio"))
    })?;
    match collection.is_locked() {
        Ok(false) => Ok(()),
        Ok(true) => Err(SecretError::Locked),
        Err(e) => Err(SecretError::Unavailable(e.to_string())),
    }
}

#[cfg(not(target_os = "linux"))]
fn default_collection_unlocked() -> Result<(), SecretError> {
    Ok(())
}

/// Unlocks the default collection through the Secret Service's `Unlock`, following its
/// prompt for at most `wait`. Called on the store's thread.
#[cfg(target_os = "linux")]
fn unlock_default_collection(wait: Duration) -> Result<(), SecretError> {
    use dbus_secret_service::{EncryptionType, Error, SecretService};
    let unavailable = |e: Error| SecretError::Unavailable(e.to_string());
    let ss = SecretService::connect_with_max_prompt_timeout(EncryptionType::Plain, wait.as_secs().max(1)).map_err(unavailable)?;
    let collection = ss.get_default_collection().map_err(|e| {
        SecretError::Unavailable(format!("el llavero no tiene una colección por omisión ({e}); créela con el gestor de contraseñas del escritorio"))
    })?;
    if !collection.is_locked().map_err(unavailable)? {
        return Ok(());
    }
    let started = Instant::now();
    let outcome = collection.unlock();
    let still_locked = collection.is_locked().map_err(unavailable)?;
    match outcome {
        Ok(()) if !still_locked => Ok(()),
        _ if !still_locked => Ok(()),
        Err(Error::Prompt) if started.elapsed() >= wait => {
            log::warn!("credenciales: nadie respondió la solicitud de desbloqueo en {} s", wait.as_secs());
            Err(SecretError::NoAnswer(wait.as_secs()))
        }
        Ok(()) | Err(Error::Prompt) => Err(SecretError::NotUnlocked),
        Err(e) => {
            log::warn!("credenciales: el desbloqueo falló: {e}");
            Err(SecretError::NotUnlocked)
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn unlock_default_collection(_: Duration) -> Result<(), SecretError> {
    Ok(())
}

fn check_provider(provider: &str) -> Result<(), SecretError> {
    if provider.trim().is_empty() {
        return Err(SecretError::Invalid("Falta el nombre del proveedor de la credencial.".into()));
    }
    if provider.len() > MAX_PROVIDER_BYTES || provider.chars().any(char::is_control) {
        return Err(SecretError::Invalid(
            "El nombre del proveedor de la credencial no es válido (demasiado largo o con caracteres de control)."
                .into(),
        ));
    }
    Ok(())
}

/// Maps a keyring error. None of keyring's errors carry the value except `BadEncoding`,
/// whose bytes are dropped here.
fn to_error(provider: &str, err: keyring::Error) -> SecretError {
    match err {
        keyring::Error::PlatformFailure(e) => SecretError::Unavailable(e.to_string()),
        keyring::Error::NoStorageAccess(e) => match e.downcast_ref::<dbus_secret_service::Error>() {
            Some(dbus_secret_service::Error::Locked | dbus_secret_service::Error::Prompt) => SecretError::Locked,
            _ => SecretError::Denied(e.to_string()),
        },
        keyring::Error::BadEncoding(_) => SecretError::Corrupt(provider.to_string()),
        keyring::Error::Ambiguous(_) => SecretError::Ambiguous(provider.to_string()),
        keyring::Error::TooLong(..) | keyring::Error::Invalid(..) => SecretError::Invalid(format!(
            "El almacén de credenciales del sistema rechazó la credencial de «{provider}»."
        )),
        // Outside a read, keyring-rs reports keyutils' "access denied" as a missing entry.
        keyring::Error::NoEntry => SecretError::Denied("el llavero del núcleo no permitió la operación".into()),
        other => SecretError::Unavailable(other.to_string()),
    }
}

#[cfg(target_os = "linux")]
fn credential(backend: SecretBackend, service: &str, provider: &str) -> keyring::Result<Box<keyring::Credential>> {
    use keyring::{keyutils::KeyutilsCredential, secret_service::SsCredential};
    Ok(match backend {
        SecretBackend::SecretService => Box::new(SsCredential::new_with_target(None, service, provider)?),
        SecretBackend::KernelKeyutils => {
            // keyring-rs puts the key in the session keyring and links it into the
            // persistent keyring. In a process without a session keyring (a service, a
            // container, CI) that breaks: its first lookup answers the user-session
            // keyring, then linking the persistent keyring makes the kernel give the
            // calling *thread* a new anonymous session keyring of its own. The first entry
            // on each thread then can neither store nor read (its keys are not possessed),
            // and later ones would keep a copy linked in that thread's keyring, which
            // outlives a newer value set from another thread. So the key goes only into
            // the persistent keyring (linked into whatever session keyring the caller
            // has): one copy, reachable from every thread and process of this user.
            let base = KeyutilsCredential::new_with_target(None, service, provider)?;
            match base.persistent {
                Some(persistent) => Box::new(KeyutilsCredential {
                    session: persistent,
                    persistent: None,
                    description: base.description,
                }),
                // A kernel without persistent keyrings: keyring-rs's own scheme, which then
                // stays on the session (or the shared user-session) keyring.
                None => Box::new(base),
            }
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn credential(_: SecretBackend, _: &str, _: &str) -> keyring::Result<Box<keyring::Credential>> {
    Err(keyring::Error::PlatformFailure("solo se admite el llavero de Linux".into()))
}

/// `Ok` when the Secret Service answers a read of the probe entry (found or not).
/// Runs on its own thread so a bus that accepts but never answers cannot stall start-up;
/// tries twice, because the first call may time out while D-Bus starts the service.
fn probe_secret_service(service: &str) -> Result<(), String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|a| a.is_empty() || a == OsStr::new("disabled:")) {
        return Err("DBUS_SESSION_BUS_ADDRESS no está definida".into());
    }
    let (tx, rx) = mpsc::channel();
    let service = service.to_string();
    let spawned = std::thread::Builder::new().name("secret-service-probe".into()).spawn(move || {
        let attempt = || {
            let entry = credential(SecretBackend::SecretService, &service, PROBE_PROVIDER)?;
            match entry.get_password() {
                Ok(_)
                | Err(keyring::Error::NoEntry | keyring::Error::Ambiguous(_) | keyring::Error::BadEncoding(_)) => {
                    Ok(())
                }
                Err(e) => Err(e),
            }
        };
        let result = attempt().or_else(|_| attempt()).map_err(|e| e.to_string());
        let _ = tx.send(result);
    });
    if let Err(e) = spawned {
        return Err(format!("no se pudo iniciar la prueba: {e}"));
    }
    match rx.recv_timeout(PROBE_TIMEOUT) {
        Ok(result) => result,
        Err(_) => Err(format!("no respondió en {} s", PROBE_TIMEOUT.as_secs())),
    }
}

/// For a process started outside the desktop session (cron, a service unit): points
/// `DBUS_SESSION_BUS_ADDRESS` at this user's session bus in its standard place
/// (`$XDG_RUNTIME_DIR/bus`, else `/run/user/<uid>/bus`) when the variable is unset and
/// such a bus exists, so the run reaches the keyring the desktop used. Returns the address
/// it set. Call it first thing in `main`, before any thread starts.
pub fn find_session_bus() -> Option<String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty()) {
        return None;
    }
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from).or_else(|| {
        use std::os::unix::fs::MetadataExt;
        let uid = std::fs::metadata("/proc/self").ok()?.uid();
        Some(std::path::PathBuf::from(format!("/run/user/{uid}")))
    })?;
    let socket = runtime.join("bus");
    std::fs::symlink_metadata(&socket).ok()?;
    let address = format!("unix:path={}", socket.display());
    // Sound here: called before the process starts any thread.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    Some(address)
}

/// Records in the data folder which store the desktop app keeps credentials in.
pub fn remember_backend(data_dir: &std::path::Path, backend: SecretBackend) -> std::io::Result<()> {
    let name = serde_json::to_string(&backend).unwrap_or_default();
    std::fs::write(data_dir.join(BACKEND_MARKER), name.trim_matches('"'))
}

/// For a headless run: `Err` with a plain explanation when the desktop app keeps its
/// credentials in a store this process does not reach (the Secret Service without a
/// session bus here), instead of silently reading an empty one.
pub fn check_same_backend(data_dir: &std::path::Path, backend: SecretBackend) -> Result<(), String> {
    let Ok(recorded) = std::fs::read_to_string(data_dir.join(BACKEND_MARKER)) else { return Ok(()) };
    let Ok(desktop) = serde_json::from_str::<SecretBackend>(&format!("\"{}\"", recorded.trim())) else { return Ok(()) };
    if desktop == backend {
        return Ok(());
    }
    Err(match desktop {
        SecretBackend::SecretService => "Las credenciales de los proveedores están en el llavero del escritorio \
            (Secret Service), que este proceso no alcanza: no tiene sesión D-Bus. Ejecútelo con la sesión del usuario \
            iniciada (o defina DBUS_SESSION_BUS_ADDRESS, p. ej. unix:path=/run/user/UID/bus)."
            .to_string(),
        SecretBackend::KernelKeyutils => "Las credenciales de los proveedores están en el llavero del núcleo \
            (keyutils), pero este proceso encontró un llavero de escritorio (Secret Service): ejecútelo sin \
            DBUS_SESSION_BUS_ADDRESS, como la aplicación."
            .to_string(),
    })
}
