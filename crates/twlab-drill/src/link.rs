//! A script in a share link, like a custom scenario in [`twlab_formats::link`]:
//!
//! ```text
//! v1/drill/<script>/name=half-close.pkt/lang=zh-Hans/step=12/end
//! ```
//!
//! `<script>` is the script's text compressed with DEFLATE (RFC 1951) and written in base64url
//! (RFC 4648 §5) without padding; `name` (letters, digits, `.`, `_`, `-`), `lang` and `step` are
//! optional, and the closing `end` tells a cut-off link from a complete one. A link is at most
//! [`MAX_LEN`] long, as every twlab link: a script whose link would be longer has none. DEFLATE and
//! base64 together take a script's text to about 0.6 of its size: the scripts in tests/drill make links
//! of 0.4 to 1.1 KB, packetdrill's own TCP scripts (162) of 0.3 to 2.1 KB, and all 18 of ours
//! concatenated (18.5 KB) 5.6 KB. Decoding never panics and inflates at most [`MAX_SCRIPT`] bytes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use twlab_formats::link::{malformed as garbled, LinkError, MAX_LEN, MAX_STEP, VERSION};

/// The longest script text a link may unpack to.
pub const MAX_SCRIPT: usize = 256 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptLink {
    pub name: String,
    pub text: String,
    pub lang: Option<String>,
    pub step: Option<u32>,
}

/// The link's fragment (without `#`), or `None` if it would be longer than [`MAX_LEN`]. A name is
/// kept to the characters a link carries as they are (others become `-`).
pub fn encode(link: &ScriptLink) -> Option<String> {
    let packed = miniz_oxide::deflate::compress_to_vec(link.text.as_bytes(), 10);
    let mut out = format!("v{VERSION}/drill/{}", URL_SAFE_NO_PAD.encode(packed));
    let name: String = link
        .name
        .chars()
        .take(100)
        .map(|c| if name_char(c) { c } else { '-' })
        .collect();
    if !name.is_empty() {
        out.push_str(&format!("/name={name}"));
    }
    if let Some(lang) = &link.lang {
        out.push_str(&format!("/lang={lang}"));
    }
    if let Some(step) = link.step {
        out.push_str(&format!("/step={step}"));
    }
    out.push_str("/end");
    (out.len() <= MAX_LEN).then_some(out)
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// `None` if `fragment` is no script link (the page then reads it as a scenario's); else the script
/// and the reader's language and step, or what is wrong with the link.
pub fn decode(fragment: &str) -> Option<Result<ScriptLink, LinkError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let rest = fragment.strip_prefix(&format!("v{VERSION}/drill/"))?;
    Some(decode_parts(fragment, rest))
}

fn decode_parts(fragment: &str, rest: &str) -> Result<ScriptLink, LinkError> {
    if fragment.len() > MAX_LEN {
        return Err(LinkError::TooLong {
            length: fragment.len(),
            max: MAX_LEN,
        });
    }
    let parts: Vec<&str> = rest.split('/').collect();
    if parts.len() < 2 || parts[parts.len() - 1] != "end" {
        return Err(LinkError::Truncated);
    }
    let data = parts[0];
    let packed = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| garbled(data, "the script is not base64url"))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_SCRIPT)
        .map_err(|_| garbled(data, "the script does not unpack (DEFLATE, at most 256 KB)"))?;
    let text = String::from_utf8(bytes).map_err(|_| garbled(data, "the script is not UTF-8"))?;
    let mut link = ScriptLink {
        name: String::new(),
        text,
        lang: None,
        step: None,
    };
    for &setting in &parts[1..parts.len() - 1] {
        match setting.split_once('=') {
            Some(("name", v)) if v.len() <= 100 && v.chars().all(name_char) => link.name = v.into(),
            Some(("lang", v))
                if (1..=16).contains(&v.len())
                    && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
            {
                link.lang = Some(v.into())
            }
            Some(("step", v)) => {
                link.step = Some(
                    v.parse()
                        .ok()
                        .filter(|s| *s <= MAX_STEP)
                        .ok_or_else(|| garbled(setting, "step must be 0 to 1000000"))?,
                )
            }
            _ => return Err(garbled(setting, "not a setting of a script's link")),
        }
    }
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str) -> ScriptLink {
        ScriptLink {
            name: "a b/ü.pkt".into(),
            text: text.into(),
            lang: Some("zh-Hans".into()),
            step: Some(12),
        }
    }

    #[test]
    fn a_script_travels_and_comes_back() {
        let l = link("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 // ü\n");
        let s = encode(&l).unwrap();
        assert!(
            s.starts_with("v1/drill/") && s.ends_with("/name=a-b--.pkt/lang=zh-Hans/step=12/end"),
            "{s}"
        );
        let back = decode(&s).unwrap().unwrap();
        assert_eq!(
            (back.text, back.name, back.step),
            (l.text, "a-b--.pkt".to_string(), Some(12))
        );
        assert_eq!(decode("v1/last-ack-lost/end"), None);
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        let s = encode(&link("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n")).unwrap();
        let kind = |t: &str| decode(t).unwrap().unwrap_err().kind();
        assert_eq!(kind(&s[..s.len() - 4]), "truncated");
        assert_eq!(kind(&s.replacen("/drill/", "/drill/A", 1)), "malformed");
        assert_eq!(kind("v1/drill/!!/end"), "malformed");
        assert_eq!(kind(&s.replace("step=12", "step=x")), "malformed");
        assert_eq!(kind(&s.replace("/end", "/twin/end")), "malformed");
        assert_eq!(
            kind(&format!("v1/drill/{}/end", "A".repeat(MAX_LEN))),
            "too_long"
        );
        // A bomb: 1 MB of zeros packs into a short link, and is refused past MAX_SCRIPT.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 1 << 20], 10);
        assert!(bomb.len() < 2000);
        let t = format!("v1/drill/{}/end", URL_SAFE_NO_PAD.encode(bomb));
        assert_eq!(kind(&t), "malformed");
        // Not UTF-8.
        let t = format!(
            "v1/drill/{}/end",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 10))
        );
        assert_eq!(kind(&t), "malformed");
    }

    #[test]
    fn what_fits_in_a_link() {
        // Every script of ours fits, each under 1.2 KB.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/drill");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pkt") {
                let text = std::fs::read_to_string(&path).unwrap();
                let s = encode(&link(&text)).unwrap();
                assert!(s.len() < 1200, "{path:?}: {}", s.len());
                assert_eq!(decode(&s).unwrap().unwrap().text, text);
            }
        }
        // A script too big for a link has none.
        let mut big = String::new();
        let mut x: u32 = 1;
        while big.len() < 60_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            big.push_str(&format!("+0.{x} < . {x}:{x}(0) ack {x} win {x}\n"));
        }
        assert_eq!(encode(&link(&big)), None);
    }
}
