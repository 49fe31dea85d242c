//! Structured parsers returning dynamic values: `parse_url`, `parse_urlquery`,
//! `parse_path` (JSON-text property bags) and `parse_command_line` (`List<Utf8>`).

use crate::convert::kit::{
    Arg, Strs, build_list_utf8, build_utf8, kql_udf, ret_list_utf8, ret_utf8,
};
use crate::dynamic::json::to_canonical;
use datafusion::arrow::array::ArrayRef;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ColumnarValue;
use serde_json::{Map, Value};

const STR1: &[Arg] = &[Arg::Str];

/// Query parameters as KQL returns them: `&`-separated `key=value` pairs (split at the first
/// `=`); pieces without `=` are dropped; values are not decoded; keys sorted; the last
/// duplicate wins. Evidence: `parse_url("ldap://[2001:db8::7]/c=GB?objectClass?one")` gives
/// `"Query Parameters":{}` and `?tag=networking&order=newest` gives
/// `{"order":"newest","tag":"networking"}`
/// (https://github.com/microsoft/Kusto-Query-Language/issues/112).
/// // unverified against ADX: decoding and duplicates
fn query_params(q: &str) -> Value {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in q.split('&') {
        if let Some((k, v)) = piece.split_once('=') {
            match pairs.iter_mut().find(|(pk, _)| pk == k) {
                Some(p) => p.1 = v.to_string(),
                None => pairs.push((k.to_string(), v.to_string())),
            }
        }
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k, Value::String(v));
    }
    Value::Object(m)
}

/// The parts of an absolute hierarchical URL `scheme://[user:password@]host[:port][/path][?query][#fragment]`.
/// Non-hierarchical URIs (`mailto:`...) give every part empty. The authority is split at
/// its last `:` and user info is only recognised in the `user:password@` form, reproducing
/// the ADX outputs quoted in https://github.com/microsoft/Kusto-Query-Language/issues/112.
pub fn parse_url(url: &str) -> Value {
    let mut scheme = "";
    let mut host = "";
    let mut port = "";
    let mut path = "";
    let mut user = "";
    let mut password = "";
    let mut query = "";
    let mut fragment = "";
    if let Some(p) = url.find("://") {
        let sch = &url[..p];
        let valid_scheme = !sch.is_empty()
            && sch.as_bytes()[0].is_ascii_alphabetic()
            && sch
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if valid_scheme {
            scheme = sch;
            let rest = &url[p + 3..];
            let (before_frag, frag) = match rest.find('#') {
                Some(k) => (&rest[..k], &rest[k + 1..]),
                None => (rest, ""),
            };
            fragment = frag;
            let (before_query, q) = match before_frag.find('?') {
                Some(k) => (&before_frag[..k], &before_frag[k + 1..]),
                None => (before_frag, ""),
            };
            query = q;
            let (authority, pth) = match before_query.find('/') {
                Some(k) => (&before_query[..k], &before_query[k..]),
                None => (before_query, ""),
            };
            path = pth;
            let mut auth = authority;
            if let Some(at) = auth.rfind('@') {
                let info = &auth[..at];
                if let Some((u, pw)) = info.split_once(':') {
                    user = u;
                    password = pw;
                    auth = &auth[at + 1..];
                }
            }
            match auth.rfind(':') {
                Some(k) => {
                    host = &auth[..k];
                    port = &auth[k + 1..];
                }
                None => host = auth,
            }
        }
    }
    let mut m = Map::new();
    m.insert("Scheme".into(), Value::String(scheme.into()));
    m.insert("Host".into(), Value::String(host.into()));
    m.insert("Port".into(), Value::String(port.into()));
    m.insert("Path".into(), Value::String(path.into()));
    m.insert("Username".into(), Value::String(user.into()));
    m.insert("Password".into(), Value::String(password.into()));
    m.insert("Query Parameters".into(), query_params(query));
    m.insert("Fragment".into(), Value::String(fragment.into()));
    Value::Object(m)
}

