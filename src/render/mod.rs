//! The render stage: the resolved site → the list of output files, in memory.
//! This is the only module that touches tera.

pub mod context;
pub mod functions;
pub mod templates;

use crate::config::Config;
use crate::content::resolve::{Resolved, TAGS_PATH, normalize_alias, pager_path};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::feed::{Feed, FeedEntry, atom};
use crate::output::sitemap::{SitemapEntry, robots, sitemap};
use crate::output::{Contents, OutputFile, index_file, redirect_page};
use crate::theme::Theme;
use context::Lang;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Context, Tera};

/// One HTML output to render.
enum Job {
    Page(usize),
    /// Section index and pager number (1-based).
    Section(usize, usize),
    TagList,
    Tag(usize),
    NotFound,
}

pub fn render_site(
    site: &Resolved,
    config: &Config,
    theme: &Theme,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut tera = templates::parse_templates(theme).map_err(Diagnostics::from)?;
    check_template_names(site, &tera)?;
    let lang = Lang {
        code: &config.default_language,
        config,
    };
    let page_values: Vec<Value> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| context::page_value(site, i, &lang))
        .collect();
    register_functions(&mut tera, site, config, &lang, &page_values);

    let base = base_context(site, config);
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (i, s) in site.sections.iter().enumerate() {
        let pagers = match s.paginate_by {
            Some(n) => site.section_pages[i].len().div_ceil(n).max(1),
            None => 1,
        };
        jobs.extend((1..=pagers).map(|k| Job::Section(i, k)));
    }
    if !site.tags.is_empty() {
        jobs.push(Job::TagList);
        jobs.extend((0..site.tags.len()).map(Job::Tag));
    }
    jobs.push(Job::NotFound);

    let renderer = Renderer {
        site,
        config,
        theme,
        tera: &tera,
        lang: &lang,
        page_values: &page_values,
        base: &base,
    };
    let results: Vec<Result<OutputFile, Diagnostic>> =
        jobs.par_iter().map(|job| renderer.render(job)).collect();
    let mut files = Vec::with_capacity(results.len() + 64);
    let mut errors = Diagnostics::new();
    let mut seen_errors = std::collections::HashSet::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            // One template mistake fails every page using it: report it once.
            Err(d) if seen_errors.insert((d.file.clone(), d.position, d.hint.clone())) => {
                errors.push(d)
            }
            Err(_) => {}
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    files.extend(generated_files(site, config, theme));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

struct Renderer<'a> {
    site: &'a Resolved,
    config: &'a Config,
    theme: &'a Theme,
    tera: &'a Tera,
    lang: &'a Lang<'a>,
    page_values: &'a [Value],
    base: &'a Context,
}

impl Renderer<'_> {
    fn render(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let mut ctx = self.base.clone();
        let (path, template, what) = match *job {
            Job::Page(i) => {
                let page = &site.pages[i];
                ctx.insert("page", &self.page_values[i]);
                (
                    page.doc.path.clone(),
                    self.page_template(i),
                    page.doc.file.display().to_string(),
                )
            }
            Job::Section(i, pager) => {
                let section = &site.sections[i];
                let listed = &site.section_pages[i];
                let values = |ids: &[usize]| {
                    ids.iter()
                        .map(|&p| self.page_values[p].clone())
                        .collect::<Vec<_>>()
                };
                match section.paginate_by {
                    Some(n) => {
                        let total = listed.len().div_ceil(n).max(1);
                        let start = ((pager - 1) * n).min(listed.len());
                        let end = (start + n).min(listed.len());
                        ctx.insert(
                            "section",
                            &context::section_value(site, i, self.lang, Vec::new()),
                        );
                        ctx.insert(
                            "paginator",
                            &context::paginator_value(
                                &section.doc.path,
                                self.lang,
                                n,
                                pager,
                                total,
                                values(&listed[start..end]),
                            ),
                        );
                    }
                    None => {
                        ctx.insert(
                            "section",
                            &context::section_value(site, i, self.lang, values(listed)),
                        );
                    }
                }
                let template = match &section.doc.template {
                    Some(t) => t.value.clone(),
                    None if i == site.root => "index.html".into(),
                    None => "section.html".into(),
                };
                (
                    pager_path(&section.doc.path, pager),
                    template,
                    section.doc.file.display().to_string(),
                )
            }
            Job::TagList => {
                let terms: Vec<Value> = site
                    .tags
                    .iter()
                    .map(|t| context::term_value(t, self.lang, Vec::new()))
                    .collect();
                ctx.insert(
                    "taxonomy",
                    &json!({ "name": "tags", "permalink": self.config.permalink(TAGS_PATH) }),
                );
                ctx.insert("terms", &terms);
                (
                    TAGS_PATH.to_string(),
                    "taxonomy_list.html".into(),
                    "the tags list".into(),
                )
            }
            Job::Tag(t) => {
                let term = &site.tags[t];
                let pages = term
                    .pages
                    .iter()
                    .map(|&p| self.page_values[p].clone())
                    .collect();
                ctx.insert(
                    "taxonomy",
                    &json!({ "name": "tags", "permalink": self.config.permalink(TAGS_PATH) }),
                );
                ctx.insert("term", &context::term_value(term, self.lang, pages));
                (
                    term.path.clone(),
                    "taxonomy_single.html".into(),
                    format!("the tag “{}”", term.name),
                )
            }
            Job::NotFound => (
                "/404.html".to_string(),
                "404.html".into(),
                "the 404 page".into(),
            ),
        };
        ctx.insert("current_path", &path);
        ctx.insert("current_url", &self.config.permalink(&path));
        let html = self
            .tera
            .render(&template, &ctx)
            .map_err(|e| templates::template_error(&e, self.theme, Some(&what)))?;
        Ok(OutputFile::text(index_file(&path), html))
    }

    /// The page's own `template`, else the nearest section's `page_template`.
    fn page_template(&self, page: usize) -> String {
        if let Some(t) = &self.site.pages[page].doc.template {
            return t.value.clone();
        }
        let mut section = Some(self.site.page_section[page]);
        while let Some(s) = section {
            if let Some(t) = &self.site.sections[s].page_template {
                return t.value.clone();
            }
            section = self.site.section_parent[s];
        }
        "page.html".into()
    }
}

