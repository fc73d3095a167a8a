//! twlab's core: a deterministic, sans-IO simulation of TCP's connection lifecycle (RFC 9293), made to
//! show why the active closer waits 2×MSL in TIME-WAIT.
//!
//! It does no I/O, reads no clock and keeps no global state: a [`Scenario`] goes in, a [`Trace`] comes
//! out, and the same scenario always gives the same trace, natively and on wasm32.
//!
//! - [`endpoint`]: one TCB as a state machine (segments and timer events in, segments and events out).
//! - [`network`]: per-segment fates and the MSL lifetime.
//! - [`sim`]: drives two hosts, their applications' scripts and the network in virtual time.
//! - [`scenario`], [`presets`]: what to run; [`params`]: the parameter table; [`trace`]: what happened.
//! - [`compare`]: where two runs first part (the page's fork view).
//!
//! Writing runs out (share links, the text listing, Mermaid, pcap) is the `twlab-formats` crate's;
//! reading captures, the `twlab-capture` crate's.

pub mod addr;
pub mod compare;
pub mod discard;
pub mod endpoint;
pub mod error;
pub mod network;
pub mod output;
pub mod params;
pub mod presets;
pub mod rtt;
pub mod scenario;
pub mod segment;
pub mod seq;
pub mod sim;
pub mod state;
pub mod time;
pub mod timer;
pub mod trace;
pub mod vec_map;

pub use scenario::{Scenario, ScenarioError, Side};
pub use sim::simulate;
pub use state::State;
pub use time::{Duration, Instant};
pub use trace::{Trace, Verdict};
