//! Column-shaping operators: `extend`, `project`, `project-away`, `project-keep`,
//! `project-rename`, `project-reorder`.

use super::{assignment, comma_list};
use crate::ast::OperatorKind;
use crate::error::{PResult, expect};
use crate::lexer::{ident, keyword, pattern_ident, sym};

/// `extend [name =] expr, ...`
pub(crate) fn extend(i: &str) -> PResult<'_, OperatorKind> {
    let (r, items) = comma_list(i, "a column assignment after `extend`", assignment)?;
    Ok((r, OperatorKind::Extend(items)))
}

/// `project [name =] expr, ...`
pub(crate) fn project(i: &str) -> PResult<'_, OperatorKind> {
    let (r, items) = comma_list(i, "a column after `project`", assignment)?;
    Ok((r, OperatorKind::Project(items)))
}

/// `project-away pattern, ...`
pub(crate) fn project_away(i: &str) -> PResult<'_, OperatorKind> {
    let (r, items) = comma_list(
        i,
        "a column name or pattern after `project-away`",
        pattern_ident,
    )?;
    Ok((r, OperatorKind::ProjectAway(items)))
}

/// `project-keep pattern, ...`
pub(crate) fn project_keep(i: &str) -> PResult<'_, OperatorKind> {
    let (r, items) = comma_list(
        i,
        "a column name or pattern after `project-keep`",
        pattern_ident,
    )?;
    Ok((r, OperatorKind::ProjectKeep(items)))
}

/// `project-rename new = old, ...`
pub(crate) fn project_rename(i: &str) -> PResult<'_, OperatorKind> {
    let (r, items) = comma_list(i, "`NewName = OldName` after `project-rename`", |x| {
        let (r, new) = ident(x)?;
        let (r, _) = expect(r, "`=` in `project-rename NewName = OldName`", |y| {
            sym(y, "=")
        })?;
        let (r, old) = expect(r, "the old column name in `project-rename`", ident)?;
        Ok((r, (new, old)))
    })?;
    Ok((r, OperatorKind::ProjectRename(items)))
}

/// `project-reorder pattern [asc|desc|granny-asc|granny-desc], ...`
pub(crate) fn project_reorder(i: &str) -> PResult<'_, OperatorKind> {
    let (r, items) = comma_list(i, "a column name or pattern after `project-reorder`", |x| {
        let (r, p) = pattern_ident(x)?;
        for order in ["asc", "desc", "granny-asc", "granny-desc"] {
            if order.contains('-') {
                if let Ok((r2, (w, span))) = crate::lexer::operator_name(r)
                    && w == order
                {
                    return Ok((r2, (p, Some(crate::ast::Ident::new(w, span)))));
                }
            } else if let Ok((r2, span)) = keyword(r, order) {
                return Ok((r2, (p, Some(crate::ast::Ident::new(order, span)))));
            }
        }
        Ok((r, (p, None)))
    })?;
    Ok((r, OperatorKind::ProjectReorder(items)))
}
