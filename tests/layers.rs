//! The layers point one way (ARCHITECTURE.md): domain ← store ← service ← commands, and
//! sync, connectors and the simulator never reach into the service. Read from the source
//! of each module, so a new import across a layer fails here before it ships.

use std::path::{Path, PathBuf};

fn source_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src")
}

/// Every `.rs` file under `dir`, or `dir` itself when it is a file.
fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The lines of `layer` that name one of the `forbidden` modules of the crate.
fn crossings(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let root = source_root();
    let mut found = Vec::new();
    let candidates = [root.join(layer), root.join(format!("{layer}.rs"))];
    let files: Vec<PathBuf> = candidates.iter().filter(|p| p.exists()).flat_map(|p| rust_files(p)).collect();
    assert!(!files.is_empty(), "no source for the {layer} layer");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for module in forbidden {
                if code.contains(&format!("crate::{module}")) || code.contains(&format!("mostrador::{module}")) {
                    found.push(format!("{}:{}: {}", file.strip_prefix(&root).unwrap().display(), n + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_domain_depends_on_nothing_of_the_product() {
    let found = crossings("domain", &["store", "service", "sync", "connectors", "commands", "simulator", "secrets", "app", "printer"]);
    assert!(found.is_empty(), "domain reaches up:\n{}", found.join("\n"));
}

#[test]
fn the_store_sees_only_the_domain() {
    let found = crossings("store", &["service", "sync", "connectors", "commands", "simulator", "secrets", "app", "printer"]);
    assert!(found.is_empty(), "store reaches up:\n{}", found.join("\n"));
}

#[test]
fn sync_and_connectors_never_import_the_service() {
    let mut found = crossings("sync", &["service", "commands", "app"]);
    found.extend(crossings("connectors", &["service", "sync", "store", "commands", "app"]));
    assert!(found.is_empty(), "sync or connectors reach into the service:\n{}", found.join("\n"));
}

#[test]
fn the_printer_sees_only_the_domain() {
    let found = crossings("printer", &["store", "service", "sync", "connectors", "commands", "simulator", "secrets", "app"]);
    assert!(found.is_empty(), "the printer reaches past the domain:\n{}", found.join("\n"));
}

#[test]
fn the_service_never_reaches_the_window() {
    let found = crossings("service", &["commands", "app"]);
    assert!(found.is_empty(), "service reaches the Tauri layer:\n{}", found.join("\n"));
}

#[test]
fn the_layer_check_sees_a_crossing() {
    // The check itself: the command layer does import the service, and is found.
    assert!(!crossings("commands", &["sync"]).is_empty(), "commands.rs uses crate::sync and must be seen");
}

#[test]
fn the_bank_simulator_knows_only_the_wire_types() {
    let found = crossings("simulator", &["store", "service", "sync", "connectors", "commands", "secrets", "app"]);
    assert!(found.is_empty(), "the simulator reaches into the product:\n{}", found.join("\n"));
}
