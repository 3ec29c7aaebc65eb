//! The build pipeline: load → validate → resolve → render → write. Every stage
//! but the last works in memory, so `check`, tests and the preview server run
//! the same pipeline without touching the output folder; `build` writes each
//! output as the render stage produces it.

use crate::config::Config;
use crate::content::Document;
use crate::content::date::Date;
use crate::content::resolve::Resolved;
use crate::content::shortcodes::ShortcodeCall;
use crate::content::{load, resolve};
use crate::data::Data;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputFile, writer};
use crate::render;
use crate::render::Renderer;
use crate::theme::Theme;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where `build` writes; `public/` inside the root when not given.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site built: into memory by [`build_in_memory`], or written to disk by
/// [`build`].
#[derive(Debug)]
pub struct Built {
    /// The output files, sorted by path, when built in memory; empty when
    /// [`build`] wrote them to disk as they were rendered.
    pub files: Vec<OutputFile>,
    /// The published indicator data, for the audit `check` prints.
    pub indicators: Option<Arc<crate::data::indicators::IndicatorData>>,
    /// Warnings only: a build with errors returns them instead.
    pub warnings: Diagnostics,
    pub stats: Stats,
}

#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    /// Output files, generated and copied.
    pub files: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The site loaded, validated and resolved: everything but the render.
struct Prepared {
    config: Config,
    data: Data,
    site: Resolved,
    renderer: Renderer,
    warnings: Diagnostics,
    stats: Stats,
    clock: Instant,
}

impl Stats {
    /// Records how long `stage` took since `clock` and restarts it.
    fn lap(&mut self, clock: &mut Instant, stage: &'static str) {
        self.timings.push((stage, clock.elapsed()));
        *clock = Instant::now();
    }
}

impl Prepared {
    fn lap(&mut self, stage: &'static str) {
        self.stats.lap(&mut self.clock, stage);
    }
}

/// The stages before the render: load, validate, resolve. Every error any
/// of them finds is returned together.
fn prepare(options: &BuildOptions) -> Result<Prepared, Diagnostics> {
    let mut stats = Stats::default();
    let mut clock = Instant::now();

    // load
    let mut config = Config::from_file(&options.root).map_err(Diagnostics::from)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url).map_err(Diagnostics::from)?;
    }
    let today = Date::today();
    let renderer = Theme::load(&options.root, &config).and_then(|t| Renderer::new(Arc::new(t)));
    let (data, data_diagnostics) = Data::load(&options.root, &config, &today);
    let (mut content, mut diagnostics) = load::load(&options.root, &config, options.drafts);
    diagnostics.extend(data_diagnostics.into_vec());
    render::add_generated_sections(&mut content, &data, &config);
    stats.lap(&mut clock, "load");

    // validate: everything the loaders found, and the theme, reported together
    let renderer = match renderer {
        Ok(r) => {
            diagnostics.extend(r.theme.warnings(&config));
            Some(r)
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };

    // resolve (run even after load errors, so link errors come in the same report)
    let shortcodes = |doc: &Document, call: &ShortcodeCall| match &renderer {
        Some(r) => r.render_shortcode(&config, &data, doc, call),
        None => Ok(Default::default()),
    };
    let (mut site, resolve_diagnostics) = resolve::resolve(content, &config, &shortcodes);
    site.drop_unfilled_html();
    diagnostics.extend(resolve_diagnostics.into_vec());
    diagnostics.extend(crate::check::lint(&site, &today));
    stats.lap(&mut clock, "resolve");
    let Some(renderer) = renderer.filter(|_| !diagnostics.has_errors()) else {
        return Err(diagnostics.sorted());
    };
    stats.pages = site.pages.len();
    stats.sections = site.sections.len();
    Ok(Prepared {
        config,
        data,
        site,
        renderer,
        warnings: diagnostics,
        stats,
        clock,
    })
}

impl Prepared {
    /// The render stage, each output handed to `deliver`.
    fn render(&self, deliver: &render::Deliver) -> Result<(), Diagnostics> {
        let rendered = render::render_site(
            &self.site,
            &self.config,
            &self.data,
            &self.renderer,
            deliver,
        );
        rendered.map_err(|e| {
            let mut all = self.warnings.clone();
            all.extend(e.into_vec());
            all.sorted()
        })
    }

