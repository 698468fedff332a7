//! Link stage: groups translations, checks every reference, and lays out each page with relative URLs.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Language, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Strings;
use crate::parse::front_matter::TranslationNote;
use crate::parse::{Corpus, Entry, Matter};

/// The linked site: every page to render, as plain data.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub languages: Vec<Language>,
    pub default_language: String,
    /// With a trailing slash, when the site has a public address.
    pub base_url: Option<String>,
    pub pages: Vec<Page>,
}

/// A link as templates show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// The same page in another language.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub code: String,
    pub name: String,
    pub url: String,
    /// Whether the page has its own text in that language.
    pub translated: bool,
    pub current: bool,
}

/// An entry in a table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Child {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub number: Option<u32>,
    pub label: Option<String>,
    /// The subject heading a paragraph sits under, to group lists by it.
    pub heading: Option<String>,
    pub summary: String,
    pub children: Vec<Child>,
}

/// What kind of page a [`Page`] is; picks its template.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum PageRole {
    /// The root `index.html` language chooser.
    Chooser,
    /// A language's home page.
    Home,
    Document,
    Section,
    Item,
    NotFound,
}

impl PageRole {
    pub fn template(self) -> &'static str {
        match self {
            PageRole::Chooser => "chooser.html",
            PageRole::Home => "home.html",
            PageRole::Document => "document.html",
            PageRole::Section => "section.html",
            PageRole::Item => "item.html",
            PageRole::NotFound => "404.html",
        }
    }
}

/// One output HTML page, with every URL already relative to it.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub role: PageRole,
    /// Output path relative to the site root: `en/co-gtm-2/para-13/index.html`.
    pub path: String,
    /// The reader's language: the folder the page is in.
    pub lang: String,
    /// The language of the text shown (differs when the translation is missing).
    pub text_lang: String,
    pub missing_translation: bool,
    /// Prefix from this page to the site root: `../../../`.
    pub root: String,
    pub id: Option<String>,
    pub kind: Option<&'static str>,
    pub title: String,
    pub number: Option<u32>,
    /// The typed front matter, for templates.
    pub meta: Option<serde_json::Value>,
    pub body: String,
    pub summary: String,
    pub document: Option<Link>,
    pub breadcrumbs: Vec<Link>,
    pub alternates: Vec<Alternate>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub children: Vec<Child>,
    pub related: Vec<Link>,
    pub translation: Option<TranslationNote>,
    pub canonical: Option<String>,
    /// Source file of the text shown, relative to the site root.
    pub source: Option<String>,
}

/// All translations of one id.
struct Node<'c> {
    id: &'c str,
    /// The first translation found, which every node has.
    first: &'c Entry,
    /// Language code → entry.
    translations: BTreeMap<&'c str, &'c Entry>,
    children: Vec<&'c str>,
}

/// Links the corpus into a site; all problems are returned together.
pub fn link(
    corpus: &Corpus,
    config: &SiteConfig,
    strings: &Strings,
    base_url: Option<&str>,
) -> Result<Site, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut nodes = group(corpus, &mut problems);
    check_translations_agree(&nodes, &mut problems);
    attach_children(&mut nodes, &mut problems);
    check_references(&nodes, &mut problems);
    if problems.has_errors() {
        return Err(problems);
    }
    let linker = Linker {
        nodes: &nodes,
        config,
        strings,
        base_url,
        order: document_order(&nodes),
    };
    let mut pages: Vec<Page> = nodes
        .par_iter()
        .flat_map_iter(|(_, node)| {
            config
                .languages
                .iter()
                .map(|l| linker.item_page(node, &l.code))
                .collect::<Vec<_>>()
        })
        .collect();
    for language in &config.languages {
        pages.push(linker.home_page(&language.code));
    }
    pages.push(linker.chooser_page());
    pages.push(linker.not_found_page());
    Ok(Site {
        languages: config.languages.clone(),
        default_language: config.default_language.clone(),
        base_url: base_url.map(str::to_owned),
        pages,
    })
}

