//! The scenarios the lab opens with, each also runnable without TIME-WAIT.

use crate::scenario::{
    Action, BindMode, Fate, Isn, IsnPair, Override, ParamOverrides, Profile, Scenario, SegmentId,
    Side, Step, TimeWait, Trigger,
};
use crate::time::Duration;

/// A preset's description: in the CLI; left out of the page's wasm, whose page has its own.
#[cfg(feature = "descriptions")]
macro_rules! desc {
    ($text:literal) => {
        $text
    };
}
#[cfg(not(feature = "descriptions"))]
macro_rules! desc {
    ($text:literal) => {
        ""
    };
}

const CLIENT_PORT: u16 = 40000;
const SERVER_PORT: u16 = 80;

fn step(action: Action) -> Step {
    Step {
        action,
        at: None,
        after: None,
        wait: None,
    }
}

impl Step {
    fn after(mut self, trigger: Trigger) -> Self {
        self.after = Some(trigger);
        self
    }
    fn wait_ms(mut self, ms: u64) -> Self {
        self.wait = Some(Duration::from_millis(ms));
        self
    }
    fn at_ms(mut self, ms: u64) -> Self {
        self.at = Some(Duration::from_millis(ms));
        self
    }
}

fn listen() -> Step {
    step(Action::Listen {
        port: SERVER_PORT,
        bind: None,
    })
}
fn connect() -> Step {
    step(Action::Connect {
        port: CLIENT_PORT,
        bind: None,
    })
}
fn send(text: &str) -> Step {
    step(Action::Send { text: text.into() })
}
fn close() -> Step {
    step(Action::Close)
}

fn lose(conn: u32, from: Side, nth: u32) -> Override {
    Override {
        segment: SegmentId { conn, from, nth },
        fate: Fate::Drop,
    }
}

fn scenario(name: &str, description: &str, client: Vec<Step>, server: Vec<Step>) -> Scenario {
    Scenario {
        name: name.into(),
        description: description.into(),
        profile: Profile::Lab,
        params: ParamOverrides::default(),
        client,
        server,
        overrides: Vec::new(),
    }
}

/// A request, a reply, then the client closes first and the server follows.
fn request_reply() -> (Vec<Step>, Vec<Step>) {
    (
        vec![
            connect(),
            send("GET /").after(Trigger::Connected),
            close().after(Trigger::Read).wait_ms(100),
        ],
        vec![
            listen(),
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Eof).wait_ms(100),
        ],
    )
}

/// The client's final ACK of the close in [`request_reply`]: its 6th segment (SYN, ACK, "GET /",
/// ACK of "200 OK", FIN, ACK of the server's FIN).
const LAST_ACK_NTH: u32 = 6;

pub fn normal_close() -> Scenario {
    let (client, server) = request_reply();
    scenario(
        "normal-close",
        desc!("Handshake, a request and a reply, then the client closes first: it waits 2×MSL in TIME-WAIT before CLOSED."),
        client,
        server,
    )
}

pub fn last_ack_lost() -> Scenario {
    let mut s = normal_close();
    s.name = "last-ack-lost".into();
    s.description = desc!("The client's last ACK is lost. The server retransmits its FIN: in TIME-WAIT the client ACKs it again; without TIME-WAIT it answers with RST.").into();
    s.overrides = vec![lose(1, Side::Client, LAST_ACK_NTH)];
    s
}

pub fn old_duplicate() -> Scenario {
    let mut s = scenario(
        "old-duplicate",
        desc!("A copy of connection 1's data lingers in the network. The client reconnects from the same port: without TIME-WAIT the server reads the old words as new data."),
        vec![
            connect(),
            send("I ate the last cookie").after(Trigger::Connected),
            close().after(Trigger::Connected).wait_ms(200),
            connect().at_ms(500),
            send("hello, this is a brand-new connection").after(Trigger::Connected).wait_ms(300),
            close().after(Trigger::Read).wait_ms(50),
        ],
        vec![
            listen(),
            close().after(Trigger::Eof),
            send("ok").after(Trigger::Read).wait_ms(250),
            close().after(Trigger::Eof),
        ],
    );
    // Every connection uses the same ISNs: the old segment's sequence number fits the new window, as it
    // can when ISNs repeat (a clock that wrapped, a fast sender that moved through the space).
    s.params.isn = Some(Isn::Fixed(IsnPair {
        client: 1000,
        server: 5000,
    }));
    // The client's 3rd segment of connection 1 is its data; a copy of it arrives 600 ms late (< MSL).
    s.overrides = vec![Override {
        segment: SegmentId {
            conn: 1,
            from: Side::Client,
            nth: 3,
        },
        fate: Fate::Duplicate(Duration::from_millis(600)),
    }];
    s
}

