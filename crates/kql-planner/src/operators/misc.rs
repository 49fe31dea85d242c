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
            _ => Err(error::not_supported(
                format!("evaluate plugin `{name}`"),
                span,
            )),
        }
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
        let Some(first) = args.first() else {
            return Err(err(
                error::BAD_ARGUMENTS,
                "bag_unpack needs the column to unpack",
                span,
            ));
        };
        let ExprKind::Name(col) = &first.value.node else {
            return Err(err(
                error::BAD_ARGUMENTS,
                "bag_unpack's first argument must be a column",
                &first.value.span,
            ));
        };
        let Some(ci) = rel.index_of(&col.name) else {
            return Err(err(
                error::UNKNOWN_NAME,
                format!("unknown column `{}`", col.name),
                &col.span,
            ));
        };
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
