//! Tokens of the packetdrill language, each with the line and column it starts at. Comments (`//` to
//! the end of the line, `/* … */`) are dropped; shell commands (`` `…` ``), code blocks (`%{ … }%`) and
//! command-line options (`--name=value`) come out whole.

use crate::error::{DrillError, Pos};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A decimal or hexadecimal integer, as written.
    Int(i64),
    /// A number with a decimal point (a time).
    Float(f64),
    Word(String),
    Str(String),
    BackQuoted(String),
    Code,
    /// `--name` or `--name=value`.
    Opt(String, Option<String>),
    Ellipsis,
    Punct(char),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// Each comment's place and text.
pub type Comments = Vec<(Pos, String)>;

pub fn lex(text: &str) -> Result<Vec<Token>, DrillError> {
    lex_with_comments(text).map(|(tokens, _)| tokens)
}

/// The tokens, and apart from them the comments, each with its place and its text (trimmed, without
/// `//`, `/*` and `*/`): what the page narrates at the script's lines.
pub fn lex_with_comments(text: &str) -> Result<(Vec<Token>, Comments), DrillError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut comments = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1u32, 1u32);
    // Advance over `n` characters, keeping line and column.
    let step = |i: &mut usize, line: &mut u32, col: &mut u32, n: usize| {
        for _ in 0..n {
            if chars.get(*i) == Some(&'\n') {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        let next = chars.get(i + 1).copied();
        let tok = match c {
            _ if c.is_whitespace() => {
                step(&mut i, &mut line, &mut col, 1);
                continue;
            }
            '/' if next == Some('/') => {
                let n = chars[i..].iter().take_while(|&&c| c != '\n').count();
                let body: String = chars[i + 2..i + n].iter().collect();
                comments.push((pos, body.trim().to_string()));
                step(&mut i, &mut line, &mut col, n);
                continue;
            }
            '/' if next == Some('*') => {
                let body: String = chars[i + 2..].iter().collect();
                let n = body
                    .find("*/")
                    .ok_or_else(|| DrillError::at(pos, "a /* comment is never closed"))?;
                comments.push((
                    pos,
                    body[..n].split_whitespace().collect::<Vec<_>>().join(" "),
                ));
                step(&mut i, &mut line, &mut col, body[..n].chars().count() + 4);
                continue;
            }
            '`' => {
                let n = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '`')
                    .ok_or_else(|| DrillError::at(pos, "a `shell command` is never closed"))?;
                let body: String = chars[i + 1..i + 1 + n].iter().collect();
                step(&mut i, &mut line, &mut col, n + 2);
                out.push(Token {
                    tok: Tok::BackQuoted(body),
                    pos,
                });
                continue;
            }
            '%' if next == Some('{') => {
                // Up to the closing `}%`, or to the end: the parser refuses code blocks either way.
                let n = chars[i..]
                    .windows(2)
                    .position(|w| w == ['}', '%'])
                    .map_or(chars.len() - i, |n| n + 2);
                step(&mut i, &mut line, &mut col, n);
                out.push(Token {
                    tok: Tok::Code,
                    pos,
                });
                continue;
            }
            '"' => {
                let n = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"' || c == '\n')
                    .filter(|&n| chars[i + 1 + n] == '"')
                    .ok_or_else(|| DrillError::at(pos, "a \"string\" is never closed"))?;
                let body: String = chars[i + 1..i + 1 + n].iter().collect();
                step(&mut i, &mut line, &mut col, n + 2);
                out.push(Token {
                    tok: Tok::Str(body),
                    pos,
                });
                continue;
            }
            '-' if next == Some('-') && chars.get(i + 2).is_some_and(|c| c.is_alphabetic()) => {
                let n = chars[i..].iter().take_while(|c| !c.is_whitespace()).count();
                let word: String = chars[i + 2..i + n].iter().collect();
                step(&mut i, &mut line, &mut col, n);
                let tok = match word.split_once('=') {
                    Some((name, value)) => Tok::Opt(name.into(), Some(value.into())),
                    None => Tok::Opt(word, None),
                };
                out.push(Token { tok, pos });
                continue;
            }
            '.' if chars[i..].starts_with(&['.', '.', '.']) => {
                step(&mut i, &mut line, &mut col, 3);
                Tok::Ellipsis
            }
            _ if c.is_ascii_digit() || (c == '.' && next.is_some_and(|d| d.is_ascii_digit())) => {
                let (tok, n) = number(&chars[i..])
                    .ok_or_else(|| DrillError::at(pos, "this number is malformed or too large"))?;
                step(&mut i, &mut line, &mut col, n);
                tok
            }
            _ if c.is_alphabetic() || c == '_' => {
                let n = chars[i..]
                    .iter()
                    .take_while(|c| c.is_alphanumeric() || **c == '_')
                    .count();
                let word: String = chars[i..i + n].iter().collect();
                step(&mut i, &mut line, &mut col, n);
                Tok::Word(word)
            }
            '+' | '*' | '~' | '<' | '>' | ':' | '(' | ')' | ',' | '.' | '[' | ']' | '{' | '}'
            | '=' | '|' | '-' => {
                step(&mut i, &mut line, &mut col, 1);
                Tok::Punct(c)
            }
            _ => return Err(DrillError::at(pos, format!("unexpected character {c:?}"))),
        };
        out.push(Token { tok, pos });
    }
    Ok((out, comments))
}

