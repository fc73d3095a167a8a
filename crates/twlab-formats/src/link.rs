//! Share links: a scenario, the twin toggle, the language and the reader's step, written into a URL
//! fragment that stays short and readable for the presets:
//!
//! ```text
//! v1/last-ack-lost/twin/lang=zh-Hans/step=12/end
//! v1/normal-close/msl=2s/drop=c6,s5/late=s7:300ms/dup=2c3:600ms/end
//! v1/custom/client=connect:40000,send:GET%20%2F@connected,close@read+100ms/server=listen:80,close@eof/end
//! ```
//!
//! The grammar (version 1): `v1`, the base (a preset's name or `custom`), settings, then `end`, all
//! separated by `/`. The closing `end` tells a cut-off link from a complete one. Settings:
//!
//! - `profile=rfc9293|linux|lab` and any parameter by its scenario-JSON name with its JSON spelling
//!   (`msl=2s`, `time_wait=skip`, `rfc1337=on`, `isn=fixed:1000-5000`, `isn=each:1-2,3-4`, `isn=clock`);
//!   on a preset they replace that one parameter.
//! - segment fates, `drop=c6,s5`, `late=c3:300ms` (delayed), `dup=2s3:600ms`: a segment is `[conn]c|s nth`
//!   (connection 1 when left out). On a preset any fate replaces the preset's own list; `fates=none`
//!   clears it.
//! - custom only: `name=`, `desc=`, and the scripts `client=` and `server=`, steps separated by `,`:
//!   `listen:80`, `connect:40000` (either with `:exclusive` or `:reuse_addr` for how the port is bound, or
//!   `connect:40000:ephemeral`: the system picks a port from 40000 on),
//!   `send:<text>`, `bytes:<n>`, `close`, `shutdown`, `close_listener`, each optionally followed by `@connected|read|eof|closed` (after), `@500ms` (at) and `+100ms` (wait).
//! - `twin` (show the run without TIME-WAIT beside it), `lang=<tag>`, `step=<n>` (0 is the start).
//!
//! The guided tour has links of its own, `v1/tour/end` and `v1/tour/3/lang=zh-Hans/end` ([`decode_tour`]).
//!
//! A link may carry a fork ([`decode_forked`]): `fork=<n>` (made at step n) followed by the fork's fate
//! settings, the same scenario with those fates (none: the same fates). It shows the twin or a fork,
//! not both: `v1/last-ack-lost/fork=26/fates=none/end` is `last-ack-lost` beside the run whose last
//! ACK arrives. The page's first module reads no forks; the fork's module does.
//!
//! Text (names, payloads) is percent-encoded: every byte but `A-Z a-z 0-9 - . _ ~`. A bare preset
//! name (`last-ack-lost`, what the page wrote before links had versions) opens that preset.
//! Decoding checks everything the scenario JSON would ([`Scenario::validate`]) and never panics.

use serde::Serialize;
use std::fmt::{self, Write};
use twlab_core::error::ErrorData;
use twlab_core::presets;
use twlab_core::scenario::{
    limits, Action, BindMode, Fate, Isn, IsnPair, Override, ParamOverrides, Problem, Profile,
    Scenario, SegmentId, Side, Step, TimeWait, Trigger,
};
use twlab_core::time::Duration;

/// The format version this code writes and reads.
pub const VERSION: u32 = 1;
/// The longest link (in bytes, without `#`) that [`decode`] reads: far beyond any preset's link,
/// small enough that nobody can hand the page a megabyte to chew on.
pub const MAX_LEN: usize = 16 * 1024;
/// The highest step a link may ask for.
pub const MAX_STEP: u32 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub scenario: LinkScenario,
    /// Show the "what if TIME-WAIT were skipped?" twin beside the run.
    pub twin: bool,
    /// A language tag such as `en` or `zh-Hans`; the page falls back to its default if it has no such language.
    pub lang: Option<String>,
    /// The step to open at: 0 is the start, n shows the run's first n events.
    pub step: Option<u32>,
}

/// A preset with changes (a short link), or a whole scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkScenario {
    Preset {
        name: String,
        profile: Option<Profile>,
        /// Replace the preset's parameter of the same name.
        params: ParamOverrides,
        /// Replace the preset's fates; `None` keeps them.
        overrides: Option<Vec<Override>>,
    },
    Custom(Scenario),
}

