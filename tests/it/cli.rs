//! The `doberman` binary as an operator uses it.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TestDb, client};

/// The binary with a clean environment: no inherited `DOBERMAN_*` or `AWS_*` settings, the EC2 metadata service
/// off (it is not on loopback), and no schedule unless `env` turns it on.
pub(crate) fn doberman(env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_doberman"));
    for (name, _) in std::env::vars() {
        if name.starts_with("DOBERMAN_") || name.starts_with("AWS_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("AWS_EC2_METADATA_DISABLED", "true")
        .env("DOBERMAN_SCHEDULE__ENABLED", "false");
    // A suite run on a pinned day (DOBERMAN_NOW) runs the binary on the same clock, where this process's is now.
    if doberman::clock::is_set() {
        cmd.env(
            doberman::clock::NOW_VAR,
            doberman::clock::now().to_rfc3339(),
        );
    }
    cmd.envs(env.iter().copied()).stdin(Stdio::null());
    cmd
}

pub(crate) fn run(cmd: &mut Command) -> (Output, String, String) {
    let out = cmd.output().expect("run doberman");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

#[test]
fn a_bad_listen_address_exits_non_zero_with_one_line_naming_the_key() {
    let db = TestDb::sqlite();

    let (out, _, stderr) = run(doberman(&[
        ("DOBERMAN_HTTP__LISTEN", "nonsense"),
        ("DOBERMAN_DATABASE__URL", &db.url),
    ])
    .arg("serve"));

    assert!(!out.status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("http.listen"), "{stderr}");
    assert!(stderr.contains("DOBERMAN_HTTP__LISTEN"), "{stderr}");
    assert!(
        !db.sqlite_path().expect("path").exists(),
        "nothing was created for a configuration that failed"
    );
}

#[test]
fn check_config_lists_every_error() {
    let (out, _, stderr) = run(doberman(&[
        ("DOBERMAN_HTTP__LISTEN", "nonsense"),
        ("DOBERMAN_LOG__FORMAT", "xml"),
        ("DOBERMAN_DATABASE__URL", "mysql://u:topsecret@h/bad-name"),
    ])
    .arg("check-config"));

    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    for key in ["http.listen", "log.format", "database.url"] {
        assert!(stderr.contains(key), "{key} missing from {stderr}");
    }
    assert!(!stderr.contains("topsecret"), "a password leaked: {stderr}");
}

#[test]
fn check_config_prints_the_effective_config_with_sources_and_no_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("doberman.toml");
    std::fs::write(&file, "[log]\nformat = \"json\"\n").expect("write config");

    let (out, stdout, stderr) = run(doberman(&[(
        "DOBERMAN_DATABASE__URL",
        "mysql://app:topsecret@db.example:3306/doberman",
    )])
    .arg("--config")
    .arg(&file)
    .arg("check-config"));

    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("format = \"json\""), "{stdout}");
    assert!(
        stdout.contains(&format!("# file {}", file.display())),
        "{stdout}"
    );
    assert!(stdout.contains("# env DOBERMAN_DATABASE__URL"), "{stdout}");
    assert!(
        stdout.contains("listen = \"127.0.0.1:3978\"  # default"),
        "{stdout}"
    );
    assert!(!stdout.contains("topsecret"), "a password leaked: {stdout}");
    assert!(stdout.contains("[redacted]"), "{stdout}");
}

#[test]
fn the_config_file_can_come_from_doberman_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("doberman.toml");
    std::fs::write(&file, "[http]\nlisten = \"127.0.0.1:4001\"\n").expect("write config");

    let (out, stdout, _) = run(doberman(&[(
        "DOBERMAN_CONFIG",
        file.to_str().expect("utf-8 path"),
    )])
    .arg("check-config"));

    assert!(out.status.success());
    assert!(stdout.contains("listen = \"127.0.0.1:4001\""), "{stdout}");
}

#[test]
fn superset_bundle_help_names_every_dashboard_in_whole_sentences() {
    let (out, stdout, _) = run(doberman(&[]).args(["superset-bundle", "--help"]));

    assert!(out.status.success());
    for slug in [
        "doberman-cost",
        "doberman-usage",
        "doberman-catalog",
        "doberman-requests",
        "doberman-operations",
    ] {
        assert!(stdout.contains(slug), "{slug} missing from:\n{stdout}");
    }
    let about = stdout.lines().next().unwrap_or_default();
    assert!(
        about.ends_with('.'),
        "the first line is a whole sentence: {about}"
    );
}

