//! The stack under test: twlab's [`Endpoint`]s behind a table of file descriptors, as a kernel holds
//! its sockets. It takes injected segments and the passing of time, and keeps what it sends in a queue
//! for the runner to check against the script's `>` lines.

use crate::errno::Errno;
use crate::record::Recorder;
use std::collections::{BTreeMap, VecDeque};
use twlab_core::discard::Discard;
use twlab_core::endpoint::{self, Cause, Endpoint, StateChange};
use twlab_core::output::{self, Output};
use twlab_core::scenario::Side;
use twlab_core::segment::{Flags, Segment};
use twlab_core::seq::SeqNum;
use twlab_core::sim::isn_clock;
use twlab_core::state::State;
use twlab_core::time::Instant;
use twlab_core::trace::EventKind;

/// One connection: its TCB and what its socket holds for the application.
pub struct Conn {
    pub id: u32,
    pub ep: Endpoint,
    /// The TCB still exists (not CLOSED, not back to LISTEN).
    pub live: bool,
    pub rx: VecDeque<u8>,
    pub eof: bool,
    pub connected: bool,
    /// An error the application has not yet been told (`SO_ERROR`, the next call).
    pub error: Option<Errno>,
    /// The peer reset it, or it timed out: the socket is dead.
    pub dead: bool,
    /// Made by a listener and not yet accepted: the listening port.
    pub accept_port: Option<u16>,
}

#[derive(Clone, Debug, Default)]
pub struct Socket {
    pub nonblock: bool,
    pub reuseaddr: bool,
    pub nodelay: bool,
    /// `SO_LINGER` with `l_onoff` set: the linger time in seconds.
    pub linger: Option<i64>,
    pub bound: Option<u16>,
    pub listening: Option<u16>,
    /// The connection this socket is (index into [`Stack::conns`]).
    pub conn: Option<usize>,
    pub shut_wr: bool,
    pub shut_rd: bool,
}

/// A segment the stack sent, waiting to be matched by a `>` line.
pub struct Sent {
    pub at: Instant,
    pub seg: Segment,
    /// The ISN the script's sequence numbers are relative to: the sending TCB's.
    pub iss: SeqNum,
    /// Its index in the trace's segments.
    pub segment: u32,
}

pub struct Stack {
    pub now: Instant,
    cfg: endpoint::Config,
    pub sockets: BTreeMap<i64, Socket>,
    pub conns: Vec<Conn>,
    pub outbound: VecDeque<Sent>,
    pub rec: Recorder,
    /// The scripted peer's port, and the next local port a connect without bind takes.
    pub remote_port: u16,
    /// The port `bind` and `listen` take (packetdrill's `--bind_port`).
    pub bind_port: u16,
    /// The ISN clock's tick (the profile's `isn_tick_ns`).
    isn_tick_ns: u32,
    /// The arrival event of the segment a TCB is handling, for the endpoint's verdict on it.
    delivering: Option<usize>,
    /// The MSS option of the peer's last SYN: a TCB made from it sends no larger segments (RFC 9293
    /// §3.7.1). A SYN,ACK's comes too late for twlab's endpoint, whose MSS is fixed when it connects.
    pub peer_mss: Option<u16>,
    next_port: u16,
}

/// RFC 6528's ISN = M + F(4-tuple, secret): the profile's clock (`isn_tick_ns`: Linux's ticks every
/// 64 ns) plus a constant standing in for the hash (twlab runs one socket pair at a time, and runs
/// must repeat).
const ISN_SECRET: u32 = 0x5eed_1dd5;

impl Stack {
    pub fn new(cfg: endpoint::Config, isn_tick_ns: u32, local: Side, remote_port: u16) -> Self {
        Stack {
            now: Instant::ZERO,
            cfg,
            sockets: BTreeMap::new(),
            conns: Vec::new(),
            outbound: VecDeque::new(),
            rec: Recorder::new(local),
            remote_port,
            bind_port: 8080,
            isn_tick_ns,
            peer_mss: None,
            delivering: None,
            next_port: 40000,
        }
    }

    /// New TCBs take this configuration (a `sysctl` line changed a parameter).
    pub fn set_config(&mut self, cfg: endpoint::Config) {
        self.cfg = cfg;
    }

    pub fn isn(&self) -> SeqNum {
        SeqNum(ISN_SECRET.wrapping_add(isn_clock(self.now, self.isn_tick_ns)))
    }

