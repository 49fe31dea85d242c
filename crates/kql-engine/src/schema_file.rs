//! Table schema files: Sentinel's JSON validation format (`{"Name": T, "Properties":
//! [{"Name": c, "Type": t}]}`; some files use lower-case keys, CRLF line endings, or repeat
//! a column — all accepted) and stored-function descriptions (`FunctionName`,
//! `FunctionParameters`, `FunctionResultColumns`).

use kql_planner::KqlType;
use serde_json::Value;
use std::path::Path;

/// A table schema: name and KQL-typed columns.
#[derive(Clone, Debug, PartialEq)]
pub struct TableSchema {
    /// Table name.
    pub name: String,
    /// Columns in order (first occurrence wins when a file repeats a column).
    pub columns: Vec<(String, KqlType)>,
}

/// A stored function description from a schema directory's `functions/*.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionSchema {
    /// Function name.
    pub name: String,
    /// Parameter names (their declared types are unreliable in Sentinel's files).
    pub params: Vec<String>,
    /// Output columns.
    pub columns: Vec<(String, KqlType)>,
}

/// Reads a key case-insensitively.
fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Parses the column list of a schema object (`Properties` or `FunctionResultColumns`).
fn columns(v: Option<&Value>, origin: &str) -> Result<Vec<(String, KqlType)>, String> {
    let Some(Value::Array(items)) = v else {
        return Err(format!("{origin}: no column list"));
    };
    let mut out: Vec<(String, KqlType)> = Vec::new();
    for item in items {
        let name = get(item, "Name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{origin}: a column without a name"))?;
        let ty = get(item, "Type")
            .and_then(Value::as_str)
            .unwrap_or("string");
        let kty = KqlType::parse(ty)
            .ok_or_else(|| format!("{origin}: column `{name}` has unknown type `{ty}`"))?;
        if !out.iter().any(|(n, _)| n == name) {
            out.push((name.to_string(), kty));
        }
    }
    Ok(out)
}

/// Parses a table schema document.
pub fn parse_table_schema(text: &str, origin: &str) -> Result<TableSchema, String> {
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("{origin}: invalid JSON: {e}"))?;
    let name = get(&v, "Name")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{origin}: no table name"))?;
    Ok(TableSchema {
        name: name.to_string(),
        columns: columns(get(&v, "Properties"), origin)?,
    })
}

/// Parses a function description document.
pub fn parse_function_schema(text: &str, origin: &str) -> Result<FunctionSchema, String> {
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("{origin}: invalid JSON: {e}"))?;
    let name = get(&v, "FunctionName")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{origin}: no FunctionName"))?;
    let params = match get(&v, "FunctionParameters") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|p| get(p, "Name").and_then(Value::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Ok(FunctionSchema {
        name: name.to_string(),
        params,
        columns: columns(get(&v, "FunctionResultColumns"), origin)?,
    })
}

/// Reads every `*.json` table schema in `dir` (not recursive) and `dir/functions/*.json`.
/// Files that fail to parse are reported in the error list; the rest load.
pub fn read_schema_dir(dir: &Path) -> (Vec<TableSchema>, Vec<FunctionSchema>, Vec<String>) {
    let mut tables = Vec::new();
    let mut functions = Vec::new();
    let mut errors = Vec::new();
    for (sub, is_fn) in [(dir.to_path_buf(), false), (dir.join("functions"), true)] {
        let Ok(rd) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let origin = p.display().to_string();
            match std::fs::read_to_string(&p) {
                Err(e) => errors.push(format!("{origin}: {e}")),
                Ok(text) if is_fn => match parse_function_schema(&text, &origin) {
                    Ok(f) => functions.push(f),
                    Err(e) => errors.push(e),
                },
                Ok(text) => match parse_table_schema(&text, &origin) {
                    Ok(t) => {
                        // Some files declare a wrong name (a copy/paste bug:
                        // ThreatIntelligenceIndicator.json says Malware_data_CL); the file
                        // name is the table's name too.
                        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                        if !stem.is_empty()
                            && stem != t.name
                            && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            tables.push(TableSchema {
                                name: stem.to_string(),
                                columns: t.columns.clone(),
                            });
                        }
                        tables.push(t);
                    }
                    Err(e) => errors.push(e),
                },
            }
        }
    }
    (tables, functions, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lower_case_keys_and_repeated_columns() {
        let text = "{\"name\":\"T\",\r\n\"properties\":[{\"name\":\"a\",\"type\":\"DateTime\"},{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"Double\"}]}";
        let t = parse_table_schema(text, "t.json").unwrap();
        assert_eq!(t.name, "T");
        assert_eq!(
            t.columns,
            vec![("a".into(), KqlType::DateTime), ("b".into(), KqlType::Real)]
        );
    }

    #[test]
    fn rejects_unknown_types_with_the_column_name() {
        let e = parse_table_schema(
            r#"{"Name":"T","Properties":[{"Name":"a","Type":"blob"}]}"#,
            "t.json",
        )
        .unwrap_err();
        assert!(e.contains("`a`") && e.contains("blob"), "{e}");
    }
}