#[test]
fn version_is_printed() {
    let (out, stdout, _) = run(doberman(&[]).arg("--version"));

    assert!(out.status.success());
    assert_eq!(
        stdout.trim(),
        format!("doberman {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn migrate_creates_the_sqlite_file_and_is_idempotent() {
    let db = TestDb::sqlite();

    let (first, stdout1, stderr1) =
        run(doberman(&[("DOBERMAN_DATABASE__URL", &db.url)]).arg("migrate"));
    let (second, stdout2, _) = run(doberman(&[("DOBERMAN_DATABASE__URL", &db.url)]).arg("migrate"));

    assert!(first.status.success(), "{stderr1}");
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .expect("migrations")
        .count();
    assert!(
        stdout1.starts_with(&format!("applied {migrations} migration(s)")),
        "{stdout1}"
    );
    assert!(second.status.success());
    assert!(stdout2.starts_with("applied 0 migration(s)"), "{stdout2}");
    assert!(db.sqlite_path().expect("path").exists());
}

#[test]
fn an_unreachable_database_is_a_clear_error() {
    let (out, _, stderr) = run(doberman(&[(
        "DOBERMAN_DATABASE__URL",
        "sqlite:///nonexistent-dir/sub/doberman.db",
    )])
    .arg("migrate"));

    assert!(!out.status.success());
    assert!(stderr.contains("Failed to open the database"), "{stderr}");
    assert!(
        stderr.contains("/nonexistent-dir/sub/doberman.db"),
        "{stderr}"
    );
}

/// A free loopback port (bound, read, released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Sends SIGTERM to a running `serve` (stderr piped) and waits up to `within` for it to exit; its status and
/// stderr.
async fn sigterm(
    mut child: std::process::Child,
    within: Duration,
) -> (std::process::ExitStatus, String) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || {
        let status = child.wait().expect("wait for serve");
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().expect("stderr"), &mut stderr)
            .expect("read stderr");
        (status, stderr)
    });
    tokio::time::timeout(within, exit)
        .await
        .expect("serve exits in time after SIGTERM")
        .expect("wait task")
}

