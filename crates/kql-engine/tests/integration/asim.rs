//! The built-in ASIM function library (`library/asim/*.kql`) and schema catalogue
//! (`library/schemas.txt`): every function parses and plans, the unifying parsers have the
//! full normalized schema, the catalogue matches the reference schemas, and the documented
//! filtering parameters of the Network Session and Web Session parsers select exactly the
//! rows derived by hand from small tables written here.

use datafusion::arrow::array::Array;
use datafusion::parquet::arrow::ArrowWriter;
use kql_engine::format::{Flavor, format_cell};
use kql_engine::library::{LIBRARY, SCHEMAS, parse_schemas};
use kql_engine::schema_file::read_schema_dir;
use kql_engine::{ResultSet, Session, SessionOptions};
use kql_planner::KqlType;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// 2024-01-12T00:00:00Z: `now()` of every session here.
const NOW: &str = "2024-01-12T00:00:00Z";

fn session() -> Session {
    Session::new(SessionOptions {
        now_ns: kql_planner::parse_datetime_text(NOW),
        target_partitions: Some(2),
        ..SessionOptions::default()
    })
    .expect("session")
}

fn run(s: &Session, q: &str) -> ResultSet {
    match s.run(q) {
        Ok(mut out) => out.results.remove(0),
        Err(d) => panic!("{q}\n{}", d.render(q, "query")),
    }
}

/// The cells of column `col`, rendered as in `.kqltest` files.
fn column(rs: &ResultSet, col: &str) -> Vec<String> {
    let i = rs
        .columns
        .iter()
        .position(|c| c.name == col)
        .unwrap_or_else(|| panic!("no column {col}"));
    let ty = rs.columns[i].ty;
    let mut out = Vec::new();
    for b in &rs.batches {
        let a = b.column(i);
        for r in 0..a.len() {
            out.push(format_cell(a.as_ref(), r, ty, Flavor::Test));
        }
    }
    out
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// `(name, type)` of every column of a query's result.
fn schema_of(s: &Session, q: &str) -> Vec<(String, KqlType)> {
    let planned = s
        .plan(q)
        .unwrap_or_else(|d| panic!("{q}\n{}", d.render(q, "query")));
    planned.results[0]
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty))
        .collect()
}

/// The normalized schemas the library covers: (schema, native table).
const SCHEMAS_COVERED: &[(&str, &str)] = &[
    ("NetworkSession", "ASimNetworkSessionLogs"),
    ("WebSession", "ASimWebSessionLogs"),
    ("Dns", "ASimDnsActivityLogs"),
    ("Authentication", "ASimAuthenticationEventLogs"),
    ("ProcessEvent", "ASimProcessEventLogs"),
    ("FileEvent", "ASimFileEventLogs"),
    ("RegistryEvent", "ASimRegistryEventLogs"),
    ("AuditEvent", "ASimAuditEventLogs"),
    ("UserManagement", "ASimUserManagementActivityLogs"),
    ("DhcpEvent", "ASimDhcpEventLogs"),
    ("AlertEvent", "ASimAlertEventLogs"),
];

/// Every function of every library file plans against the built-in schemas (functions with a
/// tabular parameter are planned over their schema's native table).
#[test]
fn every_library_function_parses_and_plans() {
    let s = session();
    let mut planned = 0;
    for (origin, text) in LIBRARY {
        let query =
            kql_syntax::parse_query(text).unwrap_or_else(|d| panic!("{}", d.render(text, origin)));
        assert!(!query.statements.is_empty(), "{origin} defines nothing");
        for stmt in &query.statements {
            let kql_syntax::ast::StatementKind::Let(l) = &stmt.node else {
                panic!("{origin}: only `let` statements are allowed");
            };
            let name = &l.name.name;
            if name == "_ASIM_GetWatchlistRaw" {
                // Needs a watchlist: see asim_get_watchlist_raw_returns_items_as_bags.
                continue;
            }
            let q = if name.ends_with("_NativeNormalize") {
                let schema = name
                    .trim_start_matches("_ASim_")
                    .trim_end_matches("_NativeNormalize");
                let table = SCHEMAS_COVERED
                    .iter()
                    .find(|(s, _)| *s == schema)
                    .unwrap_or_else(|| panic!("{origin}: {name} is not for a covered schema"))
                    .1;
                format!("{table} | invoke {name}() | take 1")
            } else {
                format!("{name} | take 1")
            };
            // Planning and running over the schema-only tables (no rows).
            let rs = run(&s, &q);
            assert_eq!(rs.num_rows(), 0, "{q}");
            planned += 1;
        }
    }
    assert!(planned >= 100, "only {planned} library functions");
}

