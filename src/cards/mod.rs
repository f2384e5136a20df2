//! Adaptive Cards: the template engine (Microsoft's templating language, the subset Doberman's cards use) that
//! expands the templates in `cards/`.

mod datetime;
pub mod expr;
pub mod template;

pub use template::{ExpandError, Template, TemplateError};
