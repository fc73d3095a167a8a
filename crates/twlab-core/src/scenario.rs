//! What a run is made of: parameters (from a profile, optionally overridden), the two applications'
//! scripts, and per-segment fates. Deserialized from JSON; [`Scenario::validate`] checks every field.

pub use crate::params::{ParamOverrides, Params};
use crate::time::Duration;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which side of the connection: the client opens and (in every preset) closes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// RFC 9293 as written: MSL 2 min, TIME-WAIT 2×MSL, RTO per RFC 6298 (initial and minimum 1 s).
    Rfc9293,
    /// Linux's constants: TIME-WAIT fixed at 60 s, RTO minimum 200 ms, initial 1 s.
    Linux,
    /// Short times so the animation is watchable: MSL 1 s, one-way delay 50 ms.
    #[default]
    Lab,
}

/// How long the active closer stays in TIME-WAIT. Written `"2msl"`, `"60s"` or `"skip"` in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeWait {
    MslMultiple(u32),
    Fixed(Duration),
    Skip,
}

impl TimeWait {
    pub fn length(self, msl: Duration) -> Option<Duration> {
        match self {
            TimeWait::MslMultiple(n) => Some(msl.saturating_mul(u64::from(n))),
            TimeWait::Fixed(d) => Some(d),
            TimeWait::Skip => None,
        }
    }
}

impl fmt::Display for TimeWait {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            TimeWait::MslMultiple(n) => write!(f, "{n}msl"),
            TimeWait::Fixed(d) => d.fmt(f),
            TimeWait::Skip => f.write_str("skip"),
        }
    }
}

impl std::str::FromStr for TimeWait {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let s = text.trim();
        let parsed = match s.strip_suffix("msl") {
            _ if s == "skip" => Some(TimeWait::Skip),
            Some(n) => n.trim().parse().ok().map(TimeWait::MslMultiple),
            None => s.parse().ok().map(TimeWait::Fixed),
        };
        parsed.ok_or_else(|| {
            format!("{text:?} is not a TIME-WAIT length; write a whole multiple of MSL like \"2msl\", a duration like \"60s\", or \"skip\"")
        })
    }
}

