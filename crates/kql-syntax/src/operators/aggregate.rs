//! Aggregating operators: `summarize`, `make-series`, `top-nested`, `reduce`.

use super::{assignment, at_clause_keyword, comma_list, param_value, params};
use crate::ast::{MakeSeriesAgg, MakeSeriesRange, OpParam, OperatorKind, SortDir, TopNestedLevel};
use crate::codes;
use crate::error::{PErr, PResult, cut, expect};
use crate::expr::{call_args, expr};
use crate::lexer::{at_keyword, at_terminator, dotted_name, keyword, operator_name, sym, ws};

fn missing<'a, T>(at: &'a str, what: String) -> PResult<'a, T> {
    Err(nom::Err::Failure(PErr::expected_code(
        ws(at),
        codes::MISSING_KEYWORD,
        what,
    )))
}

/// `summarize [params] [aggs] [by keys]`
pub(crate) fn summarize(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &[])?;
    let (r, aggs) =
        if at_clause_keyword(r, "by") || at_keyword(r, "by") && at_terminator(&ws(r)[2..]) {
            (r, Vec::new())
        } else {
            let (mut r, aggs) = comma_list_lenient(r)?;
            // Lenient: a trailing comma before `by` (`summarize a=count(), by x`).
            if let Ok((r2, _)) = sym(r, ",")
                && at_keyword(r2, "by")
            {
                r = r2;
            }
            (r, aggs)
        };
    let (r, by) = if let Ok((r2, _)) = keyword(r, "by") {
        comma_list(r2, "a group key after `by`", assignment)?
    } else {
        if !at_terminator(r) && !ws(r).starts_with(',') {
            return missing(r, "`by` after summarize aggregates".into());
        }
        (r, Vec::new())
    };
    Ok((r, OperatorKind::Summarize { params, aggs, by }))
}

/// Summarize aggregates; stops before `, by`.
fn comma_list_lenient(i: &str) -> PResult<'_, Vec<crate::ast::Assignment>> {
    let mut out = Vec::new();
    let (mut r, first) = expect(i, "an aggregate or `by` after `summarize`", assignment)?;
    out.push(first);
    while let Ok((r2, _)) = sym(r, ",") {
        if at_keyword(r2, "by") && !at_clause_keyword_eq(r2) {
            break;
        }
        let (r3, item) = expect(r2, "an aggregate after `,`", assignment)?;
        out.push(item);
        r = r3;
    }
    Ok((r, out))
}

/// True when `by` at `i` is followed by `=` (a column named `by`).
fn at_clause_keyword_eq(i: &str) -> bool {
    keyword(i, "by").is_ok_and(|(r, _)| crate::lexer::at_sym(r, "="))
}

/// `make-series [params] aggs on axis range [by keys]`
pub(crate) fn make_series(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &["kind"])?;
    let (r, aggs) = comma_list(r, "an aggregate after `make-series`", |x| {
        let (r, agg) = assignment(x)?;
        if let Ok((r2, _)) = keyword(r, "default") {
            let (r2, _) = expect(r2, "`=` after `default`", |y| sym(y, "="))?;
            let (r2, d) = expect(r2, "a default value", expr)?;
            return Ok((
                r2,
                MakeSeriesAgg {
                    agg,
                    default: Some(d),
                },
            ));
        }
        Ok((r, MakeSeriesAgg { agg, default: None }))
    })?;
    let Ok((r, _)) = keyword(r, "on") else {
        return missing(r, "`on` after make-series aggregates".into());
    };
    let (r, on) = expect(r, "the axis column after `on`", expr)?;
    let (r, range) = if let Ok((r2, _)) = keyword(r, "in") {
        let (r2, _) = expect(r2, "`range` after `in`", |x| keyword(x, "range"))?;
        let (r2, args) = cut(call_args(r2))?;
        if args.len() != 3 || args.iter().any(|a| a.name.is_some()) {
            return Err(nom::Err::Failure(PErr::custom(
                ws(r2),
                codes::UNEXPECTED_TOKEN,
                "`in range(start, stop, step)` takes exactly three arguments",
                0,
            )));
        }
        let mut it = args.into_iter().map(|a| a.value);
        match (it.next(), it.next(), it.next()) {
            (Some(start), Some(stop), Some(step)) => {
                (r2, MakeSeriesRange::InRange { start, stop, step })
            }
            _ => return missing(r2, "three arguments in `range(...)`".into()),
        }
    } else {
        let mut r = r;
        let mut from = None;
        let mut to = None;
        if let Ok((r2, _)) = keyword(r, "from") {
            let (r2, e) = expect(r2, "a start value after `from`", expr)?;
            from = Some(e);
            r = r2;
        }
        if let Ok((r2, _)) = keyword(r, "to") {
            let (r2, e) = expect(r2, "an end value after `to`", expr)?;
            to = Some(e);
            r = r2;
        }
        let Ok((r2, _)) = keyword(r, "step") else {
            return missing(r, "`step` in the make-series range".into());
        };
        let (r2, step) = expect(r2, "a step value after `step`", expr)?;
        (r2, MakeSeriesRange::FromTo { from, to, step })
    };
    let (r, by) = if let Ok((r2, _)) = keyword(r, "by") {
        comma_list(r2, "a group key after `by`", assignment)?
    } else {
        (r, Vec::new())
    };
    Ok((
        r,
        OperatorKind::MakeSeries {
            params,
            aggs,
            on,
            range,
            by,
        },
    ))
}

