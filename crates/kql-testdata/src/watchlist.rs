//! The watchlist `NetworkSession_Monitor_Configuration`: our own rows in the documented
//! column layout (Ports, App, Protocol, Direction, Action, Type, ThresholdType, Threshold,
//! Severity, Tactic, Name, Description); the search key is `Ports`.

/// Watchlist alias (file stem).
pub const ALIAS: &str = "NetworkSession_Monitor_Configuration";

/// Column names.
pub const HEADER: [&str; 12] = [
    "Ports",
    "App",
    "Protocol",
    "Direction",
    "Action",
    "Type",
    "ThresholdType",
    "Threshold",
    "Severity",
    "Tactic",
    "Name",
    "Description",
];

/// The rows (W1..W9 in the golden-file explanations, in this order).
pub const ROWS: [[&str; 12]; 9] = [
    [
        "389,636",
        "*",
        "*",
        "*",
        "*",
        "Detection",
        "Anomaly",
        "",
        "High",
        "CredentialAccess,Discovery",
        "Directory service traffic anomaly",
        "Unusual daily volume of LDAP or LDAPS sessions, compared with the recent trend",
    ],
    [
        "3389",
        "*",
        "TCP",
        "Inbound",
        "Allow",
        "Detection",
        "Anomaly",
        "",
        "Medium",
        "LateralMovement",
        "Inbound remote desktop anomaly",
        "Allowed inbound RDP sessions far above their recent trend",
    ],
    [
        "80,443",
        "*",
        "TCP",
        "*",
        "*",
        "Detection",
        "Anomaly",
        "",
        "Low",
        "CommandAndControl",
        "Web port anomaly",
        "Sudden change in plain or TLS web sessions",
    ],
    [
        "1433",
        "*",
        "TCP",
        "*",
        "*",
        "Detection",
        "Anomaly",
        "",
        "Disabled",
        "Collection",
        "SQL server anomaly",
        "Disabled: too noisy in this environment",
    ],
    [
        "9150,9151",
        "tor",
        "*",
        "Outbound",
        "*",
        "Detection",
        "Static",
        "0",
        "High",
        "CommandAndControl",
        "Tor client ports",
        "Any outbound session to the local Tor client ports",
    ],
    [
        "5900,5901,5902",
        "vnc",
        "TCP",
        "*",
        "*",
        "Hunting",
        "Anomaly",
        "",
        "Medium",
        "LateralMovement,Collection",
        "Screen sharing anomaly",
        "VNC sessions above their recent trend",
    ],
    [
        "53",
        "dns",
        "TCP,UDP",
        "Outbound",
        "*",
        "Hunting",
        "Anomaly",
        "",
        "Low",
        "Exfiltration",
        "Outbound DNS anomaly",
        "Outbound DNS volume above its recent trend (tunnelling?)",
    ],
    [
        "4444",
        "*",
        "TCP",
        "*",
        "*",
        "Hunting",
        "Static",
        "1000",
        "Medium",
        "Execution",
        "Common reverse-shell port",
        "More than 1000 sessions a day to port 4444",
    ],
    [
        "20,21",
        "ftp",
        "TCP",
        "*",
        "Allow",
        "Hunting",
        "Static",
        "1000",
        "Low",
        "Exfiltration",
        "File transfer ports",
        "More than 1000 allowed FTP sessions a day",
    ],
];

/// One CSV field, quoted when needed (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The CSV text (CRLF line endings, like Sentinel's watchlist exports).
pub fn csv() -> String {
    let mut out = String::new();
    let line = |cells: &[&str]| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    out.push_str(&line(&HEADER));
    out.push_str("\r\n");
    for r in ROWS {
        out.push_str(&line(&r));
        out.push_str("\r\n");
    }
    out
}

/// The sidecar naming the search-key column.
pub fn sidecar() -> String {
    "{\"searchKey\": \"Ports\"}\n".to_string()
}
