//! UI strings per language from the theme's `i18n/<lang>.toml`, falling back to the default language.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Theme;

/// The UI strings of every language, each already completed from the default language.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl Strings {
    /// Reads the theme's string tables; warns about keys a language lacks.
    pub fn load(theme: &Theme, config: &SiteConfig) -> Result<(Self, Diagnostics), Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut raw: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for language in &config.languages {
            let Some(source) = theme.strings.get(&language.code) else {
                let file = format!("themes/{}/i18n/{}.toml", theme.name, language.code);
                let diagnostic = if language.code == config.default_language {
                    Diagnostic::error(file, "the default language has no UI strings file")
                } else {
                    Diagnostic::warning(
                        file,
                        format!(
                            "no UI strings for `{}`: the default language's are used",
                            language.code
                        ),
                    )
                };
                problems.push(diagnostic);
                continue;
            };
            match toml::from_str::<BTreeMap<String, String>>(&source.text) {
                Ok(table) => {
                    raw.insert(language.code.clone(), table);
                }
                Err(e) => {
                    let mut d = Diagnostic::error(
                        &source.path,
                        format!("UI strings: {} (every key must be a string)", e.message()),
                    );
                    if let Some(span) = e.span() {
                        d = d.at(&source.text, span);
                    }
                    problems.push(d);
                }
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let default = raw
            .get(&config.default_language)
            .cloned()
            .unwrap_or_default();
        let mut tables = BTreeMap::new();
        for language in &config.languages {
            let mut table = default.clone();
            if let Some(own) = raw.get(&language.code) {
                for key in default.keys().filter(|k| !own.contains_key(*k)) {
                    if let Some(source) = theme.strings.get(&language.code) {
                        problems.push(Diagnostic::warning(
                            &source.path,
                            format!(
                                "missing UI string `{key}`: the {} text is used",
                                config.default_language
                            ),
                        ));
                    }
                }
                table.extend(own.clone());
            }
            tables.insert(language.code.clone(), table);
        }
        Ok((Self { tables }, problems))
    }

    /// The whole table for a language (empty if the language is unknown).
    pub fn table(&self, lang: &str) -> BTreeMap<String, String> {
        self.tables.get(lang).cloned().unwrap_or_default()
    }

    /// One string, with `{name}` placeholders filled from `args`; the key itself if missing.
    pub fn get(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        let template = self
            .tables
            .get(lang)
            .and_then(|t| t.get(key))
            .map_or(key, String::as_str);
        let mut text = template.to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;
    use crate::load::Source;
    use std::sync::Arc;

    #[test]
    fn missing_keys_fall_back_and_warn() {
        let language = |code: &str| Language {
            code: code.into(),
            name: code.into(),
            title: code.into(),
            description: String::new(),
        };
        let config = SiteConfig {
            default_language: "es".into(),
            languages: vec![language("es"), language("fr")],
            output_dir: "public".into(),
            theme: "t".into(),
            base_url: None,
        };
        let source = |lang: &str, text: &str| Source {
            path: format!("themes/t/i18n/{lang}.toml").into(),
            text: Arc::from(text),
        };
        let theme = Theme {
            name: "t".into(),
            strings: [
                (
                    "es".into(),
                    source("es", "home = \"Inicio\"\nparagraph = \"Párrafo {n}\"\n"),
                ),
                ("fr".into(), source("fr", "home = \"Accueil\"\n")),
            ]
            .into(),
            ..Theme::default()
        };
        let (strings, warnings) = Strings::load(&theme, &config).unwrap();
        assert_eq!(strings.get("fr", "home", &[]), "Accueil");
        assert_eq!(strings.get("fr", "paragraph", &[("n", "3")]), "Párrafo 3");
        let warning = warnings.0[0].to_string();
        assert!(warning.contains("themes/t/i18n/fr.toml"), "{warning}");
        assert!(
            warning.contains("missing UI string `paragraph`"),
            "{warning}"
        );
    }
}
