//! Our scripts against the real kernel: tests/drill/kernel/<script>.pcap is Linux making the same
//! socket calls (tests/drill/kernel/peers.py, captured by capture.sh in a private network namespace).
//! In each direction, the segments the kernel sent must be the script's, in order: flags, sequence
//! and acknowledgment numbers (relative to each side's ISN), payload length. A segment of the peer
//! that the capture shows lost (dropped by nftables) is one the script leaves out. Times are not
//! compared: the captures have no delay on loopback, the scripts a 50 ms round trip.

use std::path::PathBuf;
use twlab_core::capture;
use twlab_core::network::FlightEnd;
use twlab_core::Side;
use twlab_drill::script::{Action, Direction, Packet};

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

/// The script's segments, each direction apart, numbered from each connection's peer ISN as the
/// capture numbers them.
fn script_shapes(text: &str) -> (Vec<Shape>, Vec<Shape>, Side) {
    let script = twlab_drill::parse(text).unwrap();
    let connects = script
        .events
        .iter()
        .any(|e| matches!(&e.action, Action::Syscall(c) if c.name == "connect"));
    let (mut inbound, mut outbound, mut peer_isn) = (Vec::new(), Vec::new(), 0u32);
    for e in &script.events {
        let Action::Packet(p) = &e.action else {
            continue;
        };
        if p.direction == Direction::Inbound && p.flags.syn && !p.flags.ack {
            peer_isn = p.start;
        }
        match p.direction {
            Direction::Inbound => {
                inbound.push((flags(p), p.start.wrapping_sub(peer_isn), None, p.len))
            }
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
    let dir = dir();
    let bytes = std::fs::read(dir.join(format!("kernel/{name}.pcap"))).unwrap();
    let trace = capture::import(name, &bytes).unwrap();
    let (inbound, outbound, stack) = script_shapes(text);
    for (expected, from) in [(outbound, stack), (inbound, stack.peer())] {
        let kernel: Vec<Shape> = trace
            .segments
            .iter()
            .filter(|s| s.id.from == from)
            // What the stack never received is not in the script (its `<` lines are what arrives).
            .filter(|s| from == stack || s.flights.iter().all(|f| f.end != FlightEnd::Dropped))
            .map(|s| (s.flags.to_string(), s.rel_seq, Some(s.rel_ack), s.len))
            .collect();
        // The script may end before the kernel's run does.
        for (i, want) in expected.iter().enumerate() {
            let got = kernel.get(i).ok_or_else(|| {
                format!(
                    "{name}: the kernel's {} sent only {i} segments",
                    from.name()
                )
            })?;
            let same = want.0 == got.0
                && want.1 == got.1
                && want.3 == got.3
                && want
                    .2
                    .map_or(true, |a| Some(a) == got.2 || !got.0.contains('.'));
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
        "last-ack-lost-active",
        "last-ack-lost-passive",
        "half-close",
        "data-after-close",
        "close-in-syn-sent",
        "syn-in-time-wait",
        "passive-close",
    ];
    let failures: Vec<String> = names
        .iter()
        .filter_map(|n| agrees(&script(n), n).err())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_script_that_differs_from_the_kernel_is_caught() {
    assert!(agrees(&script("last-ack-lost-active"), "half-close").is_err());
    // The kernel answers data after close with a bare RST; a script expecting RST,ACK disagrees.
    let changed = script("data-after-close").replace("> R 7:7(0)", "> R. 7:7(0) ack 7");
    let e = agrees(&changed, "data-after-close").unwrap_err();
    assert!(e.contains("client segment 5"), "{e}");
    // A peer segment the script omits, though the kernel's peer sent it, shows too.
    let changed = script("half-close").replace("+.05 < . 1:1(0) ack 7 win 65535", "");
    assert!(agrees(&changed, "half-close").is_err());
}
