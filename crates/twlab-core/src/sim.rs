//! Drives two hosts, their applications' scripts and the network in virtual time, and records the trace.
//!
//! Each host holds its TCBs (one [`Endpoint`] per connection) and, on the server, a listening port.
//! A segment that matches no TCB is handled as RFC 9293 §3.10.7.1 (CLOSED) or §3.10.7.2 (LISTEN) say.
//! At each instant the network's arrivals run first (in emission order), then timers (client, server),
//! then the applications (client, server): the same scenario always gives the same trace.

use crate::discard::Discard;
use crate::endpoint::CallError;
use crate::endpoint::{self, Cause, Endpoint, StateChange};
use crate::network::{FlightEnd, Network};
use crate::output::{self, Output};
use crate::scenario::{
    Action, BindMode, Fate, Isn, Params, Scenario, ScenarioError, SegmentId, Side, Step, Trigger,
};
use crate::segment::Segment;
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::{Duration, Instant};
use crate::trace::{
    self, AppCall, CallFailure, Connection, Event, EventKind, SegmentRecord, Stopped, Trace,
};
use crate::vec_map::VecMap;

/// The default budgets that stop a run cleanly, whatever the scenario: events recorded, and virtual time.
pub const MAX_EVENTS: usize = 1_000_000;
pub const MAX_TIME: Duration = Duration::from_secs(6 * 3600);

/// How far a run may go before it is stopped (the trace then says which budget ran out). Both are
/// checked between instants: the instant that crosses the event budget still finishes, which adds at
/// most about a window of segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub events: usize,
    pub time: Duration,
}

/// The page's budget (its wasm modules', the lab's and the exports'): past 20 000 events a diagram is
/// unreadable, and a run stops long before the browser tab runs short of memory (the CLI keeps the
/// default of a million).
pub const PAGE_BUDGET: Budget = Budget {
    events: 20_000,
    time: MAX_TIME,
};

impl Default for Budget {
    fn default() -> Self {
        Budget {
            events: MAX_EVENTS,
            time: MAX_TIME,
        }
    }
}

/// Validate and run a scenario to the end, within the default [`Budget`].
pub fn simulate(scenario: &Scenario) -> Result<Trace, ScenarioError> {
    simulate_within(scenario, Budget::default())
}

/// Validate and run a scenario to the end or until `budget` runs out.
pub fn simulate_within(scenario: &Scenario, budget: Budget) -> Result<Trace, ScenarioError> {
    scenario.validate()?;
    Ok(Sim::new(scenario).run(budget))
}

/// What every endpoint of a run is told of the scenario's parameters.
pub fn endpoint_config(params: &Params) -> endpoint::Config {
    endpoint::Config {
        mss: params.mss,
        window: params.window,
        rto: crate::rtt::RtoBounds {
            initial: params.rto_initial,
            min: params.rto_min,
            max: params.rto_max,
        },
        max_retries: params.max_retries,
        time_wait: params.time_wait_length(),
        ack_delay: params.ack_delay,
        rfc1337: params.rfc1337,
        quick_ack: params.quick_ack,
        orphan_fin_wait_2: params.orphan_fin_wait_2,
        timestamps: params.timestamps,
        syn_linear_timeouts: params.syn_linear_timeouts,
        syn_sent_rst_retry: params.syn_sent_rst_retry,
        sack: params.sack,
        window_scaling: params.window_scaling,
    }
}

/// A TCB and what its application knows of it.
struct Conn {
    id: u32,
    ep: Endpoint,
    live: bool,
    /// The application has it: the client from its connect, the server once it is established (accept).
    known_to_app: bool,
    app_closed: bool,
    shut_down: bool,
    connected: bool,
    read: bool,
    eof: bool,
    /// Its socket was bound with SO_REUSEADDR (a server's connections inherit it from the listener).
    reuse_addr: bool,
    /// Its port was picked by `connect`, not bound (Linux: a bind bucket with `fastreuse` -1, which
    /// another ephemeral connect may share).
    ephemeral: bool,
}

