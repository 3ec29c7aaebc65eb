//! `anxin serve`: build into memory, serve on loopback, rebuild what each
//! change touches, reload open tabs. A failed rebuild shows its errors in the
//! terminal and over every page, while the last good site keeps being served.

use crate::build::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::serve::server;
use crate::serve::snapshot::Snapshot;
use crate::serve::watcher;
use crate::site::{MadeIndex, Rebuilt, SearchJob, Site};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long no change must come before the search index is made again.
const SEARCH_REFRESH_AFTER: Duration = Duration::from_millis(300);
/// How often to look for the index being made on another thread.
const INDEX_POLL: Duration = Duration::from_millis(50);

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
    println!("Serving the site at {}", shown_url(address));
    println!("Pages reload by themselves when you save a file. Press Ctrl+C to stop.");

    // The search index is made again on another thread once the changes
    // stop coming for a moment: on a large site it takes far longer than the
    // page that changed, and changes keep being served meanwhile.
    let (made_tx, made_rx) = mpsc::channel::<MadeIndex>();
    let index_in_background = |job: SearchJob| {
        let made_tx = made_tx.clone();
        std::thread::spawn(move || {
            let _ = made_tx.send(job.run_in_background());
        });
    };
    // The first index is made at once, while the first pages are served.
    let mut indexing = match site.as_mut().and_then(Site::search_job) {
        Some(job) => {
            index_in_background(job);
            true
        }
        None => false,
    };
    loop {
        if let Ok(made) = made_rx.try_recv() {
            indexing = false;
            if let Some(current) = site.as_mut()
                && let Some(rebuilt) = current.finish_search(made)
            {
                let changed = rebuilt.changed.iter().filter_map(|p| current.output(p));
                // The same build: open pages need no reload for it. The
                // errors of a failed rebuild since stay shown.
                let shown = state.snapshot();
                let mut next = shown.updated(changed, &rebuilt.removed, build_id);
                if let Some(errors) = &shown.errors {
                    next = next.with_errors(errors.clone());
                }
                server.set_snapshot(Arc::new(next));
            }
        }
        let stale = !indexing && site.as_ref().is_some_and(Site::search_is_stale);
        let wait = if indexing {
            Some(INDEX_POLL)
        } else if stale {
            Some(SEARCH_REFRESH_AFTER)
        } else {
            None
        };
        let plan = match wait {
            Some(wait) => match plans.recv_timeout(wait) {
                Ok(plan) => plan,
                Err(RecvTimeoutError::Timeout) => {
                    if stale && let Some(job) = site.as_mut().and_then(Site::search_job) {
                        indexing = true;
                        index_in_background(job);
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            },
            None => match plans.recv() {
                Ok(plan) => plan,
                Err(_) => break,
            },
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

/// The address to open in a browser: a wildcard bind is reached on the
/// loopback address of its family, and an IPv6 address goes in brackets
/// (`http://[::1]:1111/`), as URLs write it.
fn shown_url(address: std::net::SocketAddr) -> String {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    // SocketAddr's own display brackets an IPv6 address.
    format!("http://{}/", std::net::SocketAddr::new(ip, address.port()))
}

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn ipv6_addresses_are_shown_in_brackets() {
        let url = |s: &str| shown_url(s.parse().expect("socket address"));
        assert_eq!(url("[::1]:1111"), "http://[::1]:1111/");
        assert_eq!(url("[::]:8080"), "http://[::1]:8080/");
        assert_eq!(url("0.0.0.0:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("192.168.1.5:1111"), "http://192.168.1.5:1111/");
    }
}
