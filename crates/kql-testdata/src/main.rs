//! `kql-testdata [--out DIR]`: writes the sample workspace (default `testdata`).
//! `kql-testdata --scale ROWS [--out DIR] [--row-group-rows N]`: writes a workspace with
//! `ROWS` network sessions for benchmarks (default `target/bench-data/ROWS`).

use kql_testdata::scale::parse_count;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: kql-testdata [--out DIR]   (default: testdata)\n       \
     kql-testdata --scale ROWS [--out DIR] [--row-group-rows N]   (default: target/bench-data/ROWS)";

fn main() -> ExitCode {
    let mut out: Option<PathBuf> = None;
    let mut scale: Option<u64> = None;
    let mut row_group_rows: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |what: &str| {
            args.next()
                .ok_or_else(|| format!("error: {a} needs {what}\n{USAGE}"))
        };
        let parsed = match a.as_str() {
            "--out" => value("a directory").map(|d| out = Some(PathBuf::from(d))),
            "--scale" => value("a row count").and_then(|n| {
                parse_count(&n)
                    .map(|n| scale = Some(n))
                    .ok_or_else(|| format!("error: bad row count `{n}`"))
            }),
            "--row-group-rows" => value("a row count").and_then(|n| {
                parse_count(&n)
                    .map(|n| row_group_rows = Some(n as usize))
                    .ok_or_else(|| format!("error: bad row count `{n}`"))
            }),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("error: unknown argument `{other}`\n{USAGE}")),
        };
        if let Err(e) = parsed {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    if let Some(rows) = scale {
        let dir = out.unwrap_or_else(|| PathBuf::from(format!("target/bench-data/{rows}")));
        let mut opts = kql_testdata::scale::ScaleOptions::new(rows, dir);
        if let Some(n) = row_group_rows {
            opts.row_group_rows = n;
        }
        let started = std::time::Instant::now();
        return match kql_testdata::scale::generate_scale(&opts) {
            Ok(r) => {
                println!(
                    "wrote {} rows of ASimNetworkSessionLogs in {:.1} s ({} planted at factor {}, {} background) to {}",
                    r.rows,
                    started.elapsed().as_secs_f64(),
                    r.planted,
                    r.factor,
                    r.background,
                    opts.out.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let out = out.unwrap_or_else(|| PathBuf::from("testdata"));
    match kql_testdata::generate(&out) {
        Ok(files) => {
            for f in files {
                println!("wrote {}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