/// The names rules use resolve (a representative list from the Sentinel corpus and the ASIM
/// documentation).
#[test]
fn every_name_the_rules_use_is_defined() {
    let s = session();
    let names = s.functions();
    for n in [
        "_Im_NetworkSession",
        "_ASim_NetworkSession",
        "imNetworkSession",
        "ASimNetworkSession",
        "_Im_NetworkSession_Native",
        "_Im_NetworkSession_NativeV03",
        "_Im_NetworkSession_Empty",
        "_Im_NetworkSession_EmptyV03",
        "vimNetworkSessionEmpty",
        "_Im_WebSession",
        "_ASim_WebSession",
        "imWebSession",
        "ASimWebSession",
        "_Im_WebSession_Native",
        "_Im_WebSession_Empty",
        "_Im_Dns",
        "_ASim_Dns",
        "imDns",
        "ASimDns",
        "_Im_Authentication",
        "imAuthentication",
        "ASimAuthentication",
        "_Im_ProcessEvent",
        "_ASim_ProcessEvent",
        "_Im_ProcessCreate",
        "_ASim_ProcessEvent_Create",
        "imProcess",
        "imProcessCreate",
        "imProcessCreation",
        "_Im_FileEvent",
        "_ASim_FileEvent",
        "imFileEvent",
        "_Im_RegistryEvent",
        "_ASim_RegistryEvent",
        "imRegistry",
        "_Im_AuditEvent",
        "_Im_UserManagement",
        "_Im_DhcpEvent",
        "_Im_AlertEvent",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} is not defined");
    }
}

/// `_Im_X` and `_ASim_X` start with exactly the columns of `_Im_X_Empty` (names, types and
/// order), and the native parser adds no column that clashes with an empty-schema column
/// (a clash would give `Col_string`/`Col_long` pairs in the union).
#[test]
fn unifying_parsers_have_the_full_normalized_schema() {
    let s = session();
    for (schema, _) in SCHEMAS_COVERED {
        let empty = schema_of(&s, &format!("_Im_{schema}_Empty"));
        assert!(empty.len() > 40, "{schema}: {} columns", empty.len());
        let names: BTreeSet<&str> = empty.iter().map(|(n, _)| n.as_str()).collect();
        for unifying in [format!("_Im_{schema}"), format!("_ASim_{schema}")] {
            let cols = schema_of(&s, &unifying);
            assert_eq!(&cols[..empty.len()], &empty[..], "{unifying}");
            for (n, _) in &cols[empty.len()..] {
                assert!(!names.contains(n.as_str()), "{unifying}: {n} clashes");
            }
        }
        let empty_types: BTreeMap<&str, KqlType> =
            empty.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        for (n, t) in schema_of(&s, &format!("_Im_{schema}_Native")) {
            if let Some(et) = empty_types.get(n.as_str()) {
                assert_eq!(*et, t, "{schema}: native column {n}");
            }
        }
    }
}

/// Parameters and columns of a stored-function stub.
type FunctionShape<'a> = (&'a Vec<String>, &'a Vec<(String, KqlType)>);

/// The built-in catalogue is exactly what the schema-file reader makes of the reference
/// schemas (table names, column names, column types).
#[test]
fn schema_catalogue_matches_the_reference_schemas() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/sentinel/schemas");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared is missing but CI is set"
        );
        eprintln!("notice: ../shared is absent; skipping");
        return;
    }
    let (tables, functions, errors) = read_schema_dir(&dir);
    assert!(errors.is_empty(), "{errors:?}");
    let built_in = parse_schemas(SCHEMAS).expect("catalogue parses");
    // A name declared twice: the reader's later entry wins in a session, the catalogue keeps
    // one; compare by name with the reader's last definition.
    let reference: BTreeMap<&str, &Vec<(String, KqlType)>> = tables
        .iter()
        .map(|t| (t.name.as_str(), &t.columns))
        .collect();
    let ours: BTreeMap<&str, &Vec<(String, KqlType)>> = built_in
        .tables
        .iter()
        .map(|t| (t.name.as_str(), &t.columns))
        .collect();
    assert_eq!(
        reference.keys().collect::<Vec<_>>(),
        ours.keys().collect::<Vec<_>>(),
        "table names"
    );
    for (name, cols) in &reference {
        assert_eq!(Some(cols), ours.get(name), "table {name}");
    }
    let fref: BTreeMap<&str, FunctionShape> = functions
        .iter()
        .map(|f| (f.name.as_str(), (&f.params, &f.columns)))
        .collect();
    let fours: BTreeMap<&str, FunctionShape> = built_in
        .functions
        .iter()
        .map(|f| (f.name.as_str(), (&f.params, &f.columns)))
        .collect();
    assert_eq!(fref, fours, "function stubs");
}