#[tokio::test]
async fn serve_becomes_ready_and_exits_cleanly_on_sigterm() {
    let db = TestDb::sqlite();
    let listen = format!("127.0.0.1:{}", free_port());
    let child = doberman(&[
        ("DOBERMAN_DATABASE__URL", &db.url),
        ("DOBERMAN_HTTP__LISTEN", &listen),
    ])
    .arg("serve")
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start serve");
    let http = client();
    let deadline = Instant::now() + Duration::from_secs(20);
    let ready = loop {
        if let Ok(r) = http.get(format!("http://{listen}/readyz")).send().await {
            break r.status().as_u16();
        }
        assert!(
            Instant::now() < deadline,
            "serve never answered on {listen}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(ready, 200);

    let (status, stderr) = sigterm(child, Duration::from_secs(10)).await;

    assert!(status.success(), "exit {status:?}: {stderr}");
    assert!(stderr.contains("SIGTERM received"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn ask_runs_a_command_without_teams() {
    let db = TestDb::sqlite();

    let (out, stdout, stderr) =
        run(doberman(&[("DOBERMAN_DATABASE__URL", &db.url)]).args(["ask", "도움말"]));

    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("help [command…]"), "{stdout}");
    assert!(
        stdout.contains("conversations |"),
        "the operator at the terminal is an admin: {stdout}"
    );
}

#[test]
fn ask_prints_json_and_hints_on_a_typo() {
    let db = TestDb::sqlite();

    let (out, stdout, stderr) =
        run(doberman(&[("DOBERMAN_DATABASE__URL", &db.url)]).args(["ask", "--json", "hel"]));

    // Scripts can tell: the question was not understood.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let reply: serde_json::Value =
        serde_json::from_str(&stdout).expect("JSON on stdout, logs on stderr");
    assert_eq!(reply["type"], "AdaptiveCard", "the error card itself");
    assert!(reply.to_string().contains("I don't know “hel”"), "{reply}");
    assert!(reply.to_string().contains("Did you mean: `help"), "{reply}");
    // Its title is in the text colour on the tinted box (it was yellow on peach).
    let title = &reply["body"][0]["items"][0];
    assert!(
        title["text"]
            .as_str()
            .unwrap_or_default()
            .contains("I don't know that command")
    );
    assert!(title.get("color").is_none(), "{title}");
}

#[test]
fn card_render_expands_a_template_with_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("t.json");
    let data = dir.path().join("d.json");
    std::fs::write(
        &template,
        r#"{"type":"AdaptiveCard","version":"1.5","body":[{"$data":"${rows}","type":"TextBlock","text":"${$index}. ${name} — ${formatNumber(n, 0)}"}]}"#,
    )
    .expect("write template");
    std::fs::write(
        &data,
        r#"{"rows":[{"name":"주문 🐕","n":1234567},{"name":"events","n":5}]}"#,
    )
    .expect("write data");

    let (out, stdout, stderr) = run(doberman(&[])
        .args(["card", "render", "--template"])
        .arg(&template)
        .arg("--data")
        .arg(&data));

    assert!(out.status.success(), "{stderr}");
    let card: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(card["body"][0]["text"], "0. 주문 🐕 — 1,234,567");
    assert_eq!(card["body"][1]["text"], "1. events — 5");
}

#[test]
fn card_render_names_the_place_of_an_unsupported_function() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = dir.path().join("t.json");
    std::fs::write(&template, r#"{"body":[{"text":"${shout(name)}"}]}"#).expect("write template");

    let (out, _, stderr) = run(doberman(&[])
        .args(["card", "render", "--template"])
        .arg(&template));

    assert!(!out.status.success());
    assert!(stderr.contains("/body/0/text"), "{stderr}");
    assert!(stderr.contains("`shout` is not supported"), "{stderr}");
}

#[test]
fn sql_tables_answers_each_json_line_in_order() {
    let mut child = doberman(&[])
        .arg("sql-tables")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sql-tables");
    let input = concat!(
        r#"{"sql": "INSERT INTO agg SELECT * FROM raw.events JOIN dim d ON true", "context_db": "Lake"}"#,
        "\n",
        r#"{"sql": "SELEKT", "context_db": null}"#,
        "\n",
        r#"{"sql": "SELECT * FROM 판매.주문 -- FROM nope", "context_db": null}"#,
        "\n"
    );
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), input.as_bytes())
        .expect("write");
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("finish");

    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        serde_json::json!({"reads": ["lake.dim", "raw.events"], "writes": ["lake.agg"], "error": null})
    );
    assert_eq!(lines[1]["reads"], serde_json::json!([]));
    assert!(lines[1]["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(
        lines[2],
        serde_json::json!({"reads": ["판매.주문"], "writes": [], "error": null})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn collect_runs_the_jobs_once_with_a_summary_and_jobs_lists_them() {
    let lake = crate::lake::Lake::new().await;
    lake.create_database("sales", "").await;
    lake.create_table(
        "sales",
        "orders",
        &[("id", "bigint", "")],
        &[],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    lake.create_work_group("analysts").await;
    lake.query("analysts", "sales", "SELECT * FROM orders")
        .await;
    let db = TestDb::sqlite();
    let mut env: Vec<(String, String)> = lake.env(&lake.url);
    env.push(("DOBERMAN_DATABASE__URL".into(), db.url.clone()));
    env.push(("AWS_ACCESS_KEY_ID".into(), "testing".into()));
    env.push(("AWS_SECRET_ACCESS_KEY".into(), "testing".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    let (out, stdout, stderr) = run(doberman(&env).args(["collect", "all"]));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("catalog   succeeded"), "{stdout}");
    assert!(stdout.contains("usage     succeeded"), "{stdout}");
    assert!(
        stdout.contains("lake/us-east-1: 1 databases, 1 tables"),
        "{stdout}"
    );
    assert!(
        stdout.contains("lake/us-east-1/analysts: 1 queries stored"),
        "{stdout}"
    );

    let (out, stdout, stderr) = run(doberman(&env).arg("jobs"));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("catalog — Glue catalog"), "{stdout}");
    assert!(
        stdout.contains("`0 10 * * * *` (Asia/Seoul), next "),
        "{stdout}"
    );
    assert!(stdout.contains("last run   succeeded at "), "{stdout}");
    assert!(
        stdout.contains("KST"),
        "times in the schedule's zone: {stdout}"
    );

    let (out, _, stderr) = run(doberman(&env).args(["collect", "catalgo"]));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown job `catalgo`"), "{stderr}");
    assert!(stderr.contains("did you mean `catalog`?"), "{stderr}");
}

#[test]
fn collect_fails_with_the_reason_when_aws_cannot_be_reached() {
    let db = TestDb::sqlite();
    let closed = format!("http://127.0.0.1:{}", free_port());
    let (out, stdout, stderr) = run(doberman(&[
        ("DOBERMAN_DATABASE__URL", &db.url),
        ("DOBERMAN_AWS__REGION", "us-east-1"),
        ("DOBERMAN_AWS__ENDPOINT_URL", &closed),
        ("DOBERMAN_AWS__MAX_ATTEMPTS", "1"),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "secret-that-must-not-leak"),
    ])
    .args(["collect", "catalog"]));

    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("catalog   failed"), "{stdout}");
    assert!(stdout.contains("glue:GetDatabases"), "{stdout}");
    assert!(stderr.contains("1 of 1 job(s) did not succeed"), "{stderr}");
    assert!(!format!("{stdout}{stderr}").contains("secret-that-must-not-leak"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn serve_runs_the_collectors_on_its_schedule_and_stops_them_on_sigterm() {
    let lake = crate::lake::Lake::new().await;
    lake.create_database("sales", "").await;
    lake.create_table(
        "sales",
        "orders",
        &[("id", "bigint", "")],
        &[],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    let db = TestDb::sqlite();
    db.store().await.migrate().await.expect("migrate");
    let listen = format!("127.0.0.1:{}", free_port());
    let mut env: Vec<(String, String)> = lake.env(&lake.url);
    env.extend([
        ("DOBERMAN_DATABASE__URL".to_owned(), db.url.clone()),
        ("DOBERMAN_HTTP__LISTEN".to_owned(), listen.clone()),
        ("DOBERMAN_SCHEDULE__ENABLED".to_owned(), "true".to_owned()),
        (
            "DOBERMAN_SCHEDULE__USAGE".to_owned(),
            "*/1 * * * * *".to_owned(),
        ),
        ("AWS_ACCESS_KEY_ID".to_owned(), "testing".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "testing".to_owned()),
    ]);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let child = doberman(&env)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start serve");

    // The catalog never ran: it catches up at start; usage runs every second.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let catalog = db
            .number("SELECT COUNT(*) FROM job_run WHERE job = 'catalog' AND status = 'succeeded'")
            .await;
        let usage = db
            .number("SELECT COUNT(*) FROM job_run WHERE job = 'usage' AND status = 'succeeded'")
            .await;
        if catalog >= 1 && usage >= 2 {
            break;
        }
        if Instant::now() >= deadline {
            let runs = db
                .strings(
                    "SELECT job || ' ' || status || ' ' || COALESCE(error_text, '') FROM job_run \
                     WHERE job <> 'usage' OR status <> 'succeeded' ORDER BY id",
                )
                .await;
            let (_, stderr) = sigterm(child, Duration::from_secs(15)).await;
            panic!(
                "the jobs did not run: catalog {catalog}, usage {usage}\nruns: {runs:#?}\n{stderr}"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        db.strings("SELECT table_name FROM dim_table").await,
        ["orders"]
    );

    let (status, stderr) = sigterm(child, Duration::from_secs(15)).await;
    assert!(status.success(), "exit {status:?}: {stderr}");
    assert!(stderr.contains("scheduled"), "{stderr}");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM job_lease WHERE holder IS NOT NULL")
            .await,
        0,
        "no claim outlives the process"
    );
}

#[test]
fn ask_status_works_on_a_fresh_store() {
    let db = TestDb::sqlite();

    let (out, stdout, stderr) =
        run(doberman(&[("DOBERMAN_DATABASE__URL", &db.url)]).args(["ask", "status"]));

    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Doberman status"), "{stdout}");
    assert!(
        stdout.contains("catalog | never | not scheduled"),
        "schedule.enabled is false here: {stdout}"
    );
    assert!(
        stdout.contains("Cost (fact_cost_daily) | never"),
        "{stdout}"
    );
}

#[test]
fn demo_fills_the_store_and_ask_answers_every_command_then_clear_removes_it() {
    let db = TestDb::sqlite();
    let env = [("DOBERMAN_DATABASE__URL", db.url.as_str())];

    let (out, stdout, stderr) = run(doberman(&env).arg("demo"));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("10 databases"), "{stdout}");
    assert!(stdout.contains("doberman demo --clear"), "{stdout}");

    let cases: &[(&[&str], &str)] = &[
        (&["help"], "catalog table <db.table>"),
        (&["catalog", "table", "sales.orders"], "🔑 dt"),
        (&["catalog", "table", "sales.ordrs"], "the only close match"),
        (&["catalog", "db", "crm"], "Database crm"),
        (&["catalog", "search", "고객"], "crm.customers"),
        (&["top", "tables", "30d"], "Top tables · last 30 days"),
        (&["top", "databases"], "Top databases"),
        (&["cost", "by", "account"], "demo-analytics"),
        (&["비용", "지난달"], "AWS cost"),
        (&["status"], "Doberman"),
        (&["상태"], "Doberman"),
    ];
    for (words, expected) in cases {
        let (out, stdout, stderr) = run(doberman(&env).arg("ask").args(*words));
        assert!(out.status.success(), "{words:?}: {stderr}");
        assert!(
            stdout.contains(expected),
            "{words:?}: {expected:?} missing from\n{stdout}"
        );
    }

    let (out, stdout, stderr) = run(doberman(&env).args(["demo", "--clear"]));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("removed"), "{stdout}");
    let (_, stdout, _) = run(doberman(&env).args(["ask", "catalog", "db", "crm"]));
    assert!(stdout.contains("The catalog is empty"), "{stdout}");
}

#[test]
fn manifest_writes_a_teams_package_from_the_configuration_and_the_commands() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("doberman-teams.zip");
    let app_id = "8f0c2e7a-4b1d-4c3e-9a55-2d6f1e0b7c11";
    let env = [
        ("DOBERMAN_TEAMS__APP_ID", app_id),
        ("DOBERMAN_TEAMS__APP_PASSWORD", "secret-that-must-not-leak"),
        (
            "DOBERMAN_MANIFEST__ID",
            "0b0e9a52-5a8e-4f5e-8d6b-3f1d2c4b5a69",
        ),
        (
            "DOBERMAN_MANIFEST__WEBSITE_URL",
            "https://data.example.com/",
        ),
        (
            "DOBERMAN_MANIFEST__TERMS_URL",
            "https://data.example.com/terms",
        ),
        ("DOBERMAN_MANIFEST__DEVELOPER_NAME", "데이터 플랫폼 🐕"),
        (
            "DOBERMAN_MANIFEST__VALID_DOMAINS",
            "wiki.example.com,Superset.example.com",
        ),
        (
            "DOBERMAN_SUPERSET__URL",
            "https://superset.example.com/superset/",
        ),
    ];
    let (status, stdout, stderr) = run(doberman(&env).args(["manifest", "--out"]).arg(&out));
    assert!(status.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("upload it in Teams"), "{stdout}");

    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(&out).expect("the package")).expect("a zip");
    let mut names: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.by_index(i)
                .expect("an entry")
                .name()
                .expect("a UTF-8 name")
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["color.png", "ko-kr.json", "manifest.json", "outline.png"]
    );
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("manifest.json").expect("manifest"),
        &mut text,
    )
    .expect("read");
    assert!(!text.contains("secret-that-must-not-leak"));
    let m: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(m["id"], "0b0e9a52-5a8e-4f5e-8d6b-3f1d2c4b5a69");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["bots"][0]["botId"], app_id);
    assert_eq!(m["webApplicationInfo"]["id"], app_id);
    assert_eq!(m["developer"]["name"], "데이터 플랫폼 🐕");
    assert_eq!(m["developer"]["privacyUrl"], "https://data.example.com/");
    assert_eq!(
        m["developer"]["termsOfUseUrl"],
        "https://data.example.com/terms"
    );
    assert_eq!(
        m["validDomains"],
        serde_json::json!(["superset.example.com", "wiki.example.com"])
    );
    // The commands are the declarations: the ten most useful people can use everywhere, in declaration order
    // (Teams shows ten per scope; the others still work).
    let everywhere: Vec<&str> = doberman::chat::commands::COMMANDS
        .iter()
        .filter(|c| c.scopes == doberman::chat::commands::ALL_SCOPES && !c.admin)
        .map(|c| c.name)
        .take(10)
        .collect();
    for list in m["bots"][0]["commandLists"].as_array().expect("lists") {
        let titles: Vec<&str> = list["commands"]
            .as_array()
            .expect("commands")
            .iter()
            .map(|c| c["title"].as_str().expect("title"))
            .collect();
        assert_eq!(titles, everywhere);
    }
    // The same configuration gives the same bytes: uploading again is an update, not a surprise.
    let again = dir.path().join("again.zip");
    let (status, _, _) = run(doberman(&env).args(["manifest", "--out"]).arg(&again));
    assert!(status.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
}

