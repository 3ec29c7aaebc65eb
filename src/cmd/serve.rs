//! `anxin serve`: build into memory, serve on loopback, rebuild what each
//! change touches, reload open tabs. A failed rebuild shows its errors in the
//! terminal and over every page, while the last good site keeps being served.

use crate::build::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::serve::server;
use crate::serve::snapshot::Snapshot;
use crate::serve::watcher;
use crate::site::{Rebuilt, Site};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// How long no change must come before the search index is made again.
const SEARCH_REFRESH_AFTER: Duration = Duration::from_millis(300);

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub drafts: bool,
}

pub fn execute(options: &ServeOptions) -> Result<(), Diagnostics> {
    // Links are written from the site root ("/news/a/"), so the preview works
    // at whatever address and port the browser reaches it by, a phone on the
    // local network included.
    let build = BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: Some("/".into()),
        drafts: options.drafts,
    };
    // Watching starts before the first build, so a save made while it runs
    // is not lost.
    let (_watcher, plans) = watcher::watch(&options.root).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(format!("cannot watch the site folder for changes: {e}"))
                .with_hint("check that the folder exists and that you may read it"),
        )
    })?;
    let mut build_id = 1;
    let (mut site, first) = match Site::load(&build) {
        Ok(site) => {
            print_warnings(&site.warnings);
            let snapshot = Snapshot::of(site.outputs(), build_id);
            (Some(site), snapshot)
        }
        Err(errors) => {
            eprint!("{errors}");
            (None, Snapshot::default().with_errors(errors.to_string()))
        }
    };
    let state = Arc::new(server::SharedState::new(Arc::new(first)));
    let (server, address) =
        server::start(options.bind, options.port, Arc::clone(&state)).map_err(|e| {
            Diagnostics::from(
                Diagnostic::error(format!("cannot start the preview server: {e}"))
                    .with_hint("try another port with --port, e.g. --port 8080"),
            )
        })?;
    let shown_host = if address.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        address.ip().to_string()
    };
    println!(
        "Serving the site at http://{shown_host}:{}/",
        address.port()
    );
    println!("Pages reload by themselves when you save a file. Press Ctrl+C to stop.");

    loop {
        // The search index is made again once the changes stop coming for a
        // moment: on a large site it takes far longer than the page that
        // changed, and every save in a burst would otherwise wait for it.
        let stale = site.as_ref().is_some_and(Site::search_is_stale);
        let plan = if stale {
            match plans.recv_timeout(SEARCH_REFRESH_AFTER) {
                Ok(plan) => plan,
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(current) = site.as_mut() {
                        let rebuilt = current.refresh_search();
                        let changed = rebuilt.changed.iter().filter_map(|p| current.output(p));
                        // The same build: open pages need no reload for it.
                        let next = state
                            .snapshot()
                            .updated(changed, &rebuilt.removed, build_id);
                        server.set_snapshot(Arc::new(next));
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match plans.recv() {
                Ok(plan) => plan,
                Err(_) => break,
            }
        };
        let result = match site.as_mut() {
            Some(current) => current.apply(&plan),
            // No good build yet: every change is another try at a first one.
            None => Site::load(&build).map(|loaded| {
                let rebuilt = Rebuilt {
                    rendered: loaded.outputs().count(),
                    changed: loaded.outputs().map(|f| f.path.clone()).collect(),
                    ..Rebuilt::default()
                };
                site = Some(loaded);
                rebuilt
            }),
        };
        match (result, site.as_ref()) {
            (Ok(rebuilt), Some(current)) => {
                build_id += 1;
                print_warnings(&current.warnings);
                println!(
                    "Rebuilt in {} ms after {plan}: {} file(s) read, {} output(s) rendered, {} changed",
                    rebuilt.took.as_millis(),
                    rebuilt.parsed,
                    rebuilt.rendered,
                    rebuilt.changed.len() + rebuilt.removed.len()
                );
                let changed = rebuilt.changed.iter().filter_map(|p| current.output(p));
                let next = state
                    .snapshot()
                    .updated(changed, &rebuilt.removed, build_id);
                server.set_snapshot(Arc::new(next));
            }
            (Ok(_), None) => {}
            (Err(errors), _) => {
                eprint!("{errors}");
                let shown = state.snapshot().with_errors(errors.to_string());
                server.set_snapshot(Arc::new(shown));
            }
        }
    }
    server.shutdown();
    Ok(())
}

fn print_warnings(warnings: &Diagnostics) {
    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
}