#[test]
fn the_builtin_library_can_be_disabled_and_overridden() {
    let bare = Session::new(SessionOptions {
        no_builtin_library: true,
        no_builtin_schemas: true,
        ..SessionOptions::default()
    })
    .expect("session");
    assert!(bare.functions().is_empty());
    assert!(bare.tables().is_empty());
    let Err(e) = bare.plan("_Im_NetworkSession") else {
        panic!("_Im_NetworkSession should be unknown without the library");
    };
    assert_eq!(e.code, "KQL2011", "{}", e.message);

    // A data directory's functions are loaded after the library and replace it.
    let mut s = session();
    s.add_functions(
        "let _Im_NetworkSession = (starttime:datetime=datetime(null)) { print Replaced = 1 };",
        "functions/override.kql",
    )
    .expect("override parses");
    let rs = run(&s, "_Im_NetworkSession(starttime=ago(1d))");
    assert_eq!(column(&rs, "Replaced"), vec!["1"]);
    // ... and the functions that call a replaced one see the replacement.
    s.add_functions(
        "let _Im_WebSession_Native = (starttime:datetime=datetime(null), \
         endtime:datetime=datetime(null), srcipaddr_has_any_prefix:dynamic=dynamic([]), \
         ipaddr_has_any_prefix:dynamic=dynamic([]), url_has_any:dynamic=dynamic([]), \
         httpuseragent_has_any:dynamic=dynamic([]), eventresultdetails_in:dynamic=dynamic([]), \
         eventresult:string='*', eventresultdetails_has_any:dynamic=dynamic([]), \
         disabled:bool=false) { print Replaced = 2 };",
        "functions/override2.kql",
    )
    .expect("override parses");
    let rs = run(&s, "_Im_WebSession(starttime=ago(1d)) | project Replaced");
    assert_eq!(column(&rs, "Replaced"), vec!["2"]);
}

/// A built-in schema-only table is replaced by `--schemas` (here: a directory with a
/// one-column definition of the same table).
#[test]
fn explicit_schemas_override_the_catalogue() {
    let dir = temp_dir("schemas");
    std::fs::write(
        dir.join("CommonSecurityLog.json"),
        r#"{"Name":"CommonSecurityLog","Properties":[{"Name":"OnlyColumn","Type":"string"}]}"#,
    )
    .expect("write");
    let mut s = session();
    assert!(schema_of(&s, "CommonSecurityLog").len() > 10);
    assert!(s.load_schema_dir(&dir).is_empty());
    assert_eq!(
        schema_of(&s, "CommonSecurityLog"),
        vec![("OnlyColumn".to_string(), KqlType::String)]
    );
}

// ---------------------------------------------------------------------------------------
// Behaviour of the filtering parameters over small native tables.

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kql-asim-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create temp dir");
    d
}

/// A KQL literal of `ty`'s null (`''` for strings, which are never null).
fn null_literal(ty: KqlType) -> String {
    match ty {
        KqlType::String => "''".into(),
        t => format!("{}(null)", t.name()),
    }
}

