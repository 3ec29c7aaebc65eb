//! The incremental engine behind `serve` and `watch`: the site held in memory
//! between rebuilds. A change re-parses only the files that changed, resolves
//! again (links are refilled only where a target moved), recomputes only the
//! page values whose inputs changed, and renders again only the outputs whose
//! fingerprint changed. The result is the same as a full build; the tests in
//! tests/incremental.rs check that after sequences of edits.

mod quick;

use crate::build::BuildOptions;
use crate::config::Config;
use crate::content::date::Date;
use crate::content::load::{self, Parsed};
use crate::content::resolve::{self, Resolved};
use crate::content::shortcodes::ShortcodeCall;
use crate::content::{Asset, Content, Document};
use crate::data::Data;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint;
use crate::output::OutputFile;
use crate::output::site_search;
use crate::render::context::PageValue;
use crate::render::{self, Fingerprints, Job, Model, Renderer};
use crate::serve::changes::Plan;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What one rebuild did, for the terminal and for `watch`.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    pub parsed: usize,
    pub rendered: usize,
    /// Output paths whose bytes changed or that are new.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub took: Duration,
    /// Whether the quick path did it (text edits: nothing resolved again).
    pub quick: bool,
}

/// How an output was last rendered, to decide whether it must be again.
#[derive(Debug, Clone)]
struct Record {
    fingerprint: u64,
    dependencies: Vec<String>,
    dependencies_fingerprint: u64,
}

/// What the quick path needs from the last good build.
struct Quick {
    prints: Fingerprints,
    page_values: Vec<Arc<PageValue>>,
    /// The job that makes each output, by output path.
    jobs: HashMap<String, Job>,
    /// Where each document is in `resolved`, by path inside content/.
    index: HashMap<String, DocRef>,
    assets: u64,
}

#[derive(Debug, Clone, Copy)]
enum DocRef {
    Page(usize),
    Section(usize),
}

pub struct Site {
    options: BuildOptions,
    config: Config,
    theme: Arc<Theme>,
    renderer: Renderer,
    data: Data,
    data_diagnostics: Diagnostics,
    /// The day of the first build: lints and the split of events into
    /// upcoming and past use it.
    today: Date,
    /// The resolved content of the last rebuild (good or not): the owner of
    /// every published document between rebuilds.
    resolved: Resolved,
    /// Drafts left out of the build, by path inside content/.
    held_back: BTreeMap<String, Parsed>,
    /// Files that did not parse, with their error.
    parse_errors: BTreeMap<String, Diagnostic>,
    assets: Vec<Asset>,
    listing_errors: Diagnostics,
    /// The last good state: page values by relative path with the fingerprint
    /// they were computed for, how each output was made, and the outputs.
    values: HashMap<String, (u64, Arc<PageValue>)>,
    records: HashMap<String, Record>,
    outputs: BTreeMap<String, OutputFile>,
    /// Set when site.toml failed to load: the next change reloads everything.
    config_broken: bool,
    /// Kept while `resolved` is exactly the last good build, for edits that
    /// change no address, title, order or heading: see `Site::try_quick`.
    quick: Option<Quick>,
    /// Languages whose search index is older than the site: made again by
    /// [`Site::refresh_search`], not by every change, since indexing a
    /// large site takes far longer than rendering the page that changed.
    search_stale: Vec<usize>,
    /// Counts the changes that made an index stale, so that an index made
    /// on another thread from an older site is not put in; shared with that
    /// job, which stops early once it knows its index will be let go.
    search_generation: Arc<AtomicU64>,
    search_entries: site_search::EntryCache,
    pub warnings: Diagnostics,
}

impl Site {
    /// Loads and builds the whole site into memory.
    pub fn load(options: &BuildOptions) -> Result<Site, Diagnostics> {
        let config = load_config(options)?;
        let theme = Arc::new(Theme::load(&options.root, &config).map_err(Diagnostics::from)?);
        let renderer = Renderer::new(Arc::clone(&theme)).map_err(Diagnostics::from)?;
        let today = Date::today();
        let (data, data_diagnostics) = Data::load(&options.root, &config, &today);
        let (listing, listing_errors) = load::list(&options.root);
        let parsed: Vec<(String, Result<Option<Parsed>, Diagnostic>)> = listing
            .markdown
            .par_iter()
            .map(|(rel, source)| (rel.clone(), load::read_and_parse(rel, source, &config)))
            .collect();
        let mut site = Site {
            options: options.clone(),
            config,
            theme,
            renderer,
            resolved: Resolved::default(),
            held_back: BTreeMap::new(),
            parse_errors: BTreeMap::new(),
            assets: listing.assets,
            listing_errors,
            values: HashMap::new(),
            records: HashMap::new(),
            outputs: BTreeMap::new(),
            config_broken: false,
            data,
            data_diagnostics,
            today,
            quick: None,
            search_stale: Vec::new(),
            search_generation: Arc::new(AtomicU64::new(0)),
            search_entries: site_search::EntryCache::default(),
            warnings: Diagnostics::new(),
        };
        let mut documents = BTreeMap::new();
        for (rel, result) in parsed {
            site.store(&mut documents, rel, result);
        }
        site.assemble(documents)?;
        // The search index is left stale: `serve` makes it on another thread
        // while it serves the first pages, `watch` before it writes.
        Ok(site)
    }

