//! A forgiving KQL tokenizer for the REPL: it never fails on incomplete input, which the
//! parser must reject. Used to decide when a block is complete, to highlight and to find the
//! completion context.

/// Token kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Spaces, tabs, newlines.
    Space,
    /// `// ...` to the end of the line.
    Comment,
    /// An identifier or keyword (may contain `-` between letters, as in `mv-expand`).
    Ident,
    /// A bracketed identifier `['name']`, treated as one token.
    QuotedIdent,
    /// A number (with an optional unit suffix, as in `5m` or `1.5d`).
    Number,
    /// A string literal; `terminated` tells whether it is closed.
    Str {
        /// The closing quote was seen.
        terminated: bool,
    },
    /// Any other character (operators, brackets, `|`, `,`, `;`).
    Punct,
}

/// A token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Kind.
    pub kind: Kind,
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    /// Whether the token is whitespace or a comment.
    pub fn is_trivia(&self) -> bool {
        matches!(self.kind, Kind::Space | Kind::Comment)
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Tokenizes `src`. Unterminated strings run to the end of the input.
pub fn tokens(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(src.len(), |(b, _)| *b);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        let (kind, j) = if c.is_whitespace() {
            let mut j = i + 1;
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
            (Kind::Space, j)
        } else if c == '/' && next == Some('/') {
            let mut j = i + 2;
            while j < chars.len() && chars[j].1 != '\n' {
                j += 1;
            }
            (Kind::Comment, j)
        } else if c == '`' && src[start..].starts_with("```") {
            // Multi-line string literal ```...```.
            match src[start + 3..].find("```") {
                Some(n) => {
                    let stop = start + 3 + n + 3;
                    let j = chars.partition_point(|(b, _)| *b < stop);
                    (Kind::Str { terminated: true }, j)
                }
                None => (Kind::Str { terminated: false }, chars.len()),
            }
        } else if c == '\'' || c == '"' {
            string_end(&chars, i + 1, c, true)
        } else if (c == '@' || c == 'h' || c == 'H')
            && matches!(next, Some('\'' | '"'))
            && !prev_is_ident(&chars, i)
        {
            // Verbatim (@'...') or obfuscated (h'...') strings.
            let q = next.unwrap_or('\'');
            string_end(&chars, i + 2, q, c != '@')
        } else if (c == 'h' || c == 'H')
            && next == Some('@')
            && matches!(chars.get(i + 2).map(|(_, c)| *c), Some('\'' | '"'))
            && !prev_is_ident(&chars, i)
        {
            let q = chars.get(i + 2).map_or('\'', |(_, c)| *c);
            string_end(&chars, i + 3, q, false)
        } else if c == '[' && matches!(next, Some('\'' | '"')) {
            // ['bracketed name']
            let (k, j) = string_end(&chars, i + 2, next.unwrap_or('\''), true);
            match k {
                Kind::Str { terminated: true } if chars.get(j).map(|(_, c)| *c) == Some(']') => {
                    (Kind::QuotedIdent, j + 1)
                }
                Kind::Str { terminated: false } => (k, j),
                // Not an identifier after all: just the bracket.
                _ => (Kind::Punct, i + 1),
            }
        } else if c.is_ascii_digit() {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '.') {
                j += 1;
            }
            (Kind::Number, j)
        } else if is_ident_start(c) {
            let mut j = i + 1;
            loop {
                while j < chars.len() && is_ident_char(chars[j].1) {
                    j += 1;
                }
                // `project-away`, `mv-expand`: a dash between letters.
                if j + 1 < chars.len() && chars[j].1 == '-' && chars[j + 1].1.is_alphabetic() {
                    let word = &src[start..chars[j].0];
                    if DASHED_PREFIXES.contains(&word.to_ascii_lowercase().as_str()) {
                        j += 1;
                        continue;
                    }
                }
                break;
            }
            (Kind::Ident, j)
        } else {
            (Kind::Punct, i + 1)
        };
        out.push(Token {
            kind,
            start,
            end: end_of(j),
        });
        i = j.max(i + 1);
    }
    out
}

/// Words that begin dashed keywords (`project-away`, `mv-expand`, `make-series`, ...).
const DASHED_PREFIXES: &[&str] = &[
    "project",
    "mv",
    "make",
    "parse",
    "top",
    "order",
    "sort",
    "has",
    "in",
    "contains",
    "startswith",
    "endswith",
    "matches",
    "bag",
];

fn prev_is_ident(chars: &[(usize, char)], i: usize) -> bool {
    i > 0 && is_ident_char(chars[i - 1].1)
}

/// Scans a string body from char index `i` for closing quote `q`; returns (kind, index after
/// the closing quote).
fn string_end(chars: &[(usize, char)], mut i: usize, q: char, escapes: bool) -> (Kind, usize) {
    while i < chars.len() {
        let c = chars[i].1;
        if escapes && c == '\\' {
            i += 2;
            continue;
        }
        if c == q {
            return (Kind::Str { terminated: true }, i + 1);
        }
        if c == '\n' && escapes {
            // Ordinary strings cannot span lines: the string is open at the line end.
            return (Kind::Str { terminated: false }, i);
        }
        i += 1;
    }
    (Kind::Str { terminated: false }, chars.len())
}

/// Nesting information at the end of a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Nesting {
    /// Byte offsets of the brackets still open, innermost last.
    pub open: Vec<usize>,
    /// An unterminated string is open at the end.
    pub open_string: bool,
}

/// Which brackets and strings are open at the end of `src`.
pub fn nesting(src: &str) -> Nesting {
    let mut n = Nesting::default();
    for t in tokens(src) {
        match t.kind {
            Kind::Str { terminated: false } => n.open_string = true,
            Kind::Punct => match t.text(src) {
                "(" | "[" | "{" => n.open.push(t.start),
                ")" | "]" | "}" => {
                    n.open.pop();
                }
                _ => {}
            },
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, &str)> {
        tokens(src)
            .into_iter()
            .filter(|t| !t.is_trivia())
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn tokens_cover_the_input() {
        let src = "T | where a == 'x\\'y' and b > 5m // c\n| project-away ['a b'], @'c:\\d'";
        let toks = tokens(src);
        let mut pos = 0;
        for t in &toks {
            assert_eq!(t.start, pos);
            pos = t.end;
        }
        assert_eq!(pos, src.len());
        let k = kinds(src);
        assert!(k.contains(&(Kind::Str { terminated: true }, "'x\\'y'")));
        assert!(k.contains(&(Kind::Number, "5m")));
        assert!(k.contains(&(Kind::Ident, "project-away")));
        assert!(k.contains(&(Kind::QuotedIdent, "['a b']")));
        assert!(k.contains(&(Kind::Str { terminated: true }, "@'c:\\d'")));
    }

    #[test]
    fn subtraction_is_not_a_dashed_word() {
        assert_eq!(
            kinds("a-b"),
            vec![(Kind::Ident, "a"), (Kind::Punct, "-"), (Kind::Ident, "b")]
        );
    }

    #[test]
    fn nesting_tracks_brackets_and_strings() {
        assert_eq!(nesting("f(a, [1").open, vec![1, 5]);
        assert!(nesting("print 'abc").open_string);
        assert!(!nesting("print 'a(bc'").open_string);
        assert!(nesting("print 'a(bc'").open.is_empty());
        assert!(nesting("print ```a\nb").open_string);
        assert!(!nesting("print ```a\nb```").open_string);
    }
}
