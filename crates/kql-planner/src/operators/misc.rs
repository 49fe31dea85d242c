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

    /// `evaluate plugin(...)`: no plugin is supported yet.
    pub(crate) fn plan_evaluate(
        &self,
        _scope: &Rc<Scope>,
        _rel: Rel,
        call: &ast::Expr,
        span: &Span,
    ) -> PResult<Rel> {
        let name = match &call.node {
            ExprKind::Call { name, .. } => name.name.clone(),
            _ => "?".to_string(),
        };
        Err(error::not_supported(
            format!("evaluate plugin `{name}`"),
            span,
        ))
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
