//! packetdrill scripts run against twlab's sans-IO endpoint, and recorded as a twlab trace.
//!
//! A script (Google's packetdrill language, as far as TCP goes) drives the stack under test with
//! socket calls and injected segments (`<`) and says which segments it must send (`>`). [`parse`]
//! reads it, refusing what twlab cannot run with the line and column; [`run`] plays it against the
//! [`twlab_core::endpoint::Endpoint`] under the `linux` profile, in virtual time, and checks every
//! outbound segment and syscall result as packetdrill would. Deterministic, no I/O, no clock.

pub mod check;
pub mod errno;
pub mod error;
pub mod lexer;
pub mod link;
pub mod parser;
pub mod record;
pub mod runner;
pub mod script;
pub mod setup;
pub mod stack;
pub mod syscalls;

pub use error::{DrillError, Pos};
pub use parser::parse;
pub use runner::{Mismatch, Run};

/// Parse and run a script; `name` names the trace.
pub fn run(text: &str, name: &str) -> Result<Run, DrillError> {
    runner::run(&parse(text)?, name)
}