/// Writes `table` (all its columns from the built-in catalogue, in order) as
/// `dir/<table>.parquet`, with `rows` giving KQL literals for some columns; the other cells
/// are null.
fn write_table(dir: &Path, table: &str, rows: &[&[(&str, &str)]]) {
    let catalogue = parse_schemas(SCHEMAS).expect("catalogue");
    let schema = catalogue
        .tables
        .iter()
        .find(|t| t.name == table)
        .unwrap_or_else(|| panic!("{table} not in the catalogue"));
    let decl: Vec<String> = schema
        .columns
        .iter()
        .map(|(n, t)| format!("['{n}']:{}", t.name()))
        .collect();
    let mut cells = Vec::new();
    for row in rows {
        for (name, _) in row.iter() {
            assert!(
                schema.columns.iter().any(|(n, _)| n == name),
                "{table} has no column {name}"
            );
        }
        for (n, t) in &schema.columns {
            cells.push(
                row.iter()
                    .find(|(c, _)| c == n)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_else(|| null_literal(*t)),
            );
        }
    }
    let q = format!("datatable({})[{}]", decl.join(", "), cells.join(", "));
    let rs = run(&session(), &q);
    let file = std::fs::File::create(dir.join(format!("{table}.parquet"))).expect("create");
    let mut w = ArrowWriter::try_new(file, rs.schema.clone(), None).expect("writer");
    for b in &rs.batches {
        w.write(b).expect("write batch");
    }
    w.close().expect("close");
}

fn session_over(dir: &Path) -> Session {
    let mut s = session();
    let warnings = s.open_data_dir(dir).expect("data dir");
    assert!(warnings.is_empty(), "{warnings:?}");
    s
}

/// Network sessions, one per row; `EventOriginalUid` names the row. now() = 2024-01-12.
///
/// | id | TimeGenerated    | Src (host)          | Dst (host)                 | port | action | result  |
/// |----|------------------|---------------------|----------------------------|------|--------|---------|
/// | n1 | 2024-01-10 00:00 | 10.1.0.5 (web01)    | 20.0.0.1 (srv.contoso.com) | 443  | Allow  | Success |
/// | n2 | 2024-01-09 00:00 | 10.2.0.7 (laptop)   | 10.1.9.9 (intranet)        | 80   | Deny   | Failure |
/// | n3 | 2024-01-10 12:00 | 192.168.1.1 (gw)    | 10.1.3.3 (db)              | 443  | Drop   | Failure |
/// | n4 | 2024-01-11 00:00 | 172.16.0.1 (client) | 8.8.8.8 (dns.google)       | 53   | Allow  | Success |
/// | n5 | 2024-01-11 06:00 | 10.1.1.1 (admin)    | 10.1.2.2 (jump)            | 22   | Allow  | Success |
fn network_sessions() -> Session {
    let dir = temp_dir("ns");
    #[allow(clippy::type_complexity)]
    let rows: &[(&str, &str, &str, &str, &str, &str, &str, &str, &str)] = &[
        (
            "n1",
            "2024-01-10T00:00:00Z",
            "10.1.0.5",
            "web01",
            "20.0.0.1",
            "srv.contoso.com",
            "443",
            "Allow",
            "Success",
        ),
        (
            "n2",
            "2024-01-09T00:00:00Z",
            "10.2.0.7",
            "laptop",
            "10.1.9.9",
            "intranet",
            "80",
            "Deny",
            "Failure",
        ),
        (
            "n3",
            "2024-01-10T12:00:00Z",
            "192.168.1.1",
            "gw",
            "10.1.3.3",
            "db",
            "443",
            "Drop",
            "Failure",
        ),
        (
            "n4",
            "2024-01-11T00:00:00Z",
            "172.16.0.1",
            "client",
            "8.8.8.8",
            "dns.google",
            "53",
            "Allow",
            "Success",
        ),
        (
            "n5",
            "2024-01-11T06:00:00Z",
            "10.1.1.1",
            "admin",
            "10.1.2.2",
            "jump",
            "22",
            "Allow",
            "Success",
        ),
    ];
    let owned: Vec<Vec<(&str, String)>> = rows
        .iter()
        .map(|(id, t, src, sh, dst, dh, port, action, result)| {
            vec![
                ("EventOriginalUid", format!("'{id}'")),
                ("TimeGenerated", format!("datetime({t})")),
                ("SrcIpAddr", format!("'{src}'")),
                ("SrcHostname", format!("'{sh}'")),
                ("DstIpAddr", format!("'{dst}'")),
                ("DstHostname", format!("'{dh}'")),
                ("DstPortNumber", port.to_string()),
                ("DvcAction", format!("'{action}'")),
                ("EventResult", format!("'{result}'")),
                ("EventType", "'NetworkSession'".to_string()),
                ("EventVendor", "'Contoso'".to_string()),
                ("EventProduct", "'Firewall'".to_string()),
                // The reference table definition types these as strings.
                ("ThreatConfidence", "'80'".to_string()),
                ("ThreatIsActive", "'true'".to_string()),
                ("AdditionalFields", format!("dynamic({{\"row\":\"{id}\"}})")),
            ]
        })
        .collect();
    let borrowed: Vec<Vec<(&str, &str)>> = owned
        .iter()
        .map(|r| r.iter().map(|(c, v)| (*c, v.as_str())).collect())
        .collect();
    let slices: Vec<&[(&str, &str)]> = borrowed.iter().map(|r| r.as_slice()).collect();
    write_table(&dir, "ASimNetworkSessionLogs", &slices);
    session_over(&dir)
}

