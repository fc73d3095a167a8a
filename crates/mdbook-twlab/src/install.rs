//! `mdbook-twlab install [DIR] --assets SITE`: wire the preprocessor into a book's book.toml, as
//! `mdbook-mermaid install` does, and copy the twlab site into the book. book.toml is edited as
//! text (a section appended), so the author's formatting and comments stay as they were.

use crate::assets;
use crate::chapter::ASSET_DIR;
use std::fs;
use std::path::Path;

const SECTION: &str = "[preprocessor.twlab]";

/// The book's source folder as book.toml's `[book]` table sets it (`src`), or mdBook's default.
pub fn book_src(toml: &str) -> String {
    let mut table = "";
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            table = line;
        } else if table == "[book]" {
            if let Some(value) = line
                .strip_prefix("src")
                .map(str::trim_start)
                .and_then(|l| l.strip_prefix('='))
            {
                let value = value.trim();
                if let Some(v) = value.strip_prefix('"').and_then(|v| v.split('"').next()) {
                    return v.to_string();
                }
            }
        }
    }
    "src".into()
}

/// book.toml with the preprocessor's section, or `None` when it already has one.
pub fn with_section(toml: &str, assets: &str) -> Option<String> {
    if toml.lines().any(|l| l.trim() == SECTION) {
        return None;
    }
    let mut out = toml.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    let assets = assets.replace('\\', "/");
    out.push_str(&format!(
        "\n{SECTION}\ncommand = \"mdbook-twlab\"\n# The built twlab site, copied into the book on every build.\nassets = \"{assets}\"\n"
    ));
    Some(out)
}

/// Run the install; the lines to print, or what went wrong.
pub fn install(dir: &Path, site: &Path) -> Result<Vec<String>, String> {
    let toml_path = dir.join("book.toml");
    let toml = fs::read_to_string(&toml_path).map_err(|e| {
        format!(
            "{}: {e} (is {} a book?)",
            toml_path.display(),
            dir.display()
        )
    })?;
    assets::check_site(site)?;
    let site_rel = assets::relative(dir, site).map_err(|e| format!("{}: {e}", site.display()))?;
    let mut said = Vec::new();
    match with_section(&toml, &site_rel.to_string_lossy()) {
        Some(new) => {
            fs::write(&toml_path, new).map_err(|e| format!("{}: {e}", toml_path.display()))?;
            said.push(format!(
                "added {SECTION} to {} (assets = {:?})",
                toml_path.display(),
                site_rel
            ));
        }
        None => said.push(format!(
            "{} already has {SECTION}: left as it is",
            toml_path.display()
        )),
    }
    let dest = dir.join(book_src(&toml)).join(ASSET_DIR);
    let copied = assets::sync(site, &dest)?;
    said.push(format!(
        "copied the twlab site into {} ({copied} files changed)",
        dest.display()
    ));
    Ok(said)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_source_folder_from_the_book_table_only() {
        assert_eq!(
            book_src("[book]\ntitle = \"T\"\nsrc = \"pages\" # here\n"),
            "pages"
        );
        assert_eq!(
            book_src("[book]\ntitle = \"T\"\n[output.html]\nsrc = \"no\"\n"),
            "src"
        );
        assert_eq!(book_src(""), "src");
    }

    #[test]
    fn appends_the_section_once() {
        let toml = "[book]\ntitle = \"T\"";
        let new = with_section(toml, "..\\dist").unwrap();
        assert_eq!(
            new,
            "[book]\ntitle = \"T\"\n\n[preprocessor.twlab]\ncommand = \"mdbook-twlab\"\n# The built twlab site, copied into the book on every build.\nassets = \"../dist\"\n"
        );
        assert_eq!(with_section(&new, "elsewhere"), None);
    }

    #[test]
    fn installs_into_a_book_and_copies_only_what_changed() {
        let tmp = std::env::temp_dir().join(format!("mdbook-twlab-test-{}", std::process::id()));
        let (book, site) = (tmp.join("book"), tmp.join("site"));
        fs::create_dir_all(book.join("pages")).unwrap();
        fs::create_dir_all(site.join("css")).unwrap();
        fs::write(book.join("book.toml"), "[book]\nsrc = \"pages\"\n").unwrap();
        assert!(install(&book, &site)
            .unwrap_err()
            .contains("is not a built twlab site"));
        fs::write(site.join("twlab.js"), "export {}").unwrap();
        fs::write(site.join("css/lab.css"), "a{}").unwrap();
        let said = install(&book, &site).unwrap();
        assert!(said[0].contains("assets = \"../site\""), "{said:?}");
        assert!(said[1].ends_with("(2 files changed)"), "{said:?}");
        assert_eq!(
            fs::read_to_string(book.join("pages/twlab/css/lab.css")).unwrap(),
            "a{}"
        );
        let said = install(&book, &site).unwrap();
        assert!(said[0].contains("already has"), "{said:?}");
        assert!(said[1].ends_with("(0 files changed)"), "{said:?}");
        assert!(install(&tmp.join("nobook"), &site)
            .unwrap_err()
            .contains("book.toml"));
        fs::remove_dir_all(&tmp).unwrap();
    }
}
