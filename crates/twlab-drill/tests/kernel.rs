//! Our scripts against the real kernel: tests/drill/kernel/<script>.pcap is Linux making the same
//! socket calls, with a second kernel socket as the peer (peers.py, captured by capture.sh), or under
//! Google's packetdrill itself (packetdrill.sh), each in a private network namespace.
//! In each direction, the segments the kernel sent must be the script's, in order: flags, sequence
//! and acknowledgment numbers (relative to each side's ISN), payload length. A segment of the peer
//! that the capture shows lost (dropped by nftables) is one the script leaves out. Times are not
//! compared: the captures have no delay on loopback, the scripts a 50 ms round trip.

use std::path::PathBuf;
use twlab_capture as capture;
use twlab_core::network::FlightEnd;
use twlab_core::Side;
use twlab_drill::script::{Action, Direction, Packet};
use twlab_drill::setup::Setup;

/// (flags as twlab prints them, seq, ack if checked, payload length)
type Shape = (String, u32, Option<u32>, u32);

fn flags(p: &Packet) -> String {
    let f = p.flags;
    let core = twlab_core::segment::Flags {
        syn: f.syn,
        ack: f.ack,
        fin: f.fin,
        rst: f.rst,
    };
    core.to_string()
}

/// The script's segments, each direction apart, numbered as the capture numbers them: the stack's
/// from the pair's first ISN (as packetdrill does), the peer's from each incarnation's SYN. For the
/// peer's, the third field is the number as written, which a packetdrill capture has on the wire.
fn script_shapes(text: &str) -> (Vec<Shape>, Vec<Shape>, Side) {
    let script = twlab_drill::parse(text).unwrap();
    let connects = script
        .events
        .iter()
        .any(|e| matches!(&e.action, Action::Syscall(c) if c.name == "connect"));
    let packets: Vec<&Packet> = script
        .events
        .iter()
        .filter_map(|e| match &e.action {
            Action::Packet(p) => Some(p),
            _ => None,
        })
        .collect();
    let (mut inbound, mut outbound, mut peer_isn) = (Vec::new(), Vec::new(), 0u32);
    for (i, p) in packets.iter().enumerate() {
        // A SYN that the stack answers with SYN,ACK opens an incarnation, numbered from its own ISN.
        let answered = packets[i + 1..]
            .iter()
            .find(|q| q.direction == Direction::Outbound)
            .is_some_and(|q| q.flags.syn && q.flags.ack);
        if p.direction == Direction::Inbound && p.flags.syn && !p.flags.ack && answered {
            peer_isn = p.start;
        }
        match p.direction {
            Direction::Inbound => inbound.push((
                flags(p),
                p.start.wrapping_sub(peer_isn),
                Some(p.start),
                p.len,
            )),
            Direction::Outbound => outbound.push((
                flags(p),
                p.start,
                p.ack.map(|a| a.wrapping_sub(peer_isn)),
                p.len,
            )),
        }
    }
    (
        inbound,
        outbound,
        if connects { Side::Client } else { Side::Server },
    )
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/drill")
}

fn script(name: &str) -> String {
    std::fs::read_to_string(dir().join(format!("{name}.pkt"))).unwrap()
}

/// Whether the script `text` agrees with the kernel's capture `name`.
fn agrees(text: &str, name: &str) -> Result<(), String> {
    agrees_until(text, name, usize::MAX)
}

