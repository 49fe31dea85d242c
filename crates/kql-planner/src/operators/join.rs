//! `join` and `lookup`.
//!
//! * kinds: `innerunique` (default: the left side is de-duplicated on the join keys first),
//!   `inner`, `leftouter`, `rightouter`, `fullouter`, `leftsemi`, `leftanti` (`anti`,
//!   `leftantisemi`), `rightsemi`, `rightanti` (`rightantisemi`);
//! * output: left columns then right columns (semi/anti: one side), duplicate names get the
//!   smallest free numeric suffix (`Key`, `Key1`); key columns of both sides are kept;
//! * `on a, $left.b == $right.c` and the hidden `where predicate` form (equalities between a
//!   left-only and a right-only column become keys; the rest is a join filter);
//! * string columns of the null-padded side of an outer join read `""`, never null.

use crate::error::{self, DfResultExt, PResult, err, with_suggestion};
use crate::naming::dedupe_with_suffix;
use crate::planner::Planner;
use crate::rel::{Col, Rel};
use crate::scope::Scope;
use crate::types::{KqlType, comparable};
use datafusion::common::{Column, JoinType};
use datafusion::functions::expr_fn::coalesce;
use datafusion::logical_expr::utils::split_conjunction;
use datafusion::logical_expr::{BinaryExpr, Expr, LogicalPlanBuilder, Operator, cast, lit};
use kql_syntax::ast::{self, BinaryOp, ExprKind, JoinCondition, Span};
use std::rc::Rc;

/// The join kinds of KQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    InnerUnique,
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftSemi,
    LeftAnti,
    RightSemi,
    RightAnti,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "innerunique" => Kind::InnerUnique,
            "inner" => Kind::Inner,
            "leftouter" => Kind::LeftOuter,
            "rightouter" => Kind::RightOuter,
            "fullouter" | "outer" => Kind::FullOuter,
            "leftsemi" | "semi" => Kind::LeftSemi,
            "leftanti" | "anti" | "leftantisemi" => Kind::LeftAnti,
            "rightsemi" => Kind::RightSemi,
            "rightanti" | "rightantisemi" => Kind::RightAnti,
            _ => return None,
        })
    }

    fn join_type(self) -> JoinType {
        match self {
            Kind::InnerUnique | Kind::Inner => JoinType::Inner,
            Kind::LeftOuter => JoinType::Left,
            Kind::RightOuter => JoinType::Right,
            Kind::FullOuter => JoinType::Full,
            Kind::LeftSemi => JoinType::LeftSemi,
            Kind::LeftAnti => JoinType::LeftAnti,
            Kind::RightSemi => JoinType::RightSemi,
            Kind::RightAnti => JoinType::RightAnti,
        }
    }
}

const LEFT: &str = "__kql_left";
const RIGHT: &str = "__kql_right";

/// A join key pair: (left column index, right column index).
type KeyPair = (usize, usize);

impl<'c> Planner<'c> {
    /// The value of an operator parameter such as `kind=inner` as text.
    pub(crate) fn param_text(&self, p: &ast::OpParam) -> Option<String> {
        match &p.value.node {
            ExprKind::Name(id) => Some(id.name.clone()),
            ExprKind::Literal(ast::Literal::String(s)) => Some(s.clone()),
            ExprKind::Literal(ast::Literal::Bool(Some(b))) => Some(b.to_string()),
            ExprKind::Literal(ast::Literal::Long(Some(i))) => Some(i.to_string()),
            _ => None,
        }
    }

    fn join_kind(&self, params: &[ast::OpParam], default: Kind, allowed: &[Kind]) -> PResult<Kind> {
        let mut kind = default;
        for p in params {
            let name = p.name.name.to_ascii_lowercase();
            if name == "kind" {
                let text = self.param_text(p).unwrap_or_default();
                kind = match Kind::parse(&text) {
                    Some(k) if allowed.contains(&k) => k,
                    _ => {
                        return Err(err(
                            error::BAD_PARAMETER,
                            format!("unknown join kind `{text}`"),
                            &p.value.span,
                        ));
                    }
                };
            } else if !name.starts_with("hint.") {
                return Err(err(
                    error::BAD_PARAMETER,
                    format!("unknown join parameter `{}`", p.name.name),
                    &p.name.span,
                ));
            }
        }
        Ok(kind)
    }

