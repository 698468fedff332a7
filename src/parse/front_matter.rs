//! Typed front matter: one Rust type per kind of content, each rejecting unknown fields.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{offset_of, Diagnostic};

/// Fields that hold text in a language; every other field must agree across translations.
pub const TEXT_FIELDS: &[&str] = &[
    "title",
    "short_title",
    "heading",
    "subject",
    "translation",
    "errata",
];

/// The front matter of one file, by kind.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Matter {
    Document(DocumentMatter),
    Section(SectionMatter),
    Article(ArticleMatter),
    CoParagraph(CoParagraphMatter),
    SrParagraph(SrParagraphMatter),
    GcmItem(GcmItemMatter),
    MirpsCommitment(MirpsCommitmentMatter),
    MgiFinding(MgiFindingMatter),
    Page(PageMatter),
}

/// The kinds, as written in `kind:`.
pub const KINDS: &[&str] = &[
    "document",
    "section",
    "article",
    "co-paragraph",
    "sr-paragraph",
    "gcm-item",
    "mirps-commitment",
    "mgi-finding",
    "page",
];

/// A note shown on pages whose text is an unofficial translation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TranslationNote {
    #[serde(default)]
    pub unofficial: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub official_symbol: Option<String>,
    #[serde(default)]
    pub official_url: Option<String>,
}

/// A source document: the Convention, a set of concluding observations, a plan…
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocumentMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub short_title: Option<String>,
    #[serde(default)]
    pub symbol: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub source_language: Option<String>,
    #[serde(default)]
    pub official_url: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// A grouping inside a document: a Part, a cluster, an area.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SectionMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub label: Option<String>,
    /// Convention articles the section heading names: numbers or ranges such as `"8-35"`.
    #[serde(default)]
    pub articles: Vec<ArticleRange>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// A Convention article number or an inclusive range of them.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum ArticleRange {
    One(u32),
    Range(String),
}

/// An article of the Convention.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArticleMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub number: u32,
    /// Editorial short subject: the Convention has no official article titles.
    pub subject: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub errata: Vec<Erratum>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// A correction of a defect in the source text, shown to the reader.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    #[serde(default)]
    pub paragraph: Option<String>,
    pub original: String,
    pub corrected: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// How a paragraph came to be related to a Convention article.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// The paragraph's own text cites the article.
    Cited,
    /// The heading of the paragraph's cluster names the article.
    Cluster,
    /// An editor related them because the subject plainly matches.
    Editorial,
}

/// A Convention article a paragraph relates to.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArticleLink {
    pub article: u32,
    pub provenance: Provenance,
}

/// What a paragraph of concluding observations does.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CoParagraphType {
    Introduction,
    PositiveAspect,
    Concern,
    Recommendation,
    FollowUp,
    Dissemination,
}

/// A follow-up request on a recommendation.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub due: String,
}

/// A numbered paragraph of concluding observations.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CoParagraphMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub number: u32,
    #[serde(rename = "type")]
    pub paragraph_type: CoParagraphType,
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub articles: Vec<ArticleLink>,
    #[serde(default)]
    pub sdg_targets: Vec<String>,
    #[serde(default)]
    pub general_comments: Vec<u32>,
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// The role of a speaker in a summary record.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SpeakerRole {
    Chair,
    CommitteeMember,
    CountryRapporteur,
    StateDelegation,
    Secretariat,
}

/// Who speaks in a summary-record paragraph.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: String,
    pub role: SpeakerRole,
}

/// A numbered paragraph of a summary record.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SrParagraphMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub number: u32,
    #[serde(default)]
    pub meeting: Option<u32>,
    #[serde(default)]
    pub speaker: Option<Speaker>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// The kinds of item in Guatemala's GCM national position.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum GcmItemType {
    Definition,
    Theme,
    Commitment,
    Priority,
}

/// An item of Guatemala's GCM national position.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GcmItemMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub item_type: GcmItemType,
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default)]
    pub objectives: Vec<u32>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// A commitment of Guatemala's MIRPS national action plan.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MirpsCommitmentMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub number: u32,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// How the MGI profile rates an area.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Assessment {
    WellDeveloped,
    Potential,
    Update,
}

/// A finding of the MGI profile.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MgiFindingMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub domain: u32,
    pub assessment: Assessment,
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// A free page.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    #[serde(skip_serializing)]
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub translation: Option<TranslationNote>,
}