impl Serialize for TimeWait {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeWait {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Initial sequence numbers (RFC 9293 §3.4.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Isn {
    /// The same pair for every connection: the worst case, where an old segment's number always fits.
    Fixed(IsnPair),
    /// RFC 6528: ISN = M + F(4-tuple, secret), M a clock ticking every `isn_tick_ns`.
    Clock,
    /// Given per connection (the last pair repeats if there are more connections than pairs).
    PerConnection(Vec<IsnPair>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsnPair {
    pub client: u32,
    pub server: u32,
}

impl Params {
    pub fn time_wait_length(&self) -> Option<Duration> {
        self.time_wait.length(self.msl)
    }
}

/// What an application does. Each step waits for the previous one, then for its `after` event on the
/// connection it acts on, then `wait`, and never runs before `at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StepFields")]
pub struct Step {
    #[serde(flatten)]
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Time since the start of the run.
    pub at: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Trigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Duration>,
}

/// Steps act on the application's current connection: the earliest one it has and has not closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    /// Passive OPEN on a port (server): `bind` then `listen`. Without `bind` the port is bound
    /// exclusively.
    Listen {
        port: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bind: Option<BindMode>,
    },
    /// The server stops listening (its process exits, say); its connections live on.
    CloseListener,
    /// Active OPEN from `port` to the server's listening port. Without `bind`, the lab's simplification:
    /// if a connection still holds the port (in TIME-WAIT, say), the connect waits until it is free. With
    /// `bind`, the socket API's rules: `bind` may fail with EADDRINUSE and `connect` with EADDRNOTAVAIL.
    Connect {
        port: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bind: Option<BindMode>,
    },
    Send {
        text: String,
    },
    /// Send a generated stream of `bytes` octets (for bulk transfers).
    SendBytes {
        bytes: u32,
    },
    /// The application is done with the connection: CLOSE, after which it reads no more.
    Close,
    /// Shut down the write half (a FIN) but keep reading: the half-close.
    Shutdown,
}

/// A step as written: `do`, the action's fields and the timing fields side by side. Read through
/// this flat shape rather than serde's flatten and internal tag, whose buffering of every field cost
/// the wasm several KB gzip; a field that `do` does not take is ignored.
#[derive(Deserialize)]
struct StepFields {
    #[serde(rename = "do")]
    action: ActionName,
    port: Option<u16>,
    bind: Option<BindMode>,
    text: Option<String>,
    bytes: Option<u32>,
    at: Option<Duration>,
    after: Option<Trigger>,
    wait: Option<Duration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ActionName {
    Listen,
    CloseListener,
    Connect,
    Send,
    SendBytes,
    Close,
    Shutdown,
}

/// serde's words for a field an action needs and lacks.
#[derive(Debug)]
pub struct MissingField(&'static str);

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

impl TryFrom<StepFields> for Step {
    type Error = MissingField;

    fn try_from(s: StepFields) -> Result<Step, MissingField> {
        fn needs<T>(value: Option<T>, name: &'static str) -> Result<T, MissingField> {
            value.ok_or(MissingField(name))
        }
        let action = match s.action {
            ActionName::Listen => Action::Listen {
                port: needs(s.port, "port")?,
                bind: s.bind,
            },
            ActionName::CloseListener => Action::CloseListener,
            ActionName::Connect => Action::Connect {
                port: needs(s.port, "port")?,
                bind: s.bind,
            },
            ActionName::Send => Action::Send {
                text: needs(s.text, "text")?,
            },
            ActionName::SendBytes => Action::SendBytes {
                bytes: needs(s.bytes, "bytes")?,
            },
            ActionName::Close => Action::Close,
            ActionName::Shutdown => Action::Shutdown,
        };
        Ok(Step {
            action,
            at: s.at,
            after: s.after,
            wait: s.wait,
        })
    }
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Listen { .. } => "listen",
            Action::CloseListener => "close_listener",
            Action::Connect { .. } => "connect",
            Action::Send { .. } => "send",
            Action::SendBytes { .. } => "send_bytes",
            Action::Close => "close",
            Action::Shutdown => "shutdown",
        }
    }
}

/// How `bind()` claims a local port (the socket API's rules, which RFC 9293 leaves to the host; Linux's
/// `inet_csk_bind_conflict`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BindMode {
    /// Without SO_REUSEADDR: EADDRINUSE while any socket holds the port, TIME-WAIT included.
    Exclusive,
    /// With SO_REUSEADDR: only a listener, or a socket bound without it, is in the way.
    ReuseAddr,
    /// No `bind()`: `connect` lets the system pick a port (Linux's `__inet_hash_connect`), searching
    /// `local_ports` ports from the step's port on. Only for `connect`.
    Ephemeral,
}

impl BindMode {
    pub fn name(self) -> &'static str {
        match self {
            BindMode::Exclusive => "exclusive",
            BindMode::ReuseAddr => "reuse_addr",
            BindMode::Ephemeral => "ephemeral",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Connected,
    /// Some data was read on the connection.
    Read,
    Eof,
    /// The connection is fully gone: CLOSED, after TIME-WAIT if there is one.
    Closed,
}

/// A segment's identity that survives re-runs: the `nth` segment (1-based) that `from` sent on
/// connection `conn`. Everything before a toggled segment is unchanged by the toggle, so the same
/// identity names the same segment in the new run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SegmentId {
    pub conn: u32,
    pub from: Side,
    pub nth: u32,
}

/// What the network does to one segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Drop,
    /// Arrive this much later than the one-way delay.
    Delay(Duration),
    /// Deliver it, and a copy this much later again (an "old duplicate" lingering in the network).
    Duplicate(Duration),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "OverrideFields")]
pub struct Override {
    #[serde(flatten)]
    pub segment: SegmentId,
    pub fate: Fate,
}

/// An override as written: the segment's fields beside `fate` (read without serde's flatten, as
/// [`StepFields`]).
#[derive(Deserialize)]
struct OverrideFields {
    conn: u32,
    from: Side,
    nth: u32,
    fate: Fate,
}

impl From<OverrideFields> for Override {
    fn from(o: OverrideFields) -> Override {
        Override {
            segment: SegmentId {
                conn: o.conn,
                from: o.from,
                nth: o.nth,
            },
            fate: o.fate,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub profile: Profile,
    #[serde(default)]
    pub params: ParamOverrides,
    pub client: Vec<Step>,
    pub server: Vec<Step>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

/// A field that is out of range or inconsistent: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    pub field: String,
    pub problem: Problem,
}

/// What is wrong with a field, as data: the page words it in the reader's language, the CLI prints
/// its [`Display`](fmt::Display) in English. Values and limits are given as the scenario spells them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    OutOfRange {
        value: String,
        min: String,
        max: String,
    },
    /// Too many or too few `what` (steps, overrides, connections, pairs, bytes).
    Count {
        what: &'static str,
        count: u64,
        min: u64,
        max: u64,
    },
    DelayNotBelowMsl {
        delay: String,
        msl: String,
    },
    RtoMinAboveMax {
        rto_min: String,
        rto_max: String,
    },
    OnlyServerListens,
    OnlyClientConnects,
    ServerMustListen,
    /// `listen` with `bind: "ephemeral"`: a listener needs its port.
    ListenerNeedsPort,
    FateTwice,
    /// The value does not parse as the field's type (`"1y" is not a duration`).
    Parse {
        detail: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Problem::OutOfRange { value, min, max } => {
                write!(f, "{value} is out of range (allowed {min} to {max})")
            }
            Problem::Count {
                what,
                count,
                min,
                max,
            } if count > max => write!(f, "{count} {what} is too many (at most {max})"),
            Problem::Count {
                what, count, min, ..
            } => write!(f, "{count} {what} is too few (at least {min})"),
            Problem::DelayNotBelowMsl { delay, msl } => write!(
                f,
                "{delay} must be shorter than MSL ({msl}), or every segment would expire in the network"
            ),
            Problem::RtoMinAboveMax { rto_min, rto_max } => {
                write!(f, "{rto_min} is above rto_max ({rto_max})")
            }
            Problem::OnlyServerListens => f.write_str("only the server listens"),
            Problem::OnlyClientConnects => f.write_str("only the client connects"),
            Problem::ServerMustListen => f.write_str("the server's script must listen on a port"),
            Problem::ListenerNeedsPort => {
                f.write_str("a listener binds its own port: exclusive or reuse_addr, not ephemeral")
            }
            Problem::FateTwice => f.write_str("this segment already has a fate"),
            Problem::Parse { detail } => f.write_str(detail),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for ScenarioError {}

/// Documented limits (README, "Fields and ranges"): generous for any real lesson, small enough that no
/// scenario can exhaust the page's memory; the simulation's budgets ([`crate::sim::Budget`]) bound the rest.
pub mod limits {
    use crate::time::Duration;
    pub const NAME_BYTES: usize = 200;
    pub const DESCRIPTION_BYTES: usize = 2000;
    pub const STEPS: usize = 200;
    pub const TEXT_BYTES: usize = 4096;
    pub const SEND_BYTES: u32 = 16 << 20;
    /// All of one application's sends together (texts and generated bytes).
    pub const SENT_BYTES: u64 = 16 << 20;
    pub const SCRIPT_TIME: Duration = Duration::from_secs(3600);
    pub const OVERRIDES: usize = 1000;
    pub const NTH: u32 = 1_000_000;
    pub const CONNECTIONS: u32 = 100;
    pub const FATE_DELAY: Duration = Duration::from_secs(3600);
}

pub(crate) fn check_range<T: PartialOrd + fmt::Display>(
    field: &str,
    value: T,
    min: T,
    max: T,
) -> Result<(), ScenarioError> {
    if value < min || value > max {
        return Err(error(
            field,
            Problem::OutOfRange {
                value: value.to_string(),
                min: min.to_string(),
                max: max.to_string(),
            },
        ));
    }
    Ok(())
}

pub(crate) fn check_count(
    field: &str,
    what: &'static str,
    count: usize,
    min: usize,
    max: usize,
) -> Result<(), ScenarioError> {
    if count < min || count > max {
        return Err(error(
            field,
            Problem::Count {
                what,
                count: count as u64,
                min: min as u64,
                max: max as u64,
            },
        ));
    }
    Ok(())
}

pub(crate) fn error(field: impl Into<String>, problem: Problem) -> ScenarioError {
    ScenarioError {
        field: field.into(),
        problem,
    }
}

impl Scenario {
    /// The profile's parameters with this scenario's overrides applied.
    pub fn params(&self) -> Params {
        self.params.apply(self.profile.params())
    }

    /// Check every field against [`limits`] and the fields against each other.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        use limits::*;
        check_count("name", "bytes", self.name.len(), 0, NAME_BYTES)?;
        check_count(
            "description",
            "bytes",
            self.description.len(),
            0,
            DESCRIPTION_BYTES,
        )?;
        let p = self.params();
        p.check()?;
        if p.delay >= p.msl {
            return Err(error(
                "params.delay",
                Problem::DelayNotBelowMsl {
                    delay: p.delay.to_string(),
                    msl: p.msl.to_string(),
                },
            ));
        }
        if p.rto_min > p.rto_max {
            return Err(error(
                "params.rto_min",
                Problem::RtoMinAboveMax {
                    rto_min: p.rto_min.to_string(),
                    rto_max: p.rto_max.to_string(),
                },
            ));
        }
        check_range("params.rto_initial", p.rto_initial, p.rto_min, p.rto_max)?;
        self.validate_script(Side::Client, &self.client)?;
        self.validate_script(Side::Server, &self.server)?;
        if !self
            .server
            .iter()
            .any(|s| matches!(s.action, Action::Listen { .. }))
        {
            return Err(error("server", Problem::ServerMustListen));
        }
        check_count("overrides", "overrides", self.overrides.len(), 0, OVERRIDES)?;
        for (i, o) in self.overrides.iter().enumerate() {
            let field = format!("overrides[{i}]");
            check_range(&format!("{field}.conn"), o.segment.conn, 1, CONNECTIONS)?;
            check_range(&format!("{field}.nth"), o.segment.nth, 1, NTH)?;
            if let Fate::Delay(d) | Fate::Duplicate(d) = o.fate {
                check_range(&format!("{field}.fate"), d, Duration::ZERO, FATE_DELAY)?;
            }
            if self.overrides[..i].iter().any(|e| e.segment == o.segment) {
                return Err(error(field, Problem::FateTwice));
            }
        }
        Ok(())
    }

    fn validate_script(&self, side: Side, steps: &[Step]) -> Result<(), ScenarioError> {
        use limits::*;
        let name = side.name();
        check_count(name, "steps", steps.len(), 0, STEPS)?;
        let connects = steps
            .iter()
            .filter(|s| matches!(s.action, Action::Connect { .. }))
            .count();
        check_count(name, "connections", connects, 0, CONNECTIONS as usize)?;
        let mut sent: u64 = 0;
        for (i, step) in steps.iter().enumerate() {
            let field = format!("{name}[{i}]");
            match (&step.action, side) {
                (
                    Action::Listen {
                        bind: Some(BindMode::Ephemeral),
                        ..
                    },
                    Side::Server,
                ) => return Err(error(format!("{field}.bind"), Problem::ListenerNeedsPort)),
                (Action::Listen { port, .. }, Side::Server)
                | (Action::Connect { port, .. }, Side::Client) => {
                    check_range(&format!("{field}.port"), *port, 1, u16::MAX)?
                }
                (Action::Listen { .. } | Action::CloseListener, Side::Client) => {
                    return Err(error(field, Problem::OnlyServerListens))
                }
                (Action::Connect { .. }, Side::Server) => {
                    return Err(error(field, Problem::OnlyClientConnects))
                }
                (Action::Send { text }, _) => {
                    check_count(&format!("{field}.text"), "bytes", text.len(), 0, TEXT_BYTES)?;
                    sent += text.len() as u64;
                }
                (Action::SendBytes { bytes }, _) => {
                    check_range(&format!("{field}.bytes"), *bytes, 1, SEND_BYTES)?;
                    sent += u64::from(*bytes);
                }
                _ => {}
            }
            if sent > SENT_BYTES {
                return Err(error(
                    name,
                    Problem::Count {
                        what: "bytes sent",
                        count: sent,
                        min: 0,
                        max: SENT_BYTES,
                    },
                ));
            }
            for (what, value) in [("at", step.at), ("wait", step.wait)] {
                if let Some(d) = value {
                    check_range(&format!("{field}.{what}"), d, Duration::ZERO, SCRIPT_TIME)?;
                }
            }
        }
        Ok(())
    }
}
