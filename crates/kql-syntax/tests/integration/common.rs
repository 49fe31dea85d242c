//! Helpers: locating `../shared`, extracting queries from Sentinel YAML files.

use std::path::{Path, PathBuf};

/// `<workspace root>/../shared`, if present. When absent, tests print a notice and return,
/// but fail when `CI` is set.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("sentinel").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "../shared/sentinel not found at {} (required when CI is set)",
            dir.display()
        );
    }
    eprintln!("notice: {} not found; skipping test", dir.display());
    None
}

/// All `.yaml` files under `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Removes a ```` ```kusto ```` / ```` ``` ```` fence around a query.
pub fn strip_fence(q: &str) -> String {
    let t = q.trim();
    if let Some(rest) = t.strip_prefix("```") {
        let body = rest.split_once('\n').map_or("", |(_, b)| b);
        let body = body.trim_end();
        return body
            .strip_suffix("```")
            .unwrap_or(body)
            .trim_end()
            .to_string();
    }
    q.to_string()
}

/// Finds the query text in a parsed YAML document: `query`, `ParserQuery`, or a nested
/// `queryText` (Defender XDR custom detections).
fn find_query(v: &serde_yaml_ng::Value) -> Option<String> {
    let map = v.as_mapping()?;
    for key in ["query", "ParserQuery", "queryText"] {
        if let Some(s) = map.get(key).and_then(|x| x.as_str()) {
            return Some(s.to_string());
        }
    }
    map.values().find_map(find_query)
}

/// Textual fallback for files that are not valid YAML (some Sentinel files have merge
/// conflict markers or bad indentation): the lines of the first `query: |` block up to the
/// next top-level key, dedented.
fn query_block_fallback(text: &str) -> Option<String> {
    let mut lines = text.lines();
    lines.by_ref().find(|l| {
        let l = l.trim_end();
        l.starts_with("query:") && l["query:".len()..].trim().starts_with('|')
    })?;
    let is_key = |l: &str| {
        let n = l.find(':').unwrap_or(0);
        n > 0
            && l[..n]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let body: Vec<&str> = lines
        .take_while(|l| {
            l.is_empty()
                || l.starts_with([' ', '\t'])
                || !(is_key(l) || l.starts_with("=======") || l.starts_with(">>>>>>>"))
        })
        .collect();
    let indent = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let q: Vec<&str> = body.iter().map(|l| l.get(indent..).unwrap_or("")).collect();
    let q = q.join("\n");
    (!q.trim().is_empty()).then_some(q)
}

/// The query of a Sentinel YAML file.
pub fn query_of(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let q = match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text) {
        Ok(v) => find_query(&v),
        Err(_) => query_block_fallback(&text),
    }?;
    Some(strip_fence(&q))
}

/// Every (path, query) of the corpus; panics if a YAML file has no query.
pub fn corpus() -> Option<Vec<(PathBuf, String)>> {
    let shared = shared_dir()?;
    let files = yaml_files(&shared.join("sentinel"));
    let mut out = Vec::new();
    for f in files {
        let q = query_of(&f).unwrap_or_else(|| panic!("no query found in {}", f.display()));
        out.push((f, q));
    }
    Some(out)
}

/// A short display name for a corpus file.
pub fn short(p: &Path) -> String {
    let s = p.to_string_lossy();
    match s.find("sentinel/") {
        Some(n) => s[n..].to_string(),
        None => s.to_string(),
    }
}
