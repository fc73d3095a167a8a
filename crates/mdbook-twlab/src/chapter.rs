//! One chapter's Markdown: every ```` ```twlab ```` block becomes the element, the first one preceded
//! by the script that defines it; a bad block becomes a visible error box. Other fenced blocks,
//! including ones that show a twlab block as an example, are left as they are.

use crate::block::{self, escape};

/// The folder, inside the book's source and output, that holds the twlab site (its `twlab.js`).
pub const ASSET_DIR: &str = "twlab";

/// A bad block: where it is in the chapter (1-based line) and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

struct Fence<'a> {
    marker: char,
    width: usize,
    info: &'a str,
}

/// A fence line (CommonMark: up to three spaces, then three or more backticks or tildes).
fn fence(line: &str) -> Option<Fence<'_>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let width = rest.len() - rest.trim_start_matches(marker).len();
    let info = rest[width..].trim();
    (width >= 3 && !(marker == '`' && info.contains('`'))).then_some(Fence {
        marker,
        width,
        info,
    })
}

fn closes(line: &str, open: &Fence) -> bool {
    fence(line)
        .is_some_and(|f| f.marker == open.marker && f.width >= open.width && f.info.is_empty())
}

/// A chapter with its twlab blocks replaced.
#[derive(Debug, PartialEq, Eq)]
pub struct Rewritten {
    pub markdown: String,
    /// How many labs it now has.
    pub labs: usize,
    pub problems: Vec<Problem>,
}

/// Replace the chapter's twlab blocks. `root` is the relative path from the chapter's page to the
/// book's root (`""`, `"../"`, …).
pub fn transform(markdown: &str, root: &str) -> Rewritten {
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len());
    let mut problems = Vec::new();
    let mut labs = 0;
    let mut i = 0;
    while i < lines.len() {
        let Some(open) = fence(lines[i].trim_end_matches(['\n', '\r'])) else {
            out.push_str(lines[i]);
            i += 1;
            continue;
        };
        let end = (i + 1..lines.len())
            .find(|&j| closes(lines[j].trim_end_matches(['\n', '\r']), &open))
            .unwrap_or(lines.len());
        let is_twlab = open.info.split_whitespace().next() == Some("twlab");
        if !is_twlab {
            // Copy the whole block, so that a fence-like line inside it is not read as one.
            for line in &lines[i..(end + 1).min(lines.len())] {
                out.push_str(line);
            }
            i = end + 1;
            continue;
        }
        let body: String = lines[i + 1..end].concat();
        // Raw HTML blocks need blank lines around them to stay out of a paragraph.
        out.push('\n');
        match block::parse(&body) {
            Ok(lab) => {
                if labs == 0 {
                    out.push_str(&script(root));
                }
                labs += 1;
                out.push_str(&lab.to_html());
            }
            Err(e) => {
                // Line 0 means the block as a whole: point at its opening fence.
                let line = i + 1 + e.line;
                out.push_str(&error_box(line, &e.message, &body));
                problems.push(Problem {
                    line,
                    message: e.message,
                });
            }
        }
        out.push_str("\n\n");
        i = end + 1;
    }
    Rewritten {
        markdown: out,
        labs,
        problems,
    }
}

/// The script that defines the element, relative to the book's root. mdBook's own `path_to_root`
/// comes first: the chapter is also rendered into print.html, at the root, where `root` is wrong.
fn script(root: &str) -> String {
    format!(
        "<script type=\"module\">import(new URL((typeof path_to_root == \"string\" ? path_to_root : \"{root}\") + \"{ASSET_DIR}/twlab.js\", document.baseURI));</script>\n\n"
    )
}

/// What the reader sees instead of a bad block: the problem and the block, as text.
fn error_box(line: usize, message: &str, body: &str) -> String {
    format!(
        "<div class=\"twlab-error\" role=\"note\" style=\"border:2px solid #c62828;border-radius:4px;padding:0.5em 1em;margin:1em 0\">\
<p><strong>twlab block, line {line}:</strong> {}</p><pre>{}</pre></div>",
        escape(message),
        // One line: a blank line would end the raw HTML block and spill the rest as Markdown.
        escape(body.trim_end()).replace('\r', "").replace('\n', "&#10;")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_elements_with_one_script_relative_to_the_root() {
        let md = "# Close\n\nText.\n\n```twlab\npreset = \"last-ack-lost\"\n```\n\nMore.\n\n~~~~ twlab\npreset = \"old-duplicate\"\ntwin = true\n~~~~\n";
        let done = transform(md, "../");
        assert_eq!(done.labs, 2);
        assert!(done.problems.is_empty());
        assert_eq!(
            done.markdown,
            "# Close\n\nText.\n\n\n<script type=\"module\">import(new URL((typeof path_to_root == \"string\" ? path_to_root : \"../\") + \"twlab/twlab.js\", document.baseURI));</script>\n\n\
<twlab-lab preset=\"last-ack-lost\">\n</twlab-lab>\n\n\nMore.\n\n\n<twlab-lab preset=\"old-duplicate\" twin>\n</twlab-lab>\n\n"
        );
    }

    #[test]
    fn other_fences_and_examples_inside_them_are_left_alone() {
        let md =
            "````markdown\n```twlab\npreset = \"nope\"\n```\n````\n\n```rust\nlet x = 1;\n```\n";
        let done = transform(md, "");
        assert_eq!(done.markdown, md);
        assert_eq!(done.labs, 0);
        // An unclosed fence runs to the end of the chapter, as in CommonMark.
        let open = "```sh\n```twlab\npreset = \"x\"\n";
        assert_eq!(transform(open, "").markdown, open);
    }

    #[test]
    fn a_bad_block_is_an_error_box_at_its_line_and_the_rest_still_works() {
        let md = "Intro\r\n\r\n```twlab\r\npreset = \"last-ack-lost\"\r\nsize = \"big\"\r\n\r\ntwin = true\r\n```\r\n\r\n```twlab\r\npreset = \"normal-close\"\r\n```\r\n";
        let done = transform(md, "");
        assert_eq!(done.labs, 1);
        assert_eq!(done.problems.len(), 1);
        assert_eq!(done.problems[0].line, 5);
        assert!(done.problems[0].message.starts_with("unknown key \"size\""));
        let error = done
            .markdown
            .lines()
            .find(|l| l.contains("twlab-error"))
            .expect("an error box");
        assert!(
            error.contains("twlab block, line 5:</strong> unknown key &quot;size&quot;"),
            "{error}"
        );
        // The block is shown as text on one line (a blank line would end the HTML block).
        assert!(error.contains("<pre>preset = &quot;last-ack-lost&quot;&#10;size = &quot;big&quot;&#10;&#10;twin = true</pre>"), "{error}");
        // The script comes with the first good block.
        assert!(
            done.markdown.find("<script").unwrap() > done.markdown.find("twlab-error").unwrap()
        );
        // A block missing its scenario points at its opening fence.
        assert_eq!(transform("a\n```twlab\n```\n", "").problems[0].line, 2);
    }

    #[test]
    fn hostile_text_in_a_bad_block_stays_text() {
        let done = transform("```twlab\n<img src=x onerror=alert(1)>\n```\n", "");
        assert!(!done.markdown.contains("<img"), "{}", done.markdown);
        assert!(done.markdown.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }
}
