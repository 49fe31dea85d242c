//! `kql test`: the example cases under `queries/tests` pass; a wrong expectation fails with a
//! diff; `--update` rewrites expectations; malformed cases are reported.

use super::common::{kql_with, repo_root, sample_data, temp_dir, write};
use std::path::Path;

fn kql_test(args: &[&str], cwd: Option<&Path>) -> (String, String, Option<i32>) {
    let out = kql_with(args, cwd, "");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// Copies `queries/rules` and `queries/tests` into `dir/queries`.
fn copy_queries(dir: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read dir").flatten() {
            let p = e.path();
            let target = to.join(e.file_name());
            if p.is_dir() {
                copy(&p, &target);
            } else {
                std::fs::copy(&p, &target).expect("copy");
            }
        }
    }
    let q = repo_root().join("queries");
    copy(&q.join("rules"), &dir.join("queries/rules"));
    copy(&q.join("tests"), &dir.join("queries/tests"));
}

#[test]
fn the_example_cases_pass() {
    // The default folder is queries/tests (relative to the working directory).
    let (out, err, code) = kql_test(&["test"], Some(&repo_root()));
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("PASS  port sweep fires for the source that hit three ports"),
        "{out}"
    );
    assert!(
        out.contains("PASS  port sweep does not fire on two ports"),
        "{out}"
    );
    assert!(
        out.contains("PASS  clients with two or more server errors"),
        "{out}"
    );
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");
}

#[test]
fn a_wrong_expectation_fails_with_a_diff_and_update_fixes_it() {
    let d = temp_dir("test-wrong");
    copy_queries(&d);
    let expected = d.join("queries/tests/port_sweep/expected.csv");
    let good = std::fs::read_to_string(&expected).expect("expected.csv");
    // Claim 4 ports instead of 3.
    std::fs::write(&expected, good.replace("10.0.0.5,3,", "10.0.0.5,4,")).expect("write");
    // And claim that the quiet case fires.
    let quiet = d.join("queries/tests/port_sweep_quiet.test.yaml");
    let text = std::fs::read_to_string(&quiet).expect("read");
    std::fs::write(
        &quiet,
        text.replace("expect: does not fire", "expect:\n  fires: true"),
    )
    .expect("write");

    let (out, _, code) = kql_test(&["test"], Some(&d));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "FAIL  port sweep fires for the source that hit three ports  (queries/tests/port_sweep/test.yaml)\n  rows differ (expected 1, got 1, order ignored); - expected only, + actual only:\n      SrcIpAddr:string,Ports:long,FirstSeen:datetime,LastSeen:datetime\n    - 10.0.0.5,4,2024-05-01T11:10:00Z,2024-05-01T11:30:00Z\n    + 10.0.0.5,3,2024-05-01T11:10:00Z,2024-05-01T11:30:00Z\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  expected the rule to fire, but it did not fire (0 rows)"),
        "{out}"
    );
    assert!(out.ends_with("1 passed, 2 failed\n"), "{out}");

    // --update rewrites both expectations; afterwards everything passes.
    let (out, _, code) = kql_test(&["test", "--update"], Some(&d));
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("UPDATED  port sweep does not fire on two ports: fires: false"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&expected).expect("read"), good);
    assert!(
        std::fs::read_to_string(&quiet)
            .expect("read")
            .contains("expect:\n  fires: false\n")
    );
    let (out, _, code) = kql_test(&["test", "queries/tests"], Some(&d));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");
}