#[test]
fn manifest_says_what_to_configure_and_writes_nothing_without_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("doberman-teams.zip");

    let (status, stdout, stderr) = run(doberman(&[]).args(["manifest", "--out"]).arg(&out));
    assert_eq!(status.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("teams.app_id"), "{stderr}");
    assert!(stderr.contains("manifest.website_url"), "{stderr}");
    assert!(!out.exists());

    // A website Teams would refuse is a configuration error, named.
    let (status, _, stderr) = run(doberman(&[
        (
            "DOBERMAN_TEAMS__APP_ID",
            "8f0c2e7a-4b1d-4c3e-9a55-2d6f1e0b7c11",
        ),
        ("DOBERMAN_TEAMS__APP_PASSWORD", "x"),
        ("DOBERMAN_MANIFEST__WEBSITE_URL", "http://data.example.com/"),
    ])
    .args(["manifest", "--out"])
    .arg(&out));
    assert_eq!(status.status.code(), Some(2));
    assert!(
        stderr.contains("manifest.website_url") && stderr.contains("https"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn superset_bundle_takes_the_store_url_with_its_password_masked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("doberman-dashboards.zip");
    let env = [(
        "DOBERMAN_DATABASE__URL",
        "mysql://doberman:never-in-the-bundle@db.internal:3306/doberman",
    )];
    let (status, stdout, stderr) = run(doberman(&env).args(["superset-bundle", "--out"]).arg(&out));
    assert!(status.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("doberman-cost") && stdout.contains("import-dashboards"),
        "{stdout}"
    );
    assert!(!stdout.contains("never-in-the-bundle"), "{stdout}");

    let bytes = std::fs::read(&out).expect("the bundle");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("a zip");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("an entry");
        let name = file.name().expect("a UTF-8 name").into_owned();
        assert!(name.starts_with("doberman_dashboards/"), "{name}");
        std::io::Read::read_to_string(&mut file, &mut all).expect("UTF-8 YAML");
    }
    assert!(!all.contains("never-in-the-bundle"));
    assert!(
        all.contains("mysql://doberman:XXXXXXXXXX@db.internal:3306/doberman?charset=utf8mb4"),
        "the database entry carries Superset's password placeholder"
    );
    for slug in doberman::superset::dashboard_slugs() {
        assert!(
            zip.by_name(&format!("doberman_dashboards/dashboards/{slug}.yaml"))
                .is_ok(),
            "{slug}"
        );
    }
}

