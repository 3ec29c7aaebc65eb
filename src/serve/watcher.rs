//! Watches a site's source folders with notify and sends one [`Plan`] per
//! burst of changes, so that a save done as "write aside, rename over, delete
//! the backup" arrives as one plan naming the page, not three.
//!
//! Only `content/`, `data/`, `templates/`, `themes/`, `static/` and `i18n/`
//! are watched recursively, and the site folder itself without recursion (for
//! `site.toml`, and to see those folders appear and go). Output folders and a
//! `target/` beside the site are never watched: on the demo site that would be
//! hundreds of thousands of files and a rebuild loop.

use super::changes::{Plan, SOURCE_DIRS, classify};
use notify::event::{CreateKind, ModifyKind, RemoveKind};
use notify::{ErrorKind, Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How events are gathered into bursts: a burst ends when no event has come
/// for `quiet`, or at the latest `max_wait` after its first event, so a long
/// stream of changes (a `git checkout`) still shows progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Debounce {
    pub quiet: Duration,
    pub max_wait: Duration,
}

impl Default for Debounce {
    /// 20 ms is longer than any editor takes between the steps of one save
    /// (vim's write, rename and delete come within a millisecond or two) and
    /// short enough not to be felt; 300 ms bounds the wait during a flood.
    fn default() -> Debounce {
        Debounce {
            quiet: Duration::from_millis(20),
            max_wait: Duration::from_millis(300),
        }
    }
}

/// A running watcher. Dropping it (or calling [`Watcher::stop`]) stops the
/// watching thread and waits for it to end; the plan channel then closes.
pub struct Watcher {
    stop: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

/// Starts watching the site at `root` with the default [`Debounce`]. Plans
/// arrive on the returned channel, one per burst of changes, never empty.
/// Changes made after this returns are seen.
pub fn watch(root: &Path) -> Result<(Watcher, Receiver<Plan>), notify::Error> {
    watch_with(root, Debounce::default())
}

/// [`watch`] with other debounce times.
pub fn watch_with(
    root: &Path,
    debounce: Debounce,
) -> Result<(Watcher, Receiver<Plan>), notify::Error> {
    // Canonical, because notify reports paths under the path it was given and
    // some platforms (macOS's /var → /private/var) report the resolved one.
    let root = root
        .canonicalize()
        .map_err(|e| notify::Error::io(e).add_path(root.to_path_buf()))?;
    let (events_tx, events) = mpsc::channel();
    let stop = events_tx.clone();
    let mut notify = notify::recommended_watcher(move |event| {
        // Fails only once the worker has ended, when nobody wants events.
        let _ = events_tx.send(Message::Event(event));
    })?;
    notify.watch(&root, RecursiveMode::NonRecursive)?;
    let mut watched = BTreeSet::new();
    for name in SOURCE_DIRS {
        if watch_dir(&mut notify, &root.join(name))? {
            watched.insert(name);
        }
    }
    let (plans_tx, plans) = mpsc::channel();
    let worker = Worker {
        root,
        debounce,
        notify,
        watched,
        events,
        plans: plans_tx,
    };
    let thread = std::thread::Builder::new()
        .name("anxin-watcher".to_string())
        .spawn(move || worker.run())
        .map_err(notify::Error::io)?;
    Ok((
        Watcher {
            stop,
            thread: Some(thread),
        },
        plans,
    ))
}

impl Watcher {
    /// Stops watching and waits for the thread to end (the same as dropping).
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // The worker may have ended already (its plan channel was closed);
        // then there is nobody to tell.
        let _ = self.stop.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

enum Message {
    Event(notify::Result<Event>),
    Stop,
}

/// Watches `dir` recursively if it is a folder; `Ok(false)` if it is not
/// there (it may have gone between the event and now).
fn watch_dir(notify: &mut RecommendedWatcher, dir: &Path) -> Result<bool, notify::Error> {
    if !dir.is_dir() {
        return Ok(false);
    }
    match notify.watch(dir, RecursiveMode::Recursive) {
        Ok(()) => Ok(true),
        Err(e) if matches!(e.kind, ErrorKind::PathNotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// What an event said about a path, beyond its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Seen {
    /// A rename or an event of unknown kind: it may be a file or a folder.
    Unknown,
    File,
    Folder,
}

#[derive(Default)]
struct Burst {
    paths: BTreeMap<PathBuf, Seen>,
    /// The kernel dropped events or notify failed: nothing can be trusted.
    lost_events: bool,
}

struct Worker {
    root: PathBuf,
    debounce: Debounce,
    /// Owned here, so it lives exactly as long as the thread, and new
    /// source folders can be watched the moment their creation is seen.
    notify: RecommendedWatcher,
    /// The source folders watched now.
    watched: BTreeSet<&'static str>,
    events: Receiver<Message>,
    plans: Sender<Plan>,
}

impl Worker {
    fn run(mut self) {
        loop {
            let mut burst = Burst::default();
            // Wait as long as it takes for the first event that counts.
            loop {
                match self.events.recv() {
                    Ok(Message::Event(event)) => {
                        if self.take(event, &mut burst) {
                            break;
                        }
                    }
                    Ok(Message::Stop) | Err(_) => return,
                }
            }
            let deadline = Instant::now() + self.debounce.max_wait;
            let mut last = Instant::now();
            loop {
                let until = (last + self.debounce.quiet).min(deadline);
                let Some(wait) = until.checked_duration_since(Instant::now()) else {
                    break;
                };
                match self.events.recv_timeout(wait) {
                    Ok(Message::Event(event)) => {
                        if self.take(event, &mut burst) {
                            last = Instant::now();
                        }
                    }
                    Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                    Err(RecvTimeoutError::Timeout) => break,
                }
            }
            let plan = self.plan(burst);
            if !plan.is_empty() && self.plans.send(plan).is_err() {
                return;
            }
        }
    }

    /// Adds an event's paths to the burst. Returns whether the event counts,
    /// that is, starts the burst or keeps it open: reads (the engine's own,
    /// during a rebuild) and ignored files (`4913`, `public/`) do not.
    fn take(&mut self, event: notify::Result<Event>, burst: &mut Burst) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                warn_about(&error);
                burst.lost_events = true;
                return true;
            }
        };
        if event.need_rescan() {
            burst.lost_events = true;
            return true;
        }
        // Metadata changes count, so that `touch page.md` forces a rebuild,
        // as users of other generators expect.
        let seen = match event.kind {
            EventKind::Access(_) => return false,
            EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => {
                Seen::Folder
            }
            EventKind::Create(CreateKind::File)
            | EventKind::Remove(RemoveKind::File)
            | EventKind::Modify(ModifyKind::Data(_)) => Seen::File,
            _ => Seen::Unknown,
        };
        let mut counts = false;
        for path in event.paths {
            self.follow_source_dir(&event.kind, &path);
            if classify(&self.root, [path.clone()]).is_empty() {
                continue;
            }
            let entry = burst.paths.entry(path).or_insert(seen);
            *entry = (*entry).max(seen);
            counts = true;
        }
        counts
    }

