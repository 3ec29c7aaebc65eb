//! The preview's HTTP server: binds a port (the next free one if it is
//! taken), answers requests from the current snapshot on a few worker
//! threads, hands event-stream requests to the reload hub, and swaps in each
//! new snapshot.
//!
//! Idle and slow connections are timed out. tiny_http gives every connection
//! a thread of its own and has no timeout, so 2,000 idle sockets were 2,000
//! threads, harmless on 127.0.0.1 but not with `--bind 0.0.0.0` on an office
//! network. The listening socket carries a receive and send timeout, which
//! Linux copies to every accepted socket: a connection that sends nothing
//! (or reads nothing) for [`IDLE_TIMEOUT`] is closed and its thread ends, so
//! threads are bounded by what connects within that time. The same timeout
//! also ends tiny_http's accept loop after a quiet spell (its `accept` fails
//! with "would block" and the loop stops); the workers then start a new
//! tiny_http server on the same socket, and keep draining the old one until
//! its last connections have timed out.

use super::http::{self, EVENTS_PATH, Injection};
use super::reload::{self, ReloadHub};
use super::snapshot::Snapshot;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Answering is a lookup in memory, so a few threads keep up with a browser
/// loading a page and its assets; slow clients only hold tiny_http's own
/// per-connection threads.
const WORKERS: usize = 4;
/// How many ports after the asked one to try before giving up.
const PORT_ATTEMPTS: u16 = 20;
/// Often enough that closed tabs are noticed, rarely enough to cost nothing.
const KEEPALIVE_EVERY: Duration = Duration::from_secs(15);
/// A connection that sends or reads nothing for this long is closed: longer
/// than a browser waits between a page and its assets, and than the event
/// stream's keepalive ([`KEEPALIVE_EVERY`]), which writes every 15 s.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a worker looks up from waiting (to stop, or to drain a retired
/// tiny_http server).
const POLL: Duration = Duration::from_millis(200);

/// The idle timeout; tests shorten it with `ANXIN_SERVE_IDLE_MS`.
fn idle_timeout() -> Duration {
    std::env::var("ANXIN_SERVE_IDLE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .filter(|&ms: &u64| ms > 0)
        .map_or(IDLE_TIMEOUT, Duration::from_millis)
}

/// The tiny_http server answering now, and those retired after their accept
/// loop ended, still drained until their connections have timed out.
struct Http {
    listener: TcpListener,
    current: RwLock<Arc<tiny_http::Server>>,
    retired: Mutex<Vec<(Instant, Arc<tiny_http::Server>)>>,
    timeout: Duration,
}

impl Http {
    fn new(listener: TcpListener, timeout: Duration) -> io::Result<Http> {
        let first = Self::server_on(&listener)?;
        Ok(Http {
            listener,
            current: RwLock::new(first),
            retired: Mutex::new(Vec::new()),
            timeout,
        })
    }

    fn server_on(listener: &TcpListener) -> io::Result<Arc<tiny_http::Server>> {
        let clone = listener.try_clone()?;
        tiny_http::Server::from_listener(clone, None)
            .map(Arc::new)
            .map_err(io::Error::other)
    }

    fn current(&self) -> Arc<tiny_http::Server> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// `dead`'s accept loop has ended: serve the socket with a new one.
    fn restart(&self, dead: &Arc<tiny_http::Server>) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if !Arc::ptr_eq(&current, dead) {
            return; // another worker restarted it already
        }
        match Self::server_on(&self.listener) {
            Ok(fresh) => {
                let old = std::mem::replace(&mut *current, fresh);
                self.retired
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((Instant::now(), old));
            }
            Err(e) => {
                eprintln!("error: the preview server cannot accept connections again: {e}");
                thread::sleep(POLL);
            }
        }
    }

    /// A request some retired server still has, after forgetting those
    /// whose connections have all timed out.
    fn take_from_retired(&self) -> Option<tiny_http::Request> {
        let mut retired = self.retired.lock().unwrap_or_else(PoisonError::into_inner);
        let keep_for = self.timeout * 2;
        retired.retain(|(since, _)| since.elapsed() < keep_for);
        retired
            .iter()
            .find_map(|(_, server)| server.try_recv().ok().flatten())
    }
}