pub fn simultaneous_close() -> Scenario {
    scenario(
        "simultaneous-close",
        desc!("Both applications close at the same moment: each FIN crosses the other, both sides pass through CLOSING, and both end in TIME-WAIT."),
        vec![connect(), close().at_ms(300)],
        vec![listen(), close().at_ms(300)],
    )
}

pub fn three_way_close() -> Scenario {
    let (client, mut server) = request_reply();
    server[2] = close().after(Trigger::Eof);
    let mut s = scenario(
        "three-way-close",
        desc!("The server closes as soon as it reads the client's FIN, so its FIN rides on the ACK: three segments. The last ACK still matters: here it is lost, and until the retransmitted FIN is answered the server cannot know its FIN arrived."),
        client,
        server,
    );
    s.params.ack_delay = Some(Duration::from_millis(40));
    // The client's 6th segment: SYN, ACK, "GET /", (delayed) ACK of "200 OK", FIN, last ACK.
    s.overrides = vec![lose(1, Side::Client, LAST_ACK_NTH)];
    s
}

pub fn syn_in_time_wait() -> Scenario {
    scenario(
        "syn-in-time-wait",
        desc!("Here the server closes first and holds TIME-WAIT. The client reconnects from the same port; its new SYN has a higher sequence number, so the server reopens the pair straight from TIME-WAIT (RFC 9293 §3.6.1, RFC 1122 §4.2.2.13)."),
        vec![
            connect(),
            send("GET /").after(Trigger::Connected),
            close().after(Trigger::Eof),
            connect().at_ms(800),
            send("GET /again").after(Trigger::Connected),
            close().after(Trigger::Eof),
        ],
        vec![
            listen(),
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Read).wait_ms(100),
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Read).wait_ms(100),
        ],
    )
}

/// The client's second SYN carries a lower sequence number than anything of the first connection.
pub fn syn_in_time_wait_old_isn() -> Scenario {
    let mut s = syn_in_time_wait();
    s.name = "syn-in-time-wait-old-isn".into();
    s.description = desc!("As syn-in-time-wait, but the new SYN's sequence number is below the old connection's. The server in TIME-WAIT may not reopen (RFC 9293 §3.6.1): it answers with an ACK, the client's SYN-SENT resets that ACK, the RST ends TIME-WAIT (RFC 1337's hazard), and the retransmitted SYN opens the connection.").into();
    s.params.isn = Some(Isn::PerConnection(vec![
        IsnPair {
            client: 900_000,
            server: 300_000,
        },
        IsnPair {
            client: 1_000,
            server: 700_000,
        },
    ]));
    s
}

/// The same low ISN, with timestamps: RFC 6191 lets the newer timestamp decide.
pub fn syn_in_time_wait_timestamps() -> Scenario {
    let mut s = syn_in_time_wait_old_isn();
    s.name = "syn-in-time-wait-timestamps".into();
    s.description = desc!("As syn-in-time-wait-old-isn, with TCP timestamps: the SYN's timestamp is newer than the old connection's, so the server reopens straight from TIME-WAIT although the sequence number is lower (RFC 6191).").into();
    s.params.timestamps = Some(true);
    s
}