/// What is wrong with a link, one variant per kind of damage, each with a message saying so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkError {
    TooLong {
        length: usize,
        max: usize,
    },
    /// Not twlab's grammar: `part` is the offending piece (shortened), `reason` what was expected.
    Malformed {
        part: String,
        reason: String,
    },
    /// Cut off before its closing `end`.
    Truncated,
    FutureVersion {
        version: u32,
        supported: u32,
    },
    UnknownPreset {
        name: String,
    },
    TooManyOverrides {
        count: usize,
        max: usize,
    },
    /// A value outside its allowed range, as [`Scenario::validate`] finds it (the page words the
    /// problem in the reader's language).
    OutOfRange {
        field: String,
        problem: Problem,
    },
}

impl LinkError {
    /// The variant's name in snake case, as JSON names it: `truncated`, `future_version`, ….
    pub fn kind(&self) -> &'static str {
        match self {
            LinkError::TooLong { .. } => "too_long",
            LinkError::Malformed { .. } => "malformed",
            LinkError::Truncated => "truncated",
            LinkError::FutureVersion { .. } => "future_version",
            LinkError::UnknownPreset { .. } => "unknown_preset",
            LinkError::TooManyOverrides { .. } => "too_many_overrides",
            LinkError::OutOfRange { .. } => "out_of_range",
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            LinkError::TooLong { length, max } => write!(f, "the link is {length} characters long; a twlab link has at most {max}"),
            LinkError::Malformed { part, reason } => write!(f, "the link is garbled at {part:?}: {reason}"),
            LinkError::Truncated => f.write_str("the link is cut off (it should end with /end): perhaps only part of it was copied"),
            LinkError::FutureVersion { version, supported } => write!(f, "the link was made by a newer twlab (format v{version}); this one reads links up to v{supported}"),
            LinkError::UnknownPreset { name } => write!(f, "there is no scenario called {name:?}"),
            LinkError::TooManyOverrides { count, max } => write!(f, "the link sets fates for {count} segments; at most {max} are allowed"),
            LinkError::OutOfRange { field, problem } => write!(f, "{field}: {problem}"),
        }
    }
}

impl std::error::Error for LinkError {}

impl From<&LinkError> for ErrorData {
    fn from(e: &LinkError) -> Self {
        let (field, problem) = match e {
            LinkError::OutOfRange { field, problem } => {
                (Some(field.clone()), Some(problem.clone()))
            }
            _ => (None, None),
        };
        ErrorData {
            kind: e.kind(),
            message: e.to_string(),
            field,
            problem,
        }
    }
}

/// A garbled link: `part` (shortened) and what was expected there. Also for links of other kinds
/// (twlab-drill's script links).
pub fn malformed(part: &str, reason: impl Into<String>) -> LinkError {
    const SHOWN: usize = 40;
    let shown: String = part.chars().take(SHOWN).collect();
    LinkError::Malformed {
        part: if shown.len() < part.len() {
            shown + "…"
        } else {
            shown
        },
        reason: reason.into(),
    }
}

fn out_of_range(field: &str, problem: Problem) -> LinkError {
    LinkError::OutOfRange {
        field: field.into(),
        problem,
    }
}

impl LinkScenario {
    /// The shortest description of `scenario`: its preset's name and what differs from the preset,
    /// or the whole scenario when its scripts are not a preset's.
    pub fn of(scenario: &Scenario) -> LinkScenario {
        if let Some(preset) = presets::by_name(&scenario.name) {
            let same_story = preset.description == scenario.description
                && preset.client == scenario.client
                && preset.server == scenario.server;
            if let Some(params) = same_story
                .then(|| diff_params(&preset.params, &scenario.params))
                .flatten()
            {
                return LinkScenario::Preset {
                    name: preset.name,
                    profile: (scenario.profile != preset.profile).then_some(scenario.profile),
                    params,
                    overrides: (scenario.overrides != preset.overrides)
                        .then(|| scenario.overrides.clone()),
                };
            }
        }
        LinkScenario::Custom(scenario.clone())
    }

    /// The scenario this stands for (not yet validated).
    pub fn to_scenario(&self) -> Result<Scenario, LinkError> {
        match self {
            LinkScenario::Custom(s) => Ok(s.clone()),
            LinkScenario::Preset {
                name,
                profile,
                params,
                overrides,
            } => {
                let mut s = presets::by_name(name)
                    .ok_or_else(|| LinkError::UnknownPreset { name: name.clone() })?;
                s.profile = profile.unwrap_or(s.profile);
                merge_params(&mut s.params, params);
                if let Some(o) = overrides {
                    s.overrides = o.clone();
                }
                Ok(s)
            }
        }
    }
}

// ---- values ----------------------------------------------------------------------------------------

/// A setting's value as it is written in a link.
trait Value: Sized {
    fn write(&self, out: &mut String);
    fn read(field: &str, text: &str) -> Result<Self, LinkError>;
}

