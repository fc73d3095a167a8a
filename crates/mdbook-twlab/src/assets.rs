//! The twlab site (scripts/build-web.sh's dist/, or any copy of it) as the book's asset folder,
//! `<book src>/twlab/`, from where mdBook copies it into the built book with the other static files.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why the site could not be copied, worded for the author.
pub fn check_site(site: &Path) -> Result<(), String> {
    if site.join("twlab.js").is_file() {
        Ok(())
    } else {
        Err(format!(
            "{} is not a built twlab site (it has no twlab.js): build one with scripts/build-web.sh and point at its dist/",
            site.display()
        ))
    }
}

/// Copy `site` into `dest`, writing only files that differ (so `mdbook serve` does not see a change
/// and rebuild for ever). The folder gets a `.gitignore` of `*`: it is build output.
pub fn sync(site: &Path, dest: &Path) -> Result<usize, String> {
    check_site(site)?;
    let copied = copy_tree(site, dest)
        .map_err(|e| format!("copying {} to {}: {e}", site.display(), dest.display()))?;
    write_if_changed(
        &dest.join(".gitignore"),
        b"# The twlab site, copied here by mdbook-twlab on every build.\n*\n",
    )
    .map_err(|e| format!("{}: {e}", dest.display()))?;
    Ok(copied)
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    fs::write(path, bytes)?;
    Ok(true)
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<usize> {
    fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else if write_if_changed(&target, &fs::read(entry.path())?)? {
            copied += 1;
        }
    }
    Ok(copied)
}

/// `to` as a path relative to the folder `from` (both made absolute first), for book.toml.
pub fn relative(from: &Path, to: &Path) -> io::Result<PathBuf> {
    let (from, to) = (fs::canonicalize(from)?, fs::canonicalize(to)?);
    let (a, b): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel: PathBuf = a[common..].iter().map(|_| Component::ParentDir).collect();
    rel.extend(&b[common..]);
    Ok(if rel.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        rel
    })
}
