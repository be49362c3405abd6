//! Demo mode: a store with registers and operators ready to use, for the first run and
//! for training. Only on an empty database; the PINs are random and returned to be printed.

use rand::Rng;

use super::Mostrador;
use crate::domain::{CoreResult, Credentials, NewOperator, NewRegister, Role};

#[derive(Debug, Clone)]
pub struct DemoOperator {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

/// Seeds the demo store if no operator exists yet. Returns the operators created (empty
/// when the database was already set up).
pub fn seed(app: &mut Mostrador) -> CoreResult<Vec<DemoOperator>> {
    if !app.setup_status()?.needs_first_admin {
        return Ok(Vec::new());
    }
    let mut rng = rand::thread_rng();
    let mut pin = || format!("{:06}", rng.gen_range(0..1_000_000));
    let admin = DemoOperator { name: "Ana Administradora".into(), role: Role::Administrador, pin: pin() };
    app.create_first_admin(Credentials { name: admin.name.clone(), pin: admin.pin.clone() })?;
    let mut created = vec![admin];
    for name in ["Carlos Cajero", "Lucía Cajera"] {
        let op = DemoOperator { name: name.into(), role: Role::Cajero, pin: pin() };
        app.create_operator(NewOperator { name: op.name.clone(), role: op.role.as_str().into(), pin: op.pin.clone() })?;
        created.push(op);
    }
    for (name, specialty) in [("Caja 1", "MIXTA"), ("Caja 2 Agentes", "SOLO_AGENTES"), ("Caja 3 Ventas", "SOLO_VENTAS")] {
        app.create_register(NewRegister { name: name.into(), specialty: specialty.into() })?;
    }
    app.logout()?;
    Ok(created)
}