impl Value for Duration {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
    fn read(field: &str, text: &str) -> Result<Self, LinkError> {
        text.parse().map_err(|_| {
            malformed(
                text,
                format!("{field} must be a duration like 200ms, 1.5s or 2min"),
            )
        })
    }
}

impl Value for TimeWait {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
    fn read(field: &str, text: &str) -> Result<Self, LinkError> {
        text.parse()
            .map_err(|_| malformed(text, format!("{field} must be like 2msl, 60s or skip")))
    }
}

/// A decimal number no larger than `max`.
fn number(field: &str, text: &str, max: u64) -> Result<u64, LinkError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(text, format!("{field} must be a whole number")));
    }
    match text.parse::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(out_of_range(
            field,
            Problem::OutOfRange {
                value: text.into(),
                min: "0".into(),
                max: max.to_string(),
            },
        )),
    }
}

impl Value for u32 {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
    fn read(field: &str, text: &str) -> Result<Self, LinkError> {
        Ok(number(field, text, u32::MAX.into())? as u32)
    }
}

impl Value for u16 {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
    fn read(field: &str, text: &str) -> Result<Self, LinkError> {
        Ok(number(field, text, u16::MAX.into())? as u16)
    }
}

impl Value for bool {
    fn write(&self, out: &mut String) {
        out.push_str(if *self { "on" } else { "off" });
    }
    fn read(field: &str, text: &str) -> Result<Self, LinkError> {
        match text {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err(malformed(text, format!("{field} must be on or off"))),
        }
    }
}

impl Value for IsnPair {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{}-{}", self.client, self.server);
    }
    fn read(field: &str, text: &str) -> Result<Self, LinkError> {
        let (client, server) = text.split_once('-').ok_or_else(|| {
            malformed(
                text,
                format!("{field} must be a pair client-server like 1000-5000"),
            )
        })?;
        Ok(IsnPair {
            client: u32::read(field, client)?,
            server: u32::read(field, server)?,
        })
    }
}

impl Value for Isn {
    fn write(&self, out: &mut String) {
        match self {
            Isn::Clock => out.push_str("clock"),
            Isn::Fixed(pair) => {
                out.push_str("fixed:");
                pair.write(out);
            }
            Isn::PerConnection(pairs) => {
                out.push_str("each:");
                for (i, pair) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    pair.write(out);
                }
            }
        }
    }
    fn read(field: &str, text: &str) -> Result<Self, LinkError> {
        if text == "clock" {
            return Ok(Isn::Clock);
        }
        if let Some(pair) = text.strip_prefix("fixed:") {
            return Ok(Isn::Fixed(IsnPair::read(field, pair)?));
        }
        if let Some(pairs) = text.strip_prefix("each:") {
            if pairs.is_empty() {
                return Ok(Isn::PerConnection(Vec::new()));
            }
            let max = limits::CONNECTIONS as u64;
            let count = pairs.split(',').count() as u64;
            if count > max {
                let problem = Problem::Count {
                    what: "pairs",
                    count,
                    min: 1,
                    max,
                };
                return Err(out_of_range("params.isn.per_connection", problem));
            }
            return pairs
                .split(',')
                .map(|p| IsnPair::read(field, p))
                .collect::<Result<_, _>>()
                .map(Isn::PerConnection);
        }
        Err(malformed(
            text,
            format!("{field} must be clock, fixed:<client>-<server> or each:<pairs>"),
        ))
    }
}

impl Value for Profile {
    fn write(&self, out: &mut String) {
        out.push_str(match self {
            Profile::Rfc9293 => "rfc9293",
            Profile::Linux => "linux",
            Profile::Lab => "lab",
        });
    }
    fn read(_: &str, text: &str) -> Result<Self, LinkError> {
        match text {
            "rfc9293" => Ok(Profile::Rfc9293),
            "linux" => Ok(Profile::Linux),
            "lab" => Ok(Profile::Lab),
            _ => Err(malformed(text, "profile must be rfc9293, linux or lab")),
        }
    }
}

/// Set a setting that may be given once.
fn once<T>(slot: &mut Option<T>, value: T, key: &str) -> Result<(), LinkError> {
    if slot.is_some() {
        return Err(malformed(key, "this setting is given twice"));
    }
    *slot = Some(value);
    Ok(())
}