/// The ids (`EventOriginalUid`) a call returns, sorted.
fn ids(s: &Session, call: &str) -> Vec<String> {
    sorted(column(&run(s, call), "EventOriginalUid"))
}

fn v(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn network_session_parameters_filter_as_documented() {
    let s = network_sessions();
    let all = v(&["n1", "n2", "n3", "n4", "n5"]);
    // No parameter, every name: every row.
    for f in [
        "_Im_NetworkSession",
        "_Im_NetworkSession()",
        "imNetworkSession",
        "_ASim_NetworkSession",
        "ASimNetworkSession",
        "_Im_NetworkSession_Native",
        "_Im_NetworkSession_NativeV03()",
        "vimNetworkSessionNative",
        "_ASim_NetworkSession_Native",
        "ASimNetworkSessionNative",
    ] {
        assert_eq!(ids(&s, f), all, "{f}");
    }
    let cases: &[(&str, &[&str])] = &[
        // TimeGenerated >= 2024-01-10: n2 (Jan 9) is older.
        ("starttime=datetime(2024-01-10)", &["n1", "n3", "n4", "n5"]),
        // ago(2d) = 2024-01-10T00:00 (now is Jan 12): the same rows; the bound is inclusive.
        ("starttime=ago(2d)", &["n1", "n3", "n4", "n5"]),
        // TimeGenerated <= 2024-01-10T00:00 (inclusive): n1, n2.
        ("endtime=datetime(2024-01-10)", &["n1", "n2"]),
        (
            "starttime=datetime(2024-01-10T06:00:00Z), endtime=datetime(2024-01-11)",
            &["n3", "n4"],
        ),
        // Source 10.1.x: n1, n5 (n2's source is 10.2.x; n3's 10.1 address is its destination).
        ("srcipaddr_has_any_prefix=dynamic(['10.1.'])", &["n1", "n5"]),
        // Destination 10.1.x: n2, n3, n5.
        (
            "dstipaddr_has_any_prefix=dynamic(['10.1.'])",
            &["n2", "n3", "n5"],
        ),
        // Either side 10.1.x: n1, n2, n3, n5.
        (
            "ipaddr_has_any_prefix=dynamic(['10.1.'])",
            &["n1", "n2", "n3", "n5"],
        ),
        // Two prefixes: 172.16.x (n4's source) or 10.2.x (n2's source).
        (
            "srcipaddr_has_any_prefix=dynamic(['172.16.', '10.2.'])",
            &["n2", "n4"],
        ),
        // A whole address is a prefix of itself.
        ("dstipaddr_has_any_prefix=dynamic(['8.8.8.8'])", &["n4"]),
        ("dstportnumber=443", &["n1", "n3"]),
        ("dstportnumber=22", &["n5"]),
        // Host names (source or destination) with a term from the list.
        (
            "hostname_has_any=dynamic(['laptop', 'jump'])",
            &["n2", "n5"],
        ),
        ("hostname_has_any=dynamic(['contoso'])", &["n1"]),
        ("dvcaction=dynamic(['Deny', 'Drop'])", &["n2", "n3"]),
        ("eventresult='Failure'", &["n2", "n3"]),
        ("eventresult='Success'", &["n1", "n4", "n5"]),
        // Several filters at once: n3 only (n1 succeeded, n2 is older).
        (
            "starttime=datetime(2024-01-10), dstportnumber=443, eventresult='Failure'",
            &["n3"],
        ),
        ("disabled=true", &[]),
        // Empty / null values mean "no filter".
        (
            "srcipaddr_has_any_prefix=dynamic([]), dvcaction=dynamic([]), eventresult='*'",
            &["n1", "n2", "n3", "n4", "n5"],
        ),
    ];
    for (args, expected) in cases {
        for f in [
            "_Im_NetworkSession",
            "imNetworkSession",
            "_Im_NetworkSession_Native",
        ] {
            assert_eq!(ids(&s, &format!("{f}({args})")), v(expected), "{f}({args})");
        }
    }
    // The parameterless parsers take `disabled` only.
    assert!(ids(&s, "_ASim_NetworkSession(disabled=true)").is_empty());
    assert!(ids(&s, "_ASim_NetworkSession_Native(disabled=true)").is_empty());
}

#[test]
fn network_session_matching_fields_and_aliases() {
    let s = network_sessions();
    let q = |args: &str| {
        run(
            &s,
            &format!(
                "_Im_NetworkSession({args}) | order by EventOriginalUid asc \
                 | project EventOriginalUid, ASimMatchingIpAddr, ASimMatchingHostname"
            ),
        )
    };
    // Which side matched: n1 source, n2/n3 destination, n5 both.
    let rs = q("ipaddr_has_any_prefix=dynamic(['10.1.'])");
    assert_eq!(
        column(&rs, "EventOriginalUid"),
        v(&["n1", "n2", "n3", "n5"])
    );
    assert_eq!(
        column(&rs, "ASimMatchingIpAddr"),
        v(&["SrcIpAddr", "DstIpAddr", "DstIpAddr", "Both"])
    );
    // No address filter: '-'.
    let rs = q("dstportnumber=443");
    assert_eq!(column(&rs, "ASimMatchingIpAddr"), v(&["-", "-"]));
    assert_eq!(column(&rs, "ASimMatchingHostname"), v(&["", ""]));
    let rs = q("hostname_has_any=dynamic(['laptop', 'jump'])");
    assert_eq!(
        column(&rs, "ASimMatchingHostname"),
        v(&["SrcHostname", "DstHostname"])
    );

    // Aliases of n1: Src/Dst are the host names (no FQDN), IpAddr the source address (not an
    // inbound endpoint session), Hostname the destination host, Dvc the vendor/product (no
    // device field set), EventEndTime the TimeGenerated (not set), EventSchema constant.
    let rs = run(
        &s,
        "_Im_NetworkSession(srcipaddr_has_any_prefix=dynamic(['10.1.0.'])) \
         | project Src, Dst, IpAddr, Hostname, Dvc, EventSchema, EventEndTime, \
           ThreatConfidence, ThreatIsActive, Duration",
    );
    assert_eq!(rs.num_rows(), 1);
    for (col, want) in [
        ("Src", "web01"),
        ("Dst", "srv.contoso.com"),
        ("IpAddr", "10.1.0.5"),
        ("Hostname", "srv.contoso.com"),
        ("Dvc", "Contoso/Firewall"),
        ("EventSchema", "NetworkSession"),
        ("EventEndTime", "2024-01-10T00:00:00Z"),
        // Converted to the normalized types (the table stores the strings '80', 'true').
        ("ThreatConfidence", "80"),
        ("ThreatIsActive", "true"),
        ("Duration", "null"),
    ] {
        assert_eq!(column(&rs, col), vec![want.to_string()], "{col}");
    }
    let types: BTreeMap<String, KqlType> =
        rs.columns.iter().map(|c| (c.name.clone(), c.ty)).collect();
    assert_eq!(types["ThreatConfidence"], KqlType::Int);
    assert_eq!(types["ThreatIsActive"], KqlType::Bool);
    assert_eq!(types["Duration"], KqlType::Int);
    // Over Parquet too, the output has exactly the empty schema's columns first (no
    // `AdditionalFields_string` / `AdditionalFields_dynamic` pair), and the bag is usable.
    let empty = schema_of(&s, "_Im_NetworkSession_Empty");
    let cols = schema_of(&s, "_Im_NetworkSession");
    assert_eq!(&cols[..empty.len()], &empty[..]);
    let rs = run(
        &s,
        "_Im_NetworkSession(dstportnumber=22) | project r = tostring(AdditionalFields.row)",
    );
    assert_eq!(column(&rs, "r"), v(&["n5"]));
}

/// Web sessions; `EventOriginalUid` names the row. now() = 2024-01-12.
///
/// | id | TimeGenerated | SrcIpAddr   | Url                             | HttpUserAgent        | status | result  |
/// |----|---------------|-------------|---------------------------------|----------------------|--------|---------|
/// | w1 | 2024-01-10    | 10.1.0.5    | https://contoso.com/login       | Mozilla/5.0          | 200    | Success |
/// | w2 | 2024-01-09    | 10.2.0.7    | http://evil.example/payload.exe | curl/7.68            | 404    | Failure |
/// | w3 | 2024-01-11    | 192.168.1.1 | https://contoso.com/admin       | python-requests/2.25 | 403    | Failure |
fn web_sessions() -> Session {
    let dir = temp_dir("ws");
    let rows: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
        (
            "w1",
            "2024-01-10T00:00:00Z",
            "10.1.0.5",
            "https://contoso.com/login",
            "Mozilla/5.0",
            "200",
            "Success",
        ),
        (
            "w2",
            "2024-01-09T00:00:00Z",
            "10.2.0.7",
            "http://evil.example/payload.exe",
            "curl/7.68",
            "404",
            "Failure",
        ),
        (
            "w3",
            "2024-01-11T00:00:00Z",
            "192.168.1.1",
            "https://contoso.com/admin",
            "python-requests/2.25",
            "403",
            "Failure",
        ),
    ];
    let owned: Vec<Vec<(&str, String)>> = rows
        .iter()
        .map(|(id, t, src, url, ua, status, result)| {
            vec![
                ("EventOriginalUid", format!("'{id}'")),
                ("TimeGenerated", format!("datetime({t})")),
                ("SrcIpAddr", format!("'{src}'")),
                ("Url", format!("'{url}'")),
                ("HttpUserAgent", format!("'{ua}'")),
                ("EventResultDetails", format!("'{status}'")),
                ("EventResult", format!("'{result}'")),
                // The reference table definition types the byte counts as real.
                ("SrcBytes", "real(1500)".to_string()),
            ]
        })
        .collect();
    let borrowed: Vec<Vec<(&str, &str)>> = owned
        .iter()
        .map(|r| r.iter().map(|(c, v)| (*c, v.as_str())).collect())
        .collect();
    let slices: Vec<&[(&str, &str)]> = borrowed.iter().map(|r| r.as_slice()).collect();
    write_table(&dir, "ASimWebSessionLogs", &slices);
    session_over(&dir)
}

