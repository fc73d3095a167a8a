//! What the page reads beside a script's trace: the script's comments placed on the events their lines
//! led to, and the mismatch as data (the line, what the script expected, what the stack did, the
//! segment where they part).

use std::path::PathBuf;
use twlab_core::trace::EventKind;
use twlab_core::Side;
use twlab_drill::run;

fn script(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/drill");
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn comments_narrate_the_events_of_their_lines() {
    let r = run(&script("old-duplicate.pkt"), "old-duplicate.pkt").unwrap();
    assert_eq!(r.script.stack, Side::Server);
    assert!(r
        .script
        .description
        .starts_with("An old duplicate (twlab's old-duplicate preset"));
    assert!(r.script.description.ends_with("(RFC 9293 §3.4.2)."));
    let at = |line: u32| {
        let c = r.script.comments.iter().find(|c| c.line == line).unwrap();
        (c.text.as_str(), &r.trace.events[c.event])
    };
    // A `>` line: the event that sent the segment it matched, the server's second SYN,ACK.
    let (text, e) = at(26);
    assert_eq!(
        text,
        "our new ISN: Linux's ISN clock has ticked 290 ms / 64 ns"
    );
    let EventKind::Send { segment } = e.kind else {
        panic!("{e:?}")
    };
    let seg = r.trace.segment(segment);
    assert_eq!(
        (seg.id.from, seg.id.conn, seg.flags.to_string().as_str()),
        (Side::Server, 2, "S.")
    );
    // A `<` line: the peer's segment it injected, the old copy of "GET /".
    let (_, e) = at(30);
    let EventKind::Send { segment } = e.kind else {
        panic!("{e:?}")
    };
    let seg = r.trace.segment(segment);
    assert_eq!((seg.id.from, &*seg.payload), (Side::Client, &b"....."[..]));
    assert_eq!(seg.id.conn, 2);
    // A syscall: its call.
    let (text, e) = at(32);
    assert_eq!(text, "and the application reads stale bytes");
    assert!(
        matches!(&e.kind, EventKind::Call(c) if c.call == "read"),
        "{e:?}"
    );
    // The JSON has them beside the trace.
    let json = serde_json::to_value(r.annotated()).unwrap();
    assert_eq!(json["script"]["comments"][5]["line"], 26);
    assert_eq!(json["script"]["stack"], "server");
    assert!(json["mismatch"].is_null());
    assert_eq!(
        json["segments"],
        serde_json::to_value(&r.trace).unwrap()["segments"]
    );
}

#[test]
fn a_comment_on_a_line_of_its_own_narrates_the_next_line_that_acts() {
    let text = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n// the next line makes it non-blocking\n\n+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n+0 > S 0:0(0) <...>\n/* the end */";
    let r = run(text, "x.pkt").unwrap();
    assert_eq!(r.script.description, "");
    let events = &r.trace.events;
    let c = &r.script.comments[0];
    assert_eq!(
        (c.line, c.text.as_str()),
        (2, "the next line makes it non-blocking")
    );
    assert!(matches!(&events[c.event].kind, EventKind::Call(call) if call.call == "fcntl"));
    // After the last line: the last event.
    let c = &r.script.comments[1];
    assert_eq!(
        (c.line, c.text.as_str(), c.event),
        (7, "the end", events.len() - 1)
    );
}

#[test]
fn a_mismatch_names_the_segment_where_script_and_stack_part() {
    let text = script("last-ack-lost-active.pkt");
    let line = text
        .lines()
        .find(|l| l.contains("TIME-WAIT ACKs it again"))
        .unwrap();
    let r = run(&text.replacen(line, "   +0 > . 7:7(0) ack 9", 1), "x.pkt").unwrap();
    let m = r.mismatch.as_ref().unwrap();
    assert_eq!(m.line, 25);
    assert_eq!(m.expected.as_deref(), Some(". 7:7(0) ack 9"));
    assert_eq!(m.actual.as_deref(), Some(". 7:7(0) ack 8 win 65535"));
    let seg = r.trace.segment(m.segment.unwrap());
    assert_eq!((seg.id.from, seg.rel_ack), (Side::Client, 8));
    let e = &r.trace.events[m.event.unwrap()];
    assert_eq!(
        e.kind,
        EventKind::Send {
            segment: m.segment.unwrap()
        }
    );
    let json = serde_json::to_value(r.annotated()).unwrap();
    assert_eq!(json["mismatch"]["expected"], ". 7:7(0) ack 9");
    assert_eq!(json["mismatch"]["line"], 25);
}

#[test]
fn a_wrong_result_is_a_mismatch_at_the_last_event() {
    let text = script("half-close.pkt");
    let line = text.lines().find(|l| l.contains("EPIPE")).unwrap();
    let r = run(
        &text.replacen(line, "   +0 write(3, ..., 5) = 5", 1),
        "x.pkt",
    )
    .unwrap();
    let m = r.mismatch.as_ref().unwrap();
    assert_eq!(m.expected.as_deref(), Some("write = 5"));
    assert_eq!(m.actual.as_deref(), Some("write = -1 EPIPE"));
    assert_eq!((m.segment, m.event), (None, Some(r.trace.events.len() - 1)));
    // Nothing sent at all: no segment, still its line.
    let text = script("close-in-syn-sent.pkt");
    let line = text.lines().find(|l| l.contains("+1 < S.")).unwrap();
    let r = run(&text.replacen(line, "   +1 > F. 1:1(0)", 1), "x.pkt").unwrap();
    let m = r.mismatch.as_ref().unwrap();
    assert_eq!(
        (
            m.line,
            m.expected.as_deref(),
            m.actual.as_deref(),
            m.segment
        ),
        (9, Some("F. 1:1(0)"), None, None)
    );
}
