//! A packetdrill script as parsed: options, then events, each a time and an action.

use crate::error::Pos;

#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    /// Command-line options written at the top (`--tolerance_usecs=10000`).
    pub options: Vec<(Pos, String, Option<String>)>,
    pub events: Vec<Event>,
    /// Every comment, where it starts and what it says.
    pub comments: Vec<(Pos, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub pos: Pos,
    pub time: Timing,
    pub action: Action,
}

/// When an event happens, in microseconds: absolute (since the script's start), relative to the
/// previous event (`+0.1`), any time (`*`), or a range (`0.1~0.2`, `+0.1~+0.2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    Absolute(i64),
    Relative(i64),
    Any,
    AbsoluteRange(i64, i64),
    RelativeRange(i64, i64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Packet(Packet),
    Syscall(Syscall),
    /// A backquoted shell command.
    Shell(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `<`: the script injects it into the stack under test.
    Inbound,
    /// `>`: the stack under test must send it.
    Outbound,
}

/// TCP flags as written (`S`, `.`, `F.`, `P.`, `R.`, `-` for none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpFlags {
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
    pub ack: bool,
    pub urg: bool,
    pub ece: bool,
    pub cwr: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Packet {
    pub direction: Direction,
    pub flags: TcpFlags,
    /// `start:end(len)`; `end - start == len` is checked when parsing.
    pub start: u32,
    pub len: u32,
    pub ack: Option<u32>,
    pub win: Option<u32>,
    pub options: TcpOptions,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TcpOptions {
    /// None written: not checked on a `>` segment, none sent on a `<` one.
    Unwritten,
    /// `<...>`: whatever the stack sends.
    Any,
    List(Vec<TcpOption>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TcpOption {
    Nop,
    Eol,
    Mss(u16),
    WScale(u8),
    SackOk,
    Sack(Vec<(u32, u32)>),
    Timestamp { val: u32, ecr: u32 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Syscall {
    pub name: String,
    pub args: Vec<Expr>,
    /// The expected return value.
    pub result: i64,
    /// The expected errno name (`EINPROGRESS`); the note in parentheses after it is not kept.
    pub errno: Option<String>,
    /// `t1...t2 call(...)`: a blocking call that returns at `t2` (absolute or relative like the start).
    pub end: Option<i64>,
}

/// A syscall argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `...`: whatever the runner chooses.
    Ellipsis,
    Int(i64),
    Word(String),
    Str(String),
    /// `A|B`.
    Or(Vec<Expr>),
    /// `name=value` inside braces.
    Field(String, Box<Expr>),
    Array(Vec<Expr>),
    /// `{ ... }`.
    Struct(Vec<Expr>),
    /// `htons(8080)`, `inet_addr("192.0.2.1")`.
    Call(String, Vec<Expr>),
}

impl Expr {
    /// The field `name` of a struct expression (`{fd=4, events=POLLIN}`), with or without a `l_` prefix.
    pub fn field(&self, name: &str) -> Option<&Expr> {
        let Expr::Struct(items) = self else {
            return None;
        };
        items.iter().find_map(|e| match e {
            Expr::Field(n, v) if n == name || n.strip_prefix("l_") == Some(name) => Some(&**v),
            _ => None,
        })
    }
}
