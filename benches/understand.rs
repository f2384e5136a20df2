//! How long understanding a message takes: every utterance of the corpus (`tests/fixtures/nlu/corpus.jsonl`, 414
//! lines in Korean, English and both) parsed as the chat logic does (`chat::parse::parse_at`: normalization, the
//! strict path for commands typed by name, the vocabulary, scoring, arguments), each timed alone, many rounds.
//! Prints p50, p99 and the slowest per message, and the messages slowest by their median; the target is p99 under
//! 50 µs.
//! Asserts nothing about the figures.
//!
//! `cargo bench --bench understand`; `UNDERSTAND_ROUNDS` rounds over the corpus (default 200).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use doberman::chat::parse::{Parsed, parse_at};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let corpus = include_str!("../tests/fixtures/nlu/corpus.jsonl");
    let texts: Vec<String> = corpus
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a corpus line is JSON");
            v["text"].as_str().expect("a text").to_owned()
        })
        .collect();
    let rounds: usize = std::env::var("UNDERSTAND_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("a day");
    // Warm-up: the vocabulary is built on first use (once per process), as at start-up.
    let started = Instant::now();
    let _ = parse_at("help", today);
    let first = started.elapsed();
    let mut all = Vec::with_capacity(texts.len() * rounds);
    let mut per_text: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); texts.len()];
    let mut commands = 0usize;
    for _ in 0..rounds {
        for (i, text) in texts.iter().enumerate() {
            let t = Instant::now();
            let parsed = std::hint::black_box(parse_at(std::hint::black_box(text), today));
            let took = t.elapsed();
            if matches!(parsed, Parsed::Command { .. }) {
                commands += 1;
            }
            all.push(took);
            per_text[i].push(took);
        }
    }
    all.sort();
    let total: Duration = all.iter().sum();
    println!(
        "understand: {} messages x {rounds} rounds ({} parsed as commands); first call (vocabulary built) {:.1} ms",
        texts.len(),
        commands / rounds,
        first.as_secs_f64() * 1e3
    );
    println!(
        "understand: per message p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs, mean {:.1} µs ({:.0} messages/s on one core)",
        percentile(&all, 0.50).as_secs_f64() * 1e6,
        percentile(&all, 0.99).as_secs_f64() * 1e6,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e6,
        total.as_secs_f64() * 1e6 / all.len() as f64,
        all.len() as f64 / total.as_secs_f64()
    );
    // The messages that are slow every time (by their median), not those a preemption hit once.
    let mut typical: Vec<(Duration, &str)> = per_text
        .iter_mut()
        .zip(&texts)
        .map(|(times, text)| {
            times.sort();
            (percentile(times, 0.5), text.as_str())
        })
        .collect();
    typical.sort_by_key(|p| std::cmp::Reverse(p.0));
    for (took, text) in typical.iter().take(5) {
        println!(
            "understand: slowest by median {:>7.1} µs  {text}",
            took.as_secs_f64() * 1e6
        );
    }
}