/// The same, for a capture that may end after the stack's `cut`-th segment (where packetdrill stopped).
fn agrees_until(text: &str, name: &str, cut: usize) -> Result<(), String> {
    let dir = dir();
    let bytes = std::fs::read(dir.join(format!("kernel/{name}.pcap"))).unwrap();
    let trace = capture::import(name, &bytes).unwrap();
    let (inbound, outbound, stack) = script_shapes(text);
    let setup = Setup::from_script(&twlab_drill::parse(text).unwrap()).unwrap();
    let (tick_ns, tolerance_us) = (
        setup.params.isn_tick_ns,
        setup.tolerance_usecs.unsigned_abs(),
    );
    // As packetdrill does, a script numbers the stack's segments from the pair's first ISN, whichever
    // incarnation sends them.
    let first = |side| {
        trace.connections.first().and_then(|c| match side {
            Side::Client => c.client_isn,
            Side::Server => c.server_isn,
        })
    };
    for (expected, from) in [(outbound, stack), (inbound, stack.peer())] {
        let kernel: Vec<Shape> = trace
            .segments
            .iter()
            .filter(|s| s.id.from == from)
            // What the stack never received is not in the script (its `<` lines are what arrives).
            .filter(|s| from == stack || s.flights.iter().all(|f| f.end != FlightEnd::Dropped))
            .map(|s| {
                let from_first = s.seq.0.wrapping_sub(first(from).unwrap_or(0));
                match from == stack {
                    true => (s.flags.to_string(), from_first, Some(s.rel_ack), s.len),
                    false => (s.flags.to_string(), s.rel_seq, Some(from_first), s.len),
                }
            })
            .collect();
        // A later incarnation's ISN is the ISN clock read when its SYN is made: the kernel's real time
        // there differs from the script's by up to the script's tolerance, so its ISN may differ by that
        // many ticks, and its segments are compared from it.
        let mut shift = 0u32;
        // The script may end before the kernel's run does.
        for (i, want) in expected.iter().enumerate() {
            if cut != usize::MAX && i == kernel.len() {
                // The capture ends where packetdrill stopped: the stack's at its `cut`-th segment.
                if from == stack && i != cut {
                    return Err(format!(
                        "{name}: the kernel's capture ends at the stack's segment {i}"
                    ));
                }
                break;
            }
            let got = kernel.get(i).ok_or_else(|| {
                format!(
                    "{name}: the kernel's {} sent only {i} segments",
                    from.name()
                )
            })?;
            if from == stack && i > 0 && want.0.contains('S') {
                shift = got.1.wrapping_sub(want.1);
                let off_ns = i64::from(shift as i32).unsigned_abs() * u64::from(tick_ns);
                if off_ns > tolerance_us * 1000 {
                    return Err(format!(
                        "{name}: {} segment {}: the new ISN is {} µs of the ISN clock off (script {want:?}, kernel {got:?})",
                        from.name(),
                        i + 1,
                        off_ns / 1000
                    ));
                }
            }
            let same = if from == stack {
                want.0 == got.0
                    && want.1 == got.1.wrapping_sub(shift)
                    && want.3 == got.3
                    && want
                        .2
                        .map_or(true, |a| Some(a) == got.2 || !got.0.contains('.'))
            } else {
                want.0 == got.0 && (want.1 == got.1 || want.2 == got.2) && want.3 == got.3
            };
            if !same {
                return Err(format!(
                    "{name}: {} segment {}: script {want:?}, kernel {got:?}",
                    from.name(),
                    i + 1
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn the_kernel_agrees_with_our_scripts() {
    let names = [
        // With a kernel socket as the peer (peers.py).
        "last-ack-lost-active",
        "last-ack-lost-passive",
        "half-close",
        "data-after-close",
        "close-in-syn-sent",
        "syn-in-time-wait",
        "passive-close",
        // Under packetdrill (packetdrill.sh): a peer no socket API can play.
        "simultaneous-close",
        "syn-in-time-wait-old-seq",
        "rfc1337-assassination",
        "rfc1337-ignored",
        // The socket API: blocking calls and poll, what a reset or a refused connect reports, aborts.
        "blocking-calls",
        "reset-errors",
        "refused",
        "linger-abort",
        "close-unread",
    ];
    let failures: Vec<String> = names
        .iter()
        .filter_map(|n| agrees(&script(n), n).err())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_new_incarnation_takes_its_isn_from_linux_s_clock() {
    // packetdrill.sh: packetdrill compares a new incarnation's ISN exactly, which no real clock meets,
    // and stops there; up to that SYN,ACK (the server's 5th segment) the kernel agrees, its new ISN
    // within the script's tolerance on Linux's 64 ns clock.
    for name in ["old-duplicate", "old-duplicate-timestamps"] {
        agrees_until(&script(name), name, 5).unwrap();
    }
}

#[test]
fn a_script_that_differs_from_the_kernel_is_caught() {
    assert!(agrees(&script("last-ack-lost-active"), "half-close").is_err());
    // The kernel answers data after close with a bare RST; a script expecting RST,ACK disagrees.
    let changed = script("data-after-close").replace("> R 7:7(0)", "> R. 7:7(0) ack 7");
    let e = agrees(&changed, "data-after-close").unwrap_err();
    assert!(e.contains("client segment 5"), "{e}");
    // A new incarnation's ISN from RFC 6528's 4 µs clock is 283 ms of Linux's clock off.
    let changed = script("old-duplicate")
        .replace("4531250:4531250", "72500:72500")
        .replace("4531251", "72501");
    let e = agrees_until(&changed, "old-duplicate", 5).unwrap_err();
    assert!(e.contains("server segment 5: the new ISN is"), "{e}");
    // A peer segment the script omits, though the kernel's peer sent it, shows too.
    let changed = script("half-close").replace("+.05 < . 1:1(0) ack 7 win 65535", "");
    assert!(agrees(&changed, "half-close").is_err());
}