#[test]
fn superset_bundle_refuses_a_password_or_the_sqlite_store_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("doberman-dashboards.zip");

    let (status, _, stderr) = run(doberman(&[]).args(["superset-bundle", "--out"]).arg(&out));
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--database-uri"), "SQLite store: {stderr}");

    let (status, _, stderr) = run(doberman(&[])
        .args([
            "superset-bundle",
            "--database-uri",
            "mysql://superset_ro:hunter2@db/doberman",
            "--out",
        ])
        .arg(&out));
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("XXXXXXXXXX"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_refused_mysql_connection_says_so_once() {
    let url = format!("mysql://root@127.0.0.1:{}/doberman", free_port());
    let (out, stdout, stderr) = run(doberman(&[("DOBERMAN_DATABASE__URL", &url)]).arg("migrate"));

    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert!(!stderr.contains("pool timed out"), "{stderr}");
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.contains("Failed to open the database"))
            .count(),
        1,
        "said once: {stderr}"
    );
}

#[test]
fn collect_without_aws_credentials_says_so_and_how_to_give_them() {
    let db = TestDb::sqlite();
    let closed = format!("http://127.0.0.1:{}", free_port());
    let home = tempfile::tempdir().expect("an empty home");
    let (out, stdout, stderr) = run(doberman(&[
        ("DOBERMAN_DATABASE__URL", &db.url),
        ("DOBERMAN_AWS__REGION", "us-east-1"),
        ("DOBERMAN_AWS__ENDPOINT_URL", &closed),
        ("DOBERMAN_AWS__MAX_ATTEMPTS", "1"),
    ])
    .env("HOME", home.path())
    .args(["collect", "catalog"]));

    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("no AWS credentials found"), "{stdout}");
    assert!(stdout.contains("AWS_ACCESS_KEY_ID"), "{stdout}");
    let all = format!("{stdout}{stderr}");
    assert!(
        !all.contains("IMDS"),
        "no blame on the last provider tried: {all}"
    );
    assert!(
        !stderr.contains(" WARN "),
        "no SDK warnings at the default level: {stderr}"
    );
}