#[test]
fn inline_rows_parquet_fixtures_and_update_of_inline_rows() {
    let d = temp_dir("test-inline");
    let data = sample_data(&d);
    write(
        &d,
        "rule.kql",
        "NetLogs | summarize Ports = make_set(DstPortNumber), n = count() by SrcIpAddr\n| extend Ports = array_sort_asc(Ports)\n",
    );
    // NetLogs (Parquet): 10.0.0.1 -> 22, 443; 10.0.0.2 -> 80.
    let case = write(
        &d,
        "ports.test.yaml",
        &format!(
            "rule: rule.kql\ntables:\n  NetLogs: {}\nexpect:\n  rows: |\n    SrcIpAddr:string,Ports:dynamic,n:long\n    10.0.0.2,[80],1\n    10.0.0.1,\"[22, 443]\",2\n",
            data.join("NetLogs.parquet").display()
        ),
    );
    let (out, _, code) = kql_test(&["test", &case], None);
    assert_eq!(code, Some(0), "{out}");
    // A stale inline expectation is rewritten in place, keeping the rest of the file.
    let text = std::fs::read_to_string(&case).expect("read");
    std::fs::write(&case, text.replace("10.0.0.2,[80],1", "10.0.0.2,[81],1")).expect("write");
    let (out, _, code) = kql_test(&["test", &case], None);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("    - 10.0.0.2,[81],1\n    + 10.0.0.2,[80],1\n"),
        "{out}"
    );
    let (out, _, code) = kql_test(&["test", "--update", &case], None);
    assert_eq!(code, Some(0), "{out}");
    let updated = std::fs::read_to_string(&case).expect("read");
    assert!(
        updated.starts_with("rule: rule.kql\ntables:\n"),
        "{updated}"
    );
    assert!(
        updated.contains("  rows: |\n    SrcIpAddr:string,Ports:dynamic,n:long\n"),
        "{updated}"
    );
    assert!(updated.contains("    10.0.0.2,[80],1\n"), "{updated}");
    assert!(
        updated.contains("    10.0.0.1,\"[22,443]\",2\n"),
        "{updated}"
    );
}

#[test]
fn malformed_cases_are_reported() {
    let d = temp_dir("test-bad");
    write(&d, "r.kql", "T | take 1\n");
    write(&d, "a.test.yaml", "rule: r.kql\nexpct: fires\n");
    write(&d, "b.test.yaml", "rule: missing.kql\nexpect: fires\n");
    write(
        &d,
        "c.test.yaml",
        "rule: r.kql\ntables:\n  T: |\n    When:datetime\n    not a date\nexpect: fires\n",
    );
    write(&d, "d.test.yaml", "rule: r.kql\n");
    write(&d, "e.test.yaml", "rule: r.kql\nexpect: does not fire\n");
    let (out, _, code) = kql_test(&["test", &d.to_string_lossy()], None);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("unknown key `expct`; did you mean `expect`?"),
        "{out}"
    );
    assert!(out.contains("missing.kql not found"), "{out}");
    assert!(
        out.contains("table `T`: row 1, column `When`: `not a date` is not a valid datetime"),
        "{out}"
    );
    assert!(out.contains("nothing to check"), "{out}");
    // No table T: the rule itself fails, shown with its diagnostic.
    assert!(out.contains("the rule failed:"), "{out}");
    assert!(out.contains("error[KQL2011]"), "{out}");
    assert!(out.ends_with("0 passed, 5 failed\n"), "{out}");
    // Nothing to run: exit 2.
    let empty = temp_dir("test-empty");
    let (_, err, code) = kql_test(&["test", &empty.to_string_lossy()], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("no test cases"), "{err}");
}

#[test]
fn kqltest_files_run_too() {
    let d = temp_dir("test-kqltest");
    // 7 % 3 = 1 (hand); the second case claims 2 and must fail.
    let f = write(
        &d,
        "mod.kqltest",
        "=== modulo\nsource: hand: 7 = 2*3 + 1\nquery:\nprint r = 7 % 3\nexpect:\nr:long\n1\n=== wrong on purpose\nsource: hand: 7 % 3 is 1, not 2\nquery:\nprint r = 7 % 3\nexpect:\nr:long\n2\n",
    );
    let (out, _, code) = kql_test(&["test", &f], None);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("PASS  {f}: modulo")), "{out}");
    assert!(
        out.contains(&format!("FAIL  {f}: wrong on purpose  (line 8)")),
        "{out}"
    );
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");
}
