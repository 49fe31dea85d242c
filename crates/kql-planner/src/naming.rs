//! KQL's column-naming rules: names inferred from expressions, `Column1`-style defaults,
//! and the numeric-suffix de-duplication used by `join` and `union`.

use kql_syntax::ast::{self, ExprKind};

/// The name KQL infers for an unnamed expression in `project`/`extend`/`summarize by`
/// (Kusto.Language's `GetExpressionResultName`): a column reference keeps its name,
/// `a.b` / `a["b"]` / `a[0]` become `a_b` / `a_0`, and function calls follow each
/// function's result-name kind ([`function_result_name`]). Other expressions have no
/// inferred name (they get `ColumnN`).
pub(crate) fn inferred_name(e: &ast::Expr) -> Option<String> {
    match &e.node {
        ExprKind::Name(id) => Some(id.name.clone()),
        ExprKind::Member { target, name } => Some(match inferred_name(target) {
            Some(t) if !t.trim().is_empty() => format!("{t}_{}", name.name),
            _ => name.name.clone(),
        }),
        ExprKind::Index { target, index } => {
            let right = match &index.node {
                ExprKind::Literal(ast::Literal::String(s)) => s.clone(),
                ExprKind::Literal(ast::Literal::Long(Some(i))) => i.to_string(),
                ExprKind::Literal(ast::Literal::Int(Some(i))) => i.to_string(),
                _ => return None,
            };
            Some(match inferred_name(target) {
                Some(t) if !t.trim().is_empty() => format!("{t}_{right}"),
                _ => right,
            })
        }
        ExprKind::Call { name, args } => function_result_name(&name.name, args),
        _ => None,
    }
}

/// Functions named after their first argument (`ResultNameKind.FirstArgument` in
/// Kusto.Language): conversions, `bin`, `split`, `parse_json`, math functions, ...
const FIRST_ARGUMENT: &[&str] = &[
    "tostring",
    "tohex",
    "todynamic",
    "toobject",
    "tolong",
    "toint",
    "toreal",
    "todouble",
    "todatetime",
    "totimespan",
    "totime",
    "tobool",
    "toboolean",
    "todecimal",
    "toguid",
    "split",
    "parse_csv",
    "parsejson",
    "parse_json",
    "parse_xml",
    "format_datetime",
    "format_timespan",
    "format_bytes",
    "startofday",
    "bin",
    "floor",
    "bin_at",
    "bin_auto",
    "binary_and",
    "binary_or",
    "binary_xor",
    "binary_not",
    "binary_shift_right",
    "binary_shift_left",
    "bitset_count_ones",
    "series_fir",
    "series_outliers",
    "series_iir",
    "series_fill_backward",
    "series_fill_forward",
    "series_fill_const",
    "series_fill_linear",
    "round",
    "ceiling",
    "pow",
    "sqrt",
    "log",
    "log2",
    "log10",
    "exp",
    "exp2",
    "exp10",
    "cos",
    "sin",
    "tan",
    "acos",
    "asin",
    "atan",
    "atan2",
    "abs",
    "rand",
    "gamma",
    "loggamma",
    "erf",
    "erfc",
];

/// The result name of an unnamed call, by the function's result-name kind.
pub(crate) fn function_result_name(f: &str, args: &[ast::Arg]) -> Option<String> {
    // `f(Name = e)`: a named expression names itself.
    let first = || {
        args.first().and_then(|a| {
            a.name
                .as_ref()
                .map(|n| n.name.clone())
                .or_else(|| inferred_name(&a.value))
        })
    };
    match f {
        _ if FIRST_ARGUMENT.contains(&f) => first(),
        // NameAndFirstArgument: `strlen_x`.
        "strlen" | "string_size" | "percentile_tdigest" | "dcount_hll" => {
            Some(format!("{f}_{}", first().unwrap_or_default()))
        }
        // PrefixAndFirstArgument with a prefix.
        "gettype" => Some(format!("type_{}", first().unwrap_or_default())),
        "treepath" => Some(format!("tree_{}", first().unwrap_or_default())),
        "repeat" => Some(format!("repeat_{}", first().unwrap_or_default())),
        // OnlyArgument.
        "make_datetime" | "make_timespan" if args.len() == 1 => first(),
        // FirstArgumentValueIfColumn (the caller checks the column exists).
        "column_ifexists" | "columnifexists" => match args.first().map(|a| &a.value.node) {
            Some(ExprKind::Literal(ast::Literal::String(s))) => Some(s.clone()),
            _ => None,
        },
        "ingestion_time" => Some("$IngestionTime".to_string()),
        _ => None,
    }
}

/// `base` made unique against `taken` by appending the smallest free number (`x`, `x1`,
/// `x2`), as Kusto's projection builder does for inferred names.
pub(crate) fn unique_name(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (1..)
        .map(|i| format!("{base}{i}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| base.to_string())
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
    fn inferred_names_get_numeric_suffixes() {
        assert_eq!(unique_name("x", &s(&["x"])), "x1");
        assert_eq!(unique_name("count_", &s(&["count_", "count_1"])), "count_2");
        assert_eq!(unique_name("y", &s(&["x"])), "y");
    }
}