    /// Whether a search index is older than the site (see `refresh_search`).
    pub fn search_is_stale(&self) -> bool {
        !self.search_stale.is_empty()
    }

    /// Makes the search index of every language a change touched again, and
    /// says which of its files changed or are gone. `watch` calls it after
    /// each change; `serve` runs the same in two halves,
    /// [`Site::search_job`] and [`Site::finish_search`], so that the
    /// indexing runs on another thread while changes keep being served.
    pub fn refresh_search(&mut self) -> Rebuilt {
        match self.search_job() {
            Some(job) => {
                let made = job.run();
                self.finish_search(made).unwrap_or_default()
            }
            None => Rebuilt::default(),
        }
    }

    /// What indexing the stale languages needs, taken from the site as it
    /// is now (its entries, shared with the cache that keeps them for the
    /// next job), or `None` when no index is stale.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        if self.search_stale.is_empty() {
            return None;
        }
        let languages = std::mem::take(&mut self.search_stale);
        let site = &self.resolved;
        let indexes = languages
            .iter()
            .map(|&lang| {
                let dir = site_search::index_dir(&self.config, lang);
                let entries = self
                    .search_entries
                    .entries(site, &self.data, &self.config, lang);
                (dir, entries)
            })
            .collect();
        Some(SearchJob {
            generation: self.search_generation.load(Ordering::SeqCst),
            current: Arc::clone(&self.search_generation),
            languages,
            indexes,
        })
    }

    /// Puts the index a [`SearchJob`] made into the site, unless the site
    /// changed since the job was taken (a newer job is then due, and this
    /// one's files are let go): the changed and removed files, or `None`.
    pub fn finish_search(&mut self, made: MadeIndex) -> Option<Rebuilt> {
        if made.generation != self.search_generation.load(Ordering::SeqCst) {
            // Its languages are due again, with whatever the change touched.
            self.mark_search_stale(made.languages);
            return None;
        }
        let mut rebuilt = Rebuilt::default();
        for (dir, files) in made.indexes {
            let dir = format!("{dir}/");
            let keep: std::collections::HashSet<&str> =
                files.iter().map(|f| f.path.as_str()).collect();
            let gone: Vec<String> = self
                .outputs
                .range(dir.clone()..)
                .take_while(|(path, _)| path.starts_with(&dir))
                .filter(|(path, _)| !keep.contains(path.as_str()))
                .map(|(path, _)| path.clone())
                .collect();
            for path in gone {
                self.outputs.remove(&path);
                rebuilt.removed.push(path);
            }
            for file in files {
                put_output(&mut self.outputs, file, &mut rebuilt);
            }
        }
        rebuilt.changed.sort();
        rebuilt.removed.sort();
        rebuilt.took = made.took;
        Some(rebuilt)
    }

    /// Marks the search index of `languages` as older than the site.
    fn search_changed(&mut self, languages: impl IntoIterator<Item = usize>) {
        if !self.resolved.search {
            return;
        }
        // An index being made from the site as it was is now out of date.
        self.search_generation.fetch_add(1, Ordering::SeqCst);
        self.mark_search_stale(languages);
    }

    fn mark_search_stale(&mut self, languages: impl IntoIterator<Item = usize>) {
        self.search_stale.extend(languages);
        self.search_stale.sort_unstable();
        self.search_stale.dedup();
    }

    /// The current site, sorted by path.
    pub fn outputs(&self) -> impl Iterator<Item = &OutputFile> {
        self.outputs.values()
    }

    /// One output file by its path in the site.
    pub fn output(&self, path: &str) -> Option<&OutputFile> {
        self.outputs.get(path)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Applies a batch of changes. On error the site keeps serving (and
    /// `outputs` keeps) the last good build.
    pub fn apply(&mut self, plan: &Plan) -> Result<Rebuilt, Diagnostics> {
        let started = Instant::now();
        if plan.config || self.config_broken {
            return self.reload(started);
        }
        if let Some(result) = self.try_quick(plan) {
            return result.map(|mut rebuilt| {
                rebuilt.took = started.elapsed();
                rebuilt
            });
        }
        self.quick = None;
        let mut parsed = 0;
        if plan.templates || plan.static_files {
            let theme = Theme::load(&self.options.root, &self.config).map_err(Diagnostics::from)?;
            self.theme = Arc::new(theme);
            if plan.templates {
                self.renderer =
                    Renderer::new(Arc::clone(&self.theme)).map_err(Diagnostics::from)?;
                // New templates: every output is rendered again.
                self.records.clear();
            }
        }
        if plan.data {
            let (data, diagnostics) = Data::load(&self.options.root, &self.config, &self.today);
            self.data = data;
            self.data_diagnostics = diagnostics;
            // Data reaches every page (the hotlines in the context, shortcodes):
            // render all again.
            self.records.clear();
        }
        let mut documents = self.take_documents();
        if plan.content_rescan || plan.assets {
            let (listing, errors) = load::list(&self.options.root);
            self.listing_errors = errors;
            self.assets = listing.assets;
            if plan.content_rescan {
                let present: BTreeMap<&String, &std::path::PathBuf> =
                    listing.markdown.iter().map(|(r, p)| (r, p)).collect();
                documents.retain(|rel, _| present.contains_key(rel));
                self.parse_errors.retain(|rel, _| present.contains_key(rel));
                let new: Vec<(String, std::path::PathBuf)> = listing
                    .markdown
                    .iter()
                    .filter(|(rel, _)| {
                        !documents.contains_key(rel) && !self.parse_errors.contains_key(rel)
                    })
                    .cloned()
                    .collect();
                parsed += new.len();
                for (rel, source) in new {
                    let result = load::read_and_parse(&rel, &source, &self.config);
                    self.store(&mut documents, rel, result);
                }
            }
        }
        for rel in &plan.content_files {
            documents.remove(rel);
            self.parse_errors.remove(rel);
            if let Some(source) = load::listed_source(&self.options.root, rel) {
                parsed += 1;
                let result = load::read_and_parse(rel, &source, &self.config);
                self.store(&mut documents, rel.clone(), result);
            }
        }
        let mut rebuilt = self.assemble(documents)?;
        rebuilt.parsed = parsed;
        rebuilt.took = started.elapsed();
        Ok(rebuilt)
    }

    fn reload(&mut self, started: Instant) -> Result<Rebuilt, Diagnostics> {
        match Site::load(&self.options) {
            Ok(mut fresh) => {
                let before = std::mem::take(&mut self.outputs);
                let mut rebuilt = diff_outputs(&before, &fresh.outputs);
                rebuilt.parsed = fresh.resolved.pages.len() + fresh.resolved.sections.len();
                rebuilt.rendered = fresh.records.len();
                rebuilt.took = started.elapsed();
                fresh.config_broken = false;
                *self = fresh;
                Ok(rebuilt)
            }
            Err(e) => {
                self.config_broken = true;
                Err(e)
            }
        }
    }

    /// Moves every document out of the last resolved state, for the next.
    fn take_documents(&mut self) -> BTreeMap<String, Parsed> {
        let resolved = std::mem::take(&mut self.resolved);
        let mut documents = std::mem::take(&mut self.held_back);
        for p in resolved.pages {
            documents.insert(p.doc.rel.clone(), Parsed::Page(p));
        }
        for s in resolved.sections {
            // The home section made up when there is no content/_index.md is
            // made again by the resolve stage; it is no document.
            if s.doc.source_hash != 0 {
                documents.insert(s.doc.rel.clone(), Parsed::Section(s));
            }
        }
        documents
    }

    fn store(
        &mut self,
        documents: &mut BTreeMap<String, Parsed>,
        rel: String,
        result: Result<Option<Parsed>, Diagnostic>,
    ) {
        match result {
            Ok(Some(parsed)) => {
                documents.insert(rel, parsed);
            }
            Ok(None) => {}
            Err(d) => {
                self.parse_errors.insert(rel, d);
            }
        }
    }

    /// Resolve, then render what changed. Documents move into the resolve
    /// stage and back, so nothing is copied.
    fn assemble(&mut self, documents: BTreeMap<String, Parsed>) -> Result<Rebuilt, Diagnostics> {
        let mut diagnostics = self.listing_errors.clone();
        diagnostics.extend(self.theme.warnings(&self.config));
        diagnostics.extend(self.data_diagnostics.iter().cloned());
        diagnostics.extend(self.parse_errors.values().cloned());
        let mut content = Content {
            assets: self.assets.clone(),
            unparsed: self.parse_errors.keys().cloned().collect(),
            ..Content::default()
        };
        let mut held_back = BTreeMap::new();
        for (rel, parsed) in documents {
            let is_draft = match &parsed {
                Parsed::Page(p) => p.doc.draft,
                Parsed::Section(s) => s.doc.draft,
            };
            if is_draft && !self.options.drafts {
                content.drafts.push(rel.clone());
                held_back.insert(rel, parsed);
            } else {
                content.add(parsed, self.options.drafts, &mut diagnostics);
            }
        }
        render::add_generated_sections(&mut content, &self.data, &self.config);
        let (renderer, config, data) = (&self.renderer, &self.config, &self.data);
        let shortcodes = |doc: &Document, call: &ShortcodeCall| {
            renderer.render_shortcode(config, data, doc, call)
        };
        let (site, resolve_diagnostics) = resolve::resolve(content, &self.config, &shortcodes);
        diagnostics.extend(resolve_diagnostics.into_vec());
        diagnostics.extend(crate::check::lint(&site, &self.today));
        self.held_back = held_back;
        let result = if diagnostics.has_errors() {
            Err(diagnostics.sorted())
        } else {
            self.render_changes(&site).inspect(|_| {
                let outputs = &self.outputs;
                diagnostics.extend(crate::check::addresses(
                    &site,
                    &self.config.base_url,
                    &|path| outputs.contains_key(path),
                ));
                self.warnings = diagnostics.sorted();
            })
        };
        // The documents stay with the resolved state, good or not, for the next change.
        let languages = 0..site.roots.len();
        self.resolved = site;
        if result.is_ok() {
            self.search_changed(languages);
        }
        result
    }

    fn render_changes(&mut self, site: &Resolved) -> Result<Rebuilt, Diagnostics> {
        self.renderer.check_template_names(site)?;
        let assets_fingerprint = fingerprint::of(&site.assets);
        let prints = Fingerprints::of(site, assets_fingerprint);

        // Page values: reuse those whose inputs are unchanged.
        let previous: Vec<Option<Arc<PageValue>>> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| match self.values.get(&p.doc.rel) {
                Some((print, value)) if *print == prints.pages[i] => Some(Arc::clone(value)),
                _ => None,
            })
            .collect();
        let page_values =
            render::page_values(site, &self.config, &self.theme.i18n, Some(&previous));

        // Outputs: render those whose fingerprint or recorded dependencies changed.
        let jobs = render::jobs(site, &self.data);
        let mut to_render: Vec<Job> = Vec::new();
        let mut fresh_records: HashMap<String, Record> = HashMap::with_capacity(jobs.len());
        let mut kept: Vec<String> = Vec::new();
        for &job in &jobs {
            let path = crate::output::index_file(&render::job_path(site, &self.data, job));
            let template = self.renderer.template_of(site, job);
            let print = prints.of_job(site, job, &template);
            match self.records.get(&path) {
                Some(r)
                    if r.fingerprint == print
                        && r.dependencies_fingerprint
                            == prints.of_dependencies(&r.dependencies)
                        && self.outputs.contains_key(&path) =>
                {
                    fresh_records.insert(path.clone(), r.clone());
                    kept.push(path);
                }
                _ => {
                    fresh_records.insert(
                        path,
                        Record {
                            fingerprint: print,
                            dependencies: Vec::new(),
                            dependencies_fingerprint: 0,
                        },
                    );
                    to_render.push(job);
                }
            }
        }
        let model = Model {
            site,
            config: &self.config,
            data: &self.data,
            page_values: &page_values,
            words: &self.theme.i18n,
        };
        self.renderer.set_lookup(&model);
        let rendered = self.renderer.render(&model, &to_render)?;

        let mut outputs: BTreeMap<String, OutputFile> = BTreeMap::new();
        for path in kept {
            if let Some(f) = self.outputs.get(&path) {
                outputs.insert(path, f.clone());
            }
        }
        let rendered_count = rendered.len();
        for r in rendered {
            if let Some(record) = fresh_records.get_mut(&r.file.path) {
                record.dependencies_fingerprint = prints.of_dependencies(&r.dependencies);
                record.dependencies = r.dependencies;
            }
            outputs.insert(r.file.path.clone(), r.file);
        }
        // The index of the last build is kept until `refresh_search`.
        if site.search {
            for (path, file) in self.outputs.range("search/".to_string()..) {
                if !path.starts_with("search/") {
                    break;
                }
                if path.ends_with(".json") {
                    outputs.insert(path.clone(), file.clone());
                }
            }
        }
        for f in render::generated_files(site, &self.config, &self.data, &self.theme) {
            if outputs.contains_key(&f.path) {
                return Err(Diagnostics::from(Diagnostic::error(format!(
                    "two outputs would both write {}",
                    f.path
                ))
                .with_hint("a file in static/ or content/ has the same path as a generated page; rename it")));
            }
            outputs.insert(f.path.clone(), f);
        }

        let mut rebuilt = diff_outputs(&self.outputs, &outputs);
        rebuilt.rendered = rendered_count;
        self.outputs = outputs;
        let index = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.doc.rel.clone(), DocRef::Page(i)))
            .chain(
                site.sections
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.doc.rel.clone(), DocRef::Section(i))),
            )
            .collect();
        let jobs_by_path = jobs
            .iter()
            .map(|&job| {
                (
                    crate::output::index_file(&render::job_path(site, &self.data, job)),
                    job,
                )
            })
            .collect();
        self.records = fresh_records;
        self.values = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p.doc.rel.clone(),
                    (prints.pages[i], Arc::clone(&page_values[i])),
                )
            })
            .collect();
        self.quick = Some(Quick {
            prints,
            page_values,
            jobs: jobs_by_path,
            index,
            assets: assets_fingerprint,
        });
        Ok(rebuilt)
    }
}

