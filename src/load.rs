//! Load stage: reads `site.toml`, `content/` and the theme from disk into plain data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::diagnostics::{line_column, Diagnostic, Diagnostics};

/// The folder holding the Markdown content, relative to the site root.
pub const CONTENT_DIR: &str = "content";
/// The folder holding themes, relative to the site root.
pub const THEMES_DIR: &str = "themes";

/// One text file read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, e.g. `content/mirps/_index.en.md`.
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// A theme: templates, UI strings and static assets, all in memory.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub name: String,
    /// Tera templates by name (`base.html`, `item.html`…).
    pub templates: Vec<Source>,
    /// `i18n/<lang>.toml` files by language code.
    pub strings: BTreeMap<String, Source>,
    /// Files under `static/`, copied to the output as they are (path relative to `static/`).
    pub assets: Vec<(PathBuf, Vec<u8>)>,
}

/// Everything a build reads, before any parsing of content.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub config_source: Source,
    /// Every `.md` file under `content/`, sorted by path.
    pub content: Vec<Source>,
    pub theme: Theme,
}

/// Reads everything a build needs from `root`.
///
/// A content file that cannot be read is left out and reported in the returned
/// diagnostics, so later stages can report their problems alongside; a missing
/// `site.toml`, content folder or theme stops the build at once.
pub fn load(root: &Path) -> Result<(Inputs, Diagnostics), Diagnostics> {
    let mut problems = Diagnostics::default();

    let config_source = read_text(root, Path::new(CONFIG_FILE)).map_err(Diagnostics::from)?;
    let config = SiteConfig::parse(&config_source.path, &config_source.text)
        .map_err(Diagnostics::from_iter)?;

    let content_dir = root.join(CONTENT_DIR);
    let mut content = Vec::new();
    let mut unreadable = Diagnostics::default();
    if !content_dir.is_dir() {
        problems.push(Diagnostic::error(
            CONTENT_DIR,
            "the content folder is missing: create `content/` with one folder per document",
        ));
    }
    let paths: Vec<PathBuf> = walk_files(root, &content_dir, &mut problems)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let read: Vec<Result<Source, Diagnostic>> =
        paths.par_iter().map(|path| read_text(root, path)).collect();
    for result in read {
        match result {
            Ok(source) => content.push(source),
            Err(d) => unreadable.push(d),
        }
    }

    let theme = load_theme(root, &config.theme, &mut problems);
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((
        Inputs {
            root: root.to_path_buf(),
            config,
            config_source,
            content,
            theme,
        },
        unreadable,
    ))
}

fn load_theme(root: &Path, name: &str, problems: &mut Diagnostics) -> Theme {
    let theme_dir = Path::new(THEMES_DIR).join(name);
    let mut theme = Theme {
        name: name.to_owned(),
        ..Theme::default()
    };
    if !root.join(&theme_dir).is_dir() {
        problems.push(Diagnostic::error(
            CONFIG_FILE,
            format!(
                "theme `{name}` not found: expected the folder {}",
                theme_dir.display()
            ),
        ));
        return theme;
    }
    let templates_dir = root.join(&theme_dir).join("templates");
    for path in walk_files(root, &templates_dir, problems) {
        match read_text(root, &path) {
            Ok(source) => theme.templates.push(source),
            Err(d) => problems.push(d),
        }
    }
    let i18n_dir = root.join(&theme_dir).join("i18n");
    for path in walk_files(root, &i18n_dir, problems) {
        let lang = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned);
        match (lang, path.extension().is_some_and(|e| e == "toml")) {
            (Some(lang), true) => match read_text(root, &path) {
                Ok(source) => {
                    theme.strings.insert(lang, source);
                }
                Err(d) => problems.push(d),
            },
            _ => continue,
        }
    }
    let static_dir = root.join(&theme_dir).join("static");
    for path in walk_files(root, &static_dir, problems) {
        let full = root.join(&path);
        match std::fs::read(&full) {
            Ok(bytes) => {
                let relative = full
                    .strip_prefix(&static_dir)
                    .unwrap_or(&path)
                    .to_path_buf();
                theme.assets.push((relative, bytes));
            }
            Err(e) => problems.push(Diagnostic::error(&path, format!("cannot read: {e}"))),
        }
    }
    theme
}

/// Files under `dir`, as paths relative to `root`, sorted; hidden and editor temp files skipped.
fn walk_files(root: &Path, dir: &Path, problems: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry.path();
                files.push(path.strip_prefix(root).unwrap_or(path).to_path_buf());
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                problems.push(Diagnostic::error(
                    path.strip_prefix(root).unwrap_or(&path),
                    format!("cannot read: {e}"),
                ));
            }
        }
    }
    files
}

/// Hidden files and the temp files editors leave beside the ones they save.
fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Reads one UTF-8 text file; `path` is relative to `root`.
pub fn read_text(root: &Path, path: &Path) -> Result<Source, Diagnostic> {
    let bytes = std::fs::read(root.join(path))
        .map_err(|e| Diagnostic::error(path, format!("cannot read: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source {
            path: path.to_path_buf(),
            text: Arc::from(text),
        }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()));
            let (line, column) =
                line_column(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
            Err(Diagnostic::error(
                path,
                format!("the file is not valid UTF-8 (byte {valid}); save it as UTF-8"),
            )
            .at_line(&lossy, line, column)
            .with_label("invalid byte here"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            b"---\nkind: page\ntitle: caf\xe9\n",
        )
        .unwrap();
        let error = read_text(dir.path(), Path::new("a.md")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("a.md:3:11: error: the file is not valid UTF-8"),
            "{error}"
        );
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        assert!(is_ignored(std::ffi::OsStr::new(".para-1.en.md.swp")));
        assert!(is_ignored(std::ffi::OsStr::new("para-1.en.md~")));
        assert!(!is_ignored(std::ffi::OsStr::new("para-1.en.md")));
    }
}
