//! Where templates, static files and the theme's texts come from, in layers:
//! the default theme built into the binary, then `themes/<theme>/` in the
//! site, then the site's own `templates/`, `static/` and `i18n/`. A later
//! layer replaces a file of the same name, so a site overrides one template
//! without copying the theme; for texts it replaces single keys (see
//! [`crate::render::i18n`]).

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
use crate::output::Contents;
use crate::render::i18n::{self, I18n};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub const DEFAULT_THEME_NAME: &str = "default";

/// The folder of a theme, and of a site, that holds `<lang>.toml` texts.
pub const I18N_DIR: &str = "i18n";

#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Where the user finds it, for error messages.
    pub shown_path: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// By template name (`page.html`, `partials/nav.html`).
    pub templates: BTreeMap<String, TemplateSource>,
    /// By path inside the output.
    pub static_files: BTreeMap<String, Contents>,
    /// The texts `trans` gives, by language.
    pub i18n: I18n,
    /// Symbolic links in the site's theme folders, left out (as in content/).
    pub skipped_links: Vec<PathBuf>,
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostic> {
        let mut theme = Theme {
            i18n: I18n::new(&config.default_language),
            ..Theme::default()
        };
        theme.add_embedded()?;
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            theme.add_dir(root, &theme_dir.join("templates"), Layer::Templates)?;
            theme.add_dir(root, &theme_dir.join("static"), Layer::Static)?;
            theme.add_dir(root, &theme_dir.join(I18N_DIR), Layer::I18n)?;
        } else if config.theme != DEFAULT_THEME_NAME {
            return Err(Diagnostic::error(format!(
                "the theme `{}` is not in themes/{}/",
                config.theme, config.theme
            ))
            .in_file(CONFIG_FILE)
            .with_hint(
                "use theme = \"default\" (built in), or put the theme's folder under themes/",
            ));
        }
        theme.add_dir(root, &root.join("templates"), Layer::Templates)?;
        theme.add_dir(root, &root.join("static"), Layer::Static)?;
        theme.add_dir(root, &root.join(I18N_DIR), Layer::I18n)?;
        Ok(theme)
    }

    /// A warning for each site language the theme has no words in (its
    /// pages would show the default language's, the language switcher
    /// included) and for each link left out of its folders.
    pub fn warnings(&self, config: &Config) -> Vec<Diagnostic> {
        let links = self
            .skipped_links
            .iter()
            .map(|shown| Diagnostic::skipped_link(shown));
        config
            .languages
            .iter()
            .filter(|lang| !self.i18n.has_language(lang))
            .map(|lang| {
                Diagnostic::warning(format!(
                    "the theme has no words in `{lang}`: its pages show the {} ones",
                    config.default_language
                ))
                .in_file(CONFIG_FILE)
                .with_hint(format!(
                    "add {I18N_DIR}/{lang}.toml to the site, with the keys of the theme's {I18N_DIR}/{}.toml",
                    config.default_language
                ))
            })
            .chain(links)
            .collect()
    }

    fn add_embedded(&mut self) -> Result<(), Diagnostic> {
        let shown = Path::new("themes/default");
        for file in all_files(&DEFAULT_THEME) {
            let path = file.path();
            if let Ok(name) = path.strip_prefix("templates") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                self.templates.insert(
                    slash_path(name),
                    TemplateSource {
                        shown_path: shown.join(path),
                        text,
                    },
                );
            } else if let Ok(name) = path.strip_prefix("static") {
                self.static_files
                    .insert(slash_path(name), Contents::Static(file.contents()));
            } else if let Some(lang) = path.strip_prefix(I18N_DIR).ok().and_then(i18n_language) {
                let text = String::from_utf8_lossy(file.contents());
                self.i18n.add(lang, i18n::parse(&shown.join(path), &text)?);
            }
        }
        Ok(())
    }

    fn add_dir(&mut self, root: &Path, dir: &Path, layer: Layer) -> Result<(), Diagnostic> {
        if !dir.is_dir() {
            return Ok(());
        }
        let walker = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !crate::content::load::is_ignored(&e.file_name().to_string_lossy())
            });
        for entry in walker {
            let entry = entry
                .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?;
            if entry.path_is_symlink() {
                self.skipped_links
                    .push(crate::diagnostics::display_path(root, entry.path()));
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(name) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let name = slash_path(name);
            let shown_path = crate::diagnostics::display_path(root, entry.path());
            match layer {
                Layer::Templates => {
                    let text = crate::text_file::read(entry.path(), &shown_path).map_err(|e| {
                        e.into_diagnostic(|e| {
                            Diagnostic::error(format!("cannot read this template: {e}"))
                                .in_file(&shown_path)
                        })
                    })?;
                    self.templates
                        .insert(name, TemplateSource { shown_path, text });
                }
                Layer::Static => {
                    self.static_files
                        .insert(name, Contents::Copy(entry.path().to_path_buf()));
                }
                Layer::I18n => {
                    let Some(lang) = i18n_language(Path::new(&name)) else {
                        continue;
                    };
                    let text = crate::text_file::read(entry.path(), &shown_path).map_err(|e| {
                        e.into_diagnostic(|e| {
                            Diagnostic::error(format!("cannot read this translation file: {e}"))
                                .in_file(&shown_path)
                        })
                    })?;
                    self.i18n.add(lang, i18n::parse(&shown_path, &text)?);
                }
            }
        }
        Ok(())
    }
}

