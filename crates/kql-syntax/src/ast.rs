//! The KQL abstract syntax tree.
//!
//! Every node carries the byte span of the source text it was parsed from. Equality of
//! nodes **ignores spans** (see [`Spanned`] and [`Ident`]), so that the round-trip property
//! `parse(print(parse(q))) == parse(q)` can be checked with `==`.
//!
//! Design notes:
//! * Tabular and scalar expressions share one [`Expr`] type, as in Kusto.Language's syntax
//!   tree: `T | where x`, `toscalar(T | count)`, `let x = 14d;` and `let t = T;` all parse
//!   without knowing what a name refers to. The binder (kql-planner) decides.
//! * Parentheses are not kept as nodes; `Display` re-inserts them where precedence needs them.
//! * Literals keep what the planner needs: timespans are already converted to 100 ns ticks;
//!   datetime and guid literals keep their raw text (the planner parses datetimes with the
//!   same parser as `todatetime`).

use std::ops::Range;

/// A byte range into the source text.
pub type Span = Range<usize>;

/// A node with the byte span it was parsed from. Equality ignores the span.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The node itself.
    pub node: T,
    /// Byte range of the node in the source.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `node` with `span`.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

/// An identifier: a column, table, let-bound or function name. `['a b']` and `a` are both
/// identifiers; `name` holds the unquoted text. Equality ignores the span.
#[derive(Clone, Debug)]
pub struct Ident {
    /// The name, without brackets or quotes.
    pub name: String,
    /// Byte range in the source (including brackets, if any).
    pub span: Span,
}

impl PartialEq for Ident {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Ident {
    /// Creates an identifier.
    pub fn new(name: impl Into<String>, span: Span) -> Self {
        Ident { name: name.into(), span }
    }
}

// ---------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------

/// A whole query text: statements separated by `;`.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// The statements in source order. Usually zero or more `let`s then one tabular
    /// expression statement.
    pub statements: Vec<Statement>,
    /// The span of the whole query.
    pub span: Span,
}

/// One statement of a query.
pub type Statement = Spanned<StatementKind>;

/// The kinds of statement.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    /// `let name = value`
    Let(LetStmt),
    /// A query expression statement (usually tabular).
    Expr(Expr),
    /// `set name [= value]` (query options; parsed, ignored by the planner with a warning).
    Set {
        /// Option name (may contain dots).
        name: Ident,
        /// Optional value.
        value: Option<Expr>,
    },
    /// `declare query_parameters(name:type [= default], ...)`.
    DeclareQueryParameters(Vec<Param>),
}

/// `let name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct LetStmt {
    /// The bound name.
    pub name: Ident,
    /// The bound value.
    pub value: LetValue,
}

/// What a `let` binds.
#[derive(Clone, Debug, PartialEq)]
pub enum LetValue {
    /// A scalar or tabular expression (including `materialize(...)` and `toscalar(...)`).
    Expr(Expr),
    /// A user-defined function `(params) { body }` (also `view (params) { body }`).
    Function(FunctionDef),
}

/// A user-defined function (lambda) definition.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    /// Parameters in declaration order.
    pub params: Vec<Param>,
    /// Body: `let` statements then one expression.
    pub body: FunctionBody,
    /// True for `view (...) { ... }`.
    pub is_view: bool,
}

/// The body of a function: zero or more `let`s, then exactly one expression.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionBody {
    /// Local `let` statements.
    pub lets: Vec<Spanned<LetStmt>>,
    /// The result expression.
    pub expr: Box<Expr>,
}

/// A function or query parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Parameter name.
    pub name: Ident,
    /// Declared type.
    pub ty: ParamType,
    /// Default value (a literal), if any.
    pub default: Option<Expr>,
}

/// The declared type of a parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamType {
    /// A scalar type such as `datetime`.
    Scalar(Spanned<TypeName>),
    /// A tabular parameter: `T:(*)` (`columns == None`, open schema) or
    /// `T:(a:string, b:long)` (the listed columns, `open` when it ends with `, *`).
    Tabular {
        /// Declared columns, `None` for `(*)`.
        columns: Option<Vec<ColumnDecl>>,
        /// Whether the schema is open (`*` present).
        open: bool,
    },
}

/// `name:type`, as in `datatable(name:type, ...)` or tabular parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDecl {
    /// Column name.
    pub name: Ident,
    /// Column type.
    pub ty: Spanned<TypeName>,
}