#[test]
fn web_session_parameters_filter_as_documented() {
    let s = web_sessions();
    for f in [
        "_Im_WebSession",
        "imWebSession",
        "_ASim_WebSession",
        "ASimWebSession",
        "_Im_WebSession_Native",
        "vimWebSessionNative",
        "_ASim_WebSession_Native",
    ] {
        assert_eq!(ids(&s, f), v(&["w1", "w2", "w3"]), "{f}");
    }
    let cases: &[(&str, &[&str])] = &[
        ("starttime=datetime(2024-01-10)", &["w1", "w3"]),
        ("starttime=ago(2d)", &["w1", "w3"]),
        ("endtime=datetime(2024-01-10)", &["w1", "w2"]),
        ("srcipaddr_has_any_prefix=dynamic(['10.'])", &["w1", "w2"]),
        // IpAddr is the source address in this schema.
        ("ipaddr_has_any_prefix=dynamic(['192.168.'])", &["w3"]),
        // Url terms: 'login' (w1), 'admin' (w3); 'contoso' is in w1 and w3.
        ("url_has_any=dynamic(['admin', 'login'])", &["w1", "w3"]),
        ("url_has_any=dynamic(['contoso'])", &["w1", "w3"]),
        ("url_has_any=dynamic(['payload.exe'])", &["w2"]),
        ("httpuseragent_has_any=dynamic(['curl'])", &["w2"]),
        (
            "httpuseragent_has_any=dynamic(['python', 'Mozilla'])",
            &["w1", "w3"],
        ),
        (
            "eventresultdetails_in=dynamic(['403', '404'])",
            &["w2", "w3"],
        ),
        ("eventresultdetails_has_any=dynamic(['200'])", &["w1"]),
        ("eventresult='Success'", &["w1"]),
        ("eventresult='Failure'", &["w2", "w3"]),
        (
            "starttime=datetime(2024-01-10), eventresult='Failure', url_has_any=dynamic(['contoso'])",
            &["w3"],
        ),
        ("disabled=true", &[]),
        (
            "url_has_any=dynamic([]), eventresult='*'",
            &["w1", "w2", "w3"],
        ),
    ];
    for (args, expected) in cases {
        for f in ["_Im_WebSession", "imWebSession", "_Im_WebSession_Native"] {
            assert_eq!(ids(&s, &format!("{f}({args})")), v(expected), "{f}({args})");
        }
    }
    // Aliases and normalized types of w2.
    let rs = run(
        &s,
        "_Im_WebSession(httpuseragent_has_any=dynamic(['curl'])) \
         | project IpAddr, UserAgent, HttpStatusCode, EventSchema, SrcBytes",
    );
    for (col, want) in [
        ("IpAddr", "10.2.0.7"),
        ("UserAgent", "curl/7.68"),
        ("HttpStatusCode", "404"),
        ("EventSchema", "WebSession"),
        ("SrcBytes", "1500"),
    ] {
        assert_eq!(column(&rs, col), vec![want.to_string()], "{col}");
    }
    let src_bytes = rs
        .columns
        .iter()
        .find(|c| c.name == "SrcBytes")
        .expect("col");
    assert_eq!(src_bytes.ty, KqlType::Long);
}

