//! Captures with several TCP streams, over IPv6 and IPv4. `tests/captures/http-streams.pcapng` was
//! made by `make.sh` beside it: five HTTP/1.0 requests to `python3 -m http.server` on Linux
//! loopback with the kernel's defaults (four over ::1, the last reusing the first's socket pair while
//! the server holds it in TIME-WAIT; one over 127.0.0.1). Streams are checked against tshark's own
//! `tcp.stream` numbering.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::Command;
use twlab_capture::{import, open, CaptureError, Ending, Stream};
use twlab_core::endpoint::{Cause, StateChange, Timer};
use twlab_core::scenario::Side;
use twlab_core::trace::{EventKind, Trace};
use twlab_core::State;
use twlab_formats::{to_pcap, to_text};

fn path(name: &str) -> String {
    format!("{}/tests/captures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn streams(name: &str) -> Vec<Stream> {
    let bytes = std::fs::read(path(name)).unwrap();
    open(&bytes).unwrap().streams().to_vec()
}

fn draw(name: &str, stream: u32) -> Trace {
    let bytes = std::fs::read(path(name)).unwrap();
    open(&bytes).unwrap().draw(name, stream).unwrap()
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// Per `tcp.stream`: its packet count and its two ends, as tshark reads `file`.
fn tshark_streams(file: &Path) -> BTreeMap<u32, (usize, [SocketAddr; 2])> {
    let fields = [
        "tcp.stream",
        "ip.src",
        "ipv6.src",
        "tcp.srcport",
        "ip.dst",
        "ipv6.dst",
        "tcp.dstport",
    ];
    let out = Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args(["-Y", "tcp", "-T", "fields"])
        .args(fields.iter().flat_map(|f| ["-e", f]))
        .output()
        .expect("tshark (scripts/setup.sh installs it)");
    assert!(out.status.success(), "tshark failed on {}", file.display());
    let mut streams = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let ip = |v4: &str, v6: &str| -> IpAddr { format!("{v4}{v6}").parse().unwrap() };
        let a = SocketAddr::new(ip(f[1], f[2]), f[3].parse().unwrap());
        let b = SocketAddr::new(ip(f[4], f[5]), f[6].parse().unwrap());
        let entry = streams
            .entry(f[0].parse().unwrap())
            .or_insert((0, [a.min(b), a.max(b)]));
        entry.0 += 1;
    }
    streams
}

#[test]
fn streams_are_numbered_as_tsharks_tcp_stream() {
    let mut files: Vec<_> = [
        "http-streams.pcapng",
        "request-reply.pcap",
        "request-reply.pcapng",
        "reuse-in-time-wait.pcap",
    ]
    .iter()
    .map(|n| Path::new(&path(n)).to_path_buf())
    .collect();
    let kernel = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/linux/fixtures");
    for entry in std::fs::read_dir(&kernel).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e == "pcap") {
            files.push(file);
        }
    }
    for file in files {
        let ours: BTreeMap<u32, (usize, [SocketAddr; 2])> = open(&std::fs::read(&file).unwrap())
            .unwrap()
            .streams()
            .iter()
            .map(|s| {
                let ends = [s.client.min(s.server), s.client.max(s.server)];
                (s.index, (s.packets, ends))
            })
            .collect();
        assert_eq!(ours, tshark_streams(&file), "{}", file.display());
    }
}