struct Host {
    listen_port: Option<u16>,
    /// The listener was bound with SO_REUSEADDR.
    listen_reuse_addr: bool,
    conns: Vec<Conn>,
    script: Vec<Step>,
    cursor: usize,
    /// When the current step's trigger was first seen satisfied.
    ready_since: Option<Instant>,
    connect_waiting: bool,
    /// Where the next search for an ephemeral port starts (Linux's `table_perturb`).
    port_perturb: u32,
}

impl Host {
    fn new(script: Vec<Step>) -> Self {
        Host {
            listen_port: None,
            listen_reuse_addr: false,
            conns: Vec::new(),
            script,
            cursor: 0,
            ready_since: None,
            connect_waiting: false,
            port_perturb: 0,
        }
    }

    fn find(&self, seg: &Segment) -> Option<usize> {
        self.conns.iter().position(|c| {
            c.live && c.ep.local_port() == seg.dst_port && c.ep.remote_port() == seg.src_port
        })
    }

    /// The connection the application acts on: the earliest one it has and has not closed.
    fn current(&self) -> Option<usize> {
        self.conns
            .iter()
            .position(|c| c.known_to_app && !c.app_closed)
    }
}

pub struct Sim {
    name: String,
    params: Params,
    ep_cfg: endpoint::Config,
    fates: VecMap<SegmentId, Fate>,
    server_port: u16,
    now: Instant,
    hosts: [Host; 2],
    network: Network,
    /// Transmissions counted per (sender, connection), for [`SegmentId`]s.
    sent_count: VecMap<(Side, u32), u32>,
    /// Highest sequence number each sender has used per connection, to spot retransmissions.
    sent_high: VecMap<(Side, u32), SeqNum>,
    connections: Vec<Connection>,
    segments: Vec<SegmentRecord>,
    events: Vec<Event>,
    stopped: Option<Stopped>,
    /// The Deliver event of the segment a TCB is handling, for its verdict ([`endpoint::Event::Discarded`]).
    delivering: Option<usize>,
}

impl Sim {
    pub fn new(scenario: &Scenario) -> Self {
        let params = scenario.params();
        let ep_cfg = endpoint_config(&params);
        let server_port = scenario
            .server
            .iter()
            .find_map(|s| match s.action {
                Action::Listen { port, .. } => Some(port),
                _ => None,
            })
            .unwrap_or(80);
        Sim {
            name: scenario.name.clone(),
            network: Network::new(params.msl, params.delay),
            params,
            ep_cfg,
            fates: scenario
                .overrides
                .iter()
                .map(|o| (o.segment, o.fate))
                .collect(),
            server_port,
            now: Instant::ZERO,
            hosts: [
                Host::new(scenario.client.clone()),
                Host::new(scenario.server.clone()),
            ],
            sent_count: VecMap::new(),
            sent_high: VecMap::new(),
            connections: Vec::new(),
            segments: Vec::new(),
            events: Vec::new(),
            stopped: None,
            delivering: None,
        }
    }

    /// Run until nothing is left to happen, or a budget runs out.
    pub fn run(mut self, budget: Budget) -> Trace {
        self.run_apps();
        while let Some(next) = self.next_time() {
            if next.since(Instant::ZERO) > budget.time {
                self.stopped = Some(Stopped::Time {
                    limit: budget.time,
                    limit_us: budget.time.micros(),
                });
                break;
            }
            if self.events.len() >= budget.events {
                self.stopped = Some(Stopped::Events {
                    limit: budget.events,
                });
                break;
            }
            self.now = next;
            self.step();
        }
        self.finish()
    }

