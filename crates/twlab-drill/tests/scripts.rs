//! Every script in tests/drill runs against the endpoint and holds; wrong expectations fail with
//! packetdrill's message; what cannot be run is refused with its line and column.

use std::path::PathBuf;
use twlab_core::trace::EventKind;
use twlab_core::{Side, State};
use twlab_drill::{parse, run};
use twlab_formats::to_text;

fn scripts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/drill")
}

fn script(name: &str) -> String {
    std::fs::read_to_string(scripts_dir().join(name)).unwrap()
}

#[test]
fn every_script_of_ours_passes() {
    let mut count = 0;
    for entry in std::fs::read_dir(scripts_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pkt") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let run = run(&text, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(run.report(&name), None, "{name}");
            assert!(!run.trace.segments.is_empty(), "{name}");
            count += 1;
        }
    }
    assert!(count >= 18, "only {count} scripts");
}

/// Replace the first line containing `from` by `to`, and run.
fn run_changed(name: &str, from: &str, to: &str) -> String {
    let text = script(name);
    let line = text
        .lines()
        .find(|l| l.contains(from))
        .unwrap_or_else(|| panic!("{from:?} not in {name}"));
    let changed = text.replacen(line, to, 1);
    run(&changed, name)
        .unwrap()
        .report(name)
        .expect("the changed script must fail")
}

#[test]
fn a_wrong_ack_fails_like_packetdrill() {
    let report = run_changed(
        "last-ack-lost-active.pkt",
        "TIME-WAIT ACKs it again",
        "   +0 > . 7:7(0) ack 9",
    );
    assert_eq!(
        report,
        "last-ack-lost-active.pkt:25: error handling packet: live packet field tcp_ack_seq: expected: 9 (0x9) vs actual: 8 (0x8)\n\
         script packet:  0.500000 . 7:7(0) ack 9\n\
         actual packet:  0.500000 . 7:7(0) ack 8 win 65535"
    );
}

#[test]
fn a_wrong_flag_a_wrong_time_and_a_wrong_result_each_fail() {
    let report = run_changed("close-in-syn-sent.pkt", "> R 1:1(0)", "   +0 > R. 1:1(0)");
    assert!(report.contains(":10: error handling packet: live packet field tcp_ack: expected: 1 (0x1) vs actual: 0 (0x0)"), "{report}");
    // The RTO is 200 ms; expecting the retransmission 500 ms after the close is a timing error.
    let report = run_changed(
        "last-ack-lost-passive.pkt",
        "so our FIN goes again",
        "+.5 > F. 7:7(0) ack 7",
    );
    assert!(
        report.contains(
            "timing error: expected outbound packet at 0.840000 sec but happened at 0.540000 sec"
        ),
        "{report}"
    );
    let report = run_changed("half-close.pkt", "EPIPE", "   +0 write(3, ..., 5) = 5");
    assert!(report.ends_with(":19: runtime error in write call: Expected result 5 but got -1 with errno 32 (Broken pipe)"), "{report}");
    let report = run_changed(
        "half-close.pkt",
        "EAGAIN",
        "   +0 read(3, ..., 100) = -1 ECONNRESET",
    );
    assert!(report.contains("Expected errno 104 (Connection reset by peer) but got 11 (Resource temporarily unavailable)"), "{report}");
    // Expecting an ACK from LAST-ACK: what comes is the FIN's retransmission after the RTO.
    let report = run_changed(
        "passive-close.pkt",
        "+.05 < . 2:2(0) ack 2",
        "  +.05 > . 2:2(0) ack 2",
    );
    assert!(report.contains("timing error: expected outbound packet at 0.250000 sec but happened at 0.400000 sec; tolerance 0.006250 sec"), "{report}");
    assert!(
        report.ends_with("actual packet:  0.400000 F. 1:1(0) ack 2 win 65535"),
        "{report}"
    );
    // Expecting a segment from a socket closed in SYN-SENT, which sends nothing more.
    let report = run_changed("close-in-syn-sent.pkt", "+1 < S.", "   +1 > F. 1:1(0)");
    assert!(
        report.contains(":9: error handling packet: the stack sent no packet within 600 s"),
        "{report}"
    );
}

#[test]
fn timestamps_are_checked_as_packetdrill_checks_them() {
    // TS val only with --tcp_ts_tick_usecs, within the tolerance; TS ecr always.
    let report = run_changed(
        "old-duplicate-timestamps.pkt",
        "ack 7 <nop,nop,TS val 140 ecr 1100>",
        "+.04~+.06 > . 1:1(0) ack 7 <nop,nop,TS val 400 ecr 1100>",
    );
    assert!(
        report.contains(
            ":22: error handling packet: bad outbound TCP timestamp value, tolerance 17500"
        ),
        "{report}"
    );
    let report = run_changed(
        "old-duplicate-timestamps.pkt",
        "ack 7 <nop,nop,TS val 140 ecr 1100>",
        "+.04~+.06 > . 1:1(0) ack 7 <nop,nop,TS val 140 ecr 1099>",
    );
    assert!(
        report.contains(
            "live packet field tcp_ts_ecr: expected: 1099 (0x44b) vs actual: 1100 (0x44c)"
        ),
        "{report}"
    );
    let report = run_changed(
        "old-duplicate-timestamps.pkt",
        "ack 7 <nop,nop,TS val 140 ecr 1100>",
        "+.04~+.06 > . 1:1(0) ack 7 <nop,nop>",
    );
    assert!(report.contains("bad outbound TCP options"), "{report}");
    let text = script("old-duplicate-timestamps.pkt")
        .replace("--tcp_ts_tick_usecs=1000\n", "")
        .replace(
            "TS val 140 ecr 1100>\n   +0 close",
            "TS val 400 ecr 1100>\n   +0 close",
        );
    assert_eq!(
        run(&text, "x").unwrap().report("x"),
        None,
        "without a tick, TS val is not checked"
    );
}

