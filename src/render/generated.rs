//! Outputs made from the model rather than from page templates: sitemap,
//! robots.txt, feeds, redirects, calendar files, the hotline JSON, static
//! files and assets; and the sections anxin adds when content/ has none.

use super::{HOTLINES_DIR, context};
use crate::config::Config;
use crate::content::resolve::{Resolved, normalize_alias, pager_path};
use crate::data::Data;
use crate::output::feed::{Feed, FeedEntry, atom};
use crate::output::sitemap::{SitemapEntry, robots, sitemap};
use crate::output::{Contents, OutputFile, index_file, redirect_page};
use crate::theme::Theme;
use serde_json::{Value, json};

/// Sections anxin makes when the site has no such folder in content/: the
/// hotline directory at `/hotlines/` when there are hotlines, and the data
/// overview at `/data/` when there is indicator data.
pub fn add_generated_sections(content: &mut crate::content::Content, data: &Data, config: &Config) {
    // Only the default language gets them made up: another language has a
    // hotline directory or a data section where its translation is written
    // (`hotlines/_index.en.md`), so that it never links to a page in a
    // language its readers did not ask for.
    let has = |content: &crate::content::Content, dir: &str| {
        content
            .sections
            .iter()
            .any(|s| s.dir == dir && s.doc.lang == 0)
    };
    if !data.hotlines.is_empty() && !has(content, HOTLINES_DIR) {
        let title = if config.default_language.starts_with("zh") {
            "心理援助热线"
        } else {
            "Hotlines"
        };
        let mut section =
            crate::content::resolve::made_up_section(HOTLINES_DIR, title.into(), config, 0);
        // Residents come for a number to call: first in the navigation.
        section.doc.weight = Some(0);
        content.sections.push(section);
    }
    if data.indicators.is_some() && !has(content, super::indicators::DATA_DIR) {
        let title = if config.default_language.starts_with("zh") {
            "数据公开"
        } else {
            "Open data"
        };
        let section = crate::content::resolve::made_up_section(
            super::indicators::DATA_DIR,
            title.into(),
            config,
            0,
        );
        content.sections.push(section);
    }
}

/// The hotline directory grouped by area: national first, then the areas of
/// data/areas.toml in tree order (county before its townships).
pub(super) fn hotline_groups(data: &Data, lang: &str, default_lang: &str) -> Value {
    let area_name = |id: &str| data.areas.name(id, lang, default_lang);
    let mut order: Vec<(String, usize)> = vec![(crate::data::areas::NATIONAL.to_string(), 0)];
    order.extend(data.areas.iter().map(|a| (a.id.clone(), a.depth + 1)));
    let groups: Vec<Value> = order
        .iter()
        .filter_map(|(id, level)| {
            let entries: Vec<Value> = data
                .hotlines
                .iter()
                .filter(|h| &h.area == id)
                .map(|h| h.value(lang, default_lang, &area_name))
                .collect();
            (!entries.is_empty()).then(|| {
                json!({ "area": id, "area_name": area_name(id), "level": level, "hotlines": entries })
            })
        })
        .collect();
    Value::Array(groups)
}

