//! Markdown bodies: numbered paragraphs with stable anchors, and references by id.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{html, Event, Options, Parser, Tag};
use serde::Serialize;

use crate::diagnostics::Diagnostic;

/// A link by id found in a body: `[text](@document/name#anchor)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    pub target: String,
    pub anchor: Option<String>,
    /// Byte range of the link in the file, for messages.
    #[serde(skip)]
    pub range: Range<usize>,
}

/// A parsed body: HTML with references still written as `@id`, plus what it offers and needs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Body {
    /// HTML; links by id keep their `href="@id#anchor"` until the link stage resolves them.
    pub html: String,
    /// Every anchor the body defines (`para-13`, `para-13-a`, heading ids).
    pub anchors: Vec<String>,
    pub references: Vec<Reference>,
    /// Plain text of the first paragraph, shortened, for lists of items.
    pub summary: String,
}

/// The Markdown extensions content may use.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Where a paragraph marker sits in the outline.
#[derive(Debug, Clone, PartialEq)]
enum Marker {
    Number(u32),
    Letter(char),
    Roman(u32),
}

/// A run of body text under one marker (or none, for text before the first marker).
struct Segment {
    marker: Option<(Marker, String)>,
    /// Byte range of the segment's text (after its marker) in the file.
    range: Range<usize>,
}

/// Parses a body starting at byte `start` of `text`.
///
/// `numbered` turns on paragraph markers; `implicit` is the paragraph number that
/// text before any marker belongs to.
pub fn parse_body(
    path: &Path,
    text: &Arc<str>,
    start: usize,
    numbered: bool,
    implicit: Option<u32>,
) -> Result<Body, Vec<Diagnostic>> {
    let segments = if numbered {
        split_segments(text, start, implicit.is_none())
    } else {
        vec![Segment {
            marker: None,
            range: start..text.len(),
        }]
    };
    let mut body = Body::default();
    let mut errors = Vec::new();
    let mut outline = Outline::new(implicit);
    // Open paragraphs, innermost last: (depth, whether its text div is still open).
    let mut open: Vec<(usize, bool)> = Vec::new();
    if let Some(n) = implicit {
        let anchor = format!("para-{n}");
        open_paragraph(&mut body.html, 1, &anchor, &format!("{n}."));
        body.anchors.push(anchor);
        open.push((1, true));
    }
    for segment in &segments {
        if let Some((marker, written)) = &segment.marker {
            let marker_start = segment.range.start - written.len();
            match outline.enter(marker) {
                Ok((depth, anchor)) => {
                    while open.last().is_some_and(|(d, _)| *d >= depth) {
                        if let Some((_, text_open)) = open.pop() {
                            close_paragraph(&mut body.html, text_open);
                        }
                    }
                    // Sub-paragraphs nest inside their paragraph, after its text.
                    if let Some((_, text_open)) = open.last_mut() {
                        if *text_open {
                            body.html.push_str("</div>");
                            *text_open = false;
                        }
                    }
                    open_paragraph(&mut body.html, depth, &anchor, written.trim());
                    body.anchors.push(anchor);
                    open.push((depth, true));
                }
                Err(message) => errors.push(
                    Diagnostic::error(path, message)
                        .at(text, marker_start..segment.range.start)
                        .with_label("paragraph marker out of order"),
                ),
            }
        }
        render_markdown(path, text, segment.range.clone(), &mut body, &mut errors);
    }
    while let Some((_, text_open)) = open.pop() {
        close_paragraph(&mut body.html, text_open);
    }
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

fn open_paragraph(html: &mut String, depth: usize, anchor: &str, marker: &str) {
    let class = ["para", "sub", "subsub"][depth.clamp(1, 3) - 1];
    html.push_str(&format!(
        "<div class=\"{class}\" id=\"{anchor}\"><span class=\"num\">{}</span><div class=\"txt\">",
        html_escape(marker)
    ));
}

fn close_paragraph(html: &mut String, text_open: bool) {
    html.push_str(if text_open { "</div></div>" } else { "</div>" });
}

/// Renders one segment of Markdown into `body`, collecting references and anchors.
fn render_markdown(
    path: &Path,
    text: &Arc<str>,
    range: Range<usize>,
    body: &mut Body,
    errors: &mut Vec<Diagnostic>,
) {
    let source = &text[range.clone()];
    let mut events = Vec::new();
    let mut in_first_paragraph = body.summary.is_empty();
    let mut summary = String::new();
    for (event, span) in Parser::new_ext(source, options()).into_offset_iter() {
        let span = range.start + span.start..range.start + span.end;
        match &event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') => {
                match parse_reference(&dest_url[1..]) {
                    Some((target, anchor)) => body.references.push(Reference {
                        target,
                        anchor,
                        range: span.clone(),
                    }),
                    None => errors.push(
                        Diagnostic::error(path, format!("malformed reference `{dest_url}`"))
                            .at(text, span.clone())
                            .with_label("expected `@document/name` or `@document/name#anchor`"),
                    ),
                }
            }
            Event::Start(Tag::Heading { id: Some(id), .. }) => body.anchors.push(id.to_string()),
            Event::Text(t) | Event::Code(t) if in_first_paragraph => summary.push_str(t),
            Event::SoftBreak if in_first_paragraph => summary.push(' '),
            Event::End(pulldown_cmark::TagEnd::Paragraph) => in_first_paragraph = false,
            _ => {}
        }
        events.push(event);
    }
    if body.summary.is_empty() {
        body.summary = shorten(summary.trim(), 160);
    }
    html::push_html(&mut body.html, events.into_iter());
}

