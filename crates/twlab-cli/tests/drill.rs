//! `twlab drill`: a packetdrill script in, a trace out, packetdrill's verdict as the exit status.

use std::process::{Command, Output};

fn twlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twlab"))
        .args(args)
        .output()
        .expect("twlab runs")
}

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/drill/last-ack-lost-active.pkt"
);

#[test]
fn a_script_that_holds_exits_0_with_its_trace_in_every_format() {
    let out = twlab(&["drill", SCRIPT]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("client: FIN-WAIT-2 -> TIME-WAIT (FIN received)"),
        "{text}"
    );
    assert!(out.stderr.is_empty());
    let json = twlab(&["drill", SCRIPT, "--format", "json"]);
    let trace: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(trace["name"], "last-ack-lost-active.pkt");
    assert_eq!(trace["segments"].as_array().unwrap().len(), 13);
    let mermaid = twlab(&["drill", SCRIPT, "--format", "mermaid"]);
    assert!(String::from_utf8_lossy(&mermaid.stdout).starts_with("sequenceDiagram"));
    let file = std::env::temp_dir().join(format!("drill-{}.pcap", std::process::id()));
    let pcap = twlab(&[
        "drill",
        SCRIPT,
        "--format",
        "pcap",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(pcap.status.success());
    let bytes = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let mut reader = pcap_file::pcap::PcapReader::new(&bytes[..]).unwrap();
    let mut packets = 0;
    while let Some(p) = reader.next_packet() {
        p.unwrap();
        packets += 1;
    }
    assert_eq!(packets, 13);
}

#[test]
fn a_mismatch_exits_1_with_packetdrills_message_after_the_trace() {
    let text = std::fs::read_to_string(SCRIPT)
        .unwrap()
        .replace("> F. 6:6(0) ack 7", "> . 6:6(0) ack 7");
    let file = std::env::temp_dir().join(format!("drill-{}.pkt", std::process::id()));
    std::fs::write(&file, text).unwrap();
    let out = twlab(&["drill", file.to_str().unwrap()]);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".pkt:20: error handling packet: live packet field tcp_fin: expected: 0 (0x0) vs actual: 1 (0x1)\nscript packet:  0.200000 . 6:6(0) ack 7\nactual packet:  0.200000 F. 6:6(0) ack 7 win 65535"),
        "{stderr}"
    );
    // The trace up to the mismatch is still written.
    assert!(String::from_utf8_lossy(&out.stdout).contains("client app: close"));
}

#[test]
fn an_unsupported_script_names_its_line_and_column() {
    let file = std::env::temp_dir().join(format!("drill-udp-{}.pkt", std::process::id()));
    std::fs::write(&file, "0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n").unwrap();
    let out = twlab(&["drill", file.to_str().unwrap()]);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".pkt:1:3: SOCK_DGRAM sockets are not supported"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    let out = twlab(&["drill"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("drill needs a script"));
}