#[test]
fn the_trace_follows_the_story() {
    let run = run(&script("last-ack-lost-active.pkt"), "lal").unwrap();
    let t = &run.trace;
    assert_eq!(
        t.state_path(Side::Client, 1),
        [
            State::SynSent,
            State::Established,
            State::FinWait1,
            State::FinWait2,
            State::TimeWait
        ]
    );
    // The stack's SYN carries its own ISN; the listing numbers it from 0, as the script does.
    assert_ne!(t.connections[0].client_isn, Some(0));
    assert!(to_text(t).contains("10.0.0.1.40000 > 10.0.0.2.8080: Flags [.], ack 8, length 0"));
    let run = run_rfc1337("rfc1337-assassination.pkt");
    assert!(run.contains(&(State::TimeWait, State::Closed)));
    let run = run_rfc1337("rfc1337-ignored.pkt");
    assert!(!run.contains(&(State::TimeWait, State::Closed)));
}

fn run_rfc1337(name: &str) -> Vec<(State, State)> {
    let run = run(&script(name), name).unwrap();
    run.trace
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::State(c) => Some((c.from, c.to)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_old_duplicate_is_read_without_timestamps_and_dropped_with_them() {
    let reads = |name: &str| {
        let run = run(&script(name), name).unwrap();
        run.trace
            .events
            .iter()
            .filter(|e| e.conn == Some(2) && matches!(e.kind, EventKind::Read(_)))
            .count()
    };
    assert_eq!(reads("old-duplicate.pkt"), 1);
    assert_eq!(reads("old-duplicate-timestamps.pkt"), 0);
}

/// The line and column of the error, and its text.
fn refused(text: &str) -> (u32, u32, String) {
    let e = parse(text)
        .err()
        .unwrap_or_else(|| panic!("{text:?} parsed"));
    (e.pos.line, e.pos.col, e.message)
}

#[test]
fn what_cannot_be_run_is_refused_with_line_and_column() {
    let cases: [(&str, (u32, u32), &str); 12] = [
        (
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < udp (10)",
            (2, 6),
            "UDP",
        ),
        ("0 < icmp unreachable", (1, 5), "ICMP"),
        (
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n  +0 %{ print(1) }%",
            (2, 6),
            "python",
        ),
        ("0 epoll_create(1) = 3", (1, 3), "epoll_create"),
        (
            "0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3",
            (1, 3),
            "SOCK_DGRAM",
        ),
        (
            "0 setsockopt(3, SOL_TCP, TCP_FASTOPEN, [1], 4) = 0",
            (1, 3),
            "TCP_FASTOPEN",
        ),
        ("0 > S 0:0(0) <mss 1460, md5 abcd>", (1, 25), "md5"),
        ("0 > S 0:5(0)", (1, 7), "inconsistent"),
        ("0 > S 0:0(0) urg 3", (1, 14), "urgent"),
        (
            "0 close(3) = 0\n--mss=1000",
            (2, 1),
            "before the first event",
        ),
        ("0 > Q 0:0(0)", (1, 5), "flags"),
        (
            "0 < S 0:0(0) <mss 1460>",
            (1, 14),
            "window must be specified",
        ),
    ];
    for (text, (line, col), word) in cases {
        let (l, c, message) = refused(text);
        assert_eq!((l, c), (line, col), "{text}: {message}");
        assert!(message.contains(word), "{text}: {message}");
    }
}

#[test]
fn malformed_scripts_get_their_place() {
    let (l, c, m) = refused("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3 = 0");
    assert_eq!((l, c), (2, 12), "{m}");
    let (l, c, _) = refused("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 > S 0:0(0) <mss 1460");
    assert_eq!((l, c), (2, 24));
    let (l, c, _) = refused("+0.1.2 close(3) = 0");
    assert_eq!((l, c), (1, 5));
    // Options that are not packetdrill's, and ones with bad values, are refused when the run is set up.
    let e = run("--frobnicate=1\n0 close(3) = -1", "x").err().unwrap();
    assert_eq!((e.pos.line, e.pos.col), (1, 1));
    assert!(run("--tolerance_usecs=-5\n0 close(3) = -1", "x").is_err());
}

#[test]
fn shell_lines_are_mapped_or_noted() {
    let run = run(
        "0 `sysctl -q net.ipv4.tcp_fin_timeout=5 net.ipv4.tcp_sack=0`\n+0 `ip link set lo up`\n+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
        "x",
    )
    .unwrap();
    assert_eq!(
        run.trace.params.orphan_fin_wait_2,
        Some(twlab_core::Duration::from_secs(5))
    );
    assert_eq!(run.notes.len(), 2, "{:?}", run.notes);
    assert!(run.notes[0].contains("tcp_sack"));
    assert!(run.notes[1].contains("ip link set lo up"));
    let params = |text: &str| twlab_drill::run(text, "x").unwrap().trace.params;
    let p = params(
        "--mss=1000\n0 `../common/defaults.sh`\n+0 `sysctl -w net.ipv4.tcp_max_tw_buckets=0`",
    );
    assert_eq!(p.mss, 1000);
    assert!(
        p.timestamps,
        "the suite's defaults script turns timestamps on"
    );
    assert_eq!(p.time_wait, twlab_core::scenario::TimeWait::Skip);
    let p = params("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
    assert_eq!(
        p,
        twlab_core::scenario::Profile::Linux.params(),
        "no shell line: the linux profile"
    );
}