/// Writing, reading, comparing and merging [`ParamOverrides`] field by field, for every field of the
/// parameter table.
macro_rules! params_codec {
    ($($field:ident),*) => {
        fn write_params(p: &ParamOverrides, out: &mut String) {
            $(if let Some(v) = &p.$field {
                out.push_str(concat!("/", stringify!($field), "="));
                v.write(out);
            })*
        }

        /// Reads `key=value` into `p` if `key` names a parameter; `Ok(false)` if it does not.
        fn read_param(p: &mut ParamOverrides, key: &str, value: &str) -> Result<bool, LinkError> {
            $(if key == stringify!($field) {
                let v = Value::read(concat!("params.", stringify!($field)), value)?;
                once(&mut p.$field, v, key)?;
                return Ok(true);
            })*
            Ok(false)
        }

        /// The parameters of `now` that differ from `preset`; `None` if `now` drops one `preset` sets.
        fn diff_params(preset: &ParamOverrides, now: &ParamOverrides) -> Option<ParamOverrides> {
            let mut out = ParamOverrides::default();
            $(if now.$field != preset.$field {
                now.$field.as_ref()?;
                out.$field = now.$field.clone();
            })*
            Some(out)
        }

        fn merge_params(base: &mut ParamOverrides, over: &ParamOverrides) {
            $(if over.$field.is_some() {
                base.$field = over.$field.clone();
            })*
        }
    };
}

twlab_core::for_each_param!(params_codec);

/// Parameters written as a link writes them (`msl=2s`, `timestamps=on`, `isn=fixed:1-2`), each replacing
/// the one in `params`: what `twlab run --set` reads. A name that is no parameter, a value that does
/// not parse or a parameter given twice is an error; ranges are [`Scenario::validate`]'s to check.
pub fn set_params<'a>(
    params: &mut ParamOverrides,
    settings: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), LinkError> {
    let mut set = ParamOverrides::default();
    for (name, value) in settings {
        if !read_param(&mut set, name, value)? {
            return Err(malformed(
                name,
                "not a parameter (`twlab params` lists them)",
            ));
        }
    }
    merge_params(params, &set);
    Ok(())
}

// ---- text ------------------------------------------------------------------------------------------

fn escape(text: &str, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

fn unescape(field: &str, text: &str) -> Result<String, LinkError> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let value = bytes
                .get(i + 1..i + 3)
                .and_then(|h| Some(hex(h[0])? * 16 + hex(h[1])?))
                .ok_or_else(|| {
                    malformed(
                        &text[i..],
                        format!("{field}: % must be followed by two hex digits"),
                    )
                })?;
            out.push(value as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| malformed(text, format!("{field} is not UTF-8 text")))
}

// ---- fates -----------------------------------------------------------------------------------------

fn write_fates(overrides: &[Override], out: &mut String) {
    let mut last = "";
    for o in overrides {
        let kind = match o.fate {
            Fate::Drop => "drop",
            Fate::Delay(_) => "late",
            Fate::Duplicate(_) => "dup",
        };
        if kind == last {
            out.push(',');
        } else {
            let _ = write!(out, "/{kind}=");
            last = kind;
        }
        let SegmentId { conn, from, nth } = o.segment;
        if conn != 1 {
            let _ = write!(out, "{conn}");
        }
        out.push(if from == Side::Client { 'c' } else { 's' });
        let _ = write!(out, "{nth}");
        if let Fate::Delay(d) | Fate::Duplicate(d) = o.fate {
            let _ = write!(out, ":{d}");
        }
    }
}

/// `2c6` or `s3`: connection (1 if left out), side, the sender's nth segment.
fn read_segment(text: &str) -> Result<SegmentId, LinkError> {
    let bad = || {
        malformed(
            text,
            "a segment is written like c6, s3 or 2c6 (connection 2)",
        )
    };
    let split = text.find(['c', 's']).ok_or_else(bad)?;
    let (conn, rest) = text.split_at(split);
    let from = if rest.starts_with('c') {
        Side::Client
    } else {
        Side::Server
    };
    let conn = if conn.is_empty() {
        1
    } else {
        u32::read("overrides.conn", conn)?
    };
    let nth = u32::read("overrides.nth", &rest[1..])?;
    Ok(SegmentId { conn, from, nth })
}

fn read_fates(kind: &str, value: &str, into: &mut Vec<Override>) -> Result<(), LinkError> {
    let count = into.len() + value.split(',').count();
    if count > limits::OVERRIDES {
        return Err(LinkError::TooManyOverrides {
            count,
            max: limits::OVERRIDES,
        });
    }
    for item in value.split(',') {
        let (segment, fate) = match kind {
            "drop" => (read_segment(item)?, Fate::Drop),
            _ => {
                let (segment, d) = item.split_once(':').ok_or_else(|| {
                    malformed(item, format!("{kind} needs a time, like c3:300ms"))
                })?;
                let d = Duration::read("overrides.fate", d)?;
                let fate = if kind == "late" {
                    Fate::Delay(d)
                } else {
                    Fate::Duplicate(d)
                };
                (read_segment(segment)?, fate)
            }
        };
        into.push(Override { segment, fate });
    }
    Ok(())
}

