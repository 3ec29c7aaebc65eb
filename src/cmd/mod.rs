//! One function per subcommand; each returns the diagnostics that make it fail.

pub mod build;
pub mod check;
pub mod new;
pub mod serve;
pub mod watch;
