//! The templates in `cards/`, embedded in the binary, parsed once (at start-up: a template that uses something
//! unsupported stops Doberman from starting rather than failing while someone waits).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::kit;
use super::template::{ExpandError, Template};

/// Every card template: name and source. A test keeps this list and the `cards/` folder the same.
pub const SOURCES: &[(&str, &str)] = &[
    ("airflow", include_str!("../../cards/airflow.json")),
    (
        "airflow_heatmap",
        include_str!("../../cards/airflow_heatmap.json"),
    ),
    ("alert", include_str!("../../cards/alert.json")),
    (
        "catalog_list",
        include_str!("../../cards/catalog_list.json"),
    ),
    (
        "catalog_table",
        include_str!("../../cards/catalog_table.json"),
    ),
    ("cost", include_str!("../../cards/cost.json")),
    ("error", include_str!("../../cards/error.json")),
    ("example", include_str!("../../cards/example.json")),
    ("heartbeat", include_str!("../../cards/heartbeat.json")),
    ("help", include_str!("../../cards/help.json")),
    ("navigate", include_str!("../../cards/navigate.json")),
    ("request", include_str!("../../cards/request.json")),
    ("requests", include_str!("../../cards/requests.json")),
    ("status", include_str!("../../cards/status.json")),
    ("top", include_str!("../../cards/top.json")),
    ("welcome", include_str!("../../cards/welcome.json")),
];

/// Errors of the card catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// A template did not parse (a bug in `cards/`, caught at start-up and in tests).
    #[error("the card template `{0}` is invalid: {1}")]
    Invalid(String, String),
    /// No such card.
    #[error("there is no card named `{0}`")]
    Unknown(String),
    /// The data did not fit the template.
    #[error("cannot fill the card `{0}`: {1}")]
    Expand(String, ExpandError),
}

/// The parsed templates.
#[derive(Debug)]
pub struct Catalog {
    templates: BTreeMap<&'static str, Template>,
}

static CATALOG: OnceLock<Result<Catalog, CardError>> = OnceLock::new();

/// The catalog, parsed on first use.
pub fn catalog() -> Result<&'static Catalog, CardError> {
    CATALOG
        .get_or_init(|| {
            let mut templates = BTreeMap::new();
            for (name, source) in SOURCES {
                let template = Template::from_json(source)
                    .map_err(|e| CardError::Invalid((*name).to_owned(), e.to_string()))?;
                templates.insert(*name, template);
            }
            Ok(Catalog { templates })
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl Catalog {
    /// The card names.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.templates.keys().copied()
    }

    /// Expands card `name` with `data`, cut to fit Teams' message size.
    pub fn render(&self, name: &str, data: &Value) -> Result<Value, CardError> {
        let template = self
            .templates
            .get(name)
            .ok_or_else(|| CardError::Unknown(name.to_owned()))?;
        let card = template
            .expand(data)
            .map_err(|e| CardError::Expand(name.to_owned(), e))?;
        Ok(kit::fit(kit::placeholders(card)))
    }
}

/// Expands card `name` with `data` from the catalog.
pub fn render(name: &str, data: &Value) -> Result<Value, CardError> {
    catalog()?.render(name, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_cards_is_embedded_and_parses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/cards");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("cards/ exists")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();

        assert_eq!(
            on_disk, embedded,
            "cards/ and catalog::SOURCES must list the same cards"
        );
        let catalog = catalog().expect("every template parses");
        assert_eq!(catalog.names().count(), SOURCES.len());
    }

    #[test]
    fn every_example_renders_without_leftover_expressions() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/cards/examples");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).expect("examples exist") {
            let path = entry.expect("entry").path();
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .expect("utf-8 name")
                .to_owned();
            let name = file.split('.').next().expect("a name");
            let data: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");

            for lang in crate::i18n::Lang::ALL {
                let data = crate::cards::views::with_labels(data.clone(), lang);
                let card = render(name, &data).unwrap_or_else(|e| panic!("{file} ({lang}): {e}"));

                assert_eq!(card["type"], "AdaptiveCard", "{file}");
                assert_eq!(card["version"], "1.5", "{file}");
                assert!(
                    !card.to_string().contains("${"),
                    "{file}: an expression was left unexpanded"
                );
                assert!(
                    card["fallbackText"].as_str().is_some_and(|s| !s.is_empty()),
                    "{file}: a summary"
                );
            }
            seen += 1;
        }
        assert!(seen >= SOURCES.len());
    }

    #[test]
    fn an_unknown_card_is_an_error() {
        assert_eq!(
            render("nope", &Value::Null),
            Err(CardError::Unknown("nope".into()))
        );
    }
}