// ---- scripts ---------------------------------------------------------------------------------------

fn trigger_name(t: Trigger) -> &'static str {
    match t {
        Trigger::Connected => "connected",
        Trigger::Read => "read",
        Trigger::Eof => "eof",
        Trigger::Closed => "closed",
    }
}

fn write_steps(steps: &[Step], out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = match &step.action {
            Action::Listen { port, bind } => write_bound(out, "listen", *port, *bind),
            Action::CloseListener => write!(out, "close_listener"),
            Action::Connect { port, bind } => write_bound(out, "connect", *port, *bind),
            Action::Send { text } => {
                out.push_str("send:");
                escape(text, out);
                Ok(())
            }
            Action::SendBytes { bytes } => write!(out, "bytes:{bytes}"),
            Action::Close => write!(out, "close"),
            Action::Shutdown => write!(out, "shutdown"),
        };
        if let Some(t) = step.after {
            let _ = write!(out, "@{}", trigger_name(t));
        }
        if let Some(at) = step.at {
            let _ = write!(out, "@{at}");
        }
        if let Some(wait) = step.wait {
            let _ = write!(out, "+{wait}");
        }
    }
}

/// `listen:80`, `connect:40000:reuse_addr`: the port, then how it is bound if the step says.
fn write_bound(out: &mut String, call: &str, port: u16, bind: Option<BindMode>) -> fmt::Result {
    write!(out, "{call}:{port}")?;
    match bind {
        Some(mode) => write!(out, ":{}", mode.name()),
        None => Ok(()),
    }
}

fn read_bound(field: &str, arg: &str) -> Result<(u16, Option<BindMode>), LinkError> {
    let (port, mode) = match arg.split_once(':') {
        Some((port, mode)) => (port, Some(mode)),
        None => (arg, None),
    };
    let bind = match mode {
        None => None,
        Some("exclusive") => Some(BindMode::Exclusive),
        Some("reuse_addr") => Some(BindMode::ReuseAddr),
        Some("ephemeral") => Some(BindMode::Ephemeral),
        Some(other) => return Err(malformed(
            other,
            "a port is bound exclusive, reuse_addr or ephemeral, as in connect:40000:reuse_addr",
        )),
    };
    Ok((u16::read(&format!("{field}.port"), port)?, bind))
}

fn read_step(field: &str, text: &str) -> Result<Step, LinkError> {
    let end = text.find(['@', '+']).unwrap_or(text.len());
    let (action, mut modifiers) = text.split_at(end);
    let (name, arg) = match action.split_once(':') {
        Some((name, arg)) => (name, Some(arg)),
        None => (action, None),
    };
    let action = match (name, arg) {
        ("listen", Some(arg)) => {
            let (port, bind) = read_bound(field, arg)?;
            Action::Listen { port, bind }
        }
        ("close_listener", None) => Action::CloseListener,
        ("connect", Some(arg)) => {
            let (port, bind) = read_bound(field, arg)?;
            Action::Connect { port, bind }
        }
        ("send", Some(arg)) => Action::Send {
            text: unescape(&format!("{field}.text"), arg)?,
        },
        ("bytes", Some(arg)) => Action::SendBytes {
            bytes: u32::read(&format!("{field}.bytes"), arg)?,
        },
        ("close", None) => Action::Close,
        ("shutdown", None) => Action::Shutdown,
        _ => return Err(malformed(
            action,
            "a step is listen:<port>, connect:<port>, send:<text>, bytes:<n>, close, shutdown or close_listener",
        )),
    };
    let mut step = Step {
        action,
        at: None,
        after: None,
        wait: None,
    };
    while let Some(mark) = modifiers.chars().next() {
        let rest = &modifiers[1..];
        let end = rest.find(['@', '+']).unwrap_or(rest.len());
        let (value, next) = rest.split_at(end);
        modifiers = next;
        match (mark, value) {
            ('+', _) => once(
                &mut step.wait,
                Duration::read(&format!("{field}.wait"), value)?,
                value,
            )?,
            ('@', "connected") => once(&mut step.after, Trigger::Connected, value)?,
            ('@', "read") => once(&mut step.after, Trigger::Read, value)?,
            ('@', "eof") => once(&mut step.after, Trigger::Eof, value)?,
            ('@', "closed") => once(&mut step.after, Trigger::Closed, value)?,
            _ => once(
                &mut step.at,
                Duration::read(&format!("{field}.at"), value)?,
                value,
            )?,
        }
    }
    Ok(step)
}