fn parse_reference(spec: &str) -> Option<(String, Option<String>)> {
    let (target, anchor) = match spec.split_once('#') {
        Some((t, a)) => (t, Some(a)),
        None => (spec, None),
    };
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/' || c == '_'
            })
    };
    if !valid(target)
        || target.starts_with('/')
        || target.ends_with('/')
        || anchor.is_some_and(|a| a.is_empty())
    {
        return None;
    }
    Some((target.to_owned(), anchor.map(str::to_owned)))
}

/// Splits a body at paragraph markers at the start of lines, outside code fences.
fn split_segments(text: &str, start: usize, allow_numbers: bool) -> Vec<Segment> {
    let mut segments = vec![Segment {
        marker: None,
        range: start..start,
    }];
    let mut offset = start;
    let mut fence: Option<&str> = None;
    for line in text[start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        for f in ["```", "~~~"] {
            if trimmed.starts_with(f) {
                fence = match fence {
                    Some(open) if open == f => None,
                    None => Some(f),
                    other => other,
                };
            }
        }
        let marker = if fence.is_none() {
            read_marker(line, allow_numbers)
        } else {
            None
        };
        if let Some((marker, len)) = marker {
            if let Some(last) = segments.last_mut() {
                last.range.end = offset;
            }
            segments.push(Segment {
                marker: Some((marker, line[..len].to_owned())),
                range: offset + len..offset + line.len(),
            });
        } else if let Some(last) = segments.last_mut() {
            last.range.end = offset + line.len();
        }
        offset += line.len();
    }
    segments.retain(|s| s.marker.is_some() || !text[s.range.clone()].trim().is_empty());
    segments
}

