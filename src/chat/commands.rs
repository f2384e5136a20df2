//! Every command Doberman understands, declared once: its names, arguments, help, where it may be used, and its
//! handler, which takes its arguments typed ([`FromArgs`]). Help, usage errors, "did you mean" and the Teams
//! manifest's command lists are generated from these declarations, and the chat logic routes by them.
//!
//! Adding a command: its handler (a type implementing [`Command`], in the file of its family) and one entry in
//! [`COMMANDS`].

use std::future::Future;

use futures_util::future::BoxFuture;

use super::{Caller, Chat, Reply};
use crate::store::StoreError;

/// Where a command may be used: the Teams manifest's scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A 1:1 chat with Doberman.
    Personal,
    /// A channel of a team.
    Team,
    /// A group chat.
    GroupChat,
}

impl Scope {
    /// The manifest's name for the scope.
    pub fn manifest_name(self) -> &'static str {
        match self {
            Scope::Personal => "personal",
            Scope::Team => "team",
            Scope::GroupChat => "groupChat",
        }
    }

    /// How people call it.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Personal => "personal chat",
            Scope::Team => "channels",
            Scope::GroupChat => "group chats",
        }
    }
}

/// Every scope.
pub const ALL_SCOPES: &[Scope] = &[Scope::Personal, Scope::Team, Scope::GroupChat];

/// One argument of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    /// Its name in usage lines.
    pub name: &'static str,
    /// Whether the command needs it.
    pub required: bool,
    /// Whether it takes every remaining word (only the last argument).
    pub rest: bool,
    /// What it is.
    pub help: &'static str,
}

/// A command, declared once.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// What runs it.
    pub handler: &'static dyn Handler,
    /// The name people type; may be several words (`catalog table`).
    pub name: &'static str,
    /// Other names, Korean ones included.
    pub aliases: &'static [&'static str],
    /// Arguments, in order.
    pub args: &'static [ArgSpec],
    /// One line: what it does (also the manifest's description, ≤ 128 characters).
    pub summary: &'static str,
    /// More about it, for `help <command>`.
    pub help: &'static str,
    /// Complete example invocations.
    pub examples: &'static [&'static str],
    /// Where it may be used.
    pub scopes: &'static [Scope],
    /// Only for `teams.admins`.
    pub admin: bool,
}

impl CommandSpec {
    /// `name <required> [optional]`.
    pub fn usage(&self) -> String {
        let mut usage = self.name.to_owned();
        for arg in self.args {
            let dots = if arg.rest { "…" } else { "" };
            if arg.required {
                usage.push_str(&format!(" <{}{dots}>", arg.name));
            } else {
                usage.push_str(&format!(" [{}{dots}]", arg.name));
            }
        }
        usage
    }

    /// The name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name).chain(self.aliases.iter().copied())
    }
}

impl PartialEq for CommandSpec {
    fn eq(&self, other: &CommandSpec) -> bool {
        self.name == other.name
    }
}

impl Eq for CommandSpec {}

/// What a command's handler is given: the chat logic (its store, settings and services), who asks, and the
/// command's declaration.
pub struct Context<'a> {
    /// The chat logic.
    pub chat: &'a Chat,
    /// Who asks, and where.
    pub caller: &'a Caller,
    /// The command being run.
    pub spec: &'static CommandSpec,
}

/// A command's arguments as parsed from the text: one value per declared argument, `None` for an absent optional.
pub type RawArgs = Vec<Option<String>>;

/// A command's arguments, typed. Parsed before the handler runs; a problem is answered with the command's usage.
pub trait FromArgs: Sized + Send {
    /// The typed arguments, or what is wrong with them.
    fn from_args(args: RawArgs) -> Result<Self, String>;
}

impl FromArgs for () {
    fn from_args(_: RawArgs) -> Result<(), String> {
        Ok(())
    }
}