    fn next_time(&self) -> Option<Instant> {
        let timers = self.hosts.iter().flat_map(|h| {
            h.conns
                .iter()
                .filter(|c| c.live)
                .filter_map(|c| c.ep.poll_timeout())
        });
        let apps = self.hosts.iter().filter_map(|h| self.app_due(h));
        self.network
            .next_at()
            .into_iter()
            .chain(timers)
            .chain(apps)
            .min()
    }

    /// Everything due at `self.now`.
    fn step(&mut self) {
        while let Some(due) = self.network.pop_due(self.now) {
            let seg = &self.segments[due.segment as usize];
            let to = seg.id.from.peer();
            let kind = match due.end {
                FlightEnd::Dropped => EventKind::Drop {
                    segment: due.segment,
                    copy: due.copy,
                },
                FlightEnd::Expired => EventKind::Expire {
                    segment: due.segment,
                    copy: due.copy,
                },
                FlightEnd::Delivered => {
                    self.deliver(to, due.segment, due.copy);
                    continue;
                }
            };
            let (conn, side) = (seg.id.conn, seg.id.from);
            self.record(side, Some(conn), kind);
        }
        for side in [Side::Client, Side::Server] {
            let h = side as usize;
            for i in 0..self.hosts[h].conns.len() {
                let c = &mut self.hosts[h].conns[i];
                if c.live && c.ep.poll_timeout().is_some_and(|t| t <= self.now) {
                    c.ep.handle_timeout(self.now);
                    self.drain(side, i);
                }
            }
        }
        self.run_apps();
    }

    /// A flight arrives at `side`: to its TCB, or to the host's no-connection rules.
    fn deliver(&mut self, side: Side, index: u32, copy: bool) {
        let rec = &self.segments[index as usize];
        let seg = Segment {
            src_port: rec.src_port,
            dst_port: rec.dst_port,
            seq: rec.seq,
            ack: rec.ack,
            flags: rec.flags,
            window: rec.window,
            payload: rec.payload.to_vec(),
            ts: rec.ts,
            options: rec.options.clone(),
        };
        let tag = rec.id.conn;
        let h = side as usize;
        let listening = self.hosts[h].listen_port == Some(seg.dst_port);
        let mut min_iss = None;
        if let Some(i) = self.hosts[h]
            .find(&seg)
            .filter(|&i| listening && self.hosts[h].conns[i].ep.reopens_time_wait(&seg))
        {
            // The old TCB yields; the SYN goes on to the listener, and the new ISN must lie beyond the old
            // sequence space. Linux adds 65535 + 2 to the old SND.NXT; we do the same.
            let ep = &mut self.hosts[h].conns[i].ep;
            min_iss = Some(ep.snd_nxt() + 65537);
            ep.close_for_new_syn();
            self.drain(side, i);
        }
        if let Some(i) = self.hosts[h].find(&seg) {
            let conn = self.hosts[h].conns[i].id;
            self.record(
                side,
                Some(conn),
                EventKind::Deliver {
                    segment: index,
                    copy,
                    accepted_by: Some(conn),
                    discarded: None,
                },
            );
            self.delivering = Some(self.events.len() - 1);
            let c = &mut self.hosts[h].conns[i];
            let was = c.ep.state();
            c.ep.handle_segment(self.now, &seg, tag);
            if was == State::SynReceived && c.ep.state() == State::Established && tag > conn {
                // A lingering SYN of an earlier incarnation opened this TCB, and a newer client, whose
                // ISN happened to match, completed the handshake: from here on it is that client's
                // connection. Keeping the old label would call the newer client's own bytes stale.
                c.id = tag;
                let iss = c.ep.iss().0;
                self.connection(tag).server_isn.get_or_insert(iss);
            }
            self.drain(side, i);
            self.delivering = None;
            return;
        }
        if listening && seg.flags.syn && !seg.flags.ack && !seg.flags.rst {
            // RFC 9293 §3.10.7.2, LISTEN, third check: a SYN makes a new TCB in SYN-RECEIVED.
            let iss = self.isn(Side::Server, tag, seg.dst_port, seg.src_port);
            let iss = match min_iss {
                Some(min) if iss.lt(min) => min,
                _ => iss,
            };
            // A lingering SYN of a finished connection must not overwrite that connection's ISN.
            self.connection(tag).server_isn.get_or_insert(iss.0);
            self.record(
                side,
                Some(tag),
                EventKind::Deliver {
                    segment: index,
                    copy,
                    accepted_by: Some(tag),
                    discarded: None,
                },
            );
            let ep = Endpoint::accept(self.now, self.ep_cfg.clone(), &seg, iss);
            let mut conn = Conn::new(tag, ep, false);
            conn.reuse_addr = self.hosts[h].listen_reuse_addr;
            self.hosts[h].conns.push(conn);
            let i = self.hosts[h].conns.len() - 1;
            self.drain(side, i);
            return;
        }
        self.record(
            side,
            Some(tag),
            EventKind::Deliver {
                segment: index,
                copy,
                accepted_by: None,
                discarded: Some(if listening {
                    Discard::NoConnectionListening
                } else {
                    Discard::NoConnection
                }),
            },
        );
        if let Some(rst) = seg.reset_for_no_tcb(listening) {
            self.transmit(side, tag, rst);
        }
    }