fn read_steps(side: &str, value: &str) -> Result<Vec<Step>, LinkError> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let count = value.split(',').count();
    if count > limits::STEPS {
        let problem = Problem::Count {
            what: "steps",
            count: count as u64,
            min: 0,
            max: limits::STEPS as u64,
        };
        return Err(out_of_range(side, problem));
    }
    value
        .split(',')
        .enumerate()
        .map(|(i, step)| read_step(&format!("{side}[{i}]"), step))
        .collect()
}

// ---- the link --------------------------------------------------------------------------------------

/// The link's fragment, without `#`.
pub fn encode(link: &Link) -> String {
    let mut out = format!("v{VERSION}/");
    match &link.scenario {
        LinkScenario::Preset {
            name,
            profile,
            params,
            overrides,
        } => {
            escape(name, &mut out);
            if let Some(p) = profile {
                out.push_str("/profile=");
                p.write(&mut out);
            }
            write_params(params, &mut out);
            match overrides.as_deref() {
                Some([]) => out.push_str("/fates=none"),
                Some(o) => write_fates(o, &mut out),
                None => {}
            }
        }
        LinkScenario::Custom(s) => {
            out.push_str("custom");
            if !s.name.is_empty() {
                out.push_str("/name=");
                escape(&s.name, &mut out);
            }
            if !s.description.is_empty() {
                out.push_str("/desc=");
                escape(&s.description, &mut out);
            }
            if s.profile != Profile::default() {
                out.push_str("/profile=");
                s.profile.write(&mut out);
            }
            write_params(&s.params, &mut out);
            out.push_str("/client=");
            write_steps(&s.client, &mut out);
            out.push_str("/server=");
            write_steps(&s.server, &mut out);
            write_fates(&s.overrides, &mut out);
        }
    }
    if link.twin {
        out.push_str("/twin");
    }
    if let Some(lang) = &link.lang {
        out.push_str("/lang=");
        escape(lang, &mut out);
    }
    if let Some(step) = link.step {
        let _ = write!(out, "/step={step}");
    }
    out.push_str("/end");
    out
}