fn invoke_parse_url(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&to_canonical(&parse_url(s.get(i))))
    }))
}

kql_udf!(
    /// KQL: `parse_url(url)` - property bag `{Scheme, Host, Port, Path, Username, Password,
    /// "Query Parameters": {...}, Fragment}` (all strings) as dynamic JSON text.
    kql_parse_url, "kql_parse_url", STR1, 1, ret_utf8, invoke_parse_url
);

/// KQL `parse_urlquery(query)`: `{"Query Parameters": {...}}` (a leading `?` is not
/// stripped, as reported in https://github.com/MicrosoftDocs/dataexplorer-docs/issues/1056).
pub fn parse_urlquery(q: &str) -> Value {
    let mut m = Map::new();
    m.insert("Query Parameters".into(), query_params(q));
    Value::Object(m)
}

fn invoke_parse_urlquery(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&to_canonical(&parse_urlquery(s.get(i))))
    }))
}

kql_udf!(
    /// KQL: `parse_urlquery(query)` - `{"Query Parameters": {...}}` as dynamic JSON text.
    kql_parse_urlquery, "kql_parse_urlquery", STR1, 1, ret_utf8, invoke_parse_urlquery
);

/// KQL `parse_path(path)`: `{Scheme, RootPath, DirectoryPath, DirectoryName, Filename,
/// Extension, AlternateDataStreamName}` following the documented examples
/// (https://learn.microsoft.com/kusto/query/parse-path-function).
pub fn parse_path(path: &str) -> Value {
    let mut scheme = "";
    let mut rest = path;
    if let Some(p) = path.find("://") {
        let sch = &path[..p];
        if sch.len() > 1 && sch.bytes().all(|b| b.is_ascii_alphanumeric()) {
            scheme = sch;
            rest = &path[p + 3..];
        }
    }
    let body = rest.strip_prefix(r"\\?\").unwrap_or(rest);
    let bb = body.as_bytes();
    let root = if bb.len() >= 2 && bb[0].is_ascii_alphabetic() && bb[1] == b':' {
        &body[..2]
    } else {
        ""
    };
    let (dir, file_part) = match rest.rfind(['/', '\\']) {
        Some(k) => (&rest[..k], &rest[k + 1..]),
        None => {
            if root.is_empty() {
                ("", rest)
            } else {
                (
                    root,
                    &rest[rest.len().min(rest.find(':').map_or(0, |k| k + 1))..],
                )
            }
        }
    };
    let (filename, ads) = match file_part.split_once(':') {
        Some((f, a)) => (f, a),
        None => (file_part, ""),
    };
    let dir_name = match dir.rfind(['/', '\\']) {
        Some(k) => &dir[k + 1..],
        None => dir,
    };
    let ext = match filename.rfind('.') {
        Some(k) => &filename[k + 1..],
        None => "",
    };
    let mut m = Map::new();
    m.insert("Scheme".into(), Value::String(scheme.into()));
    m.insert("RootPath".into(), Value::String(root.into()));
    m.insert("DirectoryPath".into(), Value::String(dir.into()));
    m.insert("DirectoryName".into(), Value::String(dir_name.into()));
    m.insert("Filename".into(), Value::String(filename.into()));
    m.insert("Extension".into(), Value::String(ext.into()));
    m.insert("AlternateDataStreamName".into(), Value::String(ads.into()));
    Value::Object(m)
}

fn invoke_parse_path(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    Ok(build_utf8(n, |i, out| {
        out.push_str(&to_canonical(&parse_path(s.get(i))))
    }))
}

kql_udf!(
    /// KQL: `parse_path(path)` - property bag of the path parts as dynamic JSON text.
    kql_parse_path, "kql_parse_path", STR1, 1, ret_utf8, invoke_parse_path
);

/// Splits a command line like Windows `CommandLineToArgvW`: the program name ends at the
/// next quote (when quoted) or white space, without backslash processing; other arguments
/// use the 2n / 2n+1 backslash rules, and `""` inside quotes is a literal quote (ending the
/// quoted block). Leading white space is skipped; an empty line gives `[]`.
/// // unverified against ADX beyond the documented example
pub fn parse_command_line_windows(cmd: &str) -> Vec<String> {
    let chars: Vec<char> = cmd.chars().collect();
    let mut args = Vec::new();
    let mut k = 0;
    let is_ws = |c: char| c == ' ' || c == '\t' || c == '\n' || c == '\r';
    while k < chars.len() && is_ws(chars[k]) {
        k += 1;
    }
    if k >= chars.len() {
        return args;
    }
    // Program name.
    let mut prog = String::new();
    if chars[k] == '"' {
        k += 1;
        while k < chars.len() && chars[k] != '"' {
            prog.push(chars[k]);
            k += 1;
        }
        k += 1;
    } else {
        while k < chars.len() && !is_ws(chars[k]) {
            prog.push(chars[k]);
            k += 1;
        }
    }
    args.push(prog);
    loop {
        while k < chars.len() && is_ws(chars[k]) {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        let mut arg = String::new();
        let mut in_quotes = false;
        while k < chars.len() {
            let c = chars[k];
            if is_ws(c) && !in_quotes {
                break;
            }
            if c == '\\' {
                let mut nb = 0;
                while k < chars.len() && chars[k] == '\\' {
                    nb += 1;
                    k += 1;
                }
                if k < chars.len() && chars[k] == '"' {
                    arg.extend(std::iter::repeat_n('\\', nb / 2));
                    if nb % 2 == 1 {
                        arg.push('"');
                        k += 1;
                    }
                } else {
                    arg.extend(std::iter::repeat_n('\\', nb));
                }
                continue;
            }
            if c == '"' {
                if in_quotes && k + 1 < chars.len() && chars[k + 1] == '"' {
                    arg.push('"');
                    k += 2;
                    in_quotes = false;
                    continue;
                }
                in_quotes = !in_quotes;
                k += 1;
                continue;
            }
            arg.push(c);
            k += 1;
        }
        args.push(arg);
    }
    args
}

fn invoke_parse_command_line(args: &[ColumnarValue], n: usize) -> Result<ArrayRef> {
    let s = Strs::new(&args[0])?;
    let kind = Strs::opt(args, 1, "windows")?;
    for i in 0..n {
        if !kind.get(i).eq_ignore_ascii_case("windows") {
            return exec_err!(
                "parse_command_line: parser type must be \"windows\", got {:?}",
                kind.get(i)
            );
        }
    }
    Ok(build_list_utf8(n, |i| {
        Some(parse_command_line_windows(s.get(i)))
    }))
}

kql_udf!(
    /// KQL: `parse_command_line(command_line, parser_type)` - arguments of a Windows command
    /// line (`parser_type` must be `"windows"`) → `List<Utf8>`.
    kql_parse_command_line, "kql_parse_command_line", &[Arg::Str, Arg::Str], 1,
    ret_list_utf8, invoke_parse_command_line
);

#[cfg(test)]
mod tests {
    use super::*;

    fn url(u: &str) -> String {
        to_canonical(&parse_url(u))
    }

    // https://learn.microsoft.com/kusto/query/parse-url-function (the documented output
    // shows "Path":"this/is/a/path"; the ADX outputs in
    // https://github.com/microsoft/Kusto-Query-Language/issues/112 keep the leading "/",
    // which we follow) // unverified against ADX
    #[test]
    fn parse_url_docs() {
        assert_eq!(
            url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment"),
            r#"{"Scheme":"scheme","Host":"host","Port":"1234","Path":"/this/is/a/path","Username":"username","Password":"password","Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}"#
        );
        assert_eq!(
            url(
                "https://john.doe@www.example.com:123/forum/questions/?tag=networking&order=newest#top"
            ),
            r#"{"Scheme":"https","Host":"john.doe@www.example.com","Port":"123","Path":"/forum/questions/","Username":"","Password":"","Query Parameters":{"order":"newest","tag":"networking"},"Fragment":"top"}"#
        );
        assert_eq!(
            url("ldap://[2001:db8::7]/c=GB?objectClass?one"),
            r#"{"Scheme":"ldap","Host":"[2001:db8:","Port":"7]","Path":"/c=GB","Username":"","Password":"","Query Parameters":{},"Fragment":""}"#
        );
        let empty = r#"{"Scheme":"","Host":"","Port":"","Path":"","Username":"","Password":"","Query Parameters":{},"Fragment":""}"#;
        assert_eq!(url("mailto:John.Doe@example.com"), empty);
        assert_eq!(url("tel:+1-816-555-1212"), empty);
        assert_eq!(url(""), empty);
        assert_eq!(
            url("https://www.bing.com"),
            r#"{"Scheme":"https","Host":"www.bing.com","Port":"","Path":"","Username":"","Password":"","Query Parameters":{},"Fragment":""}"#
        );
    }

    // https://learn.microsoft.com/kusto/query/parseurlqueryfunction
    #[test]
    fn parse_urlquery_docs() {
        assert_eq!(
            to_canonical(&parse_urlquery("k1=v1&k2=v2&k3=v3")),
            r#"{"Query Parameters":{"k1":"v1","k2":"v2","k3":"v3"}}"#
        );
        assert_eq!(
            to_canonical(&parse_urlquery("?view=vs-2019")),
            r#"{"Query Parameters":{"?view":"vs-2019"}}"#
        );
    }

    // https://learn.microsoft.com/kusto/query/parse-path-function
    #[test]
    fn parse_path_docs() {
        let p = |s: &str| to_canonical(&parse_path(s));
        assert_eq!(
            p(r"C:\temp\file.txt"),
            r#"{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}"#
        );
        assert_eq!(
            p(r"temp\file.txt"),
            r#"{"Scheme":"","RootPath":"","DirectoryPath":"temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}"#
        );
        assert_eq!(
            p("file://C:/temp/file.txt:some.exe"),
            r#"{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}"#
        );
        assert_eq!(
            p(r"\\shared\users\temp\file.txt.gz"),
            r#"{"Scheme":"","RootPath":"","DirectoryPath":"\\\\shared\\users\\temp","DirectoryName":"temp","Filename":"file.txt.gz","Extension":"gz","AlternateDataStreamName":""}"#
        );
        assert_eq!(
            p("/usr/lib/temp/file.txt"),
            r#"{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}"#
        );
        // no panics on odd input
        for s in [
            "",
            "C:",
            "C:x",
            ":",
            "://",
            "a://b",
            "\\\\?\\C:\\x.y",
            "é:/ü",
        ] {
            let _ = p(s);
        }
    }

    // https://learn.microsoft.com/kusto/query/parse-command-line
    #[test]
    fn parse_command_line_docs() {
        assert_eq!(
            parse_command_line_windows("echo \"hello world!\""),
            ["echo", "hello world!"]
        );
        // CommandLineToArgvW rules // unverified against ADX
        assert_eq!(
            parse_command_line_windows(r#""C:\Program Files\a.exe" a\\\"b "c d" e\\"#),
            [r"C:\Program Files\a.exe", r#"a\"b"#, "c d", r"e\\"]
        );
        assert_eq!(parse_command_line_windows(r#"x a\\"b c"#), ["x", r"a\b c"]);
        assert!(parse_command_line_windows("   ").is_empty());
        assert_eq!(parse_command_line_windows(r#"x "a""b""#), ["x", r#"a"b"#]);
    }
}