    /// Move a TCB's outputs into the trace and the network, and its application events to the app.
    fn drain(&mut self, side: Side, i: usize) {
        let h = side as usize;
        let id = self.hosts[h].conns[i].id;
        while let Some(out) = output::next(&mut self.hosts[h].conns[i].ep, id) {
            let c = &mut self.hosts[h].conns[i];
            let kind = match out {
                Output::Transmit(seg) => {
                    self.transmit(side, id, seg);
                    continue;
                }
                Output::Discarded(why) => {
                    let delivered = self.delivering.and_then(|i| self.events.get_mut(i));
                    if let Some(Event {
                        kind: EventKind::Deliver { discarded, .. },
                        ..
                    }) = delivered
                    {
                        *discarded = Some(why);
                    }
                    continue;
                }
                Output::Record(kind, _) => kind,
            };
            match &kind {
                EventKind::State(change) if matches!(change.to, State::Closed | State::Listen) => {
                    c.live = false
                }
                EventKind::Connected => {
                    c.connected = true;
                    c.known_to_app = true;
                }
                EventKind::Read(_) => c.read = true,
                EventKind::Eof => c.eof = true,
                _ => {}
            }
            self.record(side, Some(id), kind);
        }
    }

    fn transmit(&mut self, side: Side, conn: u32, seg: Segment) {
        let count = self.sent_count.get_or_insert((side, conn), 0);
        *count += 1;
        let id = SegmentId {
            conn,
            from: side,
            nth: *count,
        };
        let end = seg.seq + seg.seq_len();
        let high = self.sent_high.get_or_insert((side, conn), seg.seq);
        let retransmission = seg.seq_len() > 0 && end.le(*high);
        // A RST's number may come from the peer's ACK (RFC 9293 §3.10.7.1), outside our own sequence space.
        if high.lt(end) && !seg.flags.rst {
            *high = end;
        }
        let fate = self.fates.get(&id).copied();
        let index = self.segments.len() as u32;
        let flights = self.network.send(self.now, index, fate);
        push_growing(
            &mut self.segments,
            SegmentRecord {
                fate,
                ..SegmentRecord::new(id, seg, self.now, retransmission, flights)
            },
        );
        self.record(side, Some(conn), EventKind::Send { segment: index });
    }

    fn record(&mut self, side: Side, conn: Option<u32>, kind: EventKind) {
        push_growing(
            &mut self.events,
            Event {
                at: self.now,
                side,
                conn,
                kind,
            },
        );
    }