fn is_lang(tag: &str) -> bool {
    (1..=16).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Read a link's fragment (with or without `#`). The scenario it gives is valid: it would run.
pub fn decode(text: &str) -> Result<Link, LinkError> {
    let text = text.strip_prefix('#').unwrap_or(text);
    if text.len() > MAX_LEN {
        return Err(LinkError::TooLong {
            length: text.len(),
            max: MAX_LEN,
        });
    }
    let parts: Vec<&str> = text.split('/').collect();
    let first = parts[0];
    let Some(version) = first.strip_prefix('v').filter(|v| !v.is_empty()) else {
        return bare_preset(text);
    };
    let version = number("version", version, u32::MAX.into())
        .map_err(|_| malformed(first, "a twlab link starts with v1/"))? as u32;
    if version > VERSION {
        return Err(LinkError::FutureVersion {
            version,
            supported: VERSION,
        });
    }
    if version == 0 {
        return Err(malformed(first, "a twlab link starts with v1/"));
    }
    if parts.len() < 2 || parts[parts.len() - 1] != "end" {
        return Err(LinkError::Truncated);
    }
    let (base, settings) = match &parts[1..parts.len() - 1] {
        [base, settings @ ..] => (*base, settings),
        [] => return Err(malformed(text, "the link names no scenario")),
    };
    let custom = base == "custom";
    if !custom && presets::by_name(base).is_none() {
        return Err(unknown(base));
    }

    let mut s = Scenario {
        name: String::new(),
        description: String::new(),
        profile: Profile::default(),
        params: ParamOverrides::default(),
        client: Vec::new(),
        server: Vec::new(),
        overrides: Vec::new(),
    };
    let (mut name, mut description, mut profile, mut client, mut server) =
        (None, None, None, None, None);
    let (mut twin, mut lang, mut step, mut cleared) = (None, None, None, None);
    let mut fates: Option<Vec<Override>> = None;
    for &setting in settings {
        let (key, value) = match setting.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (setting, None),
        };
        match (key, value) {
            ("twin", None) => once(&mut twin, true, key)?,
            ("lang", Some(v)) if is_lang(v) => once(&mut lang, v.to_string(), key)?,
            ("lang", Some(v)) => {
                return Err(malformed(
                    v,
                    "lang must be a language tag like en or zh-Hans",
                ))
            }
            ("step", Some(v)) => once(&mut step, number("step", v, MAX_STEP.into())? as u32, key)?,
            ("profile", Some(v)) => once(&mut profile, Profile::read(key, v)?, key)?,
            ("drop" | "late" | "dup", Some(v)) => {
                read_fates(key, v, fates.get_or_insert_with(Vec::new))?
            }
            ("fates", Some("none")) => once(&mut cleared, (), key)?,
            ("name", Some(v)) if custom => once(&mut name, unescape("name", v)?, key)?,
            ("desc", Some(v)) if custom => {
                once(&mut description, unescape("description", v)?, key)?
            }
            ("client", Some(v)) if custom => once(&mut client, read_steps("client", v)?, key)?,
            ("server", Some(v)) if custom => once(&mut server, read_steps("server", v)?, key)?,
            (_, Some(v)) if read_param(&mut s.params, key, v)? => {}
            _ => return Err(malformed(setting, "not a setting twlab knows")),
        }
    }
    if cleared.is_some() && fates.is_some() {
        return Err(malformed(
            "fates=none",
            "the link both clears the fates and sets some",
        ));
    }
    let overrides = fates.or(cleared.map(|()| Vec::new()));
    let scenario = if custom {
        if client.is_none() || server.is_none() {
            return Err(malformed(
                text,
                "a custom scenario needs client= and server= scripts",
            ));
        }
        s.name = name.unwrap_or_default();
        s.description = description.unwrap_or_default();
        s.profile = profile.unwrap_or_default();
        s.client = client.unwrap_or_default();
        s.server = server.unwrap_or_default();
        s.overrides = overrides.unwrap_or_default();
        LinkScenario::Custom(s)
    } else {
        LinkScenario::Preset {
            name: base.to_string(),
            profile,
            params: s.params,
            overrides,
        }
    };
    scenario
        .to_scenario()?
        .validate()
        .map_err(|e| out_of_range(&e.field, e.problem))?;
    let link = Link {
        scenario,
        twin: twin.unwrap_or(false),
        lang,
        step,
    };
    // Raw (unescaped) characters decode, but encode escapes them, three bytes of UTF-8 to nine
    // characters: refuse a link whose own re-encoding would be too long to open (found by fuzzing).
    let length = encode(&link).len();
    if length > MAX_LEN {
        return Err(LinkError::TooLong {
            length,
            max: MAX_LEN,
        });
    }
    Ok(link)
}

fn unknown(name: &str) -> LinkError {
    LinkError::UnknownPreset {
        name: name.chars().take(64).collect(),
    }
}

/// Before links had versions the page wrote `#<preset>`; those still open.
fn bare_preset(text: &str) -> Result<Link, LinkError> {
    if text.is_empty() || text.contains('/') {
        return Err(malformed(text, "a twlab link starts with v1/"));
    }
    if presets::by_name(text).is_none() {
        let name_like = text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        return Err(if name_like {
            unknown(text)
        } else {
            malformed(text, "a twlab link starts with v1/")
        });
    }
    Ok(Link {
        scenario: LinkScenario::Preset {
            name: text.to_string(),
            profile: None,
            params: ParamOverrides::default(),
            overrides: None,
        },
        twin: false,
        lang: None,
        step: None,
    })
}

// ---- the guided tour -------------------------------------------------------------------------------

/// The highest chapter number a tour link may name (the page holds the chapters and checks the rest).
pub const MAX_CHAPTER: u32 = 99;

/// A link to the guided tour: `v1/tour/end` (its first chapter), `v1/tour/3/end` (the third), with
/// `lang=` as in any link. Chapters count from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourLink {
    pub chapter: u32,
    pub lang: Option<String>,
}

/// Read a tour link; `None` if `text` is not one (then [`decode`] reads it).
pub fn decode_tour(text: &str) -> Option<Result<TourLink, LinkError>> {
    let text = text.strip_prefix('#').unwrap_or(text);
    let rest = text.strip_prefix("v1/tour")?;
    if !rest.is_empty() && !rest.starts_with('/') {
        return None;
    }
    let parts: Vec<&str> = rest.split('/').skip(1).collect();
    Some(read_tour(&parts))
}

