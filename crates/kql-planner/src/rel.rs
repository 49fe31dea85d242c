//! [`Rel`]: a DataFusion logical plan plus the KQL type of each output column — the value
//! every tabular operator lowering consumes and produces.

use crate::types::{KqlType, type_metadata};
use datafusion::arrow::datatypes::{Field, Schema};
use datafusion::common::Column;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, Projection};
use std::sync::Arc;

/// A column of a [`Rel`]: its KQL name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Col {
    /// Column name (case-sensitive).
    pub name: String,
    /// KQL type.
    pub ty: KqlType,
}

impl Col {
    /// A column named `name` of type `ty`.
    pub fn new(name: impl Into<String>, ty: KqlType) -> Self {
        Col {
            name: name.into(),
            ty,
        }
    }
}

/// One key of a known row order: column name, ascending, nulls first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderKey {
    /// The column the rows are sorted by.
    pub column: String,
    /// Ascending.
    pub asc: bool,
    /// Nulls first.
    pub nulls_first: bool,
}

/// A tabular value: `plan`'s output columns are exactly `columns`, in order.
#[derive(Clone, Debug)]
pub struct Rel {
    /// The logical plan.
    pub plan: LogicalPlan,
    /// KQL name and type of each output column, in plan order.
    pub columns: Vec<Col>,
    /// The serialized row order (after `sort`/`top`, kept by order-preserving operators),
    /// used by window functions such as `prev()` and `row_number()`. `Some(vec![])` means
    /// serialized in an unspecified order (`serialize` without a sort).
    pub order: Option<Vec<OrderKey>>,
}

impl Rel {
    /// Wraps `plan` whose output columns have the KQL types `columns`.
    pub fn new(plan: LogicalPlan, columns: Vec<Col>) -> Self {
        debug_assert_eq!(plan.schema().fields().len(), columns.len());
        Rel {
            plan,
            columns,
            order: None,
        }
    }

    /// The same relation with the row order `order`.
    pub fn with_order(mut self, order: Option<Vec<OrderKey>>) -> Self {
        self.order = order;
        self
    }

    /// The order of this relation carried over to `next`, whose column `i` holds what was
    /// column `from[i]` here (`None` for new values): kept only if every key column
    /// survives unchanged.
    pub fn carry_order(&self, next: Rel, from: &[Option<usize>]) -> Rel {
        let Some(keys) = &self.order else {
            return next;
        };
        let mut mapped = Vec::new();
        for k in keys {
            let Some(src) = self.index_of(&k.column) else {
                return next;
            };
            match from.iter().position(|f| *f == Some(src)) {
                Some(j) => mapped.push(OrderKey {
                    column: next.columns[j].name.clone(),
                    ..k.clone()
                }),
                None => return next,
            }
        }
        next.with_order(Some(mapped))
    }

    /// A relation with one row and no columns (the input of `print` and of scalar contexts).
    pub fn one_row() -> Self {
        Rel {
            plan: LogicalPlan::EmptyRelation(datafusion::logical_expr::EmptyRelation {
                produce_one_row: true,
                schema: Arc::new(datafusion::common::DFSchema::empty()),
            }),
            columns: Vec::new(),
            order: None,
        }
    }

    /// Index of the column called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The column called `name`.
    pub fn col(&self, name: &str) -> Option<&Col> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// True when a column called `name` exists.
    pub fn has(&self, name: &str) -> bool {
        self.index_of(name).is_some()
    }

    /// Column names in order.
    pub fn names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// A DataFusion expression referring to output column `i` of the plan (qualified when
    /// the plan's schema qualifies it, so it is unambiguous).
    pub fn col_expr(&self, i: usize) -> Expr {
        let (qualifier, field) = self.plan.schema().qualified_field(i);
        Expr::Column(Column::new(qualifier.cloned(), field.name()))
    }

