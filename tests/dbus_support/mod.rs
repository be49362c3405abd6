//! A private D-Bus session bus for the keyring tests: its configuration file, listening
//! on `socket` only and allowing every name, so no desktop service is ever reached.

use std::path::Path;

/// Writes the bus's configuration to `config`.
pub fn write_bus_config(config: &Path, socket: &Path) {
    std::fs::write(
        config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <policy context="default">
    <allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/>
  </policy>
</busconfig>"#,
            socket.display()
        ),
    )
    .unwrap();
}
