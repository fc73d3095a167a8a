//! Drawing real captures. The files in `tests/captures/` were recorded with tcpdump on Linux 6.x
//! loopback (Python sockets on 127.0.0.1): a request and reply with the client closing first, the same
//! converted to pcapng by editcap, a client port reused while its previous connection was in TIME-WAIT
//! (net.ipv4.tcp_tw_reuse=2 allows it on loopback), and a capture of one UDP datagram.

use proptest::prelude::*;
use twlab_capture::{import, is_capture, open, CaptureError};
use twlab_core::endpoint::{Cause, StateChange};
use twlab_core::scenario::Side;
use twlab_core::trace::{EventKind, Stopped, Trace};
use twlab_core::{Duration, State, Verdict};
use twlab_formats::to_text;

fn file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/captures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn draw(name: &str) -> Trace {
    import(name, &file(name)).unwrap()
}

/// (side, flags, relative seq, relative ack, length) per segment, as tshark prints them.
fn segments(t: &Trace) -> Vec<(Side, String, u32, u32, u32)> {
    t.segments
        .iter()
        .map(|s| (s.id.from, s.flags.to_string(), s.rel_seq, s.rel_ack, s.len))
        .collect()
}

#[test]
fn a_request_and_reply_is_drawn_segment_for_segment() {
    let t = draw("request-reply.pcap");
    use Side::{Client as C, Server as S};
    let ack = ".".to_string();
    // `tshark -r request-reply.pcap`, relative numbers.
    assert_eq!(
        segments(&t),
        [
            (C, "S".into(), 0, 0, 0),
            (S, "S.".into(), 0, 1, 0),
            (C, ack.clone(), 1, 1, 0),
            (C, ack.clone(), 1, 1, 5),
            (S, ack.clone(), 1, 6, 0),
            (S, ack.clone(), 1, 6, 6),
            (C, ack.clone(), 6, 7, 0),
            (C, "F.".into(), 6, 7, 0),
            (S, ack.clone(), 7, 7, 0),
            (S, "F.".into(), 7, 7, 0),
            (C, ack, 7, 8, 0),
        ]
    );
    let loopback = std::net::IpAddr::from([127, 0, 0, 1]);
    assert_eq!((t.client_ip, t.server_ip), (loopback, loopback));
    assert_eq!(
        (t.connections[0].client_port, t.connections[0].server_port),
        (40123, 45678)
    );
    // The client closed first: FIN-WAIT-1, FIN-WAIT-2, then TIME-WAIT on the server's FIN (RFC 9293
    // §3.10.7.4, eighth), held 60 s as Linux does; the server went CLOSE-WAIT, LAST-ACK, CLOSED.
    use State::*;
    assert_eq!(
        t.state_path(C, 1),
        [SynSent, Established, FinWait1, FinWait2, TimeWait, Closed]
    );
    assert_eq!(
        t.state_path(S, 1),
        [SynReceived, Established, CloseWait, LastAck, Closed]
    );
    let tw = t
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::State(StateChange { to: TimeWait, .. })))
        .unwrap();
    let closed = t
        .events
        .iter()
        .rfind(|e| {
            e.side == C && matches!(e.kind, EventKind::State(StateChange { from: TimeWait, .. }))
        })
        .unwrap();
    assert_eq!(closed.at.since(tw.at), Duration::from_secs(60));
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // One way is half the handshake: SYN at 0, the completing ACK at 26 µs.
    assert_eq!(t.params.delay, Duration(13));
    let reads: Vec<_> = t
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Read(r) => Some((e.side, &*r.text)),
            _ => None,
        })
        .collect();
    assert_eq!(reads, [(S, "GET /"), (C, "200 OK")]);
    assert!(t.stopped.is_none());
}

#[test]
fn pcapng_and_pcap_of_one_capture_draw_the_same() {
    let a = draw("request-reply.pcap");
    let b = draw("request-reply.pcapng");
    assert_eq!((a.segments, a.events), (b.segments, b.events));
}

#[test]
fn a_socket_pair_reused_in_time_wait_is_a_new_connection() {
    let t = draw("reuse-in-time-wait.pcap");
    assert_eq!(t.connections.len(), 2);
    assert!(t.connections.iter().all(|c| c.client_port == 40124));
    // The new SYN takes the pair from TIME-WAIT (RFC 9293 §3.10.7.4; RFC 6191 with timestamps).
    let reused = t.events.iter().find(|e| {
        e.conn == Some(1)
            && matches!(
                e.kind,
                EventKind::State(StateChange {
                    from: State::TimeWait,
                    to: State::Closed,
                    cause: Cause::ActiveOpen
                })
            )
    });
    let syn2 = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn)
        .unwrap();
    assert_eq!(reused.map(|e| e.at), Some(syn2.sent));
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
}