/// Groups entries by id; two files with the same id and language are an error.
fn group<'c>(corpus: &'c Corpus, problems: &mut Diagnostics) -> BTreeMap<&'c str, Node<'c>> {
    let mut nodes: BTreeMap<&str, Node> = BTreeMap::new();
    for entry in &corpus.entries {
        let node = nodes.entry(&entry.id).or_insert_with(|| Node {
            id: &entry.id,
            first: entry,
            translations: BTreeMap::new(),
            children: Vec::new(),
        });
        if let Some(first) = node.translations.get(entry.lang.as_str()) {
            problems.push(
                Diagnostic::error(
                    &entry.file,
                    format!(
                        "duplicate id `{}` in language `{}`: {} has it too",
                        entry.id,
                        entry.lang,
                        first.file.display()
                    ),
                )
                .at(&entry.text, 0..3)
                .with_note(
                    "names must be unique inside a document, whatever section folder they are in",
                ),
            );
        } else {
            node.translations.insert(&entry.lang, entry);
        }
    }
    nodes
}

/// Every translation must have the same kind and language-neutral fields.
fn check_translations_agree(nodes: &BTreeMap<&str, Node>, problems: &mut Diagnostics) {
    for node in nodes.values() {
        let mut translations = node.translations.values();
        let Some(first) = translations.next() else {
            continue;
        };
        let reference = first.matter.neutral_fields();
        for other in translations {
            let fields = other.matter.neutral_fields();
            let differing: Vec<&String> = reference
                .keys()
                .chain(fields.keys())
                .filter(|k| reference.get(*k) != fields.get(*k))
                .collect();
            if let Some(field) = differing.first() {
                let at = other.text.find(&format!("\n{field}:")).map_or(0, |i| i + 1);
                let end = other.text[at..]
                    .find('\n')
                    .map_or(other.text.len(), |n| at + n);
                problems.push(
                    Diagnostic::error(
                        &other.file,
                        format!(
                            "`{field}` differs from the translation in {}: translations must share every field but the text ones",
                            first.file.display()
                        ),
                    )
                    .at(&other.text, at..end)
                    .with_note(format!(
                        "{}: {}; here: {}",
                        first.file.display(),
                        show(reference.get(*field)),
                        show(fields.get(*field))
                    )),
                );
            }
        }
    }
}

fn show(value: Option<&serde_json::Value>) -> String {
    value.map_or_else(|| "(not set)".to_owned(), ToString::to_string)
}

/// Links children to parents, ordered; a missing `_index` is an error.
fn attach_children(nodes: &mut BTreeMap<&str, Node>, problems: &mut Diagnostics) {
    /// Siblings sort by weight, then number, then id.
    type SortKey<'c> = (i64, u32, &'c str);
    let mut children: HashMap<&str, Vec<(&str, SortKey)>> = HashMap::new();
    for node in nodes.values() {
        let Some(entry) = node.translations.values().next() else {
            continue;
        };
        if let Some(parent) = &entry.parent {
            if nodes.contains_key(parent.as_str()) {
                let key = (
                    entry.matter.weight(),
                    entry.matter.number().unwrap_or(0),
                    node.id,
                );
                children
                    .entry(nodes[parent.as_str()].id)
                    .or_default()
                    .push((node.id, key));
            } else {
                // A section's parent is the folder above its own; an item's is its own folder.
                let mut folder = entry.file.parent();
                if entry.matter.kind() == "section" {
                    folder = folder.and_then(|f| f.parent());
                }
                let folder = folder.map(|f| f.display().to_string()).unwrap_or_default();
                problems.push(Diagnostic::error(
                    &entry.file,
                    format!(
                        "`{parent}` does not exist: add {folder}/_index.<lang>.md describing it"
                    ),
                ));
            }
        }
    }
    for (parent, mut list) in children {
        list.sort_by(|a, b| a.1.cmp(&b.1));
        if let Some(node) = nodes.get_mut(parent) {
            node.children = list.into_iter().map(|(id, _)| id).collect();
        }
    }
}