/// What the server shows, shared with whoever rebuilds the site.
pub struct SharedState {
    /// Tells this server process apart from a restarted one, so that tabs
    /// reconnecting after a restart reload even if build ids start over.
    instance: u64,
    current: RwLock<Current>,
    updating: Mutex<()>,
    hub: ReloadHub,
}

/// The snapshot and the injection made from it change together.
#[derive(Clone)]
struct Current {
    snapshot: Arc<Snapshot>,
    injection: Arc<Injection>,
}

impl SharedState {
    pub fn new(snapshot: Arc<Snapshot>) -> SharedState {
        let instance = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos() as u64)
            .unwrap_or_default();
        let version = reload::version(instance, &snapshot);
        SharedState {
            instance,
            hub: ReloadHub::new(version.clone()),
            updating: Mutex::new(()),
            current: RwLock::new(Current {
                snapshot,
                injection: Arc::new(Injection { version }),
            }),
        }
    }

    /// The snapshot being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current().snapshot
    }

    /// Serves `snapshot` from now on and tells open tabs to reload if what
    /// they show changed: a new build, or new errors for the overlay.
    /// Returns whether tabs were told.
    pub fn set_snapshot(&self, snapshot: Arc<Snapshot>) -> bool {
        let version = reload::version(self.instance, &snapshot);
        // One update at a time, from the swap through the broadcast: two
        // rebuilds finishing together must not leave the hub announcing a
        // version other than the one served, or tabs would reload forever.
        // A separate lock, so requests are not held up by the broadcast.
        let _one_at_a_time = self.updating.lock().unwrap_or_else(PoisonError::into_inner);
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Current {
            snapshot,
            injection: Arc::new(Injection {
                version: version.clone(),
            }),
        };
        self.hub.broadcast_reload(&version)
    }

    pub fn reload_hub(&self) -> &ReloadHub {
        &self.hub
    }

    fn current(&self) -> Current {
        // Only whole values are ever stored, so a poisoned lock still holds
        // a consistent one.
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A running preview server. Dropping it shuts it down.
pub struct Server {
    http: Arc<Http>,
    state: Arc<SharedState>,
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
    keepalive: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

/// Starts serving `state` on `bind:port`, or on the next free port when that
/// one is taken (port 0 picks any free port). Returns the address bound.
pub fn start(bind: IpAddr, port: u16, state: Arc<SharedState>) -> io::Result<(Server, SocketAddr)> {
    let listener = bind_listener(bind, port)?;
    // tiny_http writes a response's head and body separately; with Nagle's
    // algorithm the body then waits for the browser's delayed ACK, about
    // 40 ms on every request over a kept-alive connection. Accepted sockets
    // inherit TCP_NODELAY from the listener on Linux.
    socket2::SockRef::from(&listener).set_tcp_nodelay(true)?;
    // Copied to each accepted socket (see the module's comment).
    let timeout = idle_timeout();
    socket2::SockRef::from(&listener).set_read_timeout(Some(timeout))?;
    socket2::SockRef::from(&listener).set_write_timeout(Some(timeout))?;
    let addr = listener.local_addr()?;
    if !bind.is_loopback() {
        eprintln!(
            "warning: serving on {bind}: other computers on the network can see this preview"
        );
    }
    let http = Arc::new(Http::new(listener, timeout)?);
    let stopping = Arc::new(AtomicBool::new(false));

    let workers = (0..WORKERS)
        .map(|i| {
            let (http, state, stopping) = (http.clone(), state.clone(), stopping.clone());
            thread::Builder::new()
                .name(format!("anxin-http-{i}"))
                .spawn(move || work(&http, &state, &stopping))
        })
        .collect::<io::Result<Vec<_>>>()?;

    let (stop_keepalive, stopped) = mpsc::channel::<()>();
    let hub_state = state.clone();
    let keepalive = thread::Builder::new()
        .name("anxin-keepalive".into())
        .spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(KEEPALIVE_EVERY) {
                hub_state.hub.keepalive();
            }
        })?;

    let server = Server {
        http,
        state,
        addr,
        stopping,
        workers,
        keepalive: Some((stop_keepalive, keepalive)),
    };
    Ok((server, addr))
}