    /// Keeps the recursive watches in step with the source folders: one may
    /// be created after the start, deleted, or replaced by a rename.
    fn follow_source_dir(&mut self, kind: &EventKind, path: &Path) {
        if path.parent() != Some(self.root.as_path()) {
            return;
        }
        let Some(name) = SOURCE_DIRS
            .into_iter()
            .find(|name| path.file_name().is_some_and(|f| f == *name))
        else {
            return;
        };
        if matches!(
            kind,
            EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_))
        ) {
            return;
        }
        // The folder under this name may be another one now, so the old
        // watch goes (notify may have dropped it already) and whatever is
        // there is watched afresh.
        if self.watched.remove(name) {
            let _ = self.notify.unwatch(path);
        }
        match watch_dir(&mut self.notify, path) {
            Ok(true) => {
                self.watched.insert(name);
            }
            Ok(false) => {}
            Err(error) => warn_about(&error),
        }
    }

    fn plan(&self, burst: Burst) -> Plan {
        if burst.lost_events {
            return Plan::everything();
        }
        let mut plan = Plan::default();
        for (path, seen) in burst.paths {
            let alone = classify(&self.root, [path.clone()]);
            // A name like `content/2025.10` reads as an asset, but if it is
            // a folder the pages inside it came or went unnamed.
            if alone.assets && !alone.content_rescan && may_be_folder(&path, seen) {
                plan.add_folder(&self.root, &path);
            } else {
                plan.merge(alone);
            }
        }
        plan
    }
}

/// Asked only when the plan is made, after the burst: by then a renamed or
/// deleted path is gone, and a path the events did not type is taken for a
/// folder, which costs a rescan of content/ at worst.
fn may_be_folder(path: &Path, seen: Seen) -> bool {
    match seen {
        Seen::Folder => true,
        Seen::File => false,
        Seen::Unknown => path.is_dir() || !path.exists(),
    }
}

/// The watcher runs beside the server with nobody to return an error to;
/// the terminal is where the user looks.
fn warn_about(error: &notify::Error) {
    if matches!(error.kind, ErrorKind::MaxFilesWatch) {
        eprintln!(
            "warning: the system's limit of watched folders is reached, so some changes \
             will not be seen; raise it (on Linux: sysctl fs.inotify.max_user_watches=524288) \
             and restart"
        );
    } else {
        eprintln!("warning: watching for changes: {error}");
    }
}
