//! Render stage: fills the theme's Tera templates with each page, in parallel.

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Strings;
use crate::link::{Page, PageRole, Site};
use crate::load::Theme;

/// One file of the finished site, ready to write.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What templates see besides the page: the site-wide facts.
#[derive(Serialize)]
struct SiteContext<'a> {
    languages: &'a [crate::config::Language],
    default_language: &'a str,
    title: String,
    description: String,
}

/// Compiles the theme's templates; errors name the template file.
pub fn compile(theme: &Theme) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    let templates: Vec<(String, String)> = theme
        .templates
        .iter()
        .map(|source| {
            let name = source
                .path
                .components()
                .skip_while(|c| c.as_os_str() != "templates")
                .skip(1)
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (name, minify_template(&source.text))
        })
        .collect();
    tera.add_raw_templates(templates).map_err(|e| {
        let template = theme
            .templates
            .iter()
            .find(|s| {
                e.to_string()
                    .contains(&*s.path.file_name().unwrap_or_default().to_string_lossy())
            })
            .map_or_else(
                || PathBuf::from(format!("themes/{}/templates", theme.name)),
                |s| s.path.clone(),
            );
        Diagnostics::from(Diagnostic::error(template, error_chain(&e)))
    })?;
    Ok(tera)
}

/// Escapes text for HTML text and quoted attributes (Tera's default also escapes `/`,
/// which bloats every relative URL).
fn escape_html(text: &str) -> String {
    crate::parse::body::html_escape(text).replace('\'', "&#39;")
}

/// Minifies a template once, keeping its Tera syntax, so rendered pages come out minified
/// without minifying each page (bodies come from pulldown-cmark already compact).
/// Template tags must not sit between an element's attributes.
fn minify_template(text: &str) -> String {
    let cfg = minify_html::Cfg {
        preserve_brace_template_syntax: true,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    };
    String::from_utf8_lossy(&minify_html::minify(text.as_bytes(), &cfg)).into_owned()
}

/// Renders every page of the site, in parallel; all failures are returned together.
pub fn render(
    site: &Site,
    tera: &Tera,
    strings: &Strings,
    theme_name: &str,
) -> Result<Vec<OutputFile>, Diagnostics> {
    // What every page of a language shares is serialized once, not once per page.
    let bases: std::collections::HashMap<&str, Context> = site
        .languages
        .iter()
        .map(|l| (l.code.as_str(), base_context(site, strings, &l.code)))
        .collect();
    let results: Vec<Result<OutputFile, Diagnostic>> = site
        .pages
        .par_iter()
        .map(|page| {
            let mut context = bases
                .get(page.lang.as_str())
                .cloned()
                .unwrap_or_else(|| base_context(site, strings, &page.lang));
            render_page(site, strings, &mut context, tera, theme_name, page)
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 2);
    let mut problems = Diagnostics::default();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    files.push(robots_txt(site));
    if let Some(sitemap) = sitemap_xml(site) {
        files.push(sitemap);
    }
    Ok(files)
}

/// The context every page of a language shares: site facts and UI strings.
fn base_context(site: &Site, strings: &Strings, lang: &str) -> Context {
    let language = site.languages.iter().find(|l| l.code == lang);
    let mut context = Context::new();
    context.insert(
        "site",
        &SiteContext {
            languages: &site.languages,
            default_language: &site.default_language,
            title: language.map(|l| l.title.clone()).unwrap_or_default(),
            description: language.map(|l| l.description.clone()).unwrap_or_default(),
        },
    );
    context.insert("t", &strings.table(lang));
    context
}

fn strings_by_language<'s>(
    site: &'s Site,
    strings: &Strings,
) -> std::collections::BTreeMap<&'s str, std::collections::BTreeMap<String, String>> {
    site.languages
        .iter()
        .map(|l| (l.code.as_str(), strings.table(&l.code)))
        .collect()
}

fn render_page(
    site: &Site,
    strings: &Strings,
    context: &mut Context,
    tera: &Tera,
    theme_name: &str,
    page: &Page,
) -> Result<OutputFile, Diagnostic> {
    let template = page.role.template();
    context.insert("page", page);
    if matches!(page.role, PageRole::Chooser | PageRole::NotFound) {
        // These pages show every language's own words.
        let all: std::collections::BTreeMap<&str, _> = strings_by_language(site, strings);
        context.insert("strings", &all);
    }
    let html = tera.render(template, context).map_err(|e| {
        let mut d = Diagnostic::error(
            format!("themes/{theme_name}/templates/{template}"),
            format!("cannot render {}: {}", page.path, error_chain(&e)),
        );
        if let Some(source) = &page.source {
            d = d.with_note(format!("while rendering {source}"));
        }
        d
    })?;
    Ok(OutputFile {
        path: PathBuf::from(&page.path),
        bytes: html.into_bytes(),
    })
}

/// Tera puts the useful part of an error in its sources.
fn error_chain(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

fn robots_txt(site: &Site) -> OutputFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.base_url {
        text.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    OutputFile {
        path: PathBuf::from("robots.txt"),
        bytes: text.into_bytes(),
    }
}

/// `sitemap.xml` with language alternates; only when the site has a public address.
fn sitemap_xml(site: &Site) -> Option<OutputFile> {
    let base = site.base_url.as_deref()?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in &site.pages {
        if page.role == crate::link::PageRole::NotFound {
            continue;
        }
        let url = |path: &str| format!("{base}{}", path.strip_suffix("index.html").unwrap_or(path));
        xml.push_str(&format!("<url><loc>{}</loc>", xml_escape(&url(&page.path))));
        if page.role != crate::link::PageRole::Chooser {
            for alternate in &page.alternates {
                let path = alternate.url.trim_start_matches("../");
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    alternate.code,
                    xml_escape(&url(path))
                ));
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile {
        path: PathBuf::from("sitemap.xml"),
        bytes: xml.into_bytes(),
    })
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