/// Every reference and `related` id must name an existing item and anchor.
fn check_references(nodes: &BTreeMap<&str, Node>, problems: &mut Diagnostics) {
    for node in nodes.values() {
        for entry in node.translations.values() {
            for reference in &entry.body.references {
                if let Some(message) =
                    reference_problem(nodes, &reference.target, reference.anchor.as_deref())
                {
                    problems.push(
                        Diagnostic::error(&entry.file, message)
                            .at(&entry.text, reference.range.clone())
                            .with_label("this reference does not resolve"),
                    );
                }
            }
            for target in entry.matter.related() {
                if let Some(message) = reference_problem(nodes, target, None) {
                    let at = entry.text.find(target.as_str()).unwrap_or(0);
                    problems.push(
                        Diagnostic::error(&entry.file, format!("related: {message}"))
                            .at(&entry.text, at..at + target.len()),
                    );
                }
            }
        }
    }
}

fn reference_problem(
    nodes: &BTreeMap<&str, Node>,
    target: &str,
    anchor: Option<&str>,
) -> Option<String> {
    let Some(node) = nodes.get(target) else {
        return Some(format!("unknown id `{target}`"));
    };
    let anchor = anchor?;
    let missing: Vec<&str> = node
        .translations
        .iter()
        .filter(|(_, e)| !e.body.anchors.iter().any(|a| a == anchor))
        .map(|(lang, _)| *lang)
        .collect();
    if missing.is_empty() {
        None
    } else {
        Some(format!(
            "`{target}` has no anchor `#{anchor}` (in {})",
            missing.join(", ")
        ))
    }
}

/// Every document's pages in reading order (depth first), for previous/next links.
fn document_order<'c>(
    nodes: &BTreeMap<&'c str, Node<'c>>,
) -> HashMap<&'c str, (Option<&'c str>, Option<&'c str>)> {
    fn walk<'c>(nodes: &BTreeMap<&'c str, Node<'c>>, id: &'c str, out: &mut Vec<&'c str>) {
        if let Some(node) = nodes.get(id) {
            for child in &node.children {
                out.push(child);
                walk(nodes, child, out);
            }
        }
    }
    let mut order = HashMap::new();
    for node in nodes.values() {
        let is_root = node
            .translations
            .values()
            .next()
            .is_some_and(|e| e.parent.is_none());
        if !is_root {
            continue;
        }
        let mut sequence = Vec::new();
        walk(nodes, node.id, &mut sequence);
        for (i, id) in sequence.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| sequence[j]);
            let next = sequence.get(i + 1).copied();
            order.insert(*id, (prev, next));
        }
    }
    order
}

/// Shared state for laying out pages.
struct Linker<'a, 'c> {
    nodes: &'a BTreeMap<&'c str, Node<'c>>,
    config: &'a SiteConfig,
    strings: &'a Strings,
    base_url: Option<&'a str>,
    order: HashMap<&'c str, (Option<&'c str>, Option<&'c str>)>,
}

/// The output path of an item in a language.
pub fn item_path(lang: &str, id: &str) -> String {
    format!("{lang}/{id}/index.html")
}

/// The output path of a language's home page.
pub fn home_path(lang: &str) -> String {
    format!("{lang}/index.html")
}

