//! The parameter table: every scenario parameter declared once, with its type, its allowed range, its
//! default in each [`Profile`], whether the page shows it without opening "More", and a one-line
//! meaning in English and Simplified Chinese.
//!
//! Everything else is generated from the declaration below: the resolved [`Params`] and the scenario's
//! [`ParamOverrides`] (serde included), each profile's defaults, the resolution of overrides, the range
//! checks of [`Scenario::validate`](crate::Scenario::validate), the share-link codec (twlab-formats' `link`),
//! and [`table`], which the CLI (`twlab params`) and the wasm hand out as data. Adding a parameter is one
//! entry here, plus the behaviour that reads it.

use crate::scenario::{
    check_count, check_range, error, Isn, Problem, Profile, ScenarioError, TimeWait,
};
use crate::time::Duration;
use serde::{Deserialize, Serialize};

/// A parameter's allowed values, as data: the kind of value and its limits as the scenario spells them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Range {
    Duration {
        min: Duration,
        max: Duration,
    },
    /// A whole number.
    Count {
        min: u32,
        max: u32,
    },
    /// `true` or `false` (`on` or `off` in a link).
    Bool,
    /// A whole multiple of MSL (`"2msl"`), a duration (`"60s"`), or `"skip"`.
    TimeWait {
        /// Limits of the duration form.
        min: Duration,
        max: Duration,
        msl_multiple_min: u32,
        msl_multiple_max: u32,
    },
    /// `"clock"`, `{"fixed": pair}` or `{"per_connection": [pairs]}` with `min` to `max` pairs.
    Isn {
        min: u32,
        max: u32,
    },
}

/// What a parameter's value is: how it is overridden, checked against its range and shown in [`table`].
pub trait ParamValue: Clone {
    /// What a scenario writes to override it (the value itself, or the duration of an optional one).
    type Override: Clone + PartialEq;
    /// The limits its declaration gives.
    type Limits: Copy;
    fn overridden(self, over: Option<&Self::Override>) -> Self {
        over.map_or(self, |o| Self::from_override(o.clone()))
    }
    fn from_override(over: Self::Override) -> Self;
    fn range(limits: Self::Limits) -> Range;
    fn check(&self, field: &str, limits: Self::Limits) -> Result<(), ScenarioError>;
    fn shown(&self) -> Shown;
}

/// A default value in [`table`], in its scenario-JSON spelling (`null`: not set).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Shown {
    Duration(Duration),
    Count(u32),
    Bool(bool),
    TimeWait(TimeWait),
    Isn(Isn),
    None,
}

impl ParamValue for Duration {
    type Override = Duration;
    type Limits = (Duration, Duration);
    fn from_override(over: Duration) -> Self {
        over
    }
    fn range((min, max): Self::Limits) -> Range {
        Range::Duration { min, max }
    }
    fn check(&self, field: &str, (min, max): Self::Limits) -> Result<(), ScenarioError> {
        check_range(field, *self, min, max)
    }
    fn shown(&self) -> Shown {
        Shown::Duration(*self)
    }
}

/// Unset (`None`) unless a profile or a scenario gives a duration; a scenario cannot unset it.
impl ParamValue for Option<Duration> {
    type Override = Duration;
    type Limits = (Duration, Duration);
    fn overridden(self, over: Option<&Duration>) -> Self {
        over.copied().or(self)
    }
    fn from_override(over: Duration) -> Self {
        Some(over)
    }
    fn range((min, max): Self::Limits) -> Range {
        Range::Duration { min, max }
    }
    fn check(&self, field: &str, limits: Self::Limits) -> Result<(), ScenarioError> {
        self.map_or(Ok(()), |d| d.check(field, limits))
    }
    fn shown(&self) -> Shown {
        self.map_or(Shown::None, Shown::Duration)
    }
}

macro_rules! count_value {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            type Override = $t;
            type Limits = ($t, $t);
            fn from_override(over: $t) -> Self {
                over
            }
            fn range((min, max): Self::Limits) -> Range {
                Range::Count { min: min.into(), max: max.into() }
            }
            fn check(&self, field: &str, (min, max): Self::Limits) -> Result<(), ScenarioError> {
                check_range(field, *self, min, max)
            }
            fn shown(&self) -> Shown {
                Shown::Count((*self).into())
            }
        }
    )*};
}
count_value!(u16, u32);

impl ParamValue for bool {
    type Override = bool;
    type Limits = ();
    fn from_override(over: bool) -> Self {
        over
    }
    fn range(_: ()) -> Range {
        Range::Bool
    }
    fn check(&self, _: &str, _: ()) -> Result<(), ScenarioError> {
        Ok(())
    }
    fn shown(&self) -> Shown {
        Shown::Bool(*self)
    }
}