#[test]
fn a_cut_pipe_ends_a_command_quietly() {
    let db = TestDb::sqlite();
    let mut child = doberman(&[("DOBERMAN_DATABASE__URL", &db.url), ("RUST_BACKTRACE", "1")])
        .args(["ask", "help"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start doberman");
    // `| head -0`: the reader is gone before the answer is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);

    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn packaging_needs_no_secret_but_serving_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("doberman-teams.zip");
    let env = [
        (
            "DOBERMAN_TEAMS__APP_ID",
            "8f0c2e7a-4b1d-4c3e-9a55-2d6f1e0b7c11",
        ),
        (
            "DOBERMAN_MANIFEST__WEBSITE_URL",
            "https://data.example.com/",
        ),
    ];
    let (status, stdout, stderr) = run(doberman(&env).args(["manifest", "--out"]).arg(&out));
    assert!(status.status.success(), "{stdout}\n{stderr}");
    assert!(out.exists());

    let (status, _, stderr) = run(doberman(&env).arg("check-config"));
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("teams.app_password"), "{stderr}");
    let (status, _, stderr) = run(doberman(&env).arg("serve"));
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("teams.app_password"), "{stderr}");
}

#[test]
fn ask_prints_text_without_markdown_marks_and_says_it_is_not_the_server() {
    let db = TestDb::sqlite();
    let env = [("DOBERMAN_DATABASE__URL", db.url.as_str())];
    let (out, stdout, stderr) =
        run(doberman(&env).args(["ask", "catalog", "table", "[x](https://evil.example)"]));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.contains("“[x](https://evil.example)”"), "{stdout}");
    assert!(!stdout.contains('\\'), "{stdout}");

    let (out, stdout, stderr) = run(doberman(&env).args(["ask", "status"]));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("asked from the command line"), "{stdout}");
    assert!(!stdout.contains("up since"), "{stdout}");
}