/// Reads `12. `, `(a) ` or `(ii) ` at the start of a line; returns the marker and its length.
fn read_marker(line: &str, allow_numbers: bool) -> Option<(Marker, usize)> {
    let end_ok = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']);
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if allow_numbers
        && digits > 0
        && digits < 5
        && line[digits..].starts_with('.')
        && end_ok(&line[digits + 1..])
    {
        let n = line[..digits].parse().ok()?;
        let len = digits + 1 + line[digits + 1..].len()
            - line[digits + 1..].trim_start_matches([' ', '\t']).len();
        return Some((Marker::Number(n), len));
    }
    let inner = line.strip_prefix('(')?;
    let close = inner.find(')')?;
    let label = &inner[..close];
    let rest = &inner[close + 1..];
    if label.is_empty()
        || label.len() > 5
        || !label.chars().all(|c| c.is_ascii_lowercase())
        || !end_ok(rest)
    {
        return None;
    }
    let len = 1 + close + 1 + rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let marker = if label.len() == 1 {
        Marker::Letter(label.chars().next()?)
    } else {
        Marker::Roman(roman_value(label)?)
    };
    Some((marker, len))
}

fn roman_value(s: &str) -> Option<u32> {
    const NUMERALS: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    NUMERALS.iter().position(|n| *n == s).map(|i| i as u32 + 1)
}

fn roman_text(n: u32) -> String {
    const NUMERALS: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    NUMERALS
        .get(n as usize - 1)
        .map_or_else(|| n.to_string(), |s| (*s).to_owned())
}

/// Tracks the current paragraph, letter and numeral to check order and build anchors.
struct Outline {
    paragraph: Option<u32>,
    letter: Option<char>,
    roman: Option<u32>,
}

impl Outline {
    fn new(implicit: Option<u32>) -> Self {
        Self {
            paragraph: implicit,
            letter: None,
            roman: None,
        }
    }

    /// Enters a marker; returns its depth (1 paragraph, 2 letter, 3 numeral) and anchor.
    fn enter(&mut self, marker: &Marker) -> Result<(usize, String), String> {
        let para_prefix =
            |p: Option<u32>| p.map_or_else(|| "para".to_owned(), |n| format!("para-{n}"));
        // A single letter that could be a numeral (i, v, x) is a numeral when it continues one.
        let marker = match marker {
            Marker::Letter(c) if self.roman.is_some() => {
                let as_roman = roman_value(&c.to_string());
                let next_letter = self.letter.map(|l| (l as u8 + 1) as char);
                match as_roman {
                    Some(v) if Some(v) == self.roman.map(|r| r + 1) && next_letter != Some(*c) => {
                        Marker::Roman(v)
                    }
                    _ => marker.clone(),
                }
            }
            Marker::Letter('i') if self.letter.is_some() && self.letter != Some('h') => {
                Marker::Roman(1)
            }
            other => other.clone(),
        };
        match marker {
            Marker::Number(n) => {
                if let Some(previous) = self.paragraph {
                    if n <= previous {
                        return Err(format!(
                            "paragraph {n} follows paragraph {previous}: numbers must increase"
                        ));
                    }
                }
                self.paragraph = Some(n);
                self.letter = None;
                self.roman = None;
                Ok((1, format!("para-{n}")))
            }
            Marker::Letter(c) => {
                let expected = self.letter.map_or('a', |l| (l as u8 + 1) as char);
                if c != expected {
                    return Err(format!(
                        "sub-paragraph ({c}) is out of order: expected ({expected})"
                    ));
                }
                self.letter = Some(c);
                self.roman = None;
                Ok((2, format!("{}-{c}", para_prefix(self.paragraph))))
            }
            Marker::Roman(v) => {
                let Some(letter) = self.letter else {
                    return Err(format!(
                        "sub-paragraph ({}) is not under a lettered sub-paragraph",
                        roman_text(v)
                    ));
                };
                let expected = self.roman.map_or(1, |r| r + 1);
                if v != expected {
                    return Err(format!(
                        "sub-paragraph ({}) is out of order: expected ({})",
                        roman_text(v),
                        roman_text(expected)
                    ));
                }
                self.roman = Some(v);
                Ok((
                    3,
                    format!("{}-{letter}-{}", para_prefix(self.paragraph), roman_text(v)),
                ))
            }
        }
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

/// Escapes text for HTML.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str, numbered: bool, implicit: Option<u32>) -> Result<Body, Vec<Diagnostic>> {
        let text: Arc<str> = Arc::from(format!("---\nkind: x\n---\n{body}"));
        parse_body(Path::new("x.en.md"), &text, 14, numbered, implicit)
    }