pub fn time_wait_assassination() -> Scenario {
    let (client, server) = request_reply();
    let mut s = scenario(
        "time-wait-assassination",
        desc!("An old copy of the server's reply reaches the client in TIME-WAIT. The client's ACK draws a RST from the closed server, and that RST kills TIME-WAIT early (RFC 1337). Set rfc1337 to ignore it."),
        client,
        server,
    );
    // The server's 3rd segment is its reply "200 OK"; a copy arrives 700 ms late, while the client waits.
    s.overrides = vec![Override {
        segment: SegmentId {
            conn: 1,
            from: Side::Server,
            nth: 3,
        },
        fate: Fate::Duplicate(Duration::from_millis(700)),
    }];
    s
}

/// RFC 1337's fix: the same run with RST ignored in TIME-WAIT.
pub fn time_wait_assassination_rfc1337() -> Scenario {
    let mut s = time_wait_assassination();
    s.name = "time-wait-assassination-rfc1337".into();
    s.description = desc!("The same stray RST, with RFC 1337's fix: the client ignores RST in TIME-WAIT and waits its full 2×MSL.").into();
    s.params.rfc1337 = Some(true);
    s
}

/// old-duplicate with TCP timestamps: PAWS throws the stale segment away even without TIME-WAIT.
pub fn timestamps_paws() -> Scenario {
    let mut s = old_duplicate();
    s.name = "timestamps-paws".into();
    s.description = desc!("The old-duplicate run with TCP timestamps. Without TIME-WAIT the stale copy still fits the new connection's window, but its timestamp is older than any the new connection has seen: PAWS drops it (RFC 7323 §5). This is why Linux's tcp_tw_reuse may reuse a pair in TIME-WAIT.").into();
    s.params.timestamps = Some(true);
    s
}

// Real stacks whose TIME-WAIT differs from RFC 9293's 2×MSL, each from its own source (docs/stacks.md).
// They run on the RFC 9293 profile (MSL 2 min: the network's lifetime, not the stack's), with only what
// the stack's source sets changed.

/// smoltcp waits a fixed 10 s in TIME-WAIT (`CLOSE_DELAY` in src/socket/tcp.rs), far less than 2×MSL:
/// an old copy younger than MSL can outlive it and land in the next connection on the same pair.
pub fn smoltcp_old_duplicate() -> Scenario {
    let mut s = old_duplicate();
    s.name = "smoltcp-old-duplicate".into();
    s.description = desc!("smoltcp leaves TIME-WAIT after a fixed 10 s. With MSL at 2 minutes, a copy of connection 1's data 10.5 s late is still alive: the client reconnects once its short TIME-WAIT ends, and the server reads the old words.").into();
    s.profile = Profile::Rfc9293;
    s.params.time_wait = Some(TimeWait::Fixed(Duration::from_secs(10)));
    s.overrides[0].fate = Fate::Duplicate(Duration::from_millis(10_500));
    s
}

/// FreeBSD: MSL 30 s (`TCPTV_MSL`, sysctl net.inet.tcp.msl), TIME-WAIT 2×MSL (`tcp_twstart`), and a RST
/// in TIME-WAIT dropped (`tcp_twcheck`, citing RFC 1337).
pub fn freebsd_time_wait_assassination() -> Scenario {
    let mut s = time_wait_assassination();
    s.name = "freebsd-time-wait-assassination".into();
    s.description = desc!("FreeBSD's TIME-WAIT: 2×MSL with net.inet.tcp.msl at its default of 30 s, and a RST arriving in TIME-WAIT is dropped (as RFC 1337 suggests). The stray RST of time-wait-assassination does not cut the wait short.").into();
    s.profile = Profile::Rfc9293;
    s.params.msl = Some(Duration::from_secs(30));
    s.params.time_wait = Some(TimeWait::MslMultiple(2));
    s.params.rfc1337 = Some(true);
    s
}

pub fn half_close() -> Scenario {
    scenario(
        "half-close",
        desc!("The client shuts down only its sending half after its request; the server keeps sending its reply on the half-open connection, then closes."),
        vec![connect(), send("GET /").after(Trigger::Connected), step(Action::Shutdown).wait_ms(100), close().after(Trigger::Eof)],
        vec![listen(), send("part 1").after(Trigger::Eof), send("part 2").wait_ms(100), close().wait_ms(100)],
    )
}