    /// A DataFusion expression referring to the column called `name`.
    pub fn col_expr_by_name(&self, name: &str) -> Option<Expr> {
        self.index_of(name).map(|i| self.col_expr(i))
    }

    /// Projects `exprs` (already aliased to their output names) with the given KQL columns.
    /// Window functions inside the expressions are computed by `Window` nodes first,
    /// innermost first (a window function may use another one, e.g. `row_number`'s
    /// restart predicate over `prev()`).
    pub fn project(&self, exprs: Vec<Expr>, columns: Vec<Col>) -> datafusion::common::Result<Rel> {
        let mut b = LogicalPlanBuilder::from(self.plan.clone());
        let mut exprs = exprs;
        loop {
            let windows = all_window_exprs(&exprs);
            if windows.is_empty() {
                break;
            }
            // Windows whose own arguments contain no window function can be computed now.
            let ready: Vec<Expr> = windows
                .into_iter()
                .filter(|w| !contains_nested_window(w))
                .collect();
            if ready.is_empty() {
                return datafusion::common::plan_err!("cannot order nested window functions");
            }
            b = b.window(ready.clone())?;
            exprs = exprs
                .into_iter()
                .map(|e| replace_windows(e, &ready))
                .collect::<datafusion::common::Result<Vec<_>>>()?;
        }
        // `Projection::try_new` rather than `LogicalPlanBuilder::project`: the builder
        // normalizes every column against the input plan, walking the whole plan for each
        // expression (quadratic in the width of ASIM tables times the plan depth: half of
        // the planning time of the port-misuse rules). The expressions here already refer
        // to the input's columns by qualified name.
        let input = Arc::new(b.build()?);
        let plan = LogicalPlan::Projection(Projection::try_new(exprs, input)?);
        Ok(Rel::new(plan, columns))
    }

    /// Keeps only the columns at `indices` (in that order), unqualified and unchanged.
    pub fn select(&self, indices: &[usize]) -> datafusion::common::Result<Rel> {
        let exprs = indices
            .iter()
            .map(|&i| self.col_expr(i).alias(&self.columns[i].name))
            .collect();
        let cols = indices.iter().map(|&i| self.columns[i].clone()).collect();
        self.project(exprs, cols)
    }

    /// An Arrow schema of the KQL columns with `kql_type` metadata on each field, using the
    /// plan's physical types.
    pub fn arrow_schema(&self) -> Schema {
        let fields: Vec<Field> = self
            .plan
            .schema()
            .fields()
            .iter()
            .zip(&self.columns)
            .map(|(f, c)| {
                Field::new(&c.name, f.data_type().clone(), true).with_metadata(type_metadata(c.ty))
            })
            .collect();
        Schema::new(fields)
    }
}

/// Every window-function expression in `exprs`, at any depth, without duplicates.
fn all_window_exprs(exprs: &[Expr]) -> Vec<Expr> {
    let mut out: Vec<Expr> = Vec::new();
    for e in exprs {
        let _ = e.apply(|x| {
            if matches!(x, Expr::WindowFunction(_)) && !out.contains(x) {
                out.push(x.clone());
            }
            Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
        });
    }
    out
}

/// True when a window-function expression has another window function inside it.
fn contains_nested_window(w: &Expr) -> bool {
    let mut nested = false;
    let _ = w.apply(|x| {
        if !std::ptr::eq(x, w) && matches!(x, Expr::WindowFunction(_)) {
            nested = true;
            return Ok(datafusion::common::tree_node::TreeNodeRecursion::Stop);
        }
        Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
    });
    nested
}

/// Replaces the computed window expressions in `e` by references to their output columns.
fn replace_windows(e: Expr, done: &[Expr]) -> datafusion::common::Result<Expr> {
    Ok(e.transform_down(|x| {
        if done.contains(&x) {
            let name = x.schema_name().to_string();
            Ok(Transformed::yes(Expr::Column(Column::from_name(name))))
        } else {
            Ok(Transformed::no(x))
        }
    })?
    .data)
}