/// `top-nested [N] of [Name=]expr [with others = expr] by [Name=]agg [asc|desc], top-nested ...`
pub(crate) fn top_nested(i: &str) -> PResult<'_, OperatorKind> {
    let mut levels = Vec::new();
    let mut r = i;
    loop {
        let (r2, n) = if at_keyword(r, "of") {
            (r, None)
        } else {
            let (r2, n) = expect(r, "a count or `of` after `top-nested`", expr)?;
            (r2, Some(n))
        };
        let (r2, _) = match keyword(r2, "of") {
            Ok(v) => v,
            Err(_) => return missing(r2, "`of` in `top-nested`".into()),
        };
        let (r2, of) = expect(r2, "an expression after `of`", assignment)?;
        let (r2, others) = if let Ok((r3, _)) = keyword(r2, "with") {
            let (r3, _) = expect(r3, "`others` after `with`", |x| keyword(x, "others"))?;
            let (r3, _) = expect(r3, "`=` after `with others`", |x| sym(x, "="))?;
            let (r3, e) = expect(r3, "a value for `others`", expr)?;
            (r3, Some(e))
        } else {
            (r2, None)
        };
        let (r2, _) = match keyword(r2, "by") {
            Ok(v) => v,
            Err(_) => return missing(r2, "`by` in `top-nested`".into()),
        };
        let (mut r2, by) = expect(r2, "an aggregate after `by`", assignment)?;
        let mut dir = None;
        if let Ok((r3, _)) = keyword(r2, "asc") {
            dir = Some(SortDir::Asc);
            r2 = r3;
        } else if let Ok((r3, _)) = keyword(r2, "desc") {
            dir = Some(SortDir::Desc);
            r2 = r3;
        }
        levels.push(TopNestedLevel {
            n,
            of,
            others,
            by,
            dir,
        });
        if let Ok((r3, _)) = sym(r2, ",") {
            let (r3, (w, _)) = expect(r3, "`top-nested` after `,`", operator_name)?;
            if w != "top-nested" {
                return missing(r3, "`top-nested` after `,`".into());
            }
            r = r3;
            continue;
        }
        return Ok((r2, OperatorKind::TopNested(levels)));
    }
}

/// `reduce by expr [with name=value, ...]`
pub(crate) fn reduce(i: &str) -> PResult<'_, OperatorKind> {
    let Ok((r, _)) = keyword(i, "by") else {
        return missing(i, "`by` after `reduce`".into());
    };
    let (r, by) = expect(r, "an expression after `reduce by`", expr)?;
    let (r, with) = if let Ok((r2, _)) = keyword(r, "with") {
        comma_list(r2, "`name=value` after `with`", |x| {
            let (r, name) = dotted_name(x)?;
            let (r, _) = expect(r, "`=` after the parameter name", |y| sym(y, "="))?;
            let (r, value) = cut(param_value(r))?;
            Ok((r, OpParam { name, value }))
        })?
    } else {
        (r, Vec::new())
    };
    Ok((r, OperatorKind::Reduce { by, with }))
}
