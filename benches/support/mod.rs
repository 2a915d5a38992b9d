//! Shared code of the benchmarks.

pub mod costly;
pub mod synthetic;
