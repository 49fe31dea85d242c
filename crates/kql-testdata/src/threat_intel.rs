//! Threat-intelligence indicators (`ThreatIntelligenceIndicator`, the legacy table, and
//! `ThreatIntelIndicators`, the STIX-based one) and the web sessions they are matched
//! against (`ASimWebSessionLogs`).
//!
//! Every planted indicator has a letter (`ind-A` ...); the golden-file explanations in
//! `crates/kql-cli/tests/golden/*.md` refer to them.

use crate::prng::SplitMix64;
use crate::table::{Row, V, s};
use crate::time::{DAY, HOUR, MS, utc};
use crate::{NOW_NS, SEED, TENANT};

/// An instant on the pinned day (2025-03-10, UTC).
const fn today(h: i64, m: i64, sec: i64) -> i64 {
    utc(2025, 3, 10, h, m, sec, 0)
}

/// One version of an indicator.
#[derive(Clone, Debug)]
pub struct Indicator {
    /// `IndicatorId` (legacy) / suffix of `Id` (STIX).
    pub id: &'static str,
    /// TimeGenerated of this version.
    pub time: i64,
    /// `Active` / `IsActive`.
    pub active: bool,
    /// `ExpirationDateTime` / `ValidUntil`.
    pub expires: i64,
    /// `ConfidenceScore` / `Confidence`.
    pub confidence: i32,
    /// `Description`.
    pub description: &'static str,
    /// `ThreatType`.
    pub threat_type: &'static str,
    /// `ActivityGroupNames`.
    pub groups: &'static str,
    /// `NetworkIP`.
    pub network_ip: &'static str,
    /// `NetworkDestinationIP`.
    pub network_dst_ip: &'static str,
    /// `NetworkSourceIP`.
    pub network_src_ip: &'static str,
    /// `EmailSourceIpAddress`.
    pub email_ip: &'static str,
    /// `DomainName`.
    pub domain: &'static str,
}

impl Indicator {
    /// The indicator's address as the legacy rule computes it:
    /// `coalesce(NetworkIP, NetworkDestinationIP, NetworkSourceIP, EmailSourceIpAddress)`.
    pub fn address(&self) -> &'static str {
        [
            self.network_ip,
            self.network_dst_ip,
            self.network_src_ip,
            self.email_ip,
        ]
        .into_iter()
        .find(|a| !a.is_empty())
        .unwrap_or("")
    }
}