/// TIME-WAIT's limits: a multiple of MSL, or a fixed duration.
#[derive(Clone, Copy, Debug)]
pub struct TimeWaitLimits {
    pub msl_multiple: (u32, u32),
    pub fixed: (Duration, Duration),
}

impl ParamValue for TimeWait {
    type Override = TimeWait;
    type Limits = TimeWaitLimits;
    fn from_override(over: TimeWait) -> Self {
        over
    }
    fn range(l: TimeWaitLimits) -> Range {
        Range::TimeWait {
            min: l.fixed.0,
            max: l.fixed.1,
            msl_multiple_min: l.msl_multiple.0,
            msl_multiple_max: l.msl_multiple.1,
        }
    }
    fn check(&self, field: &str, l: TimeWaitLimits) -> Result<(), ScenarioError> {
        let (min, max) = l.msl_multiple;
        match *self {
            TimeWait::MslMultiple(n) if !(min..=max).contains(&n) => Err(error(
                field,
                Problem::OutOfRange {
                    value: self.to_string(),
                    min: TimeWait::MslMultiple(min).to_string(),
                    max: TimeWait::MslMultiple(max).to_string(),
                },
            )),
            TimeWait::Fixed(d) => check_range(field, d, l.fixed.0, l.fixed.1),
            _ => Ok(()),
        }
    }
    fn shown(&self) -> Shown {
        Shown::TimeWait(*self)
    }
}

impl ParamValue for Isn {
    type Override = Isn;
    /// How many pairs `per_connection` may list.
    type Limits = (u32, u32);
    fn from_override(over: Isn) -> Self {
        over
    }
    fn range((min, max): Self::Limits) -> Range {
        Range::Isn { min, max }
    }
    fn check(&self, field: &str, (min, max): Self::Limits) -> Result<(), ScenarioError> {
        match self {
            Isn::PerConnection(pairs) => check_count(
                &format!("{field}.per_connection"),
                "pairs",
                pairs.len(),
                min as usize,
                max as usize,
            ),
            _ => Ok(()),
        }
    }
    fn shown(&self) -> Shown {
        Shown::Isn(self.clone())
    }
}

