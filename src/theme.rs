//! Where templates and static files come from, in layers: the default theme
//! built into the binary, then `themes/<theme>/` in the site, then the site's
//! own `templates/` and `static/`. A later layer replaces a file of the same
//! name, so a site overrides one template without copying the theme.

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
use crate::output::Contents;
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub const DEFAULT_THEME_NAME: &str = "default";

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
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::default();
        theme.add_embedded();
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            theme.add_dir(root, &theme_dir.join("templates"), Layer::Templates)?;
            theme.add_dir(root, &theme_dir.join("static"), Layer::Static)?;
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
        Ok(theme)
    }

    fn add_embedded(&mut self) {
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
            }
        }
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
                    let text = std::fs::read_to_string(entry.path()).map_err(|e| {
                        Diagnostic::error(format!("cannot read this template: {e}"))
                            .in_file(&shown_path)
                            .with_hint("templates must be UTF-8 text")
                    })?;
                    self.templates
                        .insert(name, TemplateSource { shown_path, text });
                }
                Layer::Static => {
                    self.static_files
                        .insert(name, Contents::Copy(entry.path().to_path_buf()));
                }
            }
        }
        Ok(())
    }
}

enum Layer {
    Templates,
    Static,
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
