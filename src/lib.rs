//! Cartilla: turns structured Markdown of migrant workers' rights texts into a multilingual static site
//! that works online and from a USB stick.
//!
//! The build is a pipeline that data walks through once, in one direction:
//! [`load`] → [`parse`] → [`link`] → [`render`] → [`write`]. Each stage is a module with
//! one job; plain data types pass between them ([`load::Inputs`], [`parse::Corpus`],
//! [`link::Site`], [`render::OutputFile`]). [`pipeline`] runs the stages in order.

pub mod config;
pub mod diagnostics;
pub mod i18n;
pub mod link;
pub mod load;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod synthetic;
pub mod write;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use pipeline::{build, check, BuildOptions, BuildReport, Stage};
