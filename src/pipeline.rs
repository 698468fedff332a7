//! Runs the stages in order: load → parse → link → render → write.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::{check_base_url, normalize_base_url};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Strings;
use crate::link::{PageRole, Site};
use crate::render::OutputFile;
use crate::{link, load, parse, render, write};

/// What the caller may override from `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root: the folder with `site.toml`.
    pub root: PathBuf,
    /// Output folder; relative paths are relative to the current directory.
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
}

/// The stage a build is in, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Load,
    Parse,
    Link,
    Render,
    Write,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "loading",
            Stage::Parse => "parsing",
            Stage::Link => "linking",
            Stage::Render => "rendering",
            Stage::Write => "writing",
        }
    }
}

/// What a finished build or check did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Where the site was written (`None` for `check`).
    pub output_dir: Option<PathBuf>,
    /// Pages per language code, in `site.toml` order.
    pub pages_per_language: Vec<(String, usize)>,
    /// Pages shown in a language with another language's text.
    pub fallback_pages: usize,
    pub files_written: usize,
    pub elapsed: Duration,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
}

impl BuildReport {
    /// One line: `Built 310 pages (es 100, en 100, fr 100) in 0.21 s into public`.
    pub fn summary(&self) -> String {
        let total: usize = self.pages_per_language.iter().map(|(_, n)| n).sum();
        let per_language: Vec<String> = self
            .pages_per_language
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        let verb = if self.output_dir.is_some() {
            "Built"
        } else {
            "Checked"
        };
        let mut line = format!(
            "{verb} {total} pages ({}) in {:.2} s",
            per_language.join(", "),
            self.elapsed.as_secs_f64()
        );
        if self.fallback_pages > 0 {
            line.push_str(&format!(", {} awaiting translation", self.fallback_pages));
        }
        if let Some(dir) = &self.output_dir {
            let dir = dir.strip_prefix(".").unwrap_or(dir);
            line.push_str(&format!(" into {}", dir.display()));
        }
        if !self.warnings.is_empty() {
            line.push_str(&format!(", {} warning(s)", self.warnings.len()));
        }
        line
    }
}

/// Everything up to and including rendering, shared by `build` and `check`.
struct Rendered {
    inputs: load::Inputs,
    site: Site,
    files: Vec<OutputFile>,
    warnings: Diagnostics,
}

fn run_to_render(
    options: &BuildOptions,
    progress: &dyn Fn(Stage),
) -> Result<Rendered, Diagnostics> {
    progress(Stage::Load);
    let (mut inputs, unreadable) = load::load(&options.root)?;
    if let Some(url) = &options.base_url {
        check_base_url(url).map_err(|m| Diagnostic::error("--base-url", m))?;
        inputs.config.base_url = Some(url.clone());
    }
    let base_url = inputs.config.base_url.as_deref().map(normalize_base_url);
    let (strings, mut warnings) = Strings::load(&inputs.theme, &inputs.config)?;
    let tera = render::compile(&inputs.theme)?;

    progress(Stage::Parse);
    // Files that could not be read are reported with the parse errors.
    let corpus = match parse::parse(&inputs.content, &inputs.config) {
        Ok(corpus) if !unreadable.has_errors() => corpus,
        Ok(_) => return Err(unreadable),
        Err(mut problems) => {
            problems.extend(unreadable);
            return Err(problems);
        }
    };

    progress(Stage::Link);
    let site = link::link(&corpus, &inputs.config, &strings, base_url.as_deref())?;
    // Pages carry everything from here on; free the corpus before rendering.
    drop(corpus);

    progress(Stage::Render);
    let files = render::render(&site, &tera, &strings, &inputs.theme.name)?;
    warnings.sort();
    Ok(Rendered {
        inputs,
        site,
        files,
        warnings,
    })
}

fn report(
    rendered: &Rendered,
    output_dir: Option<PathBuf>,
    files_written: usize,
    started: Instant,
) -> BuildReport {
    let mut per_language: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fallback_pages = 0;
    for page in &rendered.site.pages {
        if matches!(page.role, PageRole::Chooser | PageRole::NotFound) {
            continue;
        }
        *per_language.entry(page.lang.as_str()).or_default() += 1;
        fallback_pages += usize::from(page.missing_translation);
    }
    BuildReport {
        output_dir,
        pages_per_language: rendered
            .inputs
            .config
            .languages
            .iter()
            .map(|l| {
                (
                    l.code.clone(),
                    per_language.get(l.code.as_str()).copied().unwrap_or(0),
                )
            })
            .collect(),
        fallback_pages,
        files_written,
        elapsed: started.elapsed(),
        warnings: rendered.warnings.clone(),
    }
}

/// Validates everything `build` would, writing nothing.
pub fn check(options: &BuildOptions, progress: &dyn Fn(Stage)) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let rendered = run_to_render(options, progress)?;
    Ok(report(&rendered, None, 0, started))
}

/// Builds the site and swaps it into the output folder; on any error the old output is untouched.
pub fn build(options: &BuildOptions, progress: &dyn Fn(Stage)) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let rendered = run_to_render(options, progress)?;
    let output = options
        .output_dir
        .clone()
        .unwrap_or_else(|| options.root.join(&rendered.inputs.config.output_dir));
    write::check_output_dir(&options.root, &output)?;

    progress(Stage::Write);
    write::write_site(&output, &rendered.files, &rendered.inputs.theme.assets)?;
    let written = rendered.files.len() + rendered.inputs.theme.assets.len();
    Ok(report(&rendered, Some(output), written, started))
}