    pub fn ephemeral_port(&mut self) -> u16 {
        self.next_port += 1;
        self.next_port - 1
    }

    /// The live connection a segment from the peer belongs to.
    fn find(&self, seg: &Segment) -> Option<usize> {
        self.conns.iter().position(|c| {
            c.live && c.ep.local_port() == seg.dst_port && c.ep.remote_port() == seg.src_port
        })
    }

    /// The most recent connection on this socket pair, live or not: the ISN inbound numbers map to.
    pub fn latest_on_pair(&self, local_port: u16, remote_port: u16) -> Option<&Conn> {
        self.conns
            .iter()
            .rev()
            .find(|c| c.ep.local_port() == local_port && c.ep.remote_port() == remote_port)
    }

    fn listening(&self, port: u16) -> bool {
        self.sockets.values().any(|s| s.listening == Some(port))
    }

    /// Active OPEN from `local_port` to the peer.
    pub fn connect(&mut self, local_port: u16) -> usize {
        let iss = self.isn();
        let ep = Endpoint::connect(
            self.now,
            self.cfg.clone(),
            local_port,
            self.remote_port,
            iss,
        );
        let i = self.add_conn(ep, None);
        self.rec
            .connection(self.conns[i].id, local_port, self.remote_port)
            .client_isn = Some(iss.0);
        self.drain(i);
        i
    }

    fn add_conn(&mut self, ep: Endpoint, accept_port: Option<u16>) -> usize {
        self.conns.push(Conn {
            id: self.conns.len() as u32 + 1,
            ep,
            live: true,
            rx: VecDeque::new(),
            eof: false,
            connected: false,
            error: None,
            dead: false,
            accept_port,
        });
        self.conns.len() - 1
    }

    /// A segment from the scripted peer arrives.
    pub fn inject(&mut self, seg: Segment) {
        let listening = self.listening(seg.dst_port);
        let mut reopen_iss = None;
        if let Some(i) = self.find(&seg) {
            if listening && self.conns[i].ep.reopens_time_wait(&seg) {
                // Linux's tcp_timewait_state_process: the TIME-WAIT TCB yields to a newer SYN, and the new
                // connection's ISN is exactly the old SND.NXT + 65535 + 2 (the real kernel, run by
                // packetdrill on tests/drill/syn-in-time-wait.pkt, sends that SYN,ACK).
                reopen_iss = Some(self.conns[i].ep.snd_nxt() + 65537);
                self.conns[i].ep.close_for_new_syn();
                self.drain(i);
            }
        }
        let peer = self.rec.local.peer();
        if let Some(i) = self.find(&seg) {
            let id = self.conns[i].id;
            self.delivering =
                Some(
                    self.rec
                        .segment(self.now, peer, id, &seg, true, Discard::NoConnection),
                );
            self.conns[i].ep.handle_segment(self.now, &seg, id);
            self.drain(i);
            self.delivering = None;
            return;
        }
        if listening && seg.flags.syn && !seg.flags.ack && !seg.flags.rst {
            // RFC 9293 §3.10.7.2, LISTEN, third check: a SYN makes a TCB in SYN-RECEIVED.
            let iss = reopen_iss.unwrap_or_else(|| self.isn());
            let id = self.conns.len() as u32 + 1;
            self.rec
                .segment(self.now, peer, id, &seg, true, Discard::NoConnection);
            self.rec
                .connection(id, seg.dst_port, seg.src_port)
                .server_isn = Some(iss.0);
            let mut cfg = self.cfg.clone();
            cfg.mss = cfg.mss.min(self.peer_mss.unwrap_or(u16::MAX));
            let ep = Endpoint::accept(self.now, cfg, &seg, iss);
            let i = self.add_conn(ep, Some(seg.dst_port));
            self.drain(i);
            return;
        }
        let id = self
            .latest_on_pair(seg.dst_port, seg.src_port)
            .map_or(self.conns.len() as u32 + 1, |c| c.id);
        let why = if listening {
            Discard::NoConnectionListening
        } else {
            Discard::NoConnection
        };
        self.rec.segment(self.now, peer, id, &seg, false, why);
        if let Some(rst) = seg.reset_for_no_tcb(listening) {
            self.send(id, rst);
        }
    }