    fn connection(&mut self, id: u32) -> &mut Connection {
        if !self.connections.iter().any(|c| c.id == id) {
            self.connections.push(Connection {
                id,
                client_port: 0,
                server_port: self.server_port,
                client_isn: None,
                server_isn: None,
            });
        }
        self.connections
            .iter_mut()
            .find(|c| c.id == id)
            .expect("just inserted")
    }

    /// RFC 9293 §3.4.1 and RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
    /// M a clock ticking every `isn_tick_ns`. F is a keyed FNV-1a hash with a fixed key, so that runs repeat exactly.
    fn isn(&self, side: Side, conn: u32, local_port: u16, remote_port: u16) -> SeqNum {
        let pick = |p: &crate::scenario::IsnPair| {
            SeqNum(if side == Side::Client {
                p.client
            } else {
                p.server
            })
        };
        match &self.params.isn {
            Isn::Fixed(pair) => pick(pair),
            Isn::PerConnection(pairs) => pick(&pairs[(conn as usize - 1).min(pairs.len() - 1)]),
            Isn::Clock => {
                let (local, remote) = match side {
                    Side::Client => (trace::CLIENT_IP, trace::SERVER_IP),
                    Side::Server => (trace::SERVER_IP, trace::CLIENT_IP),
                };
                let mut hash: u32 = 0x811c_9dc5;
                let key = b"twlab-rfc6528";
                for b in local
                    .iter()
                    .chain(&local_port.to_be_bytes())
                    .chain(&remote)
                    .chain(&remote_port.to_be_bytes())
                    .chain(key)
                {
                    hash = (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193);
                }
                SeqNum(isn_clock(self.now, self.params.isn_tick_ns).wrapping_add(hash))
            }
        }
    }

    /// When the host's next script step is due, if it is waiting only for time.
    fn app_due(&self, host: &Host) -> Option<Instant> {
        let step = host.script.get(host.cursor)?;
        let since = host.ready_since?;
        let due = since + step.wait.unwrap_or(Duration::ZERO);
        Some(due.max(Instant::ZERO + step.at.unwrap_or(Duration::ZERO))).filter(|d| *d > self.now)
    }

    fn run_apps(&mut self) {
        for side in [Side::Client, Side::Server] {
            while self.try_step(side) {}
        }
    }

    /// Run the host's next script step if it is due; true if it ran.
    fn try_step(&mut self, side: Side) -> bool {
        let h = side as usize;
        let host = &self.hosts[h];
        let Some(step) = host.script.get(host.cursor).cloned() else {
            return false;
        };
        let current = host.current();
        let needs_conn = !matches!(
            step.action,
            Action::Listen { .. } | Action::Connect { .. } | Action::CloseListener
        );
        let ready = match step.after {
            None => !needs_conn || current.is_some(),
            Some(trigger) => current.is_some_and(|i| {
                let c = &host.conns[i];
                match trigger {
                    Trigger::Connected => c.connected,
                    Trigger::Read => c.read,
                    Trigger::Eof => c.eof,
                    Trigger::Closed => !c.live,
                }
            }),
        };
        if !ready {
            self.hosts[h].ready_since = None;
            return false;
        }
        let since = *self.hosts[h].ready_since.get_or_insert(self.now);
        let due = (since + step.wait.unwrap_or(Duration::ZERO))
            .max(Instant::ZERO + step.at.unwrap_or(Duration::ZERO));
        if due > self.now {
            return false;
        }
        if !self.act(side, &step.action, current) {
            return false;
        }
        let host = &mut self.hosts[h];
        host.cursor += 1;
        host.ready_since = None;
        host.connect_waiting = false;
        true
    }

