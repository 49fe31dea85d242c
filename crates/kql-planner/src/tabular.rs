//! Tabular expressions: names (tables, let-bound tables, materialized values, functions),
//! pipelines, and the source forms `datatable`, `print`, `range`.

use crate::error::{self, DfResultExt, PResult, err, with_suggestion};
use crate::expr::{ExprCtx, Typed};
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::{Binding, FunctionValue, Materialized, Scope};
use crate::types::KqlType;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::catalog::MemTable;
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{EmptyRelation, Expr, LogicalPlan, LogicalPlanBuilder, cast, lit};
use kql_syntax::ast::{self, ExprKind, OperatorKind, ParamType, Span};
use std::rc::Rc;
use std::sync::Arc;

/// Code for a table or function that cannot be resolved (what `union isfuzzy=true` skips).
pub const UNKNOWN_TABLE: &str = "KQL2011";

impl<'c> Planner<'c> {
    /// True when `e` denotes a table (used to tell tabular from scalar `let`s, `in`
    /// operands and function arguments without planning them).
    pub(crate) fn is_tabular(&self, scope: &Rc<Scope>, e: &ast::Expr) -> bool {
        match &e.node {
            ExprKind::Pipeline { .. } | ExprKind::Datatable { .. } | ExprKind::Source(_) => true,
            ExprKind::NamePattern(_) => true,
            ExprKind::Name(id) => match scope.lookup(&id.name) {
                Some(Binding::Tabular(_)) | Some(Binding::Materialized(_)) => true,
                Some(Binding::Scalar(_)) => false,
                Some(Binding::Function(f)) => self.function_is_tabular(f),
                None => {
                    if let Some(sf) = self.catalog.function(&id.name) {
                        return self.function_is_tabular(&self.stored_value(&sf));
                    }
                    self.catalog.table_names().iter().any(|t| t == &id.name)
                }
            },
            ExprKind::Call { name, .. } => match scope.lookup(&name.name) {
                Some(Binding::Function(f)) => self.function_is_tabular(f),
                Some(_) => false,
                None => {
                    if matches!(name.name.as_str(), "materialize" | "_GetWatchlist" | "view") {
                        return true;
                    }
                    if crate::functions::lookup(&name.name).is_some() {
                        return false;
                    }
                    match self.catalog.function(&name.name) {
                        Some(sf) => self.function_is_tabular(&self.stored_value(&sf)),
                        // An unknown call in a tabular position is most likely a missing
                        // stored function (e.g. an ASIM parser); treat it as tabular so the
                        // error says so.
                        None => {
                            name.name.starts_with('_')
                                || name.name.starts_with("im")
                                || name.name.starts_with("ASim")
                        }
                    }
                }
            },
            _ => false,
        }
    }

    fn function_is_tabular(&self, f: &FunctionValue) -> bool {
        // Parameters shadow outer names: tabular ones as tables, scalar ones as scalars.
        let params = f
            .def
            .params
            .iter()
            .map(|p| {
                let b = match p.ty {
                    ParamType::Tabular { .. } => Binding::Tabular(Rel::one_row()),
                    ParamType::Scalar(_) => Binding::Scalar(Typed::null(KqlType::Dynamic)),
                };
                (p.name.name.clone(), b)
            })
            .collect();
        let mut scope = Scope::bind_all(&f.scope, params);
        for l in &f.def.body.lets {
            let b = match &l.node.value {
                ast::LetValue::Function(def) => Binding::Function(Rc::new(FunctionValue {
                    name: l.node.name.name.clone(),
                    def: def.clone(),
                    scope: scope.clone(),
                    foreign_source: None,
                })),
                ast::LetValue::Expr(e) => {
                    if self.is_tabular(&scope, e) {
                        Binding::Tabular(Rel::one_row())
                    } else {
                        Binding::Scalar(Typed::null(KqlType::Dynamic))
                    }
                }
            };
            scope = Scope::bind(&scope, l.node.name.name.clone(), b);
        }
        self.is_tabular(&scope, &f.def.body.expr)
    }

    /// A stored function as a function value.
    pub(crate) fn stored_value(&self, sf: &crate::catalog::StoredFunction) -> FunctionValue {
        FunctionValue {
            name: sf.name.clone(),
            def: sf.def.clone(),
            scope: Scope::root(),
            foreign_source: Some((sf.source.clone(), sf.origin.clone())),
        }
    }

