//! The Mermaid export: every flight of every segment is one message, in the order sent, and the
//! arrow says what became of it.

use twlab_core::network::FlightEnd;
use twlab_core::{presets, simulate, Trace};
use twlab_formats::to_mermaid;

/// The message lines (`C->>S: …`) of a diagram.
fn messages(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("C-") || l.starts_with("S-"))
        .collect()
}

fn flights(t: &Trace) -> impl Iterator<Item = (&twlab_core::trace::SegmentRecord, FlightEnd)> {
    t.events
        .iter()
        .filter_map(|e| match e.kind {
            twlab_core::trace::EventKind::Send { segment } => Some(t.segment(segment)),
            _ => None,
        })
        .flat_map(|s| s.flights.iter().map(move |f| (s, f.end)))
}

fn check(t: &Trace) {
    let text = to_mermaid(t);
    assert!(
        text.starts_with("sequenceDiagram\n    participant C as client 10.0.0.1"),
        "{text}"
    );
    assert!(
        text.contains("\n    participant S as server 10.0.0.2"),
        "{text}"
    );
    let lines = messages(&text);
    let expected: Vec<_> = flights(t).collect();
    assert_eq!(
        lines.len(),
        expected.len(),
        "{}: one message per flight\n{text}",
        t.name
    );
    for (line, (s, end)) in lines.iter().zip(&expected) {
        let from = if s.id.from == twlab_core::Side::Client {
            "C"
        } else {
            "S"
        };
        assert!(
            line.starts_with(from),
            "{}: {line} is not from {from}",
            t.name
        );
        // `-x` is a loss and only a loss: an expired flight has its own arrow.
        assert_eq!(
            line.contains("-x"),
            *end == FlightEnd::Dropped,
            "{}: {line}",
            t.name
        );
        assert_eq!(
            line.contains("--)"),
            *end == FlightEnd::Expired,
            "{}: {line}",
            t.name
        );
    }
    // Nothing but the header, participants, messages and notes.
    for line in text.lines().skip(3) {
        let line = line.trim();
        assert!(
            line.starts_with("C-") || line.starts_with("S-") || line.starts_with("Note over "),
            "{}: unexpected line {line:?}",
            t.name
        );
    }
}

#[test]
fn one_message_per_flight_for_every_preset_and_its_twin() {
    for p in presets::all() {
        check(&simulate(&p).unwrap());
        check(&simulate(&p.without_time_wait()).unwrap());
    }
}

#[test]
fn lost_segments_are_crosses_in_a_bulk_transfer() {
    let t = simulate(&presets::bulk(200, 50, 7)).unwrap();
    let dropped = flights(&t)
        .filter(|(_, e)| *e == FlightEnd::Dropped)
        .count();
    assert!(dropped > 0);
    check(&t);
    assert_eq!(to_mermaid(&t).matches("-x").count(), dropped);
}

#[test]
fn the_default_preset_reads_like_the_textbook_diagram() {
    let text = to_mermaid(&simulate(&presets::normal_close()).unwrap());
    let lines = messages(&text);
    assert_eq!(lines.first(), Some(&"C->>S: SYN seq 0"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("S->>C: SYN, ACK seq 0 ack 1")),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.contains("len 5 “GET /”")), "{text}");
    // The active closer's TIME-WAIT and its 2×MSL timer (lab profile: MSL 1 s).
    assert!(text.contains("Note over C: TIME-WAIT\n"), "{text}");
    assert!(
        text.contains("Note over C: TIME-WAIT timer started: 2s\n"),
        "{text}"
    );
    assert!(text.ends_with("Note over C: CLOSED\n"), "{text}");
}

#[test]
fn scenario_text_cannot_break_out_of_its_label() {
    let mut s = presets::normal_close();
    // Within the 24 bytes of payload a label shows.
    let evil = "a;b\n%%{init}%%<i>\"#";
    s.client[1].action = twlab_core::scenario::Action::Send { text: evil.into() };
    let text = to_mermaid(&simulate(&s).unwrap());
    let line = messages(&text)
        .into_iter()
        .find(|l| l.contains("len "))
        .unwrap();
    assert!(
        line.ends_with("len 19 “a#59;b #37;#37;#123;init#125;#37;#37;#60;i#62;#34;#35;”"),
        "{line}"
    );
    assert!(!text.contains("%%") && !text.contains('<'), "{text}");
}