/// Without the native table (a data directory that lacks it) the unifying parser still
/// returns the full normalized schema, with no rows; the native parser itself is an error.
#[test]
fn unifying_parsers_tolerate_a_missing_native_table() {
    let s = Session::new(SessionOptions {
        now_ns: kql_planner::parse_datetime_text(NOW),
        no_builtin_schemas: true,
        ..SessionOptions::default()
    })
    .expect("session");
    let out = s
        .run("_Im_NetworkSession(starttime=ago(1d))")
        .expect("runs");
    assert_eq!(out.results[0].num_rows(), 0);
    assert_eq!(out.results[0].columns.len(), 196);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message.contains("ASimNetworkSessionLogs")),
        "{:?}",
        out.warnings
    );
    let Err(e) = s.plan("_Im_NetworkSession_Native") else {
        panic!("the native parser should fail without its table");
    };
    assert!(
        e.message.contains("ASimNetworkSessionLogs"),
        "{}",
        e.message
    );
}

/// The filters on parameters are plain comparisons once the parameters are constants: the
/// optimized plan filters the scan with `TimeGenerated >= ...` and `DstPortNumber = 443`,
/// and no unset parameter leaves a residual `IS NULL OR ...` test.
#[test]
fn network_session_filters_reach_the_scan() {
    let s = network_sessions();
    let (logical, _) = s
        .explain("_Im_NetworkSession(starttime=datetime(2024-01-10), dstportnumber=443)")
        .expect("explain");
    let optimized = logical
        .split("-- optimized --")
        .nth(1)
        .expect("optimized plan");
    let filter = optimized
        .lines()
        .find(|l| l.trim_start().starts_with("Filter:"))
        .unwrap_or_else(|| panic!("no filter in\n{optimized}"));
    assert!(
        filter.contains(
            "asimnetworksessionlogs.TimeGenerated >= TimestampNanosecond(1704844800000000000"
        ) && filter.contains("asimnetworksessionlogs.DstPortNumber = Int32(443)"),
        "{filter}"
    );
    assert!(!optimized.contains("IS NULL OR"), "{optimized}");
}

