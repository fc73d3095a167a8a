//! `poll`, with the events Linux's tcp_poll reports.

use super::{arg, constant, done, int, CallError, Outcome};
use crate::script::{Expr, Syscall};
use crate::stack::{Socket, Stack};
use twlab_core::state::State;

/// Names of poll bits, for messages: `POLLIN|POLLOUT`.
pub fn poll_flags(bits: i64) -> String {
    let names = [
        "POLLIN",
        "POLLPRI",
        "POLLOUT",
        "POLLERR",
        "POLLHUP",
        "POLLNVAL",
        "POLLRDNORM",
        "POLLWRNORM",
        "POLLRDHUP",
    ];
    let set: Vec<&str> = names
        .into_iter()
        .filter(|n| constant(n).is_some_and(|b| bits & b != 0))
        .collect();
    if set.is_empty() {
        "0".into()
    } else {
        set.join("|")
    }
}

/// The events `poll` reports for a socket, as Linux's tcp_poll works them out.
fn revents(stack: &Stack, sock: &Socket) -> i64 {
    const IN: i64 = 0x1 | 0x40;
    const OUT: i64 = 0x4 | 0x100;
    if sock.listening.is_some() {
        let port = sock.listening;
        let ready = stack
            .conns
            .iter()
            .any(|c| c.accept_port == port && c.connected);
        return if ready { IN } else { 0 };
    }
    let Some(i) = sock.conn else {
        // A socket that is neither connected nor listening: tcp_poll says POLLOUT|POLLHUP.
        return OUT | 0x10;
    };
    let c = &stack.conns[i];
    let state = if c.live { c.ep.state() } else { State::Closed };
    let mut mask = 0;
    let closed = state == State::Closed;
    let rcv_shutdown = c.eof || c.dead || sock.shut_rd;
    let snd_shutdown = sock.shut_wr || c.dead;
    if (snd_shutdown && rcv_shutdown) || closed {
        mask |= 0x10;
    }
    if rcv_shutdown {
        mask |= IN | 0x2000;
    }
    if !matches!(state, State::SynSent | State::SynReceived) || c.connected {
        if !c.rx.is_empty() {
            mask |= IN;
        }
        // With the sending half shut, Linux still reports POLLOUT, so that a writer learns of EPIPE.
        mask |= OUT;
    }
    if c.error.is_some() {
        mask |= 0x8;
    }
    mask
}

pub(super) fn poll(stack: &mut Stack, call: &Syscall) -> Result<Outcome, CallError> {
    let Expr::Array(fds) = arg(call, 0)? else {
        return Err("poll takes an array of {fd=…, events=…} as its first argument".into());
    };
    let mut ready = 0;
    for pfd in fds {
        let fd = int(pfd.field("fd").ok_or("a pollfd needs fd=")?)?;
        let events = int(pfd.field("events").ok_or("a pollfd needs events=")?)?;
        let actual = match stack.sockets.get(&fd) {
            Some(sock) => revents(stack, sock) & (events | 0x8 | 0x10),
            None => 0x20,
        };
        ready += i64::from(actual != 0);
    }
    let timeout = int(arg(call, 2)?)?;
    if ready == 0 && timeout != 0 {
        return Ok(Outcome::Blocks);
    }
    // The revents the script expects are checked only on the call that returns.
    for (n, pfd) in fds.iter().enumerate() {
        let Some(expected) = pfd.field("revents") else {
            continue;
        };
        let expected = int(expected)?;
        let fd = int(pfd.field("fd").expect("checked"))?;
        let events = int(pfd.field("events").expect("checked"))?;
        let actual = stack
            .sockets
            .get(&fd)
            .map_or(0x20, |s| revents(stack, s) & (events | 0x8 | 0x10));
        if actual != expected {
            return Err(format!(
                "Expected revents of {} but got {} for pollfd {n}",
                poll_flags(expected),
                poll_flags(actual)
            ));
        }
    }
    done(ready)
}