/// The entries of the search indexes to make, copied out of the site so
/// that another thread can index them (see [`Site::search_job`]).
pub struct SearchJob {
    generation: u64,
    /// The site's generation now: once it moves on, the job's entries are
    /// left empty, so that a job whose index will be let go ends quickly.
    current: Arc<AtomicU64>,
    languages: Vec<usize>,
    /// Each index's folder and its entries.
    indexes: Vec<(String, Vec<Arc<crate::search::Entry>>)>,
}

/// The files a [`SearchJob`] made.
pub struct MadeIndex {
    generation: u64,
    languages: Vec<usize>,
    indexes: Vec<(String, Vec<OutputFile>)>,
    took: Duration,
}

impl SearchJob {
    /// Builds the indexes: pure, and slow on a large site.
    pub fn run(self) -> MadeIndex {
        self.run_on(None)
    }

    /// [`SearchJob::run`] on one thread, so that `serve` keeps a core for
    /// the changes that come meanwhile.
    pub fn run_in_background(self) -> MadeIndex {
        self.run_on(rayon::ThreadPoolBuilder::new().num_threads(1).build().ok())
    }

    fn run_on(self, pool: Option<rayon::ThreadPool>) -> MadeIndex {
        let started = Instant::now();
        let (generation, current) = (self.generation, &self.current);
        let build = |(dir, entries): (String, Vec<Arc<crate::search::Entry>>)| {
            let entry = |i: usize| {
                if current.load(Ordering::Relaxed) == generation {
                    crate::search::Entry::clone(&entries[i])
                } else {
                    crate::search::Entry::default()
                }
            };
            let files = crate::search::build_index_with(entries.len(), entry, &dir);
            (dir, files)
        };
        let indexes = match pool {
            Some(pool) => pool.install(|| self.indexes.into_iter().map(build).collect()),
            None => self.indexes.into_iter().map(build).collect(),
        };
        MadeIndex {
            generation: self.generation,
            languages: self.languages,
            indexes,
            took: started.elapsed(),
        }
    }
}

