//! Card rendering: a 200-row table card (the example card's look, each row with formatted numbers and a status
//! colour) expanded by Doberman's engine, and by Microsoft's `adaptivecards-templating` on node in the same run
//! (when `tests/peers/node_modules` is installed: `npm ci --prefix tests/peers`). Prints figures; asserts nothing.
//!
//! `cargo bench --bench cards` (`CARDS_N` changes the number of renders).

use std::process::Command;
use std::time::{Duration, Instant};

use doberman::cards::{Template, kit};
use serde_json::{Value, json};

fn template() -> Value {
    json!({
        "type": "AdaptiveCard", "version": "1.5", "fallbackText": "${summary}",
        "body": [
            {"type": "TextBlock", "text": "${title}", "weight": "Bolder", "size": "Medium"},
            {"type": "Table", "firstRowAsHeaders": true, "columns": [{"width": 3}, {"width": 1}, {"width": 1}, {"width": 1}],
             "rows": [
                {"type": "TableRow", "cells": [
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Table", "weight": "Bolder"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Queries", "weight": "Bolder"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Scanned", "weight": "Bolder"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Fresh", "weight": "Bolder"}]}]},
                {"$data": "${rows}", "type": "TableRow", "cells": [
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "${$index + 1}. ${db}.${name}", "wrap": true}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "${formatNumber(queries, 0)}", "horizontalAlignment": "Right"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "${formatNumber(gb, 2)} GB", "horizontalAlignment": "Right"}]},
                    {"type": "TableCell", "items": [{"type": "TextBlock", "text": "${fresh}", "color": "${if(stale, 'attention', 'good')}", "horizontalAlignment": "Right"}]}]}
             ]}
        ],
        "actions": [{"$when": "${!empty(url)}", "type": "Action.OpenUrl", "title": "Open in Superset", "url": "${url}"}]
    })
}

fn data(rows: usize) -> Value {
    let rows: Vec<Value> = (0..rows)
        .map(|i| json!({"db": if i % 2 == 0 { "sales" } else { "판매" }, "name": format!("table_{i} 🐕"), "queries": 1_000_000 - i * 4321, "gb": i as f64 * 1.37, "fresh": format!("{}h ago", i % 48), "stale": i % 7 == 0}))
        .collect();
    json!({"summary": "Top 200 tables", "title": "Top tables · 200", "rows": rows, "url": "https://superset.example.com/d/usage"})
}

fn stats(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len() as f64;
    (
        mean,
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100]),
    )
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let n: usize = if benching {
        std::env::var("CARDS_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2000)
    } else {
        20
    };
    let template_json = template();
    let data = data(200);
    let parsed = Template::parse(&template_json).expect("the bench template parses");
    for _ in 0..50 {
        parsed.expand(&data).expect("expands");
    }
    let mut expand_times = Vec::with_capacity(n);
    let mut render_times = Vec::with_capacity(n);
    let mut bytes = 0;
    for _ in 0..n {
        let start = Instant::now();
        let card = parsed.expand(&data).expect("expands");
        expand_times.push(start.elapsed());
        let start = Instant::now();
        let card = kit::fit(card);
        let _ = std::hint::black_box(serde_json::to_vec(&card).map(|b| bytes = b.len()));
        render_times.push(start.elapsed() + *expand_times.last().expect("just pushed"));
    }
    let (mean, p50, p99) = stats(expand_times);
    let (rmean, rp50, rp99) = stats(render_times);
    println!("cards benchmark: a 200-row table card ({bytes} bytes of JSON), {n} renders");
    println!(
        "doberman expand               mean {mean:.3} ms  p50 {p50:.3} ms  p99 {p99:.3} ms  (target ≤ 1 ms: {})",
        if p99 <= 1.0 { "met" } else { "MISSED" }
    );
    println!(
        "doberman expand+fit+serialize mean {rmean:.3} ms  p50 {rp50:.3} ms  p99 {rp99:.3} ms"
    );

    let peers = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers");
    if !std::path::Path::new(peers)
        .join("node_modules/adaptivecards-templating")
        .exists()
    {
        println!("adaptivecards-templating: skipped (run npm ci --prefix tests/peers)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (t, d) = (dir.path().join("t.json"), dir.path().join("d.json"));
    std::fs::write(&t, template_json.to_string()).expect("write");
    std::fs::write(&d, data.to_string()).expect("write");
    let node_n = (n / 10).max(20);
    let output = Command::new("node")
        .arg(format!("{peers}/cards-bench.mjs"))
        .arg(&t)
        .arg(&d)
        .arg(node_n.to_string())
        .output()
        .expect("run node");
    let figures: Value = serde_json::from_slice(&output.stdout).expect("node prints JSON");
    let theirs = figures["mean_ms"].as_f64().unwrap_or(f64::NAN);
    println!(
        "adaptivecards-templating 2.3.1 mean {theirs:.3} ms  p50 {:.3} ms  p99 {:.3} ms  ({node_n} renders on node)",
        figures["p50_ms"].as_f64().unwrap_or(f64::NAN),
        figures["p99_ms"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "ratio (mean expand time, Microsoft / Doberman): {:.1}×",
        theirs / mean
    );
}
