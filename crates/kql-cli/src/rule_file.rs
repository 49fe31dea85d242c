//! Loading the query out of a `.kql` file or a Sentinel rule `.yaml` file.
//!
//! * `.kql` (and any other extension): the whole file is the query.
//! * `.yaml` / `.yml`: the `query:` field (analytic rules, hunting queries), `ParserQuery:`
//!   (ASIM parsers) or a nested `queryText:` (Defender XDR custom detections); a
//!   ```` ```kusto ```` fence around the query is removed. Some published rule files are not
//!   valid YAML (merge-conflict markers, bad indentation); for those the `query: |` block is
//!   extracted textually and a warning is attached.
//!
//! When the query's lines appear verbatim (with a fixed indentation) in the file, as they do
//! for `|` block scalars, [`RuleFile::origin`] records where, so diagnostics can point at
//! the line and column *in the file*.

use kql_syntax::Diagnostic;
use std::path::{Path, PathBuf};

/// Codes of rule-file diagnostics (`KQL5xxx`).
pub mod codes {
    /// The file cannot be read.
    pub const UNREADABLE: &str = "KQL5001";
    /// The file is not valid YAML and no query block could be recovered.
    pub const INVALID_YAML: &str = "KQL5002";
    /// The YAML document has no `query:` / `ParserQuery:` / `queryText:` field.
    pub const NO_QUERY: &str = "KQL5003";
    /// The file is not UTF-8 text.
    pub const NOT_UTF8: &str = "KQL5004";
    /// Warning: the YAML is invalid but the query block was extracted textually.
    pub const RECOVERED_QUERY: &str = "KQL5005";
}

/// Where the query's lines sit in the file: query line `i` is file line `first_line + i`
/// (0-based), shifted right by `indent` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryOrigin {
    /// 0-based file line of the query's first line.
    pub first_line: usize,
    /// Bytes of indentation before each query line in the file.
    pub indent: usize,
}

/// A loaded rule or query file.
// `path` and `yaml` are for `kql run`/`kql test` (queryPeriod, entity mappings).
#[allow(dead_code)]
#[derive(Clone, Debug)]
pub struct RuleFile {
    /// The path as given.
    pub path: PathBuf,
    /// The whole file text.
    pub text: String,
    /// The KQL query.
    pub query: String,
    /// Where the query lies in the file, when it can be mapped line by line.
    pub origin: Option<QueryOrigin>,
    /// The parsed YAML document (`None` for `.kql` files and unparseable YAML).
    pub yaml: Option<serde_yaml_ng::Value>,
    /// Warnings about the file (e.g. the query was recovered from invalid YAML).
    pub warnings: Vec<Diagnostic>,
}

impl RuleFile {
    /// Loads `path`: a `.yaml`/`.yml` rule file or a plain KQL file.
    pub fn load(path: &Path) -> Result<RuleFile, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::error(
                codes::UNREADABLE,
                format!("cannot read `{}`: {e}", path.display()),
                0..0,
            )
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Diagnostic::error(
                codes::NOT_UTF8,
                format!(
                    "`{}` is not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                ),
                0..0,
            )
        })?;
        let is_yaml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        let is_doc = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("txt"));
        if is_yaml {
            Self::from_yaml_text(path, text)
        } else if is_doc {
            Self::from_document(path, text)
        } else {
            let origin = Some(QueryOrigin {
                first_line: 0,
                indent: 0,
            });
            Ok(RuleFile {
                path: path.to_path_buf(),
                query: text.clone(),
                text,
                origin,
                yaml: None,
                warnings: Vec::new(),
            })
        }
    }

    /// A Markdown/text document: the `query:` of its YAML front matter, else its first
    /// ```` ```kusto ```` (or ```` ```kql ````) fenced block — how Sentinel content pages
    /// publish queries.
    pub fn from_document(path: &Path, text: String) -> Result<RuleFile, Diagnostic> {
        // YAML front matter (`---` ... `---`) holding a rule: use its `query:` field.
        if let Some(rest) = text
            .strip_prefix("---\n")
            .or_else(|| text.strip_prefix("---\r\n"))
        {
            let end = rest.find("\n---").unwrap_or(rest.len());
            if let Ok(rf) = Self::from_yaml_text(path, rest[..end].to_string()) {
                return Ok(RuleFile {
                    text,
                    origin: None,
                    ..rf
                });
            }
        }
        let mut offset = 0;
        let mut start: Option<(usize, usize)> = None; // (byte offset of body, 0-based line)
        for (lineno, line) in text.split_inclusive('\n').enumerate() {
            let t = line.trim();
            match start {
                None => {
                    let lang = t.strip_prefix("```").map(|l| l.trim().to_ascii_lowercase());
                    if matches!(lang.as_deref(), Some("kusto" | "kql")) {
                        start = Some((offset + line.len(), lineno + 1));
                    }
                }
                Some((body, first_line)) if t.starts_with("```") => {
                    let query = text[body..offset].trim_end().to_string();
                    return Ok(RuleFile {
                        path: path.to_path_buf(),
                        query,
                        text: text.clone(),
                        origin: Some(QueryOrigin {
                            first_line,
                            indent: 0,
                        }),
                        yaml: None,
                        warnings: Vec::new(),
                    });
                }
                Some(_) => {}
            }
            offset += line.len();
        }
        Err(Diagnostic::error(
            codes::NO_QUERY,
            format!("`{}` has no ```kusto fenced query block", path.display()),
            0..0,
        ))
    }

    /// Extracts the query from YAML text.
    pub fn from_yaml_text(path: &Path, text: String) -> Result<RuleFile, Diagnostic> {
        let (query, yaml, warnings) = match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text) {
            Ok(v) => match find_query(&v) {
                Some(q) => (q, Some(v), Vec::new()),
                None => {
                    return Err(Diagnostic::error(
                        codes::NO_QUERY,
                        format!("`{}` has no `query:` field", path.display()),
                        0..0,
                    )
                    .with_help("a Sentinel rule keeps its KQL in `query: |`; ASIM parsers in `ParserQuery: |`"));
                }
            },
            Err(e) => match query_block_fallback(&text) {
                Some(q) => {
                    let w = Diagnostic::warning(
                        codes::RECOVERED_QUERY,
                        format!(
                            "not valid YAML ({e}); the query was taken from its `query: |` block"
                        ),
                        0..0,
                    );
                    (q, None, vec![w])
                }
                None => {
                    let offset = e.location().map_or(0, |l| l.index().min(text.len()));
                    return Err(Diagnostic::error(
                        codes::INVALID_YAML,
                        format!("`{}` is not valid YAML: {e}", path.display()),
                        offset..offset,
                    ));
                }
            },
        };
        let query = strip_fence(&query);
        let origin = locate(&text, &query);
        Ok(RuleFile {
            path: path.to_path_buf(),
            text,
            query,
            origin,
            yaml,
            warnings,
        })
    }

    /// Moves a diagnostic about the query so that its span indexes the whole file (when the
    /// query can be located in the file). Returns the source text the span now refers to.
    pub fn to_file_diagnostic(&self, mut d: Diagnostic) -> (Diagnostic, &str) {
        let Some(origin) = self.origin else {
            return (d, &self.query);
        };
        let map = |off: usize| -> Option<usize> {
            let off = off.min(self.query.len());
            let before = &self.query[..off];
            let qline = before.matches('\n').count();
            let qline_start = before.rfind('\n').map_or(0, |n| n + 1);
            let col = off - qline_start;
            let fline_start = line_start(&self.text, origin.first_line + qline)?;
            let pos = fline_start + origin.indent + col;
            (pos <= self.text.len() && self.text.is_char_boundary(pos)).then_some(pos)
        };
        match (map(d.span.start), map(d.span.end)) {
            (Some(s), Some(e)) if s <= e => {
                d.span = s..e;
                (d, &self.text)
            }
            _ => (d, &self.query),
        }
    }
}