/// All indicator versions.
pub fn indicators() -> Vec<Indicator> {
    let base = Indicator {
        id: "",
        time: utc(2025, 3, 5, 9, 0, 0, 0),
        active: true,
        expires: utc(2025, 4, 30, 0, 0, 0, 0),
        confidence: 60,
        description: "",
        threat_type: "WatchList",
        groups: "",
        network_ip: "",
        network_dst_ip: "",
        network_src_ip: "",
        email_ip: "",
        domain: "",
    };
    let v = |id, description, network_ip| Indicator {
        id,
        description,
        network_ip,
        ..base.clone()
    };
    vec![
        // A: active, sessions inside and outside the 1h window, two destinations.
        Indicator {
            time: utc(2025, 3, 7, 9, 0, 0, 0),
            expires: utc(2025, 4, 10, 0, 0, 0, 0),
            confidence: 80,
            threat_type: "Botnet",
            ..v("ind-A", "Scanner seen in honeypot", "198.51.100.10")
        },
        // B: two active versions; the latest (v2) wins.
        Indicator {
            time: utc(2025, 3, 1, 8, 0, 0, 0),
            expires: utc(2025, 3, 30, 0, 0, 0, 0),
            confidence: 50,
            ..v("ind-B", "Brute-force source (first report)", "203.0.113.5")
        },
        Indicator {
            time: utc(2025, 3, 8, 8, 0, 0, 0),
            expires: utc(2025, 4, 4, 0, 0, 0, 0),
            confidence: 90,
            groups: "SAMPLE-GROUP-1",
            ..v("ind-B", "Brute-force source (confirmed)", "203.0.113.5")
        },
        // C: active, but its sessions are all older than 1h.
        Indicator {
            threat_type: "Phishing",
            ..v("ind-C", "Phishing kit host", "192.0.2.200")
        },
        // D: expired yesterday.
        Indicator {
            time: utc(2025, 3, 2, 9, 0, 0, 0),
            expires: utc(2025, 3, 9, 12, 0, 0, 0),
            confidence: 70,
            ..v("ind-D", "Expired C2 address", "198.51.100.20")
        },
        // E: inactive.
        Indicator {
            time: utc(2025, 3, 6, 9, 0, 0, 0),
            active: false,
            ..v("ind-E", "Deactivated indicator", "198.51.100.30")
        },
        // F: active v1, the latest version v2 is inactive.
        Indicator {
            confidence: 65,
            ..v("ind-F", "Sinkholed domain front (v1)", "198.51.100.40")
        },
        Indicator {
            time: utc(2025, 3, 9, 10, 0, 0, 0),
            active: false,
            confidence: 10,
            ..v(
                "ind-F",
                "Sinkholed domain front (v2, revoked)",
                "198.51.100.40",
            )
        },
        // G: inactive v1, the latest version v2 is active.
        Indicator {
            time: utc(2025, 3, 4, 9, 0, 0, 0),
            active: false,
            confidence: 30,
            ..v("ind-G", "C2 relay (v1, inactive)", "198.51.100.50")
        },
        Indicator {
            time: utc(2025, 3, 9, 11, 0, 0, 0),
            expires: utc(2025, 3, 20, 0, 0, 0, 0),
            confidence: 75,
            threat_type: "C2",
            ..v("ind-G", "C2 relay (re-activated)", "198.51.100.50")
        },
        // H, I, J, P: private and loopback addresses are excluded by the rule.
        v(
            "ind-H",
            "Private address reported by a partner",
            "10.20.30.40",
        ),
        v("ind-I", "Loopback address (bad feed entry)", "127.0.0.1"),
        v("ind-J", "Private address (home router)", "192.168.5.5"),
        v("ind-P", "Private address 172.16/12", "172.16.9.9"),
        // K: IPv6; ipv4_is_private() is null for it, so `== false` drops it.
        v("ind-K", "IPv6 scanner", "2001:db8::bad"),
        // L: only NetworkSourceIP; M: only EmailSourceIpAddress (coalesce picks them).
        Indicator {
            network_src_ip: "198.51.100.77",
            confidence: 55,
            ..v("ind-L", "Source address of a spam run", "")
        },
        Indicator {
            email_ip: "203.0.113.99",
            threat_type: "Phishing",
            confidence: 85,
            ..v("ind-M", "Phishing mail relay", "")
        },
        // N: a domain indicator without any address.
        Indicator {
            domain: "bad.example",
            threat_type: "MaliciousUrl",
            ..v("ind-N", "Malicious domain", "")
        },
        // O: its only version is 20 days old (outside the 14-day IoC look-back).
        Indicator {
            time: utc(2025, 2, 18, 9, 0, 0, 0),
            ..v("ind-O", "Old scanner report", "198.51.100.60")
        },
        // Q: 172.32.1.1 is public (just outside 172.16.0.0/12).
        Indicator {
            confidence: 40,
            ..v("ind-Q", "Open proxy", "172.32.1.1")
        },
        // R: NetworkIP and NetworkDestinationIP both set; coalesce takes NetworkIP.
        Indicator {
            network_dst_ip: "203.0.113.45",
            threat_type: "C2",
            confidence: 95,
            ..v("ind-R", "C2 pair", "203.0.113.44")
        },
    ]
}

/// `ThreatIntelligenceIndicator` rows.
pub fn legacy_rows() -> Vec<Row> {
    let mut out: Vec<(i64, Row)> = Vec::new();
    for (k, i) in indicators().iter().enumerate() {
        let row = vec![
            ("TenantId", s(TENANT)),
            ("TimeGenerated", V::T(i.time)),
            ("SourceSystem", s("SecurityGraph")),
            ("Action", s("alert")),
            ("ActivityGroupNames", s(i.groups)),
            ("ConfidenceScore", V::R(f64::from(i.confidence))),
            ("Description", s(i.description)),
            ("ExternalIndicatorId", s(format!("ext-{k:04}"))),
            ("ExpirationDateTime", V::T(i.expires)),
            ("IndicatorId", s(i.id)),
            ("ThreatType", s(i.threat_type)),
            ("Active", V::B(i.active)),
            ("PassiveOnly", V::B(false)),
            ("ThreatSeverity", V::I(3)),
            ("TrafficLightProtocolLevel", s("Amber")),
            ("NetworkIP", s(i.network_ip)),
            ("NetworkDestinationIP", s(i.network_dst_ip)),
            ("NetworkSourceIP", s(i.network_src_ip)),
            ("EmailSourceIpAddress", s(i.email_ip)),
            ("DomainName", s(i.domain)),
            ("IndicatorProvider", s("SampleFeed")),
            ("Type", s("ThreatIntelligenceIndicator")),
        ];
        out.push((i.time, row));
    }
    out.sort_by_key(|(t, _)| *t);
    out.into_iter().map(|(_, r)| r).collect()
}

/// The STIX observable of an indicator: (key, value, pattern).
fn observable(i: &Indicator) -> (String, String, String) {
    if !i.domain.is_empty() {
        let p = format!("[domain-name:value = '{}']", i.domain);
        return ("domain-name:value".into(), i.domain.into(), p);
    }
    let a = i.address();
    let kind = if a.contains(':') {
        "ipv6-addr"
    } else {
        "ipv4-addr"
    };
    (
        format!("{kind}:value"),
        a.to_string(),
        format!("[{kind}:value = '{a}']"),
    )
}

