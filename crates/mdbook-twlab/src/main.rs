//! mdbook-twlab: an mdBook preprocessor that turns ```` ```twlab ```` blocks into twlab's lab.
//!
//!   mdbook-twlab install [DIR] --assets SITE   wire it into DIR/book.toml, copy SITE into the book
//!   mdbook-twlab supports RENDERER             mdBook asks: only `html` (exit 0)
//!   mdbook-twlab                               mdBook runs it: [context, book] JSON in, book out
//!
//! A bad block is reported on stderr with its chapter and line, and shown in the page as an error
//! box; the build goes on.

mod assets;
mod block;
mod book;
mod chapter;
mod install;

use serde_json::Value;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: mdbook-twlab install [DIR] --assets SITE
       mdbook-twlab supports RENDERER
       mdbook-twlab            (as an mdBook preprocessor: [context, book] JSON on stdin)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None => run(),
        Some("supports") => {
            return if args.get(1).map(String::as_str) == Some("html") {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Some("install") => install_command(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mdbook-twlab: {message}");
            ExitCode::FAILURE
        }
    }
}

fn install_command(args: &[String]) -> Result<(), String> {
    let mut dir = None;
    let mut site = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--assets" => {
                site = Some(
                    rest.next()
                        .ok_or("--assets needs the twlab site's folder")?,
                )
            }
            a if a.starts_with('-') => return Err(format!("unknown option {a:?}\n{USAGE}")),
            a if dir.is_none() => dir = Some(a),
            a => return Err(format!("unexpected {a:?}\n{USAGE}")),
        }
    }
    let site = site.ok_or("install needs --assets SITE: the built twlab site (scripts/build-web.sh's dist/, with twlab.js)")?;
    for line in install::install(Path::new(dir.unwrap_or(".")), Path::new(site))? {
        println!("mdbook-twlab: {line}");
    }
    Ok(())
}

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(value, |v, key| v.get(key))?.as_str()
}

/// The preprocessor: copy the site into the book if book.toml names one, rewrite the chapters.
fn run() -> Result<(), String> {
    let mut input = String::new();
    io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("reading stdin: {e}"))?;
    let parsed: Value =
        serde_json::from_str(&input).map_err(|e| format!("mdBook's input is not JSON: {e}"))?;
    let Value::Array(mut pair) = parsed else {
        return Err("mdBook's input is not [context, book]".into());
    };
    if pair.len() != 2 {
        return Err("mdBook's input is not [context, book]".into());
    }
    let mut book = pair.pop().unwrap_or_default();
    let ctx = &pair[0];
    let root = PathBuf::from(text(ctx, &["root"]).unwrap_or("."));
    let dest = root
        .join(text(ctx, &["config", "book", "src"]).unwrap_or("src"))
        .join(chapter::ASSET_DIR);
    if let Some(site) = text(ctx, &["config", "preprocessor", "twlab", "assets"]) {
        assets::sync(&root.join(site), &dest)
            .map_err(|e| format!("[preprocessor.twlab] assets: {e}"))?;
    }

    let report = book::preprocess(&mut book);
    for d in &report.diagnostics {
        eprintln!("mdbook-twlab: error: {d} (shown in the page as an error box)");
    }
    if !dest.join("twlab.js").is_file() && report.labs > 0 {
        return Err(format!(
            "the book has twlab blocks but no twlab site in {}: set assets = \"…\" under [preprocessor.twlab] (mdbook-twlab install does)",
            dest.display()
        ));
    }
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &book).map_err(|e| format!("writing the book: {e}"))?;
    out.flush().map_err(|e| format!("writing the book: {e}"))
}
