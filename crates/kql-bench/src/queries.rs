//! The benchmark queries: three Sentinel rules read from `../shared/sentinel/rules` at run
//! time, and micro-queries over `ASimNetworkSessionLogs` of the scaled data set.

use crate::{DAY, MIN};
use std::path::{Path, PathBuf};

/// What a query is, for both engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryId {
    /// `DetectPortMisuseByAnomalyBasedDetection.yaml` (analytic rule, `queryPeriod` 14d).
    RuleAnalytic,
    /// `DetectPortMisuseByAnomalyHunting.yaml` (hunting query).
    RuleHunting,
    /// `NetworkSummary_Threat_IOC.yaml` (summary rule, 20-minute window).
    RuleSummary,
    /// `where` on an int and a string column, `project` of 5 columns.
    FilterProject,
    /// `summarize count() by bin(TimeGenerated, 1h)` and 5 keys.
    SummarizeBin5Keys,
    /// `summarize dcount(DstIpAddr) by DstPortNumber`.
    Dcount,
    /// 1M sessions (a time window) `join kind=inner` 10 000 addresses.
    Join1Mx10k,
    /// `mv-expand` of `split(DstIpAddr, ".")`, counted by octet.
    MvExpandSplit,
    /// `make-series count()` hourly over 14 days into 10 000 series.
    MakeSeries10k,
}

/// Every query, in the order of the table.
pub const ALL: [QueryId; 9] = [
    QueryId::RuleAnalytic,
    QueryId::RuleHunting,
    QueryId::RuleSummary,
    QueryId::FilterProject,
    QueryId::SummarizeBin5Keys,
    QueryId::Dcount,
    QueryId::Join1Mx10k,
    QueryId::MvExpandSplit,
    QueryId::MakeSeries10k,
];

impl QueryId {
    /// Short name (command line, table).
    pub fn name(self) -> &'static str {
        match self {
            QueryId::RuleAnalytic => "rule.analytic",
            QueryId::RuleHunting => "rule.hunting",
            QueryId::RuleSummary => "rule.summary",
            QueryId::FilterProject => "filter_project",
            QueryId::SummarizeBin5Keys => "summarize_bin_5keys",
            QueryId::Dcount => "dcount",
            QueryId::Join1Mx10k => "join_1m_10k",
            QueryId::MvExpandSplit => "mv_expand_split",
            QueryId::MakeSeries10k => "make_series_10k",
        }
    }

    /// The query with this name.
    pub fn from_name(name: &str) -> Option<QueryId> {
        ALL.into_iter().find(|q| q.name() == name)
    }

    /// The rule file of a rule query (relative to the rules directory).
    pub fn rule_file(self) -> Option<&'static str> {
        match self {
            QueryId::RuleAnalytic => Some("DetectPortMisuseByAnomalyBasedDetection.yaml"),
            QueryId::RuleHunting => Some("DetectPortMisuseByAnomalyHunting.yaml"),
            QueryId::RuleSummary => Some("NetworkSummary_Threat_IOC.yaml"),
            _ => None,
        }
    }
}

/// Parameters shared by both engines.
#[derive(Clone, Debug)]
pub struct Params {
    /// The data directory (scaled workspace).
    pub data: PathBuf,
    /// Directory of the Sentinel rule files (`../shared/sentinel/rules`).
    pub rules: PathBuf,
    /// The pinned `now`, ns since the epoch.
    pub now_ns: i64,
    /// Rows of `ASimNetworkSessionLogs` (sizes the join window).
    pub rows: u64,
}

impl Params {
    /// The `[lo, hi)` time window holding about one million sessions (the whole 14 days when
    /// the table is smaller), centred 7 days before now.
    pub fn join_window(&self) -> (i64, i64) {
        let span = if self.rows <= 1_000_000 {
            14 * DAY
        } else {
            ((14 * DAY) as f64 * 1_000_000.0 / self.rows as f64) as i64
        };
        let span = span / MIN * MIN;
        let mid = self.now_ns - 7 * DAY;
        (mid - span / 2, mid - span / 2 + span)
    }
}

