//! Adaptive Cards: the template engine (Microsoft's templating language, the subset Doberman's cards use; see
//! `cards/README.md`), the catalog of templates in `cards/`, and the kit for the shared look.

pub mod catalog;
mod datetime;
pub mod expr;
pub mod heatmap;
pub mod kit;
pub mod template;
pub mod views;

pub use catalog::{CardError, catalog, render};
pub use template::{ExpandError, Template, TemplateError};
