//! Decides what a batch of file events means for the site: a pure function
//! from changed paths to a [`Plan`], unit-tested without a watcher.
//!
//! It reads nothing from the disk: by the time a plan is made the file may be
//! gone or renamed again, so the path alone decides. The one thing a name
//! cannot tell — whether it is a folder — is decided by its extension, and a
//! caller that knows better says so with [`Plan::add_folder`].

use crate::config::CONFIG_FILE;
use crate::content::load::{CONTENT_DIR, is_ignored};
use crate::theme::I18N_DIR;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The folders at the top of a site that feed the build. The watcher watches
/// these (and `site.toml`) and nothing else, so output folders such as
/// `public/` and a `target/` beside the site are never looked at.
pub const SOURCE_DIRS: [&str; 6] = [
    CONTENT_DIR,
    DATA_DIR,
    TEMPLATES_DIR,
    THEMES_DIR,
    STATIC_DIR,
    I18N_DIR,
];

const DATA_DIR: &str = "data";
const TEMPLATES_DIR: &str = "templates";
const THEMES_DIR: &str = "themes";
const STATIC_DIR: &str = "static";

/// What must be redone after a batch of file changes. The engine does the
/// least work that gives the same result as a full build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// site.toml changed: rebuild everything.
    pub config: bool,
    /// A template, theme or i18n file changed: re-render everything, parse
    /// nothing.
    pub templates: bool,
    /// A file under static/ (or a theme's static/) changed.
    pub static_files: bool,
    /// Something under data/ changed.
    pub data: bool,
    /// Markdown files under content/ that were created, changed or deleted,
    /// as paths inside content/ with `/` separators (`news/a.md`).
    pub content_files: BTreeSet<String>,
    /// A non-markdown file under content/ (a bundle asset) changed.
    pub assets: bool,
    /// A folder under content/ was created, deleted or renamed: the list of
    /// files must be read again, as the events do not name what was inside.
    pub content_rescan: bool,
}

/// Classifies every path of one burst of events into a single plan. Paths may
/// be absolute under `root` or relative to it; anything else is ignored.
pub fn classify(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Plan {
    let mut plan = Plan::default();
    for path in paths {
        plan.add(root, &path);
    }
    plan
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        *self == Plan::default()
    }

    /// A plan that redoes everything, for when the watcher may have missed
    /// events (the kernel's queue overflowed) and no path can be trusted.
    pub fn everything() -> Plan {
        Plan {
            config: true,
            templates: true,
            static_files: true,
            data: true,
            content_files: BTreeSet::new(),
            assets: true,
            content_rescan: true,
        }
    }

    /// Adds what a change to `path` means, judging by its name alone.
    pub fn add(&mut self, root: &Path, path: &Path) {
        self.add_path(root, path, false);
    }

    /// Adds a path the caller knows is, or was, a folder. Under content/ that
    /// always means a rescan, even when the name looks like a file's
    /// (`content/2025.10/`), because the events will not name what was inside.
    pub fn add_folder(&mut self, root: &Path, path: &Path) {
        self.add_path(root, path, true);
    }

    /// Folds a later plan into this one, so a consumer that fell behind can
    /// do one rebuild for all the plans waiting in its channel.
    pub fn merge(&mut self, other: Plan) {
        self.config |= other.config;
        self.templates |= other.templates;
        self.static_files |= other.static_files;
        self.data |= other.data;
        self.content_files.extend(other.content_files);
        self.assets |= other.assets;
        self.content_rescan |= other.content_rescan;
    }

    fn add_path(&mut self, root: &Path, path: &Path, is_folder: bool) {
        let Some(parts) = parts_inside(root, path) else {
            return;
        };
        // Hidden anywhere means ignored: `.git/`, `.#page.md`, `.page.md.swp`,
        // and the load stage skips the same names, so no output can depend
        // on them.
        if parts.iter().any(|p| is_ignored(p)) {
            return;
        }
        let Some((top, rest)) = parts.split_first() else {
            // The site folder itself: its own events say nothing about a file.
            return;
        };
        match top.as_str() {
            CONFIG_FILE if rest.is_empty() => self.config = true,
            CONTENT_DIR => self.add_content(rest, is_folder),
            DATA_DIR => self.data = true,
            // The site's own texts are a layer of the theme, like its templates.
            TEMPLATES_DIR | I18N_DIR => self.templates = true,
            STATIC_DIR => self.static_files = true,
            THEMES_DIR => match rest {
                // A whole theme appeared or went: both its layers change.
                [] | [_] => {
                    self.templates = true;
                    self.static_files = true;
                }
                [_, layer, ..] if layer == STATIC_DIR => self.static_files = true,
                // templates/, theme.toml, i18n/ and anything else a theme
                // holds: re-rendering is cheap, missing a change is not.
                _ => self.templates = true,
            },
            // public/, target/, the build's temporary output folders,
            // README.md, Cargo.toml: none of them is read by the build.
            _ => {}
        }
    }

    fn add_content(&mut self, rest: &[String], is_folder: bool) {
        let Some(name) = rest.last() else {
            self.content_rescan = true;
            self.assets = true;
            return;
        };
        // Same test as the load stage, so a file is a page here exactly
        // when it is a page there.
        if !is_folder && name.ends_with(".md") {
            self.content_files.insert(rest.join("/"));
        } else if is_folder || Path::new(name).extension().is_none() {
            self.content_rescan = true;
            self.assets = true;
        } else {
            self.assets = true;
        }
    }
}