#[test]
fn every_presets_export_is_numbered_as_tshark_numbers_it() {
    // Reused socket pairs of every kind: a SYN into TIME-WAIT with a higher or an older ISN (answered
    // by an ACK, a RST and a SYN,ACK with a new ISN, which Wireshark keeps in the stream).
    let dir = std::env::temp_dir().join(format!("twlab-streams-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for preset in twlab_core::presets::all() {
        let pcap = to_pcap(&twlab_core::simulate(&preset).unwrap());
        let file = dir.join(format!("{}.pcap", preset.name));
        std::fs::write(&file, &pcap).unwrap();
        let ours: BTreeMap<u32, (usize, [SocketAddr; 2])> = open(&pcap)
            .unwrap()
            .streams()
            .iter()
            .map(|s| {
                (
                    s.index,
                    (s.packets, [s.client.min(s.server), s.client.max(s.server)]),
                )
            })
            .collect();
        assert_eq!(ours, tshark_streams(&file), "{}", preset.name);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_ipv6_capture_lists_its_streams_with_their_ends() {
    let s = streams("http-streams.pcapng");
    let server = addr("[::1]:8000");
    let listed: Vec<_> = s
        .iter()
        .map(|s| (s.index, s.client, s.server, s.packets))
        .collect();
    assert_eq!(
        listed,
        [
            (0, addr("[::1]:40001"), server, 12),
            (1, addr("[::1]:40002"), server, 12),
            (2, addr("[::1]:40003"), server, 12),
            (3, addr("127.0.0.1:40004"), addr("127.0.0.1:8000"), 12),
            (4, addr("[::1]:40001"), server, 12),
        ]
    );
    // http.server answers HTTP/1.0 and closes first (RFC 9293 §3.6: the active closer).
    assert!(s.iter().all(|s| s.ending
        == Ending::Closed {
            first: Side::Server
        }));
    let text = twlab_capture::streams::to_text(&s);
    assert!(text.contains("[::1]:40002"), "{text}");
    assert!(
        text.lines().nth(4).unwrap().contains("127.0.0.1:40004"),
        "{text}"
    );
    assert!(text.contains("closed, the server first"), "{text}");
}

fn state_changes(t: &Trace, side: Side) -> Vec<(Option<u32>, State, Cause)> {
    t.events
        .iter()
        .filter(|e| e.side == side)
        .filter_map(|e| match e.kind {
            EventKind::State(StateChange { to, cause, .. }) => Some((e.conn, to, cause)),
            _ => None,
        })
        .collect()
}

#[test]
fn any_stream_is_drawn_with_its_addresses() {
    let t = draw("http-streams.pcapng", 1);
    assert_eq!(t.client_ip, "::1".parse::<IpAddr>().unwrap());
    assert_eq!(
        (t.connections.len(), t.connections[0].client_port),
        (1, 40002)
    );
    assert_eq!(t.segments.len(), 12);
    assert!(t.name.contains("(tcp.stream 1)"), "{}", t.name);
    // The server closed first: it ends in TIME-WAIT, its 60 s run out after the capture.
    let server = state_changes(&t, Side::Server);
    assert!(server.iter().any(|c| c.1 == State::TimeWait));
    assert_eq!(server.last().unwrap().2, Cause::TimeWaitExpired);
    // The listing prints IPv6 addresses as tcpdump does.
    assert!(to_text(&t).contains("::1.40002 > ::1.8000: Flags [S]"));
    // The IPv4 stream of the same capture.
    let v4 = draw("http-streams.pcapng", 3);
    assert_eq!(v4.server_ip, IpAddr::from([127, 0, 0, 1]));
    assert_eq!(v4.connections[0].client_port, 40004);
}

#[test]
fn a_reused_socket_pair_is_drawn_with_all_its_streams() {
    // Streams 0 and 4 are one socket pair: either draws both, as connections 1 and 2. The server's
    // TIME-WAIT of the first ends when it accepts the second's SYN (RFC 9293 §3.10.7.4; RFC 6191).
    for stream in [0, 4] {
        let t = draw("http-streams.pcapng", stream);
        assert!(t.name.contains("(tcp.stream 0, 4)"), "{}", t.name);
        assert_eq!(t.connections.len(), 2);
        assert_eq!(t.segments.len(), 24);
        let cancelled = t.events.iter().any(|e| {
            e.side == Side::Server
                && e.conn == Some(1)
                && e.kind
                    == EventKind::TimerCancelled {
                        timer: Timer::TimeWait,
                    }
        });
        assert!(cancelled, "the new SYN takes the pair from TIME-WAIT");
        assert!(state_changes(&t, Side::Server).contains(&(Some(1), State::Closed, Cause::RcvSyn)));
    }
    // The default draws stream 0.
    let bytes = std::fs::read(path("http-streams.pcapng")).unwrap();
    assert_eq!(
        import("x", &bytes).unwrap(),
        open(&bytes).unwrap().draw("x", 0).unwrap()
    );
}

#[test]
fn a_stream_past_the_last_is_refused() {
    let bytes = std::fs::read(path("http-streams.pcapng")).unwrap();
    let e = open(&bytes).unwrap().draw("x", 5).unwrap_err();
    assert_eq!(
        e,
        CaptureError::NoStream {
            stream: 5,
            streams: 5
        }
    );
    assert_eq!(
        e.to_string(),
        "there is no TCP stream 5: the capture has 5 (0 to 4)"
    );
}

#[test]
fn an_ipv6_stream_exports_as_ipv6_and_reads_back_the_same() {
    let drawn = draw("http-streams.pcapng", 1);
    let pcap = to_pcap(&drawn);
    let again = import("x", &pcap).unwrap();
    let wire = |t: &Trace| -> Vec<_> {
        t.segments
            .iter()
            .map(|s| (s.sent, s.id, s.seq, s.ack, s.flags, s.len, s.ts))
            .collect()
    };
    assert_eq!(wire(&again), wire(&drawn));
    assert_eq!(
        (again.client_ip, again.server_ip),
        (drawn.client_ip, drawn.server_ip)
    );
    // tshark reads it as IPv6 with good TCP checksums.
    let file = std::env::temp_dir().join(format!("twlab-v6-{}.pcap", std::process::id()));
    std::fs::write(&file, &pcap).unwrap();
    let out = Command::new("tshark")
        .arg("-r")
        .arg(&file)
        .args([
            "-o",
            "tcp.check_checksum:TRUE",
            "-T",
            "fields",
            "-e",
            "ipv6.src",
            "-e",
            "tcp.checksum.status",
        ])
        .output()
        .expect("tshark");
    let _ = std::fs::remove_file(&file);
    let rows = String::from_utf8(out.stdout).unwrap();
    assert_eq!(rows.lines().count(), 12);
    assert!(rows.lines().all(|l| l == "::1\t1"), "{rows}");
}