    /// Carry out a user call; false if it must wait (a connect whose socket pair is still in use).
    fn act(&mut self, side: Side, action: &Action, current: Option<usize>) -> bool {
        let h = side as usize;
        let call = action.name();
        let (text, port) = match action {
            Action::Send { text } => (Some(text.clone()), None),
            Action::SendBytes { bytes } => (Some(format!("<{bytes} bytes>")), None),
            Action::Listen { port, .. } | Action::Connect { port, .. } => (None, Some(*port)),
            _ => (None, None),
        };
        let bind = match action {
            Action::Listen { bind, .. } | Action::Connect { bind, .. } => *bind,
            _ => None,
        };
        let called = || {
            EventKind::Call(Box::new(AppCall {
                call,
                text: text.clone(),
                port,
                bind,
            }))
        };
        match action {
            Action::Listen { port, bind } => {
                self.record(side, None, called());
                let reuse_addr = *bind == Some(BindMode::ReuseAddr);
                if self.bind_conflict(side, *port, reuse_addr) {
                    self.call_failed(side, None, "bind", CallError::AddressInUse);
                    return true;
                }
                self.hosts[h].listen_port = Some(*port);
                self.hosts[h].listen_reuse_addr = reuse_addr;
                // RFC 9293 §3.10.1, passive OPEN: CLOSED -> LISTEN.
                self.record(
                    side,
                    None,
                    EventKind::State(StateChange {
                        from: State::Closed,
                        to: State::Listen,
                        cause: Cause::PassiveOpen,
                    }),
                );
            }
            Action::CloseListener => {
                self.record(side, None, called());
                if self.hosts[h].listen_port.take().is_some() {
                    // The listener is gone (RFC 9293 §3.10.4, CLOSE in LISTEN).
                    self.record(
                        side,
                        None,
                        EventKind::State(StateChange {
                            from: State::Listen,
                            to: State::Closed,
                            cause: Cause::AppClose,
                        }),
                    );
                }
            }
            Action::Connect { port, bind } => {
                let id = self.hosts[h].conns.len() as u32 + 1;
                let Some(bind) = bind else {
                    // The lab's simplification: wait until no connection holds the port.
                    let port_in_use = self.hosts[h]
                        .conns
                        .iter()
                        .any(|c| c.live && c.ep.local_port() == *port);
                    if port_in_use {
                        if !self.hosts[h].connect_waiting {
                            self.hosts[h].connect_waiting = true;
                            self.record(side, Some(id), EventKind::ConnectWaiting { port: *port });
                        }
                        return false;
                    }
                    self.open(side, id, *port, None, false, Some(called()));
                    return true;
                };
                if *bind == BindMode::Ephemeral {
                    self.connect_ephemeral(side, id, *port);
                    return true;
                }
                let reuse_addr = *bind == BindMode::ReuseAddr;
                if self.bind_conflict(side, *port, reuse_addr) {
                    self.record(side, None, called());
                    self.call_failed(side, None, "bind", CallError::AddressInUse);
                    return true;
                }
                // Linux's __inet_hash_connect for a bound port: the 4-tuple must be unique, unless a
                // TIME-WAIT of it may be reused (tcp_twsk_unique: it had timestamps); the new ISN is then
                // the old SND.NXT + 65535 + 2, beyond the old sequence space, whatever the clock says.
                let server_port = self.server_port;
                let holder = self.hosts[h].conns.iter().position(|c| {
                    c.live && c.ep.local_port() == *port && c.ep.remote_port() == server_port
                });
                let mut iss = None;
                if let Some(i) = holder {
                    let ep = &mut self.hosts[h].conns[i].ep;
                    if !ep.reusable_by_connect(self.now, None) {
                        self.record(side, None, called());
                        self.call_failed(side, None, "connect", CallError::AddressNotAvailable);
                        return true;
                    }
                    iss = Some(ep.snd_nxt() + 65537);
                    ep.close_for_reuse();
                    self.drain(side, i);
                }
                self.open(side, id, *port, iss, reuse_addr, Some(called()));
            }

            Action::Send { .. } | Action::SendBytes { .. } | Action::Close | Action::Shutdown => {
                let Some(i) = current else { return false };
                let id = self.hosts[h].conns[i].id;
                self.record(side, Some(id), called());
                let c = &mut self.hosts[h].conns[i];
                let result = match action {
                    Action::Send { text } => c.ep.send(self.now, text.as_bytes()),
                    Action::SendBytes { bytes } => c.ep.send(self.now, &bulk_bytes(*bytes)),
                    _ => {
                        let closing = std::mem::replace(&mut c.shut_down, true);
                        c.app_closed |= matches!(action, Action::Close);
                        // A close after a shutdown has already sent its FIN; the TCB may also be gone.
                        let result = if closing || !c.live {
                            Ok(())
                        } else {
                            c.ep.close(self.now)
                        };
                        if c.app_closed && c.live {
                            c.ep.orphan(self.now);
                        }
                        result
                    }
                };
                if let Err(error) = result {
                    self.record(
                        side,
                        Some(id),
                        EventKind::CallFailed(Box::new(CallFailure { call, error })),
                    );
                }
                self.drain(side, i);
            }
        }
        true
    }