/// The first argument, if given.
impl FromArgs for Option<String> {
    fn from_args(args: RawArgs) -> Result<Option<String>, String> {
        Ok(args.into_iter().next().flatten())
    }
}

/// The words of the first argument (empty when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words(pub String);

impl FromArgs for Words {
    fn from_args(args: RawArgs) -> Result<Words, String> {
        Ok(Words(first(args)))
    }
}

/// The first argument, empty when absent.
pub fn first(args: RawArgs) -> String {
    args.into_iter().next().flatten().unwrap_or_default()
}

/// A command's handler, with its typed arguments. User mistakes are replies (`Ok`); `Err` is an internal
/// failure, logged, and answered with a generic reply.
pub trait Command: Sync + 'static {
    /// Its arguments.
    type Args: FromArgs;

    /// Answers `args` in `cx`.
    fn run(
        &self,
        cx: &Context<'_>,
        args: Self::Args,
    ) -> impl Future<Output = Result<Reply, StoreError>> + Send;
}

/// A [`Command`] behind a pointer: what a declaration holds.
pub trait Handler: Sync {
    /// Parses `args` and runs the command.
    fn call<'a>(
        &'a self,
        cx: &'a Context<'a>,
        args: RawArgs,
    ) -> BoxFuture<'a, Result<Reply, StoreError>>;
}

impl<C: Command> Handler for C {
    fn call<'a>(
        &'a self,
        cx: &'a Context<'a>,
        args: RawArgs,
    ) -> BoxFuture<'a, Result<Reply, StoreError>> {
        Box::pin(async move {
            match C::Args::from_args(args) {
                Ok(args) => self.run(cx, args).await,
                Err(problem) => Ok(super::help::usage(cx.spec, &problem)),
            }
        })
    }
}

impl std::fmt::Debug for dyn Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handler")
    }
}