    #[test]
    fn numbered_paragraphs_get_anchors() {
        let body = parse(
            "For the purposes:\n1. First.\n2.\n(a) Alpha;\n(g) wrong",
            true,
            None,
        )
        .unwrap_err();
        assert!(body[0]
            .to_string()
            .contains("sub-paragraph (g) is out of order: expected (b)"));
        assert!(
            body[0].to_string().starts_with("x.en.md:8:1:"),
            "{}",
            body[0]
        );

        let body = parse(
            "Chapeau:\n1. First.\n2.\n(a) Alpha;\n(b) Beta:\n(i) one;\n(ii) two\n(c) Gamma\n3. Third",
            true,
            None,
        )
        .unwrap();
        assert_eq!(
            body.anchors,
            [
                "para-1",
                "para-2",
                "para-2-a",
                "para-2-b",
                "para-2-b-i",
                "para-2-b-ii",
                "para-2-c",
                "para-3"
            ]
        );
        assert!(body
            .html
            .contains("<div class=\"subsub\" id=\"para-2-b-ii\"><span class=\"num\">(ii)</span>"));
        assert_eq!(body.summary, "Chapeau:");
    }

    #[test]
    fn letter_i_after_h_is_a_letter() {
        let letters = "(a) a\n(b) b\n(c) c\n(d) d\n(e) e\n(f) f\n(g) g\n(h) h\n(i) i\n(j) j\n";
        let body = parse(&format!("1. x\n{letters}"), true, None).unwrap();
        assert!(body.anchors.contains(&"para-1-i".to_owned()));
        assert!(body.anchors.contains(&"para-1-j".to_owned()));
    }

    #[test]
    fn implicit_paragraph_and_sub_paragraphs() {
        let body = parse(
            "The Committee recommends:\n\n(a) Do this;\n\n(b) Do that.\n",
            true,
            Some(19),
        )
        .unwrap();
        assert_eq!(body.anchors, ["para-19", "para-19-a", "para-19-b"]);
        // Sub-paragraphs nest inside their paragraph.
        assert!(body.html.starts_with("<div class=\"para\" id=\"para-19\">"));
        assert!(body.html.ends_with("</div></div></div>"));
        assert_eq!(
            body.html.matches("<div").count(),
            body.html.matches("</div>").count()
        );
    }

    #[test]
    fn numbers_must_increase() {
        let errors = parse("1. a\n2. b\n2. c\n", true, None).unwrap_err();
        assert!(errors[0]
            .to_string()
            .contains("paragraph 2 follows paragraph 2"));
    }

    #[test]
    fn references_by_id_are_collected_with_position() {
        let body = parse(
            "See [article 22](@convention/article-22#para-1) and [x](@Bad/Id).",
            false,
            None,
        );
        let errors = body.unwrap_err();
        assert!(
            errors[0].to_string().contains("malformed reference"),
            "{}",
            errors[0]
        );
        let body = parse(
            "See\n[article 22](@convention/article-22#para-1).",
            false,
            None,
        )
        .unwrap();
        assert_eq!(body.references[0].target, "convention/article-22");
        assert_eq!(body.references[0].anchor.as_deref(), Some("para-1"));
        assert!(body.html.contains("href=\"@convention/article-22#para-1\""));
    }

    #[test]
    fn markers_in_code_fences_and_plain_bodies_are_text() {
        let body = parse("```\n1. not a marker\n```\n", true, None).unwrap();
        assert!(body.anchors.is_empty());
        let body = parse("(a) plain\n", false, None).unwrap();
        assert!(body.anchors.is_empty());
    }
}
