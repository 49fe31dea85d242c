//! KQL's column-naming rules: names inferred from expressions, `Column1`-style defaults,
//! and the numeric-suffix de-duplication used by `join` and `union`.

use kql_syntax::ast::{self, ExprKind};

/// The name KQL infers for an unnamed expression in `project`/`extend`/`summarize by`: a
/// column reference keeps its name, `a.b` / `a["b"]` become `a_b`, `bin(x, ...)` /
/// `floor(x, ...)` keep `x`'s name. Other expressions have no inferred name.
pub(crate) fn inferred_name(e: &ast::Expr) -> Option<String> {
    match &e.node {
        ExprKind::Name(id) => Some(id.name.clone()),
        ExprKind::Member { target, name } => {
            inferred_name(target).map(|t| format!("{t}_{}", name.name))
        }
        ExprKind::Index { target, index } => match &index.node {
            ExprKind::Literal(ast::Literal::String(s)) => {
                inferred_name(target).map(|t| format!("{t}_{s}"))
            }
            _ => None,
        },
        ExprKind::Call { name, args }
            if matches!(name.name.as_str(), "bin" | "floor" | "bin_at") =>
        {
            args.first().and_then(|a| inferred_name(&a.value))
        }
        _ => None,
    }
}

/// The first `Column<N>` (N = 1, 2, ...) not in `taken`.
pub(crate) fn next_column_name(taken: &[String]) -> String {
    (1..)
        .map(|i| format!("Column{i}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| "Column".to_string())
}

/// De-duplicates `names` the way KQL does for join outputs: every distinct original name is
/// reserved first; a later duplicate gets the smallest numeric suffix `>= 1` that makes it
/// unique (`[c, c, c1]` → `[c, c2, c1]`).
pub(crate) fn dedupe_with_suffix(names: &[String]) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = names.iter().cloned().collect();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        if seen.insert(n.as_str()) {
            out.push(n.clone());
            continue;
        }
        let mut i = 1;
        loop {
            let cand = format!("{n}{i}");
            if !taken.contains(&cand) {
                taken.insert(cand.clone());
                out.push(cand);
                break;
            }
            i += 1;
        }
    }
    out
}

/// True when `e` mentions any of `names` as a bare name.
pub(crate) fn mentions(e: &ast::Expr, names: &[String]) -> bool {
    let mut found = false;
    walk(e, &mut |x| {
        if let ExprKind::Name(id) = &x.node
            && names.contains(&id.name)
        {
            found = true;
        }
    });
    found
}

/// Visits `e` and its scalar sub-expressions (not into pipelines).
pub(crate) fn walk(e: &ast::Expr, f: &mut impl FnMut(&ast::Expr)) {
    f(e);
    match &e.node {
        ExprKind::Member { target, .. } => walk(target, f),
        ExprKind::Index { target, index } => {
            walk(target, f);
            walk(index, f);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk(&a.value, f)),
        ExprKind::Unary { operand, .. } => walk(operand, f),
        ExprKind::Binary { left, right, .. } => {
            walk(left, f);
            walk(right, f);
        }
        ExprKind::List { expr, items, .. } => {
            walk(expr, f);
            items.iter().for_each(|i| walk(i, f));
        }
        ExprKind::Between {
            expr, low, high, ..
        } => {
            walk(expr, f);
            walk(low, f);
            walk(high, f);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn join_suffix_dedupe_reserves_original_names() {
        // kql-semantics §6.3: [c, c, c1] becomes [c, c2, c1].
        assert_eq!(
            dedupe_with_suffix(&s(&["c", "c", "c1"])),
            s(&["c", "c2", "c1"])
        );
        assert_eq!(
            dedupe_with_suffix(&s(&["c", "c", "c"])),
            s(&["c", "c1", "c2"])
        );
        assert_eq!(
            dedupe_with_suffix(&s(&["exists", "nosum", "maxv", "nosum"])),
            s(&["exists", "nosum", "maxv", "nosum1"])
        );
    }

    #[test]
    fn column_names_fill_first_gap() {
        assert_eq!(next_column_name(&s(&["Column1", "x"])), "Column2");
        assert_eq!(next_column_name(&s(&[])), "Column1");
    }
}
