//! Operators, PINs and login. PINs are argon2id hashes; five failed logins lock the
//! operator for five minutes.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{audit, LoggedIn, Mostrador};
use crate::domain::error::label;
use crate::domain::{text, CoreError, CoreResult, Credentials, ErrorCode, NewOperator, Operator, Role, SetupStatus};
use crate::store;

pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCKOUT_MINUTES: i64 = 5;
pub const NAME_MAX: usize = 60;

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

    fn verify(&self, pin: &str, stored: &str) -> bool {
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

fn parse_role(input: &str) -> CoreResult<Role> {
    Role::parse(input.trim()).ok_or_else(|| CoreError::invalid("role", "debe ser «cajero» o «administrador»"))
}

impl Mostrador {
    pub fn setup_status(&self) -> CoreResult<SetupStatus> {
        Ok(SetupStatus { needs_first_admin: store::operators::count(&self.conn)? == 0 })
    }

    /// The first start: creates the first administrator and logs them in. Refused once any
    /// operator exists; there is no built-in default account.
    pub fn create_first_admin(&mut self, input: Credentials) -> CoreResult<Operator> {
        let name = text::required("name", &input.name, NAME_MAX)?;
        let pin = text::pin("pin", &input.pin)?;
        let pin_hash = self.pin_hasher.hash(&pin)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        if store::operators::count(&tx)? > 0 {
            return Err(CoreError::general(
                ErrorCode::YaInicializado,
                "Ya existe un administrador; inicie sesión con su nombre y PIN.",
            ));
        }
        let id = insert_operator(&tx, &name, Role::Administrador, &pin_hash, &now)?;
        audit(&tx, Some(id), "create_first_admin", "operator", Some(id), json!({"name": name}), &now)?;
        tx.commit()?;
        let operator = Operator { id, name, role: Role::Administrador, active: true };
        self.current = Some(LoggedIn { operator: operator.clone() });
        Ok(operator)
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
        self.current = Some(LoggedIn { operator: operator.clone() });
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

    pub fn current_operator(&self) -> Option<Operator> {
        self.current.as_ref().map(|l| l.operator.clone())
    }

    pub fn create_operator(&mut self, input: NewOperator) -> CoreResult<Operator> {
        let actor = self.admin("crear operadores")?.id;
        let name = text::required("name", &input.name, NAME_MAX)?;
        let role = parse_role(&input.role)?;
        let pin = text::pin("pin", &input.pin)?;
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
        Ok(Operator { id, name, role, active: true })
    }

    pub fn list_operators(&self) -> CoreResult<Vec<Operator>> {
        self.admin("ver la lista de operadores")?;
        Ok(store::operators::list(&self.conn)?)
    }

    /// Verifies a name and PIN, counting failures and locking after too many. Used by
    /// login and by the administrator's authorization of a close. `pin_field` is the input
    /// the error points at.
    pub(super) fn check_credentials(&mut self, name: &str, pin: &str, pin_field: &str) -> CoreResult<Operator> {
        let now = self.clock.now();
        // Every message names the input it is about: the login's PIN or a close's authorization.
        let about = if pin_field == "pin" { String::new() } else { format!("{}: ", capitalized(label(pin_field))) };
        let invalid = || {
            CoreError::new(ErrorCode::CredencialesInvalidas, pin_field, format!("{about}Nombre o PIN incorrecto."))
        };
        let Some(row) = self.operator_row(name)? else {
            return Err(invalid());
        };
        if !row.operator.active {
            return Err(invalid());
        }
        if let Some(until) = row.locked_until.filter(|until| *until > now) {
            let minutes = ((until - now).num_seconds() + 59) / 60;
            return Err(CoreError::new(
                ErrorCode::OperadorBloqueado,
                pin_field,
                format!("{about}Demasiados intentos de PIN fallidos: «{}» está bloqueado {minutes} minuto(s) más.", row.operator.name),
            ));
        }
        let id = row.operator.id;
        if self.pin_hasher.verify(pin, &row.pin_hash) {
            if row.failed_logins > 0 || row.locked_until.is_some() {
                store::operators::clear_failures(&self.conn, id)?;
            }
            return Ok(row.operator);
        }
        // A failed attempt is the one write a refused login makes: without it there is no lockout.
        let failed = row.failed_logins + 1;
        let stamp = super::clock::stamp(now);
        let tx = store::write(&mut self.conn)?;
        if failed >= MAX_FAILED_LOGINS {
            let until = super::clock::stamp(now + Duration::minutes(LOCKOUT_MINUTES));
            store::operators::lock(&tx, id, &until)?;
            audit(&tx, Some(id), "operator_locked", "operator", Some(id), json!({"until": until}), &stamp)?;
            tx.commit()?;
            return Err(CoreError::new(
                ErrorCode::OperadorBloqueado,
                pin_field,
                format!("{about}PIN incorrecto {MAX_FAILED_LOGINS} veces: «{}» queda bloqueado {LOCKOUT_MINUTES} minutos.", row.operator.name),
            ));
        }
        store::operators::count_failure(&tx, id, failed)?;
        tx.commit()?;
        Err(invalid())
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

fn insert_operator(conn: &rusqlite::Connection, name: &str, role: Role, pin_hash: &str, now: &str) -> CoreResult<i64> {
    Ok(store::operators::insert(conn, name, role, pin_hash, now)?)
}