pub fn generated_files(
    site: &Resolved,
    config: &Config,
    data: &Data,
    theme: &Theme,
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for p in &site.pages {
        entries.push(SitemapEntry {
            permalink: config.permalink(&p.doc.path),
            lastmod: p.updated.as_ref().or(p.date.as_ref()).map(|d| d.ymd()),
        });
    }
    for (i, s) in site.sections.iter().enumerate() {
        entries.push(SitemapEntry {
            permalink: config.permalink(&s.doc.path),
            lastmod: None,
        });
        if let Some(n) = s.paginate_by {
            let total = site.section_pages[i].len().div_ceil(n).max(1);
            for k in 2..=total {
                entries.push(SitemapEntry {
                    permalink: config.permalink(&pager_path(&s.doc.path, k)),
                    lastmod: None,
                });
            }
            // Zola sends /page/1/ to the section itself.
            files.push(OutputFile::text(
                index_file(&format!("{}page/1/", s.doc.path)),
                redirect_page(&config.permalink(&s.doc.path)),
            ));
        }
        // A home's own feed would be written where the site's is.
        let is_home = site.roots.get(s.doc.lang) == Some(&i);
        if s.generate_feed && !(is_home && config.generate_feeds) {
            files.push(section_feed(site, i, config));
        }
    }
    if config.generate_feeds {
        files.extend((0..site.roots.len()).map(|lang| site_feed(site, lang, config)));
    }
    for (lang, taxonomy) in site.taxonomy_lists() {
        entries.push(SitemapEntry {
            permalink: config.permalink(&crate::content::resolve::taxonomy_path(
                config, lang, taxonomy,
            )),
            lastmod: None,
        });
    }
    {
        for t in &site.tags {
            for k in 1..=t.pager_count() {
                entries.push(SitemapEntry {
                    permalink: config.permalink(&pager_path(&t.path, k)),
                    lastmod: None,
                });
            }
            if t.pager_count() > 1 {
                files.push(OutputFile::text(
                    index_file(&format!("{}page/1/", t.path)),
                    redirect_page(&config.permalink(&t.path)),
                ));
            }
        }
    }
    if let Some(d) = &data.indicators {
        let languages = (0..site.roots.len()).filter(|&l| super::data_section(site, l).is_some());
        for lang in languages {
            let paths = d
                .definitions
                .indicators
                .iter()
                .map(|i| super::indicators::indicator_path(&i.id))
                .chain(d.area_ids.iter().map(|a| super::indicators::area_path(a)));
            entries.extend(paths.map(|path| SitemapEntry {
                permalink: config.permalink(&super::in_language(site, lang, &path)),
                lastmod: None,
            }));
        }
    }
    files.push(OutputFile::text("sitemap.xml", sitemap(entries)));
    if !data.hotlines.is_empty() {
        let lang = &config.default_language;
        let area_name = |id: &str| data.areas.name(id, lang, lang);
        let json = crate::data::hotlines::to_json(&data.hotlines, lang, lang, &area_name);
        let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        files.push(OutputFile::text("hotlines.json", text));
    }
    if let Some(indicators) = &data.indicators {
        let lang = &config.default_language;
        let records = || crate::output::opendata::records(indicators, &data.areas, lang, lang);
        let dir = super::indicators::DOWNLOADS_PATH.trim_start_matches('/');
        let (csv, json) = rayon::join(
            || crate::output::opendata::csv(records()),
            || crate::output::opendata::json(records()),
        );
        files.push(OutputFile::text(format!("{dir}indicators.csv"), csv));
        files.push(OutputFile::text(format!("{dir}indicators.json"), json));
        files.push(OutputFile::text(
            format!("{dir}datapackage.json"),
            crate::output::opendata::datapackage(indicators, config, lang),
        ));
    }
    for p in &site.pages {
        if let Some(event) = &p.event {
            files.push(OutputFile::text(
                format!("{}event.ics", p.doc.path.trim_start_matches('/')),
                context::calendar(p, event, config, &theme.i18n),
            ));
        }
    }
    files.push(OutputFile::text(
        "robots.txt",
        robots(&config.permalink("/sitemap.xml")),
    ));
    for doc in site
        .pages
        .iter()
        .map(|p| &p.doc)
        .chain(site.sections.iter().map(|s| &s.doc))
    {
        for alias in &doc.aliases {
            files.push(OutputFile::text(
                index_file(&normalize_alias(&alias.value)),
                redirect_page(&config.permalink(&doc.path)),
            ));
        }
    }
    for (name, contents) in &theme.static_files {
        files.push(OutputFile {
            path: name.clone(),
            contents: contents.clone(),
        });
    }
    for (dest, source) in &site.assets {
        files.push(OutputFile {
            path: dest.clone(),
            contents: Contents::Copy(source.clone()),
        });
    }
    files
}

pub fn section_feed(site: &Resolved, section: usize, config: &Config) -> OutputFile {
    let s = &site.sections[section];
    let lang = config.language(s.doc.lang);
    let default = &config.default_language;
    let pages = site.section_pages[section].iter().map(|&i| &site.pages[i]);
    let site_title = config.title.get(lang, default);
    let title = format!("{} - {site_title}", s.doc.title.get(lang, default));
    feed_file(&s.doc.path, title, pages, s.doc.lang, config)
}

/// Zola's site-wide `/atom.xml` (`/en/atom.xml`): the newest dated pages of
/// one language's whole site, by their last change.
pub fn site_feed(site: &Resolved, lang: usize, config: &Config) -> OutputFile {
    let mut pages: Vec<&crate::content::Page> = site
        .pages
        .iter()
        .filter(|p| p.doc.lang == lang && (p.updated.is_some() || p.date.is_some()))
        .collect();
    let changed = |p: &crate::content::Page| {
        p.updated
            .as_ref()
            .or(p.date.as_ref())
            .map(|d| d.unix_seconds())
    };
    pages.sort_by(|a, b| {
        changed(b)
            .cmp(&changed(a))
            .then_with(|| a.doc.rel.cmp(&b.doc.rel))
    });
    pages.truncate(crate::output::feed::FEED_LIMIT);
    let code = config.language(lang);
    let title = config.title.get(code, &config.default_language).to_string();
    let home = site
        .roots
        .get(lang)
        .map_or("/", |&r| site.sections[r].doc.path.as_str());
    feed_file(home, title, pages.into_iter(), lang, config)
}

/// The Atom file `<path>atom.xml` of `pages`, in their order.
fn feed_file<'p>(
    path: &str,
    title: String,
    pages: impl Iterator<Item = &'p crate::content::Page>,
    lang: usize,
    config: &Config,
) -> OutputFile {
    let code = config.language(lang);
    let default = &config.default_language;
    let entries = pages
        .filter_map(|p| {
            let date = p.updated.as_ref().or(p.date.as_ref())?;
            Some(FeedEntry {
                title: p.doc.title.get(code, default).to_string(),
                permalink: config.permalink(&p.doc.path),
                updated: date.rfc3339(),
                summary: p.doc.summary.clone().or_else(|| p.doc.description.clone()),
                content: p.doc.content.to_string(),
            })
        })
        .collect();
    let site_title = config.title.get(code, default);
    let feed = Feed {
        title,
        feed_permalink: config.permalink(&format!("{path}atom.xml")),
        site_permalink: config.permalink(path),
        author: config
            .data
            .publisher
            .clone()
            .unwrap_or_else(|| site_title.to_string()),
        lang: code.to_string(),
        entries,
    };
    OutputFile::text(
        format!("{}atom.xml", path.trim_start_matches('/')),
        atom(&feed),
    )
}
