//! `ASimNetworkSessionLogs`: the daily series of `spec/network_series.csv` plus the threat
//! sessions the summary rule `NetworkSummary_Threat_IOC` must find.

use crate::prng::SplitMix64;
use crate::table::{Row, V, s};
use crate::time::{DAY, MIN, MS, SEC, floor_to};
use crate::{NOW_NS, SEED, TENANT};

/// The series specification, one line per series.
pub const SPEC: &str = include_str!("../spec/network_series.csv");

/// Ten minutes, the bin the anomaly rules summarise by.
pub const SLOT: i64 = 10 * MIN;
/// Ten-minute slots used per day: slot `j` of day `d` starts at [`slot_start`]`(d, j)`,
/// `j < SLOTS_PER_DAY`; all of them lie inside the day and end before the last 5 minutes
/// of the day, so the only events in the last 5 minutes before `now` are the `late` ones.
pub const SLOTS_PER_DAY: usize = 142;

/// Start of day bin `d` (0..14) of `make-series ... from ago(14d) to now() step 1d`.
pub const fn day_start(d: i64) -> i64 {
    NOW_NS - 14 * DAY + d * DAY
}

/// Start of ten-minute slot `j` of day `d`: the first ten-minute boundary (a multiple of
/// 10 minutes since the epoch, which is where `bin(TimeGenerated, 10m)` puts it) after the
/// day's start, plus `j` slots.
pub const fn slot_start(d: i64, j: i64) -> i64 {
    floor_to(day_start(d) + SLOT - 1, SLOT) + j * SLOT
}

/// A day's load: `slots` ten-minute slots × `apps` application names × `per` events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Load {
    /// Number of distinct ten-minute slots.
    pub slots: u32,
    /// Number of DstAppName values per slot.
    pub apps: u32,
    /// Events per (slot, app).
    pub per: u32,
}

impl Load {
    /// Events of the day.
    pub fn events(&self) -> u64 {
        u64::from(self.slots) * u64::from(self.apps) * u64::from(self.per)
    }
    /// Rows of `summarize count() by ..., DstAppName, bin(TimeGenerated, 10m)`.
    pub fn rows(&self) -> u64 {
        if self.per == 0 {
            0
        } else {
            u64::from(self.slots) * u64::from(self.apps)
        }
    }
}

/// One series of the specification.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// DstPortNumber.
    pub port: i32,
    /// NetworkProtocol.
    pub protocol: String,
    /// NetworkDirection.
    pub direction: String,
    /// DvcAction.
    pub action: String,
    /// DstAppName values (may be one empty name).
    pub apps: Vec<String>,
    /// Load of each of the 14 days.
    pub days: [Load; 14],
    /// Events in the last 5 minutes before now.
    pub late: u32,
}

impl Series {
    /// One session of this series at `t` for application `app`.
    pub(crate) fn session(&self, r: &mut SplitMix64, t: i64, app: &str) -> Row {
        session(
            r,
            t,
            self.port,
            &self.protocol,
            &self.direction,
            &self.action,
            app,
        )
    }
}

