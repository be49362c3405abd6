//! What each operator chooses for themselves (their language) and what the counter shows of
//! its operations' calls to the providers.

use serde_json::json;

use super::{audit, Mostrador};
use crate::domain::{CoreError, CoreResult, Language, LlamadaDeOperacion, Operator, Role};
use crate::store;

/// At most this many operations' call states in one request (a page of History).
pub const CALL_STATES_MAX: usize = 200;

impl Mostrador {
    /// The logged-in operator reads the counter in `language` ("es" or "en") from now on,
    /// at this and every later login.
    pub fn set_own_language(&mut self, language: &str) -> CoreResult<Operator> {
        let actor = self.operator()?.clone();
        let language = match language.trim() {
            "" => return Err(CoreError::required("language")),
            text => Language::parse(text).ok_or_else(|| CoreError::invalid("language", "debe ser «es» o «en»"))?,
        };
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        store::operators::set_language(&tx, actor.id, language)?;
        audit(&tx, Some(actor.id), "set_language", "operator", Some(actor.id), json!({"from": actor.language, "to": language}), &now)?;
        tx.commit()?;
        let current = self.current.as_mut().ok_or_else(CoreError::not_logged_in)?;
        current.operator.language = language;
        Ok(current.operator.clone())
    }

    /// Where each of these agent transactions' call to its provider stands; operations
    /// with no call (recorded only) are left out, and so are a cashier's reads of others'.
    pub fn agent_call_states(&self, ids: Vec<i64>) -> CoreResult<Vec<LlamadaDeOperacion>> {
        let actor = self.operator()?;
        if ids.len() > CALL_STATES_MAX {
            return Err(CoreError::invalid("ids", &format!("pide como máximo {CALL_STATES_MAX} operaciones a la vez")));
        }
        let scope = if actor.role == Role::Administrador { None } else { Some(actor.id) };
        Ok(store::call_states::of_transactions(&self.conn, &ids, scope)?)
    }
}
