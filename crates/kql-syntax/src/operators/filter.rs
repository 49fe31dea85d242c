//! Row filtering and ordering operators: `where`/`filter`, `take`/`limit`, `count`,
//! `distinct`, `sort`/`order`, `top`, `sample`, `sample-distinct`, `serialize`, `as`.

use super::{assignment, comma_list, params, sort_key};
use crate::ast::OperatorKind;
use crate::codes;
use crate::error::{PErr, PResult, expect};
use crate::expr::expr;
use crate::lexer::{at_terminator, ident, keyword, ws};

/// `where predicate`
pub(crate) fn where_(i: &str) -> PResult<'_, OperatorKind> {
    let (r, e) = expect(i, "a predicate after `where`", expr)?;
    Ok((r, OperatorKind::Where(e)))
}

/// `count [as Name]`
pub(crate) fn count(i: &str) -> PResult<'_, OperatorKind> {
    if let Ok((r, _)) = keyword(i, "as") {
        let (r, name) = expect(r, "a column name after `count as`", ident)?;
        return Ok((
            r,
            OperatorKind::Count {
                as_name: Some(name),
            },
        ));
    }
    Ok((i, OperatorKind::Count { as_name: None }))
}

/// `take n` / `limit n`
pub(crate) fn take(i: &str) -> PResult<'_, OperatorKind> {
    let (r, e) = expect(i, "a row count after `take`", expr)?;
    Ok((r, OperatorKind::Take(e)))
}

/// `top n by key [asc|desc] [nulls first|last]`
pub(crate) fn top(i: &str) -> PResult<'_, OperatorKind> {
    let (r, n) = expect(i, "a row count after `top`", expr)?;
    let (r, _) = match keyword(r, "by") {
        Ok(v) => v,
        Err(_) => {
            return Err(nom::Err::Failure(PErr::expected_code(
                ws(r),
                codes::MISSING_KEYWORD,
                "`by` after the `top` row count",
            )));
        }
    };
    let (r, by) = comma_list(r, "a sort expression after `top ... by`", sort_key)?;
    Ok((r, OperatorKind::Top { n, by }))
}

/// `sort by keys` / `order by keys`
pub(crate) fn sort<'a>(i: &'a str, name: &str) -> PResult<'a, OperatorKind> {
    let (r, _) = match keyword(i, "by") {
        Ok(v) => v,
        Err(_) => {
            return Err(nom::Err::Failure(PErr::expected_code(
                ws(i),
                codes::MISSING_KEYWORD,
                format!("`by` after `{name}`"),
            )));
        }
    };
    let (r, keys) = comma_list(r, "a sort expression", sort_key)?;
    Ok((r, OperatorKind::Sort(keys)))
}

/// `distinct cols` / `distinct *`
pub(crate) fn distinct(i: &str) -> PResult<'_, OperatorKind> {
    let (r, _) = params(i, &[])?;
    let (r, cols) = comma_list(r, "a column after `distinct`", expr)?;
    Ok((r, OperatorKind::Distinct(cols)))
}

/// `serialize [name = expr, ...]`
pub(crate) fn serialize(i: &str) -> PResult<'_, OperatorKind> {
    if at_terminator(i) {
        return Ok((i, OperatorKind::Serialize(Vec::new())));
    }
    let (r, items) = comma_list(i, "a column assignment after `serialize`", assignment)?;
    Ok((r, OperatorKind::Serialize(items)))
}

/// `as [hint.materialized=true] Name`
pub(crate) fn as_(i: &str) -> PResult<'_, OperatorKind> {
    let (r, params) = params(i, &[])?;
    let (r, name) = expect(r, "a name after `as`", ident)?;
    Ok((r, OperatorKind::As { params, name }))
}

/// `sample n`
pub(crate) fn sample(i: &str) -> PResult<'_, OperatorKind> {
    let (r, e) = expect(i, "a row count after `sample`", expr)?;
    Ok((r, OperatorKind::Sample(e)))
}

/// `sample-distinct n of expr`
pub(crate) fn sample_distinct(i: &str) -> PResult<'_, OperatorKind> {
    let (r, n) = expect(i, "a count after `sample-distinct`", expr)?;
    let (r, _) = expect(r, "`of` after the `sample-distinct` count", |x| {
        keyword(x, "of")
    })?;
    let (r, of) = expect(r, "a column after `of`", expr)?;
    Ok((r, OperatorKind::SampleDistinct { n, of }))
}
