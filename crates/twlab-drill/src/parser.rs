//! Tokens to a [`Script`], after packetdrill's grammar (its `syntax.md`), as far as TCP goes. What
//! twlab cannot run (UDP, ICMP, code blocks, syscalls outside a connection's life, options it does not
//! model) is refused here, with the place it starts.

use crate::error::{DrillError, Pos};
use crate::lexer::{lex_with_comments, Tok, Token};
use crate::script::*;

mod segment;

/// The syscalls the runner carries out.
pub const SYSCALLS: [&str; 15] = [
    "socket",
    "setsockopt",
    "getsockopt",
    "fcntl",
    "bind",
    "listen",
    "accept",
    "connect",
    "write",
    "send",
    "read",
    "recv",
    "shutdown",
    "close",
    "poll",
];

/// The socket options `setsockopt` and `getsockopt` take.
pub const SOCKET_OPTIONS: [&str; 5] = [
    "SO_REUSEADDR",
    "SO_REUSEPORT",
    "SO_LINGER",
    "TCP_NODELAY",
    "SO_ERROR",
];

/// The longest time a script may write, in microseconds (a year).
pub const MAX_TIME_US: i64 = 366 * 24 * 3600 * 1_000_000;

pub fn parse(text: &str) -> Result<Script, DrillError> {
    let (tokens, comments) = lex_with_comments(text)?;
    // Just after the last character: where "expected …" points when the text stops short.
    let end = Pos {
        line: 1 + text.matches('\n').count() as u32,
        col: 1 + text.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32,
    };
    let mut p = Parser { tokens, at: 0, end };
    let mut options = Vec::new();
    while let Some(Tok::Opt(name, value)) = p.peek().cloned() {
        options.push((p.pos(), name, value));
        p.at += 1;
    }
    let mut events = Vec::new();
    while p.peek().is_some() {
        events.push(p.event()?);
    }
    Ok(Script {
        options,
        events,
        comments,
    })
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    end: Pos,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|t| &t.tok)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.tokens.get(self.at + n).map(|t| &t.tok)
    }
    fn pos(&self) -> Pos {
        self.tokens.get(self.at).map_or(self.end, |t| t.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.tokens.get(self.at).map(|t| t.tok.clone());
        self.at += 1;
        t
    }
    fn error<T>(&self, message: impl Into<String>) -> Result<T, DrillError> {
        Err(DrillError::at(self.pos(), message))
    }
    fn is_punct(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Punct(c))
    }
    fn eat(&mut self, c: char) -> bool {
        let yes = self.is_punct(c);
        self.at += usize::from(yes);
        yes
    }
    fn expect(&mut self, c: char, what: &str) -> Result<(), DrillError> {
        if self.eat(c) {
            Ok(())
        } else {
            self.error(format!("expected '{c}' {what}"))
        }
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }
    fn int(&mut self, what: &str) -> Result<i64, DrillError> {
        match self.peek() {
            Some(Tok::Int(n)) => {
                let n = *n;
                self.at += 1;
                Ok(n)
            }
            _ => self.error(format!("expected {what}")),
        }
    }
    fn u32(&mut self, what: &str) -> Result<u32, DrillError> {
        let pos = self.pos();
        let n = self.int(what)?;
        u32::try_from(n).map_err(|_| DrillError::at(pos, format!("{what} {n} is out of range")))
    }

    fn event(&mut self) -> Result<Event, DrillError> {
        let pos = self.pos();
        if let Some(Tok::Opt(name, _)) = self.peek() {
            return self.error(format!("option --{name} must come before the first event"));
        }
        // The grammar's init and cleanup commands: a `command` before the first event or after the last
        // one has no time of its own. It runs where it stands.
        if let Some(Tok::BackQuoted(cmd)) = self.peek() {
            let action = Action::Shell(cmd.clone());
            self.at += 1;
            return Ok(Event {
                pos,
                time: Timing::Relative(0),
                action,
            });
        }
        let time = self.timing()?;
        let action = match self.peek() {
            Some(Tok::Punct('<')) => Action::Packet(self.packet(Direction::Inbound)?),
            Some(Tok::Punct('>')) => Action::Packet(self.packet(Direction::Outbound)?),
            Some(Tok::BackQuoted(cmd)) => {
                let cmd = cmd.clone();
                self.at += 1;
                Action::Shell(cmd)
            }
            Some(Tok::Code) => return self.error("%{ python }% code blocks are not supported"),
            Some(Tok::Ellipsis | Tok::Word(_)) => Action::Syscall(self.syscall()?),
            _ => return self.error("expected a packet (< or >), a syscall or a `command`"),
        };
        Ok(Event { pos, time, action })
    }

    /// A time in seconds, as microseconds.
    fn seconds(&mut self) -> Result<i64, DrillError> {
        let us = match self.peek() {
            Some(Tok::Int(n)) => *n as f64 * 1e6,
            Some(Tok::Float(x)) => (x * 1e6).round(),
            _ => return self.error("expected a time in seconds"),
        };
        let pos = self.pos();
        self.at += 1;
        // A year of virtual time is more than any script needs, and keeps sums of times far from overflow.
        if us > MAX_TIME_US as f64 {
            return Err(DrillError::at(pos, "this time is over a year"));
        }
        Ok(us as i64)
    }

    fn timing(&mut self) -> Result<Timing, DrillError> {
        if self.eat('*') {
            return Ok(Timing::Any);
        }
        if self.eat('+') {
            let start = self.seconds()?;
            if self.eat('~') {
                self.expect('+', "before the end of a relative range (+a~+b)")?;
                let end = self.seconds()?;
                return Ok(Timing::RelativeRange(start, end.max(start)));
            }
            return Ok(Timing::Relative(start));
        }
        let start = self.seconds()?;
        if self.eat('~') {
            let end = self.seconds()?;
            return Ok(Timing::AbsoluteRange(start, end.max(start)));
        }
        Ok(Timing::Absolute(start))
    }

    fn syscall(&mut self) -> Result<Syscall, DrillError> {
        // A relative call's end counts from the previous event, as its start does: `+.1...0.2` starts
        // 0.1 s and returns 0.2 s after the previous event (packetdrill's adjust_relative_event_times).
        let end = if self.peek() == Some(&Tok::Ellipsis) {
            self.at += 1;
            Some(self.seconds()?)
        } else {
            None
        };
        let pos = self.pos();
        let Some(Tok::Word(name)) = self.next() else {
            return Err(DrillError::at(pos, "expected a syscall name"));
        };
        if !SYSCALLS.contains(&name.as_str()) {
            return Err(DrillError::at(
                pos,
                format!(
                    "syscall {name:?} is not supported (supported: {})",
                    SYSCALLS.join(", ")
                ),
            ));
        }
        self.expect('(', "after the syscall name")?;
        let args = self.list(')')?;
        self.check_args(&name, &args, pos)?;
        self.expect('=', "before the syscall's result")?;
        let negative = self.eat('-');
        let result = self.int("the syscall's result")?;
        let result = if negative { -result } else { result };
        let errno = match self.peek() {
            Some(Tok::Word(w)) if w.starts_with('E') => {
                let w = w.clone();
                self.at += 1;
                Some(w)
            }
            _ => None,
        };
        if self.is_punct('(') {
            // The note: `(Operation now in progress)`.
            while !self.eat(')') {
                if self.next().is_none() {
                    return self.error("the note in parentheses is never closed");
                }
            }
        }
        Ok(Syscall {
            name,
            args,
            result,
            errno,
            end,
        })
    }

    /// Refuse what twlab's stack cannot be asked: datagram sockets, socket options it does not know.
    fn check_args(&self, name: &str, args: &[Expr], pos: Pos) -> Result<(), DrillError> {
        let word = |i: usize| match args.get(i) {
            Some(Expr::Word(w)) => Some(w.as_str()),
            _ => None,
        };
        match name {
            "socket" if word(1).is_some_and(|w| w != "SOCK_STREAM") => Err(DrillError::at(
                pos,
                format!(
                    "{} sockets are not supported: twlab runs TCP (SOCK_STREAM) only",
                    word(1).unwrap_or_default()
                ),
            )),
            "socket" if word(2).is_some_and(|w| w != "IPPROTO_TCP") => Err(DrillError::at(
                pos,
                "only IPPROTO_TCP sockets are supported",
            )),
            "setsockopt" | "getsockopt" => match word(2) {
                Some(o) if SOCKET_OPTIONS.contains(&o) => Ok(()),
                other => Err(DrillError::at(
                    pos,
                    format!(
                        "socket option {} is not supported (supported: {})",
                        other.unwrap_or("?"),
                        SOCKET_OPTIONS.join(", ")
                    ),
                )),
            },
            _ => Ok(()),
        }
    }

    /// Expressions separated by commas, up to `close` (the opening bracket has been read).
    fn list(&mut self, close: char) -> Result<Vec<Expr>, DrillError> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Ok(items);
        }
        loop {
            items.push(self.expr()?);
            if self.eat(close) {
                return Ok(items);
            }
            self.expect(',', "between items")?;
        }
    }

    fn expr(&mut self) -> Result<Expr, DrillError> {
        let first = self.primary()?;
        if !self.is_punct('|') {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat('|') {
            items.push(self.primary()?);
        }
        Ok(Expr::Or(items))
    }

    fn primary(&mut self) -> Result<Expr, DrillError> {
        let pos = self.pos();
        match self.next() {
            Some(Tok::Ellipsis) => Ok(Expr::Ellipsis),
            Some(Tok::Int(n)) => Ok(Expr::Int(n)),
            Some(Tok::Punct('-')) => match self.next() {
                Some(Tok::Int(n)) => Ok(Expr::Int(-n)),
                _ => Err(DrillError::at(pos, "expected a number after '-'")),
            },
            Some(Tok::Str(s)) => {
                // `"abc"...`: a string then an ellipsis.
                if self.peek() == Some(&Tok::Ellipsis) {
                    self.at += 1;
                }
                Ok(Expr::Str(s))
            }
            Some(Tok::Word(w)) => {
                if self.eat('=') {
                    return Ok(Expr::Field(w, Box::new(self.expr()?)));
                }
                if self.eat('(') {
                    return Ok(Expr::Call(w, self.list(')')?));
                }
                Ok(Expr::Word(w))
            }
            Some(Tok::Punct('[')) => Ok(Expr::Array(self.list(']')?)),
            Some(Tok::Punct('{')) => Ok(Expr::Struct(self.list('}')?)),
            _ => Err(DrillError::at(pos, "expected an argument")),
        }
    }
}