/// The KQL scalar type names (aliases are normalised by the parser).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TypeName {
    /// `bool` / `boolean`
    Bool,
    /// `int` / `int32`
    Int,
    /// `long` / `int64`
    Long,
    /// `real` / `double`
    Real,
    /// `decimal`
    Decimal,
    /// `datetime` / `date`
    DateTime,
    /// `timespan` / `time`
    TimeSpan,
    /// `string`
    String,
    /// `guid` / `uniqueid`
    Guid,
    /// `dynamic`
    Dynamic,
}

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

/// A scalar or tabular expression.
pub type Expr = Spanned<ExprKind>;

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal value.
    Literal(Literal),
    /// A name: column, let-bound name, table, parameter, zero-argument function; also
    /// `$left` / `$right` (their `name` is `"$left"` / `"$right"`).
    Name(Ident),
    /// A name pattern with `*` wildcards, only where patterns are allowed (union legs, e.g.
    /// `union Net*`).
    NamePattern(Ident),
    /// `*` (as in `arg_max(x, *)`, `count(*)`-style arguments, `distinct *`).
    Star,
    /// `target.name`
    Member {
        /// The object.
        target: Box<Expr>,
        /// The member name.
        name: Ident,
    },
    /// `target[index]`
    Index {
        /// The object.
        target: Box<Expr>,
        /// The index or key expression.
        index: Box<Expr>,
    },
    /// `name(args...)`
    Call {
        /// The function name.
        name: Ident,
        /// Positional and named arguments.
        args: Vec<Arg>,
    },
    /// `-x`, `+x`
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `left op right`
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `expr in (a, b)`, `expr !in~ (T | project x)`, `expr has_any (list)`, ...
    List {
        /// The operator.
        op: ListOp,
        /// The tested expression.
        expr: Box<Expr>,
        /// The list items (literals, expressions, a dynamic array, or one tabular
        /// expression).
        items: Vec<Expr>,
    },
    /// `expr [!]between (low .. high)`
    Between {
        /// True for `!between`.
        negated: bool,
        /// The tested expression.
        expr: Box<Expr>,
        /// Lower bound (inclusive).
        low: Box<Expr>,
        /// Upper bound (inclusive).
        high: Box<Expr>,
    },
    /// `typeof(T)`
    TypeOf(Spanned<TypeName>),
    /// `source | op | op ...`. The source is `None` for a contextual subquery whose
    /// input is implicit (`mv-apply ... on (summarize ...)`, `partition ... (top 3 by x)`).
    Pipeline {
        /// The input of the pipeline.
        source: Option<Box<Expr>>,
        /// Operators in order (at least one).
        ops: Vec<Operator>,
    },
    /// `datatable(col:type, ...) [v1, v2, ...]`
    Datatable {
        /// Column declarations.
        columns: Vec<ColumnDecl>,
        /// Values, row-major.
        values: Vec<Expr>,
    },
    /// A source operator that starts a pipeline: `print`, `range`, `union`, `search`,
    /// `find`, `externaldata`, `evaluate`.
    Source(Box<Operator>),
}

/// A function call argument: positional (`name == None`) or named (`name = value`).
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// The parameter name for named arguments.
    pub name: Option<Ident>,
    /// The value.
    pub value: Expr,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Plus,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=` (also `<>`)
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=~` (case-insensitive string equality)
    EqCi,
    /// `!~`
    NotEqCi,
    /// `has`, `contains`, `startswith`, ... with negation and case sensitivity.
    Str(StrOp),
    /// `matches regex`
    MatchesRegex,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
}

/// A string predicate operator such as `!has_cs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrOp {
    /// Which predicate.
    pub kind: StrOpKind,
    /// `!` form.
    pub negated: bool,
    /// `_cs` form.
    pub case_sensitive: bool,
}

/// The string predicate families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrOpKind {
    /// `has`
    Has,
    /// `hasprefix`
    HasPrefix,
    /// `hassuffix`
    HasSuffix,
    /// `contains`
    Contains,
    /// `startswith`
    StartsWith,
    /// `endswith`
    EndsWith,
}

/// List operators: `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOp {
    /// `in`
    In,
    /// `!in`
    NotIn,
    /// `in~`
    InCi,
    /// `!in~`
    NotInCi,
    /// `has_any`
    HasAny,
    /// `has_all`
    HasAll,
}

