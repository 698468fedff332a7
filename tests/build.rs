//! End-to-end tests of `cartilla build` on fixture sites.

mod common;

use std::fs;

use common::{broken_links, snapshot, Fixture};
use scraper::{Html, Selector};

/// Builds the bundled content into a temporary folder; keep the guard alive while reading.
fn build_bundled() -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().expect("tempdir");
    let output = out.path().join("site");
    cartilla::build(
        &cartilla::BuildOptions {
            root: common::repo(),
            output_dir: Some(output.clone()),
            base_url: None,
        },
        &|_| {},
    )
    .expect("the bundled content builds");
    (out, output)
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

#[test]
fn builds_every_page_in_every_language() {
    let site = Fixture::new();
    let report = site.build().expect("build");
    assert_eq!(
        report.pages_per_language,
        [
            ("es".to_owned(), 6),
            ("en".to_owned(), 6),
            ("fr".to_owned(), 6)
        ]
    );
    for lang in ["es", "en", "fr"] {
        for path in [
            "index.html",
            "plan/index.html",
            "plan/area/index.html",
            "plan/commitment-1/index.html",
            "obs/index.html",
            "obs/para-13/index.html",
        ] {
            assert!(
                site.output().join(lang).join(path).is_file(),
                "{lang}/{path}"
            );
        }
    }
    for file in ["index.html", "404.html", "robots.txt", "assets/style.css"] {
        assert!(site.output().join(file).is_file(), "{file}");
    }
    // No base URL: no sitemap, no canonical links.
    assert!(!site.output().join("sitemap.xml").exists());
    assert!(!site.read("es/index.html").contains("rel=canonical"));
}

#[test]
fn every_link_and_anchor_resolves_on_disk() {
    let site = Fixture::new();
    site.build().expect("build");
    let problems = broken_links(&site.output());
    assert!(problems.is_empty(), "{problems:#?}");
    // The reference by id became a relative link to the paragraph's anchor in each language.
    let page = site.read("fr/plan/commitment-1/index.html");
    assert!(
        page.contains("../../../fr/obs/para-13/index.html#para-13-a"),
        "{page}"
    );
}

#[test]
fn the_bundled_site_has_no_broken_links() {
    let (_out, output) = build_bundled();
    let problems = broken_links(&output);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_accessible_structure(&output);
    // Every item has a page in every language.
    for lang in ["es", "en", "fr"] {
        assert!(output
            .join(lang)
            .join("co-gtm-2/para-58/index.html")
            .is_file());
        assert!(output
            .join(lang)
            .join("mirps/commitment-27/index.html")
            .is_file());
    }
}

#[test]
fn missing_translations_fall_back_with_a_notice_and_the_right_lang() {
    let site = Fixture::new();
    site.build().expect("build");
    // Only in English: Spanish and French pages show the English text, marked.
    for (lang, notice) in [
        ("es", "aún no está traducida"),
        ("fr", "pas encore traduite"),
    ] {
        let html = Html::parse_document(&site.read(&format!("{lang}/obs/para-13/index.html")));
        let root = select(&html, "html")[0];
        assert_eq!(
            root.value().attr("lang"),
            Some("en"),
            "{lang}: html lang is the text's"
        );
        let notices: Vec<String> = select(&html, ".notice")
            .iter()
            .map(|n| n.text().collect())
            .collect();
        assert!(
            notices.iter().any(|n| n.contains(notice)),
            "{lang}: {notices:?}"
        );
        let note = select(&html, ".notice")[0];
        assert_eq!(
            note.value().attr("lang"),
            Some(lang),
            "the notice is in the reader's language"
        );
        let header = select(&html, "header.site")[0];
        assert_eq!(header.value().attr("lang"), Some(lang));
    }
    // Translated pages carry no notice.
    let html = Html::parse_document(&site.read("en/obs/para-13/index.html"));
    assert!(select(&html, ".notice").is_empty());
    assert_eq!(select(&html, "html")[0].value().attr("lang"), Some("en"));
    let html = Html::parse_document(&site.read("es/plan/commitment-1/index.html"));
    assert_eq!(select(&html, "html")[0].value().attr("lang"), Some("es"));
    assert!(select(&html, ".notice").is_empty());
}

