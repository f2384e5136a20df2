//! Superset's own JSON for a chart and a dashboard, from their specs, each chart checked against its dataset's columns.

use anyhow::Context;
use serde_json::{Map, Value, json};

use super::specs::{CHARTS, ChartSpec, DashboardSpec, DatasetSpec, Range, Viz};
use super::{FORMAT_VERSION, ROW_LIMIT, stable_uuid};

/// Every column and metric a chart names belongs to its dataset.
pub(super) fn check_chart(
    chart: &ChartSpec,
    d: &DatasetSpec,
    columns: &[String],
) -> anyhow::Result<()> {
    let metric = |m: &str| {
        anyhow::ensure!(
            d.metrics.iter().any(|x| x.name == m),
            "chart {}: dataset {} has no metric {m}",
            chart.key,
            d.name
        );
        Ok(())
    };
    let column = |c: &str| {
        anyhow::ensure!(
            columns.iter().any(|x| x == c),
            "chart {}: dataset {} has no column {c}",
            chart.key,
            d.name
        );
        Ok(())
    };
    if chart.range.is_some() {
        anyhow::ensure!(
            d.time_column.is_some(),
            "chart {} has a time range but dataset {} no time column",
            chart.key,
            d.name
        );
    }
    match &chart.viz {
        Viz::BigNumber { metric: m } => metric(m)?,
        Viz::Table {
            groupby,
            metrics,
            sort_by,
            ..
        } => {
            groupby.iter().try_for_each(|c| column(c))?;
            metrics.iter().try_for_each(|m| metric(m))?;
            metric(sort_by)?;
        }
        Viz::Rows {
            columns: cs,
            order_by,
            ..
        } => {
            cs.iter().try_for_each(|c| column(c))?;
            column(order_by)?;
        }
        Viz::Daily {
            metrics, groupby, ..
        } => {
            anyhow::ensure!(
                d.time_column.is_some(),
                "chart {}: a daily chart needs a time column",
                chart.key
            );
            metrics.iter().try_for_each(|m| metric(m))?;
            groupby.iter().try_for_each(|c| column(c))?;
        }
        Viz::Bars {
            column: c,
            metric: m,
            ..
        }
        | Viz::Pie {
            column: c,
            metric: m,
        } => {
            column(c)?;
            metric(m)?;
        }
        Viz::Heatmap { x, y, metric: m } => {
            column(x)?;
            column(y)?;
            metric(m)?;
        }
    }
    Ok(())
}