fn parse_load(text: &str, napps: usize) -> Result<Load, String> {
    let parts: Vec<u32> = text
        .split('*')
        .map(|p| {
            p.trim()
                .parse::<u32>()
                .map_err(|e| format!("load `{text}`: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let load = match parts[..] {
        [0] => Load::default(),
        [s, p] => Load {
            slots: s,
            apps: 1,
            per: p,
        },
        [s, a, p] => Load {
            slots: s,
            apps: a,
            per: p,
        },
        _ => return Err(format!("load `{text}`: expected 0, S*P or S*A*P")),
    };
    if load.slots as usize > SLOTS_PER_DAY || load.apps as usize > napps.max(1) {
        return Err(format!("load `{text}`: too many slots or apps"));
    }
    Ok(load)
}

/// Parses [`SPEC`].
pub fn series() -> Result<Vec<Series>, String> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (i, line) in SPEC.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        let err = |m: String| format!("network_series.csv line {}: {m}", i + 1);
        if f.len() != 11 {
            return Err(err(format!("expected 11 fields, found {}", f.len())));
        }
        let apps: Vec<String> = f[4].split(';').map(str::to_string).collect();
        let old = parse_load(f[5], apps.len()).map_err(err)?;
        let mut days = [old; 14];
        for (k, cell) in f[6..10].iter().enumerate() {
            days[10 + k] = parse_load(cell, apps.len()).map_err(err)?;
        }
        out.push(Series {
            port: f[0].parse().map_err(|e| err(format!("port: {e}")))?,
            protocol: f[1].to_string(),
            direction: f[2].to_string(),
            action: f[3].to_string(),
            apps,
            days,
            late: f[10].parse().map_err(|e| err(format!("late: {e}")))?,
        });
    }
    Ok(out)
}

/// The internal server (address, host name) a port's inbound sessions go to.
fn server(port: i32) -> (&'static str, &'static str) {
    match port {
        389 | 636 => ("10.0.1.10", "dc01"),
        53 => ("10.0.1.53", "dns01"),
        3389 => ("10.0.2.15", "jump01"),
        1433 => ("10.0.4.20", "sql01"),
        5900..=5902 => ("10.0.3.30", "kiosk01"),
        _ => ("10.0.9.9", "srv09"),
    }
}

/// A public peer address (198.18.0.0/15, the benchmarking range: public, not private).
fn public_ip(r: &mut SplitMix64) -> String {
    format!(
        "198.{}.{}.{}",
        r.range(18, 19),
        r.range(0, 255),
        r.range(1, 254)
    )
}

/// An internal workstation (address, host name).
fn workstation(r: &mut SplitMix64) -> (String, String) {
    let n = r.range(10, 99);
    (format!("10.1.{}.{n}", n % 4), format!("ws-{n:03}"))
}

/// The common columns of one session.
pub(crate) fn session(
    r: &mut SplitMix64,
    t: i64,
    port: i32,
    protocol: &str,
    direction: &str,
    action: &str,
    app: &str,
) -> Row {
    let (src, src_host, dst, dst_host) = if direction == "Inbound" {
        let (d, h) = server(port);
        (public_ip(r), String::new(), d.to_string(), h.to_string())
    } else {
        let (s_ip, s_host) = workstation(r);
        (s_ip, s_host, public_ip(r), String::new())
    };
    let src_bytes = r.range(200, 20_000);
    let dst_bytes = r.range(200, 200_000);
    let duration = r.range(0, 30_000) * MS;
    let result = if action == "Allow" {
        "Success"
    } else {
        "Failure"
    };
    vec![
        ("TenantId", s(TENANT)),
        ("TimeGenerated", V::T(t)),
        ("EventCount", V::I(1)),
        ("EventSchemaVersion", s("0.2.6")),
        ("EventType", s("NetworkSession")),
        ("EventResult", s(result)),
        ("EventSeverity", s("Informational")),
        ("EventStartTime", V::T(t)),
        ("EventEndTime", V::T(t + duration)),
        ("EventProduct", s("EdgeFW")),
        ("EventVendor", s("Fabrikam")),
        ("Dvc", s("fw-edge-01")),
        ("DvcHostname", s("fw-edge-01")),
        ("DvcIpAddr", s("10.0.0.1")),
        ("DvcAction", s(action)),
        ("NetworkProtocol", s(protocol)),
        ("NetworkDirection", s(direction)),
        ("SrcIpAddr", s(src)),
        ("SrcHostname", s(src_host)),
        ("SrcPortNumber", V::I(r.range(49_152, 65_535) as i32)),
        ("DstIpAddr", s(dst)),
        ("DstHostname", s(dst_host)),
        ("DstPortNumber", V::I(port)),
        ("DstAppName", s(app)),
        ("SrcBytes", V::L(src_bytes)),
        ("DstBytes", V::L(dst_bytes)),
        ("NetworkBytes", V::L(src_bytes + dst_bytes)),
        ("NetworkSessionId", s(format!("{:016x}", r.next_u64()))),
        ("Type", s("ASimNetworkSessionLogs")),
    ]
}

/// A threat session planted for the summary rule (all on port 6667/TCP, outbound, allowed).
struct Threat {
    /// Offset from the 20-minute bin `bin(now(), 20m) - 20m` (= 12:00:00 for the pinned now).
    at: i64,
    src: &'static str,
    src_host: &'static str,
    dst: &'static str,
    dst_host: &'static str,
    threat_id: &'static str,
    threat_name: &'static str,
    category: &'static str,
    risk: Option<i32>,
}

/// The threat sessions. `W` = the summary window [12:00:00, 12:20:00) of the pinned now.
fn threats() -> Vec<Threat> {
    let t = |at, src, src_host, dst, dst_host, threat_id, threat_name, category, risk| Threat {
        at,
        src,
        src_host,
        dst,
        dst_host,
        threat_id,
        threat_name,
        category,
        risk,
    };
    vec![
        // G1: three sessions in W with a ThreatId -> count 3.
        t(
            3 * MIN,
            "10.1.0.15",
            "ws-015",
            "198.51.100.23",
            "",
            "IPS-1001",
            "Trojan.Agent",
            "",
            Some(80),
        ),
        t(
            7 * MIN + 30 * SEC,
            "10.1.0.15",
            "ws-015",
            "198.51.100.23",
            "",
            "IPS-1001",
            "Trojan.Agent",
            "",
            Some(80),
        ),
        t(
            20 * MIN - MS,
            "10.1.0.15",
            "ws-015",
            "198.51.100.23",
            "",
            "IPS-1001",
            "Trojan.Agent",
            "",
            Some(80),
        ),
        // G2: same addresses, other source host name -> its own group, count 1.
        t(
            9 * MIN,
            "10.1.0.15",
            "ws-015b",
            "198.51.100.23",
            "",
            "IPS-1001",
            "Trojan.Agent",
            "",
            Some(80),
        ),
        // G3: only ThreatCategory, exactly at the window start (starttime is inclusive).
        t(
            0,
            "10.1.2.16",
            "ws-016",
            "203.0.113.77",
            "",
            "",
            "",
            "Malware",
            None,
        ),
        // G4: only ThreatName, with a destination host name; two sessions -> count 2.
        t(
            10 * MIN,
            "10.1.3.27",
            "ws-027",
            "192.0.2.10",
            "c2.example.net",
            "",
            "Emotet",
            "",
            Some(90),
        ),
        t(
            15 * MIN,
            "10.1.3.27",
            "ws-027",
            "192.0.2.10",
            "c2.example.net",
            "",
            "Emotet",
            "",
            Some(90),
        ),
        // Near-misses.
        // N1: exactly at the window end (12:20:00): `where TimeGenerated < end` drops it.
        t(
            20 * MIN,
            "10.1.0.15",
            "ws-015",
            "198.51.100.23",
            "",
            "IPS-1001",
            "Trojan.Agent",
            "",
            Some(80),
        ),
        // N2: after the window (12:25), before now.
        t(
            25 * MIN,
            "10.1.2.16",
            "ws-016",
            "203.0.113.77",
            "",
            "IPS-2002",
            "",
            "",
            None,
        ),
        // N3: 1 ms before the window start.
        t(
            -MS,
            "10.1.3.27",
            "ws-027",
            "192.0.2.10",
            "c2.example.net",
            "",
            "Emotet",
            "",
            Some(90),
        ),
        // N4: in the window, no threat fields (only a risk level, which the rule ignores).
        t(
            12 * MIN,
            "10.1.1.41",
            "ws-041",
            "198.51.100.99",
            "",
            "",
            "",
            "",
            Some(50),
        ),
        // N5: in the previous 20-minute bin (11:45), a full bin before the window.
        t(
            -15 * MIN,
            "10.1.0.15",
            "ws-015",
            "198.51.100.23",
            "",
            "IPS-1001",
            "Trojan.Agent",
            "",
            Some(80),
        ),
    ]
}

/// Start of the summary rule's window: `bin(now(-20m), 20m)`.
pub const fn summary_window_start() -> i64 {
    floor_to(NOW_NS - 20 * MIN, 20 * MIN)
}

/// All rows of `ASimNetworkSessionLogs`, sorted by TimeGenerated.
pub fn rows() -> Result<Vec<Row>, String> {
    let mut out: Vec<(i64, Row)> = Vec::new();
    for sr in series()? {
        let label = format!(
            "net/{}/{}/{}/{}",
            sr.port, sr.protocol, sr.direction, sr.action
        );
        let mut r = SplitMix64::derive(SEED, &label);
        for (d, load) in sr.days.iter().enumerate() {
            if load.events() == 0 {
                continue;
            }
            for j in r.sample(SLOTS_PER_DAY, load.slots as usize) {
                let start = slot_start(d as i64, j as i64);
                for a in 0..load.apps as usize {
                    let app = sr.apps.get(a).map(String::as_str).unwrap_or("");
                    for _ in 0..load.per {
                        // Whole milliseconds inside the slot.
                        let t = start + r.range(0, SLOT / MS - 1) * MS;
                        let row = sr.session(&mut r, t, app);
                        out.push((t, row));
                    }
                }
            }
        }
        for k in 0..sr.late {
            // now-4m, now-3m30s, ... : inside the last 5 minutes and inside day 13.
            let t = NOW_NS - 4 * MIN + i64::from(k) * 30 * SEC;
            let app = sr.apps.first().map(String::as_str).unwrap_or("");
            let row = sr.session(&mut r, t, app);
            out.push((t, row));
        }
    }
    out.extend(threat_rows());
    out.sort_by_key(|(t, _)| *t);
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// The threat sessions of the summary rule, with their times (not sorted).
pub(crate) fn threat_rows() -> Vec<(i64, Row)> {
    let mut out = Vec::new();
    let mut r = SplitMix64::derive(SEED, "net/threats");
    let w0 = summary_window_start();
    for th in threats() {
        let t = w0 + th.at;
        let mut row = session(&mut r, t, 6667, "TCP", "Outbound", "Allow", "irc");
        for (k, v) in [
            ("SrcIpAddr", th.src),
            ("SrcHostname", th.src_host),
            ("DstIpAddr", th.dst),
            ("DstHostname", th.dst_host),
        ] {
            if let Some(cell) = row.iter_mut().find(|(n, _)| *n == k) {
                cell.1 = s(v);
            }
        }
        row.push(("ThreatId", s(th.threat_id)));
        row.push(("ThreatName", s(th.threat_name)));
        row.push(("ThreatCategory", s(th.category)));
        if let Some(risk) = th.risk {
            row.push(("ThreatRiskLevel", V::I(risk)));
        }
        out.push((t, row));
    }
    out
}
