//! The socket calls of a script, carried out on the [`Stack`] with Linux's results and errno values.

use crate::errno::Errno;
use crate::parser::SYSCALLS;
use crate::script::{Expr, Syscall};
use crate::stack::{Socket, Stack};
use twlab_core::trace::{AppCall, EventKind};

mod poll;
pub use poll::poll_flags;

/// What a call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It returned this value (and errno, for -1).
    Done(i64, Option<Errno>),
    /// It blocks: call it again when something has happened (`connect` has already started).
    Blocks,
}

/// A call's result could not be worked out from its arguments.
pub type CallError = String;

const fn done(v: i64) -> Result<Outcome, CallError> {
    Ok(Outcome::Done(v, None))
}
const fn fail(e: Errno) -> Result<Outcome, CallError> {
    Ok(Outcome::Done(-1, Some(e)))
}

/// The value of a symbolic constant (Linux's, x86-64), for the names scripts use.
fn constant(name: &str) -> Option<i64> {
    Some(match name {
        "AF_INET" | "PF_INET" => 2,
        "AF_INET6" | "PF_INET6" => 10,
        "SOCK_STREAM" => 1,
        "IPPROTO_TCP" | "SOL_TCP" => 6,
        "SOL_SOCKET" => 1,
        "SO_REUSEADDR" => 2,
        "SO_ERROR" => 4,
        "SO_LINGER" => 13,
        "SO_REUSEPORT" => 15,
        "TCP_NODELAY" => 1,
        "F_GETFL" => 3,
        "F_SETFL" => 4,
        "O_RDONLY" => 0,
        "O_WRONLY" => 1,
        "O_RDWR" => 2,
        "O_NONBLOCK" => 0x800,
        "SHUT_RD" => 0,
        "SHUT_WR" => 1,
        "SHUT_RDWR" => 2,
        "POLLIN" => 0x1,
        "POLLPRI" => 0x2,
        "POLLOUT" => 0x4,
        "POLLERR" => 0x8,
        "POLLHUP" => 0x10,
        "POLLNVAL" => 0x20,
        "POLLRDNORM" => 0x40,
        "POLLWRNORM" => 0x100,
        "POLLRDHUP" => 0x2000,
        "MSG_DONTWAIT" => 0x40,
        "MSG_NOSIGNAL" => 0x4000,
        _ => return None,
    })
}

/// The integer an argument stands for: a number, a constant, `A|B`, or `[n]`.
pub fn int(e: &Expr) -> Result<i64, CallError> {
    match e {
        Expr::Int(n) => Ok(*n),
        Expr::Word(w) => constant(w)
            .or_else(|| Errno::by_name(w).map(|e| e.describe().1))
            .ok_or_else(|| format!("unknown constant {w}")),
        Expr::Or(items) => items.iter().try_fold(0, |acc, e| Ok(acc | int(e)?)),
        Expr::Array(items) if items.len() == 1 => int(&items[0]),
        _ => Err("expected an integer argument".into()),
    }
}

fn arg(call: &Syscall, i: usize) -> Result<&Expr, CallError> {
    call.args
        .get(i)
        .ok_or_else(|| format!("{} needs at least {} arguments", call.name, i + 1))
}

fn fd_arg(call: &Syscall) -> Result<i64, CallError> {
    int(arg(call, 0)?)
}