/// One row of [`table`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParamInfo {
    /// As the scenario JSON and links spell it.
    pub name: &'static str,
    /// `kind` and the limits.
    #[serde(flatten)]
    pub range: Range,
    pub defaults: Defaults,
    /// In view on the page; the others are under "More".
    pub common: bool,
    pub meaning: Meaning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Defaults {
    pub rfc9293: Shown,
    pub linux: Shown,
    pub lab: Shown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Meaning {
    pub en: &'static str,
    #[serde(rename = "zh-Hans")]
    pub zh_hans: &'static str,
}

/// Generates [`Params`], [`ParamOverrides`], [`Profile::params`], [`ParamOverrides::apply`],
/// [`Params::check`], [`table`] and [`for_each_param!`] from the declarations.
macro_rules! params {
    ($(
        $(#[$attr:meta])*
        $name:ident: $ty:ty {
            common: $common:expr,
            range: $limits:expr,
            rfc9293: $rfc9293:expr,
            linux: $linux:expr,
            lab: $lab:expr,
            en: $en:expr,
            zh: $zh:expr $(,)?
        }
    )*) => {
        /// The numbers every part of the simulation reads: a profile's defaults with a scenario's
        /// overrides applied ([`Scenario::params`](crate::Scenario::params)).
        #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
        pub struct Params {
            $($(#[$attr])* pub $name: $ty,)*
        }

        /// Optional overrides of a profile's [`Params`], field by field.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct ParamOverrides {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $name: Option<<$ty as ParamValue>::Override>,
            )*
        }

        impl Profile {
            pub fn params(self) -> Params {
                match self {
                    Profile::Rfc9293 => Params { $($name: $rfc9293,)* },
                    Profile::Linux => Params { $($name: $linux,)* },
                    Profile::Lab => Params { $($name: $lab,)* },
                }
            }
        }

        impl ParamOverrides {
            /// `base` with these overrides applied.
            pub fn apply(&self, base: Params) -> Params {
                Params { $($name: base.$name.overridden(self.$name.as_ref()),)* }
            }
        }

        impl Params {
            /// Each value against its declared range, in the table's order.
            pub fn check(&self) -> Result<(), ScenarioError> {
                $(self.$name.check(concat!("params.", stringify!($name)), $limits)?;)*
                Ok(())
            }
        }

        /// Every parameter, in declaration order, as data (the README's "Fields and ranges" lists the same).
        pub fn table() -> Vec<ParamInfo> {
            let [rfc9293, linux, lab] = [Profile::Rfc9293, Profile::Linux, Profile::Lab].map(Profile::params);
            vec![$(ParamInfo {
                name: stringify!($name),
                range: <$ty as ParamValue>::range($limits),
                defaults: Defaults {
                    rfc9293: rfc9293.$name.shown(),
                    linux: linux.$name.shown(),
                    lab: lab.$name.shown(),
                },
                common: $common,
                meaning: Meaning { en: $en, zh_hans: $zh },
            },)*]
        }

        /// `$m!(name, name, …)` with every parameter's name: for code that handles each field of
        /// [`ParamOverrides`] alike (the link codec, twlab-formats').
        #[macro_export]
        macro_rules! for_each_param {
            ($m:ident) => { $m!($($name),*); };
        }
    };
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}
const fn s(n: u64) -> Duration {
    Duration::from_secs(n)
}
/// The three retransmission timeouts share one range.
const RTO: (Duration, Duration) = (ms(1), s(600));

params! {
    /// Maximum Segment Lifetime: the network discards any segment older than this (RFC 9293 §3.4.2).
    msl: Duration {
        common: true,
        range: (ms(1), s(600)),
        rfc9293: s(120),
        // Linux has no MSL of its own; its TIME-WAIT of 60 s is commonly read as 2×MSL with MSL 30 s.
        linux: s(30),
        lab: s(1),
        en: "Maximum Segment Lifetime: the network discards any segment older than this.",
        zh: "最长报文段寿命：网络丢弃存在时间超过它的报文段。",
    }
    /// One-way delay of every segment, before any extra delay a fate adds.
    delay: Duration {
        common: true,
        range: (Duration::from_micros(1), s(60)),
        rfc9293: ms(50),
        linux: ms(50),
        lab: ms(50),
        en: "One-way delay of every segment; it must be shorter than MSL.",
        zh: "每个报文段的单向时延，必须短于 MSL。",
    }
    rto_initial: Duration {
        common: false,
        range: RTO,
        rfc9293: s(1),
        linux: s(1),
        lab: ms(300),
        en: "First retransmission timeout, between rto_min and rto_max.",
        zh: "首次重传超时，介于 rto_min 与 rto_max 之间。",
    }
    rto_min: Duration {
        common: false,
        range: RTO,
        rfc9293: s(1),
        linux: ms(200),
        lab: ms(200),
        en: "Lowest retransmission timeout (RFC 6298).",
        zh: "重传超时的下限（RFC 6298）。",
    }
    rto_max: Duration {
        common: false,
        range: RTO,
        rfc9293: s(60),
        linux: s(120),
        lab: s(1),
        en: "Highest retransmission timeout, after exponential backoff.",
        zh: "指数退避后重传超时的上限。",
    }
    max_retries: u32 {
        common: false,
        range: (0, 20),
        rfc9293: 5,
        linux: 15,
        lab: 5,
        en: "Retransmissions of one segment before the connection gives up.",
        zh: "同一报文段重传多少次后放弃连接。",
    }
    /// How long the active closer stays in TIME-WAIT.
    time_wait: TimeWait {
        common: true,
        range: TimeWaitLimits { msl_multiple: (1, 10), fixed: (Duration::ZERO, s(3600)) },
        rfc9293: TimeWait::MslMultiple(2),
        linux: TimeWait::Fixed(s(60)),
        lab: TimeWait::MslMultiple(2),
        en: "How long the active closer stays in TIME-WAIT: a multiple of MSL (2msl), a duration (60s) or skip.",
        zh: "主动关闭方停留在 TIME-WAIT 的时长：MSL 的倍数（2msl）、时长（60s）或 skip（跳过）。",
    }
    /// Initial sequence numbers (RFC 9293 §3.4.1).
    isn: Isn {
        common: false,
        range: (1, crate::scenario::limits::CONNECTIONS),
        rfc9293: Isn::Clock,
        linux: Isn::Clock,
        lab: Isn::Clock,
        en: "Initial sequence numbers: a clock (RFC 6528), a fixed pair, or a pair per connection.",
        zh: "初始序列号：时钟（RFC 6528）、固定的一对，或每个连接一对。",
    }
    /// How often the ISN clock ticks, in nanoseconds: RFC 6528 suggests 4 µs; Linux's
    /// `secure_tcp_seq` adds `ktime_get_real_ns() >> 6`, a tick every 64 ns.
    isn_tick_ns: u32 {
        common: false,
        range: (1, 1_000_000),
        rfc9293: 4000,
        linux: 64,
        lab: 4000,
        en: "Nanoseconds per tick of the ISN clock: 4000 in RFC 6528, 64 in Linux.",
        zh: "初始序列号时钟每跳的纳秒数：RFC 6528 为 4000，Linux 为 64。",
    }
    mss: u16 {
        common: false,
        range: (1, u16::MAX),
        rfc9293: 536,
        linux: 1448,
        lab: 536,
        en: "Maximum segment size: the most data bytes in one segment.",
        zh: "最大报文段长度：一个报文段最多携带的数据字节数。",
    }
    window: u16 {
        common: false,
        range: (1, u16::MAX),
        rfc9293: 65535,
        linux: 65535,
        lab: 65535,
        en: "Receive window: how many bytes a receiver accepts beyond what it has acknowledged.",
        zh: "接收窗口：接收方在已确认数据之外还能接受的字节数。",
    }
    /// Linux's `tcp_syn_linear_timeouts`: the first this many SYN retransmissions keep the initial RTO
    /// instead of doubling it (`tcp_retransmit_timer`).
    #[serde(skip_serializing_if = "is_zero")]
    syn_linear_timeouts: u32 {
        common: false,
        range: (0, 20),
        rfc9293: 0,
        linux: 4,
        lab: 0,
        en: "SYN retransmissions that keep the initial timeout before it doubles (Linux's tcp_syn_linear_timeouts).",
        zh: "SYN 重传中保持初始超时、不加倍的次数（Linux 的 tcp_syn_linear_timeouts）。",
    }
    /// Linux: after answering an unacceptable ACK in SYN-SENT with RST, send the SYN again this soon if it
    /// has not been retransmitted yet (`tcp_rcv_synsent_state_process`: `TCP_TIMEOUT_MIN`, two jiffies,
    /// 8 ms at the usual HZ of 250). None: wait for the retransmission timer (RFC 9293).
    #[serde(skip_serializing_if = "Option::is_none")]
    syn_sent_rst_retry: Option<Duration> {
        common: false,
        range: (ms(1), s(60)),
        rfc9293: None,
        linux: Some(ms(8)),
        lab: None,
        en: "After resetting a stray ACK in SYN-SENT, resend the SYN this soon (Linux: two jiffies); unset: at the retransmission timeout.",
        zh: "在 SYN-SENT 中用 RST 回应异常 ACK 后，隔多久重发 SYN（Linux：两个 jiffy）；不设则等重传超时。",
    }
    /// Delayed ACK (RFC 9293 §3.8.6.3); zero acknowledges every segment at once.
    ack_delay: Duration {
        common: false,
        // RFC 9293 §3.8.6.3: the delay MUST be less than 0.5 seconds.
        range: (Duration::ZERO, ms(499)),
        rfc9293: Duration::ZERO,
        // Linux's TCP_ATO_MIN; data is ACKed at once in quick-ACK mode, the FIN of a passive close waits.
        linux: ms(40),
        lab: Duration::ZERO,
        en: "Delayed ACK (RFC 9293 §3.8.6.3, under 0.5 s); 0s acknowledges every segment at once.",
        zh: "延迟确认（RFC 9293 §3.8.6.3，须小于 0.5 秒）；0s 表示每个报文段立即确认。",
    }
    /// Ignore RST in TIME-WAIT (RFC 1337's fix for TIME-WAIT assassination).
    rfc1337: bool {
        common: true,
        range: (),
        rfc9293: false,
        linux: false,
        lab: false,
        en: "Ignore RST in TIME-WAIT (RFC 1337's fix for TIME-WAIT assassination).",
        zh: "在 TIME-WAIT 中忽略 RST（RFC 1337 对 TIME-WAIT 暗杀的修复）。",
    }
    /// Linux's quick-ACK mode: the first 16 data segments are ACKed at once despite `ack_delay`.
    #[serde(skip_serializing_if = "is_false")]
    quick_ack: bool {
        common: false,
        range: (),
        rfc9293: false,
        linux: true,
        lab: false,
        en: "Linux's quick-ACK mode: the first 16 data segments are acknowledged at once despite ack_delay.",
        zh: "Linux 的快速确认模式：前 16 个数据报文段不受 ack_delay 影响，立即确认。",
    }
    /// Linux's rules for a closed (orphaned) socket: FIN-WAIT-2 lasts this long (`tcp_fin_timeout`) and
    /// cannot outlive a skipped TIME-WAIT, and new data is answered by RST. None: RFC 9293.
    #[serde(skip_serializing_if = "Option::is_none")]
    orphan_fin_wait_2: Option<Duration> {
        common: false,
        range: (ms(1), s(3600)),
        rfc9293: None,
        // tcp_fin_timeout.
        linux: Some(s(60)),
        lab: None,
        en: "After close, FIN-WAIT-2 lasts at most this long and new data gets RST (Linux's tcp_fin_timeout); unset: no limit.",
        zh: "关闭后 FIN-WAIT-2 最多持续这么久，之后到达的数据会收到 RST（Linux 的 tcp_fin_timeout）；不设则无限制。",
    }
    /// TCP timestamps (RFC 7323) with PAWS, and RFC 6191's test for a SYN in TIME-WAIT.
    #[serde(skip_serializing_if = "is_false")]
    timestamps: bool {
        common: true,
        range: (),
        rfc9293: false,
        // net.ipv4.tcp_timestamps = 1.
        linux: true,
        lab: false,
        en: "TCP timestamps (RFC 7323): PAWS discards old duplicates, and RFC 6191 lets a new SYN reuse a pair in TIME-WAIT.",
        zh: "TCP 时间戳（RFC 7323）：PAWS 丢弃旧的重复报文段，RFC 6191 允许新 SYN 复用处于 TIME-WAIT 的连接对。",
    }
    /// SACK-permitted in the SYN (RFC 2018 §2; Linux's `tcp_sack`). The lab sends no SACK blocks.
    #[serde(skip_serializing_if = "is_false")]
    sack: bool {
        common: false,
        range: (),
        rfc9293: false,
        linux: true,
        lab: false,
        en: "Offer SACK in the SYN (RFC 2018; Linux's tcp_sack). The lab sends no SACK blocks: a lost segment waits for its timer.",
        zh: "在 SYN 中提供 SACK（RFC 2018；Linux 的 tcp_sack）。实验室不发送 SACK 块：丢失的报文段等重传定时器。",
    }
    /// Window scaling in the SYN (RFC 7323 §2; Linux's `tcp_window_scaling`), shift 10 as Linux 6.18's.
    #[serde(skip_serializing_if = "is_false")]
    window_scaling: bool {
        common: false,
        range: (),
        rfc9293: false,
        linux: true,
        lab: false,
        en: "Offer window scaling in the SYN (RFC 7323; Linux's tcp_window_scaling), shift 10 as Linux 6.18: later windows are sent shifted right.",
        zh: "在 SYN 中提供窗口缩放（RFC 7323；Linux 的 tcp_window_scaling），移位 10 同 Linux 6.18：之后的窗口右移后发送。",
    }
    /// How many local ports a `connect` without `bind` may be given (Linux's `ip_local_port_range`,
    /// 32768–60999; RFC 6335's dynamic ports, 49152–65535). The search starts at the step's port.
    local_ports: u32 {
        common: false,
        range: (1, 65535),
        rfc9293: 16384,
        linux: 28232,
        lab: 16384,
        en: "How many ports the system may pick for a connect without bind, from the step's port on (Linux's ip_local_port_range: 28232).",
        zh: "未 bind 的 connect 可由系统挑选的端口数，从该步骤的端口起（Linux 的 ip_local_port_range：28232）。",
    }
    /// Linux's `tcp_tw_reuse`: a connect without `bind` may take a socket pair from a TIME-WAIT that had
    /// timestamps (`tcp_twsk_unique`): 0 never, 1 always, 2 on loopback only, which the lab's two hosts
    /// (10.0.0.1 and 10.0.0.2) are not. The RFCs have no such rule.
    #[serde(skip_serializing_if = "is_zero")]
    tw_reuse: u32 {
        common: false,
        range: (0, 2),
        rfc9293: 0,
        linux: 2,
        lab: 0,
        en: "Linux's tcp_tw_reuse: a connect without bind may take over a TIME-WAIT that had timestamps: 0 never, 1 always, 2 on loopback only (the lab's hosts are not).",
        zh: "Linux 的 tcp_tw_reuse：未 bind 的 connect 可接管带时间戳的 TIME-WAIT：0 从不，1 总是，2 仅限回环地址（实验室的两台主机不是）。",
    }
    /// Linux's `tcp_tw_reuse_delay`: how long a TIME-WAIT must have lasted before `tw_reuse` may take it.
    tw_reuse_delay: Duration {
        common: false,
        range: (ms(1), s(3600)),
        rfc9293: s(1),
        linux: s(1),
        lab: s(1),
        en: "How old a TIME-WAIT must be before tw_reuse may take it over (Linux's tcp_tw_reuse_delay).",
        zh: "TIME-WAIT 至少持续多久后 tw_reuse 才能接管它（Linux 的 tcp_tw_reuse_delay）。",
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
