//! The `twlab` command as tutorial authors use it.

use std::process::{Command, Output};

fn twlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twlab")).args(args).output().expect("twlab runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn list_names_every_preset_with_a_description() {
    let out = twlab(&["list"]);
    assert!(out.status.success());
    let text = stdout(&out);
    for name in ["normal-close", "last-ack-lost", "old-duplicate", "simultaneous-close", "three-way-close", "syn-in-time-wait", "time-wait-assassination"] {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name} missing:\n{text}"));
        assert!(line.len() > name.len() + 20, "{line}");
    }
}

#[test]
fn last_ack_lost_without_time_wait_ends_in_the_servers_reset() {
    let out = twlab(&["run", "last-ack-lost", "--no-time-wait"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let rst = text.lines().position(|l| l.contains("Flags [R]")).expect("a RST");
    let reset = text.lines().position(|l| l.contains("server app: connection reset")).expect("the server app sees it");
    assert!(rst < reset);
    assert_eq!(text.lines().last(), Some("outcome: the server saw a connection reset (connection 1)"));
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
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["params"]["msl"], "500ms");
    assert_eq!(trace["connections"][0]["client_port"], 5555);
}

#[test]
fn bad_input_exits_non_zero_with_one_line_on_stderr() {
    let dir = std::env::temp_dir().join(format!("twlab-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    std::fs::write(&file, r#"{"params": {"msl": "1h"}, "client": [], "server": [{"do": "listen", "port": 80}]}"#).unwrap();
    for args in [vec!["run", file.to_str().unwrap()], vec!["run", "no-such-preset"], vec!["run"], vec!["frobnicate"]] {
        let out = twlab(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("twlab: "), "{err}");
    }
    let err = String::from_utf8_lossy(&twlab(&["run", file.to_str().unwrap()]).stderr).into_owned();
    assert!(err.contains("params.msl: 1h is out of range (allowed 1ms to 10min)"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    // A value that does not parse is named by its place in the file too.
    for (json, want) in [
        (r#"{"client": [{"do": "send", "text": "x", "wait": "1y"}], "server": []}"#, r#"client[0].wait: "1y" is not a duration"#),
        (r#"{"client": [], "server": [{"do": "listen", "port": 99999}]}"#, "server[0]: invalid value: integer `99999`, expected u16"),
        (r#"{"client": [], "server": [], "overrides": [{"conn": 1, "from": "client", "nth": 1, "fate": "vanish"}]}"#, "overrides[0]"),
    ] {
        std::fs::write(&file, json).unwrap();
        let out = twlab(&["run", file.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}