/// `ThreatIntelIndicators` rows (one per indicator version, as the legacy table).
pub fn stix_rows() -> Vec<Row> {
    let mut out: Vec<(i64, Row)> = Vec::new();
    for i in indicators() {
        let (key, value, pattern) = observable(&i);
        let id = format!(
            "indicator--{}",
            i.id.trim_start_matches("ind-").to_lowercase()
        );
        let data = format!(
            r#"{{"description":"{}","labels":["{}"],"pattern":"{}","type":"indicator"}}"#,
            i.description,
            i.threat_type,
            pattern.replace('\'', "\\u0027")
        );
        let row = vec![
            ("TenantId", s(TENANT)),
            ("TimeGenerated", V::T(i.time)),
            ("WorkspaceId", s(TENANT)),
            ("Id", s(id)),
            ("SourceSystem", s("SampleFeed")),
            ("LastUpdateMethod", s("UploadApi")),
            ("IsDeleted", V::B(false)),
            ("AdditionalFields", V::D(r#"{"TLPLevel":"Amber"}"#.into())),
            ("Data", V::D(data)),
            ("IsActive", V::B(i.active)),
            ("Revoked", V::B(!i.active)),
            ("ValidUntil", V::T(i.expires)),
            ("ValidFrom", V::T(i.time - DAY)),
            ("Created", V::T(i.time - DAY)),
            ("Modified", V::T(i.time)),
            ("Confidence", V::I(i.confidence)),
            ("Pattern", s(pattern)),
            ("ObservableKey", s(key)),
            ("ObservableValue", s(value)),
            ("Type", s("ThreatIntelIndicators")),
            ("ExpirationDateTime", V::T(i.expires)),
            ("NetworkIP", s(i.network_ip)),
            ("ThreatType", s(i.threat_type)),
        ];
        out.push((i.time, row));
    }
    out.sort_by_key(|(t, _)| *t);
    out.into_iter().map(|(_, r)| r).collect()
}

/// A planted web session: (time, source, destination, device, URL).
pub type WebSession = (i64, &'static str, &'static str, &'static str, &'static str);

/// The web sessions from (or near) indicator addresses. The rule's window is
/// `starttime = ago(1h)` = 11:34:56.789.
pub fn ioc_sessions() -> Vec<WebSession> {
    vec![
        // A: two to 10.0.5.10 (the 12:30 one is the latest), one to 10.0.5.11, one at 10:00.
        (
            today(12, 10, 0),
            "198.51.100.10",
            "10.0.5.10",
            "proxy-02",
            "https://portal.example.org/login",
        ),
        (
            today(12, 30, 0),
            "198.51.100.10",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/admin",
        ),
        (
            today(12, 20, 0),
            "198.51.100.10",
            "10.0.5.11",
            "proxy-02",
            "https://shop.example.org/",
        ),
        (
            today(10, 0, 0),
            "198.51.100.10",
            "10.0.5.12",
            "proxy-01",
            "https://mail.example.org/",
        ),
        // B
        (
            today(11, 50, 0),
            "203.0.113.5",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/login",
        ),
        // C: 2h before now, 1 ms before the window, yesterday.
        (
            NOW_NS - 2 * HOUR,
            "192.0.2.200",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        (
            NOW_NS - HOUR - MS,
            "192.0.2.200",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/reset",
        ),
        (
            NOW_NS - DAY,
            "192.0.2.200",
            "10.0.5.11",
            "proxy-02",
            "https://shop.example.org/cart",
        ),
        // D, E, F, G
        (
            today(12, 0, 0),
            "198.51.100.20",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        (
            today(12, 1, 0),
            "198.51.100.30",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        (
            today(12, 2, 0),
            "198.51.100.40",
            "10.0.5.11",
            "proxy-02",
            "https://shop.example.org/",
        ),
        (
            today(12, 3, 0),
            "198.51.100.50",
            "10.0.5.11",
            "proxy-02",
            "https://shop.example.org/api",
        ),
        // H, I, J, K (private, loopback, private, IPv6)
        (
            today(12, 4, 0),
            "10.20.30.40",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        (
            today(12, 5, 0),
            "127.0.0.1",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/health",
        ),
        (
            today(12, 5, 30),
            "192.168.5.5",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        (
            today(12, 6, 0),
            "2001:db8::bad",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        // L, M, O
        (
            today(12, 7, 0),
            "198.51.100.77",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/login",
        ),
        (
            today(12, 8, 0),
            "203.0.113.99",
            "10.0.5.12",
            "proxy-01",
            "https://mail.example.org/owa",
        ),
        (
            today(12, 9, 0),
            "198.51.100.60",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        // Q and P
        (
            today(12, 11, 0),
            "172.32.1.1",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/search",
        ),
        (
            today(12, 11, 30),
            "172.16.9.9",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        // Not an indicator, but 198.51.100.10 is a text prefix of it.
        (
            today(12, 12, 0),
            "198.51.100.100",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        // R: its NetworkIP and its NetworkDestinationIP.
        (
            today(12, 13, 0),
            "203.0.113.44",
            "10.0.5.11",
            "proxy-02",
            "https://shop.example.org/checkout",
        ),
        (
            today(12, 14, 0),
            "203.0.113.45",
            "10.0.5.11",
            "proxy-02",
            "https://shop.example.org/checkout",
        ),
        // No source address at all.
        (
            today(12, 15, 0),
            "",
            "10.0.5.10",
            "proxy-01",
            "https://portal.example.org/",
        ),
        (
            today(12, 16, 0),
            "",
            "10.0.5.11",
            "proxy-02",
            "https://shop.example.org/",
        ),
    ]
}

fn web_row(r: &mut SplitMix64, t: i64, src: &str, dst: &str, dvc: &str, url: &str) -> Row {
    let host = url
        .trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string();
    let agents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "Mozilla/5.0 (X11; Linux x86_64)",
        "curl/8.5.0",
    ];
    vec![
        ("TenantId", s(TENANT)),
        ("TimeGenerated", V::T(t)),
        ("Dvc", s(dvc)),
        ("DvcHostname", s(dvc)),
        ("DvcAction", s("Allow")),
        ("EventCount", V::I(1)),
        ("EventStartTime", V::T(t)),
        ("EventEndTime", V::T(t)),
        ("EventType", s("HTTPsession")),
        ("EventResult", s("Success")),
        ("EventResultDetails", s("200")),
        ("EventSeverity", s("Informational")),
        ("EventProduct", s("WebGateway")),
        ("EventVendor", s("Fabrikam")),
        ("EventSchema", s("WebSession")),
        ("EventSchemaVersion", s("0.2.6")),
        ("DstIpAddr", s(dst)),
        ("DstPortNumber", V::I(443)),
        ("NetworkProtocol", s("TCP")),
        ("SrcIpAddr", s(src)),
        ("SrcPortNumber", V::I(r.range(49_152, 65_535) as i32)),
        ("Url", s(url)),
        ("HttpHost", s(host)),
        ("HttpRequestMethod", s("GET")),
        ("HttpUserAgent", s(*r.pick(&agents))),
        ("HttpVersion", s("2.0")),
        ("Type", s("ASimWebSessionLogs")),
    ]
}

/// All rows of `ASimWebSessionLogs`, sorted by TimeGenerated: background browsing of
/// internal clients, background inbound requests from non-indicator public addresses
/// (198.18.0.0/15), and [`ioc_sessions`].
pub fn web_rows() -> Vec<Row> {
    let mut r = SplitMix64::derive(SEED, "web/background");
    let mut out: Vec<(i64, Row)> = Vec::new();
    let sites = [
        "https://www.example.com/",
        "https://news.example.net/today",
        "https://cdn.example.com/lib.js",
        "https://docs.example.org/guide",
    ];
    for d in 0..14 {
        let start = NOW_NS - 14 * DAY + d * DAY;
        for _ in 0..30 {
            let t = start + r.range(0, DAY / MS - 1) * MS;
            let n = r.range(10, 99);
            let src = format!("10.1.{}.{n}", n % 4);
            let dst = format!("198.18.{}.{}", r.range(0, 255), r.range(1, 254));
            let url = *r.pick(&sites);
            out.push((t, web_row(&mut r, t, &src, &dst, "proxy-01", url)));
        }
    }
    // Inbound requests to the published servers from ordinary public clients, including
    // 15 in the last hour.
    for k in 0..45 {
        let t = if k < 15 {
            NOW_NS - HOUR + r.range(1, HOUR / MS - 1) * MS
        } else {
            NOW_NS - 14 * DAY + r.range(0, 13 * DAY / MS) * MS
        };
        let src = format!("198.19.{}.{}", r.range(0, 255), r.range(1, 254));
        let dst = *r.pick(&["10.0.5.10", "10.0.5.11", "10.0.5.12"]);
        let dvc = *r.pick(&["proxy-01", "proxy-02"]);
        out.push((
            t,
            web_row(&mut r, t, &src, dst, dvc, "https://portal.example.org/"),
        ));
    }
    for (t, src, dst, dvc, url) in ioc_sessions() {
        out.push((t, web_row(&mut r, t, src, dst, dvc, url)));
    }
    out.sort_by_key(|(t, _)| *t);
    out.into_iter().map(|(_, r)| r).collect()
}
