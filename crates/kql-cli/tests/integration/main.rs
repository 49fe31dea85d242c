//! The `kql` binary end to end (one test binary): `check` output formats and exit codes,
//! planning the Sentinel corpus, the REPL (piped and on a pty), multi-rule `run`, `test`.

mod check;
mod common;
mod corpus;
mod repl;
mod repl_pty;
mod run_many;
mod test_cmd;
