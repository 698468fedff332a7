//! Write stage: minifies HTML and writes the site into a temporary folder, swapped in only on success.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;

/// A file Cartilla puts in every output folder, so it never replaces a folder it did not write.
pub const MARKER_FILE: &str = ".cartilla-output";

/// Checks that `output` may be replaced: not the site's own sources, and written by Cartilla if it exists.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = absolute(root);
    let output_abs = absolute(output);
    let protected = [
        root.clone(),
        root.join("content"),
        root.join("themes"),
        root.join("src"),
    ];
    if protected
        .iter()
        .any(|p| *p == output_abs || p.starts_with(&output_abs))
    {
        return Err(Diagnostic::error(
            output,
            "refusing to write the site over the project's own files: choose another output folder",
        ));
    }
    if output.exists() {
        let is_empty = fs::read_dir(output)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !output.is_dir() || (!is_empty && !output.join(MARKER_FILE).exists()) {
            return Err(Diagnostic::error(
                output,
                "refusing to replace this folder: Cartilla did not write it (it has no .cartilla-output file)",
            ));
        }
    }
    Ok(())
}

/// Writes every file and the theme's assets into `output`, atomically replacing what was there.
///
/// Files go into a temporary folder beside `output`; only when all are written is
/// the old folder moved aside and the new one moved in. On any error the old
/// site is left as it was.
pub fn write_site(
    output: &Path,
    files: &[OutputFile],
    assets: &[(PathBuf, Vec<u8>)],
) -> Result<(), Diagnostic> {
    let error = |path: &Path, what: &str, e: std::io::Error| {
        Diagnostic::error(path, format!("{what}: {e}"))
    };
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| error(&parent, "cannot create the output's parent folder", e))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .tempdir_in(&parent)
        .map_err(|e| error(&parent, "cannot create a temporary folder", e))?;

    let assets: Vec<(PathBuf, &[u8])> = assets
        .iter()
        .map(|(path, bytes)| (Path::new("assets").join(path), bytes.as_slice()))
        .collect();
    let all: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|f| (f.path.as_path(), f.bytes.as_slice()))
        .chain(assets.iter().map(|(p, b)| (p.as_path(), *b)))
        .chain(std::iter::once((
            Path::new(MARKER_FILE),
            b"Written by cartilla build.\n".as_slice(),
        )))
        .collect();
    // Create each folder once (parents before children), then write files in parallel.
    let folders: std::collections::BTreeSet<&Path> = all
        .iter()
        .filter_map(|(path, _)| path.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    for folder in folders {
        let dir = staging.path().join(folder);
        match fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(_) => {
                fs::create_dir_all(&dir).map_err(|e| error(&dir, "cannot create folder", e))?
            }
        }
    }
    all.par_iter().try_for_each(|(path, bytes)| {
        let target = staging.path().join(path);
        fs::write(&target, bytes).map_err(|e| error(&target, "cannot write", e))
    })?;

    let staged = staging.keep();
    swap_in(&staged, output).inspect_err(|_| {
        let _ = fs::remove_dir_all(&staged);
    })
}

/// Moves `staged` to `output`, moving any old site aside first and deleting it after.
fn swap_in(staged: &Path, output: &Path) -> Result<(), Diagnostic> {
    let error = |what: &str, e: std::io::Error| Diagnostic::error(output, format!("{what}: {e}"));
    if output.exists() {
        let old = output.with_file_name(format!(
            ".{}.old-{}",
            output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        fs::rename(output, &old).map_err(|e| error("cannot move the previous site aside", e))?;
        if let Err(e) = fs::rename(staged, output) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&old, output);
            return Err(error("cannot move the new site in place", e));
        }
        fs::remove_dir_all(&old).map_err(|e| error("cannot remove the previous site", e))?;
    } else {
        fs::rename(staged, output).map_err(|e| error("cannot move the new site in place", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("en/index.html", "<p>one</p>")], &[]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("en/index.html")).unwrap(),
            "<p>one</p>"
        );
        check_output_dir(dir.path(), &out).unwrap();
        write_site(
            &out,
            &[file("es/index.html", "<p>two</p>")],
            &[("style.css".into(), b"a{}".to_vec())],
        )
        .unwrap();
        assert!(!out.join("en/index.html").exists());
        assert!(out.join("assets/style.css").exists());
        // No temporary folders are left behind.
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("public")]);
    }

    #[test]
    fn refuses_folders_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(check_output_dir(dir.path(), &out)
            .unwrap_err()
            .to_string()
            .contains("refusing to replace"));
        assert!(check_output_dir(dir.path(), dir.path()).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("content")).is_err());
    }
}