/// Literal values. `None` payloads are typed nulls (`int(null)`, `datetime(null)`).
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `true`, `false`, `bool(null)`
    Bool(Option<bool>),
    /// `int(5)`, `int(null)`
    Int(Option<i32>),
    /// `5`, `0x1F`, `long(5)`, `long(null)`
    Long(Option<i64>),
    /// `1.5`, `1e3`, `real(nan)`, `real(+inf)`, `double(null)`
    Real(Option<f64>),
    /// `decimal(1.5)`: the raw digits.
    Decimal(Option<String>),
    /// `'text'`, `"text"`, `@'verbatim'`, `h'hidden'`, multi-line ```text```: the decoded value.
    String(String),
    /// `datetime(...)`: the raw text between the parentheses (trimmed), `None` for null.
    DateTime(Option<String>),
    /// `14d`, `1.5h`, `timespan(1.02:03:04)`, `time(null)`: value in 100 ns ticks.
    TimeSpan(Option<i64>),
    /// `guid(...)`: the raw text, `None` for null.
    Guid(Option<String>),
    /// `dynamic(...)`
    Dynamic(DynLit),
}

impl Eq for Literal {}

/// The contents of a `dynamic(...)` literal.
#[derive(Clone, Debug, PartialEq)]
pub enum DynLit {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer number.
    Long(i64),
    /// A real number.
    Real(f64),
    /// A string.
    String(String),
    /// A typed KQL literal embedded in the dynamic value, e.g. `datetime(2020-01-01)`.
    Typed(Box<Literal>),
    /// `[a, b, ...]`
    Array(Vec<DynLit>),
    /// `{"k": v, ...}` (key order as written).
    Object(Vec<(String, DynLit)>),
}

// ---------------------------------------------------------------------------------------
// Tabular operators
// ---------------------------------------------------------------------------------------

/// One tabular operator (a pipeline stage or a source operator).
pub type Operator = Spanned<OperatorKind>;

/// `name = value` operator parameters such as `kind=inner`, `hint.strategy=shuffle`,
/// `isfuzzy=true`, `withsource=T`, `with_itemindex=i`.
#[derive(Clone, Debug, PartialEq)]
pub struct OpParam {
    /// The parameter name as written, lower-case normalised (`hint.strategy`).
    pub name: Ident,
    /// The value: an identifier (`inner`, `shuffle`, a column name) or a literal.
    pub value: Expr,
}

/// `[name =] expr`, or a tuple assignment `(a, b, c) = expr`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// Target names: empty = unnamed, one = `name = expr`, several = tuple assignment.
    pub names: Vec<Ident>,
    /// Whether the names were written as a parenthesised tuple (`(a) = f(x)` vs `a = f(x)`).
    pub tuple: bool,
    /// The value.
    pub expr: Expr,
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDir {
    /// `asc`
    Asc,
    /// `desc`
    Desc,
}

/// Null placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NullsOrder {
    /// `nulls first`
    First,
    /// `nulls last`
    Last,
}

/// A sort key: `expr [asc|desc] [nulls first|last]`.
#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    /// The sort expression.
    pub expr: Expr,
    /// Direction as written (`None`: KQL default, descending).
    pub dir: Option<SortDir>,
    /// Null placement as written (`None`: KQL default for the direction).
    pub nulls: Option<NullsOrder>,
}

/// A column name pattern for `project-away`/`project-keep`/`project-reorder`; may contain
/// `*` wildcards.
pub type ColumnPattern = Ident;

/// The join condition.
#[derive(Clone, Debug, PartialEq)]
pub enum JoinCondition {
    /// `on a, $left.b == $right.c, ...` (each item a name or an equality; `and` is also
    /// accepted as separator and flattened).
    On(Vec<Expr>),
    /// `where predicate` (the hidden legacy form).
    Where(Expr),
}

/// One item of `mv-expand` / `mv-apply`: `[Name =] expr [to typeof(T)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct MvExpandItem {
    /// Optional output name.
    pub name: Option<Ident>,
    /// The array/bag expression.
    pub expr: Expr,
    /// `to typeof(T)`.
    pub to_type: Option<Spanned<TypeName>>,
}

/// One aggregate of `make-series`: `[Name =] agg(...) [default = literal]`.
#[derive(Clone, Debug, PartialEq)]
pub struct MakeSeriesAgg {
    /// The (possibly named) aggregate.
    pub agg: Assignment,
    /// `default = value`.
    pub default: Option<Expr>,
}