    /// `join [kind=K] right on ... | where ...`.
    pub(crate) fn plan_join(
        &self,
        scope: &Rc<Scope>,
        left: Rel,
        params: &[ast::OpParam],
        right: &ast::Expr,
        condition: &JoinCondition,
        span: &Span,
    ) -> PResult<Rel> {
        let all = [
            Kind::InnerUnique,
            Kind::Inner,
            Kind::LeftOuter,
            Kind::RightOuter,
            Kind::FullOuter,
            Kind::LeftSemi,
            Kind::LeftAnti,
            Kind::RightSemi,
            Kind::RightAnti,
        ];
        let mut kind = self.join_kind(params, Kind::InnerUnique, &all)?;
        let right = self.plan_tabular(scope, right)?;
        let (keys, filter_pred) = match condition {
            JoinCondition::On(items) => (self.on_keys(&left, &right, items)?, None),
            JoinCondition::Where(pred) => {
                // The where form is an inner-style join without left de-duplication.
                if kind == Kind::InnerUnique {
                    kind = Kind::Inner;
                }
                (Vec::new(), Some(pred))
            }
        };
        let left = if kind == Kind::InnerUnique {
            self.dedupe_left(left, &keys, span)?
        } else {
            left
        };
        let (lq, rq) = (aliased(&left, LEFT, span)?, aliased(&right, RIGHT, span)?);

        let (lkeys, rkeys, filter) = match filter_pred {
            None => {
                let (lk, rk) = self.key_exprs(&lq, &rq, &keys, span)?;
                (lk, rk, None)
            }
            Some(pred) => self.where_condition(scope, &lq, &rq, pred, span)?,
        };
        let plan = LogicalPlanBuilder::from(lq.plan.clone())
            .join_with_expr_keys(rq.plan.clone(), kind.join_type(), (lkeys, rkeys), filter)
            .at(span)?
            .build()
            .at(span)?;
        // Output columns.
        let (use_left, use_right) = match kind {
            Kind::LeftSemi | Kind::LeftAnti => (true, false),
            Kind::RightSemi | Kind::RightAnti => (false, true),
            _ => (true, true),
        };
        let mut srcs: Vec<(Expr, Col, bool)> = Vec::new();
        if use_left {
            let nullable = matches!(kind, Kind::RightOuter | Kind::FullOuter);
            for (i, c) in left.columns.iter().enumerate() {
                srcs.push((lq.col_expr(i), c.clone(), nullable));
            }
        }
        if use_right {
            let nullable = matches!(kind, Kind::LeftOuter | Kind::FullOuter);
            for (i, c) in right.columns.iter().enumerate() {
                srcs.push((rq.col_expr(i), c.clone(), nullable));
            }
        }
        let joined = Rel::new(plan, joined_columns(&lq, &rq, use_left, use_right));
        project_join_output(joined, srcs).at(span)
    }

    /// Resolves `on` items to key column pairs.
    fn on_keys(&self, left: &Rel, right: &Rel, items: &[ast::Expr]) -> PResult<Vec<KeyPair>> {
        let mut keys = Vec::new();
        for item in items {
            match &item.node {
                ExprKind::Name(id) => {
                    let li = self.side_column(left, id, "left")?;
                    let ri = self.side_column(right, id, "right")?;
                    keys.push((li, ri));
                }
                ExprKind::Binary {
                    op: BinaryOp::Eq,
                    left: a,
                    right: b,
                } => {
                    let sa = side_ref(a);
                    let sb = side_ref(b);
                    match (sa, sb) {
                        (Some(("$left", la)), Some(("$right", rb))) => {
                            keys.push((
                                self.side_column(left, la, "left")?,
                                self.side_column(right, rb, "right")?,
                            ));
                        }
                        (Some(("$right", ra)), Some(("$left", lb))) => {
                            keys.push((
                                self.side_column(left, lb, "left")?,
                                self.side_column(right, ra, "right")?,
                            ));
                        }
                        _ => {
                            return Err(err(
                                error::BAD_ARGUMENTS,
                                "a join equality must compare `$left.Column` with `$right.Column`",
                                &item.span,
                            ));
                        }
                    }
                }
                ExprKind::Binary {
                    op: BinaryOp::And,
                    left: a,
                    right: b,
                } => {
                    keys.extend(self.on_keys(left, right, &[(**a).clone(), (**b).clone()])?);
                }
                _ => {
                    return Err(err(
                        error::BAD_ARGUMENTS,
                        "join `on` expects column names or `$left.A == $right.B` equalities",
                        &item.span,
                    ));
                }
            }
        }
        if keys.is_empty() {
            return Err(err(
                error::BAD_ARGUMENTS,
                "join needs at least one key",
                &items.first().map_or(0..0, |i| i.span.clone()),
            ));
        }
        Ok(keys)
    }