fn read_tour(parts: &[&str]) -> Result<TourLink, LinkError> {
    let Some((&"end", settings)) = parts.split_last() else {
        return Err(LinkError::Truncated);
    };
    let (mut chapter, mut lang) = (None, None);
    for &setting in settings {
        match setting.split_once('=') {
            Some(("lang", v)) if is_lang(v) => once(&mut lang, v.to_string(), "lang")?,
            None if chapter.is_none() && lang.is_none() => {
                let n = number("chapter", setting, MAX_CHAPTER.into())? as u32;
                if n == 0 {
                    return Err(malformed(setting, "chapters count from 1"));
                }
                chapter = Some(n);
            }
            _ => return Err(malformed(setting, "a tour link has a chapter and lang=")),
        }
    }
    Ok(TourLink {
        chapter: chapter.unwrap_or(1),
        lang,
    })
}

/// A tour link's fragment, without `#`: the first chapter is written without its number.
pub fn encode_tour(tour: &TourLink) -> String {
    let mut out = String::from("v1/tour");
    if tour.chapter > 1 {
        let _ = write!(out, "/{}", tour.chapter);
    }
    if let Some(lang) = &tour.lang {
        out.push_str("/lang=");
        escape(lang, &mut out);
    }
    out.push_str("/end");
    out
}

// ---- forks -----------------------------------------------------------------------------------------

/// A second run forked from a link's scenario at the reader's step `step`: the same scenario with
/// other segment fates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fork {
    pub step: u32,
    /// The fork's fates; `None` keeps the scenario's (the two runs are the same until one changes).
    pub overrides: Option<Vec<Override>>,
}

impl Fork {
    /// The forked run: `scenario` with the fork's fates.
    pub fn scenario(&self, scenario: &Scenario) -> Scenario {
        Scenario {
            overrides: self
                .overrides
                .clone()
                .unwrap_or_else(|| scenario.overrides.clone()),
            ..scenario.clone()
        }
    }
}

/// A setting that sets fates: `drop=`, `late=`, `dup=`, `fates=none`.
fn is_fate(setting: &&str) -> bool {
    setting
        .split_once('=')
        .is_some_and(|(k, _)| matches!(k, "drop" | "late" | "dup" | "fates"))
}

// The fork is written and read through `encode` and `decode` alone, so that the page's first module,
// which reads no forks, keeps its decoder as it is (its helpers are inlined there; a second caller,
// even one that is never linked, costs that module bytes).

/// A link and, after its `fork=` setting, the fork ([`encode`] for the link).
pub fn encode_forked(link: &Link, fork: &Fork) -> String {
    let mut out = encode(link);
    out.truncate(out.len() - "/end".len());
    let _ = write!(out, "/fork={}", fork.step);
    if let Some(o) = &fork.overrides {
        // The fates as a whole scenario's link spells them.
        let all = encode(&Link {
            scenario: LinkScenario::Custom(Scenario {
                name: String::new(),
                description: String::new(),
                profile: Profile::default(),
                params: ParamOverrides::default(),
                client: Vec::new(),
                server: Vec::new(),
                overrides: o.clone(),
            }),
            twin: false,
            lang: None,
            step: None,
        });
        let fates: Vec<&str> = all.split('/').filter(is_fate).collect();
        out.push_str(if fates.is_empty() { "/fates=none" } else { "/" });
        out.push_str(&fates.join("/"));
    }
    out.push_str("/end");
    out
}

/// [`decode`], and the fork if the link has one: `fork=<n>` and the fate settings right after it,
/// which replace the scenario's fates as a preset link's replace the preset's. Both runs are checked
/// as [`decode`] checks one.
pub fn decode_forked(text: &str) -> Result<(Link, Option<Fork>), LinkError> {
    let text = text.strip_prefix('#').unwrap_or(text);
    let parts: Vec<&str> = text.split('/').collect();
    let Some(at) = parts.iter().position(|p| p.starts_with("fork=")) else {
        return Ok((decode(text)?, None));
    };
    let end = at + 1 + parts[at + 1..].iter().take_while(|p| is_fate(p)).count();
    let base = [&parts[..at], &parts[end..]].concat();
    let link = decode(&base.join("/"))?;
    if link.twin {
        return Err(malformed(
            "twin",
            "a link shows the twin or a fork, not both",
        ));
    }
    let step = number("fork", &parts[at]["fork=".len()..], MAX_STEP.into())? as u32;
    let overrides = if end == at + 1 {
        None
    } else {
        // The base without its own fates, then the fork's, before the closing `end`.
        let mut forked: Vec<&str> = base.iter().copied().filter(|p| !is_fate(p)).collect();
        let last = forked.len() - 1;
        forked.splice(last..last, parts[at + 1..end].iter().copied());
        Some(decode(&forked.join("/"))?.scenario.to_scenario()?.overrides)
    };
    Ok((link, Some(Fork { step, overrides })))
}
