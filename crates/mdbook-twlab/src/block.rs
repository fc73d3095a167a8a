//! A ```` ```twlab ```` block: a few `key = value` lines, read by hand (the block is tiny; a TOML
//! parser would be most of the binary), checked against twlab's own lists, and written as the
//! `<twlab-lab>` element (www/twlab.js).
//!
//! ```text
//! preset = "last-ack-lost"   # or: link = "v1/normal-close/drop=c6/end"
//! twin = true
//! lang = "zh-Hans"
//! controls = "full"
//! autoplay = true
//! ```

use std::fmt::Write;
use twlab_core::presets;
use twlab_formats::link;

/// The languages the page speaks: one module each in www/js/lang/ (a test checks the two agree).
pub const LANGS: &[&str] = &["en", "zh-Hans"];
/// The element's `controls` values (www/twlab.js).
pub const CONTROLS: &[&str] = &["minimal", "full"];
const KEYS: &[&str] = &["preset", "link", "twin", "lang", "controls", "autoplay"];

/// A block as the author wrote it, checked.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Lab {
    pub preset: Option<String>,
    pub link: Option<String>,
    pub twin: bool,
    pub lang: Option<String>,
    pub controls: Option<String>,
    pub autoplay: bool,
}

/// What is wrong with a block, at which of its lines (1 is the first line inside the fence).
#[derive(Debug, PartialEq, Eq)]
pub struct BlockError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> BlockError {
    BlockError {
        line,
        message: message.into(),
    }
}

enum Value {
    Text(String),
    Bool(bool),
}

fn value(text: &str, line: usize) -> Result<Value, BlockError> {
    match text {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        _ => {}
    }
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.contains('"') && !t.contains('\\'))
        .ok_or_else(|| {
            err(
                line,
                format!("{text} is not a value: write \"text\" in double quotes, or true or false"),
            )
        })?;
    Ok(Value::Text(inner.to_string()))
}

/// Strip a `#` comment that is not inside quotes.
fn without_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

fn one_of(key: &str, got: &str, allowed: &[&str], line: usize) -> Result<String, BlockError> {
    if allowed.contains(&got) {
        Ok(got.to_string())
    } else {
        Err(err(
            line,
            format!("{key} = {got:?} is not one of: {}", allowed.join(", ")),
        ))
    }
}

/// Read and check a block's text (what lies between its fences).
pub fn parse(text: &str) -> Result<Lab, BlockError> {
    let mut lab = Lab::default();
    let mut seen: Vec<&str> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let body = without_comment(raw).trim();
        if body.is_empty() {
            continue;
        }
        let (key, text) = body
            .split_once('=')
            .ok_or_else(|| err(line, format!("{body:?} is not `key = value`")))?;
        let (key, text) = (key.trim(), text.trim());
        let Some(&key) = KEYS.iter().find(|k| **k == key) else {
            return Err(err(
                line,
                format!("unknown key {key:?} (known: {})", KEYS.join(", ")),
            ));
        };
        if seen.contains(&key) {
            return Err(err(line, format!("{key} is set twice")));
        }
        seen.push(key);
        match (key, value(text, line)?) {
            ("twin", Value::Bool(b)) => lab.twin = b,
            ("autoplay", Value::Bool(b)) => lab.autoplay = b,
            ("twin" | "autoplay", Value::Text(_)) => {
                return Err(err(line, format!("{key} is true or false, without quotes")))
            }
            (_, Value::Bool(_)) => {
                return Err(err(line, format!("{key} takes text in double quotes")))
            }
            ("preset", Value::Text(name)) => {
                let names: Vec<String> = presets::all().into_iter().map(|s| s.name).collect();
                if !names.contains(&name) {
                    return Err(err(
                        line,
                        format!(
                            "there is no preset {name:?} (presets: {})",
                            names.join(", ")
                        ),
                    ));
                }
                lab.preset = Some(name);
            }
            ("link", Value::Text(text)) => {
                let text = text.strip_prefix('#').unwrap_or(&text).to_string();
                link::decode(&text).map_err(|e| err(line, format!("link: {e}")))?;
                lab.link = Some(text);
            }
            ("lang", Value::Text(tag)) => lab.lang = Some(one_of(key, &tag, LANGS, line)?),
            ("controls", Value::Text(c)) => lab.controls = Some(one_of(key, &c, CONTROLS, line)?),
            _ => unreachable!("every key in KEYS has an arm"),
        }
    }
    if lab.link.is_some() {
        // The element lets the link win; an author who wrote both most likely expects both.
        if let Some(other) = ["preset", "twin", "lang"].iter().find(|k| seen.contains(k)) {
            return Err(err(0, format!("link already says the scenario, the twin and the language: drop {other} (or put it in the link)")));
        }
    } else if lab.preset.is_none() {
        return Err(err(
            0,
            "name a preset (preset = \"last-ack-lost\") or a share link (link = \"v1/…/end\")",
        ));
    }
    Ok(lab)
}