/// The chart's viz type, its form data (`params`) and the query context Superset's chart data API runs.
pub(super) fn chart_config(chart: &ChartSpec, d: &DatasetSpec) -> (&'static str, Value, Value) {
    let mut adhoc_filters: Vec<Value> = Vec::new();
    let mut query_filters: Vec<Value> = Vec::new();
    let range = chart.range.map(Range::superset);
    if let (Some(range), Some(time)) = (&range, d.time_column) {
        adhoc_filters.push(json!({
            "clause": "WHERE",
            "subject": time,
            "operator": "TEMPORAL_RANGE",
            "comparator": range,
            "expressionType": "SIMPLE",
        }));
        query_filters.push(json!({"col": time, "op": "TEMPORAL_RANGE", "val": range}));
    }
    for (i, sql) in chart.filters.iter().enumerate() {
        adhoc_filters.push(json!({
            "clause": "WHERE",
            "expressionType": "SQL",
            "sqlExpression": sql,
            "subject": null,
            "operator": null,
            "comparator": null,
            "filterOptionName": format!("filter_{}_{i}", chart.key),
        }));
    }
    let where_sql = chart
        .filters
        .iter()
        .map(|f| format!("({f})"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let mut form = Map::new();
    form.insert("adhoc_filters".to_owned(), json!(adhoc_filters));
    if let Some(range) = &range {
        form.insert("time_range".to_owned(), json!(range));
    }
    let mut query = Map::new();
    query.insert("filters".to_owned(), json!(query_filters));
    query.insert(
        "extras".to_owned(),
        json!({"having": "", "where": where_sql}),
    );
    query.insert("applied_time_extras".to_owned(), json!({}));
    query.insert("annotation_layers".to_owned(), json!([]));
    query.insert("url_params".to_owned(), json!({}));
    query.insert("custom_params".to_owned(), json!({}));
    query.insert("custom_form_data".to_owned(), json!({}));
    if let Some(range) = &range {
        query.insert("time_range".to_owned(), json!(range));
    }
    let viz_type = match &chart.viz {
        Viz::BigNumber { metric } => {
            form.insert("metric".to_owned(), json!(metric));
            form.insert("header_font_size".to_owned(), json!(0.4));
            form.insert("subheader_font_size".to_owned(), json!(0.15));
            form.insert("y_axis_format".to_owned(), json!("SMART_NUMBER"));
            query.insert("columns".to_owned(), json!([]));
            query.insert("metrics".to_owned(), json!([metric]));
            query.insert("row_limit".to_owned(), json!(1));
            "big_number_total"
        }
        Viz::Table {
            groupby,
            metrics,
            sort_by,
            rows,
        } => {
            form.insert("query_mode".to_owned(), json!("aggregate"));
            form.insert("groupby".to_owned(), json!(groupby));
            form.insert("metrics".to_owned(), json!(metrics));
            form.insert("all_columns".to_owned(), json!([]));
            form.insert("percent_metrics".to_owned(), json!([]));
            form.insert("timeseries_limit_metric".to_owned(), json!(sort_by));
            form.insert("order_desc".to_owned(), json!(true));
            form.insert("row_limit".to_owned(), json!(rows));
            form.insert("server_page_length".to_owned(), json!(10));
            form.insert("table_timestamp_format".to_owned(), json!("smart_date"));
            form.insert("show_cell_bars".to_owned(), json!(true));
            form.insert("color_pn".to_owned(), json!(true));
            query.insert("columns".to_owned(), json!(groupby));
            query.insert("metrics".to_owned(), json!(metrics));
            query.insert("orderby".to_owned(), json!([[sort_by, false]]));
            query.insert("row_limit".to_owned(), json!(rows));
            query.insert("order_desc".to_owned(), json!(true));
            "table"
        }
        Viz::Rows {
            columns,
            order_by,
            ascending,
            rows,
        } => {
            form.insert("query_mode".to_owned(), json!("raw"));
            form.insert("groupby".to_owned(), json!([]));
            form.insert("metrics".to_owned(), json!([]));
            form.insert("all_columns".to_owned(), json!(columns));
            form.insert(
                "order_by_cols".to_owned(),
                json!([json!([order_by, ascending]).to_string()]),
            );
            form.insert("row_limit".to_owned(), json!(rows));
            form.insert("server_page_length".to_owned(), json!(10));
            form.insert("table_timestamp_format".to_owned(), json!("smart_date"));
            query.insert("columns".to_owned(), json!(columns));
            query.insert("metrics".to_owned(), json!([]));
            query.insert("orderby".to_owned(), json!([[order_by, ascending]]));
            query.insert("row_limit".to_owned(), json!(rows));
            "table"
        }
        Viz::Daily {
            bar,
            metrics,
            groupby,
        } => {
            let time = d.time_column.unwrap_or_default();
            form.insert("x_axis".to_owned(), json!(time));
            form.insert("time_grain_sqla".to_owned(), json!("P1D"));
            form.insert("metrics".to_owned(), json!(metrics));
            form.insert("groupby".to_owned(), json!(groupby));
            form.insert("row_limit".to_owned(), json!(ROW_LIMIT));
            form.insert("order_desc".to_owned(), json!(true));
            form.insert("show_legend".to_owned(), json!(true));
            form.insert("rich_tooltip".to_owned(), json!(true));
            form.insert("x_axis_time_format".to_owned(), json!("smart_date"));
            form.insert("y_axis_format".to_owned(), json!("SMART_NUMBER"));
            form.insert("truncate_metric".to_owned(), json!(true));
            if *bar && !groupby.is_empty() {
                form.insert("stack".to_owned(), json!("Stack"));
            }
            if !*bar {
                // A series with a single day still shows as a point.
                form.insert("markerEnabled".to_owned(), json!(true));
                form.insert("markerSize".to_owned(), json!(4));
            }
            let mut columns = vec![json!({
                "timeGrain": "P1D",
                "columnType": "BASE_AXIS",
                "sqlExpression": time,
                "label": time,
                "expressionType": "SQL",
            })];
            columns.extend(groupby.iter().map(|c| json!(c)));
            query.insert("columns".to_owned(), json!(columns));
            query.insert("metrics".to_owned(), json!(metrics));
            query.insert("orderby".to_owned(), json!([[metrics[0], false]]));
            query.insert("row_limit".to_owned(), json!(ROW_LIMIT));
            query.insert("series_columns".to_owned(), json!(groupby));
            query.insert("order_desc".to_owned(), json!(true));
            query.insert(
                "post_processing".to_owned(),
                json!([
                    {"operation": "pivot", "options": {
                        "index": [time],
                        "columns": groupby,
                        "aggregates": metrics.iter().map(|m| (m.to_string(), json!({"operator": "mean"})))
                            .collect::<Map<_, _>>(),
                        "drop_missing_columns": false,
                    }},
                    {"operation": "flatten"},
                ]),
            );
            if *bar {
                "echarts_timeseries_bar"
            } else {
                "echarts_timeseries_line"
            }
        }
        Viz::Bars {
            column,
            metric,
            rows,
        } => {
            form.insert("x_axis".to_owned(), json!(column));
            form.insert("metrics".to_owned(), json!([metric]));
            form.insert("groupby".to_owned(), json!([]));
            form.insert("orientation".to_owned(), json!("horizontal"));
            form.insert("x_axis_sort".to_owned(), json!(metric));
            // Horizontal bars stack from the bottom: ascending puts the largest on top.
            form.insert("x_axis_sort_asc".to_owned(), json!(true));
            form.insert("row_limit".to_owned(), json!(rows));
            form.insert("show_legend".to_owned(), json!(false));
            form.insert("y_axis_format".to_owned(), json!("SMART_NUMBER"));
            form.insert("show_value".to_owned(), json!(true));
            query.insert("columns".to_owned(), json!([column]));
            query.insert("metrics".to_owned(), json!([metric]));
            query.insert("orderby".to_owned(), json!([[metric, false]]));
            query.insert("row_limit".to_owned(), json!(rows));
            query.insert("series_columns".to_owned(), json!([]));
            query.insert(
                "post_processing".to_owned(),
                json!([
                    {"operation": "pivot", "options": {
                        "index": [column],
                        "columns": [],
                        "aggregates": {metric.to_string(): {"operator": "mean"}},
                        "drop_missing_columns": false,
                    }},
                    {"operation": "flatten"},
                ]),
            );
            "echarts_timeseries_bar"
        }
        Viz::Pie { column, metric } => {
            form.insert("groupby".to_owned(), json!([column]));
            form.insert("metric".to_owned(), json!(metric));
            form.insert("row_limit".to_owned(), json!(100));
            form.insert("sort_by_metric".to_owned(), json!(true));
            form.insert("donut".to_owned(), json!(true));
            form.insert("show_legend".to_owned(), json!(true));
            form.insert("show_labels".to_owned(), json!(true));
            form.insert("label_type".to_owned(), json!("key_value"));
            form.insert("number_format".to_owned(), json!("SMART_NUMBER"));
            query.insert("columns".to_owned(), json!([column]));
            query.insert("metrics".to_owned(), json!([metric]));
            query.insert("orderby".to_owned(), json!([[metric, false]]));
            query.insert("row_limit".to_owned(), json!(100));
            "pie"
        }
        Viz::Heatmap { x, y, metric } => {
            form.insert("x_axis".to_owned(), json!(x));
            form.insert("groupby".to_owned(), json!([y]));
            form.insert("metric".to_owned(), json!(metric));
            form.insert("row_limit".to_owned(), json!(ROW_LIMIT));
            form.insert("sort_x_axis".to_owned(), json!("alpha_asc"));
            form.insert("sort_y_axis".to_owned(), json!("alpha_asc"));
            form.insert("normalize_across".to_owned(), json!("heatmap"));
            form.insert("legend_type".to_owned(), json!("continuous"));
            form.insert("linear_color_scheme".to_owned(), json!("blue_white_yellow"));
            form.insert("xscale_interval".to_owned(), json!(-1));
            form.insert("yscale_interval".to_owned(), json!(-1));
            form.insert("left_margin".to_owned(), json!("auto"));
            form.insert("bottom_margin".to_owned(), json!("auto"));
            form.insert("value_bounds".to_owned(), json!([null, null]));
            form.insert("y_axis_format".to_owned(), json!("SMART_NUMBER"));
            form.insert("show_legend".to_owned(), json!(true));
            form.insert("show_values".to_owned(), json!(true));
            form.insert("show_percentage".to_owned(), json!(false));
            query.insert("columns".to_owned(), json!([x, y]));
            query.insert("metrics".to_owned(), json!([metric]));
            query.insert("orderby".to_owned(), json!([[metric, false]]));
            query.insert("row_limit".to_owned(), json!(ROW_LIMIT));
            "heatmap_v2"
        }
    };
    form.insert("viz_type".to_owned(), json!(viz_type));
    let form = Value::Object(form);
    let query_context = json!({
        "datasource": {"id": 0, "type": "table"},
        "force": false,
        "queries": [Value::Object(query)],
        "form_data": form,
        "result_format": "json",
        "result_type": "full",
    });
    (viz_type, form, query_context)
}

/// A dashboard: a header, then rows of charts (Superset's grid is 12 wide).
pub(super) fn dashboard_config(d: &DashboardSpec) -> anyhow::Result<Value> {
    let mut position = Map::new();
    position.insert("DASHBOARD_VERSION_KEY".to_owned(), json!("v2"));
    position.insert(
        "HEADER_ID".to_owned(),
        json!({"id": "HEADER_ID", "type": "HEADER", "meta": {"text": d.title}}),
    );
    let mut row_ids = Vec::new();
    for (r, row) in d.rows.iter().enumerate() {
        let row_id = format!("ROW-{}-{r}", d.slug);
        let mut children = Vec::new();
        anyhow::ensure!(
            row.iter().map(|(_, w)| u32::from(*w)).sum::<u32>() <= 12,
            "dashboard {}: row {r} is wider than 12",
            d.slug
        );
        for (key, width) in row.iter() {
            let chart = CHARTS
                .iter()
                .find(|c| c.key == *key)
                .with_context(|| format!("dashboard {} places unknown chart {key}", d.slug))?;
            let id = format!("CHART-{key}");
            position.insert(
                id.clone(),
                json!({
                    "id": id,
                    "type": "CHART",
                    "children": [],
                    "parents": ["ROOT_ID", "GRID_ID", row_id],
                    "meta": {
                        "chartId": 0,
                        "height": 50,
                        "width": width,
                        "sliceName": chart.title,
                        "uuid": stable_uuid(&format!("chart/{key}")).to_string(),
                    },
                }),
            );
            children.push(id);
        }
        position.insert(
            row_id.clone(),
            json!({
                "id": row_id,
                "type": "ROW",
                "children": children,
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }),
        );
        row_ids.push(row_id);
    }
    position.insert(
        "GRID_ID".to_owned(),
        json!({"id": "GRID_ID", "type": "GRID", "children": row_ids, "parents": ["ROOT_ID"]}),
    );
    position.insert(
        "ROOT_ID".to_owned(),
        json!({"id": "ROOT_ID", "type": "ROOT", "children": ["GRID_ID"]}),
    );
    Ok(json!({
        "dashboard_title": d.title,
        "description": d.description,
        "css": "",
        "slug": d.slug,
        "certified_by": null,
        "certification_details": null,
        "published": true,
        "uuid": stable_uuid(&format!("dashboard/{}", d.slug)).to_string(),
        "position": position,
        "metadata": {
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "expanded_slices": {},
            "label_colors": {},
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": true,
            "default_filters": "{}",
            "chart_configuration": {},
            "native_filter_configuration": [],
            "shared_label_colors": [],
        },
        "version": FORMAT_VERSION,
    }))
}

// ---------------------------------------------------------------------------------------------------------------
// YAML and the zip.