    /// Active OPEN from `port` as connection `id` (RFC 9293 §3.10.1), recording `called` first if given;
    /// the ISS is `iss` if given, else the clock's.
    fn open(
        &mut self,
        side: Side,
        id: u32,
        port: u16,
        iss: Option<SeqNum>,
        reuse_addr: bool,
        called: Option<EventKind>,
    ) {
        let h = side as usize;
        let iss = iss.unwrap_or_else(|| self.isn(side, id, port, self.server_port));
        let conn = self.connection(id);
        conn.client_port = port;
        conn.client_isn = Some(iss.0);
        if let Some(called) = called {
            self.record(side, Some(id), called);
        }
        let ep = Endpoint::connect(self.now, self.ep_cfg.clone(), port, self.server_port, iss);
        let mut conn = Conn::new(id, ep, true);
        conn.reuse_addr = reuse_addr;
        self.hosts[h].conns.push(conn);
        self.drain(side, self.hosts[h].conns.len() - 1);
    }

    /// Linux's `__inet_hash_connect` for a socket without a port: try `local_ports` ports from `first`
    /// (an odd count loses its last port, as `remaining &= ~1`), from an offset that moves on after each
    /// connect (`table_perturb`), first every other port, then the ports between (connect's parity).
    /// A port that `bind()` or a listener holds is skipped, and so is one whose socket pair is in use,
    /// unless it is in TIME-WAIT and `tcp_twsk_unique` lets it be taken over (the same ISN rule as for
    /// a bound port). None left: EADDRNOTAVAIL. The kernel's offset also has a per-destination hash
    /// and a random step of up to 14; with the one or two ports of the kernel fixtures neither matters.
    fn connect_ephemeral(&mut self, side: Side, id: u32, first: u16) {
        let h = side as usize;
        let n = match self.params.local_ports {
            n if n > 1 => n & !1,
            n => n,
        };
        // tcp_tw_reuse 2 is for loopback only, and the lab's hosts (10.0.0.1, 10.0.0.2) are two machines.
        let reuse_age = (self.params.tw_reuse == 1).then_some(self.params.tw_reuse_delay);
        let server_port = self.server_port;
        let offset = (self.hosts[h].port_perturb % n) & !1;
        let half = n.div_ceil(2);
        let mut chosen = None;
        for t in 0..n {
            // Pass t / half tries every other port from the offset, i ports on.
            let i = 2 * (t % half);
            let Ok(port) = u16::try_from(u32::from(first) + (offset + t / half + i) % n) else {
                continue;
            };
            let host = &self.hosts[h];
            let on_port = |c: &&Conn| c.live && c.ep.local_port() == port;
            if host.listen_port == Some(port)
                || host.conns.iter().filter(on_port).any(|c| !c.ephemeral)
            {
                continue;
            }
            match host
                .conns
                .iter()
                .position(|c| on_port(&c) && c.ep.remote_port() == server_port)
            {
                None => {
                    chosen = Some((i, port, None));
                    break;
                }
                Some(holder) => {
                    let ep = &mut self.hosts[h].conns[holder].ep;
                    if reuse_age.is_some_and(|age| ep.reusable_by_connect(self.now, Some(age))) {
                        let iss = ep.snd_nxt() + 65537;
                        ep.close_for_reuse();
                        self.drain(side, holder);
                        chosen = Some((i, port, Some(iss)));
                        break;
                    }
                }
            }
        }
        let called = |port| {
            EventKind::Call(Box::new(AppCall {
                call: "connect",
                text: None,
                port: Some(port),
                bind: Some(BindMode::Ephemeral),
            }))
        };
        let Some((i, port, iss)) = chosen else {
            self.record(side, None, called(first));
            self.call_failed(side, None, "connect", CallError::AddressNotAvailable);
            return;
        };
        self.hosts[h].port_perturb += i + 2;
        self.open(side, id, port, iss, false, Some(called(port)));
        if let Some(c) = self.hosts[h].conns.last_mut() {
            c.ephemeral = true;
        }
    }

