//! Small operators: `getschema`, `invoke`, `evaluate`.

use crate::error::{self, PResult, err};
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::{Binding, Scope};
use crate::types::KqlType;
use datafusion::logical_expr::lit;
use kql_syntax::ast::{self, ExprKind, ParamType, Span};
use std::rc::Rc;

impl<'c> Planner<'c> {
    /// `getschema`: one row per column: `ColumnName`, `ColumnOrdinal`, `DataType` (the .NET
    /// type name), `ColumnType` (the KQL type name).
    pub(crate) fn plan_getschema(&self, rel: Rel, span: &Span) -> PResult<Rel> {
        let cols = vec![
            Col::new("ColumnName", KqlType::String),
            Col::new("ColumnOrdinal", KqlType::Int),
            Col::new("DataType", KqlType::String),
            Col::new("ColumnType", KqlType::String),
        ];
        let rows = rel
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                vec![
                    lit(c.name.clone()),
                    lit(i as i32),
                    lit(dotnet_type(c.ty)),
                    lit(c.ty.name()),
                ]
            })
            .collect();
        self.values_rel(cols, rows, span)
    }

    /// `T | invoke f(args)`: calls `f` with `T` as its first (tabular) argument.
    pub(crate) fn plan_invoke(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        call: &ast::Expr,
        span: &Span,
    ) -> PResult<Rel> {
        let ExprKind::Call { name, args } = &call.node else {
            return Err(err(
                error::BAD_ARGUMENTS,
                "invoke needs a function call",
                &call.span,
            ));
        };
        let f = match scope.lookup(&name.name) {
            Some(Binding::Function(f)) => f.clone(),
            _ => match self.catalog.function(&name.name) {
                Some(sf) => Rc::new(self.stored_value(&sf)),
                None => return Err(self.unknown_table(scope, &name.name, &name.span)),
            },
        };
        let Some(first) = f.def.params.first() else {
            return Err(err(
                error::BAD_ARGUMENTS,
                format!("function `{}` takes no tabular parameter", f.name),
                span,
            ));
        };
        if !matches!(first.ty, ParamType::Tabular { .. }) {
            return Err(err(
                error::BAD_ARGUMENTS,
                format!(
                    "the first parameter of `{}` must be tabular to use invoke",
                    f.name
                ),
                span,
            ));
        }
        // Bind the input under a fresh name and pass it as the first argument.
        let input_name = self.fresh("invoke_input");
        let iscope = Scope::bind(scope, input_name.clone(), Binding::Tabular(rel));
        let mut all_args = vec![ast::Arg {
            name: None,
            value: ast::Expr::new(
                ExprKind::Name(ast::Ident::new(input_name, span.clone())),
                span.clone(),
            ),
        }];
        all_args.extend(args.iter().cloned());
        self.call_tabular_function(&iscope, &f, &all_args, span)
    }

    /// `evaluate plugin(...)`: `bag_unpack` is supported; other plugins are not yet.
    pub(crate) fn plan_evaluate(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        call: &ast::Expr,
        span: &Span,
    ) -> PResult<Rel> {
        let (name, args) = match &call.node {
            ExprKind::Call { name, args } => (name.name.clone(), args),
            _ => {
                return Err(err(
                    error::BAD_ARGUMENTS,
                    "evaluate needs a plugin call",
                    &call.span,
                ));
            }
        };
        match name.as_str() {
            "bag_unpack" => self.plan_bag_unpack(scope, rel, args, span),
            "pivot" => self.plan_pivot(scope, rel, args, span),
            _ => Err(error::not_supported(
                format!("evaluate plugin `{name}`"),
                span,
            )),
        }
    }

    /// `evaluate pivot(pivotColumn [, aggregation [, column1, ...]])`: one output column per
    /// distinct value of `pivotColumn` (found by running the input at plan time), holding the
    /// aggregation (default `count()`) of the rows with that value, grouped by the given
    /// columns (default: all but the pivot and aggregated columns). Value columns are in
    /// sorted order ([U]: ADX's order is not documented); count/sum cells of absent
    /// combinations are 0, as in the documented examples.
    fn plan_pivot(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        args: &[ast::Arg],
        span: &Span,
    ) -> PResult<Rel> {
        let (pcol, pi) = plugin_column_arg(&rel, args, "pivot", "the column to pivot", span)?;
        // The aggregation and the column it reads.
        let (agg_name, agg_args): (String, Vec<ast::Arg>) = match args.get(1).map(|a| &a.value.node)
        {
            Some(ExprKind::Call { name, args }) => (name.name.clone(), args.clone()),
            None => ("count".to_string(), vec![]),
            Some(_) => {
                return Err(err(
                    error::BAD_ARGUMENTS,
                    "pivot's second argument must be an aggregation",
                    span,
                ));
            }
        };
        let agg_col = agg_args.first().and_then(|a| match &a.value.node {
            ExprKind::Name(id) => Some(id.name.clone()),
            _ => None,
        });
        let groups: Vec<String> = if args.len() > 2 {
            args[2..]
                .iter()
                .map(|a| match &a.value.node {
                    ExprKind::Name(id) => Ok(id.name.clone()),
                    _ => Err(err(
                        error::BAD_ARGUMENTS,
                        "pivot group columns must be column names",
                        &a.value.span,
                    )),
                })
                .collect::<PResult<_>>()?
        } else {
            rel.columns
                .iter()
                .filter(|c| c.name != pcol.name && Some(&c.name) != agg_col.as_ref())
                .map(|c| c.name.clone())
                .collect()
        };
        // Distinct pivot values.
        let values_rel = rel.select(&[pi]).map_err(|e| error::df_err(e, span))?;
        let mut values: Vec<datafusion::common::ScalarValue> = self
            .eval_first_column(values_rel, span)?
            .into_iter()
            .collect();
        values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        values.dedup();
        let if_name = match agg_name.as_str() {
            "count" => "countif".to_string(),
            "take_any" | "any" => "take_anyif".to_string(),
            "make_list" => "make_list_if".to_string(),
            "make_set" => "make_set_if".to_string(),
            "make_bag" => "make_bag_if".to_string(),
            other => format!("{other}if"),
        };
        let sp = span.clone();
        let ident =
            |n: &str| ast::Expr::new(ExprKind::Name(ast::Ident::new(n, sp.clone())), sp.clone());
        let mut aggs = Vec::new();
        for v in &values {
            let lit_expr = match v {
                datafusion::common::ScalarValue::Utf8(Some(s)) => ast::Literal::String(s.clone()),
                datafusion::common::ScalarValue::Int64(Some(i)) => ast::Literal::Long(Some(*i)),
                datafusion::common::ScalarValue::Int32(Some(i)) => ast::Literal::Int(Some(*i)),
                datafusion::common::ScalarValue::Boolean(Some(b)) => ast::Literal::Bool(Some(*b)),
                other if other.is_null() => continue,
                other => {
                    return Err(error::not_supported(
                        format!("pivot over values of type {}", other.data_type()),
                        span,
                    ));
                }
            };
            let cond = ast::Expr::new(
                ExprKind::Binary {
                    op: ast::BinaryOp::Eq,
                    left: Box::new(ident(&pcol.name)),
                    right: Box::new(ast::Expr::new(ExprKind::Literal(lit_expr), sp.clone())),
                },
                sp.clone(),
            );
            let mut call_args = agg_args.clone();
            call_args.insert(
                usize::from(agg_name != "count").min(call_args.len()),
                ast::Arg {
                    name: None,
                    value: cond,
                },
            );
            let name = match v {
                datafusion::common::ScalarValue::Utf8(Some(s)) => s.clone(),
                other => other.to_string(),
            };
            aggs.push(ast::Assignment {
                names: vec![ast::Ident::new(name, sp.clone())],
                tuple: false,
                expr: ast::Expr::new(
                    ExprKind::Call {
                        name: ast::Ident::new(if_name.clone(), sp.clone()),
                        args: call_args,
                    },
                    sp.clone(),
                ),
            });
        }
        let by: Vec<ast::Assignment> = groups
            .iter()
            .map(|g| ast::Assignment {
                names: vec![],
                tuple: false,
                expr: ident(g),
            })
            .collect();
        if aggs.is_empty() {
            return self.plan_distinct(
                scope,
                rel,
                &by.into_iter().map(|a| a.expr).collect::<Vec<_>>(),
                span,
            );
        }
        let out = self.plan_summarize(scope, rel, &aggs, &by, span)?;
        if agg_name != "sum" {
            return Ok(out);
        }
        // Absent combinations of a sum read 0.
        let cols: Vec<crate::operators::extend::NewCol> = out
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| crate::operators::extend::NewCol {
                name: c.name.clone(),
                ty: c.ty,
                expr: if i >= groups.len() && c.ty.is_numeric() {
                    datafusion::functions::expr_fn::coalesce(vec![
                        out.col_expr(i),
                        datafusion::logical_expr::cast(
                            datafusion::logical_expr::lit(0i64),
                            c.ty.arrow(),
                        ),
                    ])
                } else {
                    out.col_expr(i)
                },
            })
            .collect();
        self.project_new_cols(&out, cols, span)
    }

    /// `evaluate bag_unpack(Column [, Prefix [, columnsConflict [, ignoredProperties]]])`:
    /// each top-level slot of the bags becomes a column (sorted by name), typed by its
    /// values when they all share one type, else dynamic. The output schema depends on
    /// the data, so the input is executed once at plan time to find the slots.
    fn plan_bag_unpack(
        &self,
        scope: &Rc<Scope>,
        rel: Rel,
        args: &[ast::Arg],
        span: &Span,
    ) -> PResult<Rel> {
        let (_, ci) = plugin_column_arg(&rel, args, "bag_unpack", "the column to unpack", span)?;
        let empty = Rel::one_row();
        let cctx = self.ctx(&empty, scope);
        let text_arg = |i: usize| -> PResult<Option<String>> {
            match args.get(i) {
                None => Ok(None),
                Some(a) => {
                    let t = self.lower_expr(&cctx, &a.value)?;
                    Ok(match self.const_eval(&t.expr) {
                        Some(datafusion::common::ScalarValue::Utf8(s)) => s,
                        _ => None,
                    })
                }
            }
        };
        let prefix = text_arg(1)?.unwrap_or_default();
        let conflict = text_arg(2)?.unwrap_or_else(|| "error".to_string());
        let ignored: Vec<String> = match args.get(3) {
            Some(a) => {
                let t = self.lower_expr(&cctx, &a.value)?;
                self.const_eval(&t.expr)
                    .map(|v| {
                        crate::expr::flatten_dynamic(&v)
                            .into_iter()
                            .filter_map(|x| match x {
                                datafusion::common::ScalarValue::Utf8(Some(s)) => Some(s),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            }
            None => Vec::new(),
        };
        // Discover the slots and their value types.
        let ctx = self.ctx(&rel, scope);
        let bag = crate::expr::Typed::new(rel.col_expr(ci), rel.columns[ci].ty);
        let bag = self.dyn_json(&ctx, bag, span)?;
        let probe = rel
            .project(
                vec![bag.expr.clone().alias("bag")],
                vec![Col::new("bag", KqlType::String)],
            )
            .map_err(|e| error::df_err(e, span))?;
        let mut slots: std::collections::BTreeMap<String, Option<KqlType>> =
            std::collections::BTreeMap::new();
        for v in self.eval_first_column(probe, span)? {
            let datafusion::common::ScalarValue::Utf8(Some(text)) = v else {
                continue;
            };
            let Ok(serde_json::Value::Object(map)) =
                serde_json::from_str::<serde_json::Value>(&text)
            else {
                continue;
            };
            for (k, v) in map {
                if ignored.contains(&k) {
                    continue;
                }
                let t = match &v {
                    serde_json::Value::String(_) => Some(KqlType::String),
                    serde_json::Value::Bool(_) => Some(KqlType::Bool),
                    serde_json::Value::Number(n) if n.is_i64() => Some(KqlType::Long),
                    serde_json::Value::Number(_) => Some(KqlType::Real),
                    _ => None,
                };
                slots
                    .entry(k)
                    .and_modify(|cur| {
                        if *cur != t {
                            *cur = None;
                        }
                    })
                    .or_insert(t);
            }
        }
        let get = self.udf("kql_dyn_get", span)?;
        let mut out: Vec<crate::operators::extend::NewCol> = Vec::new();
        for (i, c) in rel.columns.iter().enumerate() {
            if i != ci {
                out.push(crate::operators::extend::NewCol {
                    name: c.name.clone(),
                    ty: c.ty,
                    expr: rel.col_expr(i),
                });
            }
        }
        for (k, t) in slots {
            let name = format!("{prefix}{k}");
            let v = crate::expr::Typed::new(
                get.call(vec![
                    bag.expr.clone(),
                    datafusion::logical_expr::lit(k.clone()),
                ]),
                KqlType::Dynamic,
            );
            let v = match t {
                Some(t) => self.convert(&ctx, v, t, span)?,
                None => v,
            };
            match out.iter().position(|c| c.name == name) {
                Some(j) if conflict == "replace_source" => {
                    out[j] = crate::operators::extend::NewCol {
                        name,
                        ty: v.ty,
                        expr: v.expr,
                    }
                }
                Some(_) if conflict == "keep_source" => {}
                Some(_) => {
                    return Err(err(
                        error::DUPLICATE_COLUMN,
                        format!(
                            "bag_unpack: slot `{k}` conflicts with an existing column (use columnsConflict='replace_source' or 'keep_source')"
                        ),
                        span,
                    ));
                }
                None => out.push(crate::operators::extend::NewCol {
                    name,
                    ty: v.ty,
                    expr: v.expr,
                }),
            }
        }
        self.project_new_cols(&rel, out, span)
    }
}

/// The .NET type name `getschema` reports for a KQL type.
fn dotnet_type(t: KqlType) -> &'static str {
    match t {
        KqlType::Bool => "System.Boolean",
        KqlType::Int => "System.Int32",
        KqlType::Long => "System.Int64",
        KqlType::Real => "System.Double",
        KqlType::Decimal => "System.Data.SqlTypes.SqlDecimal",
        KqlType::DateTime => "System.DateTime",
        KqlType::TimeSpan => "System.TimeSpan",
        KqlType::String => "System.String",
        KqlType::Guid => "System.Guid",
        KqlType::Dynamic => "System.Object",
    }
}

/// A plugin's first argument, which must name a column of `rel`: the name and its index.
fn plugin_column_arg<'a>(
    rel: &Rel,
    args: &'a [ast::Arg],
    plugin: &str,
    what: &str,
    span: &Span,
) -> PResult<(&'a ast::Ident, usize)> {
    let Some(first) = args.first() else {
        return Err(err(
            error::BAD_ARGUMENTS,
            format!("{plugin} needs {what}"),
            span,
        ));
    };
    let ExprKind::Name(col) = &first.value.node else {
        return Err(err(
            error::BAD_ARGUMENTS,
            format!("{plugin}'s first argument must be a column"),
            &first.value.span,
        ));
    };
    let Some(i) = rel.index_of(&col.name) else {
        return Err(err(
            error::UNKNOWN_NAME,
            format!("unknown column `{}`", col.name),
            &col.span,
        ));
    };
    Ok((col, i))
}
