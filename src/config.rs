//! `site.toml`: the site's title, languages, output folder, theme and base URL.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The whole of `site.toml`, checked.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Code of the language pages fall back to when a translation is missing.
    pub default_language: String,
    /// The languages, in the order the language chooser shows them.
    pub languages: Vec<Language>,
    /// Where `build` writes the site, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Public address of the site; only used for canonical links and `sitemap.xml`.
    #[serde(default)]
    pub base_url: Option<String>,
}

/// One language of the site.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// BCP 47 code, used in folder names and `lang` attributes: `es`, `en`, `fr`.
    pub code: String,
    /// The language's name in itself, shown in the language switcher.
    pub name: String,
    /// The site's title in this language.
    pub title: String,
    /// One sentence saying what the site is, in this language.
    #[serde(default)]
    pub description: String,
}

fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}

fn default_theme() -> String {
    "default".to_owned()
}

impl SiteConfig {
    /// Parses and checks `site.toml`; `path` is only used in messages.
    pub fn parse(path: &std::path::Path, text: &Arc<str>) -> Result<Self, Vec<Diagnostic>> {
        let config: SiteConfig = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(path, e.message().to_owned());
            if let Some(span) = e.span() {
                d = d.at(text, span);
            }
            vec![d]
        })?;
        let problems = config.problems();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems
                .into_iter()
                .map(|(key, message)| locate_key(Diagnostic::error(path, message), text, &key))
                .collect())
        }
    }

    /// Semantic checks serde cannot express, as (key, message) pairs.
    fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if self.languages.is_empty() {
            problems.push(("languages".into(), "at least one language is needed".into()));
        }
        for (i, language) in self.languages.iter().enumerate() {
            if !is_language_code(&language.code) {
                problems.push((
                    "code".into(),
                    format!(
                        "`{}` is not a language code (use lowercase letters such as `es`)",
                        language.code
                    ),
                ));
            }
            if self.languages[..i].iter().any(|l| l.code == language.code) {
                problems.push((
                    "code".into(),
                    format!("language `{}` is declared twice", language.code),
                ));
            }
        }
        if !self
            .languages
            .iter()
            .any(|l| l.code == self.default_language)
        {
            problems.push((
                "default_language".into(),
                format!(
                    "default_language `{}` is not one of the declared languages",
                    self.default_language
                ),
            ));
        }
        if let Some(url) = &self.base_url {
            if let Err(message) = check_base_url(url) {
                problems.push(("base_url".into(), message));
            }
        }
        if self.theme.is_empty() || self.theme.contains(['/', '\\']) || self.theme == ".." {
            problems.push((
                "theme".into(),
                "theme must be a folder name under themes/".into(),
            ));
        }
        problems
    }

    /// The language pages fall back to.
    pub fn default_language(&self) -> &Language {
        self.languages
            .iter()
            .find(|l| l.code == self.default_language)
            .unwrap_or(&self.languages[0])
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Language codes in the order a missing translation falls back through:
    /// the default language first, then the others in declared order.
    pub fn fallback_order(&self) -> Vec<&str> {
        let mut order = vec![self.default_language.as_str()];
        order.extend(
            self.languages
                .iter()
                .map(|l| l.code.as_str())
                .filter(|c| *c != self.default_language),
        );
        order
    }
}

/// Checks a base URL given in `site.toml` or on the command line.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || url.contains(char::is_whitespace) {
        return Err(format!(
            "base_url `{url}` must be an absolute http:// or https:// address"
        ));
    }
    Ok(())
}

/// Adds the trailing slash a base URL needs before paths are appended.
pub fn normalize_base_url(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()));
    primary_ok && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Points a diagnostic at the first line that sets `key`, if there is one.
fn locate_key(diagnostic: Diagnostic, text: &Arc<str>, key: &str) -> Diagnostic {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let is_key = trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if is_key {
            let start = offset + (line.len() - trimmed.len());
            return diagnostic.at(text, start..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(Path::new("site.toml"), &Arc::from(text))
    }

    const GOOD: &str = r#"
default_language = "es"
[[languages]]
code = "es"
name = "Español"
title = "Cartilla"
[[languages]]
code = "en"
name = "English"
title = "Primer"
"#;

    #[test]
    fn defaults_apply() {
        let config = parse(GOOD).unwrap();
        assert_eq!(config.output_dir, PathBuf::from("public"));
        assert_eq!(config.theme, "default");
        assert_eq!(config.fallback_order(), ["es", "en"]);
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let errors = parse(&format!("{GOOD}colour = \"red\"\n")).unwrap_err();
        let shown = errors[0].to_string();
        assert!(shown.starts_with("site.toml:11:"), "{shown}");
        assert!(shown.contains("unknown field `colour`"), "{shown}");
    }

    #[test]
    fn default_language_must_be_declared() {
        let errors = parse(&GOOD.replace("default_language = \"es\"", "default_language = \"fr\""))
            .unwrap_err();
        assert!(errors[0]
            .to_string()
            .starts_with("site.toml:2:1: error: default_language `fr`"));
    }

    #[test]
    fn bad_base_url_is_refused() {
        let errors = parse(&format!("base_url = \"example.org\"\n{GOOD}")).unwrap_err();
        assert!(errors[0].to_string().contains("base_url `example.org`"));
    }
}
