//! Compiler-style diagnostics: every problem names its file, line and column.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// The build goes on, but something should be fixed.
    Warning,
}

/// One problem in one input file.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub message: String,
    pub notes: Vec<String>,
    /// The offending code, when the position is known.
    #[serde(skip)]
    snippet: Option<Box<Snippet>>,
}

/// The text a diagnostic points into, and where.
#[derive(Debug, Clone)]
struct Snippet {
    text: Arc<str>,
    range: Range<usize>,
    /// Short text shown under the offending code.
    label: String,
}

impl Diagnostic {
    /// An error about a whole file (no position known).
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            notes: Vec::new(),
            snippet: None,
        }
    }

    /// A warning about a whole file.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    /// Points the diagnostic at a byte range of the file's text.
    pub fn at(mut self, text: &Arc<str>, range: Range<usize>) -> Self {
        let start = clamp_to_char_boundary(text, range.start);
        let end = clamp_to_char_boundary(text, range.end.max(start));
        let (line, column) = line_column(text, start);
        self.line = line;
        self.column = column;
        let label = self.snippet.take().map(|s| s.label).unwrap_or_default();
        self.snippet = Some(Box::new(Snippet {
            text: Arc::clone(text),
            range: start..end,
            label,
        }));
        self
    }

    /// Points the diagnostic at a 1-based line and column of the file's text.
    pub fn at_line(self, text: &Arc<str>, line: usize, column: usize) -> Self {
        let offset = offset_of(text, line, column);
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |n| offset + n)
            .max(offset);
        self.at(text, offset..end)
    }

    /// Sets the short label shown under the offending code.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        if let Some(snippet) = &mut self.snippet {
            snippet.label = label.into();
        }
        self
    }

    /// Adds a note (shown after the snippet).
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: error: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {severity}: {}", self.message)
    }
}

/// Every problem found by one run, reported together.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts by file and position so reports read top to bottom.
    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }

    /// Renders every diagnostic with its source snippet, like a compiler.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let config = term::Config::default();
        for diagnostic in &self.0 {
            let mut files = SimpleFiles::new();
            let name = diagnostic.file.display().to_string();
            let mut report = match diagnostic.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&diagnostic.message)
            .with_notes(diagnostic.notes.clone());
            match &diagnostic.snippet {
                Some(snippet) => {
                    let id = files.add(name, Arc::clone(&snippet.text));
                    report =
                        report
                            .with_labels(vec![Label::primary(id, snippet.range.clone())
                                .with_message(&snippet.label)]);
                }
                None => {
                    report = report.with_notes(vec![format!("in {name}")]);
                    files.add(name, Arc::from(""));
                }
            }
            if term::emit_to_string(&mut out, &config, &files, &report).is_err() {
                // The snippet could not be drawn: fall back to the one-line form.
                out.push_str(&diagnostic.to_string());
                out.push('\n');
            }
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = clamp_to_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Byte offset of a 1-based line and column (in characters); clamps to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(n) => start += n + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    let within = line_text[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| i);
    start + within
}

fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\ncñd\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 6), (2, 3));
        assert_eq!(offset_of(text, 2, 3), 6);
        assert_eq!(offset_of(text, 9, 1), text.len());
    }

    #[test]
    fn one_line_format_names_file_line_and_column() {
        let text: Arc<str> = Arc::from("---\nkind: x\n");
        let d = Diagnostic::error("content/a.en.md", "unknown kind").at_line(&text, 2, 7);
        assert_eq!(d.to_string(), "content/a.en.md:2:7: error: unknown kind");
        let shown = Diagnostics::from(d).render();
        assert!(shown.contains("kind: x"), "{shown}");
        assert!(shown.contains("content/a.en.md:2:7"), "{shown}");
    }
}