    /// Adds a warning for each address in markdown that names no output.
    fn check_addresses(&mut self, exists: &dyn Fn(&str) -> bool) {
        let missing = crate::check::addresses(&self.site, &self.config.base_url, exists);
        self.warnings.extend(missing);
    }

    fn finish(self, files: Vec<OutputFile>) -> Built {
        let built = Built {
            files,
            indicators: self.data.indicators.clone(),
            warnings: self.warnings.sorted(),
            stats: self.stats,
        };
        // Freeing a 10,000-page site's documents and template values takes
        // a tenth of a second: a thread does it while `build` reports, and
        // a command that exits first does not wait for it.
        let garbage = (self.site, self.data, self.renderer, self.config);
        // Where no thread can be started, the closure, and so the values,
        // are dropped here instead.
        let _ = std::thread::Builder::new()
            .name("anxin-drop".into())
            .spawn(move || drop(garbage));
        built
    }
}

/// Runs every stage but writing.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let mut prepared = prepare(options)?;
    let files = Mutex::new(Vec::new());
    prepared.render(&|file| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file);
        Ok(())
    })?;
    let mut files = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(path) = files
        .windows(2)
        .find(|w| w[0].path == w[1].path)
        .map(|w| &w[0].path)
    {
        let mut errors = prepared.warnings.clone();
        errors.push(duplicate_output(path));
        return Err(errors.sorted());
    }
    prepared.check_addresses(&|path| {
        files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_ok()
    });
    prepared.lap("render");
    prepared.stats.files = files.len();
    Ok(prepared.finish(files))
}

/// Builds the site and writes it atomically: each output is written into a
/// staging folder as soon as it is rendered, and the staging folder replaces
/// the output only when every file is in. On any error the previous output
/// is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<(Built, PathBuf), Diagnostics> {
    let output = options.output_dir();
    // Both checked before either stops the build, so that one run reports
    // every mistake.
    let (claimed, prepared) = (claim_output(options), prepare(options));
    let (real, mut prepared) = match (claimed, prepared) {
        (Ok(real), Ok(prepared)) => (real, prepared),
        (Err(refused), Ok(_)) => return Err(Diagnostics::from(refused)),
        (Ok(_), Err(errors)) => return Err(errors),
        (Err(refused), Err(mut errors)) => {
            errors.push(refused);
            return Err(errors.sorted());
        }
    };
    let write_error = |e: std::io::Error| {
        Diagnostic::error(format!("cannot write the site to {}: {e}", output.display()))
            .with_hint("check that the folder is writable and the disk is not full; the previous output was kept")
    };
    let staging = writer::Staging::begin(&real).map_err(|e| Diagnostics::from(write_error(e)))?;
    prepared.render(&|file| {
        staging.put(&file).map_err(|e| match e {
            writer::PutError::Duplicate(path) => duplicate_output(&path),
            writer::PutError::Outside(path) => outside_output(&path),
            writer::PutError::Io(e) => write_error(e),
        })
    })?;
    prepared.check_addresses(&|path| staging.has(path));
    prepared.lap("render+write");
    prepared.stats.files = staging.len();
    staging
        .commit()
        .map_err(|e| Diagnostics::from(write_error(e)))?;
    prepared.lap("swap");
    Ok((prepared.finish(Vec::new()), output))
}

/// The real folder `build` and `watch` write to, once it is known to be
/// anxin's to replace (see [`crate::output::folder`]).
pub fn claim_output(options: &BuildOptions) -> Result<PathBuf, Diagnostic> {
    crate::output::folder::claim(
        &options.root,
        &options.output_dir(),
        &crate::serve::changes::SOURCE_DIRS,
    )
}

/// Every input that names an output path is checked where it is read, with
/// its position; this is the last guard, in the writer, for what slipped by.
fn outside_output(path: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "an output would be written outside the output folder: {path:?}"
    ))
    .with_hint("nothing was written; rename the file, slug, alias or id that makes this path (no `..`, no leading `/`)")
}

fn duplicate_output(path: &str) -> Diagnostic {
    Diagnostic::error(format!("two outputs would both write {path}"))
        .with_hint("a file in static/ or content/ has the same path as a generated page; rename it")
}