/// The components of `path` inside `root`, or `None` when it is not inside.
/// Works on the names alone: `..` is refused rather than resolved, since
/// through a symlink it may lead anywhere.
fn parts_inside(root: &Path, path: &Path) -> Option<Vec<String>> {
    let rel = match path.strip_prefix(root) {
        Ok(rel) => rel,
        Err(_) if path.is_relative() => path,
        Err(_) => return None,
    };
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts)
}

/// One line for the terminal: `content/news/a.md, templates`.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if self.config {
            parts.push(CONFIG_FILE.to_string());
        }
        if self.templates {
            parts.push("templates".to_string());
        }
        if self.static_files {
            parts.push("static files".to_string());
        }
        if self.data {
            parts.push("data".to_string());
        }
        parts.extend(
            self.content_files
                .iter()
                .map(|rel| format!("{CONTENT_DIR}/{rel}")),
        );
        if self.content_rescan {
            parts.push("content folders".to_string());
        } else if self.assets {
            parts.push("content assets".to_string());
        }
        if parts.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/home/小王/site";

    /// The plan in a few words, so a table row fits on one line:
    /// `config templates static data assets rescan md:news/a.md`.
    fn short(plan: &Plan) -> String {
        let flags = [
            (plan.config, "config"),
            (plan.templates, "templates"),
            (plan.static_files, "static"),
            (plan.data, "data"),
            (plan.assets, "assets"),
            (plan.content_rescan, "rescan"),
        ];
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| name.to_string())
            .chain(plan.content_files.iter().map(|rel| format!("md:{rel}")))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn check(rows: &[(&[&str], &str)]) {
        for (paths, expected) in rows {
            let plan = classify(Path::new(ROOT), paths.iter().map(PathBuf::from));
            assert_eq!(short(&plan), *expected, "paths: {paths:?}");
        }
    }

    #[test]
    fn each_source_folder_maps_to_its_part_of_the_plan() {
        check(&[
            (&["/home/小王/site/site.toml"], "config"),
            (&["/home/小王/site/templates/page.html"], "templates"),
            (
                &["/home/小王/site/templates/partials/nav.html"],
                "templates",
            ),
            (
                &["/home/小王/site/themes/default/templates/base.html"],
                "templates",
            ),
            (&["/home/小王/site/themes/default/theme.toml"], "templates"),
            (
                &["/home/小王/site/themes/default/i18n/en.toml"],
                "templates",
            ),
            (&["/home/小王/site/i18n/en.toml"], "templates"),
            (&["/home/小王/site/i18n/zh-CN.toml"], "templates"),
            (&["/home/小王/site/static/logo.svg"], "static"),
            (&["/home/小王/site/static/css/print.css"], "static"),
            (
                &["/home/小王/site/themes/default/static/style.css"],
                "static",
            ),
            (&["/home/小王/site/data/hotlines.toml"], "data"),
            (&["/home/小王/site/data/indicators/2025Q3.csv"], "data"),
            (&["/home/小王/site/content/news/a.md"], "md:news/a.md"),
            (&["/home/小王/site/content/_index.md"], "md:_index.md"),
            (&["/home/小王/site/content/about.en.md"], "md:about.en.md"),
            (
                &["/home/小王/site/content/wmhd/index.md"],
                "md:wmhd/index.md",
            ),
            (&["/home/小王/site/content/wmhd/poster.svg"], "assets"),
            (&["/home/小王/site/content/wmhd/leaflet.pdf"], "assets"),
        ]);
    }

    #[test]
    fn chinese_names_keep_their_characters() {
        check(&[
            (
                &["/home/小王/site/content/新闻/世界精神卫生日.md"],
                "md:新闻/世界精神卫生日.md",
            ),
            (&["/home/小王/site/content/活动/海报.png"], "assets"),
            (&["/home/小王/site/content/政策解读"], "assets rescan"),
            (&["/home/小王/site/data/热线.toml"], "data"),
        ]);
    }

    #[test]
    fn relative_paths_are_taken_from_the_site_folder() {
        check(&[
            (&["content/news/a.md"], "md:news/a.md"),
            (&["./content/news/a.md"], "md:news/a.md"),
            (&["site.toml"], "config"),
            (&["templates"], "templates"),
            (&["../site.toml"], ""),
            (&["content/../site.toml"], ""),
        ]);
    }

    #[test]
    fn folders_under_content_ask_for_a_rescan() {
        check(&[
            (&["/home/小王/site/content"], "assets rescan"),
            (&["/home/小王/site/content/news"], "assets rescan"),
            (&["/home/小王/site/content/news/2025"], "assets rescan"),
            // A rename of a folder names both ends.
            (
                &[
                    "/home/小王/site/content/news",
                    "/home/小王/site/content/新闻",
                ],
                "assets rescan",
            ),
        ]);
    }

    #[test]
    fn a_known_folder_is_a_rescan_whatever_its_name() {
        let root = Path::new(ROOT);
        let mut plan = Plan::default();
        plan.add_folder(root, &root.join("content/2025.10-义诊"));
        assert_eq!(short(&plan), "assets rescan");

        let mut plan = Plan::default();
        plan.add_folder(root, &root.join("content/notes.md"));
        assert_eq!(short(&plan), "assets rescan");

        let mut plan = Plan::default();
        plan.add_folder(root, &root.join("templates/partials"));
        assert_eq!(short(&plan), "templates");
    }

    #[test]
    fn whole_folders_appearing_at_the_top_count() {
        check(&[
            (&["/home/小王/site/templates"], "templates"),
            (&["/home/小王/site/i18n"], "templates"),
            (&["/home/小王/site/static"], "static"),
            (&["/home/小王/site/data"], "data"),
            (&["/home/小王/site/themes"], "templates static"),
            (&["/home/小王/site/themes/ocean"], "templates static"),
            (&["/home/小王/site/themes/ocean/static"], "static"),
            (&["/home/小王/site/themes/ocean/templates"], "templates"),
        ]);
    }

    #[test]
    fn editor_temporaries_and_hidden_files_are_ignored() {
        check(&[
            // vim: swap files and the probe it writes to test the folder.
            (&["/home/小王/site/content/news/.a.md.swp"], ""),
            (&["/home/小王/site/content/news/.a.md.swx"], ""),
            (&["/home/小王/site/content/news/4913"], ""),
            (&["/home/小王/site/templates/4913"], ""),
            // vim and emacs backups.
            (&["/home/小王/site/content/news/a.md~"], ""),
            // emacs: lock symlink and auto-save file.
            (&["/home/小王/site/content/news/.#a.md"], ""),
            (&["/home/小王/site/content/news/#a.md#"], ""),
            (&["/home/小王/site/site.toml~"], ""),
            (&["/home/小王/site/content/新闻/.#世界精神卫生日.md"], ""),
            // Hidden anywhere in the path.
            (&["/home/小王/site/.git/index"], ""),
            (&["/home/小王/site/content/.drafts/a.md"], ""),
            (&["/home/小王/site/static/.DS_Store"], ""),
            (&["/home/小王/site/themes/ocean/.git/HEAD"], ""),
            (&["/home/小王/site/content/a.md.tmp"], ""),
        ]);
    }

    #[test]
    fn a_hidden_folder_above_the_site_does_not_hide_it() {
        let root = Path::new("/home/u/.local/share/site");
        let plan = classify(root, [root.join("content/a.md")]);
        assert_eq!(short(&plan), "md:a.md");
    }

    #[test]
    fn output_and_unrelated_files_are_ignored() {
        check(&[
            (&["/home/小王/site/public/index.html"], ""),
            (&["/home/小王/site/public"], ""),
            (&["/home/小王/site/public.tmp-1234/index.html"], ""),
            (&["/home/小王/site/target/debug/anxin"], ""),
            (&["/home/小王/site/README.md"], ""),
            (&["/home/小王/site/Cargo.toml"], ""),
            (&["/home/小王/site"], ""),
            // A file named like a source folder is not one.
            (&["/home/小王/site/site.toml/x"], ""),
            // Outside the site, including a sibling whose name starts alike.
            (&["/home/小王/site2/content/a.md"], ""),
            (&["/home/小王/other/site.toml"], ""),
            (&["/etc/passwd"], ""),
        ]);
    }

    #[test]
    fn saves_by_rename_name_only_the_target() {
        check(&[
            // vim with backupcopy=no, and most editors: write aside, rename over.
            (
                &[
                    "/home/小王/site/content/news/.a.md.swp",
                    "/home/小王/site/content/news/a.md",
                ],
                "md:news/a.md",
            ),
            // vim's default: the old file becomes a backup, a new one is written.
            (
                &[
                    "/home/小王/site/content/news/a.md",
                    "/home/小王/site/content/news/a.md~",
                    "/home/小王/site/content/news/4913",
                ],
                "md:news/a.md",
            ),
            // A real rename between pages changes both.
            (
                &[
                    "/home/小王/site/content/news/a.md",
                    "/home/小王/site/content/news/b.md",
                ],
                "md:news/a.md md:news/b.md",
            ),
        ]);
    }

    #[test]
    fn a_burst_gathers_everything_it_touched() {
        check(&[(
            &[
                "/home/小王/site/site.toml",
                "/home/小王/site/templates/page.html",
                "/home/小王/site/content/b.md",
                "/home/小王/site/content/a.md",
                "/home/小王/site/content/a.md",
                "/home/小王/site/content/x/pic.png",
                "/home/小王/site/data/areas.toml",
                "/home/小王/site/static/x.css",
                "/home/小王/site/public/x.html",
            ],
            "config templates static data assets md:a.md md:b.md",
        )]);
    }

    #[test]
    fn merging_plans_keeps_every_change() {
        let root = Path::new(ROOT);
        let mut plan = classify(root, [root.join("content/a.md")]);
        plan.merge(classify(
            root,
            [root.join("content/b.md"), root.join("data/x.csv")],
        ));
        assert_eq!(short(&plan), "data md:a.md md:b.md");
        assert!(!Plan::everything().is_empty());
        assert!(Plan::default().is_empty());
    }

    #[test]
    fn a_plan_reads_as_one_line() {
        let root = Path::new(ROOT);
        let plan = classify(
            root,
            [root.join("content/新闻/a.md"), root.join("templates/x")],
        );
        assert_eq!(plan.to_string(), "templates, content/新闻/a.md");
        assert_eq!(Plan::default().to_string(), "nothing");
    }
}
