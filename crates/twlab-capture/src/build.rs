//! The trace a capture draws: its connections, segments and events, with the parameters that
//! describe the capture (the one-way delay it shows, Linux's TIME-WAIT) and what it leaves out.

use crate::observer::Observer;
use crate::states::TIME_WAIT;
use crate::MAX_SEGMENTS;
use twlab_core::scenario::{Profile, TimeWait};
use twlab_core::time::Instant;
use twlab_core::trace::{self, Connection, Stopped, Trace};

impl Observer<'_> {
    /// The trace of what was observed; `drawn` segments of the socket pair were replayed.
    pub(crate) fn finish(mut self, drawn: usize) -> Trace {
        // Arrivals were recorded with their sends; put everything in time order (stable: ties keep
        // the order in which they happened).
        self.events.sort_by_key(|e| e.at);
        let mut connections: Vec<Connection> = self
            .conns
            .iter()
            .map(|c| Connection {
                id: c.id,
                client_port: c.client_port,
                server_port: self.server.1,
                client_isn: c.tcbs[0].isn.map(|s| s.0),
                server_isn: c.tcbs[1].isn.map(|s| s.0),
            })
            .collect();
        connections.sort_by_key(|c| c.id);
        trace::set_relative_numbers(&mut self.segments, &connections);
        let mut params = Profile::Linux.params();
        params.delay = self.one_way;
        params.time_wait = TimeWait::Fixed(TIME_WAIT);
        let mut notes = Vec::new();
        if self.truncated {
            notes.push("the capture file is cut short; drawn up to the cut".to_string());
        }
        if drawn == MAX_SEGMENTS {
            notes.push(format!("only the first {MAX_SEGMENTS} segments are drawn"));
        }
        if self.other_flows > 0 {
            notes.push(format!(
                "{} other TCP flows in the capture are not drawn",
                self.other_flows
            ));
        }
        let [a, b, c, d] = self.client;
        let [e, f, g, h] = self.server.0;
        Trace {
            name: format!(
                "{}: {a}.{b}.{c}.{d} to {e}.{f}.{g}.{h}:{}",
                self.name, self.server.1
            ),
            params,
            client_ip: self.client,
            server_ip: self.server.0,
            outcome: Trace::derive_outcome(&self.events, &connections),
            end: self.events.last().map_or(Instant::ZERO, |e| e.at),
            connections,
            segments: self.segments,
            events: self.events,
            stopped: (!notes.is_empty()).then(|| Stopped::Capture {
                note: notes.join("; "),
            }),
        }
    }
}
