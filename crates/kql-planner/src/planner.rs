//! The [`Planner`]: walks the statements of a query and lowers them to DataFusion plans.
//! Operator lowerings live in `operators/*.rs`, expression lowering in `expr/*.rs`; each is an
//! `impl Planner` block, in the manner of DataFusion's `SqlToRel`.

use crate::catalog::Catalog;
use crate::error::{self, PResult, err};
use crate::rel::Rel;
use crate::scope::{Binding, FunctionValue, Materialized, Scope};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::simplify::SimplifyContext;
use datafusion::logical_expr::{AggregateUDF, Expr, ExprSchemable, ScalarUDF};
use datafusion::optimizer::simplify_expressions::ExprSimplifier;
use kql_syntax::Diagnostic;
use kql_syntax::ast::{self, LetValue, Query, Span, StatementKind};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// Planner options.
#[derive(Clone, Debug)]
pub struct PlannerOptions {
    /// The query's `now()`, in nanoseconds since the Unix epoch (a multiple of 100).
    pub now_ns: i64,
    /// Maximum nesting depth while planning (pipelines, calls, function inlining).
    pub max_depth: usize,
    /// Planning for `kql check` only (the plan will not run): sources that cannot be read
    /// locally (`externaldata`) become empty tables of their declared schema instead of
    /// failing.
    pub check_only: bool,
}

impl Default for PlannerOptions {
    fn default() -> Self {
        PlannerOptions {
            now_ns: 0,
            max_depth: 200,
            check_only: false,
        }
    }
}

/// The result of planning a query: one relation per tabular query statement, plus warnings
/// (ignored `render`, dropped `union isfuzzy` legs, ...).
#[derive(Debug)]
pub struct PlannedQuery {
    /// The tabular results, in statement order.
    pub results: Vec<Rel>,
    /// Warnings collected while planning.
    pub warnings: Vec<Diagnostic>,
}

/// Lowers KQL ASTs to DataFusion logical plans against a [`Catalog`].
pub struct Planner<'c> {
    pub(crate) catalog: &'c dyn Catalog,
    pub(crate) options: PlannerOptions,
    pub(crate) udfs: HashMap<String, Arc<ScalarUDF>>,
    pub(crate) udafs: HashMap<String, Arc<AggregateUDF>>,
    pub(crate) warnings: RefCell<Vec<Diagnostic>>,
    depth: Cell<usize>,
    /// Counter for unique internal names (subquery aliases, temporary columns).
    unique: Cell<usize>,
    /// Next `ColumnN` number: one counter per query, never reset between operators (as in
    /// Kusto's binder), saved and reset to 1 inside function bodies.
    column_counter: Cell<usize>,
}

impl<'c> Planner<'c> {
    /// A planner over `catalog` with `options`.
    pub fn new(catalog: &'c dyn Catalog, options: PlannerOptions) -> Self {
        // DataFusion's built-ins first (`abs`, `exp`, `greatest`, ...), then the KQL UDFs.
        let mut udfs: HashMap<String, Arc<ScalarUDF>> =
            datafusion::functions::all_default_functions()
                .into_iter()
                .chain(datafusion::functions_nested::all_default_nested_functions())
                .map(|u| (u.name().to_string(), u))
                .collect();
        udfs.extend(
            kql_functions::scalar_udfs()
                .into_iter()
                .map(|u| (u.name().to_string(), u)),
        );
        let udafs = kql_functions::aggregate_udfs()
            .into_iter()
            .map(|u| (u.name().to_string(), u))
            .collect();
        Planner {
            catalog,
            options,
            udfs,
            udafs,
            warnings: RefCell::new(Vec::new()),
            depth: Cell::new(0),
            unique: Cell::new(0),
            column_counter: Cell::new(1),
        }
    }

    /// Plans every statement of `query`.
    pub fn plan_query(&self, query: &Query) -> PResult<PlannedQuery> {
        let mut scope = Scope::root();
        let mut results = Vec::new();
        for stmt in &query.statements {
            match &stmt.node {
                StatementKind::Let(l) => {
                    scope = self.plan_let(&scope, l, &stmt.span)?;
                }
                StatementKind::Expr(e) => {
                    let rel = self.plan_tabular(&scope, e)?;
                    results.push(rel);
                }
                StatementKind::Set { name, .. } => {
                    self.warn(Diagnostic::warning(
                        error::NOT_SUPPORTED,
                        format!("query option `set {}` is ignored", name.name),
                        stmt.span.clone(),
                    ));
                }
                StatementKind::DeclareQueryParameters(_) => {
                    return Err(error::not_supported("declare query_parameters", &stmt.span));
                }
            }
        }
        if results.is_empty() {
            return Err(err(
                error::WRONG_KIND,
                "the query has no tabular expression statement to run",
                &query.span,
            ));
        }
        Ok(PlannedQuery {
            results,
            warnings: self.warnings.take(),
        })
    }

