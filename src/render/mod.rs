//! The render stage: the resolved site → output files, in memory. This is
//! the only module that touches tera.
//!
//! A build is a list of [`Job`]s, one per HTML output. Each job has a
//! fingerprint of everything it reads (see [`Fingerprints`]), and each render
//! records the documents its template asked for through `get_page` and
//! `get_section`, so the incremental engine (`crate::site`) renders again
//! exactly the outputs whose inputs changed.

pub mod context;
pub mod fingerprints;
pub mod functions;
pub mod generated;
pub mod i18n;
pub mod indicators;
mod jobs;
mod lookup;
mod shortcode;
pub mod templates;

pub use fingerprints::Fingerprints;
pub use generated::{add_generated_sections, generated_files, section_feed, site_feed};
pub use jobs::{Job, data_section, in_language, job_path, jobs};
use jobs::{counterpart, job_document, listed_pages, pager_count};

use crate::config::Config;
use crate::content::resolve::Resolved;
use crate::data::Data;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputFile, index_file};
use crate::theme::Theme;
use context::{Lang, PageValue};
use functions::{Lookup, SharedLookup};
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use tera::{Context, Tera};

/// An HTML output and the documents its template asked for.
#[derive(Debug, Clone)]
pub struct RenderedJob {
    pub job: Job,
    pub file: OutputFile,
    /// `page:news/a.md`, `section:news/_index.md`, sorted.
    pub dependencies: Vec<String>,
}

/// The site as the templates see it: the resolved content and the values of
/// its pages, computed once and shared by every output that lists them.
pub struct Model<'a> {
    pub site: &'a Resolved,
    pub config: &'a Config,
    pub data: &'a Data,
    pub page_values: &'a [Arc<PageValue>],
    pub words: &'a crate::render::i18n::I18n,
}

/// The folder of the section that shows the hotline directory.
pub const HOTLINES_DIR: &str = "hotlines";

/// The folder of the section that lists events, upcoming and past.
pub const CAMPAIGNS_DIR: &str = "campaigns";