fn check_template_names(site: &Resolved, tera: &Tera) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    let named = site
        .pages
        .iter()
        .filter_map(|p| p.doc.template.as_ref())
        .chain(
            site.sections
                .iter()
                .flat_map(|s| s.doc.template.iter().chain(s.page_template.iter())),
        );
    for t in named {
        if let Err(d) = templates::check_exists(tera, &t.value, &t.at) {
            errors.push(d);
        }
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(())
    }
}

fn base_context(site: &Resolved, config: &Config) -> Context {
    let mut ctx = Context::new();
    let lang = &config.default_language;
    ctx.insert("config", &context::config_value(config));
    ctx.insert("lang", lang);
    ctx.insert(
        "crisis",
        &json!({
            "number": config.crisis.number,
            "text": config.crisis.text,
            "tel": format!("tel:{}", config.crisis.number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>()),
        }),
    );
    let menu: Vec<Value> = site
        .menu
        .iter()
        .map(
            |m| json!({ "title": m.title, "path": m.path, "permalink": config.permalink(&m.path) }),
        )
        .collect();
    ctx.insert("menu", &menu);
    ctx
}

fn register_functions(
    tera: &mut Tera,
    site: &Resolved,
    config: &Config,
    lang: &Lang,
    page_values: &[Value],
) {
    let mut permalinks = HashMap::new();
    let mut pages = HashMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        permalinks.insert(p.doc.rel.clone(), config.permalink(&p.doc.path));
        pages.insert(p.doc.rel.clone(), page_values[i].clone());
    }
    let mut sections = HashMap::new();
    for (i, s) in site.sections.iter().enumerate() {
        permalinks.insert(s.doc.rel.clone(), config.permalink(&s.doc.path));
        let listed = site.section_pages[i]
            .iter()
            .map(|&p| page_values[p].clone())
            .collect();
        sections.insert(
            s.doc.rel.clone(),
            context::section_value(site, i, lang, listed),
        );
    }
    tera.register_function(
        "get_url",
        functions::GetUrl {
            base_url: config.base_url.clone(),
            permalinks: Arc::new(permalinks),
        },
    );
    tera.register_function(
        "get_taxonomy_url",
        functions::GetTaxonomyUrl {
            base_url: config.base_url.clone(),
            known: Arc::new(site.tags.iter().map(|t| t.slug.clone()).collect()),
        },
    );
    tera.register_function(
        "get_page",
        functions::GetDocument {
            kind: "page",
            values: Arc::new(pages),
        },
    );
    tera.register_function(
        "get_section",
        functions::GetDocument {
            kind: "section",
            values: Arc::new(sections),
        },
    );
}

/// Files made from the model rather than from templates.
fn generated_files(site: &Resolved, config: &Config, theme: &Theme) -> Vec<OutputFile> {
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
        if s.generate_feed {
            files.push(section_feed(site, i, config));
        }
    }
    if !site.tags.is_empty() {
        entries.push(SitemapEntry {
            permalink: config.permalink(TAGS_PATH),
            lastmod: None,
        });
        for t in &site.tags {
            entries.push(SitemapEntry {
                permalink: config.permalink(&t.path),
                lastmod: None,
            });
        }
    }
    files.push(OutputFile::text("sitemap.xml", sitemap(entries)));
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

fn section_feed(site: &Resolved, section: usize, config: &Config) -> OutputFile {
    let lang = &config.default_language;
    let s = &site.sections[section];
    let entries = site.section_pages[section]
        .iter()
        .map(|&i| &site.pages[i])
        .filter_map(|p| {
            let date = p.updated.as_ref().or(p.date.as_ref())?;
            Some(FeedEntry {
                title: p.doc.title.get(lang, lang).to_string(),
                permalink: config.permalink(&p.doc.path),
                updated: date.rfc3339(),
                summary: p.doc.summary.clone().or_else(|| p.doc.description.clone()),
                content: p.doc.body.html.clone(),
            })
        })
        .collect();
    let site_title = config.title.get(lang, lang);
    let feed = Feed {
        title: format!("{} - {site_title}", s.doc.title.get(lang, lang)),
        feed_permalink: config.permalink(&format!("{}atom.xml", s.doc.path)),
        site_permalink: config.permalink(&s.doc.path),
        author: config
            .data
            .publisher
            .clone()
            .unwrap_or_else(|| site_title.to_string()),
        lang: lang.clone(),
        entries,
    };
    OutputFile::text(
        format!("{}atom.xml", s.doc.path.trim_start_matches('/')),
        atom(&feed),
    )
}
