//! The es-BO amount rule, read from the table the UI's Vitest suite reads too.

use mostrador::domain::Money;
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/amounts_es_bo.json")).unwrap();
    let table: Value = serde_json::from_str(&text).unwrap();
    table["cases"].as_array().unwrap().clone()
}

#[test]
fn the_core_reads_every_amount_of_the_shared_es_bo_table_as_the_table_says() {
    let mut failures = Vec::new();
    for case in cases() {
        let input = case["input"].as_str().unwrap();
        let expected = case["core"].as_str().unwrap();
        let got = match Money::parse_positive("monto", input) {
            Ok(amount) => amount.to_string(),
            Err(e) => serde_json::to_value(e.code).unwrap().as_str().unwrap().to_string(),
        };
        if got != expected {
            failures.push(format!("{input:?}: expected {expected}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn one_thousand_five_hundred_written_with_a_dot_never_becomes_one_fifty() {
    for input in ["1.500", "1.50 0", "1,500", "1.500,"] {
        if let Ok(amount) = Money::parse_positive("monto", input) {
            assert_ne!(amount.centavos(), 150, "{input:?} was read as 1.50");
        }
    }
    assert_eq!(Money::parse_positive("monto", "1.500,00").unwrap().centavos(), 150_000);
}
