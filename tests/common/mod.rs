//! Helpers shared by the end-to-end tests: fixture sites and an output link checker.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

/// The repository root (where the default theme lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A small three-language site in a temporary folder, using the real default theme.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let fixture = Self { dir };
        fixture.write(
            "site.toml",
            r#"default_language = "es"
[[languages]]
code = "es"
name = "Español"
title = "Cartilla de prueba"
[[languages]]
code = "en"
name = "English"
title = "Test primer"
[[languages]]
code = "fr"
name = "Français"
title = "Livret d'essai"
"#,
        );
        copy_dir(
            &repo().join("themes/default"),
            &fixture.root().join("themes/default"),
        );
        fixture.write(
            "content/plan/_index.es.md",
            "---\nkind: document\ntitle: Plan de acción\nsymbol: PLAN/1\n---\nIntroducción del plan.\n",
        );
        fixture.write(
            "content/plan/_index.en.md",
            "---\nkind: document\ntitle: Action plan\nsymbol: PLAN/1\n---\nThe plan's introduction.\n",
        );
        fixture.write(
            "content/plan/area/_index.es.md",
            "---\nkind: section\ntitle: Protección\nweight: 1\n---\nFortalecer las instituciones.\n",
        );
        fixture.write(
            "content/plan/area/commitment-1.es.md",
            "---\nkind: mirps-commitment\nnumber: 1\n---\n**Fortalecer** el instituto. Véase el [párrafo 13](@obs/para-13#para-13-a).\n",
        );
        fixture.write(
            "content/plan/area/commitment-1.en.md",
            "---\nkind: mirps-commitment\nnumber: 1\n---\n**Strengthen** the institute. See [paragraph 13](@obs/para-13#para-13-a).\n",
        );
        fixture.write(
            "content/obs/_index.en.md",
            "---\nkind: document\ntitle: Concluding observations\n---\nAdopted in 2019.\n",
        );
        fixture.write(
            "content/obs/para-13.en.md",
            "---\nkind: co-paragraph\nnumber: 13\ntype: recommendation\nheading: Legislation\n---\nThe Committee recommends that the State party:\n\n(a) Adopt regulations;\n\n(b) Amend the Code.\n",
        );
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.root().join(path);
        fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        fs::write(full, text).expect("write");
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn build(&self) -> Result<cartilla::BuildReport, cartilla::Diagnostics> {
        cartilla::build(
            &cartilla::BuildOptions {
                root: self.root().to_path_buf(),
                ..Default::default()
            },
            &|_| {},
        )
    }

    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    cartilla::synthetic::copy_dir(from, to).expect("copy the theme");
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> HashMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Checks every `href`/`src` of every HTML file under `site` resolves on disk,
/// anchors included, and that no URL is absolute or names a folder. Returns the problems.
pub fn broken_links(site: &Path) -> Vec<String> {
    let selector = Selector::parse("[href], [src]").expect("selector");
    let id_selector = Selector::parse("[id]").expect("selector");
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.expect("walk").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let mut ids_of = |path: &Path| -> HashSet<String> {
        ids.entry(path.to_path_buf())
            .or_insert_with(|| {
                let html = Html::parse_document(&fs::read_to_string(path).unwrap_or_default());
                html.select(&id_selector)
                    .filter_map(|e| e.value().attr("id").map(str::to_owned))
                    .collect()
            })
            .clone()
    };
    for page in &pages {
        let html = Html::parse_document(&fs::read_to_string(page).expect("read page"));
        for element in html.select(&selector) {
            let value = element.value();
            let url = value.attr("href").or(value.attr("src")).unwrap_or_default();
            if url.starts_with("http://")
                || url.starts_with("https://")
                || url.starts_with("mailto:")
            {
                continue;
            }
            let shown = format!(
                "{} -> {url}",
                page.strip_prefix(site).unwrap_or(page).display()
            );
            if url.starts_with('/') || url.starts_with("file:") {
                problems.push(format!("{shown}: absolute URL"));
                continue;
            }
            let (file, anchor) = url
                .split_once('#')
                .map_or((url, None), |(f, a)| (f, Some(a)));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().expect("parent").join(file)
            };
            if !target.is_file() {
                problems.push(format!("{shown}: no such file"));
                continue;
            }
            if let Some(anchor) = anchor {
                if !ids_of(&target).contains(anchor) {
                    problems.push(format!("{shown}: no element with id `{anchor}`"));
                }
            }
        }
    }
    problems
}