    fn send(&mut self, conn: u32, seg: Segment) {
        let segment = self.rec.segment_count();
        self.rec.segment(
            self.now,
            self.rec.local,
            conn,
            &seg,
            true,
            Discard::NoConnection,
        );
        let iss = self.script_isn(seg.src_port, seg.dst_port);
        self.outbound.push_back(Sent {
            at: self.now,
            seg,
            iss,
            segment,
        });
    }

    /// The ISN a script's numbers for this socket pair are relative to: as packetdrill keeps one
    /// socket per pair, the first connection's, also for later incarnations on the same pair.
    pub fn script_isn(&self, local_port: u16, remote_port: u16) -> SeqNum {
        self.conns
            .iter()
            .find(|c| c.ep.local_port() == local_port && c.ep.remote_port() == remote_port)
            .map_or(SeqNum(0), |c| c.ep.iss())
    }

    /// The earliest timer of any live TCB.
    pub fn next_timer(&self) -> Option<Instant> {
        self.conns
            .iter()
            .filter(|c| c.live)
            .filter_map(|c| c.ep.poll_timeout())
            .min()
    }

    /// Run the timers due at the earliest timer instant if it is at or before `limit`; true if it ran.
    pub fn run_next_timers(&mut self, limit: Instant) -> bool {
        let Some(at) = self.next_timer().filter(|t| *t <= limit) else {
            return false;
        };
        self.now = self.now.max(at);
        for i in 0..self.conns.len() {
            if self.conns[i].live && self.conns[i].ep.poll_timeout().is_some_and(|t| t <= at) {
                self.conns[i].ep.handle_timeout(at);
                self.drain(i);
            }
        }
        true
    }

    /// ABORT (RFC 9293 §3.10.5) as Linux does it for `close` with `SO_LINGER` 0 or unread data
    /// (`tcp_close`, `tcp_send_active_reset`): a RST carrying ACK at SND.NXT, and the TCB is gone.
    pub fn abort(&mut self, i: usize) {
        let c = &mut self.conns[i];
        if !c.live {
            return;
        }
        let from = c.ep.state();
        // RFC 9293 §3.10.5: in SYN-RECEIVED and the synchronized states a RST goes out; not in SYN-SENT.
        if !matches!(from, State::Closed | State::Listen | State::SynSent) {
            let rst = Segment {
                src_port: c.ep.local_port(),
                dst_port: c.ep.remote_port(),
                seq: c.ep.snd_nxt(),
                ack: c.ep.rcv_nxt(),
                flags: Flags::RST_ACK,
                window: 0,
                payload: Vec::new(),
                ts: None,
                options: None,
            };
            let id = c.id;
            self.send(id, rst);
        }
        let c = &mut self.conns[i];
        c.live = false;
        let change = StateChange {
            from,
            to: State::Closed,
            cause: Cause::AppClose,
        };
        let (id, side) = (c.id, self.rec.local);
        self.rec
            .event(self.now, side, Some(id), EventKind::State(change));
    }

    /// Move a TCB's outputs to the outbound queue, the socket and the trace.
    pub fn drain(&mut self, i: usize) {
        let side = self.rec.local;
        let id = self.conns[i].id;
        while let Some(out) = output::next(&mut self.conns[i].ep, id) {
            let c = &mut self.conns[i];
            let (kind, read) = match out {
                Output::Transmit(seg) => {
                    self.send(id, seg);
                    continue;
                }
                Output::Discarded(why) => {
                    if let Some(delivery) = self.delivering {
                        self.rec.discard(delivery, why);
                    }
                    continue;
                }
                Output::Record(kind, read) => (kind, read),
            };
            match &kind {
                EventKind::State(change) if matches!(change.to, State::Closed | State::Listen) => {
                    c.live = false
                }
                EventKind::Connected => c.connected = true,
                EventKind::Read(_) => c.rx.extend(read),
                EventKind::Eof => c.eof = true,
                EventKind::Reset => {
                    // Linux: a RST in SYN-SENT is "connection refused" (tcp_reset).
                    c.error = Some(if c.connected {
                        Errno::Econnreset
                    } else {
                        Errno::Econnrefused
                    });
                    c.dead = true;
                }
                EventKind::TimedOut => {
                    c.error = Some(Errno::Etimedout);
                    c.dead = true;
                }
                _ => {}
            }
            self.rec.event(self.now, side, Some(id), kind);
        }
    }
}