    /// Linux's `inet_csk_bind_conflict`: binding `port` fails if a listener holds it, or any other socket
    /// does and either of the two lacks SO_REUSEADDR (a TIME-WAIT keeps its socket's flag).
    fn bind_conflict(&self, side: Side, port: u16, reuse_addr: bool) -> bool {
        let host = &self.hosts[side as usize];
        host.listen_port == Some(port)
            || host
                .conns
                .iter()
                .any(|c| c.live && c.ep.local_port() == port && !(reuse_addr && c.reuse_addr))
    }

    fn call_failed(&mut self, side: Side, conn: Option<u32>, call: &'static str, error: CallError) {
        self.record(
            side,
            conn,
            EventKind::CallFailed(Box::new(CallFailure { call, error })),
        );
    }

    fn finish(mut self) -> Trace {
        self.connections.sort_by_key(|c| c.id);
        trace::set_relative_numbers(&mut self.segments, &self.connections);
        let outcome = Trace::derive_outcome(&self.events, &self.connections);
        Trace {
            name: self.name,
            durations: trace::Durations::of(&self.params),
            params: self.params,
            client_ip: trace::CLIENT_IP.into(),
            server_ip: trace::SERVER_IP.into(),
            end: self.events.last().map_or(Instant::ZERO, |e| e.at),
            connections: self.connections,
            segments: self.segments,
            events: self.events,
            outcome,
            stopped: self.stopped,
        }
    }
}

/// Push, growing by a quarter rather than doubling: the trace is most of a bulk run's memory, and large
/// blocks grow in place, so the smaller steps cost little time and leave less capacity unused.
fn push_growing<T>(v: &mut Vec<T>, item: T) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 4).max(64));
    }
    v.push(item);
}

/// A recognisable filler for bulk transfers: the alphabet, over and over.
fn bulk_bytes(n: u32) -> Vec<u8> {
    (0..n).map(|i| b'a' + (i % 26) as u8).collect()
}

impl Conn {
    fn new(id: u32, ep: Endpoint, known_to_app: bool) -> Self {
        Conn {
            id,
            ep,
            live: true,
            known_to_app,
            app_closed: false,
            shut_down: false,
            connected: false,
            read: false,
            eof: false,
            reuse_addr: false,
            ephemeral: false,
        }
    }
}

/// RFC 6528's M: the ISN clock at `now`, ticking every `tick_ns` nanoseconds (`isn_tick_ns`), modulo 2^32.
pub fn isn_clock(now: Instant, tick_ns: u32) -> u32 {
    // Runs stop within hours (sim::MAX_TIME): nanoseconds fit a u64 for 584 years.
    (now.0.saturating_mul(1000) / u64::from(tick_ns.max(1))) as u32
}