/// Carry out `call` now. A blocking call that cannot finish changes nothing (except `connect`, whose
/// SYN goes at once) and returns [`Outcome::Blocks`].
pub fn execute(stack: &mut Stack, call: &Syscall, first_try: bool) -> Result<Outcome, CallError> {
    if first_try {
        let name = SYSCALLS
            .iter()
            .find(|n| **n == call.name)
            .copied()
            .unwrap_or("syscall");
        let side = stack.rec.local;
        let conn = fd_arg(call)
            .ok()
            .and_then(|fd| stack.sockets.get(&fd))
            .and_then(|s| s.conn)
            .map(|i| stack.conns[i].id);
        let now = stack.now;
        stack.rec.event(
            now,
            side,
            conn,
            EventKind::Call(Box::new(AppCall {
                call: name,
                text: None,
                port: None,
                bind: None,
            })),
        );
    }
    if call.name == "socket" {
        let fd = (3..)
            .find(|fd| !stack.sockets.contains_key(fd))
            .expect("a free fd");
        stack.sockets.insert(fd, Socket::default());
        return done(fd);
    }
    if call.name == "poll" {
        return poll::poll(stack, call);
    }
    let fd = fd_arg(call)?;
    let Some(sock) = stack.sockets.get(&fd).cloned() else {
        return fail(Errno::Ebadf);
    };
    let conn = sock.conn;
    match call.name.as_str() {
        "setsockopt" => {
            let value = arg(call, 3)?;
            let s = stack.sockets.get_mut(&fd).expect("looked up");
            match arg(call, 2)? {
                Expr::Word(o) if o == "SO_REUSEADDR" || o == "SO_REUSEPORT" => {
                    s.reuseaddr = int(value)? != 0
                }
                // No Nagle algorithm in the endpoint: every write goes out at once, as with TCP_NODELAY.
                Expr::Word(o) if o == "TCP_NODELAY" => s.nodelay = int(value)? != 0,
                Expr::Word(o) if o == "SO_LINGER" => {
                    let on = value.field("onoff").map(int).transpose()?.unwrap_or(0);
                    let secs = value.field("linger").map(int).transpose()?.unwrap_or(0);
                    s.linger = (on != 0).then_some(secs);
                }
                _ => return fail(Errno::Einval),
            }
            done(0)
        }
        "getsockopt" => {
            let actual = match arg(call, 2)? {
                Expr::Word(o) if o == "SO_ERROR" => {
                    let err = conn.and_then(|i| stack.conns[i].error.take());
                    err.map_or(0, |e| e.describe().1)
                }
                Expr::Word(o) if o == "SO_REUSEADDR" || o == "SO_REUSEPORT" => {
                    i64::from(sock.reuseaddr)
                }
                Expr::Word(o) if o == "TCP_NODELAY" => i64::from(sock.nodelay),
                _ => return fail(Errno::Einval),
            };
            match arg(call, 3)? {
                Expr::Ellipsis => {}
                expected => {
                    let expected = int(expected)?;
                    if expected != actual {
                        return Err(format!(
                            "Bad getsockopt optval: expected: {expected} actual: {actual}"
                        ));
                    }
                }
            }
            done(0)
        }
        "fcntl" => {
            let s = stack.sockets.get_mut(&fd).expect("looked up");
            match int(arg(call, 1)?)? {
                3 => done(2 | if s.nonblock { 0x800 } else { 0 }),
                4 => {
                    s.nonblock = int(arg(call, 2)?)? & 0x800 != 0;
                    done(0)
                }
                _ => fail(Errno::Einval),
            }
        }
        "bind" => {
            let port = stack_bind_port(stack);
            stack.sockets.get_mut(&fd).expect("looked up").bound = Some(port);
            done(0)
        }
        "listen" => {
            let port = sock.bound.unwrap_or_else(|| stack_bind_port(stack));
            stack.sockets.get_mut(&fd).expect("looked up").listening = Some(port);
            done(0)
        }
        "accept" => {
            let Some(port) = sock.listening else {
                return fail(Errno::Einval);
            };
            let ready = stack
                .conns
                .iter()
                .position(|c| c.accept_port == Some(port) && c.connected);
            match ready {
                Some(i) => {
                    stack.conns[i].accept_port = None;
                    let new_fd = (3..)
                        .find(|fd| !stack.sockets.contains_key(fd))
                        .expect("a free fd");
                    stack.sockets.insert(
                        new_fd,
                        Socket {
                            conn: Some(i),
                            ..Socket::default()
                        },
                    );
                    done(new_fd)
                }
                None if sock.nonblock => fail(Errno::Eagain),
                None => Ok(Outcome::Blocks),
            }
        }
        "connect" => connect(stack, fd, &sock, first_try),
        "write" | "send" => {
            let len = int(arg(call, 2)?)?.clamp(0, 16 << 20) as usize;
            let Some(i) = conn else {
                return fail(Errno::Epipe);
            };
            if let Some(e) = stack.conns[i].error.take() {
                return fail(e);
            }
            let c = &stack.conns[i];
            if sock.shut_wr || c.dead || !c.live {
                return fail(Errno::Epipe);
            }
            if !c.connected {
                // Linux waits for the handshake (sk_stream_wait_connect).
                return if sock.nonblock {
                    fail(Errno::Eagain)
                } else {
                    Ok(Outcome::Blocks)
                };
            }
            let now = stack.now;
            match stack.conns[i].ep.send(now, &payload(len)) {
                Ok(()) => {
                    stack.drain(i);
                    done(len as i64)
                }
                Err(_) => fail(Errno::Epipe),
            }
        }
        "read" | "recv" => {
            let len = int(arg(call, 2)?)?.max(0) as usize;
            let Some(i) = conn else {
                return fail(Errno::Enotconn);
            };
            let c = &mut stack.conns[i];
            if !c.rx.is_empty() {
                let n = len.min(c.rx.len());
                c.rx.drain(..n);
                return done(n as i64);
            }
            if let Some(e) = c.error.take() {
                return fail(e);
            }
            if c.eof || c.dead || sock.shut_rd || !c.live {
                return done(0);
            }
            if sock.nonblock {
                fail(Errno::Eagain)
            } else {
                Ok(Outcome::Blocks)
            }
        }
        "shutdown" => {
            let how = int(arg(call, 1)?)?;
            let Some(i) = conn.filter(|&i| stack.conns[i].connected || stack.conns[i].live) else {
                return fail(Errno::Enotconn);
            };
            let s = stack.sockets.get_mut(&fd).expect("looked up");
            s.shut_rd |= how != 1;
            if how != 0 && !std::mem::replace(&mut s.shut_wr, true) && stack.conns[i].live {
                let now = stack.now;
                let _ = stack.conns[i].ep.close(now);
                stack.drain(i);
            }
            done(0)
        }
        "close" => {
            close(stack, fd, &sock);
            done(0)
        }
        _ => Err(format!("{} is not supported", call.name)),
    }
}

