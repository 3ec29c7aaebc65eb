//! anxin (安心): a static site generator for public mental-health publicity
//! and transparency. The build is a pipeline of pure stages — load, validate,
//! resolve, render (into memory), write — see [`build`].

// A `Diagnostic` is large on purpose (file, position, quoted line, hint) and
// only travels on the error path, where its size costs nothing measurable.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod fingerprint;
pub mod html;
pub mod localized;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod starter;
pub mod text_file;
pub mod theme;
pub mod toml_input;