/// A query's KQL text and look-back (`queryPeriod`, for rule files).
#[derive(Clone, Debug)]
pub struct KqlQuery {
    /// The KQL text.
    pub text: String,
    /// `queryPeriod` in ns.
    pub window_ns: Option<i64>,
}

/// KQL datetime literal of `ns`.
pub fn datetime_literal(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let sub = ns.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = kql_testdata::time::civil_from_days(days);
    format!(
        "datetime({y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{sub:09}Z)",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A KQL timespan such as `14d`, `1h`, `20m`, `30s` in ns.
pub fn parse_timespan(text: &str) -> Option<i64> {
    let t = text.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok()?;
    Some(
        n * match unit {
            "d" => DAY,
            "h" => 60 * MIN,
            "m" => MIN,
            "s" => 1_000_000_000,
            _ => return None,
        },
    )
}

/// Reads a rule YAML: its `query` and `queryPeriod`.
pub fn read_rule(path: &Path) -> Result<KqlQuery, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let query = doc
        .get("query")
        .and_then(|q| q.as_str())
        .ok_or_else(|| format!("{}: no `query`", path.display()))?;
    let window_ns = match doc.get("queryPeriod").and_then(|q| q.as_str()) {
        Some(p) => Some(
            parse_timespan(p)
                .ok_or_else(|| format!("{}: bad queryPeriod `{p}`", path.display()))?,
        ),
        None => None,
    };
    Ok(KqlQuery {
        text: query.to_string(),
        window_ns,
    })
}

/// The KQL of `q`.
pub fn kql(q: QueryId, p: &Params) -> Result<KqlQuery, String> {
    if let Some(file) = q.rule_file() {
        return read_rule(&p.rules.join(file));
    }
    let text = match q {
        QueryId::FilterProject => "ASimNetworkSessionLogs
| where DstPortNumber == 22 and DvcAction == \"Deny\"
| project TimeGenerated, SrcIpAddr, DstIpAddr, SrcBytes, DstBytes"
            .to_string(),
        QueryId::SummarizeBin5Keys => "ASimNetworkSessionLogs
| summarize Count = count() by bin(TimeGenerated, 1h), DstPortNumber, NetworkProtocol,
    NetworkDirection, DvcAction, DstAppName"
            .to_string(),
        QueryId::Dcount => "ASimNetworkSessionLogs
| summarize Peers = dcount(DstIpAddr) by DstPortNumber"
            .to_string(),
        QueryId::Join1Mx10k => {
            let (lo, hi) = p.join_window();
            format!(
                "let watched = range i from 0 to 9999 step 1
    | project DstIpAddr = strcat(\"198.18.\", i / 250, \".\", i % 250 + 1), Watch = i;
ASimNetworkSessionLogs
| where TimeGenerated >= {} and TimeGenerated < {}
| join kind=inner watched on DstIpAddr
| project TimeGenerated, SrcIpAddr, DstIpAddr, Watch",
                datetime_literal(lo),
                datetime_literal(hi)
            )
        }
        QueryId::MvExpandSplit => "ASimNetworkSessionLogs
| project Octet = split(DstIpAddr, \".\")
| mv-expand Octet to typeof(string)
| summarize Count = count() by Octet"
            .to_string(),
        QueryId::MakeSeries10k => "ASimNetworkSessionLogs
| where NetworkDirection == \"Outbound\" and SrcIpAddr startswith \"10.100.\"
| make-series Sessions = count() default = 0 on TimeGenerated from ago(14d) to now() step 1h
    by SrcIpAddr"
            .to_string(),
        QueryId::RuleAnalytic | QueryId::RuleHunting | QueryId::RuleSummary => {
            return Err(format!("{}: rule file missing", q.name()));
        }
    };
    Ok(KqlQuery {
        text,
        window_ns: None,
    })
}

/// Rows each rule returns on the scaled data set: the planted behaviour is the sample
/// workspace's at every scale (see `kql_testdata::scale`), so these are the row counts of
/// the golden files of `crates/kql-cli/tests/golden/` (3, 4 and 4).
pub fn expected_rows(q: QueryId) -> Option<usize> {
    match q {
        QueryId::RuleAnalytic => Some(3),
        QueryId::RuleHunting => Some(4),
        QueryId::RuleSummary => Some(4),
        _ => None,
    }
}