/// Every command, most useful first (the manifest lists the first ten per scope).
pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        handler: &super::help::Help,
        name: "help",
        aliases: &["도움말", "도움", "헬프", "?", "명령어"],
        args: &[ArgSpec {
            name: "command",
            required: false,
            rest: true,
            help: "a command to explain",
        }],
        summary: "What Doberman can do, or how to use one command",
        help: "Without a command, lists everything you can ask. With one, explains it: its arguments, other \
               names and examples.",
        examples: &["help", "help conversations", "도움말"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::catalog::Table,
        name: "catalog table",
        aliases: &["테이블", "카탈로그 테이블", "table", "describe"],
        args: &[ArgSpec {
            name: "db.table",
            required: true,
            rest: false,
            help: "a table: db.table, or just its name",
        }],
        summary: "A table's columns, partitions, location, format, how fresh its data is and who reads it",
        help: "Shows a Glue table as the catalog collector last saw it: columns with types and comments (🔑 marks \
               partition keys), location, format, partitions and the newest one, when its data last changed, and \
               the Athena work groups that used it most in the last 30 days. A name that is not exact gets the \
               close matches; one close match is shown directly.",
        examples: &[
            "catalog table sales.orders",
            "catalog table orders",
            "테이블 판매.주문",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::catalog::Search,
        name: "catalog search",
        aliases: &["검색", "카탈로그 검색", "search", "find"],
        args: &[ArgSpec {
            name: "words",
            required: true,
            rest: true,
            help: "words of table or column names or comments (Korean too)",
        }],
        summary: "Find tables by words in their names, column names and comments, most used first",
        help: "Finds tables with every word you give at the start of a word in the database or table name, a \
               column name, a column comment or the description (Korean compounds match by their parts too). Name \
               matches come first, then columns, then comments; ties by Athena use in the last 30 days.",
        examples: &[
            "catalog search customer",
            "catalog search order date",
            "검색 주문",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::catalog::Database,
        name: "catalog db",
        aliases: &[
            "catalog database",
            "데이터베이스",
            "카탈로그 데이터베이스",
            "database",
        ],
        args: &[ArgSpec {
            name: "name",
            required: true,
            rest: false,
            help: "a Glue database",
        }],
        summary: "A database's tables with how fresh each one's data is and how much it is queried",
        help: "Lists the tables of a Glue database (in every configured account and region) by name, with their \
               format, partitions, when their data last changed and their Athena queries in the last 30 days.",
        examples: &["catalog db sales", "데이터베이스 판매"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::top::Top {
            per_database: false,
        },
        name: "top tables",
        aliases: &["인기 테이블", "top table"],
        args: &[ArgSpec {
            name: "options",
            required: false,
            rest: true,
            help: "7d (default), 30d or 90d; db <name>; by queries (default) or by scanned",
        }],
        summary: "The tables queried most in Athena, with bytes scanned and the trend",
        help: "Ranks tables by the Athena queries that read or wrote them (or by the bytes those queries scanned) \
               over the last 7, 30 or 90 days, in one database or all, against the period before.",
        examples: &[
            "top tables",
            "top tables 30d db sales",
            "top tables by scanned",
            "인기 테이블 30일",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::top::Top { per_database: true },
        name: "top databases",
        aliases: &["인기 데이터베이스", "top database", "top dbs"],
        args: &[ArgSpec {
            name: "options",
            required: false,
            rest: true,
            help: "7d (default), 30d or 90d; by queries (default) or by scanned",
        }],
        summary: "The databases queried most in Athena, with bytes scanned and the trend",
        help: "Ranks databases by the Athena queries that used their tables over the last 7, 30 or 90 days.",
        examples: &[
            "top databases",
            "top databases 90d by scanned",
            "인기 데이터베이스",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::cost::Cost,
        name: "cost",
        aliases: &["비용", "costs"],
        args: &[ArgSpec {
            name: "period and grouping",
            required: false,
            rest: true,
            help: "this month (default), last month, today or YYYY-MM; by service (default) or by account",
        }],
        summary: "AWS cost: month to date against last month, projection, top services or accounts, movers",
        help: "Amortized AWS cost from the Cost and Usage Report, for every account the report covers. This month \
               is compared with the same days of last month and projected from the last seven days; other months \
               with the month before; today with the day before and the two weeks before it.",
        examples: &[
            "cost",
            "cost last month by account",
            "cost 2026-10",
            "비용 지난달 계정별",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::navigate::Navigate,
        name: "navigate",
        aliases: &[
            "nav",
            "where",
            "where is",
            "네비게이션",
            "내비게이션",
            "어디에",
            "어디",
        ],
        args: &[ArgSpec {
            name: "word",
            required: false,
            rest: true,
            help: "a metric, table, team or keyword (Korean too); none shows the whole index",
        }],
        summary: "Which metric lives where: the dashboards, tables, channels and owners of each, by topic",
        help: "The team's navigation document (navigate.file) plus Doberman's own tables and dashboards. Without a \
               word, the index by group; with words, the entries whose title, keywords, description, places or \
               owner mention them, title and keyword hits first.",
        examples: &[
            "navigate",
            "navigate revenue",
            "어디에 비용",
            "내비게이션 매출",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::airflow::Board,
        name: "airflow",
        aliases: &["에어플로우"],
        args: &[],
        summary: "Today's Airflow board: failed, late, running and succeeded DAGs, the worst first",
        help: "Shows each DAG that is on (not paused) by its latest run that is not a backfill: failed ones with \
               their failed tasks and log links, late ones (their next run was due more than airflow.late_after \
               ago and not created), running ones, then the rest; files that fail to import; and today's runs.",
        examples: &["airflow", "에어플로우"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::airflow::Failed,
        name: "airflow failed",
        aliases: &["에어플로우 실패", "실패"],
        args: &[ArgSpec {
            name: "24h|7d",
            required: false,
            rest: false,
            help: "the last 24 hours (the default) or 7 days",
        }],
        summary: "Airflow DAG runs that failed, with their failed tasks, tries and log links",
        help: "Lists the DAG runs that failed in the last 24 hours (or 7 days), newest first, each with the tasks \
               that failed, their try numbers and a link to the log; backfills are marked.",
        examples: &["airflow failed", "airflow failed 7d", "실패 7일"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::airflow::Heatmap,
        name: "airflow heatmap",
        aliases: &["에어플로우 히트맵", "히트맵", "시간표"],
        args: &[
            ArgSpec {
                name: "7d|30d",
                required: false,
                rest: false,
                help: "the last 7 days (the default) or 30 days",
            },
            ArgSpec {
                name: "instance",
                required: false,
                rest: false,
                help: "one Airflow instance (default: all)",
            },
        ],
        summary: "The Airflow schedule heatmap: when in the week DAGs run and for how long",
        help: "Draws the DAG runs (not backfills) in progress in each hour of each weekday over the last 7 (or 30) \
               days, in schedule.timezone: each cell's colour is the run minutes, its number the runs. The busiest \
               hours are named under it. Shows where the scheduler is crowded and where a new DAG fits.",
        examples: &[
            "airflow heatmap",
            "airflow heatmap 30d",
            "히트맵 30일",
            "시간표 prod",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::airflow::Dag,
        name: "airflow dag",
        aliases: &["에어플로우 dag", "dag"],
        args: &[ArgSpec {
            name: "dag_id",
            required: true,
            rest: false,
            help: "the DAG's id, as Airflow shows it",
        }],
        summary: "One Airflow DAG: schedule, owners, next run, its last runs with durations and the trend",
        help: "Shows a DAG's schedule, owners and next run, its last 10 runs with their durations and failed \
               tasks, and how long its recent successful runs take against the ones before.",
        examples: &["airflow dag orders_daily", "dag 주문_적재"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::checks::Board,
        name: "checks",
        aliases: &["정합성", "검증", "품질"],
        args: &[],
        summary: "Today's data checks (정합성): failing first, then passed, by table",
        help: "Lists every data check (checks.dir, and Glue Data Quality rulesets when read) by its latest \
               result: failed ones with the numbers of each side, those that could not run (a timeout, a refused \
               query), those not run yet, then the ones that passed.",
        examples: &["checks", "정합성", "품질"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::checks::Run,
        name: "check run",
        aliases: &["정합성 실행", "검증 실행"],
        args: &[ArgSpec {
            name: "name",
            required: true,
            rest: true,
            help: "the check's name, as in its file",
        }],
        summary: "Run a data check now and show what it found (admins)",
        help: "Runs the check for the day its schedule would check now (yesterday, for most), records the result \
               (replacing that day's) and shows its history. Its alert card follows at the next evaluation.",
        examples: &[
            "check run orders: ERP vs lake, yesterday",
            "정합성 실행 orders: ERP vs lake, yesterday",
        ],
        scopes: ALL_SCOPES,
        admin: true,
    },
    CommandSpec {
        handler: &super::checks::Check,
        name: "check",
        aliases: &["정합성 체크", "검증 결과"],
        args: &[ArgSpec {
            name: "name or table",
            required: true,
            rest: true,
            help: "a check's name, or a table as database.table for all of its checks",
        }],
        summary: "One data check's history with the numbers of each side, or a table's checks",
        help: "For a check: its last 14 days with the number each side gave and the difference, where it runs, \
               and its last failure's message. For a table (database.table): each of its checks by latest result.",
        examples: &[
            "check orders: ERP vs lake, yesterday",
            "check sales.orders",
            "정합성 체크 sales.orders",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::status::Status,
        name: "status",
        aliases: &["상태", "health"],
        args: &[],
        summary: "Is Doberman well: version, uptime, each job's last run, how fresh each kind of data is",
        help: "Shows the version and uptime, the last run of every collector with its result, and when the \
               catalog, the query history and the cost facts were last written, flagging what is more than two \
               of its job's periods behind.",
        examples: &["status", "상태"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::requests::List,
        name: "requests",
        aliases: &["요청", "요청 목록"],
        args: &[ArgSpec {
            name: "open|mine|all",
            required: false,
            rest: false,
            help: "which: open (the default), mine (asked by or assigned to you) or all",
        }],
        summary: "Requirements from the request channel: open ones, yours, or all",
        help: "Lists the requirements of the request channel, newest first: by default those not done, rejected \
               or deleted; `mine` those you asked for or work on; `all` every one (the latest 50).",
        examples: &["requests", "requests mine", "요청 all"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::requests::Show,
        name: "request",
        aliases: &["req", "요청 상세"],
        args: &[
            ArgSpec {
                name: "REQ-n",
                required: true,
                rest: false,
                help: "a requirement, e.g. REQ-12",
            },
            ArgSpec {
                name: "accept|start|done|reject <reason>|assign me|@person",
                required: false,
                rest: true,
                help: "a change",
            },
        ],
        summary: "A requirement's details and history, or change it: accept, start, done, reject, assign",
        help: "Without a change, shows the requirement with its comments and history. `accept`, `start` and \
               `done` move it on, `reject <reason>` closes it with the reason, `assign me` or `assign @person` \
               says who works on it. The card in its thread is updated and its author is told there.",
        examples: &[
            "request REQ-12",
            "request REQ-12 accept",
            "request REQ-12 reject 이미 대시보드가 있습니다",
            "request 12 assign me",
        ],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::alerts::Subscriptions,
        name: "subscriptions",
        aliases: &["구독 목록", "alerts"],
        args: &[],
        summary: "Which alert topics this chat or channel receives, and which are muted",
        help: "Lists the topics sent here (jobs, freshness, cost, athena, airflow, quality, heartbeat), the topics muted and until \
               when, and the alerts firing now.",
        examples: &["subscriptions", "구독 목록"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::alerts::Subscription { on: true },
        name: "subscribe",
        aliases: &["구독"],
        args: &[ArgSpec {
            name: "topic",
            required: true,
            rest: false,
            help: "jobs, freshness, cost, athena, airflow, quality or heartbeat",
        }],
        summary: "Send this chat or channel a topic's alerts: jobs, freshness, cost, athena, airflow, quality, heartbeat",
        help: "From now on alerts of the topic come here as cards, one per problem, updated in place as it goes on \
               and when it resolves. `heartbeat` is the morning card saying Doberman is alive. In channels and \
               group chats only Doberman's admins may subscribe; in your personal chat anyone may.",
        examples: &["subscribe freshness", "subscribe heartbeat", "구독 cost"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::alerts::Subscription { on: false },
        name: "unsubscribe",
        aliases: &["구독 취소", "구독취소"],
        args: &[ArgSpec {
            name: "topic",
            required: true,
            rest: false,
            help: "a topic this chat or channel receives",
        }],
        summary: "Stop sending this chat or channel a topic's alerts",
        help: "Cards already posted stay (and are still updated); no new ones come. Same permissions as \
               `subscribe`.",
        examples: &["unsubscribe cost", "구독 취소 athena"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::alerts::Mute,
        name: "mute",
        aliases: &["음소거"],
        args: &[
            ArgSpec {
                name: "topic",
                required: true,
                rest: false,
                help: "jobs, freshness, cost, athena, airflow or quality",
            },
            ArgSpec {
                name: "duration",
                required: true,
                rest: false,
                help: "how long, e.g. 30m, 2h, 1d (at most 7d)",
            },
        ],
        summary: "Post no new alert cards of a topic for a while, everywhere (alerts are still recorded; admins)",
        help: "While a topic is muted no new card of it is posted anywhere; Doberman still records its alerts, and \
               cards still open when the mute ends are posted then. A card's own Mute button mutes just that card. \
               A mute applies in every chat and channel, so it is for admins; to stop a topic reaching you, \
               `unsubscribe` it.",
        examples: &["mute freshness 2h", "음소거 cost 1d"],
        scopes: ALL_SCOPES,
        admin: true,
    },
    CommandSpec {
        handler: &super::alerts::Unmute,
        name: "unmute",
        aliases: &["음소거 해제"],
        args: &[ArgSpec {
            name: "topic",
            required: true,
            rest: false,
            help: "a muted topic",
        }],
        summary: "End a topic's mute (admins)",
        help: "Alerts of the topic are posted again from the next evaluation on.",
        examples: &["unmute freshness", "음소거 해제 cost"],
        scopes: ALL_SCOPES,
        admin: true,
    },
    CommandSpec {
        handler: &super::conversations::List,
        name: "conversations",
        aliases: &["대화목록", "installations"],
        args: &[],
        summary: "Where Doberman is installed and may post (admins)",
        help: "Lists the chats and channels Doberman has heard from, with the team and channel names, and whether \
               it may still post there.",
        examples: &["conversations", "대화목록"],
        scopes: ALL_SCOPES,
        admin: true,
    },
    CommandSpec {
        handler: &super::requests::Here,
        name: "requests here",
        aliases: &["요청 채널"],
        args: &[],
        summary: "Make this channel the request channel: every message becomes a tracked requirement (admins)",
        help: "From now on every new message in this channel becomes a requirement (REQ-1, REQ-2, …) that Doberman \
               answers in its thread with a card; replies become its comments, and edits and deletions are kept. \
               Messages that @mention Doberman stay commands. The team needs Doberman installed with its \
               permission to read channel messages (the app package asks for it).",
        examples: &["requests here", "요청 채널"],
        scopes: &[Scope::Team],
        admin: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn declarations_are_consistent() {
        let mut seen = HashSet::new();
        for command in COMMANDS {
            for name in command.names() {
                assert!(
                    seen.insert(name.to_lowercase()),
                    "`{name}` names two commands (or twice one)"
                );
                assert_eq!(name, name.trim(), "`{name}` has stray spaces");
            }
            assert!(
                command.summary.chars().count() <= 128,
                "{}: summary too long for the manifest",
                command.name
            );
            assert!(
                !command.examples.is_empty(),
                "{}: give an example",
                command.name
            );
            assert!(
                !command.scopes.is_empty(),
                "{}: allowed nowhere",
                command.name
            );
            for (i, arg) in command.args.iter().enumerate() {
                assert!(
                    !arg.rest || i == command.args.len() - 1,
                    "{}: only the last argument takes the rest",
                    command.name
                );
            }
            let required_after_optional = command
                .args
                .windows(2)
                .any(|w| !w[0].required && w[1].required);
            assert!(
                !required_after_optional,
                "{}: a required argument follows an optional one",
                command.name
            );
        }
    }

    #[test]
    fn topic_lists_in_help_name_every_topic_that_applies() {
        use crate::config::alerts::Topic;
        let spec = |name: &str| COMMANDS.iter().find(|c| c.name == name).unwrap();
        for (text, topics) in [
            (spec("subscribe").summary, Topic::ALL.to_vec()),
            (spec("subscribe").args[0].help, Topic::ALL.to_vec()),
            (spec("subscriptions").help, Topic::ALL.to_vec()),
            (
                spec("mute").args[0].help,
                Topic::ALL.into_iter().filter(|t| t.mutable()).collect(),
            ),
        ] {
            for topic in Topic::ALL {
                assert_eq!(
                    text.contains(topic.name()),
                    topics.contains(&topic),
                    "`{topic}` in {text:?}"
                );
            }
        }
    }

    #[test]
    fn usage_lines_are_generated() {
        let help = COMMANDS.iter().find(|c| c.name == "help").unwrap();

        assert_eq!(help.usage(), "help [command…]");
    }
}