    /// Plans a `let` statement, returning the scope extended with its binding.
    pub(crate) fn plan_let(
        &self,
        scope: &Rc<Scope>,
        l: &ast::LetStmt,
        span: &Span,
    ) -> PResult<Rc<Scope>> {
        let name = l.name.name.clone();
        let binding = match &l.value {
            LetValue::Function(def) => Binding::Function(Rc::new(FunctionValue {
                name: name.clone(),
                def: def.clone(),
                scope: scope.clone(),
                foreign_source: None,
            })),
            LetValue::Expr(e) => self.bind_value(scope, e, span)?,
        };
        Ok(Scope::bind(scope, name, binding))
    }

    /// What `let x = e` binds: `materialize(...)` (lazily executed), a tabular value, or a
    /// scalar.
    fn bind_value(&self, scope: &Rc<Scope>, e: &ast::Expr, _span: &Span) -> PResult<Binding> {
        if let ast::ExprKind::Call { name, args } = &e.node
            && name.name == "materialize"
        {
            if args.len() != 1 || args[0].name.is_some() {
                return Err(err(
                    error::BAD_ARGUMENTS,
                    "materialize() takes exactly one tabular argument",
                    &e.span,
                ));
            }
            let rel = self.plan_tabular(scope, &args[0].value)?;
            return Ok(Binding::Materialized(Rc::new(Materialized {
                rel,
                cached: RefCell::new(None),
                span: e.span.clone(),
            })));
        }
        if self.is_tabular(scope, e) {
            return Ok(Binding::Tabular(self.plan_tabular(scope, e)?));
        }
        let rel = Rel::one_row();
        let typed = self.lower_expr(&self.ctx(&rel, scope), e)?;
        Ok(Binding::Scalar(typed))
    }

    /// Records a warning.
    pub(crate) fn warn(&self, d: Diagnostic) {
        self.warnings.borrow_mut().push(d);
    }

    /// A fresh internal name with `prefix`.
    pub(crate) fn fresh(&self, prefix: &str) -> String {
        let n = self.unique.get() + 1;
        self.unique.set(n);
        format!("__kql_{prefix}_{n}")
    }

    /// The next default column name `ColumnN` not in `taken` and not a bound name.
    pub(crate) fn default_column_name(&self, taken: &[String], scope: &Rc<Scope>) -> String {
        loop {
            let n = self.column_counter.get();
            self.column_counter.set(n + 1);
            let name = format!("Column{n}");
            if !taken.contains(&name) && scope.lookup(&name).is_none() {
                return name;
            }
        }
    }

    /// Runs `f` with the `ColumnN` counter reset to 1 (a function body), restoring it after.
    pub(crate) fn with_fresh_column_counter<T>(&self, f: impl FnOnce() -> T) -> T {
        let saved = self.column_counter.replace(1);
        let r = f();
        self.column_counter.set(saved);
        r
    }

    /// Runs `f` one nesting level deeper, failing cleanly past the depth limit.
    pub(crate) fn nested<T>(&self, span: &Span, f: impl FnOnce() -> PResult<T>) -> PResult<T> {
        let d = self.depth.get();
        if d >= self.options.max_depth {
            return Err(err(
                error::TOO_DEEP,
                format!(
                    "the query is nested too deeply to plan (more than {} levels)",
                    self.options.max_depth
                ),
                span,
            ));
        }
        self.depth.set(d + 1);
        let r = f();
        self.depth.set(d);
        r
    }

    /// The scalar UDF registered as `name` (a `kql_` name from kql-functions).
    pub(crate) fn udf(&self, name: &str, span: &Span) -> PResult<Arc<ScalarUDF>> {
        self.udfs.get(name).cloned().ok_or_else(|| {
            error::not_supported(
                format!(
                    "{} (function implementation `{name}` is missing)",
                    kql_name(name)
                ),
                span,
            )
        })
    }

    /// The aggregate UDF registered as `name`.
    pub(crate) fn udaf(&self, name: &str, span: &Span) -> PResult<Arc<AggregateUDF>> {
        self.udafs.get(name).cloned().ok_or_else(|| {
            error::not_supported(
                format!(
                    "{} (aggregate implementation `{name}` is missing)",
                    kql_name(name)
                ),
                span,
            )
        })
    }

    /// Physical type of `expr` evaluated over `rel`.
    pub(crate) fn dtype(&self, expr: &Expr, rel: &Rel, span: &Span) -> PResult<DataType> {
        expr.get_type(rel.plan.schema().as_ref())
            .map_err(|e| error::df_err(e, span))
    }

    /// Evaluates a constant expression at plan time (type coercion + constant folding).
    /// Returns `None` when the expression is not constant.
    pub(crate) fn const_eval(&self, expr: &Expr) -> Option<ScalarValue> {
        if let Expr::Literal(v, _) = expr {
            return Some(v.clone());
        }
        let schema = Arc::new(DFSchema::empty());
        let simplifier = ExprSimplifier::new(
            SimplifyContext::builder()
                .with_schema(schema.clone())
                .build(),
        );
        let coerced = simplifier.coerce(expr.clone(), &schema).ok()?;
        match simplifier.simplify(coerced).ok()? {
            Expr::Literal(v, _) => Some(v),
            _ => None,
        }
    }
}

/// The KQL name behind a `kql_` UDF name (for messages).
fn kql_name(udf: &str) -> &str {
    udf.strip_prefix("kql_").unwrap_or(udf)
}