pub fn data_lost() -> Scenario {
    let (client, server) = request_reply();
    let mut s = scenario(
        "data-lost",
        desc!("The client's request is lost on its way; the retransmission timer fires and it is sent again (RFC 6298)."),
        client,
        server,
    );
    s.overrides = vec![lose(1, Side::Client, 3)];
    s
}

/// `connect` from `port`, bound as `bind` says (the socket API's rules instead of the lab's waiting).
fn connect_bound(port: u16, bind: BindMode) -> Step {
    step(Action::Connect {
        port,
        bind: Some(bind),
    })
}

/// The client binds its port with SO_REUSEADDR and connects again while its last connection to the
/// same server is in TIME-WAIT.
pub fn client_reuses_time_wait() -> Scenario {
    let connect = || connect_bound(CLIENT_PORT, BindMode::ReuseAddr);
    let mut s = scenario(
        "client-reuses-time-wait",
        desc!("The client binds port 40000 with SO_REUSEADDR and connects again while its last connection is in TIME-WAIT. With timestamps Linux hands it the socket pair at once: PAWS will drop the old connection's segments, and the new one starts at the old SND.NXT + 65537, beyond the old sequence space."),
        vec![
            connect(),
            send("GET /").after(Trigger::Connected),
            close().after(Trigger::Read).wait_ms(100),
            connect().wait_ms(300),
            send("GET /again").after(Trigger::Connected),
            close().after(Trigger::Read).wait_ms(100),
        ],
        vec![
            listen(),
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Eof).wait_ms(100),
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Eof).wait_ms(100),
        ],
    );
    s.params.timestamps = Some(true);
    s
}

/// The same reconnect without timestamps: nothing would keep the old segments out, so it fails.
pub fn client_reuses_time_wait_no_timestamps() -> Scenario {
    let mut s = client_reuses_time_wait();
    s.name = "client-reuses-time-wait-no-timestamps".into();
    s.description = desc!("As client-reuses-time-wait, without TCP timestamps: nothing would tell the old connection's segments from the new one's, so Linux refuses the pair while it is in TIME-WAIT and connect() fails with EADDRNOTAVAIL.").into();
    s.params.timestamps = Some(false);
    s
}

/// The client connects three times without `bind`, closing first each time, from a range of two ports
/// (Linux's `ip_local_port_range` 40000 40001): the second connect comes 300 ms after the first
/// connection closed, the third a second after the second.
fn tw_reuse_scenario(name: &str, description: &str, tw_reuse: u32) -> Scenario {
    let connect = || connect_bound(CLIENT_PORT, BindMode::Ephemeral);
    let mut client = Vec::new();
    let mut server = vec![listen()];
    for (request, wait) in [("GET /", 0), ("GET /2", 300), ("GET /3", 1000)] {
        client.extend([
            connect().wait_ms(wait),
            send(request).after(Trigger::Connected),
            close().after(Trigger::Read).wait_ms(100),
        ]);
        server.extend([
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Eof).wait_ms(100),
        ]);
    }
    let mut s = scenario(name, description, client, server);
    s.params.timestamps = Some(true);
    s.params.local_ports = Some(2);
    s.params.tw_reuse = Some(tw_reuse);
    s
}

/// Ephemeral ports with `tcp_tw_reuse` = 1: a TIME-WAIT older than `tcp_tw_reuse_delay` is taken over.
pub fn tw_reuse() -> Scenario {
    tw_reuse_scenario(
        "tw-reuse",
        desc!("Three connects without bind from two ports: the second finds port 40000's TIME-WAIT too young for tcp_tw_reuse and takes 40001; the third takes 40000's TIME-WAIT over (PAWS keeps old segments out; ISN = old SND.NXT + 65537)."),
        1,
    )
}

/// The same with `tcp_tw_reuse` = 0: no port is left for the third connect.
pub fn tw_reuse_off() -> Scenario {
    tw_reuse_scenario(
        "tw-reuse-off",
        desc!("As tw-reuse with tcp_tw_reuse 0 (or 2, loopback only, which the lab is not): the third connect() fails with EADDRNOTAVAIL."),
        0,
    )
}

