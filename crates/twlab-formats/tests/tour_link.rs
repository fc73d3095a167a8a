//! Tour links: `v1/tour/end`, `v1/tour/3/lang=zh-Hans/end`, written and read back, and the damaged ones
//! refused with the same kinds of error as any link.

use twlab_formats::link::{decode, decode_tour, encode_tour, LinkError, TourLink, MAX_CHAPTER};

fn tour(chapter: u32, lang: Option<&str>) -> TourLink {
    TourLink {
        chapter,
        lang: lang.map(String::from),
    }
}

#[test]
fn tour_links_round_trip() {
    assert_eq!(encode_tour(&tour(1, None)), "v1/tour/end");
    assert_eq!(
        encode_tour(&tour(3, Some("zh-Hans"))),
        "v1/tour/3/lang=zh-Hans/end"
    );
    for t in [
        tour(1, None),
        tour(2, Some("en")),
        tour(MAX_CHAPTER, Some("zh-Hans")),
    ] {
        assert_eq!(decode_tour(&encode_tour(&t)), Some(Ok(t.clone())));
        assert_eq!(decode_tour(&format!("#{}", encode_tour(&t))), Some(Ok(t)));
    }
    assert_eq!(decode_tour("v1/tour/1/end"), Some(Ok(tour(1, None))));
    assert_eq!(
        decode_tour("v1/tour/lang=zh-Hans/end"),
        Some(Ok(tour(1, Some("zh-Hans"))))
    );
}

#[test]
fn other_links_are_not_tour_links() {
    for text in [
        "v1/last-ack-lost/end",
        "v1/tourist/end",
        "last-ack-lost",
        "v2/tour/end",
        "",
    ] {
        assert_eq!(decode_tour(text), None, "{text}");
    }
    // And the scenario codec does not take `tour` for a preset.
    assert!(matches!(
        decode("v1/tour/end"),
        Err(LinkError::UnknownPreset { .. })
    ));
}

#[test]
fn damaged_tour_links_say_what_is_wrong() {
    assert_eq!(decode_tour("v1/tour"), Some(Err(LinkError::Truncated)));
    assert_eq!(decode_tour("v1/tour/3"), Some(Err(LinkError::Truncated)));
    let kind = |text: &str| match decode_tour(text) {
        Some(Err(e)) => e.kind(),
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(kind("v1/tour/0/end"), "malformed");
    assert_eq!(kind("v1/tour/x/end"), "malformed");
    assert_eq!(kind("v1/tour/2/3/end"), "malformed");
    assert_eq!(kind("v1/tour/lang=zh-Hans/2/end"), "malformed");
    assert_eq!(kind("v1/tour/lang=a/lang=b/end"), "malformed");
    assert_eq!(kind("v1/tour/twin/end"), "malformed");
    assert_eq!(
        kind(&format!("v1/tour/{}/end", MAX_CHAPTER + 1)),
        "out_of_range"
    );
    assert_eq!(kind("v1/tour/99999999999999999999999/end"), "out_of_range");
}
