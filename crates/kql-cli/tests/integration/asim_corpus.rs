//! `kql check --schemas ../shared/sentinel/schemas` over the ASIM half of the Sentinel
//! corpus (`../shared/sentinel/corpus/asim/`), which calls the built-in ASIM parser library
//! (`_Im_NetworkSession`, `_Im_Dns`, `imProcessCreate`, `_ASim_FileEvent`, ...). Every query
//! must plan, except the ones listed in [`EXPECTED_FAILURES`] with the exact reason; the list
//! is exact, so a fix (or a regression) makes the test fail until the list is updated.
//! Planner gaps among the reasons are described in `docs/planner-gaps.md`.

use super::common::{Expected, Failure, check_corpus, compare_failures, kql, temp_dir, write};

/// (path suffix under corpus/asim, error code, reason).
const EXPECTED_FAILURES: &[Expected] = &[
    // The reference schema lacks a column the rule uses (not in schema_amendments.txt:
    // no Microsoft documentation found for it).
    (
        "kerberoast-followed-by-cloud-signin.yaml",
        "KQL2001",
        "schema of IdentityInfo lacks `IdentityEnvironment`",
    ),
    // Not part of the library: a source-specific parser.
    (
        "GCPDNSRequestToTOR.yaml",
        "KQL2011",
        "`imDNSGCPCloudDNS` is the Google Cloud DNS solution's source parser (no schema; the \
         library only parses the native ASIM tables)",
    ),
    // Genuine errors in the source rule.
    (
        "Remote Desktop Network Traffic(ASIM Network Session schema).yaml",
        "KQL1003",
        "rule error: mismatched quotes in eventresult='Failure\"",
    ),
    (
        "Mercury_Log4j_August2022.yaml",
        "KQL1001",
        "rule error: the union legs `)` and `(CommonSecurityLog` are not separated by a comma",
    ),
    (
        "Solutions/Threat Intelligence (NEW)/Analytic Rules/IPEntity_imWebSession.yaml",
        "KQL2001",
        "rule error: `IndicatorId` is a ThreatIntelligenceIndicator column, not one of \
         ThreatIntelIndicators (the table this version reads)",
    ),
    (
        "Dev-0322FileDropActivityNovember2021(ASIMVersion).yaml",
        "KQL2001",
        "rule error: `AccountName` is not a File Event field (pre-ASIM name)",
    ),
    (
        "imAuthPasswordSpray.yaml",
        "KQL2001",
        "rule error: `SrcDvcIpAddr` is not an Authentication field (old name of SrcIpAddr)",
    ),
    (
        "imProcess_SolarWindsInventory.yaml",
        "KQL2001",
        "rule error: `TargetProcessFilePath` is not a Process Event field (pre-ASIM name)",
    ),
    (
        "imProcess_ProcessEntropy.yaml",
        "KQL2001",
        "rule error: `TargetProcessFilePath` is not a Process Event field (pre-ASIM name)",
    ),
    (
        "imProcess_enumeration_user_and_group.yaml",
        "KQL2001",
        "rule error: `DvcHostName` is not a field (the field is DvcHostname)",
    ),
    (
        "imProcess_HostExportingMailboxAndRemovingExport.yaml",
        "KQL2001",
        "rule error: `DvcHostName` is not a field (the field is DvcHostname)",
    ),
    (
        "imProcess_cscript_summary.yaml",
        "KQL2001",
        "rule error: `DvcHostName` is not a field (the field is DvcHostname)",
    ),
    (
        "imProcess_powershell_downloads.yaml",
        "KQL2001",
        "rule error: `DvcHostName` is not a field (the field is DvcHostname)",
    ),
    (
        "imProcess_PowerCatDownload.yaml",
        "KQL2001",
        "rule error: `Account` is not a Process Event field (pre-ASIM name)",
    ),
    (
        "imProcess_base64_encoded_pefile.yaml",
        "KQL2001",
        "rule error: `ActorUserName` is not a field (the field is ActorUsername)",
    ),
];

/// Runs `kql check` over the ASIM corpus: (number of files, failures).
fn check_asim_corpus() -> Option<(usize, Vec<Failure>)> {
    check_corpus("asim", 70)
}

#[test]
fn corpus_asim_plans_except_the_listed_files() {
    let Some((total, failed)) = check_asim_corpus() else {
        return;
    };
    let problems = compare_failures(&failed, EXPECTED_FAILURES);
    let planned = total - failed.len();
    eprintln!(
        "ASIM corpus: {planned}/{total} plan ({:.0}%)",
        100.0 * planned as f64 / total as f64
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The target. Not reached with the reference material: see the reasons above
/// (watchlists, gaps in the reference schemas, errors in the rules themselves).
#[test]
#[ignore = "target not reached; the remainder and its reasons are in EXPECTED_FAILURES"]
fn corpus_asim_plans_at_least_95_percent() {
    let Some((total, failed)) = check_asim_corpus() else {
        return;
    };
    let planned = total - failed.len();
    assert!(
        planned * 100 >= total * 95,
        "{planned}/{total} plan; failures:\n{}",
        failed
            .iter()
            .map(|(f, c, m)| format!("{f}: {c} {m}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// `kql check` plans ASIM parsers and Sentinel tables with no flags (the built-in library and
/// schema catalogue); a column that no schema has is still an error.
#[test]
fn check_needs_no_flags_for_asim_parsers_and_sentinel_tables() {
    let dir = temp_dir("asim-check");
    let ok = write(
        &dir,
        "ok.kql",
        "_Im_NetworkSession(starttime=ago(1d), dstportnumber=443)\n\
         | summarize count() by DstPortNumber, ASimMatchingIpAddr\n\
         | join kind=inner (CommonSecurityLog | project DstPortNumber = toint(DestinationPort)) \
         on DstPortNumber",
    );
    let bad = write(&dir, "bad.kql", "_Im_WebSession | project NoSuchColumn");
    let out = kql(&["check", &ok]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = kql(&["check", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("NoSuchColumn"));
}

/// `kql run` does not invent empty tables from the catalogue: a table missing from the data
/// directory is an error, while the unifying ASIM parser skips its missing source (with a
/// warning) and returns the empty normalized schema.
#[test]
fn run_over_a_data_dir_without_the_native_table() {
    let dir = temp_dir("asim-run");
    std::fs::create_dir_all(dir.join("data")).expect("data dir");
    let data = dir.join("data").to_string_lossy().into_owned();
    let q = write(
        &dir,
        "q.kql",
        "_Im_NetworkSession(starttime=ago(1d)) | summarize n = count()",
    );
    let out = kql(&["run", &q, "--data", &data, "--format", "csv"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.trim(), "n\n0", "{stdout}");
    assert!(stderr.contains("ASimNetworkSessionLogs"), "{stderr}");
    let q = write(&dir, "t.kql", "ASimNetworkSessionLogs | count");
    let out = kql(&["run", &q, "--data", &data]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ASimNetworkSessionLogs"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
