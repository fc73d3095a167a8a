//! The trace a capture draws: its connections, segments and events, with the parameters that
//! describe the capture (the one-way delay it shows, Linux's TIME-WAIT) and what it leaves out.

use crate::observer::Observer;
use crate::states::TIME_WAIT;
use crate::MAX_SEGMENTS;
use twlab_core::scenario::{Profile, TimeWait};
use twlab_core::time::Instant;
use twlab_core::trace::{self, Connection, Stopped, Trace};

impl Observer<'_> {
    /// The trace of what was observed; `drawn` segments of the socket pair were replayed, and `notes`
    /// say what else the capture holds.
    pub(crate) fn finish(mut self, drawn: usize, mut notes: Vec<String>) -> Trace {
        // Arrivals were recorded with their sends; put everything in time order (stable: ties keep
        // the order in which they happened).
        self.events.sort_by_key(|e| e.at);
        let mut connections: Vec<Connection> = self
            .conns
            .iter()
            .map(|c| Connection {
                id: c.id,
                client_port: c.client_port,
                server_port: self.server.port(),
                client_isn: c.tcbs[0].isn.map(|s| s.0),
                server_isn: c.tcbs[1].isn.map(|s| s.0),
            })
            .collect();
        connections.sort_by_key(|c| c.id);
        trace::set_relative_numbers(&mut self.segments, &connections);
        let mut params = Profile::Linux.params();
        params.delay = self.one_way;
        params.time_wait = TimeWait::Fixed(TIME_WAIT);
        if drawn == MAX_SEGMENTS {
            notes.push(format!("only the first {MAX_SEGMENTS} segments are drawn"));
        }
        Trace {
            name: self.name,
            durations: twlab_core::trace::Durations::of(&params),
            params,
            client_ip: self.client.ip(),
            server_ip: self.server.ip(),
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