/// The server closes first, then restarts while its connection is in TIME-WAIT.
fn server_restart(bind: BindMode) -> (Vec<Step>, Vec<Step>) {
    let listen = || {
        step(Action::Listen {
            port: SERVER_PORT,
            bind: Some(bind),
        })
    };
    (
        vec![
            connect(),
            send("GET /").after(Trigger::Connected),
            close().after(Trigger::Eof),
            step(Action::Connect {
                port: CLIENT_PORT + 1,
                bind: None,
            })
            .at_ms(800),
            send("GET /again").after(Trigger::Connected),
            close().after(Trigger::Eof),
        ],
        vec![
            listen(),
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Read).wait_ms(100),
            step(Action::CloseListener).wait_ms(100),
            listen().wait_ms(200),
            send("200 OK").after(Trigger::Read),
            close().after(Trigger::Read).wait_ms(100),
        ],
    )
}

pub fn address_in_use() -> Scenario {
    let (client, server) = server_restart(BindMode::Exclusive);
    scenario(
        "address-in-use",
        desc!("The server closes first, so its side holds TIME-WAIT; then it restarts. Its new listening socket cannot bind port 80 while that TIME-WAIT holds it: \"Address already in use\" (EADDRINUSE). The next client is refused."),
        client,
        server,
    )
}

pub fn address_in_use_reuse_addr() -> Scenario {
    let (client, server) = server_restart(BindMode::ReuseAddr);
    scenario(
        "address-in-use-reuse-addr",
        desc!("As address-in-use, with both listening sockets bound with SO_REUSEADDR: the TIME-WAIT no longer stands in the way, the restart binds port 80, and the next client is served. The TIME-WAIT still guards its own socket pair."),
        client,
        server,
    )
}

/// Every preset, in the order the lab lists them.
pub fn all() -> Vec<Scenario> {
    vec![
        normal_close(),
        last_ack_lost(),
        old_duplicate(),
        simultaneous_close(),
        three_way_close(),
        syn_in_time_wait(),
        time_wait_assassination(),
        half_close(),
        data_lost(),
        syn_in_time_wait_old_isn(),
        syn_in_time_wait_timestamps(),
        time_wait_assassination_rfc1337(),
        timestamps_paws(),
        client_reuses_time_wait(),
        client_reuses_time_wait_no_timestamps(),
        address_in_use(),
        address_in_use_reuse_addr(),
        tw_reuse(),
        tw_reuse_off(),
        smoltcp_old_duplicate(),
        freebsd_time_wait_assassination(),
    ]
}

pub fn by_name(name: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.name == name)
}

impl Scenario {
    /// The "what if TIME-WAIT were skipped?" twin.
    pub fn without_time_wait(&self) -> Scenario {
        let mut twin = self.clone();
        twin.params.time_wait = Some(TimeWait::Skip);
        twin
    }
}

/// A bulk transfer of `segments` full segments from client to server, with about `loss_per_mille`
/// of the client's transmissions dropped, chosen by a seeded generator (for benchmarks and big diagrams).
pub fn bulk(segments: u32, loss_per_mille: u32, seed: u64) -> Scenario {
    const MSS: u16 = 100;
    let mut s = scenario(
        "bulk",
        "A bulk transfer with random losses.",
        vec![
            connect(),
            step(Action::SendBytes {
                bytes: segments * u32::from(MSS),
            })
            .after(Trigger::Connected),
            close(),
        ],
        vec![listen(), close().after(Trigger::Eof)],
    );
    s.params.mss = Some(MSS);
    let mut state = seed | 1;
    let transmissions = segments + segments / 10 + 10;
    for nth in 4..transmissions {
        // xorshift64: small, fast and the same everywhere.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if (state % 1000) < u64::from(loss_per_mille)
            && s.overrides.len() < crate::scenario::limits::OVERRIDES
        {
            s.overrides.push(lose(1, Side::Client, nth));
        }
    }
    s
}