impl Server {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &Arc<SharedState> {
        &self.state
    }

    /// See [`SharedState::set_snapshot`].
    pub fn set_snapshot(&self, snapshot: Arc<Snapshot>) -> bool {
        self.state.set_snapshot(snapshot)
    }

    /// Stops the workers and the keepalive, lets go of the event streams and
    /// closes the listening socket.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        // Workers look up from waiting every POLL and see `stopping`.
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        // Retired tiny_http servers go now, each unblocking its accept loop;
        // the current one goes with `self`.
        self.http
            .retired
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        if let Some((stop, keepalive)) = self.keepalive.take() {
            drop(stop);
            let _ = keepalive.join();
        }
        self.state.hub.close_all();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
        // The last `Arc<tiny_http::Server>` goes with `self`, which closes
        // the listener.
    }
}

/// Binds `bind:port`, moving on to the next ports while they are in use.
fn bind_listener(bind: IpAddr, port: u16) -> io::Result<TcpListener> {
    let mut port = port;
    let mut attempts = 0;
    loop {
        match TcpListener::bind((bind, port)) {
            Err(err)
                if err.kind() == io::ErrorKind::AddrInUse
                    && port != 0
                    && attempts < PORT_ATTEMPTS =>
            {
                let Some(next) = port.checked_add(1) else {
                    return Err(err);
                };
                eprintln!("port {port} is in use, trying {next}");
                port = next;
                attempts += 1;
            }
            result => return result,
        }
    }
}

fn work(http: &Http, state: &SharedState, stopping: &AtomicBool) {
    while !stopping.load(Ordering::SeqCst) {
        let server = http.current();
        let request = match server.recv_timeout(POLL) {
            Ok(Some(request)) => request,
            Ok(None) => match http.take_from_retired() {
                Some(request) => request,
                None => continue,
            },
            // tiny_http's accept loop has stopped (timed out while quiet,
            // or out of file descriptors): accept on a new one.
            Err(_) => {
                http.restart(&server);
                continue;
            }
        };
        // A bug in answering one request must not take the preview down.
        // tiny_http answers 500 when the unwinding drops the request.
        let answered = panic::catch_unwind(AssertUnwindSafe(|| answer(request, state)));
        if answered.is_err() {
            eprintln!("error: the preview server failed to answer a request and keeps serving");
        }
    }
}

fn answer(request: tiny_http::Request, state: &SharedState) {
    let method = request.method().as_str().to_string();
    let path = request.url().split(['?', '#']).next().unwrap_or_default();
    if method == "GET" && path == EVENTS_PATH {
        state.hub.subscribe(request.into_writer());
        return;
    }
    let current = state.current();
    let reply = http::respond(
        &method,
        request.url(),
        &current.snapshot,
        Some(&current.injection),
    );
    // Written by hand, to say `Connection: close` (tiny_http will not):
    // tiny_http gives each connection a thread of a pool for as long as the
    // browser keeps it open, and its pool can leave a new connection queued
    // behind kept-alive ones when several open at once (a page fetching ten
    // search fragments in parallel waited seconds, once for good). On
    // loopback a connection per request costs nothing.
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        reply.status,
        tiny_http::StatusCode(reply.status).default_reason_phrase()
    );
    for (name, value) in &reply.headers {
        // Names and values come from the site and the request line, which
        // tiny_http only accepts in ASCII; a line break would end the header.
        if !name.contains(['\r', '\n']) && !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut writer = request.into_writer();
    // The client may have gone; there is no one left to tell.
    let _ = writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.write_all(&reply.body))
        .and_then(|()| writer.flush());
}