/// Stores an output, noting in `rebuilt` when its bytes are new.
fn put_output(outputs: &mut BTreeMap<String, OutputFile>, file: OutputFile, rebuilt: &mut Rebuilt) {
    if outputs
        .get(&file.path)
        .is_none_or(|old| old.contents != file.contents)
    {
        rebuilt.changed.push(file.path.clone());
    }
    outputs.insert(file.path.clone(), file);
}

fn load_config(options: &BuildOptions) -> Result<Config, Diagnostics> {
    let config = Config::from_file(&options.root).map_err(Diagnostics::from)?;
    Ok(match &options.base_url {
        Some(url) => config.with_base_url(url).map_err(Diagnostics::from)?,
        None => config,
    })
}

/// Which paths are new or different in `after`, and which are gone.
fn diff_outputs(
    before: &BTreeMap<String, OutputFile>,
    after: &BTreeMap<String, OutputFile>,
) -> Rebuilt {
    let changed = after
        .iter()
        .filter(|(path, f)| {
            before
                .get(*path)
                .is_none_or(|old| old.contents != f.contents)
        })
        .map(|(path, _)| path.clone())
        .collect();
    let removed = before
        .keys()
        .filter(|path| !after.contains_key(*path))
        .cloned()
        .collect();
    Rebuilt {
        changed,
        removed,
        ..Rebuilt::default()
    }
}