fn stack_bind_port(stack: &Stack) -> u16 {
    stack.bind_port
}

/// Bytes for a write: packetdrill sends zeros; twlab a recognisable filler.
fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| b'a' + (i % 26) as u8).collect()
}

fn connect(
    stack: &mut Stack,
    fd: i64,
    sock: &Socket,
    first_try: bool,
) -> Result<Outcome, CallError> {
    if let Some(i) = sock.conn {
        let c = &mut stack.conns[i];
        if let Some(e) = c.error.take() {
            return fail(e);
        }
        return match (c.connected, first_try) {
            (true, true) => fail(Errno::Eisconn),
            (true, false) => done(0),
            (false, true) if sock.nonblock => fail(Errno::Ealready),
            (false, _) => Ok(Outcome::Blocks),
        };
    }
    let port = match sock.bound {
        Some(p) => p,
        None => stack.ephemeral_port(),
    };
    // Linux refuses a 4-tuple still held by a TCB, TIME-WAIT included (__inet_check_established).
    if stack
        .conns
        .iter()
        .any(|c| c.live && c.ep.local_port() == port && c.ep.remote_port() == stack.remote_port)
    {
        return fail(Errno::Eaddrnotavail);
    }
    let i = stack.connect(port);
    stack.sockets.get_mut(&fd).expect("looked up").conn = Some(i);
    if sock.nonblock {
        fail(Errno::Einprogress)
    } else {
        Ok(Outcome::Blocks)
    }
}

/// `close`: a listener stops (connections not yet accepted are reset, as Linux's
/// inet_csk_listen_stop does); a connection is closed, or aborted if `SO_LINGER` is 0 or data the
/// application never read is left (Linux's tcp_close; RFC 2525 §2.17).
fn close(stack: &mut Stack, fd: i64, sock: &Socket) {
    stack.sockets.remove(&fd);
    if let Some(port) = sock.listening {
        for i in 0..stack.conns.len() {
            if stack.conns[i].accept_port == Some(port) {
                stack.abort(i);
            }
        }
    }
    let Some(i) = sock.conn else { return };
    let now = stack.now;
    if !stack.conns[i].live {
        return;
    }
    if sock.linger == Some(0) || !stack.conns[i].rx.is_empty() {
        stack.abort(i);
        return;
    }
    if !sock.shut_wr {
        let _ = stack.conns[i].ep.close(now);
    }
    if stack.conns[i].live {
        stack.conns[i].ep.orphan(now);
    }
    stack.drain(i);
}