#[test]
fn alternates_and_language_switcher_point_to_the_same_page() {
    let site = Fixture::new();
    site.build().expect("build");
    let html = Html::parse_document(&site.read("en/plan/commitment-1/index.html"));
    let alternates: Vec<(String, String)> = select(&html, "link[rel=alternate]")
        .iter()
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap_or_default().to_owned(),
                l.value().attr("href").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        alternates,
        ["es", "en", "fr"].map(|l| (
            l.to_owned(),
            format!("../../../{l}/plan/commitment-1/index.html")
        ))
    );
    let switcher: Vec<&str> = select(&html, "nav.langs a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        switcher,
        alternates
            .iter()
            .map(|(_, h)| h.as_str())
            .collect::<Vec<_>>()
    );
    let current = select(&html, "nav.langs a[aria-current=page]");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].value().attr("hreflang"), Some("en"));
}

#[test]
fn root_chooser_works_without_javascript() {
    let site = Fixture::new();
    site.build().expect("build");
    let html = Html::parse_document(&site.read("index.html"));
    assert!(select(&html, "script").is_empty());
    let links: Vec<(&str, &str)> = select(&html, "main a")
        .iter()
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default(),
                a.value().attr("hreflang").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("es/index.html", "es"),
            ("en/index.html", "en"),
            ("fr/index.html", "fr")
        ]
    );
}

#[test]
fn base_url_adds_canonical_links_and_a_sitemap_only() {
    let site = Fixture::new();
    cartilla::build(
        &cartilla::BuildOptions {
            root: site.root().to_path_buf(),
            output_dir: None,
            base_url: Some("https://example.org/cartilla".into()),
        },
        &|_| {},
    )
    .expect("build");
    let page = site.read("es/plan/index.html");
    assert!(
        page.contains("https://example.org/cartilla/es/plan/"),
        "{page}"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/cartilla/fr/obs/para-13/</loc>"),
        "{sitemap}"
    );
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://example.org/cartilla/sitemap.xml"));
    // Internal links stay relative.
    assert!(broken_links(&site.output()).is_empty());
}

/// Builds once, breaks the content with `breakage`, and checks the error and that the site is untouched.
fn assert_fails_cleanly(breakage: impl Fn(&Fixture), expected: &[&str]) {
    let site = Fixture::new();
    site.build().expect("first build");
    let before = snapshot(&site.output());
    breakage(&site);
    let errors = site.build().expect_err("the build must fail").to_string();
    for needle in expected {
        assert!(errors.contains(needle), "expected `{needle}` in:\n{errors}");
    }
    assert_eq!(
        snapshot(&site.output()),
        before,
        "the previous site must be untouched"
    );
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .expect("read root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn broken_front_matter_names_file_and_line() {
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/obs/para-13.en.md",
                "---\nkind: co-paragraph\nnumber: [13\n---\nText.\n",
            )
        },
        &["content/obs/para-13.en.md:3:", "error: front matter:"],
    );
}

#[test]
fn unknown_field_names_file_and_line() {
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/obs/para-13.en.md",
                "---\nkind: co-paragraph\nnumber: 13\ntype: concern\nparagraf: 2\n---\nText.\n",
            )
        },
        &["content/obs/para-13.en.md:5:1: error: front matter: unknown field `paragraf`"],
    );
}

#[test]
fn duplicate_id_names_both_files() {
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/obs/other/_index.en.md",
                "---\nkind: section\ntitle: Other\n---\n",
            );
            site.write(
                "content/obs/other/para-13.en.md",
                "---\nkind: co-paragraph\nnumber: 13\ntype: concern\n---\nText.\n",
            );
        },
        &["content/obs/para-13.en.md:1:1: error: duplicate id `obs/para-13` in language `en`: content/obs/other/para-13.en.md has it too"],
    );
}

#[test]
fn dangling_reference_names_file_line_and_column() {
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/plan/area/commitment-1.en.md",
                "---\nkind: mirps-commitment\nnumber: 1\n---\nFirst line.\nSee [paragraph 99](@obs/para-99).\n",
            )
        },
        &["content/plan/area/commitment-1.en.md:6:5: error: unknown id `obs/para-99`"],
    );
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/plan/area/commitment-1.en.md",
                "---\nkind: mirps-commitment\nnumber: 1\n---\nSee [it](@obs/para-13#para-13-z).\n",
            )
        },
        &["commitment-1.en.md:5:5: error: `obs/para-13` has no anchor `#para-13-z`"],
    );
}

