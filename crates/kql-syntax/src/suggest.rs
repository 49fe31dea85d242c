//! "Did you mean ...?" suggestions by edit distance (used by the parser for operator and
//! type names, and by the planner for column, table and function names).

/// Levenshtein distance between `a` and `b`, case-insensitive, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a plausible typo: at most
/// a third of the name's length in edits (at least 1, at most 3). Ties go to the first
/// candidate. An exact (case-insensitive) match is returned only if it differs in case.
///
/// ```
/// use kql_syntax::suggest::closest;
/// assert_eq!(closest("summarise", ["summarize", "sort"]), Some("summarize"));
/// assert_eq!(closest("xyz", ["summarize", "sort"]), None);
/// ```
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = edit_distance(name, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Where", "where"), 0);
    }

    #[test]
    fn closest_picks_nearest() {
        assert_eq!(
            closest("projct", ["project", "project-away"]),
            Some("project")
        );
        assert_eq!(
            closest("DstPortNumbr", ["SrcPortNumber", "DstPortNumber"]),
            Some("DstPortNumber")
        );
        assert_eq!(closest("ab", ["xyz"]), None);
        assert_eq!(closest("Count", ["count"]), Some("count"));
    }
}
