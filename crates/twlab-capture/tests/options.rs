//! TCP options a capture shows beside the timestamps: SACK-permitted and SACK blocks (RFC 2018) and
//! window scale (RFC 7323 §2), checked against tshark's reading of the same files. `sack.pcapng` was
//! made by `make.sh` beside it: 12,000 bytes from 127.0.0.1:8001 with one full-sized segment dropped
//! on its way in, so the receiver reports what followed the hole in SACK blocks (RFC 2018 §4).

use std::process::Command;
use twlab_capture::import;
use twlab_core::network::FlightEnd;
use twlab_core::seq::SeqNum;
use twlab_core::trace::Trace;
use twlab_formats::{to_pcap, to_text};

fn path(name: &str) -> String {
    format!("{}/tests/captures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn draw(name: &str) -> Trace {
    import(name, &std::fs::read(path(name)).unwrap()).unwrap()
}

/// Per TCP packet that `filter` shows: SACK-permitted, window scale, and SACK blocks (absolute), as
/// tshark reads `file`.
type Shown = (bool, Option<u8>, Vec<[SeqNum; 2]>);

fn tshark_options(file: &str, filter: &str) -> Vec<Shown> {
    let out = Command::new("tshark")
        .args([
            "-r",
            file,
            "-o",
            "tcp.relative_sequence_numbers:FALSE",
            "-Y",
            filter,
            "-T",
            "fields",
        ])
        .args([
            "-e",
            "tcp.options.sack_perm",
            "-e",
            "tcp.options.wscale.shift",
        ])
        .args(["-e", "tcp.options.sack_le", "-e", "tcp.options.sack_re"])
        .output()
        .expect("tshark (scripts/setup.sh installs it)");
    assert!(out.status.success());
    let numbers = |f: &str| -> Vec<u32> {
        f.split(',')
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect()
    };
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let blocks = numbers(f[2]).into_iter().zip(numbers(f[3]));
            (
                !f[0].is_empty(),
                f[1].parse().ok(),
                blocks.map(|(l, r)| [SeqNum(l), SeqNum(r)]).collect(),
            )
        })
        .collect()
}

fn ours(t: &Trace) -> Vec<Shown> {
    t.segments
        .iter()
        .map(|s| {
            let o = s.options.as_deref().cloned().unwrap_or_default();
            (o.sack_permitted, o.window_scale, o.sack)
        })
        .collect()
}

#[test]
fn sack_and_window_scale_are_read_as_tshark_reads_them() {
    // Stream 0 is drawn, with the streams on its socket pair.
    for (name, filter) in [
        ("sack.pcapng", "tcp"),
        ("http-streams.pcapng", "tcp.stream == 0 || tcp.stream == 4"),
    ] {
        let t = draw(name);
        assert_eq!(ours(&t), tshark_options(&path(name), filter), "{name}");
    }
    let t = draw("sack.pcapng");
    assert!(
        ours(&t).iter().any(|o| !o.2.is_empty()),
        "the fixture has SACK blocks"
    );
    assert!(
        ours(&t).iter().any(|o| o.0 && o.1.is_some()),
        "and SYNs with SACK-permitted and window scale"
    );
}

#[test]
fn the_listing_shows_them_as_tcpdump_does() {
    let text = to_text(&draw("sack.pcapng"));
    let syn = text.lines().find(|l| l.contains("Flags [S]")).unwrap();
    // In the order they stand in the segment, as tcpdump prints them.
    assert!(syn.contains(", seq 0, mss 1460, sackOK, TS val "), "{syn}");
    assert!(syn.contains(", wscale 10, length 0"), "{syn}");
    // The hole is bytes 2897 to 4345 (relative); the first block reports the segment after it.
    assert!(text.contains("ack 2897, TS val"), "{text}");
    let first_sack = text.lines().find(|l| l.contains(", sack ")).unwrap();
    assert!(
        first_sack.contains(", sack 1 {4345:5793}, length 0"),
        "{first_sack}"
    );
}

#[test]
fn the_dropped_segment_is_drawn_lost() {
    // It was resent after the receiver had acknowledged up to its start and no further.
    let t = draw("sack.pcapng");
    let hole = t
        .segments
        .iter()
        .filter(|s| s.rel_seq == 2897 && s.len == 1448)
        .collect::<Vec<_>>();
    assert_eq!(hole.len(), 2);
    assert_eq!(
        hole[0].flights.iter().next().unwrap().end,
        FlightEnd::Dropped
    );
    assert!(hole[1].retransmission);
}

#[test]
fn an_export_keeps_them() {
    for name in ["sack.pcapng", "http-streams.pcapng"] {
        let t = draw(name);
        let pcap = to_pcap(&t);
        assert_eq!(ours(&import(name, &pcap).unwrap()), ours(&t), "{name}");
        // And tshark reads our layout of them back.
        let file =
            std::env::temp_dir().join(format!("twlab-options-{}-{name}", std::process::id()));
        std::fs::write(&file, &pcap).unwrap();
        let shown = tshark_options(file.to_str().unwrap(), "tcp");
        let _ = std::fs::remove_file(&file);
        assert_eq!(shown, ours(&t), "{name}");
    }
}
