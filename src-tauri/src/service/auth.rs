//! Operators, PINs and login. PINs are argon2id hashes; five failed logins lock the
//! operator for five minutes, and each further failure before a correct PIN locks them
//! twice as long. Operators are never deleted: an administrator deactivates them.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{audit, LoggedIn, Mostrador};
use crate::domain::error::label;
use crate::domain::{
    text, ChangePinInput, ChangeRoleInput, CoreError, CoreResult, Credentials, ErrorCode, FirstAdmin, NewOperator, Operator,
    Language, RecoverAdminInput, RecoveryOutcome, ResetPinInput, Role, SetupStatus,
};
use crate::store;

pub const MAX_FAILED_LOGINS: i64 = 5;
/// The first lockout; each one after it (without a correct PIN between) doubles.
pub const LOCKOUT_MINUTES: i64 = 5;
/// The longest lockout: a day.
pub const LOCKOUT_MAX_MINUTES: i64 = 24 * 60;
pub const NAME_MAX: usize = 60;

/// Where the hash of the store's recovery code is kept.
const RECOVERY_CODE_HASH: &str = "recovery_code_hash";
/// Crockford's base32: no I, L, O or U to misread; 20 characters are 100 random bits.
const RECOVERY_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_LEN: usize = 20;

/// A hash of no PIN, with the parameters of every real one: an unknown name is checked
/// against it so it takes as long to refuse as a wrong PIN (a test checks the parameters).
pub(super) const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$/rWa3uGtc0VO6qqP/QRyrQ$z+4JTKEj2Y4ZqegFEPQaBP0TbeIG60jwAaMUmMP6cCc";

/// A refused name or PIN answers no sooner than this: the wrong-PIN path also commits the
/// failure count (an fsync), which an unknown name does not, and the floor hides that.
const MIN_REFUSAL: std::time::Duration = std::time::Duration::from_millis(120);

/// Waits out the rest of [`MIN_REFUSAL`] since `started`, then hands back the refusal.
fn refused(started: std::time::Instant, err: CoreError) -> CoreError {
    if let Some(rest) = MIN_REFUSAL.checked_sub(started.elapsed()) {
        std::thread::sleep(rest);
    }
    err
}

/// How long the lockout after `failed` consecutive failures lasts.
pub fn lockout_minutes(failed: i64) -> i64 {
    let doublings = (failed - MAX_FAILED_LOGINS).clamp(0, 20) as u32;
    (LOCKOUT_MINUTES << doublings).min(LOCKOUT_MAX_MINUTES)
}

#[derive(Default)]
pub(super) struct PinHasher {
    argon2: Argon2<'static>,
}

impl PinHasher {
    pub(super) fn hash(&self, pin: &str) -> CoreResult<String> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2
            .hash_password(pin.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(CoreError::internal)
    }