/// The axis range of `make-series`.
#[derive(Clone, Debug, PartialEq)]
pub enum MakeSeriesRange {
    /// `[from start] [to end] step s`
    FromTo {
        /// `from`
        from: Option<Expr>,
        /// `to`
        to: Option<Expr>,
        /// `step`
        step: Expr,
    },
    /// `in range(start, stop, step)`
    InRange {
        /// start
        start: Expr,
        /// stop (inclusive)
        stop: Expr,
        /// step
        step: Expr,
    },
}

/// A piece of a `parse` pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum ParsePart {
    /// A string literal to match.
    Literal(Spanned<String>),
    /// `*`: skip text.
    Star(Span),
    /// A column to extract, with an optional type (`Col:long`).
    Column {
        /// Column name.
        name: Ident,
        /// Declared type (default string).
        ty: Option<Spanned<TypeName>>,
    },
}

/// One level of `top-nested`.
#[derive(Clone, Debug, PartialEq)]
pub struct TopNestedLevel {
    /// `top-nested N` (None = all)
    pub n: Option<Expr>,
    /// `of [Name =] expr`
    pub of: Assignment,
    /// `with others = expr`
    pub others: Option<Expr>,
    /// `by [Name =] aggregation`
    pub by: Assignment,
    /// `asc` / `desc`
    pub dir: Option<SortDir>,
}

