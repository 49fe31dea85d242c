//! The rustyline helper: completion, highlighting, history hints and block validation, all
//! delegating to the terminal-independent modules.

use super::complete::{Completion, CompletionSource, complete};
use super::highlight::highlight;
use super::input::{BlockState, block_state};
use kql_engine::Session;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// Completion data from a live session.
impl CompletionSource for Session {
    fn tables(&self) -> Vec<String> {
        Session::tables(self)
    }

    fn stored_functions(&self) -> Vec<String> {
        self.functions()
    }

    fn columns_of(&self, table: &str) -> Vec<String> {
        match self.table_columns(table) {
            Ok(Some(cols)) => cols.into_iter().map(|c| c.name).collect(),
            _ => Vec::new(),
        }
    }

    fn columns_of_query(&self, query: &str) -> Option<Vec<String>> {
        let planned = self.plan(query).ok()?;
        let rel = planned.results.last()?;
        Some(rel.columns.iter().map(|c| c.name.clone()).collect())
    }
}

/// The REPL's rustyline helper.
pub struct KqlHelper {
    session: Rc<RefCell<Session>>,
    hinter: HistoryHinter,
    files: FilenameCompleter,
}

impl KqlHelper {
    /// A helper over the shared session.
    pub fn new(session: Rc<RefCell<Session>>) -> KqlHelper {
        KqlHelper {
            session,
            hinter: HistoryHinter::new(),
            files: FilenameCompleter::new(),
        }
    }
}

impl Completer for KqlHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let Ok(session) = self.session.try_borrow() else {
            return Ok((pos, Vec::new()));
        };
        match complete(line, pos, &*session) {
            Completion::Path => self.files.complete(line, pos, ctx),
            Completion::Words { start, candidates } => Ok((
                start,
                candidates
                    .into_iter()
                    .map(|c| Pair {
                        display: c.clone(),
                        replacement: c,
                    })
                    .collect(),
            )),
        }
    }
}

impl Hinter for KqlHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for KqlHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        let tables = self
            .session
            .try_borrow()
            .map(|s| s.tables())
            .unwrap_or_default();
        Cow::Owned(highlight(line, &tables))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(format!("\x1b[90m{hint}\x1b[0m"))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        true
    }
}

impl Validator for KqlHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(match block_state(ctx.input()) {
            BlockState::Incomplete => ValidationResult::Incomplete,
            _ => ValidationResult::Valid(None),
        })
    }
}

impl Helper for KqlHelper {}