enum Layer {
    Templates,
    Static,
    I18n,
}

/// The language of a texts file, `en` for `en.toml`, from its path inside
/// `i18n/`. Other files (a README, anything in a subfolder) are not texts and
/// are passed over.
fn i18n_language(name: &Path) -> Option<&str> {
    if name.components().count() != 1 {
        return None;
    }
    name.to_str()?
        .strip_suffix(".toml")
        .filter(|lang| !lang.is_empty())
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<&include_dir::File> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files.sort_by(|a, b| a.path().cmp(b.path()));
    files
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary folder");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    fn load(root: &Path) -> Result<Theme, Diagnostic> {
        let config = Config::parse(
            Path::new(CONFIG_FILE),
            "title = \"示例\"\nbase_url = \"https://example.org\"\ntheme = \"ocean\"\n",
        )
        .expect("a valid site.toml");
        Theme::load(root, &config)
    }

    #[test]
    fn texts_come_from_the_built_in_theme_then_the_theme_then_the_site() {
        let dir = site(&[
            (
                "themes/ocean/i18n/en.toml",
                "home = \"Start\"\nskip_link = \"Skip\"\n",
            ),
            ("themes/ocean/i18n/README.md", "not a texts file"),
            ("i18n/en.toml", "skip_link = \"Skip to the page\"\n"),
            ("i18n/zh-CN.toml", "home = \"网站首页\"\n"),
        ]);
        let theme = load(dir.path()).unwrap();
        let text = |key, lang| theme.i18n.text(key, lang).unwrap();
        // The site's file replaces one key and keeps the rest.
        assert_eq!(text("skip_link", "en"), "Skip to the page");
        assert_eq!(text("home", "en"), "Start");
        assert_eq!(text("tags", "en"), "Tags");
        assert_eq!(text("home", "zh-CN"), "网站首页");
        assert_eq!(text("skip_link", "zh-CN"), "跳到正文");
    }

    #[test]
    fn a_broken_texts_file_is_reported_at_its_line_and_column() {
        let dir = site(&[
            ("themes/ocean/templates/.keep", ""),
            ("i18n/en.toml", "home = \"Home\"\ntags = [\"Tags\"]\n"),
        ]);
        let err = load(dir.path()).unwrap_err();
        assert_eq!(err.file.as_deref(), Some(Path::new("i18n/en.toml")));
        let at = err.position.unwrap();
        assert_eq!((at.line, at.column), (2, 8), "{err}");
        assert_eq!(
            err.message, "`tags` must be text in double quotes, not a list",
            "{err}"
        );

        let dir = site(&[("themes/ocean/i18n/en.toml", "home = \"Home\n")]);
        let err = load(dir.path()).unwrap_err();
        assert_eq!(
            err.file.as_deref(),
            Some(Path::new("themes/ocean/i18n/en.toml"))
        );
        assert_eq!(err.position.unwrap().line, 1, "{err}");
    }
}
