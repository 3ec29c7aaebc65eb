//! `anxin serve` and `anxin watch`: the preview server (tiny_http), the file
//! watcher (notify), the classifier that turns file events into a rebuild
//! plan, and live reload over Server-Sent Events.

pub mod changes;
pub mod http;
pub mod reload;
pub mod server;
pub mod snapshot;
pub mod watcher;