/// The prefix that leads from a page at `path` back to the site root.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl Linker<'_, '_> {
    /// The entry shown for a node in a language: its own, else the fallback chain's first.
    fn shown<'e>(&self, node: &Node<'e>, lang: &str) -> &'e Entry {
        if let Some(entry) = node.translations.get(lang) {
            return entry;
        }
        self.config
            .fallback_order()
            .iter()
            .find_map(|code| node.translations.get(code).copied())
            .unwrap_or(node.first)
    }

    fn title(&self, entry: &Entry, lang: &str) -> String {
        match entry.matter.title() {
            Some(title) => title.to_owned(),
            None => {
                let number = entry
                    .matter
                    .number()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                self.strings.get(
                    lang,
                    &format!("title_{}", entry.matter.kind()),
                    &[("number", &number)],
                )
            }
        }
    }

    fn short_document_title(&self, entry: &Entry) -> String {
        match &entry.matter {
            Matter::Document(d) => d.short_title.clone().unwrap_or_else(|| d.title.clone()),
            other => other.title().unwrap_or_default().to_owned(),
        }
    }

    fn link_to(&self, id: &str, lang: &str, root: &str) -> Option<Link> {
        let node = self.nodes.get(id)?;
        let entry = self.shown(node, lang);
        Some(Link {
            title: self.title(entry, lang),
            url: format!("{root}{}", item_path(lang, id)),
        })
    }

    fn canonical(&self, path: &str) -> Option<String> {
        self.base_url.map(|base| {
            let path = path.strip_suffix("index.html").unwrap_or(path);
            format!("{base}{path}")
        })
    }

    fn alternates(
        &self,
        lang: &str,
        root: &str,
        path_in: impl Fn(&str) -> String,
        has: impl Fn(&str) -> bool,
    ) -> Vec<Alternate> {
        self.config
            .languages
            .iter()
            .map(|l| Alternate {
                code: l.code.clone(),
                name: l.name.clone(),
                url: format!("{root}{}", path_in(&l.code)),
                translated: has(&l.code),
                current: l.code == lang,
            })
            .collect()
    }

    fn children(&self, node: &Node, lang: &str, root: &str) -> Vec<Child> {
        node.children
            .iter()
            .filter_map(|id| self.nodes.get(id))
            .map(|child| {
                let entry = self.shown(child, lang);
                Child {
                    id: child.id.to_owned(),
                    kind: entry.matter.kind(),
                    title: self.title(entry, lang),
                    url: format!("{root}{}", item_path(lang, child.id)),
                    number: entry.matter.number(),
                    label: match &entry.matter {
                        Matter::Section(s) => s.label.clone(),
                        _ => None,
                    },
                    heading: match &entry.matter {
                        Matter::CoParagraph(p) => p.heading.clone(),
                        _ => None,
                    },
                    summary: entry.body.summary.clone(),
                    children: self.children(child, lang, root),
                }
            })
            .collect()
    }

    fn item_page(&self, node: &Node, lang: &str) -> Page {
        let entry = self.shown(node, lang);
        let path = item_path(lang, node.id);
        let root = root_prefix(&path);
        let mut breadcrumbs = vec![Link {
            title: self.strings.get(lang, "home", &[]),
            url: format!("{root}{}", home_path(lang)),
        }];
        let mut ancestors = Vec::new();
        let mut parent = entry.parent.as_deref();
        while let Some(id) = parent {
            ancestors.push(id);
            parent = self
                .nodes
                .get(id)
                .and_then(|n| n.translations.values().next())
                .and_then(|e| e.parent.as_deref());
        }
        breadcrumbs.extend(
            ancestors
                .iter()
                .rev()
                .filter_map(|id| self.link_to(id, lang, &root)),
        );
        let document = self.nodes.get(entry.document.as_str()).map(|doc| Link {
            title: self.short_document_title(self.shown(doc, lang)),
            url: format!("{root}{}", item_path(lang, &entry.document)),
        });
        let (prev, next) = self.order.get(node.id).copied().unwrap_or((None, None));
        let role = match entry.matter {
            Matter::Document(_) => PageRole::Document,
            Matter::Section(_) => PageRole::Section,
            _ => PageRole::Item,
        };
        Page {
            role,
            lang: lang.to_owned(),
            text_lang: entry.lang.clone(),
            missing_translation: entry.lang != lang,
            id: Some(node.id.to_owned()),
            kind: Some(entry.matter.kind()),
            title: self.title(entry, lang),
            number: entry.matter.number(),
            meta: serde_json::to_value(&entry.matter).ok(),
            body: resolve_references(&entry.body.html, lang, &root),
            summary: entry.body.summary.clone(),
            document: document.filter(|_| role != PageRole::Document),
            breadcrumbs,
            alternates: self.alternates(
                lang,
                &root,
                |code| item_path(code, node.id),
                |code| node.translations.contains_key(code),
            ),
            prev: prev.and_then(|id| self.link_to(id, lang, &root)),
            next: next.and_then(|id| self.link_to(id, lang, &root)),
            children: self.children(node, lang, &root),
            related: entry
                .matter
                .related()
                .iter()
                .filter_map(|id| self.link_to(id, lang, &root))
                .collect(),
            translation: entry.matter.translation().cloned(),
            canonical: self.canonical(&path),
            source: Some(entry.file.display().to_string()),
            root,
            path,
        }
    }

    fn home_page(&self, lang: &str) -> Page {
        let path = home_path(lang);
        let root = root_prefix(&path);
        let documents: Vec<Child> = self
            .nodes
            .values()
            .filter(|n| {
                n.translations
                    .values()
                    .next()
                    .is_some_and(|e| e.parent.is_none())
            })
            .map(|node| {
                let entry = self.shown(node, lang);
                Child {
                    id: node.id.to_owned(),
                    kind: entry.matter.kind(),
                    title: self.title(entry, lang),
                    url: format!("{root}{}", item_path(lang, node.id)),
                    number: None,
                    label: match &entry.matter {
                        Matter::Document(d) => d.symbol.clone(),
                        _ => None,
                    },
                    heading: None,
                    summary: entry.body.summary.clone(),
                    children: Vec::new(),
                }
            })
            .collect();
        let mut documents = documents;
        documents.sort_by_key(|d| {
            let weight = self
                .nodes
                .get(d.id.as_str())
                .and_then(|n| n.translations.values().next())
                .map_or(0, |e| e.matter.weight());
            (weight, d.id.clone())
        });
        let site_title = self
            .config
            .language(lang)
            .map(|l| l.title.clone())
            .unwrap_or_default();
        Page {
            role: PageRole::Home,
            lang: lang.to_owned(),
            text_lang: lang.to_owned(),
            missing_translation: false,
            id: None,
            kind: None,
            title: site_title,
            number: None,
            meta: None,
            body: String::new(),
            summary: self
                .config
                .language(lang)
                .map(|l| l.description.clone())
                .unwrap_or_default(),
            document: None,
            breadcrumbs: Vec::new(),
            alternates: self.alternates(lang, &root, home_path, |_| true),
            prev: None,
            next: None,
            children: documents,
            related: Vec::new(),
            translation: None,
            canonical: self.canonical(&path),
            source: None,
            root,
            path,
        }
    }

    fn plain_page(&self, role: PageRole, path: &str, title_key: &str) -> Page {
        let lang = self.config.default_language.clone();
        let root = root_prefix(path);
        Page {
            role,
            title: self.strings.get(&lang, title_key, &[]),
            text_lang: lang.clone(),
            missing_translation: false,
            id: None,
            kind: None,
            number: None,
            meta: None,
            body: String::new(),
            summary: String::new(),
            document: None,
            breadcrumbs: Vec::new(),
            alternates: self.alternates(&lang, &root, home_path, |_| true),
            prev: None,
            next: None,
            children: Vec::new(),
            related: Vec::new(),
            translation: None,
            canonical: self.canonical(path),
            source: None,
            lang,
            root,
            path: path.to_owned(),
        }
    }

    fn chooser_page(&self) -> Page {
        self.plain_page(PageRole::Chooser, "index.html", "choose_language")
    }

    fn not_found_page(&self) -> Page {
        let mut page = self.plain_page(PageRole::NotFound, "404.html", "not_found_title");
        page.canonical = None;
        // Served for any missing path: with a public address, absolute links work from anywhere.
        if let Some(base) = self.base_url {
            page.root = base.to_owned();
            for alternate in &mut page.alternates {
                alternate.url = format!("{base}{}", home_path(&alternate.code));
            }
        }
        page
    }
}

/// Replaces `href="@id#anchor"` links in body HTML with relative URLs for `lang`.
pub fn resolve_references(html: &str, lang: &str, root: &str) -> String {
    const NEEDLE: &str = "href=\"@";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find(NEEDLE) {
        out.push_str(&rest[..start + 6]);
        let after = &rest[start + NEEDLE.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let spec = &after[..end];
        let (target, anchor) = spec
            .split_once('#')
            .map_or((spec, None), |(t, a)| (t, Some(a)));
        out.push_str(root);
        out.push_str(&item_path(lang, target));
        if let Some(anchor) = anchor {
            out.push('#');
            out.push_str(anchor);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_relative_urls() {
        let html = r#"<a href="@co/para-25#para-25">25</a> and <a href="https://x">x</a> <a href="@co">co</a>"#;
        let root = root_prefix("en/mirps/commitment-1/index.html");
        assert_eq!(root, "../../../");
        assert_eq!(
            resolve_references(html, "en", &root),
            r#"<a href="../../../en/co/para-25/index.html#para-25">25</a> and <a href="https://x">x</a> <a href="../../../en/co/index.html">co</a>"#
        );
    }

    #[test]
    fn root_prefix_counts_folders() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("es/index.html"), "../");
    }
}