/// A number at the start of `s`: `0x1f`, `42`, `0.05`, `.05`. Returns the token and its length.
fn number(s: &[char]) -> Option<(Tok, usize)> {
    if s.starts_with(&['0', 'x']) || s.starts_with(&['0', 'X']) {
        let n = 2 + s[2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let text: String = s[2..n].iter().collect();
        return Some((Tok::Int(i64::from_str_radix(&text, 16).ok()?), n));
    }
    let int = s.iter().take_while(|c| c.is_ascii_digit()).count();
    // A point belongs to the number only if a digit follows: `0...1` is 0, an ellipsis, 1.
    if s.get(int) == Some(&'.') && s.get(int + 1).is_some_and(|c| c.is_ascii_digit()) {
        let frac = s[int + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let n = int + 1 + frac;
        let text: String = s[..n].iter().collect();
        let value: f64 = text.parse().ok()?;
        return value.is_finite().then_some((Tok::Float(value), n));
    }
    let text: String = s[..int].iter().collect();
    Some((Tok::Int(text.parse().ok()?), int))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn times_ellipses_and_segments() {
        assert_eq!(
            toks("+.05 < S. 0:0(0) <...> // c"),
            vec![
                Tok::Punct('+'),
                Tok::Float(0.05),
                Tok::Punct('<'),
                Tok::Word("S".into()),
                Tok::Punct('.'),
                Tok::Int(0),
                Tok::Punct(':'),
                Tok::Int(0),
                Tok::Punct('('),
                Tok::Int(0),
                Tok::Punct(')'),
                Tok::Punct('<'),
                Tok::Ellipsis,
                Tok::Punct('>'),
            ]
        );
        assert_eq!(
            toks("0...0.1"),
            vec![Tok::Int(0), Tok::Ellipsis, Tok::Float(0.1)]
        );
    }

    #[test]
    fn positions_count_lines_and_columns() {
        let t = lex("--mss=1000\n /* x\n */  `sysctl -q a=1`\n%{ x }%").unwrap();
        assert_eq!(t[0].tok, Tok::Opt("mss".into(), Some("1000".into())));
        assert_eq!((t[1].pos.line, t[1].pos.col), (3, 6));
        assert_eq!(t[1].tok, Tok::BackQuoted("sysctl -q a=1".into()));
        assert_eq!((t[2].tok.clone(), t[2].pos.line), (Tok::Code, 4));
    }

    #[test]
    fn an_unclosed_code_block_after_wide_characters_is_one_token() {
        // Found by the fuzzer: the block's length was counted in bytes and used as characters.
        let t = lex("// ü\n%{ üü ").unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].tok.clone(), t[0].pos.line, t[0].pos.col),
            (Tok::Code, 2, 1)
        );
        assert_eq!(lex("%{ ü }% 0").unwrap().len(), 2);
    }

    #[test]
    fn unclosed_things_are_errors_with_their_place() {
        let e = lex("0 close(3) = 0\n  `echo").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (2, 3));
        assert!(lex("\"abc").is_err());
        assert!(lex("99999999999999999999").is_err());
        assert!(lex("0 # x").is_err());
    }
}