/// Where a whole-site render sends each output file: into a list in memory
/// (`check`, tests) or straight to disk (`build`).
pub type Deliver<'a> = dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Renders a whole site, handing every output file to `deliver`: what
/// `build` and `check` use.
pub fn render_site(
    site: &Resolved,
    config: &Config,
    data: &Data,
    renderer: &Renderer,
    deliver: &Deliver,
) -> Result<(), Diagnostics> {
    renderer.check_template_names(site)?;
    let words = &renderer.theme.i18n;
    let page_values = page_values(site, config, words, None);
    let model = Model {
        site,
        config,
        data,
        page_values: &page_values,
        words,
    };
    let jobs = jobs(site, data);
    renderer.set_lookup(&model);
    // The search index needs no template: it is made while the pages render.
    let (rendered, index) = rayon::join(
        || renderer.render_each(&model, &jobs, &|rendered| deliver(rendered.file)),
        || match site.search {
            true => crate::output::site_search::index_files(site, data, config),
            false => Vec::new(),
        },
    );
    rendered?;
    let mut errors = Diagnostics::new();
    for file in index
        .into_iter()
        .chain(generated_files(site, config, data, &renderer.theme))
    {
        if let Err(d) = deliver(file) {
            errors.push(d);
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(())
}

/// The value of every page, or only of those without a value of the last
/// build in `reuse` (by position).
pub fn page_values(
    site: &Resolved,
    config: &Config,
    words: &crate::render::i18n::I18n,
    reuse: Option<&[Option<Arc<PageValue>>]>,
) -> Vec<Arc<PageValue>> {
    (0..site.pages.len())
        .into_par_iter()
        .map(|i| match reuse.and_then(|previous| previous[i].clone()) {
            Some(value) => value,
            None => {
                let lang = Lang::of(config, site.pages[i].doc.lang, words);
                Arc::new(context::page_values_of(site, i, &lang))
            }
        })
        .collect()
}

/// Parsed templates with the functions registered, reusable across rebuilds
/// as long as no template changes.
pub struct Renderer {
    tera: Tera,
    pub theme: Arc<Theme>,
    lookup: SharedLookup,
}

impl Renderer {
    pub fn new(theme: Arc<Theme>) -> Result<Renderer, Diagnostic> {
        let mut tera = templates::parse_templates(&theme)?;
        let lookup: SharedLookup = Arc::new(RwLock::new(Arc::new(Lookup::default())));
        tera.register_function("trans", i18n::Trans(Arc::clone(&theme)));
        tera.register_function("get_url", functions::GetUrl(Arc::clone(&lookup)));
        tera.register_function("get_page", functions::GetPage(Arc::clone(&lookup)));
        tera.register_function("get_section", functions::GetSection(Arc::clone(&lookup)));
        tera.register_function("get_events", functions::GetEvents(Arc::clone(&lookup)));
        tera.register_function(
            "get_taxonomy_url",
            functions::GetTaxonomyUrl(Arc::clone(&lookup)),
        );
        Ok(Renderer {
            tera,
            theme,
            lookup,
        })
    }

    /// Every `template = "…"` in front matter names a template that exists.
    pub fn check_template_names(&self, site: &Resolved) -> Result<(), Diagnostics> {
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
            if let Err(d) = templates::check_exists(&self.tera, &t.value, &t.at) {
                errors.push(d);
            }
        }
        if errors.has_errors() {
            Err(errors)
        } else {
            Ok(())
        }
    }

    /// The template a job renders with.
    pub fn template_of(&self, site: &Resolved, job: Job) -> String {
        match job {
            Job::Page(i) => page_template(site, i),
            Job::Section(i, _) => match &site.sections[i].doc.template {
                Some(t) => t.value.clone(),
                None if site.roots.contains(&i) => "index.html".into(),
                None if site.sections[i].dir == HOTLINES_DIR => "hotlines.html".into(),
                None if site.sections[i].dir == CAMPAIGNS_DIR => "campaigns.html".into(),
                None if site.sections[i].dir == indicators::DATA_DIR => "data.html".into(),
                None => "section.html".into(),
            },
            Job::TagList(..) => "taxonomy_list.html".into(),
            Job::Tag(..) => "taxonomy_single.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Search(_) => "search.html".into(),
            Job::AllPages(_) => "all_pages.html".into(),
            Job::DataIndicator(..) => "indicator.html".into(),
            Job::DataArea(..) => "data_area.html".into(),
        }
    }

    /// Renders `jobs` in parallel. All template errors are collected, each
    /// reported once however many outputs it broke.
    /// The template functions see the site as it was at the last
    /// [`Renderer::set_lookup`] or [`Renderer::patch_lookup`].
    pub fn render(&self, model: &Model, jobs: &[Job]) -> Result<Vec<RenderedJob>, Diagnostics> {
        self.render_each(model, jobs, &Ok)
    }

    /// Renders `jobs` in parallel and hands each output to `deliver` as soon
    /// as it is rendered (a build writes it to disk then, so that the site
    /// is never whole in memory); returns what `deliver` kept.
    pub fn render_each<T: Send>(
        &self,
        model: &Model,
        jobs: &[Job],
        deliver: &(dyn Fn(RenderedJob) -> Result<T, Diagnostic> + Sync),
    ) -> Result<Vec<T>, Diagnostics> {
        // The context every output of a language starts from.
        let bases: Vec<(Lang, Map<String, Value>)> = (0..model.config.languages.len())
            .map(|l| {
                let lang = Lang::of(model.config, l, model.words);
                let base = base_context(model.site, model.data, &lang);
                (lang, base)
            })
            .collect();
        let results: Vec<Result<T, Diagnostic>> = jobs
            .par_iter()
            .map(|&job| {
                let (lang, base) = &bases[job.lang(model.site).min(bases.len() - 1)];
                self.render_one(model, lang, base, job).and_then(deliver)
            })
            .collect();
        let mut kept = Vec::with_capacity(results.len());
        let mut errors = Diagnostics::new();
        let mut seen_errors = HashSet::new();
        for r in results {
            match r {
                Ok(f) => kept.push(f),
                Err(d) if seen_errors.insert((d.file.clone(), d.position, d.hint.clone())) => {
                    errors.push(d)
                }
                Err(_) => {}
            }
        }
        if errors.has_errors() {
            return Err(errors);
        }
        Ok(kept)
    }

    fn render_one(
        &self,
        model: &Model,
        lang: &Lang,
        base: &Map<String, Value>,
        job: Job,
    ) -> Result<RenderedJob, Diagnostic> {
        let site = model.site;
        let values = |ids: &[usize]| {
            ids.iter()
                .map(|&p| model.page_values[p].listed())
                .collect::<Vec<_>>()
        };
        // The context is built as a JSON map and moved into tera whole:
        // `Context::insert` would serialise every value again, a second deep
        // copy of each page's content.
        let mut ctx: Map<String, Value> = base.clone();
        let what = match job {
            Job::Page(i) => {
                let mut page = model.page_values[i].with_body();
                if let Value::Object(map) = &mut page {
                    map.extend(context::own_page_fields(site, i, lang));
                }
                ctx.insert("page".into(), page);
                site.pages[i].doc.file.display().to_string()
            }
            Job::Section(i, pager) => {
                let section = &site.sections[i];
                let listed = values(listed_pages(site, i, pager));
                match section.paginate_by {
                    // As in Zola, a paginated section's pages are in the paginator.
                    Some(n) => {
                        ctx.insert(
                            "section".into(),
                            context::section_value(site, i, lang, Vec::new()),
                        );
                        ctx.insert(
                            "paginator".into(),
                            context::paginator_value(
                                &section.doc.path,
                                lang,
                                n,
                                pager,
                                pager_count(site, i),
                                listed,
                            ),
                        );
                    }
                    None => {
                        ctx.insert(
                            "section".into(),
                            context::section_value(site, i, lang, listed),
                        );
                    }
                }
                section.doc.file.display().to_string()
            }
            Job::TagList(l, taxonomy) => {
                let terms: Vec<Value> = site
                    .tags
                    .iter()
                    .filter(|t| t.lang == l && t.taxonomy == taxonomy)
                    .map(|t| context::term_value(t, lang, Vec::new()))
                    .collect();
                ctx.insert("taxonomy".into(), taxonomy_value(site, lang, taxonomy));
                ctx.insert("terms".into(), Value::Array(terms));
                format!("the list of {}", model.config.taxonomies[taxonomy].name)
            }
            Job::Tag(t, pager) => {
                let term = &site.tags[t];
                ctx.insert("taxonomy".into(), taxonomy_value(site, lang, term.taxonomy));
                // `term.pages` holds this listing page's pages, and `paginator`
                // links the others.
                let listed = values(term.listed(pager));
                ctx.insert(
                    "paginator".into(),
                    context::paginator_value(
                        &term.path,
                        lang,
                        crate::content::resolve::TAG_PAGINATE_BY,
                        pager,
                        term.pager_count(),
                        listed.clone(),
                    ),
                );
                ctx.insert("term".into(), context::term_value(term, lang, listed));
                format!("the tag “{}”", term.name)
            }
            Job::NotFound => "the 404 page".into(),
            Job::Search(l) => {
                let index = crate::output::site_search::index_dir(model.config, l);
                let all_pages = crate::output::site_search::all_pages_path(site, l);
                ctx.insert(
                    "search".into(),
                    json!({
                        "index_url": model.config.permalink(&format!("/{index}/")),
                        "all_pages_url": model.config.permalink(&all_pages),
                    }),
                );
                "the search page".into()
            }
            Job::AllPages(l) => {
                ctx.insert(
                    "sections".into(),
                    all_pages_value(site, lang, site.roots[l]),
                );
                "the list of all pages".into()
            }
            Job::DataIndicator(_, l) | Job::DataArea(_, l) => {
                if let Some(i) = data_section(site, l) {
                    ctx.insert(
                        "section".into(),
                        context::section_value(site, i, lang, Vec::new()),
                    );
                }
                format!("the data page {}", job_path(site, model.data, job))
            }
        };
        if let Some(d) = &model.data.indicators {
            add_data_context(&mut ctx, site, model, d, lang, job);
        }
        let path = job_path(site, model.data, job);
        ctx.insert("current_url".into(), model.config.permalink(&path).into());
        ctx.insert("current_path".into(), path.clone().into());
        let counterpart = |l: usize| counterpart(site, model.data, job, l);
        context::insert_language_links(&mut ctx, site, job_document(site, job), &counterpart, lang);
        let ctx = Context::from_value(Value::Object(ctx))
            .map_err(|e| templates::template_error(&e, &self.theme, Some(&what)))?;
        let template = self.template_of(site, job);
        functions::start_recording();
        let result = self.tera.render(&template, &ctx);
        let dependencies = functions::finish_recording();
        let html = result.map_err(|e| templates::template_error(&e, &self.theme, Some(&what)))?;
        Ok(RenderedJob {
            job,
            file: OutputFile::text(index_file(&path), html),
            dependencies,
        })
    }
}

/// The sections of a language in tree order (each after its parent), each
/// with the titles and addresses of its pages: what `/sitemap/` lists.
fn all_pages_value(site: &Resolved, lang: &Lang, root: usize) -> Value {
    let link = |doc: &crate::content::Document| {
        json!({
            "title": lang.text(&doc.title),
            "permalink": lang.config.permalink(&doc.path),
        })
    };
    let mut sections = Vec::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((s, depth)) = stack.pop() {
        let pages: Vec<Value> = site.section_pages[s]
            .iter()
            .map(|&p| link(&site.pages[p].doc))
            .collect();
        let mut value = link(&site.sections[s].doc);
        value["depth"] = depth.into();
        value["pages"] = Value::Array(pages);
        sections.push(value);
        stack.extend(site.subsections[s].iter().rev().map(|&c| (c, depth + 1)));
    }
    Value::Array(sections)
}

/// The `data` value of the data pages (and of the data section's own page):
/// the figures of the output's area, its charts and tables, and the footnote
/// when any of them is suppressed.
fn add_data_context(
    ctx: &mut Map<String, Value>,
    site: &Resolved,
    model: &Model,
    data: &crate::data::indicators::IndicatorData,
    lang: &Lang,
    job: Job,
) {
    let is_overview =
        matches!(job, Job::Section(i, _) if Some(i) == data_section(site, lang.index));
    if !is_overview && !matches!(job, Job::DataIndicator(..) | Job::DataArea(..)) {
        return;
    }
    let figures = indicators::Figures::new(
        data,
        &model.data.areas,
        model.config,
        lang.code,
        model.words,
    );
    let mut value = figures.common();
    let (Some(latest), Some(top)) = (data.latest(), data.top()) else {
        ctx.insert("data".into(), value);
        return;
    };
    let with_children =
        |a: usize| -> Vec<usize> { std::iter::once(a).chain(data.children(a)).collect() };
    match job {
        Job::DataIndicator(i, _) => {
            let trend_periods = data.trend_periods(i);
            let own_latest = trend_periods.last().copied().unwrap_or(latest);
            let rows: Vec<Value> = with_children(top)
                .into_iter()
                .map(|a| {
                    let cells: Vec<Value> = trend_periods
                        .iter()
                        .map(|&p| figures.rate(p, a, i))
                        .collect();
                    json!({ "area": figures.area(a), "figures": cells })
                })
                .collect();
            let periods: Vec<Value> = trend_periods.iter().map(|&p| figures.period(p)).collect();
            value["indicator"] = figures.indicator(i);
            value["area"] = figures.area(top);
            value["trend"] = figures.trend(i, top, None);
            value["ranking"] = figures.ranking(i, top, own_latest);
            value["table"] = json!({ "periods": periods, "rows": rows });
        }
        Job::DataArea(a, _) => {
            let trend_rows: Vec<Value> = data
                .periods_like(latest)
                .into_iter()
                .map(|p| {
                    let cells: Vec<Value> = (0..data.definitions.indicators.len())
                        .map(|i| figures.rate(p, a, i))
                        .collect();
                    json!({ "period": figures.period(p), "figures": cells })
                })
                .collect();
            let children: Vec<usize> = data.children(a).collect();
            value["area"] = figures.area(a);
            value["indicators"] = figures.indicators_of(a);
            value["measures"] = figures.measures_of(a);
            value["trend_table"] = Value::Array(trend_rows);
            value["children"] = figures.area_table(&children);
        }
        _ => {
            value["area"] = figures.area(top);
            value["indicators"] = figures.indicators_of(top);
            value["measures"] = figures.measures_of(top);
            // Every top area (a site may cover two counties) and the areas
            // directly under each.
            let rows: Vec<usize> = (0..data.area_ids.len())
                .filter(|&a| data.parents[a].is_none())
                .flat_map(with_children)
                .collect();
            value["areas"] = figures.area_table(&rows);
        }
    }
    if !matches!(job, Job::DataIndicator(..)) {
        let list: Vec<Value> = (0..data.definitions.indicators.len())
            .map(|i| figures.indicator(i))
            .collect();
        value["indicator_list"] = Value::Array(list);
    }
    if figures.shows_suppressed() {
        value["footnote"] = figures.footnote().into();
    }
    ctx.insert("data".into(), value);
}

/// Zola's `taxonomy`: its name and the list's address, and anxin's `title`,
/// the heading readers see (the theme's word for tags, the site's own title
/// for another taxonomy, else its name).
fn taxonomy_value(site: &Resolved, lang: &Lang, taxonomy: usize) -> Value {
    let t = &lang.config.taxonomies[taxonomy];
    let path = in_language(site, lang.index, &format!("/{}/", t.name));
    let title = match &t.title {
        Some(title) => lang.text(title).to_string(),
        None if taxonomy == 0 => lang.word("tags").to_string(),
        None => t.name.clone(),
    };
    json!({ "name": t.name, "title": title, "permalink": lang.config.permalink(&path) })
}

/// The page's own `template`, else the nearest section's `page_template`.
fn page_template(site: &Resolved, page: usize) -> String {
    if let Some(t) = &site.pages[page].doc.template {
        return t.value.clone();
    }
    let mut section = Some(site.page_section[page]);
    while let Some(s) = section {
        if let Some(t) = &site.sections[s].page_template {
            return t.value.clone();
        }
        section = site.section_parent[s];
    }
    "page.html".into()
}

fn base_context(site: &Resolved, data: &Data, lang: &Lang) -> Map<String, Value> {
    let config = lang.config;
    let mut ctx = Map::new();
    ctx.insert(
        "hotlines".into(),
        generated::hotline_groups(data, lang.code, &config.default_language),
    );
    ctx.insert("config".into(), context::config_value(config, lang.code));
    ctx.insert("lang".into(), lang.code.into());
    let home = in_language(site, lang.index, "/");
    ctx.insert("lang_home_path".into(), home.clone().into());
    ctx.insert("lang_home".into(), config.permalink(&home).into());
    // The search page of the language, when the site has one.
    let search_url = site.search.then(|| {
        config.permalink(&crate::output::site_search::search_page_path(
            site, lang.index,
        ))
    });
    ctx.insert("search_url".into(), json!(search_url));
    let tel: String = config
        .crisis
        .number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    ctx.insert(
        "crisis".into(),
        json!({
            "number": config.crisis.number,
            "text": config.crisis.text.get(lang.code, &config.default_language),
            "tel": format!("tel:{tel}"),
        }),
    );
    let menu: Vec<Value> = site
        .menus
        .get(lang.index)
        .into_iter()
        .flatten()
        .map(
            |m| json!({ "title": m.title, "path": m.path, "permalink": config.permalink(&m.path) }),
        )
        .collect();
    ctx.insert("menu".into(), Value::Array(menu));
    ctx
}