/// The tabular operators.
#[derive(Clone, Debug, PartialEq)]
pub enum OperatorKind {
    /// `where pred` (also `filter pred`)
    Where(Expr),
    /// `extend [name =] expr, ...`
    Extend(Vec<Assignment>),
    /// `project [name =] expr, ...`
    Project(Vec<Assignment>),
    /// `project-away pattern, ...`
    ProjectAway(Vec<ColumnPattern>),
    /// `project-keep pattern, ...`
    ProjectKeep(Vec<ColumnPattern>),
    /// `project-rename new = old, ...` (pairs are `(new, old)`)
    ProjectRename(Vec<(Ident, Ident)>),
    /// `project-reorder pattern [asc|desc|granny-asc|granny-desc], ...`
    ProjectReorder(Vec<(ColumnPattern, Option<Ident>)>),
    /// `summarize [params] [aggs] [by keys]`
    Summarize {
        /// Hints such as `hint.shufflekey=x`.
        params: Vec<OpParam>,
        /// Aggregates.
        aggs: Vec<Assignment>,
        /// Group keys.
        by: Vec<Assignment>,
    },
    /// `count [as Name]`
    Count {
        /// `as Name`
        as_name: Option<Ident>,
    },
    /// `take n` / `limit n`
    Take(Expr),
    /// `top n by expr [asc|desc] [nulls first|last]`
    Top {
        /// Number of rows.
        n: Expr,
        /// Sort key(s).
        by: Vec<SortKey>,
    },
    /// `sort by ...` / `order by ...`
    Sort(Vec<SortKey>),
    /// `distinct a, b` / `distinct *`
    Distinct(Vec<Expr>),
    /// `union [params] legs` (as a pipe stage or a source)
    Union {
        /// `kind=`, `withsource=`, `isfuzzy=`
        params: Vec<OpParam>,
        /// The legs: names, name patterns, or (parenthesised) tabular expressions.
        legs: Vec<Expr>,
    },
    /// `join [params] right on ... | where ...`
    Join {
        /// `kind=`, `hint.*=`
        params: Vec<OpParam>,
        /// The right side.
        right: Box<Expr>,
        /// The condition.
        condition: JoinCondition,
    },
    /// `lookup [kind=...] right on ...`
    Lookup {
        /// `kind=leftouter|inner`
        params: Vec<OpParam>,
        /// The right (dimension) table.
        right: Box<Expr>,
        /// The keys.
        on: Vec<Expr>,
    },
    /// `mv-expand [params] items [limit n]`
    MvExpand {
        /// `kind=`, `bagexpansion=`, `with_itemindex=`
        params: Vec<OpParam>,
        /// Expanded expressions.
        items: Vec<MvExpandItem>,
        /// `limit n`
        limit: Option<Expr>,
    },
    /// `mv-apply [params] items [limit n] on (subquery)`
    MvApply {
        /// `with_itemindex=`, ...
        params: Vec<OpParam>,
        /// Expanded expressions.
        items: Vec<MvExpandItem>,
        /// `limit n`
        limit: Option<Expr>,
        /// The subquery applied to each row's expansion.
        subquery: Box<Expr>,
    },
    /// `make-series [params] aggs on axis range [by keys]`
    MakeSeries {
        /// `kind=nonempty`, hints
        params: Vec<OpParam>,
        /// Aggregates with defaults.
        aggs: Vec<MakeSeriesAgg>,
        /// The axis expression.
        on: Expr,
        /// The axis range.
        range: MakeSeriesRange,
        /// Group keys.
        by: Vec<Assignment>,
    },
    /// `parse [kind=...] [flags=...] expr with pattern` / `parse-where ...`
    Parse {
        /// True for `parse-where`.
        where_: bool,
        /// `kind=simple|regex|relaxed`, `flags=...`
        params: Vec<OpParam>,
        /// The parsed expression.
        expr: Expr,
        /// The pattern.
        pattern: Vec<ParsePart>,
    },
    /// `parse-kv expr as (name:type, ...) [with (param=value, ...)]`
    ParseKv {
        /// The parsed expression.
        expr: Expr,
        /// Output columns.
        columns: Vec<ColumnDecl>,
        /// `with (pair_delimiter=..., kv_delimiter=..., quote=..., ...)`
        with: Vec<OpParam>,
    },
    /// `evaluate [params] plugin(args)` (also as a source)
    Evaluate {
        /// `hint.*` params
        params: Vec<OpParam>,
        /// The plugin call.
        call: Expr,
    },
    /// `invoke function(args)`
    Invoke(Expr),
    /// `render visualization [with (props)]` (ignored with a warning)
    Render {
        /// Chart kind.
        chart: Ident,
        /// Properties.
        with: Vec<OpParam>,
    },
    /// `serialize [name = expr, ...]`
    Serialize(Vec<Assignment>),
    /// `top-nested ... , top-nested ...`
    TopNested(Vec<TopNestedLevel>),
    /// `as [hint.materialized=true] Name`
    As {
        /// params
        params: Vec<OpParam>,
        /// The name.
        name: Ident,
    },
    /// `getschema`
    GetSchema,
    /// `sample n`
    Sample(Expr),
    /// `sample-distinct n of expr`
    SampleDistinct {
        /// Count.
        n: Expr,
        /// Column.
        of: Expr,
    },
    /// `print [name =] expr, ...` (source)
    Print(Vec<Assignment>),
    /// `range name from a to b step c` (source)
    Range {
        /// Column name.
        name: Ident,
        /// Start.
        from: Expr,
        /// Stop (inclusive).
        to: Expr,
        /// Step.
        step: Expr,
    },
    /// `search [kind=...] [in (T1, T2)] predicate` (source or stage)
    Search {
        /// `kind=case_sensitive`...
        params: Vec<OpParam>,
        /// `in (tables)`
        tables: Vec<Expr>,
        /// The predicate.
        predicate: Expr,
    },
    /// `find [withsource=C] [in (T1, ...)] where pred [project ...]` (source)
    Find {
        /// `withsource=`, `kind=`
        params: Vec<OpParam>,
        /// `in (tables)`
        tables: Vec<Expr>,
        /// The predicate.
        predicate: Expr,
        /// `project ...` / `project-smart`
        project: Option<Vec<Expr>>,
    },
    /// `externaldata (col:type, ...) [ uris ] [with (props)]` (source)
    ExternalData {
        /// Columns.
        columns: Vec<ColumnDecl>,
        /// URIs (string literal expressions).
        uris: Vec<Expr>,
        /// Properties.
        with: Vec<OpParam>,
    },
    /// `partition [params] by Col (subquery)` / `partition by Col { subquery }`
    Partition {
        /// params
        params: Vec<OpParam>,
        /// Partition key.
        by: Ident,
        /// The subquery.
        subquery: Box<Expr>,
    },
    /// `reduce by expr [with threshold=...]`
    Reduce {
        /// Expression.
        by: Expr,
        /// Parameters.
        with: Vec<OpParam>,
    },
    /// `facet by cols [with (subquery)]`
    Facet {
        /// Columns.
        by: Vec<Ident>,
        /// Optional subquery.
        with: Option<Box<Expr>>,
    },
    /// `consume`
    Consume,
}