#[test]
fn translations_must_agree_on_neutral_fields() {
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/plan/area/commitment-1.es.md",
                "---\nkind: mirps-commitment\nnumber: 2\n---\nTexto.\n",
            )
        },
        &[
            "commitment-1",
            ":3:1: error: `number` differs from the translation",
        ],
    );
}

#[test]
fn invalid_utf8_and_empty_files_are_errors_not_panics() {
    assert_fails_cleanly(
        |site| {
            fs::write(
                site.root().join("content/obs/para-13.en.md"),
                b"---\nkind: co-paragraph\nnumber: 13\ntype: concern\n---\nCaf\xe9.\n",
            )
            .expect("write");
            site.write("content/obs/para-14.en.md", "");
        },
        &[
            "content/obs/para-13.en.md:6:4: error: the file is not valid UTF-8",
            "content/obs/para-14.en.md: error: the file is empty",
        ],
    );
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/obs/para-14.en.md",
                "---\nkind: co-paragraph\nnumber: 14\n---\n",
            );
            site.write("content/obs/para-15.en.md", "---\nkind: sonnet\n---\n");
            site.write("content/obs/para-16.en.md", "no front matter\n");
        },
        &[
            "para-14.en.md:2:1",
            "missing field `type`",
            "para-15.en.md:2:1: error: unknown kind `sonnet`",
            "para-16.en.md:1:1",
        ],
    );
}

#[test]
fn missing_section_index_and_bad_file_names_are_errors() {
    assert_fails_cleanly(
        |site| {
            site.write(
                "content/obs/nowhere/para-20.en.md",
                "---\nkind: co-paragraph\nnumber: 20\ntype: concern\n---\nX\n",
            );
        },
        &["`obs/nowhere` does not exist: add content/obs/nowhere/_index.<lang>.md"],
    );
    assert_fails_cleanly(
        |site| site.write("content/obs/para-21.md", "---\nkind: page\ntitle: x\n---\n"),
        &["content/obs/para-21.md: error: the file name has no language: name it `para-21.es.md`"],
    );
}

#[test]
fn a_paragraph_page_stays_within_the_weight_budget() {
    let (_out, output) = build_bundled();
    let css = fs::metadata(output.join("assets/style.css"))
        .expect("css")
        .len();
    for page in [
        "es/co-gtm-2/para-19/index.html",
        "en/co-gtm-2/para-13/index.html",
        "es/mirps/commitment-6/index.html",
    ] {
        let html = fs::metadata(output.join(page)).expect("page").len();
        assert!(html + css < 50 * 1024, "{page}: {html} + {css} bytes");
    }
}

/// Landmarks, a skip link, one `h1`, headings that never skip a level, no scripts, no outside requests.
fn assert_accessible_structure(site: &std::path::Path) {
    for entry in walkdir::WalkDir::new(site) {
        let path = entry.expect("walk").into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let name = path
            .strip_prefix(site)
            .expect("prefix")
            .display()
            .to_string();
        let html = Html::parse_document(&fs::read_to_string(&path).expect("read"));
        assert_eq!(select(&html, "main").len(), 1, "{name}: one main");
        assert_eq!(select(&html, "h1").len(), 1, "{name}: one h1");
        assert!(
            select(&html, "script, iframe, link[rel=preload]").is_empty(),
            "{name}"
        );
        assert!(!select(&html, "html[lang]").is_empty(), "{name}: lang");
        if name == "index.html" || name == "404.html" {
            continue;
        }
        assert_eq!(
            select(&html, "header.site nav.langs").len(),
            1,
            "{name}: language switcher in the banner"
        );
        assert_eq!(select(&html, "footer.site").len(), 1, "{name}: footer");
        let skip = select(&html, "body > a.skip");
        assert_eq!(
            skip.first().and_then(|a| a.value().attr("href")),
            Some("#main"),
            "{name}: skip link"
        );
        let mut level = 1;
        for heading in select(&html, "h1, h2, h3, h4, h5, h6") {
            let this: usize = heading.value().name()[1..].parse().expect("level");
            assert!(
                this <= level + 1,
                "{name}: heading level jumps from h{level} to h{this}"
            );
            level = this;
        }
    }
}