/// Runs `$body` with `$m` bound to the inner struct of any `Matter` variant.
macro_rules! with_matter {
    ($matter:expr, $m:ident => $body:expr) => {
        match $matter {
            Matter::Document($m) => $body,
            Matter::Section($m) => $body,
            Matter::Article($m) => $body,
            Matter::CoParagraph($m) => $body,
            Matter::SrParagraph($m) => $body,
            Matter::GcmItem($m) => $body,
            Matter::MirpsCommitment($m) => $body,
            Matter::MgiFinding($m) => $body,
            Matter::Page($m) => $body,
        }
    };
}

impl Matter {
    /// The kind as written in `kind:`.
    pub fn kind(&self) -> &'static str {
        match self {
            Matter::Document(_) => "document",
            Matter::Section(_) => "section",
            Matter::Article(_) => "article",
            Matter::CoParagraph(_) => "co-paragraph",
            Matter::SrParagraph(_) => "sr-paragraph",
            Matter::GcmItem(_) => "gcm-item",
            Matter::MirpsCommitment(_) => "mirps-commitment",
            Matter::MgiFinding(_) => "mgi-finding",
            Matter::Page(_) => "page",
        }
    }

    /// The title given in the front matter, if any.
    pub fn title(&self) -> Option<&str> {
        match self {
            Matter::Document(m) => Some(&m.title),
            Matter::Section(m) => Some(&m.title),
            Matter::Page(m) => Some(&m.title),
            Matter::Article(m) => m.title.as_deref(),
            Matter::CoParagraph(m) => m.title.as_deref(),
            Matter::SrParagraph(m) => m.title.as_deref(),
            Matter::GcmItem(m) => m.title.as_deref(),
            Matter::MirpsCommitment(m) => m.title.as_deref(),
            Matter::MgiFinding(m) => m.title.as_deref(),
        }
    }

    /// The item's number, for kinds that have one.
    pub fn number(&self) -> Option<u32> {
        match self {
            Matter::Article(m) => Some(m.number),
            Matter::CoParagraph(m) => Some(m.number),
            Matter::SrParagraph(m) => Some(m.number),
            Matter::MirpsCommitment(m) => Some(m.number),
            Matter::GcmItem(m) => m.number,
            Matter::MgiFinding(m) => m.number,
            Matter::Document(_) | Matter::Section(_) | Matter::Page(_) => None,
        }
    }

    pub fn weight(&self) -> i64 {
        with_matter!(self, m => m.weight)
    }

    pub fn related(&self) -> &[String] {
        with_matter!(self, m => &m.related)
    }

    pub fn translation(&self) -> Option<&TranslationNote> {
        with_matter!(self, m => m.translation.as_ref())
    }

    /// Whether the body uses numbered paragraphs and lettered sub-paragraphs.
    pub fn has_numbered_paragraphs(&self) -> bool {
        matches!(
            self,
            Matter::Article(_) | Matter::CoParagraph(_) | Matter::SrParagraph(_)
        )
    }

    /// The number that text before any paragraph marker belongs to.
    pub fn implicit_paragraph(&self) -> Option<u32> {
        match self {
            Matter::CoParagraph(m) => Some(m.number),
            Matter::SrParagraph(m) => Some(m.number),
            _ => None,
        }
    }

    /// The language-neutral fields, which every translation must share.
    pub fn neutral_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut fields = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        for field in TEXT_FIELDS {
            fields.remove(*field);
        }
        fields
    }
}

/// The `kind` key alone, read first to pick the type for the rest.
#[derive(Deserialize)]
struct KindOnly {
    kind: Option<String>,
}

