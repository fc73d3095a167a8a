//! Where two runs first part (`twlab_core::compare`), against concrete presets: the page's fork view
//! marks exactly this event in both diagrams.

use twlab_core::compare::{first_difference, DifferenceKind};
use twlab_core::endpoint::Timer;
use twlab_core::presets;
use twlab_core::scenario::{Fate, Override, SegmentId};
use twlab_core::sim::{simulate_within, Budget};
use twlab_core::trace::{EventKind, Trace};
use twlab_core::{simulate, Duration, Scenario, Side, State};

fn preset(name: &str) -> Scenario {
    presets::by_name(name).expect("a preset")
}

fn run(s: &Scenario) -> Trace {
    simulate(s).expect("runs")
}

/// The index of the event that sends `id`.
fn send_of(trace: &Trace, id: SegmentId) -> u32 {
    trace
        .events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Send { segment } if trace.segments[segment as usize].id == id))
        .expect("the segment is sent") as u32
}

#[test]
fn a_run_does_not_differ_from_itself() {
    for s in presets::all() {
        assert_eq!(first_difference(&run(&s), &run(&s)), None, "{}", s.name);
    }
}

#[test]
fn last_ack_lost_forked_by_giving_the_ack_back_parts_at_that_ack() {
    let before = preset("last-ack-lost");
    let lost = before.overrides[0].segment;
    let mut after = before.clone();
    after.overrides.clear();
    let (tb, ta) = (run(&before), run(&after));
    let d = first_difference(&tb, &ta).expect("they differ");
    assert_eq!(d.kind, DifferenceKind::Fate);
    assert_eq!(d.segment, Some(lost));
    // The client's last ACK (RFC 9293 §3.6, the fourth segment of the close) is where they part:
    // everything before it is the same run, in the same order.
    assert_eq!(d.before, Some(send_of(&tb, lost)));
    assert_eq!(d.after, Some(send_of(&ta, lost)));
    assert_eq!(d.side, Side::Client);
    assert_eq!(
        tb.events[..d.before.unwrap() as usize],
        ta.events[..d.after.unwrap() as usize]
    );
    let seg = &tb.segments[lost.nth as usize - 1];
    assert!(
        seg.flags.ack && !seg.flags.fin && !seg.flags.syn,
        "the lost segment is the last ACK"
    );
}

#[test]
fn delaying_instead_of_losing_is_a_fate_difference_too() {
    let before = preset("last-ack-lost");
    let mut after = before.clone();
    after.overrides[0].fate = Fate::Delay(Duration::from_millis(300));
    let d = first_difference(&run(&before), &run(&after)).expect("they differ");
    assert_eq!(
        (d.kind, d.segment),
        (DifferenceKind::Fate, Some(before.overrides[0].segment))
    );
}

#[test]
fn losing_a_later_segment_leaves_everything_before_it_the_same() {
    // normal-close with the server's FIN lost: the runs part at that FIN and not before.
    let before = preset("normal-close");
    let tb = run(&before);
    let fin = tb
        .segments
        .iter()
        .find(|s| s.id.from == Side::Server && s.flags.fin)
        .expect("the server closes")
        .id;
    let mut after = before.clone();
    after.overrides.push(Override {
        segment: fin,
        fate: Fate::Drop,
    });
    let d = first_difference(&tb, &run(&after)).expect("they differ");
    assert_eq!(
        (d.kind, d.segment, d.side),
        (DifferenceKind::Fate, Some(fin), Side::Server)
    );
    assert_eq!(d.before, Some(send_of(&tb, fin)));
}

#[test]
fn a_fate_for_a_segment_never_sent_changes_nothing() {
    let before = preset("normal-close");
    let mut after = before.clone();
    let never = SegmentId {
        conn: 1,
        from: Side::Client,
        nth: 999,
    };
    after.overrides.push(Override {
        segment: never,
        fate: Fate::Drop,
    });
    assert_eq!(first_difference(&run(&before), &run(&after)), None);
}

#[test]
fn the_twin_parts_where_time_wait_is_skipped() {
    // With TIME-WAIT the client arms its 2×MSL timer on entering it (RFC 9293 §3.10.7.4); without,
    // it goes on to CLOSED at that instant. The kind is the first run's event: a timer.
    let s = preset("normal-close");
    let (tb, ta) = (run(&s), run(&s.without_time_wait()));
    let d = first_difference(&tb, &ta).expect("they differ");
    assert_eq!(
        (d.kind, d.side, d.segment),
        (DifferenceKind::Timer, Side::Client, None)
    );
    let (eb, ea) = (
        &tb.events[d.before.unwrap() as usize],
        &ta.events[d.after.unwrap() as usize],
    );
    assert!(
        matches!(&eb.kind, EventKind::TimerArmed(t) if t.timer == Timer::TimeWait),
        "{eb:?}"
    );
    assert!(
        matches!(&ea.kind, EventKind::State(c) if c.from == State::TimeWait && c.to == State::Closed),
        "{ea:?}"
    );
}

#[test]
fn a_run_cut_short_ends_where_the_other_goes_on() {
    let s = preset("last-ack-lost");
    let whole = run(&s);
    let budget = Budget {
        events: 10,
        ..Budget::default()
    };
    let cut = simulate_within(&s, budget).expect("runs");
    let n = cut.events.len() as u32;
    assert!(n < whole.events.len() as u32);
    let d = first_difference(&cut, &whole).expect("they differ");
    assert_eq!(
        (d.kind, d.before, d.after),
        (DifferenceKind::End, None, Some(n))
    );
    let d = first_difference(&whole, &cut).expect("they differ");
    assert_eq!(
        (d.kind, d.before, d.after),
        (DifferenceKind::End, Some(n), None)
    );
}