#[test]
fn each_kind_of_unreadable_file_says_what_is_wrong() {
    let pcap = file("request-reply.pcap");
    assert_eq!(
        import("x", br#"{"name": "not a capture"}"#).unwrap_err(),
        CaptureError::NotACapture
    );
    assert_eq!(import("x", b"").unwrap_err(), CaptureError::NotACapture);
    assert_eq!(
        import("x", &pcap[..10]).unwrap_err(),
        CaptureError::Truncated
    );
    assert_eq!(
        import("x", &file("udp-only.pcap")).unwrap_err(),
        CaptureError::NoTcp { packets: 1 }
    );
    assert!(CaptureError::NoTcp { packets: 1 }
        .to_string()
        .contains("no TCP segment"));
    // Cut mid-packet: what came before is drawn, and the trace says the file was cut.
    let cut = import("x", &pcap[..300]).unwrap();
    assert!(cut.segments.len() < 11 && !cut.segments.is_empty());
    assert!(matches!(cut.stopped, Some(Stopped::Capture { note }) if note.contains("cut short")));
    assert!(is_capture(&pcap) && !is_capture(b"{}"));
}

proptest! {
    /// Damaged captures never panic: bytes overwritten and files cut anywhere.
    #[test]
    fn damaged_captures_never_panic(edits in prop::collection::vec((0usize..2000, any::<u8>()), 0..8), cut in 0usize..2000) {
        for name in ["request-reply.pcap", "request-reply.pcapng", "reuse-in-time-wait.pcap"] {
            let mut bytes = file(name);
            for &(at, byte) in &edits {
                let n = bytes.len();
                bytes[at % n] = byte;
            }
            bytes.truncate(cut.max(1));
            let _ = import(name, &bytes);
        }
    }
}

/// The kernel's own captures (tests/linux/fixtures, recorded by tests/linux/capture.sh with nft
/// dropping chosen segments): the import draws each segment as its text fixture lists it, and infers
/// the drops nft made from what followed them.
#[test]
fn kernel_captures_are_drawn_as_their_fixtures_list_them() {
    let dir = format!("{}/../../tests/linux/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().map_or(true, |e| e != "pcap") {
            continue;
        }
        // Each socket pair's streams drawn as its incarnations, the pairs one after the other (a
        // fixture with a second client port lists its connection as the next one).
        let capture = open(&std::fs::read(&path).unwrap()).unwrap();
        let mut pairs: Vec<String> = Vec::new();
        let mut traces: Vec<Trace> = Vec::new();
        for stream in capture.streams() {
            let pair = format!("{:?} {:?}", stream.client, stream.server);
            if !pairs.contains(&pair) {
                pairs.push(pair);
                traces.push(capture.draw("kernel", stream.index).unwrap());
            }
        }
        let connections: usize = traces.iter().map(|t| t.connections.len()).sum();
        let text = std::fs::read_to_string(path.with_extension("txt")).unwrap();
        // A segment replayed from an earlier incarnation (`dup`) is listed under it; a passive
        // observer files it under the incarnation it arrives in, whose numbers it cannot tell apart.
        if text
            .lines()
            .any(|l| l.starts_with("segment") && l.contains(" dup"))
        {
            continue;
        }
        let listed: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("segment"))
            .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
            .collect();
        let mut drawn: Vec<String> = Vec::new();
        let mut before = 0;
        for t in &traces {
            drawn.extend(t.segments.iter().map(|s| {
                let lost = s.flights[0].end == twlab_core::network::FlightEnd::Dropped;
                let line = format!(
                    "{} {} {} {} {}",
                    s.id.from.name(),
                    s.flags,
                    s.rel_seq,
                    s.rel_ack,
                    s.len
                );
                let line = if lost { line + " lost" } else { line };
                // Fixtures with more than one connection name each segment's.
                if connections > 1 {
                    format!("{line} conn={}", before + s.id.conn as usize)
                } else {
                    line
                }
            }));
            before += t.connections.len();
        }
        assert_eq!(drawn, listed, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 4, "{checked} kernel captures");
}

#[test]
fn a_kernel_capture_of_the_lost_last_ack_shows_both_worlds() {
    let dir = format!("{}/../../tests/linux/fixtures", env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| import(name, &std::fs::read(format!("{dir}/{name}")).unwrap()).unwrap();
    // With TIME-WAIT: the retransmitted FIN meets TIME-WAIT, which re-ACKs it and restarts its
    // timer (RFC 9293 §3.10.7.4, eighth); the server closes cleanly.
    let kept = read("last-ack-lost.pcap");
    let restarted = kept.events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::TimerArmed(twlab_core::endpoint::TimerArm { restart: true, .. })
        )
    });
    assert!(restarted, "{}", to_text(&kept));
    assert_eq!(kept.outcome.verdict, Verdict::ClosedCleanly);
    // The ACK the capture shows lost is the one that ends the close.
    let lost = kept
        .segments
        .iter()
        .find(|s| s.flights[0].end == twlab_core::network::FlightEnd::Dropped);
    assert!(lost.is_some_and(|s| s.last_ack), "{}", to_text(&kept));
    // Skipped (tcp_max_tw_buckets=0): the client answers the retransmitted FIN with RST, and the
    // server's application sees a reset.
    let skipped = read("last-ack-lost-no-time-wait.pcap");
    assert_eq!(
        skipped.state_path(Side::Client, 1).last(),
        Some(&State::Closed)
    );
    assert!(skipped.events.iter().any(|e| matches!(
        e.kind,
        EventKind::State(StateChange {
            cause: Cause::TimeWaitSkipped,
            ..
        })
    )));
    assert!(matches!(
        skipped.outcome.verdict,
        Verdict::Reset {
            side: Side::Server,
            ..
        }
    ));
}