/// Parses the YAML between the `---` lines; `yaml_start` is its byte offset in `text`.
pub fn parse_matter(
    path: &Path,
    text: &Arc<str>,
    yaml_start: usize,
    yaml: &str,
) -> Result<Matter, Diagnostic> {
    let error = |e: serde_yaml::Error| yaml_error(path, text, yaml_start, yaml, e);
    let kind = serde_yaml::from_str::<KindOnly>(yaml)
        .map_err(error)?
        .kind
        .ok_or_else(|| {
            Diagnostic::error(path, "the front matter has no `kind`")
                .at(
                    text,
                    yaml_start.saturating_sub(4)..yaml_start.saturating_sub(1),
                )
                .with_note(format!("add `kind:` with one of: {}", KINDS.join(", ")))
        })?;
    fn typed<T: DeserializeOwned>(yaml: &str) -> Result<T, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }
    let matter = match kind.as_str() {
        "document" => typed(yaml).map(Matter::Document),
        "section" => typed(yaml).map(Matter::Section),
        "article" => typed(yaml).map(Matter::Article),
        "co-paragraph" => typed(yaml).map(Matter::CoParagraph),
        "sr-paragraph" => typed(yaml).map(Matter::SrParagraph),
        "gcm-item" => typed(yaml).map(Matter::GcmItem),
        "mirps-commitment" => typed(yaml).map(Matter::MirpsCommitment),
        "mgi-finding" => typed(yaml).map(Matter::MgiFinding),
        "page" => typed(yaml).map(Matter::Page),
        other => {
            let at = yaml.find("kind:").map_or(yaml_start, |i| yaml_start + i);
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            return Err(Diagnostic::error(path, format!("unknown kind `{other}`"))
                .at(text, at..end)
                .with_label("not a kind Cartilla knows")
                .with_note(format!("the kinds are: {}", KINDS.join(", "))));
        }
    };
    matter.map_err(error)
}

/// Turns a YAML error into a diagnostic pointing into the whole file.
fn yaml_error(
    path: &Path,
    text: &Arc<str>,
    yaml_start: usize,
    yaml: &str,
    e: serde_yaml::Error,
) -> Diagnostic {
    let message = e.to_string();
    // serde_yaml appends " at line L column C"; the position is given separately.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    let mut diagnostic = Diagnostic::error(path, format!("front matter: {message}"));
    if let Some(location) = e.location() {
        let (yaml_line, _) = crate::diagnostics::line_column(text, yaml_start);
        let mut line = yaml_line + location.line() - 1;
        // An error found at the end of the YAML (an unclosed bracket…) belongs to its last line.
        let last_line = yaml_line + yaml.trim_end().lines().count().max(1) - 1;
        let mut column = location.column();
        if line > last_line {
            line = last_line;
            column = 1;
        }
        let offset = offset_of(text, line, column);
        let end = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
        diagnostic = diagnostic
            .at(text, offset..end.max(offset))
            .with_label("here");
    } else {
        let end = text[yaml_start..]
            .find('\n')
            .map_or(text.len(), |n| yaml_start + n);
        diagnostic = diagnostic.at(text, yaml_start..end);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(front: &str) -> Result<Matter, Diagnostic> {
        let text: Arc<str> = Arc::from(format!("---\n{front}---\nbody\n"));
        parse_matter(Path::new("x.en.md"), &text, 4, &text[4..4 + front.len()])
    }

    #[test]
    fn typed_kinds_parse() {
        let m = parse("kind: co-paragraph\nnumber: 13\ntype: recommendation\narticles:\n  - { article: 22, provenance: cited }\n").unwrap();
        match &m {
            Matter::CoParagraph(p) => {
                assert_eq!(p.number, 13);
                assert_eq!(p.articles[0].article, 22);
                assert_eq!(p.articles[0].provenance, Provenance::Cited);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(m.kind(), "co-paragraph");
        assert_eq!(m.number(), Some(13));
    }

    #[test]
    fn unknown_field_names_its_line() {
        let e = parse("kind: mirps-commitment\nnumber: 3\ncolour: red\n").unwrap_err();
        let shown = e.to_string();
        assert!(shown.starts_with("x.en.md:4:"), "{shown}");
        assert!(shown.contains("unknown field `colour`"), "{shown}");
    }

    #[test]
    fn unknown_kind_and_missing_kind() {
        let e = parse("kind: poem\n").unwrap_err().to_string();
        assert!(
            e.starts_with("x.en.md:2:1: error: unknown kind `poem`"),
            "{e}"
        );
        let e = parse("title: x\n").unwrap_err().to_string();
        assert!(e.contains("no `kind`"), "{e}");
    }

    #[test]
    fn wrong_type_names_its_line() {
        let e = parse("kind: article\nsubject: x\nnumber: twelve\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("x.en.md:4:"), "{e}");
    }

    #[test]
    fn neutral_fields_leave_out_text() {
        let m = parse("kind: section\ntitle: Protección\nweight: 2\n").unwrap();
        let fields = m.neutral_fields();
        assert!(!fields.contains_key("title"));
        assert_eq!(fields["weight"], 2);
        assert_eq!(fields["kind"], "section");
    }
}
