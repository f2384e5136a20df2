//! SQL table extraction on the corpus (`tests/fixtures/sql/athena.jsonl` and `athena-wild.jsonl`: hand-written
//! cases, and real-world shapes labelled from Athena's documentation), and on its long statements alone (16 KiB and
//! more: dbt models, Airflow templates, union-all reports): statements per second, MB per second, the slowest
//! statement, and the share exactly right, against Python's sqlglot (pinned in `tests/peers/requirements.txt`,
//! through `tests/peers/sqlglot_tables.py`, the same JSON Lines contract) in the same run. Prints figures; asserts
//! nothing about them. Targets (issue 23): ≥ 98 % exact, ≥ 20× sqlglot's statements/s on the corpus and ≥ 10× on
//! the long statements, no statement over 10 ms.
//!
//! `cargo bench --bench sql` (`SQL_REPEAT` changes how often the corpus is run, 50 by default).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A statement this long or longer is a long one.
const LONG: usize = 16 * 1024;

fn exact(expected: &Value, got: &Value) -> bool {
    if expected["error"] == true {
        return !got["error"].is_null();
    }
    got["error"].is_null()
        && got["reads"] == expected["reads"]
        && got["writes"] == expected["writes"]
}

/// What one extractor did on some statements.
struct Run {
    statements_per_second: f64,
    mb_per_second: f64,
    answers: Vec<Value>,
    /// The slowest single statement (ours only: sqlglot is timed as a whole).
    slowest: Option<(Duration, usize)>,
}

fn ours(inputs: &[String], bytes: usize, repeat: usize) -> Run {
    let mut answers = Vec::new();
    let mut total = Duration::ZERO;
    let mut slowest = (Duration::ZERO, 0);
    for _ in 0..repeat {
        answers = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let started = Instant::now();
                let answer = std::hint::black_box(doberman::sql::line(std::hint::black_box(input)));
                let took = started.elapsed();
                total += took;
                if took > slowest.0 {
                    slowest = (took, i);
                }
                serde_json::to_value(answer).expect("serialisable")
            })
            .collect();
    }
    let seconds = total.as_secs_f64();
    Run {
        statements_per_second: (inputs.len() * repeat) as f64 / seconds,
        mb_per_second: (bytes * repeat) as f64 / seconds / 1e6,
        answers,
        slowest: Some(slowest),
    }
}

fn sqlglot(python: &str, inputs: &[String], bytes: usize, repeat: usize) -> Run {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/sqlglot_tables.py");
    let mut child = Command::new(python)
        .arg(script)
        .args(["--repeat", &repeat.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(inputs.join("\n").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python finishes");
    let answers: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let timing: Value = String::from_utf8_lossy(&out.stderr)
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .expect("sqlglot_tables.py prints its timing");
    let seconds = timing["seconds"].as_f64().unwrap_or(f64::NAN);
    Run {
        statements_per_second: timing["statements"].as_f64().unwrap_or(0.0) / seconds,
        mb_per_second: (bytes * repeat) as f64 / seconds / 1e6,
        answers,
        slowest: None,
    }
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let repeat: usize = if benching {
        std::env::var("SQL_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50)
    } else {
        1
    };
    let corpus: Vec<Value> = [
        include_str!("../tests/fixtures/sql/athena.jsonl"),
        include_str!("../tests/fixtures/sql/athena-wild.jsonl"),
    ]
    .iter()
    .flat_map(|file| file.lines())
    .filter(|l| !l.trim().is_empty())
    .map(|l| serde_json::from_str(l).expect("corpus line"))
    .collect();
    let sql = |c: &Value| c["sql"].as_str().unwrap_or_default().len();
    let everything: Vec<&Value> = corpus.iter().collect();
    let long: Vec<&Value> = corpus.iter().filter(|c| sql(c) >= LONG).collect();
    let python = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/peers/python-venv.sh"
        ))
        .stderr(Stdio::inherit())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok());

    println!("sql extraction benchmark: our runs {repeat} times, sqlglot's a tenth as often");
    let mut rates = Vec::new();
    for (what, cases) in [("the corpus", &everything), ("its long statements", &long)] {
        let inputs: Vec<String> = cases
            .iter()
            .map(|c| json!({"sql": c["sql"], "context_db": c["context_db"]}).to_string())
            .collect();
        let bytes: usize = cases.iter().map(|c| sql(c)).sum();
        println!(
            "\n{what}: {} statements, {:.2} MB",
            cases.len(),
            bytes as f64 / 1e6
        );
        let right = |run: &Run| {
            cases
                .iter()
                .zip(&run.answers)
                .filter(|(e, g)| exact(e, g))
                .count()
        };
        let mine = ours(&inputs, bytes, repeat);
        let (slowest, which) = mine.slowest.unwrap_or_default();
        println!(
            "  doberman (sqlparser + Athena handling) {:>9.0} statements/s {:>7.1} MB/s   exact {}/{} ({:.1} %)   slowest {:.2} ms ({} bytes)",
            mine.statements_per_second,
            mine.mb_per_second,
            right(&mine),
            cases.len(),
            100.0 * right(&mine) as f64 / cases.len() as f64,
            slowest.as_secs_f64() * 1e3,
            sql(cases[which])
        );
        let Some(python) = python.as_deref() else {
            println!("  sqlglot: skipped (could not install tests/peers/requirements.txt)");
            continue;
        };
        let theirs = sqlglot(python.trim(), &inputs, bytes, (repeat / 10).max(1));
        println!(
            "  sqlglot 30.30.0 (athena dialect)       {:>9.0} statements/s {:>7.1} MB/s   exact {}/{} ({:.1} %)",
            theirs.statements_per_second,
            theirs.mb_per_second,
            right(&theirs),
            cases.len(),
            100.0 * right(&theirs) as f64 / cases.len() as f64
        );
        rates.push((
            what,
            mine.statements_per_second / theirs.statements_per_second,
        ));
    }
    for ((what, ratio), target) in rates.iter().zip([20.0, 10.0]) {
        println!(
            "speed ratio doberman / sqlglot on {what}: {ratio:.1}× (target ≥ {target}×: {})",
            if *ratio >= target { "met" } else { "MISSED" }
        );
    }
}