/// `_ASIM_GetWatchlistRaw(alias)` returns one row per watchlist item with the item's columns
/// as a bag in `WatchlistItem`, as the rules that call it read it. The expected bags are
/// built from the CSV written here.
#[test]
fn asim_get_watchlist_raw_returns_items_as_bags() {
    let dir = temp_dir("watchlist-raw");
    std::fs::create_dir_all(dir.join("watchlists")).expect("mkdir");
    std::fs::write(
        dir.join("watchlists/Web_RiskyCommandsInUrl.csv"),
        "Commands,Note\nwhoami,recon\n\"cmd.exe /c\",\"shell, quoted\"\n",
    )
    .expect("write csv");
    let mut s = session();
    s.open_data_dir(&dir).expect("data dir");
    let rs = run(
        &s,
        "_ASIM_GetWatchlistRaw('Web_RiskyCommandsInUrl') \
         | extend Commands = tostring(WatchlistItem['Commands']) | order by Commands asc",
    );
    assert_eq!(
        column(&rs, "WatchlistItem"),
        vec![
            r#"{"Commands":"cmd.exe /c","Note":"shell, quoted"}"#,
            r#"{"Commands":"whoami","Note":"recon"}"#,
        ]
    );
    assert_eq!(column(&rs, "Commands"), vec!["cmd.exe /c", "whoami"]);
}
