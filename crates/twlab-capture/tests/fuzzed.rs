//! Inputs the capture fuzzer (fuzz/fuzz_targets/capture.rs) found, each reduced to what it showed.

use twlab_capture::import;
use twlab_formats::to_pcap;

fn file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/captures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The offsets of a little-endian pcapng file's Enhanced Packet Blocks (type 6).
fn packet_blocks(bytes: &[u8]) -> Vec<usize> {
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let mut at = 0;
    let mut blocks = Vec::new();
    while at < bytes.len() {
        if word(at) == 6 {
            blocks.push(at);
        }
        at += word(at + 4) as usize;
    }
    blocks
}

#[test]
fn a_packet_centuries_after_the_first_is_still_exported() {
    // A garbled pcapng timestamp (64 bits) put one packet ~470 years after the others; pcap's 32-bit
    // seconds cannot say that, and the export used to leave the packet out.
    let mut bytes = file("request-reply.pcapng");
    let last = *packet_blocks(&bytes).last().unwrap();
    bytes[last + 12..last + 16].copy_from_slice(&0x0d00_0000u32.to_le_bytes());
    let drawn = import("late", &bytes).unwrap();
    assert!(drawn.segments.last().unwrap().sent.0 > u64::from(u32::MAX) * 1_000_000);
    let again = import("late", &to_pcap(&drawn)).unwrap();
    assert_eq!(again.segments.len(), drawn.segments.len());
    // The others keep their times.
    let n = drawn.segments.len() - 1;
    let times = |t: &twlab_core::Trace| t.segments[..n].iter().map(|s| s.sent).collect::<Vec<_>>();
    assert_eq!(times(&again), times(&drawn));
}