/// Text safe in an HTML attribute value or element content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Lab {
    /// The `<twlab-lab>` element for this block.
    pub fn to_html(&self) -> String {
        let mut html = String::from("<twlab-lab");
        let mut attr = |name: &str, value: &Option<String>| {
            if let Some(v) = value {
                let _ = write!(html, " {name}=\"{}\"", escape(v));
            }
        };
        attr("preset", &self.preset);
        attr("link", &self.link);
        attr("lang", &self.lang);
        attr("controls", &self.controls);
        if self.twin {
            html.push_str(" twin");
        }
        if self.autoplay {
            html.push_str(" autoplay");
        }
        // The closing tag on a line of its own: then the opening tag alone starts an HTML block,
        // rather than inline HTML in a paragraph.
        html.push_str(">\n</twlab-lab>");
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(text: &str) -> BlockError {
        parse(text).expect_err(text)
    }

    #[test]
    fn reads_every_key_with_comments_and_blank_lines() {
        let lab = parse("# the lost last ACK\npreset = \"last-ack-lost\"\n\ntwin = true  # beside it\nlang = \"zh-Hans\"\ncontrols = \"full\"\nautoplay = false\n").unwrap();
        assert_eq!(
            lab,
            Lab {
                preset: Some("last-ack-lost".into()),
                twin: true,
                lang: Some("zh-Hans".into()),
                controls: Some("full".into()),
                ..Lab::default()
            }
        );
        assert_eq!(
            lab.to_html(),
            r#"<twlab-lab preset="last-ack-lost" lang="zh-Hans" controls="full" twin>
</twlab-lab>"#
        );
    }

    #[test]
    fn every_preset_of_the_core_is_accepted() {
        for s in presets::all() {
            assert_eq!(
                parse(&format!("preset = \"{}\"", s.name)).unwrap().preset,
                Some(s.name)
            );
        }
    }

    #[test]
    fn a_link_is_checked_by_the_core_codec_and_written_without_its_hash() {
        let lab = parse("link = \"#v1/normal-close/drop=c6/end\"\nautoplay = true").unwrap();
        assert_eq!(
            lab.to_html(),
            r#"<twlab-lab link="v1/normal-close/drop=c6/end" autoplay>
</twlab-lab>"#
        );
        let e = fails("link = \"v1/normal-close/drop=c6\"");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("cut off"), "{}", e.message);
        assert!(fails("link = \"v1/no-such-preset/end\"")
            .message
            .contains("no scenario called \"no-such-preset\""));
    }

    #[test]
    fn bad_blocks_name_the_line_and_what_is_allowed() {
        let e = fails("preset = \"last-ack-lost\"\ncolour = \"red\"");
        assert_eq!(e.line, 2);
        assert!(
            e.message
                .starts_with("unknown key \"colour\" (known: preset, link"),
            "{}",
            e.message
        );
        let e = fails("preset = \"last-ack-lots\"");
        assert_eq!(e.line, 1);
        assert!(
            e.message.contains(
                "there is no preset \"last-ack-lots\" (presets: normal-close, last-ack-lost,"
            ),
            "{}",
            e.message
        );
        assert_eq!(
            fails("preset = \"normal-close\"\nlang = \"fr\"").message,
            "lang = \"fr\" is not one of: en, zh-Hans"
        );
        assert_eq!(
            fails("preset = \"normal-close\"\ncontrols = \"all\"").message,
            "controls = \"all\" is not one of: minimal, full"
        );
        assert_eq!(
            fails("preset = \"normal-close\"\ntwin = \"yes\"").message,
            "twin is true or false, without quotes"
        );
        assert_eq!(
            fails("preset = true").message,
            "preset takes text in double quotes"
        );
        assert!(fails("preset = last-ack-lost")
            .message
            .contains("is not a value"));
        assert!(fails("preset \"last-ack-lost\"")
            .message
            .contains("is not `key = value`"));
        let e = fails("preset = \"normal-close\"\ntwin = true\npreset = \"last-ack-lost\"");
        assert_eq!((e.line, e.message.as_str()), (3, "preset is set twice"));
    }

    #[test]
    fn a_block_names_one_scenario() {
        assert_eq!(fails("").line, 0);
        assert!(fails("twin = true").message.starts_with("name a preset"));
        let e = fails("link = \"v1/normal-close/end\"\npreset = \"normal-close\"");
        assert_eq!(e.line, 0);
        assert!(e.message.contains("drop preset"), "{}", e.message);
    }

    #[test]
    fn attribute_text_is_escaped() {
        assert_eq!(escape(r#"a"b<c>&'"#), "a&quot;b&lt;c&gt;&amp;&#39;");
    }

    #[test]
    fn the_languages_are_the_pages() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/js/lang");
        let mut page: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".js")
                    .to_string()
            })
            .collect();
        page.sort();
        let mut ours: Vec<String> = LANGS.iter().map(|s| s.to_string()).collect();
        ours.sort();
        assert_eq!(ours, page);
    }
}
