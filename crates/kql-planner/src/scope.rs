//! Let-scopes: what a name bound by `let` (or a function parameter) stands for.
//!
//! Scopes are persistent linked lists (`Rc<Scope>`), so a user-defined function captures the
//! scope it was defined in, and a nested scope never disturbs its parent.

use crate::expr::Typed;
use crate::rel::Rel;
use kql_syntax::ast::{FunctionDef, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// A user-defined function value: its definition, the scope it captured, and the source text
/// its spans point into.
#[derive(Debug)]
pub struct FunctionValue {
    /// Function name (for messages).
    pub name: String,
    /// The definition.
    pub def: FunctionDef,
    /// The scope at the definition site.
    pub scope: Rc<Scope>,
    /// The source text of the definition when it is not the query itself (stored functions).
    pub foreign_source: Option<(Arc<str>, String)>,
}

/// What a name stands for.
#[derive(Clone, Debug)]
pub enum Binding {
    /// A scalar value (inlined where referenced).
    Scalar(Typed),
    /// A tabular value (its plan is reused where referenced).
    Tabular(Rel),
    /// `materialize(...)`: executed once on first use, then reused.
    Materialized(Rc<Materialized>),
    /// A user-defined function.
    Function(Rc<FunctionValue>),
}

/// A materialized tabular value: planned, executed at most once.
#[derive(Debug)]
pub struct Materialized {
    /// The un-executed relation.
    pub rel: Rel,
    /// The executed result, once computed.
    pub cached: RefCell<Option<Rel>>,
    /// Where the `materialize` was written (for error messages).
    pub span: Span,
}

/// One level of let bindings.
#[derive(Debug, Default)]
pub struct Scope {
    vars: HashMap<String, Binding>,
    parent: Option<Rc<Scope>>,
}

impl Scope {
    /// The empty root scope.
    pub fn root() -> Rc<Scope> {
        Rc::new(Scope::default())
    }

    /// A child of `parent` binding `name` to `value`.
    pub fn bind(parent: &Rc<Scope>, name: impl Into<String>, value: Binding) -> Rc<Scope> {
        let mut vars = HashMap::new();
        vars.insert(name.into(), value);
        Rc::new(Scope {
            vars,
            parent: Some(parent.clone()),
        })
    }

    /// A child of `parent` binding several names at once (function parameters).
    pub fn bind_all(parent: &Rc<Scope>, values: Vec<(String, Binding)>) -> Rc<Scope> {
        Rc::new(Scope {
            vars: values.into_iter().collect(),
            parent: Some(parent.clone()),
        })
    }

    /// The innermost binding of `name`.
    pub fn lookup(&self, name: &str) -> Option<&Binding> {
        match self.vars.get(name) {
            Some(b) => Some(b),
            None => self.parent.as_ref().and_then(|p| p.lookup(name)),
        }
    }

    /// Every bound name (for suggestions).
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = self.vars.keys().cloned().collect();
        if let Some(p) = &self.parent {
            out.extend(p.names());
        }
        out
    }
}
