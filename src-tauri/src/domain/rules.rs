//! The counter's rules that the UI shows before it calls the core: the notes and coins a
//! blind close counts, how an agent operation moves the cash drawer and the provider's
//! float, and the largest statement an import takes. Each is defined once here (the
//! denominations' values in records.rs); the core applies them and the `counter_rules`
//! command hands the same values to the UI, so the screens cannot drift from the core.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Denomination, Money, TipoOperacion};

/// Largest statement an import accepts, in bytes (2 MB): the bank's commission statement
/// (`settle_bank_commissions`) and a provider's statement to reconcile against.
pub const IMPORT_MAX_BYTES: usize = 2_000_000;

/// Which way an amount moves an account: +1 it comes in, -1 it goes out.
pub type Sign = i8;

/// How an agent operation's amounts move the cash drawer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DrawerEffect {
    /// +1: the customer hands the amount over; -1: the store hands it out.
    pub monto: Sign,
    /// The same for the customer's commission.
    pub comision: Sign,
}

impl DrawerEffect {
    /// What the drawer gains (negative: loses) for `monto` and the customer's `comision`.
    pub fn change(self, monto: Money, comision: Money) -> Option<Money> {
        let signed = |sign: Sign, amount: Money| amount.centavos().checked_mul(i64::from(sign));
        signed(self.monto, monto)?.checked_add(signed(self.comision, comision)?).map(Money::from_centavos)
    }

    /// Whether the operation's amount enters the drawer (and so leaves the provider float).
    pub fn receives_monto(self) -> bool {
        self.monto > 0
    }
}

impl TipoOperacion {
    /// A DEPOSITO or TRANSFERENCIA_QR takes the amount and the commission from the customer
    /// (the store pays out of its float); a RETIRO hands the amount out (the float gets it)
    /// while the commission still comes in, so the customer gets the amount less it.
    pub const fn drawer_effect(self) -> DrawerEffect {
        match self {
            TipoOperacion::Deposito | TipoOperacion::TransferenciaQr => DrawerEffect { monto: 1, comision: 1 },
            TipoOperacion::Retiro => DrawerEffect { monto: -1, comision: 1 },
        }
    }

    /// How the amount moves the store's float with the provider: opposite to the drawer.
    pub const fn float_effect(self) -> Sign {
        -self.drawer_effect().monto
    }
}

impl Denomination {
    /// Coins (M…) are listed apart from notes (B…) at the count.
    pub fn is_coin(self) -> bool {
        self.as_str().starts_with('M')
    }
}

/// One note or coin counted at a blind close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DenominationRule {
    pub code: Denomination,
    pub value: Money,
    pub coin: bool,
}

/// How one type of agent operation moves the drawer and the provider's float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgentRule {
    pub tipo: TipoOperacion,
    pub caja: DrawerEffect,
    /// +1: the store's float with the provider grows by the amount; -1: it shrinks.
    pub saldo_proveedor: Sign,
}

/// The rules the counter's screens apply before calling the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CounterRules {
    /// Every note and coin, largest first.
    pub denominations: Vec<DenominationRule>,
    /// One per agent operation type.
    pub agent: Vec<AgentRule>,
    /// Largest statement an import accepts, in bytes.
    pub import_max_bytes: usize,
}

pub fn counter_rules() -> CounterRules {
    CounterRules {
        denominations: Denomination::ALL
            .iter()
            .map(|&code| DenominationRule { code, value: code.value(), coin: code.is_coin() })
            .collect(),
        agent: TipoOperacion::ALL
            .iter()
            .map(|&tipo| AgentRule { tipo, caja: tipo.drawer_effect(), saldo_proveedor: tipo.float_effect() })
            .collect(),
        import_max_bytes: IMPORT_MAX_BYTES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retiro_hands_out_the_amount_less_the_commission() {
        let (monto, comision) = (Money::from_centavos(20_000), Money::from_centavos(300));
        assert_eq!(TipoOperacion::Retiro.drawer_effect().change(monto, comision), Some(Money::from_centavos(-19_700)));
        assert_eq!(TipoOperacion::Deposito.drawer_effect().change(monto, comision), Some(Money::from_centavos(20_300)));
        assert_eq!(TipoOperacion::TransferenciaQr.drawer_effect().change(monto, Money::ZERO), Some(monto));
        assert_eq!(TipoOperacion::Retiro.float_effect(), 1);
        assert_eq!(TipoOperacion::Deposito.float_effect(), -1);
    }
}
