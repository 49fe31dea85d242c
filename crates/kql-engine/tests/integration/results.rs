//! Runs every case of every `tests/results/**/*.kqltest` file. Each case records where its
//! expected answer comes from (`source:`); see `docs/kqltest-format.md`.

use kql_engine::kqltest::{parse_file, run_case};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            // `pending/` holds cases that expose known engine bugs; they are not run.
            if p.file_name().is_some_and(|n| n == "pending") {
                continue;
            }
            files(&p, out);
        } else if p.extension().and_then(|x| x.to_str()) == Some("kqltest") {
            out.push(p);
        }
    }
}

#[test]
fn kqltest_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/results");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    let filter = std::env::var("KQLTEST_FILTER").ok();
    let mut total = 0;
    let mut unverified = 0;
    let mut failures = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("readable test file");
        let cases = match parse_file(&text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{}: {e}", p.display()));
                continue;
            }
        };
        for case in cases {
            if let Some(f) = &filter
                && !case.name.contains(f.as_str())
            {
                continue;
            }
            total += 1;
            if case.unverified {
                unverified += 1;
            }
            if let Err(e) = run_case(&case) {
                failures.push(format!(
                    "{}:{} `{}`\n{e}",
                    p.display(),
                    case.line,
                    case.name
                ));
            }
        }
    }
    println!(
        "kqltest: {total} cases ({unverified} unverified), {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    if filter.is_none() {
        assert!(
            total >= 380,
            "expected the result suite to have cases, found {total}"
        );
    }
}