    fn side_column(&self, rel: &Rel, id: &ast::Ident, side: &str) -> PResult<usize> {
        rel.index_of(&id.name).ok_or_else(|| {
            let d = err(
                error::UNKNOWN_NAME,
                format!("the {side} side of the join has no column `{}`", id.name),
                &id.span,
            );
            with_suggestion(d, &id.name, rel.names())
        })
    }

    /// The left and right key expressions of `keys`, in order.
    fn key_exprs(
        &self,
        lq: &Rel,
        rq: &Rel,
        keys: &[KeyPair],
        span: &Span,
    ) -> PResult<(Vec<Expr>, Vec<Expr>)> {
        let mut lk = Vec::new();
        let mut rk = Vec::new();
        for (li, ri) in keys {
            let (le, re) = self.key_pair(lq, rq, *li, *ri, span)?;
            lk.push(le);
            rk.push(re);
        }
        Ok((lk, rk))
    }

    /// Key expressions of a pair, promoted to a common type.
    fn key_pair(
        &self,
        lq: &Rel,
        rq: &Rel,
        li: usize,
        ri: usize,
        span: &Span,
    ) -> PResult<(Expr, Expr)> {
        let (lt, rt) = (lq.columns[li].ty, rq.columns[ri].ty);
        let common = comparable(lt, rt).ok_or_else(|| {
            err(
                error::TYPE_MISMATCH,
                format!(
                    "join keys `{}` ({lt}) and `{}` ({rt}) have incompatible types",
                    lq.columns[li].name, rq.columns[ri].name
                ),
                span,
            )
        })?;
        if common == KqlType::Dynamic {
            return Err(err(
                error::TYPE_MISMATCH,
                "dynamic columns cannot be join keys",
                span,
            ));
        }
        let conv = |e: Expr, t: KqlType| {
            if t != common && common.is_numeric() {
                cast(e, common.arrow())
            } else {
                e
            }
        };
        Ok((conv(lq.col_expr(li), lt), conv(rq.col_expr(ri), rt)))
    }

    /// `innerunique`: keeps one (arbitrary) left row per key.
    fn dedupe_left(&self, left: Rel, keys: &[KeyPair], span: &Span) -> PResult<Rel> {
        let on: Vec<Expr> = keys.iter().map(|(li, _)| left.col_expr(*li)).collect();
        let select: Vec<Expr> = (0..left.columns.len())
            .map(|i| left.col_expr(i).alias(&left.columns[i].name))
            .collect();
        let plan = LogicalPlanBuilder::from(left.plan.clone())
            .distinct_on(on, select, None)
            .at(span)?
            .build()
            .at(span)?;
        Ok(Rel::new(plan, left.columns))
    }

    /// The `where` form: lowers the predicate against both sides (a name present on both
    /// sides is ambiguous), then splits equalities between the sides into keys.
    fn where_condition(
        &self,
        scope: &Rc<Scope>,
        lq: &Rel,
        rq: &Rel,
        pred: &ast::Expr,
        span: &Span,
    ) -> PResult<(Vec<Expr>, Vec<Expr>, Option<Expr>)> {
        let mut ambiguous = None;
        crate::naming::walk(pred, &mut |x| {
            if let ExprKind::Name(id) = &x.node
                && ambiguous.is_none()
                && lq.has(&id.name)
                && rq.has(&id.name)
            {
                ambiguous = Some(id.clone());
            }
        });
        if let Some(id) = ambiguous {
            return Err(err(
                error::AMBIGUOUS,
                format!(
                    "`{}` exists on both sides of the join; use `on $left.{0} == $right.{0}`",
                    id.name
                ),
                &id.span,
            ));
        }
        let both_plan = LogicalPlanBuilder::from(lq.plan.clone())
            .cross_join(rq.plan.clone())
            .at(span)?
            .build()
            .at(span)?;
        let both = Rel::new(both_plan, joined_columns(lq, rq, true, true));
        let mut ctx = self.ctx(&both, scope);
        ctx.filter = true;
        let p = self.lower_expr(&ctx, pred)?;
        self.require_bool(&p, &pred.span, "the join condition")?;
        let mut lk = Vec::new();
        let mut rk = Vec::new();
        let mut rest = Vec::new();
        for c in split_conjunction(&p.expr) {
            if let Expr::BinaryExpr(BinaryExpr {
                left,
                op: Operator::Eq,
                right,
            }) = c
            {
                match (side_of(left), side_of(right)) {
                    (Some(LEFT), Some(RIGHT)) => {
                        lk.push((**left).clone());
                        rk.push((**right).clone());
                        continue;
                    }
                    (Some(RIGHT), Some(LEFT)) => {
                        lk.push((**right).clone());
                        rk.push((**left).clone());
                        continue;
                    }
                    _ => {}
                }
            }
            rest.push(c.clone());
        }
        let filter = rest.into_iter().reduce(|a, b| a.and(b));
        Ok((lk, rk, filter))
    }