    /// Plans a tabular expression.
    pub(crate) fn plan_tabular(&self, scope: &Rc<Scope>, e: &ast::Expr) -> PResult<Rel> {
        self.plan_tabular_with_input(scope, e, None)
    }

    /// Plans a tabular expression; `input` is the implicit input of a contextual subquery
    /// (`mv-apply ... on (summarize ...)`).
    pub(crate) fn plan_tabular_with_input(
        &self,
        scope: &Rc<Scope>,
        e: &ast::Expr,
        input: Option<&Rel>,
    ) -> PResult<Rel> {
        self.nested(&e.span, || match &e.node {
            ExprKind::Pipeline { source, ops } => {
                let mut rel = match source {
                    Some(s) => self.plan_tabular_with_input(scope, s, input)?,
                    None => match input {
                        Some(r) => r.clone(),
                        None => {
                            return Err(err(
                                error::WRONG_KIND,
                                "this pipeline has no input (a contextual subquery is only valid inside mv-apply, partition or facet)",
                                &e.span,
                            ));
                        }
                    },
                };
                for op in ops {
                    rel = self.plan_operator(scope, rel, op)?;
                }
                Ok(rel)
            }
            ExprKind::Name(id) => self.plan_table_name(scope, id),
            ExprKind::Call { name, args } => self.plan_tabular_call(scope, name, args, &e.span),
            ExprKind::Datatable { columns, values } => self.plan_datatable(scope, columns, values, &e.span),
            ExprKind::Source(op) => self.plan_source(scope, op),
            ExprKind::NamePattern(id) => Err(err(
                error::WRONG_KIND,
                format!("the table pattern `{}` is only valid as a union leg", id.name),
                &e.span,
            )),
            _ => Err(err(
                error::WRONG_KIND,
                "expected a tabular expression (a table, a let-bound table or a pipeline)",
                &e.span,
            )),
        })
    }

    /// A name in tabular position: let-bound table, materialized value, zero-argument
    /// function, stored function, or catalog table.
    fn plan_table_name(&self, scope: &Rc<Scope>, id: &ast::Ident) -> PResult<Rel> {
        match scope.lookup(&id.name) {
            Some(Binding::Tabular(r)) => return Ok(r.clone()),
            Some(Binding::Materialized(m)) => return self.materialized(m),
            Some(Binding::Function(f)) => {
                let f = f.clone();
                return self.call_tabular_function(scope, &f, &[], &id.span);
            }
            Some(Binding::Scalar(_)) => {
                return Err(err(
                    error::WRONG_KIND,
                    format!("`{}` is a scalar value, not a table", id.name),
                    &id.span,
                ));
            }
            None => {}
        }
        if let Some(sf) = self.catalog.function(&id.name) {
            let f = Rc::new(self.stored_value(&sf));
            return self.call_tabular_function(scope, &f, &[], &id.span);
        }
        match self.catalog.table(&id.name) {
            Ok(Some(rel)) => Ok(rel),
            Ok(None) => Err(self.unknown_table(scope, &id.name, &id.span)),
            Err(e) => Err(err(
                e.code,
                format!("table `{}`: {}", id.name, e.message),
                &id.span,
            )),
        }
    }

    /// The "unknown table" error with a suggestion.
    pub(crate) fn unknown_table(
        &self,
        scope: &Rc<Scope>,
        name: &str,
        span: &Span,
    ) -> kql_syntax::Diagnostic {
        let d = err(
            UNKNOWN_TABLE,
            format!("unknown table or function `{name}`"),
            span,
        );
        let mut cands = self.catalog.table_names();
        cands.extend(self.catalog.function_names());
        cands.extend(scope.names());
        with_suggestion(d, name, cands.iter().map(|s| s.as_str()))
    }

    /// Executes a materialized value once and returns a relation over the cached rows.
    pub(crate) fn materialized(&self, m: &Materialized) -> PResult<Rel> {
        if let Some(r) = m.cached.borrow().as_ref() {
            return Ok(r.clone());
        }
        let rel = self.execute_to_rel(&m.rel, &m.span)?;
        *m.cached.borrow_mut() = Some(rel.clone());
        Ok(rel)
    }

