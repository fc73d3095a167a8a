//! The `twlab` command as tutorial authors use it.

use std::process::{Command, Output};

fn twlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twlab"))
        .args(args)
        .output()
        .expect("twlab runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn list_names_every_preset_with_a_description() {
    let out = twlab(&["list"]);
    assert!(out.status.success());
    let text = stdout(&out);
    for name in [
        "normal-close",
        "last-ack-lost",
        "old-duplicate",
        "simultaneous-close",
        "three-way-close",
        "syn-in-time-wait",
        "time-wait-assassination",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{text}"));
        assert!(line.len() > name.len() + 20, "{line}");
    }
}

#[test]
fn last_ack_lost_without_time_wait_ends_in_the_servers_reset() {
    let out = twlab(&["run", "last-ack-lost", "--no-time-wait"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let rst = text
        .lines()
        .position(|l| l.contains("Flags [R]"))
        .expect("a RST");
    let reset = text
        .lines()
        .position(|l| l.contains("server app: connection reset"))
        .expect("the server app sees it");
    assert!(rst < reset);
    assert_eq!(
        text.lines().last(),
        Some("outcome: the server saw a connection reset (connection 1)")
    );
}

#[test]
fn json_output_is_the_whole_trace_and_a_scenario_file_runs() {
    let out = twlab(&["run", "old-duplicate", "--format", "json"]);
    assert!(out.status.success());
    let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["outcome"]["verdict"]["kind"], "closed_cleanly");
    assert!(trace["events"].as_array().unwrap().len() > 50);

    let dir = std::env::temp_dir().join(format!("twlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mine.json");
    std::fs::write(
        &file,
        r#"{"name": "mine", "params": {"msl": "500ms", "time_wait": "skip"},
            "client": [{"do": "connect", "port": 5555}, {"do": "close", "after": "connected"}],
            "server": [{"do": "listen", "port": 80}, {"do": "close", "after": "eof"}]}"#,
    )
    .unwrap();
    let out = twlab(&["run", file.to_str().unwrap(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["params"]["msl"], "500ms");
    assert_eq!(trace["connections"][0]["client_port"], 5555);
}

#[test]
fn bad_input_exits_non_zero_with_one_line_on_stderr() {
    let dir = std::env::temp_dir().join(format!("twlab-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    std::fs::write(
        &file,
        r#"{"params": {"msl": "1h"}, "client": [], "server": [{"do": "listen", "port": 80}]}"#,
    )
    .unwrap();
    for args in [
        vec!["run", file.to_str().unwrap()],
        vec!["run", "no-such-preset"],
        vec!["run"],
        vec!["frobnicate"],
    ] {
        let out = twlab(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("twlab: "), "{err}");
    }
    let err = String::from_utf8_lossy(&twlab(&["run", file.to_str().unwrap()]).stderr).into_owned();
    assert!(
        err.contains("params.msl: 1h is out of range (allowed 1ms to 10min)"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    // A value that does not parse is named by its place in the file too.
    for (json, want) in [
        (
            r#"{"client": [{"do": "send", "text": "x", "wait": "1y"}], "server": []}"#,
            r#"client[0].wait: "1y" is not a duration"#,
        ),
        (
            r#"{"client": [], "server": [{"do": "listen", "port": 99999}]}"#,
            "server[0].port: invalid value: integer `99999`, expected u16",
        ),
        (
            r#"{"client": [], "server": [], "overrides": [{"conn": 1, "from": "client", "nth": 1, "fate": "vanish"}]}"#,
            "overrides[0]",
        ),
    ] {
        std::fs::write(&file, json).unwrap();
        let out = twlab(&["run", file.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn mermaid_output_is_a_sequence_diagram_with_the_lost_ack_crossed_out() {
    let out = twlab(&["run", "last-ack-lost", "--format", "mermaid"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("sequenceDiagram\n"), "{text}");
    let lost: Vec<&str> = text.lines().filter(|l| l.contains("-x")).collect();
    assert_eq!(lost, ["    C-xS: ACK ack 8 LOST"], "{text}");
    let bad = twlab(&["run", "normal-close", "--format", "svg"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("text, json, mermaid or pcap"));
}

fn capture(name: &str) -> String {
    format!(
        "{}/../twlab-capture/tests/captures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_capture_file_is_drawn_with_its_time_wait() {
    let out = twlab(&["run", &capture("request-reply.pcap")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.contains("127.0.0.1.40123 > 127.0.0.1.45678: Flags [S], seq 0"),
        "{text}"
    );
    assert!(
        text.contains("client: FIN-WAIT-2 -> TIME-WAIT (FIN received)"),
        "{text}"
    );
    assert!(text.ends_with("outcome: closed cleanly\n"), "{text}");
}

#[test]
fn a_captures_streams_are_listed_and_any_one_is_drawn() {
    let file = capture("http-streams.pcapng");
    let out = twlab(&["streams", &file]);
    assert!(out.status.success());
    let text = stdout(&out);
    // A header, then tcp.stream 0 to 4.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert!(lines[0].starts_with("stream  client"), "{text}");
    let words: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(
        words,
        [
            "1",
            "[::1]:40002",
            "[::1]:8000",
            "12",
            "closed,",
            "the",
            "server",
            "first"
        ],
        "{text}"
    );
    let out = twlab(&["run", &file, "--stream", "3"]);
    let text = stdout(&out);
    assert!(
        text.contains("127.0.0.1.40004 > 127.0.0.1.8000: Flags [S]"),
        "{text}"
    );
    assert!(!text.contains("::1"), "{text}");
    let out = twlab(&["run", &file, "--stream", "9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("there is no TCP stream 9: the capture has 5 (0 to 4)"));
    let out = twlab(&["run", "normal-close", "--stream", "1"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--stream applies to captures"));
}

#[test]
fn a_capture_without_tcp_is_refused_in_one_line() {
    let out = twlab(&["run", &capture("udp-only.pcap")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no TCP segment"), "{err}");
}

/// The ones' complement sum of big-endian 16-bit words, folded: 0xffff over a packet part whose
/// checksum is right (RFC 1071).
fn ones_sum(parts: &[&[u8]]) -> u16 {
    let mut sum = 0u32;
    for part in parts {
        for w in part.chunks(2) {
            sum += u32::from(w[0]) << 8 | u32::from(*w.get(1).unwrap_or(&0));
        }
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

#[test]
fn pcap_output_has_every_segment_as_a_checksummed_ipv4_tcp_packet() {
    let dir = std::env::temp_dir().join(format!("twlab-cli-pcap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("old-duplicate.pcap");
    let out = twlab(&[
        "run",
        "old-duplicate",
        "--format",
        "pcap",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let trace: serde_json::Value =
        serde_json::from_slice(&twlab(&["run", "old-duplicate", "--format", "json"]).stdout)
            .unwrap();
    let segments = trace["segments"].as_array().unwrap();

    let mut reader = pcap_file::pcap::PcapReader::new(std::fs::File::open(&file).unwrap()).unwrap();
    assert_eq!(reader.header().datalink, pcap_file::DataLink::IPV4);
    let mut count = 0;
    while let Some(packet) = reader.next_packet() {
        let packet = packet.unwrap();
        let seg = &segments[count];
        count += 1;
        let p = &packet.data;
        assert_eq!(
            packet.timestamp.as_micros() as u64,
            seg["sent"].as_u64().unwrap()
        );
        // IPv4 (RFC 791): version 4, TCP, the trace's addresses, a header that checksums.
        assert_eq!(p[0], 0x45);
        assert_eq!(p[9], 6);
        assert_eq!(usize::from(u16::from_be_bytes([p[2], p[3]])), p.len());
        let client = seg["from"] == "client";
        let (src, dst) = if client {
            ("client_ip", "server_ip")
        } else {
            ("server_ip", "client_ip")
        };
        let ip = |key: &str| match trace[key].as_str().unwrap().parse().unwrap() {
            std::net::IpAddr::V4(a) => a.octets(),
            v6 => panic!("a run is IPv4, not {v6}"),
        };
        assert_eq!(p[12..16], ip(src)[..]);
        assert_eq!(p[16..20], ip(dst)[..]);
        assert_eq!(
            ones_sum(&[&p[..20]]),
            0xffff,
            "IPv4 header checksum of packet {count}"
        );
        // TCP (RFC 9293 §3.1): ports, numbers, flags, payload, and the checksum over the pseudo-header.
        let tcp = &p[20..];
        let word = |i: usize| u16::from_be_bytes([tcp[i], tcp[i + 1]]) as u64;
        let long =
            |i: usize| u32::from_be_bytes([tcp[i], tcp[i + 1], tcp[i + 2], tcp[i + 3]]) as u64;
        assert_eq!(word(0), seg["src_port"].as_u64().unwrap());
        assert_eq!(word(2), seg["dst_port"].as_u64().unwrap());
        assert_eq!(long(4), seg["seq"].as_u64().unwrap());
        assert_eq!(long(8), seg["ack"].as_u64().unwrap());
        let flags: Vec<&str> = [(0x02, "SYN"), (0x01, "FIN"), (0x04, "RST"), (0x10, "ACK")]
            .into_iter()
            .filter(|(bit, _)| tcp[13] & bit != 0)
            .map(|(_, name)| name)
            .collect();
        assert_eq!(serde_json::json!(flags), seg["flags"]);
        let payload = &tcp[usize::from(tcp[12] >> 4) * 4..];
        assert_eq!(payload.len() as u64, seg["len"].as_u64().unwrap());
        assert_eq!(
            String::from_utf8_lossy(payload),
            seg["payload"].as_str().unwrap()
        );
        let pseudo = [&p[12..20], &[0, 6], &(tcp.len() as u16).to_be_bytes()[..]].concat();
        assert_eq!(
            ones_sum(&[&pseudo, tcp]),
            0xffff,
            "TCP checksum of packet {count}"
        );
    }
    assert_eq!(count, segments.len());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_command_answers_help() {
    for args in [
        vec!["--help"],
        vec!["-h"],
        vec!["help"],
        vec!["help", "run"],
        vec!["list", "--help"],
        vec!["run", "--help"],
        vec!["run", "-h"],
        vec!["run", "normal-close", "--help"],
        vec!["show", "-h"],
        vec!["params", "--help"],
    ] {
        let out = twlab(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = stdout(&out);
        assert!(text.starts_with("usage:"), "{args:?}: {text}");
    }
    let run = stdout(&twlab(&["run", "--help"]));
    for option in [
        "--set",
        "--profile",
        "--no-time-wait",
        "--format",
        "--output",
    ] {
        assert!(run.contains(option), "{option}: {run}");
    }
}

#[test]
fn set_turns_on_timestamps_and_paws_keeps_the_old_duplicate_out() {
    // RFC 7323 §5.3: with timestamps the stale copy is discarded by PAWS; without, it is read as new data.
    let plain = stdout(&twlab(&["run", "old-duplicate", "--no-time-wait"]));
    assert!(plain.contains("STALE"), "{plain}");
    let out = twlab(&[
        "run",
        "old-duplicate",
        "--no-time-wait",
        "--set",
        "timestamps=on",
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("discards segment c1 client#3: paws (RFC 7323 §5.3)"),
        "{text}"
    );
    assert!(!text.contains("STALE"));
    // JSON's spelling is accepted too, and the trace says which parameters ran.
    let json = stdout(&twlab(&[
        "run",
        "old-duplicate",
        "--set",
        "timestamps=true",
        "--set",
        "msl=2s",
        "--format",
        "json",
    ]));
    let trace: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(trace["params"]["timestamps"], true);
    assert_eq!(trace["params"]["msl"], "2s");
}

#[test]
fn profile_takes_the_defaults_from_linux() {
    let json = stdout(&twlab(&[
        "run",
        "normal-close",
        "--profile",
        "linux",
        "--format",
        "json",
    ]));
    let trace: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Linux's TIME-WAIT is a fixed 60 s (TCP_TIMEWAIT_LEN).
    assert_eq!(trace["params"]["time_wait"], "1min");
    assert_eq!(trace["durations"]["time_wait"], 60_000_000);
}

#[test]
fn bad_settings_are_named_in_one_line() {
    for (args, want) in [
        (vec!["--set", "mls=2s"], "there is no parameter \"mls\""),
        (
            vec!["--set", "msl=2x"],
            "--set msl=2x: params.msl must be a duration",
        ),
        (
            vec!["--set", "msl=100h"],
            "params.msl: 100h is out of range (allowed 1ms to 10min)",
        ),
        (vec!["--set", "msl"], "--set takes <name>=<value>"),
        (
            vec!["--set", "msl=1s", "--set", "msl=2s"],
            "--set msl is given twice",
        ),
        (
            vec!["--set", "timestamps=yes"],
            "params.timestamps must be on or off",
        ),
        (
            vec!["--profile", "bsd"],
            "--profile takes rfc9293, linux or lab",
        ),
        (vec!["--bogus"], "--bogus"),
    ] {
        let mut all = vec!["run", "normal-close"];
        all.extend(&args);
        let out = twlab(&all);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("twlab: ") && err.contains(want),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn show_prints_a_preset_as_a_scenario_file_that_runs_the_same() {
    let out = twlab(&["show", "last-ack-lost", "--set", "rfc1337=on"]);
    assert!(out.status.success());
    let json = stdout(&out);
    let scenario: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(scenario["name"], "last-ack-lost");
    assert_eq!(scenario["params"]["rfc1337"], true);
    let file = std::env::temp_dir().join(format!("twlab-cli-show-{}.json", std::process::id()));
    std::fs::write(&file, &json).unwrap();
    let from_file = stdout(&twlab(&["run", file.to_str().unwrap()]));
    let preset = stdout(&twlab(&["run", "last-ack-lost", "--set", "rfc1337=on"]));
    assert_eq!(from_file, preset);
    assert!(!twlab(&["show", "no-such-preset"]).status.success());
}

#[test]
fn params_lists_the_cores_table() {
    let table = twlab_core::params::table();
    let text = stdout(&twlab(&["params"]));
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names, table.iter().map(|p| p.name).collect::<Vec<_>>());
    assert!(text.contains("1s · 2min · 30s"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&twlab(&["params", "--json"]))).unwrap();
    assert_eq!(json, serde_json::to_value(&table).unwrap());
    assert_eq!(json[0]["meaning"]["zh-Hans"], table[0].meaning.zh_hans);
}
