//! Display of tabular operators.

use super::{ExprIn, fmt_ident, fmt_string, sep_by};
use crate::ast::{
    Assignment, ExprKind, JoinCondition, MakeSeriesAgg, MakeSeriesRange, MvExpandItem, NullsOrder,
    OpParam, OperatorKind, ParsePart, SortDir, SortKey, TopNestedLevel,
};
use crate::operators::operator_keyword;
use std::fmt::{self, Display, Formatter, Write};

impl Display for OpParam {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.value.node {
            // Parameter values are words (`kind=regex`): no brackets needed for keywords.
            ExprKind::Name(id) if crate::lexer::ident_len(&id.name) == id.name.len() => {
                write!(f, "{}={}", self.name.name, id.name)
            }
            _ => write!(f, "{}={}", self.name.name, ExprIn(&self.value, 7)),
        }
    }
}

impl Display for Assignment {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.tuple {
            f.write_char('(')?;
            for (n, id) in self.names.iter().enumerate() {
                if n > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(&fmt_ident(&id.name))?;
            }
            f.write_str(") = ")?;
        } else if let Some(id) = self.names.first() {
            write!(f, "{} = ", fmt_ident(&id.name))?;
        }
        write!(f, "{}", ExprIn(&self.expr, 1))
    }
}

impl Display for SortDir {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        })
    }
}

impl Display for SortKey {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", ExprIn(&self.expr, 1))?;
        if let Some(d) = self.dir {
            write!(f, " {d}")?;
        }
        match self.nulls {
            Some(NullsOrder::First) => f.write_str(" nulls first"),
            Some(NullsOrder::Last) => f.write_str(" nulls last"),
            None => Ok(()),
        }
    }
}

impl Display for MvExpandItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(n) = &self.name {
            write!(f, "{} = ", fmt_ident(&n.name))?;
        }
        write!(f, "{}", ExprIn(&self.expr, 1))?;
        if let Some(t) = &self.to_type {
            write!(f, " to typeof({})", t.node)?;
        }
        Ok(())
    }
}

impl Display for MakeSeriesAgg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.agg)?;
        if let Some(d) = &self.default {
            write!(f, " default = {}", ExprIn(d, 1))?;
        }
        Ok(())
    }
}

impl Display for ParsePart {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ParsePart::Literal(s) => f.write_str(&fmt_string(&s.node)),
            ParsePart::Star(_) => f.write_char('*'),
            ParsePart::Column { name, ty } => {
                f.write_str(&fmt_ident(&name.name))?;
                if let Some(t) = ty {
                    write!(f, ":{}", t.node)?;
                }
                Ok(())
            }
        }
    }
}

impl Display for TopNestedLevel {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("top-nested ")?;
        if let Some(n) = &self.n {
            write!(f, "{} ", ExprIn(n, 1))?;
        }
        write!(f, "of {}", self.of)?;
        if let Some(o) = &self.others {
            write!(f, " with others = {}", ExprIn(o, 1))?;
        }
        write!(f, " by {}", self.by)?;
        if let Some(d) = self.dir {
            write!(f, " {d}")?;
        }
        Ok(())
    }
}

fn params(f: &mut Formatter<'_>, ps: &[OpParam]) -> fmt::Result {
    for p in ps {
        write!(f, " {p}")?;
    }
    Ok(())
}

fn with_props(f: &mut Formatter<'_>, ps: &[OpParam]) -> fmt::Result {
    if ps.is_empty() {
        return Ok(());
    }
    f.write_str(" with (")?;
    sep_by(f, ps, ", ")?;
    f.write_char(')')
}

fn exprs(f: &mut Formatter<'_>, es: &[crate::ast::Expr], min: u8) -> fmt::Result {
    for (n, e) in es.iter().enumerate() {
        if n > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{}", ExprIn(e, min))?;
    }
    Ok(())
}

fn pattern(id: &crate::ast::Ident) -> String {
    if id.name.contains('*')
        && id
            .name
            .chars()
            .all(|c| crate::lexer::is_ident_char(c) || c == '*' || c == '$')
    {
        id.name.clone()
    } else {
        fmt_ident(&id.name)
    }
}

