//! The `kql` binary end to end (one test binary): `check` output formats and exit codes,
//! planning the Sentinel corpus (`corpus`: non-ASIM rules; `asim_corpus`: ASIM rules over the
//! built-in parser library), golden results of the seed rules and example queries (`golden`),
//! the REPL (piped and on a pty), multi-rule `run`, `test`.

mod asim_corpus;
mod check;
mod common;
mod corpus;
mod golden;
mod repl;
mod repl_pty;
mod run_many;
mod test_cmd;
