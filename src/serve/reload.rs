//! Live reload: keeps the open event streams (Server-Sent Events) of the
//! browser tabs and tells them when the site they show has changed.
//!
//! tiny_http's chunked `Response` buffers about 8 KiB before it sends
//! anything, so a small event would never arrive. Each stream is therefore
//! written by hand on the raw connection (`Request::into_writer`) and flushed
//! after every event.

use super::snapshot::Snapshot;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The connection to one tab, as tiny_http hands it over.
pub type Stream = Box<dyn Write + Send>;

/// The open event streams and the version of the site they were last told.
/// Both sit behind one lock, so a tab that connects during a rebuild either
/// gets the `reload` event or a `hello` with the new version — never neither.
pub struct ReloadHub {
    state: Mutex<HubState>,
}

struct HubState {
    version: String,
    streams: Vec<Stream>,
}

/// Names what a page shows, in the form the event stream sends: the server
/// instance, the build, and the errors when the last rebuild failed. A tab
/// reloads when it hears any other version, so a restarted server (new
/// instance) and a newly failed rebuild (new errors, same build) reload it too.
pub fn version(instance: u64, snapshot: &Snapshot) -> String {
    match &snapshot.errors {
        None => format!("{instance:x}-{}", snapshot.build_id),
        Some(errors) => {
            let mut hasher = DefaultHasher::new();
            errors.hash(&mut hasher);
            format!("{instance:x}-{}-{:x}", snapshot.build_id, hasher.finish())
        }
    }
}

impl ReloadHub {
    pub fn new(version: String) -> ReloadHub {
        ReloadHub {
            state: Mutex::new(HubState {
                version,
                streams: Vec::new(),
            }),
        }
    }

    /// Takes over the connection of a `GET /__anxin/events`: writes the
    /// response head and a `hello` carrying the current version, then keeps
    /// the stream for later events. A stream that fails at once is dropped.
    pub fn subscribe(&self, mut stream: Stream) {
        let mut state = self.lock();
        // No Content-Length: the body is the stream and ends when the
        // connection does. `retry` makes the browser come back within a
        // second after a restart instead of its default few seconds.
        let opening = format!(
            "HTTP/1.1 200 OK\r\n\
             Content-Type: text/event-stream\r\n\
             Cache-Control: no-store\r\n\
             Connection: keep-alive\r\n\
             \r\n\
             retry: 1000\n\
             event: hello\n\
             data: {}\n\n",
            state.version
        );
        if send(&mut stream, opening.as_bytes()) {
            state.streams.push(stream);
        }
    }

    /// Records `version` as what the site now is and, if it differs from the
    /// last one, sends `reload` to every tab. Returns whether it did.
    pub fn broadcast_reload(&self, version: &str) -> bool {
        let mut state = self.lock();
        if state.version == version {
            return false;
        }
        state.version = version.to_string();
        let event = format!("event: reload\ndata: {version}\n\n");
        state.send_all(event.as_bytes());
        true
    }

    /// A comment line the browser ignores. Writing it is how a closed tab is
    /// noticed: the write fails and the stream is dropped.
    pub fn keepalive(&self) {
        self.lock().send_all(b": keepalive\n\n");
    }

    /// How many tabs are listening.
    pub fn subscribers(&self) -> usize {
        self.lock().streams.len()
    }

    /// Lets go of every stream (on shutdown). A connection itself closes
    /// when its tab goes or the process ends, as tiny_http's connection
    /// thread holds its other half.
    pub fn close_all(&self) {
        self.lock().streams.clear();
    }

    /// A panic while the lock was held leaves nothing half-done here (at
    /// worst one stream got part of an event), so a poisoned lock is used on.
    fn lock(&self) -> MutexGuard<'_, HubState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl HubState {
    fn send_all(&mut self, bytes: &[u8]) {
        self.streams.retain_mut(|stream| send(stream, bytes));
    }
}

fn send(stream: &mut Stream, bytes: &[u8]) -> bool {
    stream
        .write_all(bytes)
        .and_then(|()| stream.flush())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::Arc;

    /// A stream that records what it was sent, or fails like a closed tab.
    #[derive(Clone, Default)]
    struct Tab {
        sent: Arc<Mutex<Vec<u8>>>,
        closed: Arc<Mutex<bool>>,
    }

    impl Tab {
        fn text(&self) -> String {
            String::from_utf8(self.sent.lock().unwrap().clone()).unwrap()
        }
    }

    impl Write for Tab {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if *self.closed.lock().unwrap() {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.sent.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn greets_a_new_tab_with_the_current_version() {
        let hub = ReloadHub::new("a-1".into());
        let tab = Tab::default();
        hub.subscribe(Box::new(tab.clone()));
        let text = tab.text();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(text.contains("Content-Type: text/event-stream\r\n"));
        assert!(!text.contains("Content-Length"));
        assert!(text.ends_with("\r\n\r\nretry: 1000\nevent: hello\ndata: a-1\n\n"));
        assert_eq!(hub.subscribers(), 1);
    }

    #[test]
    fn sends_reload_only_when_the_version_changes() {
        let hub = ReloadHub::new("a-1".into());
        let tab = Tab::default();
        hub.subscribe(Box::new(tab.clone()));
        assert!(!hub.broadcast_reload("a-1"));
        assert!(hub.broadcast_reload("a-2"));
        assert!(tab.text().ends_with("event: reload\ndata: a-2\n\n"));
        let late = Tab::default();
        hub.subscribe(Box::new(late.clone()));
        assert!(late.text().ends_with("data: a-2\n\n"));
    }

    #[test]
    fn drops_tabs_that_have_gone_away() {
        let hub = ReloadHub::new("a-1".into());
        let gone = Tab::default();
        let open = Tab::default();
        hub.subscribe(Box::new(gone.clone()));
        hub.subscribe(Box::new(open.clone()));
        *gone.closed.lock().unwrap() = true;
        hub.keepalive();
        assert_eq!(hub.subscribers(), 1);
        assert!(open.text().ends_with(": keepalive\n\n"));
    }

    #[test]
    fn versions_change_with_the_build_and_with_the_errors() {
        let mut snapshot = Snapshot {
            build_id: 3,
            ..Snapshot::default()
        };
        let good = version(255, &snapshot);
        assert_eq!(good, "ff-3");
        assert_ne!(version(256, &snapshot), good);
        snapshot.errors = Some("error: a".into());
        let failed = version(255, &snapshot);
        assert!(failed.starts_with("ff-3-"));
        snapshot.errors = Some("error: b".into());
        assert_ne!(version(255, &snapshot), failed);
    }
}
