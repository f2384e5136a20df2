//! The Superset import bundle (`doberman superset-bundle`): Doberman's MySQL tables as Superset datasets, with
//! charts and the dashboards the cards link to (`doberman-cost`, `-usage`, `-catalog`, `-requests`,
//! `-operations`, `-airflow`, `-quality`), in the v1 ZIP format Superset's `import-dashboards` command and its
//! import dialogs read.
//!
//! Physical datasets take their columns, types and descriptions from the MySQL migrations themselves, so a
//! dataset cannot name a column the store lacks. Every object has a UUID derived from its name: importing a newer
//! bundle updates the same dashboards, charts and datasets instead of adding copies.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use serde_json::{Value, json};

mod charts;
mod schema;
mod specs;
mod yaml;

use charts::{chart_config, check_chart, dashboard_config};
use schema::dataset_columns_of;
pub use schema::{Schema, SchemaColumn};
use specs::{CHARTS, DASHBOARDS, DATASETS};
pub use yaml::to_yaml;

/// The version Superset's v1 import format expects on every file.
const FORMAT_VERSION: &str = "1.0.0";

/// The password placeholder of Superset's own exports: its import dialog asks for the real one, and a re-import
/// keeps the password already stored.
pub const MASKED_PASSWORD: &str = "XXXXXXXXXX";

/// The folder every file of the bundle sits in (Superset strips the first path component).
const ROOT: &str = "doberman_dashboards";

/// Rows a chart asks for at most (tables show fewer; timeseries need days × series).
const ROW_LIMIT: u64 = 10_000;

/// What kind of bundle to write: Superset reads the same files either way, but its two import paths check the
/// declared type and treat existing objects differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleKind {
    /// `type: Dashboard`: `superset import-dashboards` and Dashboards → Import. Creates what is missing and
    /// replaces the dashboards; charts and datasets already imported are kept as they are.
    Dashboards,
    /// `type: assets`: `POST /api/v1/assets/import/`. Replaces everything it carries: for upgrades.
    Assets,
}

/// Why no bundle can be made from these settings: what to give instead.
#[derive(Debug, thiserror::Error)]
#[error("Cannot make the Superset bundle: {0}")]
pub struct BadDatabaseUri(pub String);