fn tables(f: &mut Formatter<'_>, ts: &[crate::ast::Expr]) -> fmt::Result {
    if !ts.is_empty() {
        f.write_str(" in (")?;
        exprs(f, ts, 7)?;
        f.write_char(')')?;
    }
    Ok(())
}

impl Display for OperatorKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        use OperatorKind::*;
        f.write_str(operator_keyword(self))?;
        match self {
            Where(e) | Take(e) | Sample(e) => write!(f, " {}", ExprIn(e, 1)),
            Extend(items) | Project(items) | Print(items) => {
                f.write_char(' ')?;
                sep_by(f, items, ", ")
            }
            Serialize(items) => {
                if !items.is_empty() {
                    f.write_char(' ')?;
                }
                sep_by(f, items, ", ")
            }
            ProjectAway(ps) | ProjectKeep(ps) => {
                f.write_char(' ')?;
                let v: Vec<String> = ps.iter().map(pattern).collect();
                f.write_str(&v.join(", "))
            }
            ProjectRename(pairs) => {
                f.write_char(' ')?;
                let v: Vec<String> = pairs
                    .iter()
                    .map(|(n, o)| format!("{} = {}", fmt_ident(&n.name), fmt_ident(&o.name)))
                    .collect();
                f.write_str(&v.join(", "))
            }
            ProjectReorder(items) => {
                f.write_char(' ')?;
                let v: Vec<String> = items
                    .iter()
                    .map(|(p, o)| match o {
                        Some(o) => format!("{} {}", pattern(p), o.name),
                        None => pattern(p),
                    })
                    .collect();
                f.write_str(&v.join(", "))
            }
            Summarize {
                params: ps,
                aggs,
                by,
            } => {
                params(f, ps)?;
                if !aggs.is_empty() {
                    f.write_char(' ')?;
                    sep_by(f, aggs, ", ")?;
                }
                if !by.is_empty() {
                    f.write_str(" by ")?;
                    sep_by(f, by, ", ")?;
                }
                Ok(())
            }
            Count { as_name } => match as_name {
                Some(n) => write!(f, " as {}", fmt_ident(&n.name)),
                None => Ok(()),
            },
            Top { n, by } => {
                write!(f, " {} by ", ExprIn(n, 1))?;
                sep_by(f, by, ", ")
            }
            Sort(keys) => {
                f.write_str(" by ")?;
                sep_by(f, keys, ", ")
            }
            Distinct(cols) => {
                f.write_char(' ')?;
                exprs(f, cols, 1)
            }
            Union { params: ps, legs } => {
                params(f, ps)?;
                f.write_char(' ')?;
                exprs(f, legs, 7)
            }
            Join {
                params: ps,
                right,
                condition,
            } => {
                params(f, ps)?;
                write!(f, " {}", ExprIn(right, 7))?;
                match condition {
                    JoinCondition::On(keys) => {
                        f.write_str(" on ")?;
                        exprs(f, keys, 1)
                    }
                    JoinCondition::Where(e) => write!(f, " where {}", ExprIn(e, 1)),
                }
            }
            Lookup {
                params: ps,
                right,
                on,
            } => {
                params(f, ps)?;
                write!(f, " {} on ", ExprIn(right, 7))?;
                exprs(f, on, 1)
            }
            MvExpand {
                params: ps,
                items,
                limit,
            } => {
                params(f, ps)?;
                f.write_char(' ')?;
                sep_by(f, items, ", ")?;
                if let Some(l) = limit {
                    write!(f, " limit {}", ExprIn(l, 1))?;
                }
                Ok(())
            }
            MvApply {
                params: ps,
                items,
                limit,
                subquery,
            } => {
                params(f, ps)?;
                f.write_char(' ')?;
                sep_by(f, items, ", ")?;
                if let Some(l) = limit {
                    write!(f, " limit {}", ExprIn(l, 1))?;
                }
                write!(f, " on ({})", ExprIn(subquery, 0))
            }
            MakeSeries {
                params: ps,
                aggs,
                on,
                range,
                by,
            } => {
                params(f, ps)?;
                f.write_char(' ')?;
                sep_by(f, aggs, ", ")?;
                write!(f, " on {}", ExprIn(on, 1))?;
                match range {
                    MakeSeriesRange::FromTo { from, to, step } => {
                        if let Some(e) = from {
                            write!(f, " from {}", ExprIn(e, 1))?;
                        }
                        if let Some(e) = to {
                            write!(f, " to {}", ExprIn(e, 1))?;
                        }
                        write!(f, " step {}", ExprIn(step, 1))?;
                    }
                    MakeSeriesRange::InRange { start, stop, step } => write!(
                        f,
                        " in range({}, {}, {})",
                        ExprIn(start, 0),
                        ExprIn(stop, 0),
                        ExprIn(step, 0)
                    )?,
                }
                if !by.is_empty() {
                    f.write_str(" by ")?;
                    sep_by(f, by, ", ")?;
                }
                Ok(())
            }
            Parse {
                params: ps,
                expr,
                pattern,
                ..
            } => {
                params(f, ps)?;
                write!(f, " {} with", ExprIn(expr, 1))?;
                for p in pattern {
                    write!(f, " {p}")?;
                }
                Ok(())
            }
            ParseKv {
                expr,
                columns,
                with,
            } => {
                write!(f, " {} as (", ExprIn(expr, 1))?;
                sep_by(f, columns, ", ")?;
                f.write_char(')')?;
                with_props(f, with)
            }
            Evaluate { params: ps, call } => {
                params(f, ps)?;
                write!(f, " {}", ExprIn(call, 7))
            }
            Invoke(e) => write!(f, " {}", ExprIn(e, 7)),
            Render { chart, with } => {
                write!(f, " {}", chart.name)?;
                with_props(f, with)
            }
            TopNested(levels) => {
                // The keyword of the first level is already written.
                for (n, l) in levels.iter().enumerate() {
                    let text = l.to_string();
                    if n == 0 {
                        f.write_str(text.strip_prefix("top-nested").unwrap_or(&text))?;
                    } else {
                        write!(f, ", {text}")?;
                    }
                }
                Ok(())
            }
            As { params: ps, name } => {
                params(f, ps)?;
                write!(f, " {}", fmt_ident(&name.name))
            }
            GetSchema | Consume => Ok(()),
            SampleDistinct { n, of } => write!(f, " {} of {}", ExprIn(n, 1), ExprIn(of, 1)),
            Range {
                name,
                from,
                to,
                step,
            } => write!(
                f,
                " {} from {} to {} step {}",
                fmt_ident(&name.name),
                ExprIn(from, 1),
                ExprIn(to, 1),
                ExprIn(step, 1)
            ),
            Search {
                params: ps,
                tables: ts,
                predicate,
            } => {
                params(f, ps)?;
                tables(f, ts)?;
                write!(f, " {}", ExprIn(predicate, 1))
            }
            Find {
                params: ps,
                tables: ts,
                predicate,
                project,
            } => {
                params(f, ps)?;
                tables(f, ts)?;
                write!(f, " where {}", ExprIn(predicate, 1))?;
                if let Some(cols) = project {
                    f.write_str(" project ")?;
                    exprs(f, cols, 1)?;
                }
                Ok(())
            }
            ExternalData {
                columns,
                uris,
                with,
            } => {
                f.write_str(" (")?;
                sep_by(f, columns, ", ")?;
                f.write_str(") [")?;
                exprs(f, uris, 1)?;
                f.write_char(']')?;
                with_props(f, with)
            }
            Partition {
                params: ps,
                by,
                subquery,
            } => {
                params(f, ps)?;
                write!(f, " by {} ", fmt_ident(&by.name))?;
                match &subquery.node {
                    ExprKind::Pipeline { source: None, .. } => {
                        write!(f, "({})", ExprIn(subquery, 0))
                    }
                    _ => write!(f, "{{ {} }}", ExprIn(subquery, 0)),
                }
            }
            Reduce { by, with } => {
                write!(f, " by {}", ExprIn(by, 1))?;
                if !with.is_empty() {
                    f.write_str(" with ")?;
                    sep_by(f, with, ", ")?;
                }
                Ok(())
            }
            Facet { by, with } => {
                f.write_str(" by ")?;
                let v: Vec<String> = by.iter().map(|b| fmt_ident(&b.name)).collect();
                f.write_str(&v.join(", "))?;
                if let Some(q) = with {
                    write!(f, " with ({})", ExprIn(q, 0))?;
                }
                Ok(())
            }
        }
    }
}
