//! SQL table extraction: statements per second on the corpus (`tests/fixtures/sql/athena.jsonl`) and the share
//! it gets exactly right, against Python's sqlglot (pinned in `tests/peers/requirements.txt`, through
//! `tests/peers/sqlglot_tables.py`, the same JSON Lines contract) in the same run. Prints figures; asserts
//! nothing about them.
//!
//! `cargo bench --bench sql` (`SQL_REPEAT` changes how often the corpus is run).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{Value, json};

fn exact(expected: &Value, got: &Value) -> bool {
    if expected["error"] == true {
        return !got["error"].is_null();
    }
    got["error"].is_null()
        && got["reads"] == expected["reads"]
        && got["writes"] == expected["writes"]
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let repeat: usize = if benching {
        std::env::var("SQL_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200)
    } else {
        1
    };
    let corpus: Vec<Value> = include_str!("../tests/fixtures/sql/athena.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("corpus line"))
        .collect();
    let inputs: Vec<String> = corpus
        .iter()
        .map(|c| json!({"sql": c["sql"], "context_db": c["context_db"]}).to_string())
        .collect();

    let start = Instant::now();
    let mut answers = Vec::new();
    for _ in 0..repeat {
        answers = inputs
            .iter()
            .map(|i| serde_json::to_value(doberman::sql::line(i)).expect("serialisable"))
            .collect();
    }
    let seconds = start.elapsed().as_secs_f64();
    let ours_rate = (inputs.len() * repeat) as f64 / seconds;
    let ours_right = corpus
        .iter()
        .zip(&answers)
        .filter(|(e, g)| exact(e, g))
        .count();
    println!(
        "sql extraction benchmark: {} Athena statements, run {repeat} times",
        corpus.len()
    );
    println!(
        "doberman (sqlparser + Athena handling) {ours_rate:>10.0} statements/s   exact {ours_right}/{}",
        corpus.len()
    );

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/sqlglot_tables.py");
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/python-venv.sh");
    let Some(python) = Command::new("bash")
        .arg(venv)
        .stderr(Stdio::inherit())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
    else {
        println!("sqlglot: skipped (could not install tests/peers/requirements.txt)");
        return;
    };
    let their_repeat = (repeat / 10).max(1);
    let mut child = Command::new(python.trim())
        .arg(script)
        .args(["--repeat", &their_repeat.to_string()])
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
    let theirs: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let timing: Value = String::from_utf8_lossy(&out.stderr)
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .expect("sqlglot_tables.py prints its timing");
    let their_rate = timing["statements"].as_f64().unwrap_or(0.0)
        / timing["seconds"].as_f64().unwrap_or(f64::NAN);
    let their_right = corpus
        .iter()
        .zip(&theirs)
        .filter(|(e, g)| exact(e, g))
        .count();
    println!(
        "sqlglot 30.30.0 (athena dialect)       {their_rate:>10.0} statements/s   exact {their_right}/{}",
        corpus.len()
    );
    println!(
        "speed ratio doberman / sqlglot: {:.1}×  (target ≥ 20×: {});  accuracy {} vs {} (target: at least sqlglot's: {})",
        ours_rate / their_rate,
        if ours_rate / their_rate >= 20.0 {
            "met"
        } else {
            "MISSED"
        },
        ours_right,
        their_right,
        if ours_right >= their_right {
            "met"
        } else {
            "MISSED"
        }
    );
}