/// The SQLAlchemy URI Superset connects with: MySQL, a database name, and no password but the placeholder.
///
/// `charset=utf8mb4` is added when missing, so Korean names and emoji reach Superset intact.
pub fn database_uri(uri: &str) -> Result<url::Url, BadDatabaseUri> {
    let mut url = url::Url::parse(uri.trim())
        .map_err(|e| BadDatabaseUri(format!("`--database-uri` is not a URI ({e})")))?;
    let scheme = url.scheme();
    if scheme != "mysql" && !scheme.starts_with("mysql+") {
        return Err(BadDatabaseUri(format!(
            "Superset reads Doberman's MySQL store: the URI must start with mysql:// (or mysql+mysqldb://, \
             mysql+pymysql://), not {scheme}://"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(BadDatabaseUri("the URI names no host".to_owned()));
    }
    if schema_of(&url).is_none() {
        return Err(BadDatabaseUri(
            "the URI names no database: add it as the path, e.g. mysql://superset_ro:XXXXXXXXXX@db:3306/doberman"
                .to_owned(),
        ));
    }
    match url.password() {
        None => {}
        Some(MASKED_PASSWORD) => {}
        Some(_) => {
            return Err(BadDatabaseUri(format!(
                "the URI carries a password, which would travel in the bundle: write `{MASKED_PASSWORD}` in its \
                 place and Superset asks for it at import (or leave it out for a user without one)"
            )));
        }
    }
    if !url.query_pairs().any(|(k, _)| k == "charset") {
        url.query_pairs_mut().append_pair("charset", "utf8mb4");
    }
    Ok(url)
}

/// The URI for Superset from Doberman's own `database.url`: same host, database and user, the password replaced
/// by the placeholder, the driver's options left out.
pub fn database_uri_from_store(store_url: &str) -> Result<url::Url, BadDatabaseUri> {
    let url = url::Url::parse(store_url)
        .map_err(|_| BadDatabaseUri("database.url is not a URI: give --database-uri".to_owned()))?;
    if url.scheme() != "mysql" {
        return Err(BadDatabaseUri(
            "database.url is not MySQL (Superset cannot read the SQLite file): give --database-uri \
             mysql://USER:XXXXXXXXXX@HOST:PORT/DATABASE"
                .to_owned(),
        ));
    }
    let mut out = url.clone();
    out.set_query(None);
    out.set_fragment(None);
    if url.password().is_some() {
        out.set_password(Some(MASKED_PASSWORD))
            .map_err(|()| BadDatabaseUri("database.url has no host".to_owned()))?;
    }
    database_uri(out.as_str())
}

fn schema_of(url: &url::Url) -> Option<String> {
    let name = url.path().trim_start_matches('/');
    (!name.is_empty() && !name.contains('/')).then(|| {
        percent_encoding::percent_decode_str(name)
            .decode_utf8_lossy()
            .into_owned()
    })
}

/// A stable UUID for a bundle object: FNV-1a (128 bits) of its name, as a version 8 (custom) UUID.
pub fn stable_uuid(name: &str) -> uuid::Uuid {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in "doberman/superset/".bytes().chain(name.bytes()) {
        hash ^= u128::from(b);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    uuid::Builder::from_custom_bytes(hash.to_be_bytes()).into_uuid()
}

// ---------------------------------------------------------------------------------------------------------------
// The schema, from the migrations.

/// The slugs of the dashboards the bundle carries.
pub fn dashboard_slugs() -> Vec<&'static str> {
    DASHBOARDS.iter().map(|d| d.slug).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Building the files.

/// The bundle's files, path → YAML document, for a database reached at `uri` (from [`database_uri`]).
pub fn bundle_files(
    uri: &url::Url,
    kind: BundleKind,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<BTreeMap<String, Value>> {
    let schema = Schema::from_migrations()?;
    let db_schema = schema_of(uri);
    let database_uuid = stable_uuid("database/doberman");
    let mut files = BTreeMap::new();
    files.insert(
        "metadata.yaml".to_owned(),
        json!({
            "version": FORMAT_VERSION,
            "type": match kind { BundleKind::Dashboards => "Dashboard", BundleKind::Assets => "assets" },
            "timestamp": now.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string(),
        }),
    );
    files.insert(
        "databases/Doberman.yaml".to_owned(),
        json!({
            "database_name": "Doberman",
            "sqlalchemy_uri": uri.as_str(),
            "cache_timeout": null,
            "expose_in_sqllab": true,
            "allow_run_async": false,
            "allow_ctas": false,
            "allow_cvas": false,
            "allow_dml": false,
            "allow_csv_upload": false,
            "extra": {"allows_virtual_table_explore": true},
            "uuid": database_uuid.to_string(),
            "version": FORMAT_VERSION,
        }),
    );
    let mut dataset_columns: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in DATASETS {
        let (table_comment, columns) = dataset_columns_of(d, &schema)?;
        dataset_columns.insert(
            d.name,
            columns
                .iter()
                .map(|c| c["column_name"].as_str().unwrap_or_default().to_owned())
                .collect(),
        );
        let description = if d.description.is_empty() {
            table_comment
        } else {
            Some(d.description.to_owned())
        };
        files.insert(
            format!("datasets/Doberman/{}.yaml", d.name),
            json!({
                "table_name": d.name,
                "main_dttm_col": d.time_column,
                "description": description,
                "default_endpoint": null,
                "offset": 0,
                "cache_timeout": null,
                "schema": db_schema,
                "sql": d.sql,
                "params": null,
                "template_params": null,
                "filter_select_enabled": true,
                "fetch_values_predicate": null,
                "extra": null,
                "normalize_columns": false,
                "always_filter_main_dttm": false,
                "uuid": stable_uuid(&format!("dataset/{}", d.name)).to_string(),
                "metrics": d.metrics.iter().map(|m| json!({
                    "metric_name": m.name,
                    "verbose_name": m.label,
                    "metric_type": null,
                    "expression": m.expression,
                    "description": null,
                    "d3format": m.format,
                    "extra": {},
                    "warning_text": null,
                })).collect::<Vec<_>>(),
                "columns": columns,
                "version": FORMAT_VERSION,
                "database_uuid": database_uuid.to_string(),
            }),
        );
    }
    for chart in CHARTS {
        let dataset = DATASETS
            .iter()
            .find(|d| d.name == chart.dataset)
            .with_context(|| {
                format!(
                    "chart {} names dataset {} the bundle lacks",
                    chart.key, chart.dataset
                )
            })?;
        check_chart(chart, dataset, &dataset_columns[dataset.name])?;
        let (viz_type, params, query_context) = chart_config(chart, dataset);
        files.insert(
            format!("charts/{}.yaml", chart.key),
            json!({
                "slice_name": chart.title,
                "description": chart.description,
                "certified_by": null,
                "certification_details": null,
                "viz_type": viz_type,
                "params": params,
                "query_context": serde_json::to_string(&query_context).context("query context")?,
                "cache_timeout": null,
                "uuid": stable_uuid(&format!("chart/{}", chart.key)).to_string(),
                "version": FORMAT_VERSION,
                "dataset_uuid": stable_uuid(&format!("dataset/{}", dataset.name)).to_string(),
            }),
        );
    }
    for dashboard in DASHBOARDS {
        files.insert(
            format!("dashboards/{}.yaml", dashboard.slug),
            dashboard_config(dashboard)?,
        );
    }
    Ok(files)
}

/// The zip Superset imports: every file as YAML under one folder.
pub fn package(files: &BTreeMap<String, Value>) -> anyhow::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (path, value) in files {
        let name = format!("{ROOT}/{path}");
        zip.start_file(name.as_str(), options)
            .with_context(|| format!("Failed to add {name} to the bundle"))?;
        zip.write_all(to_yaml(value).as_bytes())
            .with_context(|| format!("Failed to add {name} to the bundle"))?;
    }
    Ok(zip
        .finish()
        .context("Failed to finish the bundle")?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dashboard_a_card_links_to_is_in_the_bundle() {
        let slugs = dashboard_slugs();
        let linked = crate::config::alerts::Topic::ALL
            .map(|t| t.dashboard())
            .into_iter()
            .chain(crate::collect::Job::ALL.map(|j| j.dashboard()));
        for slug in linked {
            assert!(
                slugs.contains(&slug),
                "`{slug}` is linked but not in the bundle: {slugs:?}"
            );
        }
    }

    fn uri() -> url::Url {
        database_uri("mysql://superset_ro:XXXXXXXXXX@db.internal:3306/doberman").expect("uri")
    }

    fn files() -> BTreeMap<String, Value> {
        bundle_files(&uri(), BundleKind::Dashboards, crate::clock::now()).expect("bundle")
    }

    #[test]
    fn the_migrations_give_every_table_its_columns_comments_and_later_additions() {
        let schema = Schema::from_migrations().expect("schema");
        let dim_table = schema.columns("dim_table").expect("dim_table");
        let changed = dim_table
            .iter()
            .find(|c| c.name == "data_changed_at")
            .expect("data_changed_at");
        assert!(changed.data_type.starts_with("DATETIME"), "{changed:?}");
        assert!(
            changed
                .comment
                .as_deref()
                .is_some_and(|c| c.starts_with("Freshness")),
            "{changed:?}"
        );
        assert!(
            dim_table.iter().any(|c| c.name == "search_hash"),
            "ALTER TABLE ... ADD COLUMN of 0005 applies"
        );
        assert_eq!(
            schema.tables["job_run"].0.as_deref(),
            Some("One row per scheduled job run (collectors, alert rules, heartbeat)")
        );
        assert!(
            schema.tables.contains_key("fact_cost_service_daily"),
            "{:?}",
            schema.tables.keys()
        );
    }

    #[test]
    fn uris_with_a_password_or_not_mysql_are_refused_with_the_fix() {
        for (uri, expected) in [
            ("mysql://u:secret@db/doberman", "XXXXXXXXXX"),
            ("sqlite://doberman.db", "mysql://"),
            ("postgresql://u@db/doberman", "mysql://"),
            ("mysql://u@db/", "names no database"),
            ("not a uri", "not a URI"),
        ] {
            let e = database_uri(uri).expect_err(uri).to_string();
            assert!(e.contains(expected), "{uri}: {e}");
            assert!(
                !e.contains("secret"),
                "{uri}: the password never shows: {e}"
            );
        }
        let ok = database_uri("mysql+pymysql://u@db:3306/doberman").expect("no password");
        assert_eq!(
            ok.as_str(),
            "mysql+pymysql://u@db:3306/doberman?charset=utf8mb4"
        );
        let kept = database_uri("mysql://u:XXXXXXXXXX@db/doberman?charset=utf8").expect("kept");
        assert_eq!(
            kept.as_str(),
            "mysql://u:XXXXXXXXXX@db/doberman?charset=utf8"
        );
    }

    #[test]
    fn the_store_url_becomes_a_uri_with_the_password_masked_and_no_driver_options() {
        let uri = database_uri_from_store(
            "mysql://doberman:p%40ss@db.internal:3306/doberman?ssl-mode=required",
        )
        .expect("uri");
        assert_eq!(
            uri.as_str(),
            "mysql://doberman:XXXXXXXXXX@db.internal:3306/doberman?charset=utf8mb4"
        );
        let e = database_uri_from_store("sqlite://doberman.db").expect_err("sqlite");
        assert!(e.to_string().contains("--database-uri"), "{e}");
    }

    #[test]
    fn uuids_are_stable_distinct_and_valid() {
        assert_eq!(stable_uuid("chart/a"), stable_uuid("chart/a"));
        assert_ne!(stable_uuid("chart/a"), stable_uuid("chart/b"));
        assert_eq!(stable_uuid("chart/a").get_version_num(), 8);
        let files = files();
        let mut seen = std::collections::HashSet::new();
        for (path, v) in &files {
            if let Some(u) = v.get("uuid") {
                assert!(seen.insert(u.clone()), "{path}: uuid {u} twice");
            }
        }
        assert_eq!(
            files["charts/cost-movers.yaml"]["uuid"],
            json!(stable_uuid("chart/cost-movers").to_string()),
            "the same object keeps its uuid in every bundle"
        );
    }

    #[test]
    fn every_chart_is_on_a_dashboard_and_every_dashboard_row_fits() {
        let files = files();
        let placed: Vec<String> = files
            .iter()
            .filter(|(p, _)| p.starts_with("dashboards/"))
            .flat_map(|(_, d)| {
                d["position"]
                    .as_object()
                    .unwrap()
                    .values()
                    .filter_map(|n| n["meta"]["uuid"].as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (path, chart) in files.iter().filter(|(p, _)| p.starts_with("charts/")) {
            let uuid = chart["uuid"].as_str().unwrap();
            assert_eq!(
                placed.iter().filter(|p| *p == uuid).count(),
                1,
                "{path} is on exactly one dashboard"
            );
        }
        let slugs: Vec<&str> = files
            .iter()
            .filter(|(p, _)| p.starts_with("dashboards/"))
            .map(|(_, d)| d["slug"].as_str().unwrap())
            .collect();
        for linked in [
            "doberman-cost",
            "doberman-usage",
            "doberman-catalog",
            "doberman-requests",
            "doberman-operations",
        ] {
            assert!(
                slugs.contains(&linked),
                "the cards and navigate link to {linked}"
            );
        }
    }

    #[test]
    fn datasets_carry_the_tables_columns_with_types_and_the_time_column() {
        let files = files();
        let usage = &files["datasets/Doberman/fact_table_usage_daily.yaml"];
        assert_eq!(usage["schema"], "doberman");
        assert_eq!(usage["main_dttm_col"], "usage_date");
        assert_eq!(
            usage["description"],
            "Daily use of each table in Athena: what top tables reads"
        );
        let columns = usage["columns"].as_array().unwrap();
        let date = columns
            .iter()
            .find(|c| c["column_name"] == "usage_date")
            .unwrap();
        assert_eq!(
            (date["type"].as_str(), date["is_dttm"].as_bool()),
            (Some("DATE"), Some(true))
        );
        let queries = columns
            .iter()
            .find(|c| c["column_name"] == "queries")
            .unwrap();
        assert_eq!(queries["type"], "BIGINT");
        assert_eq!(queries["is_dttm"], false);
        assert_eq!(queries["verbose_name"], "Queries");
        let computed = columns
            .iter()
            .find(|c| c["column_name"] == "qualified_name")
            .unwrap();
        assert!(computed["expression"].as_str().unwrap().contains("CONCAT"));
        let db = &files["databases/Doberman.yaml"];
        assert_eq!(
            db["sqlalchemy_uri"],
            "mysql://superset_ro:XXXXXXXXXX@db.internal:3306/doberman?charset=utf8mb4"
        );
    }

    #[test]
    fn the_quality_dashboard_shows_what_fails_now_from_each_checks_latest_result() {
        let files = files();

        let dashboard = &files["dashboards/doberman-quality.yaml"];
        let failing = &files["charts/quality-failing-checks.yaml"];
        let latest = &files["datasets/Doberman/check_latest.yaml"];
        let results = &files["datasets/Doberman/check_results.yaml"];

        assert_eq!(
            dashboard["dashboard_title"],
            "Doberman · Data quality (정합성)"
        );
        assert_eq!(
            dashboard["position"]
                .as_object()
                .unwrap()
                .values()
                .filter(|n| n["type"] == "CHART")
                .count(),
            7,
            "failing now, pass rate, failing checks, results per day and by table, difference and values"
        );
        assert_eq!(
            failing["dataset_uuid"], latest["uuid"],
            "failing checks are read from each check's latest result, not from one day's"
        );
        assert!(
            latest["sql"]
                .as_str()
                .unwrap()
                .contains("r.id = c.last_result_id"),
            "{}",
            latest["sql"]
        );
        assert_eq!(
            failing["params"]["adhoc_filters"][0]["sqlExpression"],
            "status IN ('fail', 'error')"
        );
        assert_eq!(results["main_dttm_col"], "day_checked");
        let day = results["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["column_name"] == "day_checked")
            .unwrap();
        assert_eq!(day["is_dttm"], true, "the daily charts' time axis");
    }

    #[test]
    fn yaml_quotes_every_string_and_nests_blocks() {
        let value = json!({
            "name": "한글 🐕: yes # not a comment",
            "yes": [1, {"a": "b", "c": []}, [true, null]],
            "empty": {},
            "CHART-x": {"meta": {"width": 4}},
        });
        let yaml = to_yaml(&value);
        assert_eq!(
            yaml,
            "CHART-x:\n  meta:\n    width: 4\nempty: {}\nname: \"한글 🐕: yes # not a comment\"\n\
             \"yes\":\n  - 1\n  - a: \"b\"\n    c: []\n  -\n    - true\n    - null\n"
        );
    }

    #[test]
    fn the_kind_sets_the_type_superset_checks() {
        let at = crate::clock::now();
        let dashboards = bundle_files(&uri(), BundleKind::Dashboards, at).unwrap();
        let assets = bundle_files(&uri(), BundleKind::Assets, at).unwrap();
        assert_eq!(dashboards["metadata.yaml"]["type"], "Dashboard");
        assert_eq!(assets["metadata.yaml"]["type"], "assets");
        let zip = package(&dashboards).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        assert!(archive.by_name("doberman_dashboards/metadata.yaml").is_ok());
        assert_eq!(archive.len(), dashboards.len());
    }
}
