//! The stable diagnostic codes of the parser (`KQL1xxx`). Tests assert them; never reuse a
//! code for a different meaning.

/// Unexpected token: "expected X, found Y".
pub const UNEXPECTED_TOKEN: &str = "KQL1001";
/// A construct-specific missing keyword, e.g. "expected `by` after summarize aggregates".
pub const MISSING_KEYWORD: &str = "KQL1002";
/// A string literal without its closing quote.
pub const UNTERMINATED_STRING: &str = "KQL1003";
/// A malformed number literal (`0x`, `1e`, out of range).
pub const INVALID_NUMBER: &str = "KQL1004";
/// A malformed timespan literal (`5w`, `timespan(1:2:3:4:5)`).
pub const INVALID_TIMESPAN: &str = "KQL1005";
/// A malformed `datetime(...)`, `guid(...)`, `bool(...)`, `real(...)` ... literal.
pub const INVALID_LITERAL: &str = "KQL1006";
/// A malformed `dynamic(...)` literal.
pub const INVALID_DYNAMIC: &str = "KQL1007";
/// An unknown tabular operator after `|`.
pub const UNKNOWN_OPERATOR: &str = "KQL1008";
/// An opening bracket without its closing partner (or a stray closing one).
pub const UNBALANCED_BRACKETS: &str = "KQL1009";
/// Nesting deeper than the parser's limit.
pub const TOO_DEEP: &str = "KQL1010";
/// The query text contains no statement.
pub const EMPTY_QUERY: &str = "KQL1011";
/// Input left over after a complete query.
pub const TRAILING_INPUT: &str = "KQL1012";
/// An unknown type name (`typeof(strin)`, `a:integer`).
pub const UNKNOWN_TYPE: &str = "KQL1013";
/// An unterminated `/* ... */`-style or multi-line ```` ``` ```` string.
pub const UNTERMINATED_MULTILINE: &str = "KQL1014";
