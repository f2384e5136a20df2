//! The command line: `doberman serve | demo | migrate | check-config | collect | jobs | ask | manifest |
//! superset-bundle | card | sql-tables`.

use std::path::PathBuf;

use anyhow::Context;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use std::sync::Arc;

use crate::app::{self, App};
use crate::cards::{self, Template};
use crate::chat::commands::Scope;
use crate::chat::{Caller, Chat, Reply};
use crate::collect::{self, Job, RunOutcome, Trigger};
use crate::config::{Config, LogFormat};
use crate::teams::connector::RetryPolicy;
use crate::teams::{ConnectorClient, ServiceUrlPolicy};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use tokio_util::sync::CancellationToken;

/// Doberman: the Teams watchdog of an AWS data lake.
#[derive(Debug, Parser)]
#[command(name = "doberman", version, about)]
pub struct Cli {
    /// TOML configuration file (an absent file is fine: defaults and environment apply).
    #[arg(long, global = true, env = "DOBERMAN_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the Bot Framework endpoint and the probes until Ctrl-C or SIGTERM.
    Serve {
        /// Fill the store with the demo data first (as `doberman demo`), so every answer works without AWS; the
        /// collectors' schedule is then off.
        #[arg(long)]
        demo: bool,
    },
    /// Fill an empty store with a synthetic retail lake (a few hundred tables, 90 days of Athena use, three
    /// months of cost for five accounts), replacing an earlier demo; `--clear` removes the demo rows.
    Demo {
        /// Remove the demo rows instead.
        #[arg(long)]
        clear: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the effective configuration (secrets redacted) and exit non-zero listing every error.
    CheckConfig,
    /// Run collectors once, now, in the foreground, with progress and a summary (exit 1 if one did not succeed).
    Collect {
        /// `catalog`, `usage`, `cost` or `all` (`doberman jobs` lists them; `all` leaves out cost when
        /// `cost.database` is not set).
        #[arg(value_parser = parse_jobs, value_name = "JOB|all")]
        jobs: JobList,
    },
    /// List the jobs: schedule, next run, last run, and which replica is running one now.
    Jobs,
    /// Write the Teams app package to upload in Teams (manifest.json with the bot id and commands, and the icons),
    /// from teams.app_id and the [manifest] settings.
    Manifest {
        /// Where to write the zip, e.g. `doberman-teams.zip`.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Write the Superset import bundle: the database, datasets, charts and the dashboards the cards link to.
    ///
    /// The dashboards: doberman-cost, doberman-usage, doberman-catalog, doberman-requests,
    /// doberman-operations, doberman-airflow and doberman-quality.
    SupersetBundle {
        /// Where to write the zip, e.g. `doberman-dashboards.zip`.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// The SQLAlchemy URI Superset connects with, e.g.
        /// `mysql://superset_ro:XXXXXXXXXX@db.internal:3306/doberman`: a password goes in as XXXXXXXXXX, and
        /// Superset asks for it at import. Default: database.url with its password masked so.
        #[arg(long, value_name = "URI")]
        database_uri: Option<String>,
        /// Mark the bundle as assets, for `POST /api/v1/assets/import/`, which replaces the charts and datasets
        /// an earlier import made (the dashboard import only adds what is missing).
        #[arg(long)]
        assets: bool,
    },
    /// Adaptive Card templates.
    #[command(subcommand)]
    Card(CardCommand),
    /// Data checks (정합성): validate the check files, run a check now or over past days.
    #[command(subcommand)]
    Check(CheckCommand),
    /// Read JSON Lines `{"sql": …, "context_db": …}` on stdin; write for each, in order,
    /// `{"reads": […], "writes": […], "error": null|"…"}`: the tables an Athena statement reads and writes.
    SqlTables,
    /// Run one chat command against the configured store and print the reply, without Teams
    /// (as an admin in a personal chat).
    Ask {
        /// The command as you would type it in Teams, e.g. `help` or `도움말 conversations`.
        #[arg(required = true, num_args = 1..)]
        command: Vec<String>,
        /// Print the reply as JSON (a card as is, text as a message object).
        #[arg(long)]
        json: bool,
        /// Print how the text was understood instead of answering, as one JSON object:
        /// `{"command": "cost", "args": {"period": "this_month"}}`, or `{"command": null, …}`. Needs no database.
        #[arg(long)]
        explain: bool,
        /// Answer in this language: ko-KR or en-US (default `chat.default_locale`).
        #[arg(long, value_name = "LOCALE")]
        locale: Option<crate::i18n::Lang>,
    },
}

/// `doberman card …`.
#[derive(Debug, Subcommand)]
pub enum CardCommand {
    /// List the cards in the catalog.
    List,
    /// Expand a card (by name, or any template file) with data and print the card JSON, for the Adaptive Cards
    /// Designer or a check.
    Render {
        /// A card of the catalog (`doberman card list`).
        #[arg(required_unless_present = "template", conflicts_with = "template")]
        name: Option<String>,
        /// A template file instead (Adaptive Cards templating language).
        #[arg(long, value_name = "PATH")]
        template: Option<PathBuf>,
        /// The data file (JSON), bound to `$root`; none means `{}`.
        #[arg(long, value_name = "PATH")]
        data: Option<PathBuf>,
        /// Also check what Teams renders badly (exit 1 and list the problems).
        #[arg(long)]
        validate: bool,
        /// The language of the card's fixed words: en-US (default) or ko-KR.
        #[arg(long, value_name = "LOCALE", default_value = "en-US")]
        locale: crate::i18n::Lang,
    },
    /// Print the templates' fixed words in a language as JSON (what cards get as `$root.t`), for rendering
    /// examples with other engines.
    Labels {
        /// en-US or ko-KR.
        #[arg(long, value_name = "LOCALE", default_value = "en-US")]
        locale: crate::i18n::Lang,
    },
}

/// `doberman check …`.
#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// Read every check file and list each mistake with its file, line and key (exit 2), or the checks found.
    Validate {
        /// The folder of check files; default `checks.dir`.
        dir: Option<PathBuf>,
    },
    /// Run one check now and record what it found: for the day its schedule would check, or for every day
    /// from `--from` to `--to` (a backfill). Exit 1 when a day failed or could not run.
    Run {
        /// The check's name, as in its file.
        name: String,
        /// First day to check (YYYY-MM-DD).
        #[arg(long, value_name = "DAY", requires = "to")]
        from: Option<chrono::NaiveDate>,
        /// Last day to check (YYYY-MM-DD), included.
        #[arg(long, value_name = "DAY", requires = "from")]
        to: Option<chrono::NaiveDate>,
    },
}

/// Reads the check files of `dir` and prints what it found; the exit code.
fn validate_checks(dir: &std::path::Path) -> ExitCode {
    match crate::config::checks::load_dir(dir) {
        Ok(checks) => {
            println!("{}: {} checks, all valid", dir.display(), checks.len());
            for c in &checks {
                println!(
                    "  {}:{}  {}  {} on {} ({}, {})",
                    c.file,
                    c.line,
                    c.name,
                    c.kind,
                    c.table,
                    c.severity.name(),
                    c.schedule.expression
                );
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{}/{p}", dir.display());
            }
            eprintln!("doberman: {} mistakes in the check files", problems.len());
            ExitCode::from(2)
        }
    }
}

/// Parses the command line and runs it; the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        // A command whose output is cut short (`doberman card render … | head -1`) ends quietly, as Unix tools
        // do, instead of panicking on the closed pipe. `serve` keeps Rust's default: a closed socket is an
        // error to handle, not a reason to die.
        quiet_on_closed_pipe();
    }
    // Validating a folder named on the command line needs no configuration (whose own checks.dir may be broken).
    if let Command::Check(CheckCommand::Validate { dir: Some(dir) }) = &cli.command {
        return validate_checks(dir);
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            for problem in &e.problems {
                eprintln!("doberman: configuration error: {problem}");
            }
            return ExitCode::from(2);
        }
    };
    match &cli.command {
        Command::CheckConfig => {
            print!("{}", config.render());
            return if said_serving_problems(&config) {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        Command::Serve { .. } if said_serving_problems(&config) => return ExitCode::from(2),
        Command::Card(card) => return run_card(card),
        Command::Check(CheckCommand::Validate { .. }) => {
            return match &config.checks.dir {
                Some(dir) => validate_checks(dir),
                None => {
                    eprintln!(
                        "doberman: checks.dir is not set: name the folder (doberman check validate DIR)"
                    );
                    ExitCode::from(2)
                }
            };
        }
        Command::SqlTables => return sql_tables(),
        Command::Manifest { out } => return write_manifest(&config, out),
        Command::SupersetBundle {
            out,
            database_uri,
            assets,
        } => return write_superset_bundle(&config, out, database_uri.as_deref(), *assets),
        _ => {}
    }
    init_logging(config.log.format);
    if let Some(file) = config.file.as_ref().filter(|f| !f.found) {
        tracing::warn!(path = %file.path.display(), "config file not found: using defaults and environment only");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("doberman: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve { demo: with_demo } => {
                if with_demo {
                    demo(&config, false).await?;
                    // Collectors would mix collected rows into the demo (and without AWS only fail).
                    let mut config = config.clone();
                    if config.schedule.enabled {
                        tracing::info!("demo: the collectors' schedule is off");
                        config.schedule.enabled = false;
                    }
                    serve(&config).await
                } else {
                    serve(&config).await
                }
            }
            Command::Demo { clear } => demo(&config, clear).await,
            Command::Migrate => migrate(&config).await,
            Command::Ask {
                command,
                explain: true,
                ..
            } => {
                let today = crate::clock::now()
                    .with_timezone(&config.schedule.timezone)
                    .date_naive();
                println!(
                    "{}",
                    crate::chat::understand::explain(&command.join(" "), today)
                );
                Ok(())
            }
            Command::Ask {
                command,
                json,
                locale,
                ..
            } => {
                let lang = locale.unwrap_or(config.chat.default_locale);
                ask(&config, &command.join(" "), json, lang).await
            }
            Command::Collect { jobs } => collect(&config, &jobs).await,
            Command::Jobs => list_jobs(&config).await,
            Command::Check(CheckCommand::Run { name, from, to }) => {
                run_check(&config, &name, from.zip(to)).await
            }
            Command::CheckConfig
            | Command::Check(CheckCommand::Validate { .. })
            | Command::Card(_)
            | Command::SqlTables
            | Command::Manifest { .. }
            | Command::SupersetBundle { .. } => {
                unreachable!("handled before the runtime starts")
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<AskedAMistake>() => ExitCode::from(2),
        Err(e) => {
            // Once: as a log record for collectors, or as a line for people.
            let error = crate::common::anyhow_chain(&e);
            match config.log.format {
                LogFormat::Json => tracing::error!(%error, "exiting on error"),
                LogFormat::Pretty => eprintln!("doberman: {error}"),
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(unix)]
fn quiet_on_closed_pipe() {
    // SAFETY: restoring the default disposition of a signal, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn quiet_on_closed_pipe() {}

/// Says on stderr what keeps `serve` from answering; whether there was anything.
fn said_serving_problems(config: &Config) -> bool {
    let problems = config.teams.serving_problems();
    for problem in &problems {
        eprintln!("doberman: configuration error: {problem}");
    }
    !problems.is_empty()
}

/// `doberman manifest --out PATH`: the package, or what to configure first.
fn write_manifest(config: &Config, out: &std::path::Path) -> ExitCode {
    let manifest = match crate::manifest::manifest(config) {
        Ok(manifest) => manifest,
        Err(e) => {
            eprintln!("doberman: {e}");
            return ExitCode::from(2);
        }
    };
    let written = crate::manifest::package(&manifest).and_then(|zip| {
        std::fs::write(out, zip).with_context(|| format!("Failed to write {}", out.display()))
    });
    match written {
        Ok(()) => {
            let commands: usize =
                manifest["bots"][0]["commandLists"]
                    .as_array()
                    .map_or(0, |lists| {
                        lists
                            .iter()
                            .map(|l| l["commands"].as_array().map_or(0, Vec::len))
                            .max()
                            .unwrap_or(0)
                    });
            println!(
                "wrote {} (app id {}, version {}, bot {}, {commands} commands per scope): upload it in Teams, \
                 Apps > Manage your apps > Upload an app",
                out.display(),
                manifest["id"].as_str().unwrap_or_default(),
                manifest["version"].as_str().unwrap_or_default(),
                manifest["bots"][0]["botId"].as_str().unwrap_or_default(),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("doberman: {}", crate::common::anyhow_chain(&e));
            ExitCode::FAILURE
        }
    }
}

/// `doberman superset-bundle --out PATH`: the bundle, or what to give instead.
fn write_superset_bundle(
    config: &Config,
    out: &std::path::Path,
    database_uri: Option<&str>,
    assets: bool,
) -> ExitCode {
    use crate::superset;
    let uri = match database_uri {
        Some(uri) => superset::database_uri(uri),
        None => superset::database_uri_from_store(config.database.url.expose()),
    };
    let uri = match uri {
        Ok(uri) => uri,
        Err(e) => {
            eprintln!("doberman: {e}");
            return ExitCode::from(2);
        }
    };
    let kind = if assets {
        superset::BundleKind::Assets
    } else {
        superset::BundleKind::Dashboards
    };
    let written = superset::bundle_files(&uri, kind, crate::clock::now()).and_then(|files| {
        let zip = superset::package(&files)?;
        std::fs::write(out, zip).with_context(|| format!("Failed to write {}", out.display()))?;
        Ok(files)
    });
    match written {
        Ok(files) => {
            let count = |prefix: &str| files.keys().filter(|k| k.starts_with(prefix)).count();
            println!(
                "wrote {} ({} dashboards: {}; {} charts, {} datasets) for {}: import it in Superset, {}",
                out.display(),
                count("dashboards/"),
                superset::dashboard_slugs().join(", "),
                count("charts/"),
                count("datasets/"),
                uri,
                if assets {
                    "POST /api/v1/assets/import/ (replaces what an earlier import made)"
                } else {
                    "Dashboards > Import dashboards, or `superset import-dashboards -p FILE -u admin`"
                },
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("doberman: {}", crate::common::anyhow_chain(&e));
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: &Config) -> anyhow::Result<()> {
    let app = App::build(config).await?;
    let token = app.shutdown_token();
    tokio::spawn(async move {
        app::shutdown_signal().await;
        token.cancel();
    });
    app.run().await
}

/// The jobs `doberman collect` was asked for.
#[derive(Debug, Clone)]
pub struct JobList {
    /// The jobs, in the order they run.
    pub jobs: Vec<Job>,
    /// Whether `all` was asked (it leaves out what is not configured instead of failing on it).
    pub all: bool,
}

fn parse_jobs(name: &str) -> Result<JobList, String> {
    if name.eq_ignore_ascii_case("all") {
        return Ok(JobList {
            jobs: Job::ALL.to_vec(),
            all: true,
        });
    }
    if let Some(job) = Job::parse(name) {
        return Ok(JobList {
            jobs: vec![job],
            all: false,
        });
    }
    let names: Vec<&str> = Job::ALL.iter().map(|j| j.name()).chain(["all"]).collect();
    let hint = names
        .iter()
        .map(|n| {
            (
                crate::common::edit_distance(&name.to_ascii_lowercase(), n),
                n,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!(
        "unknown job `{name}`: expected one of {}{hint}",
        names.join(", ")
    ))
}

/// Bars on stderr, one per job (indicatif hides them when stderr is not a terminal).
struct Bars {
    multi: MultiProgress,
    bars: std::sync::Mutex<std::collections::HashMap<Job, ProgressBar>>,
}

impl Bars {
    fn bar(&self, job: Job) -> ProgressBar {
        let mut bars = self.bars.lock().expect("the bar map is never poisoned");
        bars.entry(job)
            .or_insert_with(|| {
                let bar = self.multi.add(ProgressBar::new(0));
                bar.set_style(
                    ProgressStyle::with_template(
                        "{prefix:>8} {msg:<24} [{bar:30}] {pos}/{len} {elapsed}",
                    )
                    .expect("the bar template is valid")
                    .progress_chars("=> "),
                );
                bar.set_prefix(job.name());
                bar
            })
            .clone()
    }
}

impl collect::Progress for Bars {
    fn stage(&self, job: Job, label: &str, total: u64) {
        let bar = self.bar(job);
        bar.set_message(label.to_owned());
        bar.set_length(total);
        bar.set_position(0);
    }
    fn advance(&self, job: Job, n: u64) {
        self.bar(job).inc(n);
    }
}

async fn collect(config: &Config, asked: &JobList) -> anyhow::Result<()> {
    let (store, _) = app::open_store(config).await?;
    let bars = Arc::new(Bars {
        multi: MultiProgress::new(),
        bars: std::sync::Mutex::new(std::collections::HashMap::new()),
    });
    let runner = app::runner(config, &store, bars.clone());
    let cancel = CancellationToken::new();
    let on_signal = cancel.clone();
    tokio::spawn(async move {
        app::shutdown_signal().await;
        on_signal.cancel();
    });
    let mut summary = Vec::new();
    for &job in &asked.jobs {
        if asked.all && job.missing(config).is_some() {
            // `collect all` runs what is configured; `collect cost` says why it cannot.
            continue;
        }
        let started = std::time::Instant::now();
        let outcome = runner.run(job, Trigger::Manual, &cancel).await;
        bars.bar(job).finish();
        summary.push((job, outcome, started.elapsed()));
        if cancel.is_cancelled() {
            break;
        }
    }
    store.close().await;
    let mut failed = 0;
    println!(
        "{:<8}  {:<9}  {:>9}  {:>8}  details",
        "job", "status", "rows", "time"
    );
    for (job, outcome, elapsed) in &summary {
        let (status, rows, details) = match outcome {
            RunOutcome::Succeeded(report) => (
                "succeeded",
                report.rows_written.to_string(),
                report
                    .notes
                    .join("\n                                      "),
            ),
            RunOutcome::Failed(error) => {
                failed += 1;
                ("failed", "-".to_owned(), error.clone())
            }
            RunOutcome::Skipped(why) => {
                failed += 1;
                ("skipped", "-".to_owned(), why.clone())
            }
        };
        println!(
            "{:<8}  {status:<9}  {rows:>9}  {:>7.1}s  {details}",
            job.name(),
            elapsed.as_secs_f64()
        );
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} job(s) did not succeed", summary.len());
    }
    Ok(())
}

/// `doberman check run`: one check, now or for each day of a range, each result recorded and printed.
async fn run_check(
    config: &Config,
    name: &str,
    range: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) -> anyhow::Result<()> {
    let (store, _) = app::open_store(config).await?;
    let checker = crate::checks::checker(config, &store);
    let Some(def) = checker.config().find(name) else {
        let hint = crate::common::closest(name, checker.checks().iter().map(|c| c.name.as_str()))
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        anyhow::bail!("no check in checks.dir is called `{name}`{hint}");
    };
    let days: Vec<chrono::NaiveDate> = match range {
        Some((from, to)) => {
            if to < from {
                anyhow::bail!("--to {to} is before --from {from}");
            }
            let today = crate::store::now()
                .with_timezone(&config.schedule.timezone)
                .date_naive();
            if to > today {
                anyhow::bail!(
                    "--to {to} is after today ({today}): a check of a day to come would count as its latest"
                );
            }
            if (to - from).num_days() > 366 {
                anyhow::bail!("at most a year of days at once ({from} to {to} is more)");
            }
            from.iter_days().take_while(|d| *d <= to).collect()
        }
        None => {
            let now = crate::store::now();
            let tick = def
                .schedule
                .latest_at_or_before(now, config.schedule.timezone)
                .unwrap_or(now);
            vec![checker.day_for(def, tick)]
        }
    };
    let mut bad = 0;
    for day in &days {
        let r = checker.run_and_record(def, *day).await?;
        if r.status != "pass" {
            bad += 1;
        }
        println!(
            "{day}  {:<5}  {:>7.1}s  {}",
            r.status,
            r.duration_ms as f64 / 1000.0,
            r.message
                .as_deref()
                .map(|m| crate::i18n::Msg::render_stored(
                    m,
                    crate::clock::now(),
                    config.schedule.timezone
                ))
                .unwrap_or_default()
        );
    }
    store.close().await;
    if bad > 0 {
        anyhow::bail!("{bad} of {} day(s) did not pass", days.len());
    }
    Ok(())
}

async fn list_jobs(config: &Config) -> anyhow::Result<()> {
    let (store, _) = app::open_store(config).await?;
    let tz = config.schedule.timezone;
    let now = crate::store::now();
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&tz)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string()
    };
    let scheduled = crate::schedule::jobs(&config.schedule, |job| job.missing(config).is_none());
    if !config.schedule.enabled {
        println!("schedule.enabled is false: jobs run only through `doberman collect`");
    }
    for job in Job::ALL {
        let cron = scheduled.iter().find(|(j, _)| *j == job).map(|(_, c)| c);
        let last = store.recent_job_runs(Some(job.name()), 1).await?;
        let holder = store.job_holder(job.name(), now).await?;
        println!("{} — {}", job.name(), job.summary());
        match cron {
            Some(cron) => {
                let next = cron
                    .next_after(now, tz)
                    .map_or_else(|| "never".to_owned(), local);
                println!(
                    "  schedule   `{}` ({}), next {next}",
                    cron.expression,
                    tz.name()
                );
            }
            None if job.missing(config).is_some() => {
                println!(
                    "  schedule   off ({})",
                    job.missing(config).unwrap_or_default()
                );
            }
            None => println!("  schedule   off (schedule.{} is empty)", job.name()),
        }
        match last.first() {
            Some(run) => {
                let error = run
                    .error_text
                    .as_deref()
                    .map(|e| format!(": {}", e.lines().next().unwrap_or_default()))
                    .unwrap_or_default();
                println!(
                    "  last run   {} at {}, {} rows{error}",
                    run.status.as_str(),
                    local(run.started_at),
                    run.rows_written
                );
            }
            None => println!("  last run   never"),
        }
        if let Some(h) = holder {
            println!(
                "  running    on {} (claim until {})",
                h.holder,
                local(h.expires_at)
            );
        }
    }
    store.close().await;
    Ok(())
}

async fn demo(config: &Config, clear: bool) -> anyhow::Result<()> {
    let (store, _) = app::open_store(config).await?;
    let result = if clear {
        crate::demo::clear(&store).await.map(|removed| {
            println!("removed {removed} demo rows from {}", config.database.url);
        })
    } else {
        let started = std::time::Instant::now();
        crate::demo::fill(
            &store,
            config.schedule.timezone,
            crate::store::now(),
            &crate::chat::Settings::from_config(config).watch,
        )
            .await
            .map(|r| {
                println!(
                    "demo data in {}: {} databases, {} tables, {} Athena queries over 90 days, {} daily cost rows, \
                     {} Airflow DAG runs over 30 days, {} data checks with 30 days of results, {} requirements, {} \
                     stale-table alerts ({:.1} s{}); remove it with doberman demo --clear",
                    config.database.url,
                    r.databases,
                    r.tables,
                    r.queries,
                    r.cost_rows,
                    r.airflow_runs,
                    r.checks,
                    r.requirements,
                    r.alerts,
                    started.elapsed().as_secs_f64(),
                    if r.replaced > 0 { ", replacing the earlier demo" } else { "" },
                );
            })
    };
    store.close().await;
    result
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    let (store, applied) = app::open_store(config).await?;
    println!(
        "applied {applied} migration(s); the {} schema at {} is current",
        store.backend(),
        config.database.url
    );
    store.close().await;
    Ok(())
}

/// `doberman sql-tables`: one output line per input line, in order; a bad line gets an error line.
fn sql_tables() -> ExitCode {
    use std::io::{BufRead, Write};
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for input in std::io::stdin().lock().lines() {
        let Ok(input) = input else {
            eprintln!("doberman: stdin is not UTF-8 text");
            return ExitCode::FAILURE;
        };
        if input.trim().is_empty() {
            continue;
        }
        let line = serde_json::to_string(&crate::sql::line(&input)).unwrap_or_default();
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `doberman card …`: no database, no runtime.
fn run_card(command: &CardCommand) -> ExitCode {
    if let CardCommand::Labels { locale } = command {
        println!("{}", crate::i18n::labels(*locale));
        return ExitCode::SUCCESS;
    }
    let CardCommand::Render {
        name,
        template,
        data,
        validate,
        locale,
    } = command
    else {
        match cards::catalog() {
            Ok(catalog) => {
                catalog.names().for_each(|name| println!("{name}"));
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("doberman: {e}");
                return ExitCode::FAILURE;
            }
        }
    };
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let result = (|| -> Result<serde_json::Value, String> {
        let data: serde_json::Value = match data {
            Some(path) => serde_json::from_str(&read(path)?)
                .map_err(|e| format!("{}: not JSON: {e}", path.display()))?,
            None => serde_json::json!({}),
        };
        let data = cards::views::with_labels(data, *locale);
        match (name, template) {
            (Some(name), _) => cards::render(name, &data).map_err(|e| e.to_string()),
            (None, Some(path)) => {
                let template = Template::from_json(&read(path)?)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let card = template
                    .expand(&data)
                    .map_err(|e| format!("cannot expand: {e}"))?;
                Ok(cards::kit::fit(card))
            }
            (None, None) => Err("name a card or give --template".to_owned()),
        }
    })();
    match result {
        Ok(card) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&card).unwrap_or_default()
            );
            let problems = if *validate {
                cards::kit::problems(&card)
            } else {
                Vec::new()
            };
            for problem in &problems {
                eprintln!("doberman: card problem: {problem}");
            }
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("doberman: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn ask(
    config: &Config,
    text: &str,
    json: bool,
    lang: crate::i18n::Lang,
) -> anyhow::Result<()> {
    let (store, _) = app::open_store(config).await?;
    // Nothing is sent from here: the connector is never used by a command's answer.
    let connector = ConnectorClient::new(
        reqwest::Client::new(),
        None,
        ServiceUrlPolicy::new(Vec::new(), false),
        RetryPolicy::default(),
    );
    let settings = crate::chat::Settings {
        started_at: None,
        ..crate::chat::Settings::from_config(config)
    };
    let chat = Chat::new(store.clone(), Arc::new(connector), Vec::new())
        .with_settings(settings)
        .with_checker(crate::checks::checker(config, &store));
    let caller = Caller::new(Scope::Personal, true).in_lang(lang);
    let reply = chat.run_command(text, &caller).await;
    store.close().await;
    let mistake = reply.is_mistake();
    match (reply, json) {
        (reply, true) => println!("{}", serde_json::to_string_pretty(&reply.to_json())?),
        (Reply::Text(text), false) => println!("{}", cards::kit::unmarked(&text)),
        (Reply::Card(card), false) => {
            println!("{}", cards::kit::unmarked(&cards::kit::to_text(&card)));
        }
    }
    if mistake {
        // Scripts see that the question was not understood; the answer above says why.
        anyhow::bail!(AskedAMistake);
    }
    Ok(())
}

/// `ask` was given something Doberman does not understand; its answer is already printed.
#[derive(Debug, thiserror::Error)]
#[error("the answer above is a mistake card")]
pub struct AskedAMistake;

/// Logs go to stderr (stdout is for command output), filtered by `RUST_LOG` (default `info`, with the scheduler
/// crate's own start-up chatter at `warn`).
fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tokio_cron_scheduler=warn,aws_config=error"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