    /// Executes `rel` now and returns a relation scanning the in-memory result.
    pub(crate) fn execute_to_rel(&self, rel: &Rel, span: &Span) -> PResult<Rel> {
        let batches = self
            .catalog
            .execute(rel.plan.clone())
            .map_err(|e| err(e.code, e.message, span))?;
        let schema = Arc::new(Schema::new(
            rel.plan
                .schema()
                .fields()
                .iter()
                .zip(&rel.columns)
                .map(|(f, c)| Field::new(&c.name, f.data_type().clone(), true))
                .collect::<Vec<_>>(),
        ));
        let batches = batches
            .into_iter()
            .map(|b| b.with_schema(schema.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(error::EXECUTION, format!("materialize: {e}"), span))?;
        let table = MemTable::try_new(schema, vec![batches]).at(span)?;
        let name = self.fresh("materialized");
        let plan = LogicalPlanBuilder::scan(name, provider_as_source(Arc::new(table)), None)
            .at(span)?
            .build()
            .at(span)?;
        let scanned = Rel::new(plan, rel.columns.clone());
        let all: Vec<usize> = (0..scanned.columns.len()).collect();
        scanned.select(&all).at(span)
    }

    /// A call in tabular position: `materialize(T)`, `_GetWatchlist('alias')`, a user or
    /// stored function.
    fn plan_tabular_call(
        &self,
        scope: &Rc<Scope>,
        name: &ast::Ident,
        args: &[ast::Arg],
        span: &Span,
    ) -> PResult<Rel> {
        if let Some(Binding::Function(f)) = scope.lookup(&name.name) {
            let f = f.clone();
            return self.call_tabular_function(scope, &f, args, span);
        }
        match name.name.as_str() {
            "materialize" => {
                if args.len() != 1 {
                    return Err(err(
                        error::BAD_ARGUMENTS,
                        "materialize() takes one argument",
                        span,
                    ));
                }
                let rel = self.plan_tabular(scope, &args[0].value)?;
                return self.execute_to_rel(&rel, span);
            }
            "_GetWatchlist" => {
                let alias = self.watchlist_alias(scope, args, span)?;
                return match self.catalog.watchlist(&alias) {
                    Ok(Some(rel)) => Ok(rel),
                    // `kql check` without the watchlist: its standard columns only.
                    Ok(None) if self.options.check_only => {
                        self.warn(kql_syntax::Diagnostic::warning(
                            UNKNOWN_TABLE,
                            format!("watchlist `{alias}` is not available; planned as an empty table with its known layout"),
                            args[0].value.span.clone(),
                        ));
                        let mut cols = vec![
                            Col::new("_DTItemId", KqlType::String),
                            Col::new("LastUpdatedTimeUTC", KqlType::DateTime),
                            Col::new("SearchKey", KqlType::String),
                        ];
                        for c in self.catalog.watchlist_layout(&alias).unwrap_or_default() {
                            if !cols.iter().any(|x| x.name == c) {
                                cols.push(Col::new(c, KqlType::String));
                            }
                        }
                        self.values_rel(cols, vec![], span)
                    }
                    Ok(None) => Err(err(
                        UNKNOWN_TABLE,
                        format!(
                            "unknown watchlist `{alias}` (expected a file watchlists/{alias}.csv in the data directory)"
                        ),
                        &args[0].value.span,
                    )),
                    Err(e) => Err(err(
                        e.code,
                        format!("watchlist `{alias}`: {}", e.message),
                        span,
                    )),
                };
            }
            _ => {}
        }
        if let Some(sf) = self.catalog.function(&name.name) {
            let f = Rc::new(self.stored_value(&sf));
            return self.call_tabular_function(scope, &f, args, span);
        }
        if crate::functions::lookup(&name.name).is_some() {
            return Err(err(
                error::WRONG_KIND,
                format!(
                    "`{}` is a scalar function and cannot be used as a table",
                    name.name
                ),
                &name.span,
            ));
        }
        Err(self.unknown_table(scope, &name.name, &name.span))
    }

    /// The alias argument of `_GetWatchlist(alias)`: a constant string (a literal, or a
    /// function parameter bound to one, as in a stored function that wraps it).
    fn watchlist_alias(
        &self,
        scope: &Rc<Scope>,
        args: &[ast::Arg],
        span: &Span,
    ) -> PResult<String> {
        let usage = || {
            err(
                error::BAD_ARGUMENTS,
                "_GetWatchlist() takes one constant string: the watchlist alias",
                span,
            )
        };
        let [arg] = args else {
            return Err(usage());
        };
        let empty = Rel::one_row();
        let t = self.lower_expr(&self.ctx(&empty, scope), &arg.value)?;
        match self.const_eval(&t.expr) {
            Some(ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s))) => Ok(s),
            Some(ScalarValue::Utf8View(Some(s))) => Ok(s),
            _ => Err(usage()),
        }
    }

    /// Inlines a function whose body is tabular.
    pub(crate) fn call_tabular_function(
        &self,
        scope: &Rc<Scope>,
        f: &Rc<FunctionValue>,
        args: &[ast::Arg],
        span: &Span,
    ) -> PResult<Rel> {
        let empty = Rel::one_row();
        let ctx = ExprCtx {
            rel: &empty,
            scope,
            filter: false,
        };
        let bindings = self.bind_arguments(&ctx, f, args, span)?;
        self.in_function(f, span, || {
            let mut fscope = Scope::bind_all(&f.scope, bindings);
            for l in &f.def.body.lets {
                fscope = self.plan_let(&fscope, &l.node, &l.span)?;
            }
            if !self.is_tabular(&fscope, &f.def.body.expr) {
                return Err(err(
                    error::WRONG_KIND,
                    format!("function `{}` returns a scalar, not a table", f.name),
                    span,
                ));
            }
            self.plan_tabular(&fscope, &f.def.body.expr)
        })
    }

    /// `datatable(a:int, b:string)[1, "x", ...]`.
    fn plan_datatable(
        &self,
        scope: &Rc<Scope>,
        columns: &[ast::ColumnDecl],
        values: &[ast::Expr],
        span: &Span,
    ) -> PResult<Rel> {
        if columns.is_empty() {
            return Err(err(
                error::BAD_ARGUMENTS,
                "datatable needs at least one column",
                span,
            ));
        }
        let cols: Vec<Col> = columns
            .iter()
            .map(|c| Col::new(c.name.name.clone(), KqlType::from(c.ty.node)))
            .collect();
        self.check_unique(&cols, span)?;
        if !values.len().is_multiple_of(cols.len()) {
            return Err(err(
                error::BAD_ARGUMENTS,
                format!(
                    "datatable has {} columns but {} values (not a multiple)",
                    cols.len(),
                    values.len()
                ),
                span,
            ));
        }
        let empty = Rel::one_row();
        let ctx = self.ctx(&empty, scope);
        let mut rows = Vec::new();
        for chunk in values.chunks(cols.len()) {
            let mut row = Vec::new();
            for (v, c) in chunk.iter().zip(&cols) {
                let t = self.lower_expr(&ctx, v)?;
                let t = self.datatable_value(&ctx, t, c.ty, &v.span)?;
                let value = self.const_eval(&t.expr).ok_or_else(|| {
                    err(
                        error::NOT_CONSTANT,
                        "datatable values must be constants",
                        &v.span,
                    )
                })?;
                let value = if value.data_type() == c.ty.arrow() || value.is_null() {
                    value.cast_to(&c.ty.arrow()).unwrap_or(value)
                } else {
                    value
                        .cast_to(&c.ty.arrow())
                        .map_err(|e| error::df_err(e, &v.span))?
                };
                row.push(lit(value));
            }
            rows.push(row);
        }
        self.values_rel(cols, rows, span)
    }

    /// Converts a datatable cell to its column type (numeric promotion, typed nulls).
    fn datatable_value(&self, ctx: &ExprCtx, t: Typed, ty: KqlType, span: &Span) -> PResult<Typed> {
        if t.ty == ty {
            return Ok(t);
        }
        if let Some(v) = self.const_eval(&t.expr)
            && v.is_null()
        {
            return Ok(Typed::null(ty));
        }
        if t.ty.is_numeric() && ty.is_numeric() {
            return Ok(Typed::new(cast(t.expr, ty.arrow()), ty));
        }
        match (t.ty, ty) {
            (_, KqlType::Dynamic) => self.to_dynamic(ctx, t, span),
            (KqlType::String, KqlType::Guid) => Ok(Typed::new(t.expr, ty)),
            (from, to) => Err(err(
                error::TYPE_MISMATCH,
                format!("datatable column of type {to} cannot hold a {from} value"),
                span,
            )),
        }
    }

    /// A relation of literal rows (`rows` are literal expressions of the column types).
    pub(crate) fn values_rel(
        &self,
        cols: Vec<Col>,
        rows: Vec<Vec<Expr>>,
        span: &Span,
    ) -> PResult<Rel> {
        let fields: Vec<Field> = cols
            .iter()
            .map(|c| Field::new(&c.name, c.ty.arrow(), true))
            .collect();
        let schema = Arc::new(DFSchema::try_from(Schema::new(fields)).at(span)?);
        let plan = if rows.is_empty() {
            LogicalPlan::EmptyRelation(EmptyRelation {
                produce_one_row: false,
                schema,
            })
        } else {
            LogicalPlanBuilder::values_with_schema(rows, &schema)
                .at(span)?
                .build()
                .at(span)?
        };
        Ok(Rel::new(plan, cols))
    }

    /// Checks that column names are unique.
    pub(crate) fn check_unique(&self, cols: &[Col], span: &Span) -> PResult<()> {
        for (i, c) in cols.iter().enumerate() {
            if cols[..i].iter().any(|d| d.name == c.name) {
                return Err(err(
                    error::DUPLICATE_COLUMN,
                    format!("the column name `{}` is used more than once", c.name),
                    span,
                ));
            }
        }
        Ok(())
    }

    /// Source operators: `print`, `range`, `union` without input, ...
    fn plan_source(&self, scope: &Rc<Scope>, op: &ast::Operator) -> PResult<Rel> {
        match &op.node {
            OperatorKind::Print(items) => self.plan_print(scope, items, &op.span),
            OperatorKind::Range {
                name,
                from,
                to,
                step,
            } => self.plan_range(scope, name, from, to, step, &op.span),
            OperatorKind::Union { params, legs } => {
                self.plan_union(scope, None, params, legs, &op.span)
            }
            OperatorKind::Evaluate { .. } => {
                Err(error::not_supported("evaluate as a source", &op.span))
            }
            OperatorKind::Search { .. } => Err(error::not_supported("search", &op.span)),
            OperatorKind::Find {
                params,
                tables,
                predicate,
                project,
            } => self.plan_find(scope, params, tables, predicate, project.as_ref(), &op.span),
            OperatorKind::ExternalData { columns, .. } => {
                if !self.options.check_only {
                    return Err(error::not_supported(
                        "externaldata (this engine reads local Parquet only; load the file as a table instead)",
                        &op.span,
                    ));
                }
                self.warn(kql_syntax::Diagnostic::warning(
                    error::NOT_SUPPORTED,
                    "externaldata is planned as an empty table (it cannot be run)",
                    op.span.clone(),
                ));
                let cols: Vec<Col> = columns
                    .iter()
                    .map(|c| Col::new(c.name.name.clone(), KqlType::from(c.ty.node)))
                    .collect();
                self.values_rel(cols, vec![], &op.span)
            }
            _ => Err(err(
                error::WRONG_KIND,
                "this operator needs an input table (write `T | ...`)",
                &op.span,
            )),
        }
    }

    /// `print [name =] expr, ...`: one row; unnamed columns are `print_<position>`.
    fn plan_print(
        &self,
        scope: &Rc<Scope>,
        items: &[ast::Assignment],
        span: &Span,
    ) -> PResult<Rel> {
        let base = Rel::one_row();
        let ctx = self.ctx(&base, scope);
        let mut exprs = Vec::new();
        let mut cols = Vec::new();
        for (i, a) in items.iter().enumerate() {
            let t = self.lower_expr(&ctx, &a.expr)?;
            let name = match a.names.as_slice() {
                [] => format!("print_{i}"),
                [n] => n.name.clone(),
                _ => return Err(error::not_supported("tuple assignment in print", span)),
            };
            exprs.push(t.expr.alias(&name));
            cols.push(Col::new(name, t.ty));
        }
        self.check_unique(&cols, span)?;
        base.project(exprs, cols).at(span)
    }

    /// `range x from a to b step s` (inclusive of `b`).
    fn plan_range(
        &self,
        scope: &Rc<Scope>,
        name: &ast::Ident,
        from: &ast::Expr,
        to: &ast::Expr,
        step: &ast::Expr,
        span: &Span,
    ) -> PResult<Rel> {
        let base = Rel::one_row();
        let ctx = self.ctx(&base, scope);
        let f = self.lower_expr(&ctx, from)?;
        let t = self.lower_expr(&ctx, to)?;
        let s = self.lower_expr(&ctx, step)?;
        let constant = |x: &Typed, sp: &Span| {
            self.const_eval(&x.expr).ok_or_else(|| {
                err(
                    error::NOT_CONSTANT,
                    "range bounds and step must be constants",
                    sp,
                )
            })
        };
        let (fv, tv, sv) = (
            constant(&f, &from.span)?,
            constant(&t, &to.span)?,
            constant(&s, &step.span)?,
        );
        let as_i64 = |v: &ScalarValue| -> Option<i64> {
            match v {
                ScalarValue::Int32(Some(x)) => Some(*x as i64),
                ScalarValue::Int64(Some(x)) => Some(*x),
                ScalarValue::TimestampNanosecond(Some(x), _) => Some(*x),
                ScalarValue::DurationNanosecond(Some(x)) => Some(*x),
                _ => None,
            }
        };
        let as_f64 = |v: &ScalarValue| -> Option<f64> {
            match v {
                ScalarValue::Float64(Some(x)) => Some(*x),
                other => as_i64(other).map(|i| i as f64),
            }
        };
        let ty = match (f.ty, s.ty) {
            (KqlType::DateTime, KqlType::TimeSpan) => KqlType::DateTime,
            (KqlType::TimeSpan, KqlType::TimeSpan) => KqlType::TimeSpan,
            (a, b) if a.is_numeric() && b.is_numeric() => crate::types::numeric_result(a, b),
            (a, b) => {
                return Err(err(
                    error::TYPE_MISMATCH,
                    format!("range cannot step a {a} by a {b}"),
                    span,
                ));
            }
        };
        let count: i64 = match (as_f64(&fv), as_f64(&tv), as_f64(&sv)) {
            (Some(a), Some(b), Some(st)) if st != 0.0 => {
                let n = ((b - a) / st).floor();
                if n < 0.0 { 0 } else { n as i64 + 1 }
            }
            (_, _, Some(0.0)) => {
                return Err(err(
                    error::BAD_VALUE,
                    "range step must not be zero",
                    &step.span,
                ));
            }
            _ => 0,
        };
        if count > 100_000_000 {
            return Err(err(
                error::BAD_VALUE,
                format!("range would produce {count} rows (limit 100,000,000)"),
                span,
            ));
        }
        // Rows are generated by unnesting an index series and computing from + i * step.
        let idx_name = self.fresh("i");
        let series =
            datafusion::functions_nested::expr_fn::gen_series(lit(0i64), lit(count - 1), lit(1i64));
        let idx_plan = LogicalPlanBuilder::from(base.plan.clone())
            .project(vec![series.alias(&idx_name)])
            .at(span)?
            .unnest_column(idx_name.as_str())
            .at(span)?
            .build()
            .at(span)?;
        let idx = Expr::Column(datafusion::common::Column::from_name(&idx_name));
        let value = match ty {
            KqlType::Real => {
                let (a, st) = (as_f64(&fv).unwrap_or(0.0), as_f64(&sv).unwrap_or(1.0));
                lit(a) + cast(idx, DataType::Float64) * lit(st)
            }
            _ => {
                let (a, st) = (as_i64(&fv).unwrap_or(0), as_i64(&sv).unwrap_or(1));
                cast(lit(a) + idx * lit(st), ty.arrow())
            }
        };
        let plan = LogicalPlanBuilder::from(idx_plan)
            .project(vec![value.alias(&name.name)])
            .at(span)?
            .build()
            .at(span)?;
        let rel = Rel::new(plan, vec![Col::new(name.name.clone(), ty)]);
        if count == 0 {
            return self.values_rel(rel.columns.clone(), vec![], span);
        }
        Ok(rel)
    }
}