    /// `lookup [kind=leftouter|inner] right on keys`: like a join, but the right side's key
    /// columns are not repeated; default kind `leftouter`.
    pub(crate) fn plan_lookup(
        &self,
        scope: &Rc<Scope>,
        left: Rel,
        params: &[ast::OpParam],
        right: &ast::Expr,
        on: &[ast::Expr],
        span: &Span,
    ) -> PResult<Rel> {
        let kind = self.join_kind(params, Kind::LeftOuter, &[Kind::LeftOuter, Kind::Inner])?;
        let right = self.plan_tabular(scope, right)?;
        let keys = self.on_keys(&left, &right, on)?;
        let (lq, rq) = (aliased(&left, LEFT, span)?, aliased(&right, RIGHT, span)?);
        let (lk, rk) = self.key_exprs(&lq, &rq, &keys, span)?;
        let plan = LogicalPlanBuilder::from(lq.plan.clone())
            .join_with_expr_keys(rq.plan.clone(), kind.join_type(), (lk, rk), None)
            .at(span)?
            .build()
            .at(span)?;
        let mut srcs: Vec<(Expr, Col, bool)> = Vec::new();
        for (i, c) in left.columns.iter().enumerate() {
            srcs.push((lq.col_expr(i), c.clone(), false));
        }
        for (i, c) in right.columns.iter().enumerate() {
            if keys.iter().any(|(_, ri)| *ri == i) {
                continue;
            }
            srcs.push((rq.col_expr(i), c.clone(), kind == Kind::LeftOuter));
        }
        let joined = Rel::new(plan, joined_columns(&lq, &rq, true, true));
        project_join_output(joined, srcs).at(span)
    }
}

/// `rel` under a table alias (`$left`/`$right` sides of a join).
fn aliased(rel: &Rel, alias: &str, span: &Span) -> PResult<Rel> {
    let plan = LogicalPlanBuilder::from(rel.plan.clone())
        .alias(alias)
        .at(span)?
        .build()
        .at(span)?;
    Ok(Rel::new(plan, rel.columns.clone()))
}

/// Projects a join's raw output to its KQL columns: `srcs` are (expression, column,
/// nullable-side) in output order; clashing names get Kusto's numeric suffixes and
/// string columns of the outer side turn their nulls into "" (strings are never null).
fn project_join_output(
    joined: Rel,
    srcs: Vec<(Expr, Col, bool)>,
) -> datafusion::common::Result<Rel> {
    let names = dedupe_with_suffix(
        &srcs
            .iter()
            .map(|(_, c, _)| c.name.clone())
            .collect::<Vec<_>>(),
    );
    let mut exprs = Vec::new();
    let mut cols = Vec::new();
    for ((e, c, nullable), name) in srcs.into_iter().zip(names) {
        let e = if nullable && c.ty.is_stringlike() {
            coalesce(vec![e, lit("")])
        } else {
            e
        };
        exprs.push(e.alias(&name));
        cols.push(Col::new(name, c.ty));
    }
    joined.project(exprs, cols)
}

/// The KQL columns of a join plan's raw output (before renaming).
fn joined_columns(lq: &Rel, rq: &Rel, use_left: bool, use_right: bool) -> Vec<Col> {
    let mut cols = Vec::new();
    if use_left {
        cols.extend(lq.columns.iter().cloned());
    }
    if use_right {
        cols.extend(rq.columns.iter().cloned());
    }
    cols
}

/// `$left.x` / `$right.x` → ("$left", x).
fn side_ref(e: &ast::Expr) -> Option<(&str, &ast::Ident)> {
    if let ExprKind::Member { target, name } = &e.node
        && let ExprKind::Name(side) = &target.node
        && (side.name == "$left" || side.name == "$right")
    {
        return Some((side.name.as_str(), name));
    }
    None
}

/// Which join side all column references of `e` come from (None if mixed or none).
fn side_of(e: &Expr) -> Option<&'static str> {
    let mut side: Option<&'static str> = None;
    let mut mixed = false;
    let _ = e.apply(|x| {
        if let Expr::Column(Column {
            relation: Some(r), ..
        }) = x
        {
            let s = if r.table() == LEFT {
                LEFT
            } else if r.table() == RIGHT {
                RIGHT
            } else {
                ""
            };
            match side {
                None => side = Some(s),
                Some(prev) if prev != s => mixed = true,
                _ => {}
            }
        }
        Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
    });
    if mixed {
        None
    } else {
        side.filter(|s| !s.is_empty())
    }
}

use datafusion::common::tree_node::TreeNode;