/// The corpus (`tests/fixtures/nlu/corpus.jsonl`: 414 utterances in Korean, English and both, written from how
/// people talk, apart from the parser), each through `doberman ask --explain` on the day it was written against:
/// the binary prints one JSON object per text, and at least 97 % say what the line is labelled with.
#[test]
fn ask_explain_understands_the_corpus() {
    let corpus = include_str!("../fixtures/nlu/corpus.jsonl");
    let mut wrong = Vec::new();
    let mut total = 0;
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let want: serde_json::Value = serde_json::from_str(line).expect("a corpus line");
        let text = want["text"].as_str().expect("a text");
        let (out, stdout, stderr) = run(doberman(&[(
            doberman::clock::NOW_VAR,
            "2026-11-20T10:00:00+09:00",
        )])
        .args(["ask", "--explain", text]));
        assert!(out.status.success(), "{text}: {stderr}");
        assert_eq!(stdout.lines().count(), 1, "one line of JSON: {stdout}");
        let got: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        total += 1;
        if !doberman::chat::understand::agrees(&got, &want) {
            wrong.push(format!(
                "{text}: want {} {}, got {got}",
                want["command"], want["args"]
            ));
        }
    }
    let right = total - wrong.len();
    assert!(total >= 300, "the corpus holds {total} lines");
    assert!(
        right * 100 >= total * 97,
        "{right}/{total} understood:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn ask_answers_in_the_locale_asked() {
    let db = TestDb::sqlite();

    let (out, stdout, stderr) = run(doberman(&[("DOBERMAN_DATABASE__URL", &db.url)]).args([
        "ask",
        "--locale",
        "ko-KR",
        "도움말",
    ]));

    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("할 수 있는 일"), "{stdout}");
    assert!(!stdout.contains("What I can do"), "{stdout}");
    let (out, _, stderr) = run(doberman(&[("DOBERMAN_DATABASE__URL", &db.url)])
        .args(["ask", "--locale", "klingon", "help"]));
    assert_eq!(
        out.status.code(),
        Some(2),
        "a locale Doberman does not speak: {stderr}"
    );
    assert!(stderr.contains("ko-KR"), "{stderr}");
}
