//! The build pipeline: load → validate → resolve → render → write. Every stage
//! but the last works in memory, so `check`, tests and the preview server run
//! the same pipeline without touching the output folder.

use crate::config::Config;
use crate::content::Document;
use crate::content::date::Date;
use crate::content::shortcodes::ShortcodeCall;
use crate::content::{load, resolve};
use crate::data::Data;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputFile, writer};
use crate::render;
use crate::render::Renderer;
use crate::theme::Theme;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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

/// A site built into memory.
#[derive(Debug)]
pub struct Built {
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
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs every stage but writing.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let mut stats = Stats::default();
    let mut clock = Instant::now();
    let mut lap = |stats: &mut Stats, stage: &'static str| {
        stats.timings.push((stage, clock.elapsed()));
        clock = Instant::now();
    };

    // load
    let mut config = Config::from_file(&options.root).map_err(Diagnostics::from)?;
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url);
    }
    let today = Date::today();
    let renderer = Theme::load(&options.root, &config).and_then(|t| Renderer::new(Arc::new(t)));
    let (data, data_diagnostics) = Data::load(&options.root, &config, &today);
    let (mut content, mut diagnostics) = load::load(&options.root, &config, options.drafts);
    diagnostics.extend(data_diagnostics.into_vec());
    render::add_generated_sections(&mut content, &data, &config);
    lap(&mut stats, "load");

    // validate: everything the loaders found, and the theme, reported together
    let renderer = match renderer {
        Ok(r) => Some(r),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };

    // resolve (run even after load errors, so link errors come in the same report)
    let shortcodes = |_: &Document, call: &ShortcodeCall| match &renderer {
        Some(r) => r.render_shortcode(&config, &data, call),
        None => Ok(Default::default()),
    };
    let (site, resolve_diagnostics) = resolve::resolve(content, &config, &shortcodes);
    diagnostics.extend(resolve_diagnostics.into_vec());
    diagnostics.extend(crate::check::lint(&site, &today));
    lap(&mut stats, "resolve");
    let Some(renderer) = renderer.filter(|_| !diagnostics.has_errors()) else {
        return Err(diagnostics.sorted());
    };

    // render
    let files = render::render_site(&site, &config, &data, &renderer).map_err(|e| {
        let mut all = diagnostics.clone();
        all.extend(e.into_vec());
        all.sorted()
    })?;
    if let Some(d) = duplicate_output(&files) {
        diagnostics.push(d);
        return Err(diagnostics.sorted());
    }
    lap(&mut stats, "render");
    stats.pages = site.pages.len();
    stats.sections = site.sections.len();
    Ok(Built {
        files,
        indicators: data.indicators.clone(),
        warnings: diagnostics.sorted(),
        stats,
    })
}

/// Builds and writes the site atomically. On any error the previous output
/// is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<(Built, PathBuf), Diagnostics> {
    let output = options.output_dir();
    check_output_is_safe(&options.root, &output).map_err(Diagnostics::from)?;
    let mut built = build_in_memory(options)?;
    let started = Instant::now();
    writer::write_atomically(&output, &built.files).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(format!("cannot write the site to {}: {e}", output.display()))
                .with_hint("check that the folder is writable and the disk is not full; the previous output was kept"),
        )
    })?;
    built.stats.timings.push(("write", started.elapsed()));
    Ok((built, output))
}

/// The output folder is deleted and replaced on every build, so it must not
/// be the site itself or hold it.
pub fn check_output_is_safe(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_abs, output_abs) = (absolute(root), absolute(output));
    let holds_site = root_abs.starts_with(&output_abs);
    let is_source = crate::serve::changes::SOURCE_DIRS
        .iter()
        .any(|d| output_abs.starts_with(root_abs.join(d)));
    let looks_like_site =
        output_abs.join("site.toml").exists() || output_abs.join("content").is_dir();
    if holds_site || is_source || looks_like_site {
        return Err(Diagnostic::error(format!(
            "refusing to use {} as the output folder: it would delete the site's own files",
            output.display()
        ))
        .with_hint("pass --output with a separate folder, e.g. --output public"));
    }
    Ok(())
}

fn duplicate_output(files: &[OutputFile]) -> Option<Diagnostic> {
    files.windows(2).find(|w| w[0].path == w[1].path).map(|w| {
        Diagnostic::error(format!("two outputs would both write {}", w[0].path)).with_hint(
            "a file in static/ or content/ has the same path as a generated page; rename it",
        )
    })
}
