//! The text listing reads like tcpdump's, with the lifecycle's lines and the outcome.

use twlab_core::{presets, simulate};
use twlab_formats::to_text;

#[test]
fn text_listing_reads_like_tcpdump() {
    let text = to_text(
        &simulate(
            &presets::by_name("last-ack-lost")
                .unwrap()
                .without_time_wait(),
        )
        .unwrap(),
    );
    assert!(
        text.contains("10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 0, mss 536, length 0"),
        "{text}"
    );
    assert!(
        text.contains("Flags [.], ack 8, length 0 ** LOST **"),
        "{text}"
    );
    assert!(
        text.contains("10.0.0.1.40000 > 10.0.0.2.80: Flags [R], seq 7, length 0"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("outcome: the server saw a connection reset (connection 1)"),
        "{text}"
    );
}
