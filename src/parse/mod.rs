//! Parse stage: turns each content file into an [`Entry`]: id, language, typed front matter and body.

pub mod body;
pub mod front_matter;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Source, CONTENT_DIR};

pub use body::{Body, Reference};
pub use front_matter::Matter;

/// The name of the file that describes a document or section folder.
pub const INDEX_NAME: &str = "_index";

/// One content file, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Stable id shared by all translations: `co-gtm-2/para-13`, `co-gtm-2`, `about`.
    pub id: String,
    /// The id of the enclosing section or document, if any.
    pub parent: Option<String>,
    /// The document folder this entry belongs to (its own id for top-level pages).
    pub document: String,
    pub lang: String,
    /// The source file, relative to the site root.
    pub file: PathBuf,
    pub matter: Matter,
    pub body: Body,
    /// The file's text, for diagnostics in later stages.
    #[serde(skip)]
    pub text: Arc<str>,
}

/// Every parsed content file; the value the link stage works on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Corpus {
    /// Sorted by file path.
    pub entries: Vec<Entry>,
}

/// Parses every content file in parallel; all problems are returned together.
pub fn parse(content: &[Source], config: &SiteConfig) -> Result<Corpus, Diagnostics> {
    let results: Vec<Result<Entry, Vec<Diagnostic>>> = content
        .par_iter()
        .map(|source| parse_file(source, config))
        .collect();
    let mut entries = Vec::with_capacity(results.len());
    let mut problems = Diagnostics::default();
    for result in results {
        match result {
            Ok(entry) => entries.push(entry),
            Err(errors) => problems.extend(errors),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(Corpus { entries })
    }
}

/// Parses one file.
pub fn parse_file(source: &Source, config: &SiteConfig) -> Result<Entry, Vec<Diagnostic>> {
    let path = &source.path;
    let text = &source.text;
    let placement = place(path, config).map_err(|d| vec![d])?;
    let (yaml_range, body_start) = split_front_matter(path, text).map_err(|d| vec![d])?;
    let matter = front_matter::parse_matter(path, text, yaml_range.start, &text[yaml_range])
        .map_err(|d| vec![d])?;
    check_kind_fits_place(path, text, &matter, placement.is_index)?;
    let body = body::parse_body(
        path,
        text,
        body_start,
        matter.has_numbered_paragraphs(),
        matter.implicit_paragraph(),
    )?;
    Ok(Entry {
        id: placement.id,
        parent: placement.parent,
        document: placement.document,
        lang: placement.lang,
        file: path.clone(),
        matter,
        body,
        text: Arc::clone(text),
    })
}

/// Where a file sits: its id, parent, document and language, from its path.
struct Placement {
    id: String,
    parent: Option<String>,
    document: String,
    lang: String,
    is_index: bool,
}

/// Reads id, parent and language from a path like `content/doc/section/name.en.md`.
fn place(path: &Path, config: &SiteConfig) -> Result<Placement, Diagnostic> {
    let relative = path.strip_prefix(CONTENT_DIR).unwrap_or(path);
    let mut folders: Vec<String> = Vec::new();
    let components: Vec<_> = relative.components().collect();
    for component in &components[..components.len().saturating_sub(1)] {
        let folder = component.as_os_str().to_string_lossy().into_owned();
        if !is_valid_name(&folder) {
            return Err(Diagnostic::error(
                path,
                format!("folder name `{folder}` may only use lowercase letters, digits and `-`"),
            ));
        }
        folders.push(folder);
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file_name.strip_suffix(".md").unwrap_or(&file_name);
    let Some((name, lang)) = stem.rsplit_once('.') else {
        return Err(Diagnostic::error(
            path,
            format!(
                "the file name has no language: name it `{stem}.{}.md`",
                config.default_language
            ),
        ));
    };
    if config.language(lang).is_none() {
        let declared: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(Diagnostic::error(
            path,
            format!(
                "language `{lang}` is not declared in site.toml (declared: {})",
                declared.join(", ")
            ),
        ));
    }
    let is_index = name == INDEX_NAME;
    if !is_index && !is_valid_name(name) {
        return Err(Diagnostic::error(
            path,
            format!("file name `{name}` may only use lowercase letters, digits and `-`"),
        ));
    }
    let placement = |id: String, parent: Option<String>, document: String| Placement {
        id,
        parent,
        document,
        lang: lang.to_owned(),
        is_index,
    };
    Ok(match (folders.as_slice(), is_index) {
        ([], true) => {
            return Err(Diagnostic::error(
                path,
                "an _index file belongs in a document folder, not directly in content/",
            ))
        }
        ([], false) => placement(name.to_owned(), None, name.to_owned()),
        ([document], true) => placement(document.clone(), None, document.clone()),
        ([document, .., section], true) => {
            let parent = match &folders[..folders.len() - 1] {
                [_] => document.clone(),
                [.., outer] => format!("{document}/{outer}"),
                [] => document.clone(),
            };
            placement(
                format!("{document}/{section}"),
                Some(parent),
                document.clone(),
            )
        }
        ([document], false) => placement(
            format!("{document}/{name}"),
            Some(document.clone()),
            document.clone(),
        ),
        ([document, .., section], false) => placement(
            format!("{document}/{name}"),
            Some(format!("{document}/{section}")),
            document.clone(),
        ),
    })
}

fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Documents and sections are `_index` files, and `_index` files are documents or sections.
fn check_kind_fits_place(
    path: &Path,
    text: &Arc<str>,
    matter: &Matter,
    is_index: bool,
) -> Result<(), Vec<Diagnostic>> {
    let is_container = matches!(matter, Matter::Document(_) | Matter::Section(_));
    let message = match (is_index, is_container) {
        (true, false) => format!(
            "an _index file describes a document or section, but its kind is `{}`",
            matter.kind()
        ),
        (false, true) => format!(
            "kind `{}` belongs in an `_index.<lang>.md` file",
            matter.kind()
        ),
        _ => return Ok(()),
    };
    let at = text.find("kind:").unwrap_or(0);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    Err(vec![Diagnostic::error(path, message).at(text, at..end)])
}

/// Finds the YAML between the opening and closing `---`; returns its range and where the body starts.
fn split_front_matter(
    path: &Path,
    text: &Arc<str>,
) -> Result<(std::ops::Range<usize>, usize), Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            path,
            "the file is empty: it needs a front matter block starting with `---`",
        ));
    }
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[text_start..]
        .find('\n')
        .map_or(text.len(), |n| text_start + n + 1);
    if text[text_start..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            path,
            "the file must start with a front matter block: a line `---`, YAML, and a closing `---`",
        )
        .at(text, text_start..first_line_end.saturating_sub(1).max(text_start))
        .with_label("expected `---`"));
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((first_line_end..offset, offset + line.len()));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        "the front matter is never closed: add a line `---` after it",
    )
    .at(
        text,
        text_start..first_line_end.saturating_sub(1).max(text_start),
    )
    .with_label("front matter opened here"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;

    fn config() -> SiteConfig {
        let language = |code: &str| Language {
            code: code.into(),
            name: code.into(),
            title: code.into(),
            description: String::new(),
        };
        SiteConfig {
            default_language: "es".into(),
            languages: vec![language("es"), language("en")],
            output_dir: "public".into(),
            theme: "default".into(),
            base_url: None,
        }
    }

    fn placed(path: &str) -> Result<(String, Option<String>, String, String), String> {
        place(Path::new(path), &config())
            .map(|p| (p.id, p.parent, p.document, p.lang))
            .map_err(|d| d.to_string())
    }

    #[test]
    fn ids_come_from_document_and_name() {
        assert_eq!(
            placed("content/co/c/c1/para-13.en.md").unwrap(),
            (
                "co/para-13".into(),
                Some("co/c1".into()),
                "co".into(),
                "en".into()
            )
        );
        assert_eq!(
            placed("content/co/c/c1/_index.es.md").unwrap(),
            (
                "co/c1".into(),
                Some("co/c".into()),
                "co".into(),
                "es".into()
            )
        );
        assert_eq!(
            placed("content/co/c/_index.es.md").unwrap(),
            ("co/c".into(), Some("co".into()), "co".into(), "es".into())
        );
        assert_eq!(placed("content/co/_index.es.md").unwrap().0, "co");
        assert_eq!(placed("content/about.es.md").unwrap().0, "about");
    }

    #[test]
    fn bad_names_are_errors() {
        assert!(placed("content/co/para-13.md")
            .unwrap_err()
            .contains("has no language"));
        assert!(placed("content/co/para-13.de.md")
            .unwrap_err()
            .contains("language `de` is not declared"));
        assert!(placed("content/co/Para 13.en.md")
            .unwrap_err()
            .contains("lowercase"));
    }

    #[test]
    fn empty_and_unclosed_front_matter_are_errors() {
        let text: Arc<str> = Arc::from("");
        assert!(split_front_matter(Path::new("a"), &text)
            .unwrap_err()
            .to_string()
            .contains("empty"));
        let text: Arc<str> = Arc::from("---\nkind: page\n");
        let e = split_front_matter(Path::new("a"), &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a:1:1: error: the front matter is never closed"),
            "{e}"
        );
        let text: Arc<str> = Arc::from("kind: page\n");
        assert!(split_front_matter(Path::new("a"), &text)
            .unwrap_err()
            .to_string()
            .starts_with("a:1:1:"));
    }

    #[test]
    fn a_file_parses_into_an_entry() {
        let source = Source {
            path: "content/co/para-2.en.md".into(),
            text: Arc::from("---\nkind: co-paragraph\nnumber: 2\ntype: introduction\n---\nThe Committee welcomes.\n"),
        };
        let entry = parse_file(&source, &config()).unwrap();
        assert_eq!(entry.id, "co/para-2");
        assert_eq!(entry.body.anchors, ["para-2"]);
        assert!(entry.body.html.contains("The Committee welcomes."));
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Random and truncated inputs give errors or entries, never a panic.
    #[test]
    fn arbitrary_input_never_panics() {
        let config = tests_config();
        let seeds = [
            "---\nkind: article\nnumber: 3\nsubject: x\n---\n1. a\n(a) b\n(i) c\n(ii) d\n2.\n(a) e\n",
            "---\nkind: co-paragraph\nnumber: 13\ntype: concern\n---\n(a) x [y](@a/b#c) ```\n(b) z\n",
            "---\nkind: document\ntitle: T\n---\n# H {#h}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n[^1]\n\n[^1]: n\n",
        ];
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for seed in seeds {
            for cut in 0..=seed.len() {
                if !seed.is_char_boundary(cut) {
                    continue;
                }
                let mut text = seed[..cut].to_owned();
                // Splice in a few random characters from a troublesome alphabet.
                let alphabet: Vec<char> = "-:\n ()[]{}#@*`|\\\"'é1a.\u{feff}".chars().collect();
                for _ in 0..(next() % 4) {
                    let at = next() % (text.len() + 1);
                    if text.is_char_boundary(at) {
                        text.insert(at, alphabet[next() % alphabet.len()]);
                    }
                }
                let source = Source {
                    path: "content/doc/x.en.md".into(),
                    text: Arc::from(text),
                };
                let _ = parse_file(&source, &config);
            }
        }
    }

    fn tests_config() -> SiteConfig {
        let language = |code: &str| crate::config::Language {
            code: code.into(),
            name: code.into(),
            title: code.into(),
            description: String::new(),
        };
        SiteConfig {
            default_language: "en".into(),
            languages: vec![language("en")],
            output_dir: "public".into(),
            theme: "default".into(),
            base_url: None,
        }
    }
}