    pub(super) fn verify(&self, pin: &str, stored: &str) -> bool {
        PasswordHash::new(stored)
            .map(|parsed| self.argon2.verify_password(pin.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    }
}

struct OperatorRow {
    operator: Operator,
    pin_hash: String,
    failed_logins: i64,
    locked_until: Option<DateTime<Utc>>,
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A new recovery code, in groups of four for reading aloud and writing down.
fn new_recovery_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    let chars: Vec<char> =
        (0..RECOVERY_LEN).map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The code as typed (any case, with or without dashes and spaces, O for 0, I or L for 1)
/// in the form it was hashed in.
fn normalized_recovery_code(input: &str) -> CoreResult<String> {
    if input.trim().is_empty() {
        return Err(CoreError::required("recovery_code"));
    }
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    if code.chars().count() != RECOVERY_LEN || !code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        return Err(CoreError::invalid("recovery_code", "debe tener 20 letras y números, en grupos de cuatro"));
    }
    Ok(code)
}

fn parse_role(input: &str) -> CoreResult<Role> {
    Role::parse(input.trim()).ok_or_else(|| CoreError::invalid("role", "debe ser «cajero» o «administrador»"))
}

impl Mostrador {
    pub fn setup_status(&self) -> CoreResult<SetupStatus> {
        Ok(SetupStatus { needs_first_admin: store::operators::count(&self.conn)? == 0 })
    }

    /// The first start: creates the first administrator and logs them in. Refused once any
    /// operator exists; there is no built-in default account.
    /// The recovery code it returns is stored only hashed and is never shown again.
    pub fn create_first_admin(&mut self, input: Credentials) -> CoreResult<FirstAdmin> {
        let name = text::required("name", &input.name, NAME_MAX)?;
        let pin = text::new_pin("pin", &input.pin)?;
        let pin_hash = self.pin_hasher.hash(&pin)?;
        let recovery_code = new_recovery_code();
        let recovery_hash = self.pin_hasher.hash(&normalized_recovery_code(&recovery_code)?)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        if store::operators::count(&tx)? > 0 {
            return Err(CoreError::general(
                ErrorCode::YaInicializado,
                "Ya existe un administrador; inicie sesión con su nombre y PIN.",
            ));
        }
        let id = insert_operator(&tx, &name, Role::Administrador, &pin_hash, &now)?;
        store::settings::put_setting(&tx, RECOVERY_CODE_HASH, Some(&recovery_hash))?;
        audit(&tx, Some(id), "create_first_admin", "operator", Some(id), json!({"name": name}), &now)?;
        tx.commit()?;
        let operator = Operator { id, name, role: Role::Administrador, active: true, locked: false, language: Language::Es };
        self.current = Some(LoggedIn::new(operator.clone(), self.clock.now()));
        Ok(FirstAdmin { operator, recovery_code })
    }

    pub fn login(&mut self, input: Credentials) -> CoreResult<Operator> {
        let name = text::required("name", &input.name, NAME_MAX)?;
        if input.pin.is_empty() {
            return Err(CoreError::required("pin"));
        }
        let operator = self.check_credentials(&name, &input.pin, "pin")?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        audit(&tx, Some(operator.id), "login", "operator", Some(operator.id), json!({}), &now)?;
        tx.commit()?;
        self.current = Some(LoggedIn::new(operator.clone(), self.clock.now()));
        Ok(operator)
    }

    pub fn logout(&mut self) -> CoreResult<()> {
        if let Some(current) = self.current.take() {
            let now = self.now();
            let id = current.operator.id;
            audit(&self.conn, Some(id), "logout", "operator", Some(id), json!({}), &now)?;
        }
        Ok(())
    }

    /// Who is logged in, if their session still holds (not idle too long, still active,
    /// same role). Asking does not count as activity: the UI polls it.
    pub fn current_operator(&self) -> Option<Operator> {
        self.quiet_operator().ok().cloned()
    }

    pub fn create_operator(&mut self, input: NewOperator) -> CoreResult<Operator> {
        let actor = self.admin("crear operadores")?.id;
        let name = text::required("name", &input.name, NAME_MAX)?;
        let role = parse_role(&input.role)?;
        let pin = text::new_pin("pin", &input.pin)?;
        let pin_hash = self.pin_hasher.hash(&pin)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        if store::operators::name_taken(&tx, &name)? {
            return Err(CoreError::new(
                ErrorCode::NombreDuplicado,
                "name",
                format!("Ya existe un operador con el nombre «{name}»."),
            ));
        }
        let id = insert_operator(&tx, &name, role, &pin_hash, &now)?;
        audit(&tx, Some(actor), "create_operator", "operator", Some(id), json!({"name": name, "role": role}), &now)?;
        tx.commit()?;
        Ok(Operator { id, name, role, active: true, locked: false, language: Language::Es })
    }

    pub fn list_operators(&self) -> CoreResult<Vec<Operator>> {
        self.admin("ver la lista de operadores")?;
        Ok(store::operators::list(&self.conn, &self.now())?)
    }

    /// An administrator deactivates an operator, who can no longer log in (their records
    /// stay). Not the last active administrator, and not someone with a register open.
    pub fn deactivate_operator(&mut self, operator_id: i64) -> CoreResult<Operator> {
        let actor = self.admin("desactivar operadores")?.id;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let target = existing_operator(&tx, operator_id)?;
        if !target.active {
            return Ok(target);
        }
        if target.role == Role::Administrador {
            last_admin_guard(&tx, &target, "desactivar")?;
        }
        if store::operators::has_open_session(&tx, target.id)? {
            return Err(CoreError::new(
                ErrorCode::OperadorConSesionAbierta,
                "operator_id",
                format!("El operador «{}» tiene una caja abierta; ciérrela antes de desactivarlo.", target.name),
            ));
        }
        store::operators::set_active(&tx, target.id, false)?;
        audit(&tx, Some(actor), "deactivate_operator", "operator", Some(target.id), json!({"name": target.name}), &now)?;
        tx.commit()?;
        Ok(Operator { active: false, ..target })
    }

    pub fn reactivate_operator(&mut self, operator_id: i64) -> CoreResult<Operator> {
        let actor = self.admin("reactivar operadores")?.id;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let target = existing_operator(&tx, operator_id)?;
        if target.active {
            return Ok(target);
        }
        store::operators::set_active(&tx, target.id, true)?;
        audit(&tx, Some(actor), "reactivate_operator", "operator", Some(target.id), json!({"name": target.name}), &now)?;
        tx.commit()?;
        Ok(Operator { active: true, ..target })
    }

    /// An administrator lifts a PIN lockout and clears the failure count.
    pub fn unlock_operator(&mut self, operator_id: i64) -> CoreResult<Operator> {
        let actor = self.admin("desbloquear operadores")?.id;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let target = existing_operator(&tx, operator_id)?;
        store::operators::clear_failures(&tx, target.id)?;
        audit(&tx, Some(actor), "unlock_operator", "operator", Some(target.id), json!({"name": target.name}), &now)?;
        tx.commit()?;
        Ok(target)
    }

    /// An administrator gives another operator a new PIN (their own goes through
    /// [`Self::change_own_pin`], which asks for the current one); it also lifts a lockout.
    pub fn reset_operator_pin(&mut self, input: ResetPinInput) -> CoreResult<Operator> {
        let actor = self.admin("cambiar el PIN de otro operador")?.id;
        if input.operator_id == actor {
            return Err(CoreError::invalid("operator_id", "es su propia cuenta: cambie su PIN con «Cambiar mi PIN», que pide el PIN actual"));
        }
        let pin = text::new_pin("new_pin", &input.new_pin)?;
        existing_operator(&self.conn, input.operator_id)?;
        let pin_hash = self.pin_hasher.hash(&pin)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let target = existing_operator(&tx, input.operator_id)?;
        store::operators::set_pin_by_id(&tx, target.id, &pin_hash)?;
        audit(&tx, Some(actor), "reset_operator_pin", "operator", Some(target.id), json!({"name": target.name}), &now)?;
        tx.commit()?;
        Ok(target)
    }

    /// The logged-in operator changes their own PIN; a wrong current PIN counts as a
    /// failed login (and can lock them out).
    pub fn change_own_pin(&mut self, input: ChangePinInput) -> CoreResult<Operator> {
        let me = self.operator()?.clone();
        if input.current_pin.is_empty() {
            return Err(CoreError::required("current_pin"));
        }
        let pin = text::new_pin("new_pin", &input.new_pin)?;
        self.check_credentials(&me.name, &input.current_pin, "current_pin")?;
        let pin_hash = self.pin_hasher.hash(&pin)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        store::operators::set_pin_by_id(&tx, me.id, &pin_hash)?;
        audit(&tx, Some(me.id), "change_own_pin", "operator", Some(me.id), json!({}), &now)?;
        tx.commit()?;
        Ok(me)
    }

    /// An administrator makes an operator a cashier or an administrator; the last active
    /// administrator cannot be made a cashier. The changed operator logs in again.
    pub fn change_operator_role(&mut self, input: ChangeRoleInput) -> CoreResult<Operator> {
        let actor = self.admin("cambiar el rol de un operador")?.id;
        let role = parse_role(&input.role)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let target = existing_operator(&tx, input.operator_id)?;
        if target.role == role {
            return Ok(target);
        }
        if target.role == Role::Administrador && target.active {
            last_admin_guard(&tx, &target, "pasar a cajero")?;
        }
        store::operators::set_role(&tx, target.id, role)?;
        audit(
            &tx,
            Some(actor),
            "change_operator_role",
            "operator",
            Some(target.id),
            json!({"name": target.name, "from": target.role, "to": role}),
            &now,
        )?;
        tx.commit()?;
        Ok(Operator { role, ..target })
    }

    /// With no one logged in, the owner gives an administrator a new PIN with the store's
    /// recovery code. The code is spent: a new one is returned, to be shown once.
    pub fn recover_admin_pin(&mut self, input: RecoverAdminInput) -> CoreResult<RecoveryOutcome> {
        let name = text::required("name", &input.name, NAME_MAX)?;
        let code = normalized_recovery_code(&input.recovery_code)?;
        let pin = text::new_pin("new_pin", &input.new_pin)?;
        // A store from before recovery codes has none: checked against the dummy hash, it
        // is refused like a wrong code, in the same time.
        let stored = store::setting(&self.conn, RECOVERY_CODE_HASH)?;
        if !self.pin_hasher.verify(&code, stored.as_deref().unwrap_or(DUMMY_HASH)) || stored.is_none() {
            return Err(CoreError::new(
                ErrorCode::CredencialesInvalidas,
                "recovery_code",
                "Código de recuperación incorrecto.",
            ));
        }
        let target = match store::operators::by_name(&self.conn, &name)? {
            Some(login) if login.operator.role == Role::Administrador && login.operator.active => login.operator,
            _ => {
                return Err(CoreError::new(
                    ErrorCode::NoEncontrado,
                    "name",
                    format!("No hay un administrador activo con el nombre «{name}»."),
                ))
            }
        };
        let pin_hash = self.pin_hasher.hash(&pin)?;
        let recovery_code = new_recovery_code();
        let recovery_hash = self.pin_hasher.hash(&normalized_recovery_code(&recovery_code)?)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        store::operators::set_pin_by_id(&tx, target.id, &pin_hash)?;
        store::settings::put_setting(&tx, RECOVERY_CODE_HASH, Some(&recovery_hash))?;
        audit(&tx, None, "recover_admin_pin", "operator", Some(target.id), json!({"name": target.name}), &now)?;
        tx.commit()?;
        Ok(RecoveryOutcome { operator: target, recovery_code })
    }

    /// An administrator, proving their PIN, replaces the store's recovery code (a store
    /// set up before recovery codes gets its first one this way). Shown this once.
    pub fn issue_recovery_code(&mut self, input: Credentials) -> CoreResult<String> {
        let me = self.admin("emitir un código de recuperación")?.clone();
        if input.pin.is_empty() {
            return Err(CoreError::required("pin"));
        }
        self.check_credentials(&me.name, &input.pin, "pin")?;
        let recovery_code = new_recovery_code();
        let recovery_hash = self.pin_hasher.hash(&normalized_recovery_code(&recovery_code)?)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        store::settings::put_setting(&tx, RECOVERY_CODE_HASH, Some(&recovery_hash))?;
        audit(&tx, Some(me.id), "issue_recovery_code", "settings", None, json!({}), &now)?;
        tx.commit()?;
        Ok(recovery_code)
    }

    /// Verifies a name and PIN, counting failures and locking after too many. Used by
    /// login and by the administrator's authorization of a close. `pin_field` is the input
    /// the error points at.
    pub(super) fn check_credentials(&mut self, name: &str, pin: &str, pin_field: &str) -> CoreResult<Operator> {
        let started = std::time::Instant::now();
        let now = self.clock.now();
        // Every message names the input it is about: the login's PIN or a close's authorization.
        let about = if pin_field == "pin" {
            String::new()
        } else {
            format!("{}: ", capitalized(label(pin_field)))
        };
        let invalid = || {
            CoreError::new(ErrorCode::CredencialesInvalidas, pin_field, format!("{about}Nombre o PIN incorrecto."))
        };
        let row = self.operator_row(name)?;
        // One hash is verified on every path, so an unknown name, an inactive operator and
        // a wrong PIN take the same time to refuse and cannot be told apart.
        let pin_ok = self.pin_hasher.verify(pin, row.as_ref().map_or(DUMMY_HASH, |r| r.pin_hash.as_str()));
        let Some(row) = row.filter(|r| r.operator.active) else {
            return Err(refused(started, invalid()));
        };
        if let Some(until) = row.locked_until.filter(|until| *until > now) {
            let minutes = ((until - now).num_seconds() + 59) / 60;
            return Err(CoreError::new(
                ErrorCode::OperadorBloqueado,
                pin_field,
                format!("{about}Demasiados intentos de PIN fallidos: «{}» está bloqueado {minutes} minuto(s) más.", row.operator.name),
            ));
        }
        let id = row.operator.id;
        if pin_ok {
            if row.failed_logins > 0 || row.locked_until.is_some() {
                store::operators::clear_failures(&self.conn, id)?;
            }
            return Ok(row.operator);
        }
        // A failed attempt is the one write a refused login makes: without it there is no
        // lockout. The count is not reset by a lockout, so each further failure locks longer.
        let failed = row.failed_logins + 1;
        let stamp = super::clock::stamp(now);
        let tx = store::write(&mut self.conn)?;
        if failed >= MAX_FAILED_LOGINS {
            let minutes = lockout_minutes(failed);
            let until = super::clock::stamp(now + Duration::minutes(minutes));
            store::operators::lock(&tx, id, failed, &until)?;
            audit(&tx, Some(id), "operator_locked", "operator", Some(id), json!({"until": until, "failed": failed}), &stamp)?;
            tx.commit()?;
            return Err(CoreError::new(
                ErrorCode::OperadorBloqueado,
                pin_field,
                format!("{about}PIN incorrecto {failed} veces seguidas: «{}» queda bloqueado {minutes} minutos.", row.operator.name),
            ));
        }
        store::operators::count_failure(&tx, id, failed)?;
        tx.commit()?;
        Err(refused(started, invalid()))
    }

    fn operator_row(&self, name: &str) -> CoreResult<Option<OperatorRow>> {
        Ok(store::operators::by_name(&self.conn, name)?.map(|login| OperatorRow {
            operator: login.operator,
            pin_hash: login.pin_hash,
            failed_logins: login.failed_logins,
            locked_until: login
                .locked_until
                .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
                .map(|d| d.with_timezone(&Utc)),
        }))
    }
}

fn existing_operator(conn: &rusqlite::Connection, id: i64) -> CoreResult<Operator> {
    store::operators::by_id(conn, id)?.ok_or_else(|| CoreError::new(ErrorCode::NoEncontrado, "operator_id", "No existe el operador indicado."))
}

/// Refuses a change that would leave no active administrator.
fn last_admin_guard(conn: &rusqlite::Connection, target: &Operator, what: &str) -> CoreResult<()> {
    if store::operators::other_active_admins(conn, target.id)? == 0 {
        return Err(CoreError::new(
            ErrorCode::UltimoAdministrador,
            "operator_id",
            format!("El operador «{}» es el único administrador activo: no se puede {what}. Cree o active otro administrador primero.", target.name),
        ));
    }
    Ok(())
}

fn insert_operator(conn: &rusqlite::Connection, name: &str, role: Role, pin_hash: &str, now: &str) -> CoreResult<i64> {
    Ok(store::operators::insert(conn, name, role, pin_hash, now)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHash;

    #[test]
    fn the_dummy_hash_costs_what_a_real_pin_hash_costs() {
        let real = PinHasher::default().hash("123456").unwrap();
        let (real, dummy) = (PasswordHash::new(&real).unwrap(), PasswordHash::new(DUMMY_HASH).unwrap());
        assert_eq!((real.algorithm, real.version, real.params.to_string()), (dummy.algorithm, dummy.version, dummy.params.to_string()));
        assert!(!PinHasher::default().verify("123456", DUMMY_HASH));
    }

    #[test]
    fn each_lockout_lasts_twice_the_one_before_up_to_a_day() {
        let minutes: Vec<i64> = (5..=10).map(lockout_minutes).collect();
        assert_eq!(minutes, [5, 10, 20, 40, 80, 160]);
        assert_eq!(lockout_minutes(40), LOCKOUT_MAX_MINUTES);
    }

    #[test]
    fn recovery_codes_read_back_however_they_are_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 24);
        let plain = normalized_recovery_code(&code).unwrap();
        assert_eq!(normalized_recovery_code(&code.to_lowercase().replace('-', " ")).unwrap(), plain);
        assert_eq!(normalized_recovery_code("oooo-iiii-llll-0000-1111").unwrap(), "00001111111100001111");
        assert_eq!(normalized_recovery_code("ABCD").unwrap_err().code, ErrorCode::ValorInvalido);
        assert_eq!(normalized_recovery_code(" ").unwrap_err().code, ErrorCode::CampoRequerido);
    }
}
