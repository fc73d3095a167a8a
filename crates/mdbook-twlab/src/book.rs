//! The preprocessor's side of mdBook's protocol: `[context, book]` as JSON on stdin, the book back
//! on stdout. Both are handled as plain JSON values and only chapters' `content` is rewritten, so
//! whatever else mdBook puts there (0.4's `sections`, 0.5's `items`) goes back as it came.

use crate::chapter;
use serde_json::Value;

/// A bad block, named as an author finds it.
#[derive(Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub chapter: String,
    pub path: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "chapter {:?} ({}), line {}: {}",
            self.chapter, self.path, self.line, self.message
        )
    }
}

/// The relative path from a chapter's page to the book's root: one `../` per folder in its path.
fn path_to_root(path: &str) -> String {
    "../".repeat(
        path.split(['/', '\\'])
            .filter(|p| !p.is_empty())
            .count()
            .saturating_sub(1),
    )
}

/// What the preprocessor did to a book.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub labs: usize,
    pub diagnostics: Vec<Diagnostic>,
}

fn visit(items: &mut [Value], report: &mut Report) {
    for item in items {
        let Some(ch) = item.get_mut("Chapter").and_then(Value::as_object_mut) else {
            continue;
        };
        // A draft chapter (no path) is not rendered.
        if let (Some(path), Some(content)) = (
            ch.get("path").and_then(Value::as_str).map(str::to_owned),
            ch.get("content").and_then(Value::as_str),
        ) {
            let done = chapter::transform(content, &path_to_root(&path));
            let name = ch
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            report.labs += done.labs;
            report
                .diagnostics
                .extend(done.problems.into_iter().map(|p| Diagnostic {
                    chapter: name.clone(),
                    path: path.clone(),
                    line: p.line,
                    message: p.message,
                }));
            ch.insert("content".into(), Value::String(done.markdown));
        }
        if let Some(Value::Array(sub)) = ch.get_mut("sub_items") {
            visit(sub, report);
        }
    }
}

/// Rewrite every chapter of `book` (mdBook's book JSON).
pub fn preprocess(book: &mut Value) -> Report {
    let mut report = Report::default();
    for key in ["items", "sections"] {
        if let Some(Value::Array(items)) = book.get_mut(key) {
            visit(items, &mut report);
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chapter(name: &str, path: Option<&str>, content: &str, sub: Vec<Value>) -> Value {
        json!({ "Chapter": { "name": name, "content": content, "number": [1], "sub_items": sub,
                             "path": path, "source_path": path, "parent_names": [] } })
    }

    #[test]
    fn rewrites_nested_chapters_of_an_mdbook_0_5_book_and_keeps_everything_else() {
        let block = "```twlab\npreset = \"last-ack-lost\"\n```\n";
        let mut book = json!({ "items": [
            chapter("Intro", Some("intro.md"), block, vec![
                chapter("Deep", Some("part/deep/page.md"), block, vec![]),
                chapter("Draft", None, block, vec![]),
            ]),
            "Separator",
            { "PartTitle": "Part" },
            chapter("Bad", Some("part/bad.md"), "x\n\n```twlab\nlang = \"de\"\n```\n", vec![]),
        ]});
        let before = book.clone();
        let report = preprocess(&mut book);
        assert_eq!(report.labs, 2);
        assert_eq!(
            report.diagnostics,
            vec![Diagnostic {
                chapter: "Bad".into(),
                path: "part/bad.md".into(),
                line: 4,
                message: "lang = \"de\" is not one of: en, zh-Hans".into()
            }]
        );
        assert_eq!(
            report.diagnostics[0].to_string(),
            "chapter \"Bad\" (part/bad.md), line 4: lang = \"de\" is not one of: en, zh-Hans"
        );
        let content = |v: &Value| v["Chapter"]["content"].as_str().unwrap().to_string();
        assert!(content(&book["items"][0]).contains(": \"\") + \"twlab/twlab.js\""));
        assert!(content(&book["items"][0]["Chapter"]["sub_items"][0])
            .contains(": \"../../\") + \"twlab/twlab.js\""));
        // The draft is not rendered, so it is left alone; so is every field but content.
        assert_eq!(
            book["items"][0]["Chapter"]["sub_items"][1],
            before["items"][0]["Chapter"]["sub_items"][1]
        );
        assert_eq!(
            (&book["items"][1], &book["items"][2]),
            (&before["items"][1], &before["items"][2])
        );
        assert_eq!(book["items"][0]["Chapter"]["number"], json!([1]));
    }

    #[test]
    fn an_mdbook_0_4_book_is_read_too() {
        let mut book = json!({ "sections": [chapter("A", Some("a.md"), "```twlab\npreset = \"normal-close\"\n```\n", vec![])], "__non_exhaustive": null });
        assert_eq!(preprocess(&mut book).labs, 1);
        assert!(book["__non_exhaustive"].is_null() && book.get("__non_exhaustive").is_some());
    }
}