/// Byte offset of the start of 0-based line `n` of `text`.
fn line_start(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    text.match_indices('\n').nth(n - 1).map(|(i, _)| i + 1)
}

/// The query field of a YAML document: `query`, `ParserQuery`, or a nested `queryText`.
fn find_query(v: &serde_yaml_ng::Value) -> Option<String> {
    let map = v.as_mapping()?;
    for key in ["query", "ParserQuery", "queryText"] {
        if let Some(s) = map.get(key).and_then(|x| x.as_str()) {
            return Some(s.to_string());
        }
    }
    map.values().find_map(find_query)
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

/// For invalid YAML: the lines of the first `query: |` block up to the next top-level key
/// (or merge-conflict marker), dedented.
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

/// Finds where `query`'s lines appear in `text` with a fixed indentation.
fn locate(text: &str, query: &str) -> Option<QueryOrigin> {
    let flines: Vec<&str> = text.lines().collect();
    let qlines: Vec<&str> = query.lines().collect();
    let j = qlines.iter().position(|l| !l.trim().is_empty())?;
    let first = qlines[j];
    for (k, fl) in flines.iter().enumerate() {
        if k < j || !fl.ends_with(first) {
            continue;
        }
        let indent = fl.len() - first.len();
        if !fl[..indent].chars().all(|c| c == ' ' || c == '\t') {
            continue;
        }
        let start = k - j;
        let all = qlines
            .iter()
            .enumerate()
            .all(|(i, ql)| match flines.get(start + i) {
                Some(fl) if ql.is_empty() => fl.trim().is_empty(),
                Some(fl) => fl.get(indent..) == Some(ql) && fl[..indent].trim().is_empty(),
                None => false,
            });
        if all {
            return Some(QueryOrigin {
                first_line: start,
                indent,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_query_is_located_in_the_file() {
        let text = "id: 1\nquery: |\n  T\n  | where x\nversion: 1\n".to_string();
        let rf = RuleFile::from_yaml_text(Path::new("r.yaml"), text).unwrap();
        assert_eq!(rf.query, "T\n| where x\n");
        assert_eq!(
            rf.origin,
            Some(QueryOrigin {
                first_line: 2,
                indent: 2
            })
        );
        let d = Diagnostic::error("KQL1001", "x", 4..9);
        let (d, src) = rf.to_file_diagnostic(d);
        assert_eq!(d.line_col(src), (4, 5));
    }

    #[test]
    fn fence_is_stripped() {
        assert_eq!(strip_fence("```kusto\nT | take 1\n```\n"), "T | take 1");
        assert_eq!(strip_fence("T"), "T");
    }

    #[test]
    fn invalid_yaml_falls_back_to_the_query_block() {
        let text = "name:bad\nquery: |\n  T\n  | take 1\nentityMappings:\n".to_string();
        let rf = RuleFile::from_yaml_text(Path::new("r.yaml"), text).unwrap();
        assert_eq!(rf.query, "T\n| take 1");
        assert_eq!(rf.warnings.len(), 1);
        assert_eq!(rf.warnings[0].code, codes::RECOVERED_QUERY);
    }

    #[test]
    fn yaml_without_query_is_an_error() {
        let e = RuleFile::from_yaml_text(Path::new("r.yaml"), "id: 1\n".into()).unwrap_err();
        assert_eq!(e.code, codes::NO_QUERY);
    }
}
