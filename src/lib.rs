//! majlis: a static website generator for multilingual events.
//!
//! A build is a pipeline ([`pipeline`]): the configuration, then the content files, then the
//! event they describe (linked and checked), then the rendered site, which `build` writes and
//! `serve` serves. The modules are layers, each importing only those before it here
//! (`.ci/layers.py` checks it; `docs/architecture.md` maps them).

#![warn(missing_docs)]
#![warn(unreachable_pub)]

pub mod diagnostics;
mod git;
pub mod links;
mod memo;
mod text;

pub mod yaml;

pub mod config;

pub mod content;

mod event;

mod render;

mod history;
pub mod output;

mod pipeline;

pub mod init;
pub mod serve;

pub use pipeline::{
    build, build_into, build_with, check, translations, Build, Cache, Options, Report, Written,
};
