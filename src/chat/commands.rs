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

/// What kind of value an argument is: how it is found in what people type ([`super::understand`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// Taken as typed.
    Verbatim,
    /// Words of the person's own (search words, a topic), particles and fillers cut.
    Words,
    /// A command's name (`help cost`).
    CommandName,
    /// A table: `db.table`, or a name (Korean words too).
    Table,
    /// A data check's name or a `db.table`.
    CheckTarget,
    /// A data check's name.
    CheckName,
    /// A Glue database.
    Database,
    /// `cost`'s period and grouping.
    CostOptions,
    /// The rankings' window, order and database.
    TopOptions,
    /// The databases' ranking: window and order.
    DbTopOptions,
    /// `airflow failed`'s window: a day or a week.
    FailedWindow,
    /// The heatmap's window: a week or a month.
    HeatmapWindow,
    /// An Airflow instance.
    Instance,
    /// A DAG id.
    Dag,
    /// Which requirements: open, mine, all.
    Which,
    /// A requirement's number.
    RequestId,
    /// A change of a requirement.
    Change,
    /// An alert topic.
    Topic,
    /// A duration: `30m`, `2h`, `1d`.
    Duration,
    /// A language: `ko`, `en`.
    Language,
}

/// One argument of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    /// Its name in usage lines.
    pub name: &'static str,
    /// What kind of value it is, for reading it from people's words.
    pub kind: ArgKind,
    /// Whether the command needs it.
    pub required: bool,
    /// Whether it takes every remaining word (only the last argument).
    pub rest: bool,
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
    /// Phrases that ask for it in people's words, in either language, found anywhere in a message
    /// (`얼마 썼`, `spend`), besides its names.
    pub says: &'static [&'static str],
    /// Words of what it is about, weaker evidence shared by several commands (`테이블`, `table`).
    pub about: &'static [&'static str],
    /// Arguments, in order. Their words, and the command's summary and help, are in the catalogs
    /// (`locales/*/commands.ftl`: `cmd-<name>-summary`, `cmd-<name>-help`, `cmd-<name>-arg<N>`).
    pub args: &'static [ArgSpec],
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
            // The placeholder in the reader's language; the literal words in it (`7d|30d`) stay as typed.
            let key: String = arg
                .name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let name = crate::t!("cmd-arg-name", key = key, name = arg.name);
            if arg.required {
                usage.push_str(&format!(" <{name}{dots}>"));
            } else {
                usage.push_str(&format!(" [{name}{dots}]"));
            }
        }
        usage
    }

    /// Its id in the catalogs: the name with hyphens (`catalog-table`).
    fn message_id(&self, what: &str) -> String {
        format!("cmd-{}-{what}", self.name.replace(' ', "-"))
    }

    /// One line: what it does, in the current language (also the manifest's description, ≤ 128 characters).
    pub fn summary(&self) -> String {
        crate::t!(&self.message_id("summary"))
    }

    /// More about it, for `help <command>`, in the current language.
    pub fn help(&self) -> String {
        crate::t!(&self.message_id("help"))
    }

    /// What its argument `index` (from 0) is, in the current language.
    pub fn arg_help(&self, index: usize) -> String {
        crate::t!(&self.message_id(&format!("arg{}", index + 1)))
    }

    /// The name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name).chain(self.aliases.iter().copied())
    }
}

/// Every name of every command as lower-cased words: the command's index in [`COMMANDS`], the name, its words.
/// Built once: every message is matched against them.
pub fn name_words() -> &'static [(usize, &'static str, Vec<String>)] {
    static NAME_WORDS: std::sync::LazyLock<Vec<(usize, &'static str, Vec<String>)>> =
        std::sync::LazyLock::new(|| {
            COMMANDS
                .iter()
                .enumerate()
                .flat_map(|(i, spec)| spec.names().map(move |name| (i, name)))
                .map(|(i, name)| {
                    let words = name
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase)
                        .collect();
                    (i, name, words)
                })
                .collect()
        });
    &NAME_WORDS
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
        says: &[
            "what can you do",
            "뭐 할 수 있어",
            "할 수 있는",
            "사용법",
            "어떻게 써",
            "어떻게 쓰",
            "어떻게 하는",
            "how do i use",
            "how to use",
            "how do i",
            "명령어 목록",
            "뭐하는",
            "hello",
            "hi",
            "안녕",
            "안녕하세요",
            "처음",
            "바꾸는 법",
            "쓰는 법",
            "command",
            "usage",
        ],
        about: &[],
        args: &[ArgSpec {
            name: "command",
            kind: ArgKind::CommandName,
            required: false,
            rest: true,
        }],
        examples: &["help", "help conversations", "도움말"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::catalog::Table,
        name: "catalog table",
        aliases: &["테이블", "카탈로그 테이블", "table", "describe"],
        says: &[
            "정보",
            "컬럼",
            "columns",
            "스키마",
            "schema",
            "구조",
            "파티션",
            "partition",
            "partitions",
            "partition keys",
            "파티션 키",
            "위치",
            "경로",
            "location",
            "stored",
            "s3",
            "포맷",
            "format",
            "describe",
            "설명",
            "상세",
            "최신이야",
            "최신 날짜",
            "마지막 갱신",
            "마지막 update",
            "언제 업데이트",
            "업데이트됐어",
            "업데이트 돼",
            "적재됐어",
            "갱신",
            "fresh",
            "신선도 어때",
            "table info",
            "table details",
            "tell me about",
            "컬럼 type",
            "type",
            "parquet",
            "details",
        ],
        about: &["테이블", "table"],
        args: &[ArgSpec {
            name: "db.table",
            kind: ArgKind::Table,
            required: true,
            rest: false,
        }],
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
        says: &[
            "찾아줘",
            "찾아",
            "찾아주세요",
            "찾아봐",
            "검색해줘",
            "search",
            "find",
            "look up",
            "어디 있어",
            "어디 있나",
            "어딨음",
            "어딨어",
            "어느 테이블",
            "which table",
            "containing",
            "any tables about",
            "tables about",
            "tables with",
            "tables for",
            "관련",
            "관련된",
            "관련 table",
            "컬럼 있는 테이블",
            "컬럼 있는",
            "where are the",
        ],
        about: &["테이블", "table", "tables", "컬럼", "column"],
        args: &[ArgSpec {
            name: "words",
            kind: ArgKind::Words,
            required: true,
            rest: true,
        }],
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
        says: &[
            "뭐뭐 있어",
            "테이블 목록",
            "테이블 리스트",
            "tables in",
            "list tables",
            "what's in",
            "안에",
            "어떤 테이블들",
            "테이블 전부",
            "있는 테이블",
            "에 있는 테이블",
            "몇 개",
            "구성",
            "show database",
        ],
        about: &[
            "테이블",
            "table",
            "tables",
            "db",
            "dbs",
            "디비",
            "데이터베이스",
            "database",
            "databases",
        ],
        args: &[ArgSpec {
            name: "name",
            kind: ArgKind::Database,
            required: true,
            rest: false,
        }],
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
        says: &[
            "가장 많이",
            "제일 많이",
            "많이 쓰는",
            "많이 쓴",
            "자주 쓰는",
            "자주",
            "인기",
            "인기 있는",
            "most used",
            "most popular",
            "popular",
            "most queried",
            "query the most",
            "heaviest",
            "hot",
            "핫한",
            "top",
            "순위",
            "랭킹",
            "사용량",
            "제일 많이 읽는",
            "가장 많이 읽는",
            "많이 조회",
        ],
        about: &["테이블", "table", "tables"],
        args: &[ArgSpec {
            name: "options",
            kind: ArgKind::TopOptions,
            required: false,
            rest: true,
        }],
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
        says: &[
            "가장 많이",
            "제일 많이",
            "많이 쓰는",
            "인기",
            "most used",
            "most popular",
            "popular",
            "top",
            "순위",
            "사용량",
            "많이 쓰여",
        ],
        about: &["db", "dbs", "디비", "데이터베이스", "database", "databases"],
        args: &[ArgSpec {
            name: "options",
            kind: ArgKind::DbTopOptions,
            required: false,
            rest: true,
        }],
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
        says: &[
            "spend",
            "spent",
            "얼마 썼",
            "얼마나 나와",
            "얼마 나왔",
            "요금",
            "청구",
            "청구 금액",
            "bill",
            "aws bill",
            "돈",
            "돈 얼마",
            "비싼",
            "costs the most",
            "cost the most",
            "누적 비용",
            "얼마 나갔",
        ],
        about: &[],
        args: &[ArgSpec {
            name: "period and grouping",
            kind: ArgKind::CostOptions,
            required: false,
            rest: true,
        }],
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
        says: &[
            "어디서 봐",
            "어디서 봐요",
            "어디서 보나요",
            "어디서 확인",
            "어디서 볼 수",
            "어디 있어",
            "어디야",
            "어디 있나요",
            "where can i find",
            "where do i look",
            "where is",
            "where's",
            "which dashboard",
            "대시보드",
            "dashboard",
            "dashboards",
            "지표",
            "metric",
            "링크",
            "리포트",
        ],
        about: &[],
        args: &[ArgSpec {
            name: "word",
            kind: ArgKind::Words,
            required: false,
            rest: true,
        }],
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
        says: &["dag 상태", "dags doing", "board", "현황", "돌아가는"],
        about: &["dag", "dags"],
        args: &[],
        examples: &["airflow", "에어플로우"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::airflow::Failed,
        name: "airflow failed",
        aliases: &["에어플로우 실패", "실패"],
        says: &[
            "실패한",
            "실패",
            "터진",
            "fail",
            "failed",
            "failures",
            "failure",
            "깨진",
        ],
        about: &["dag", "dags"],
        args: &[ArgSpec {
            name: "24h|7d",
            kind: ArgKind::FailedWindow,
            required: false,
            rest: false,
        }],
        examples: &["airflow failed", "airflow failed 7d", "실패 7일"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::airflow::Heatmap,
        name: "airflow heatmap",
        aliases: &["에어플로우 히트맵", "히트맵", "시간표"],
        says: &[
            "heatmap",
            "히트맵",
            "시간표",
            "시간대",
            "요일별",
            "when do dags run",
            "during the week",
        ],
        about: &["dag", "dags"],
        args: &[
            ArgSpec {
                name: "7d|30d",
                kind: ArgKind::HeatmapWindow,
                required: false,
                rest: false,
            },
            ArgSpec {
                name: "instance",
                kind: ArgKind::Instance,
                required: false,
                rest: false,
            },
        ],
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
        says: &[
            "다음 실행",
            "실행 기록",
            "스케줄",
            "오래 걸려",
            "어떻게 됐어",
            "show dag",
            "왜",
        ],
        about: &["dag"],
        args: &[ArgSpec {
            name: "dag_id",
            kind: ArgKind::Dag,
            required: true,
            rest: false,
        }],
        examples: &["airflow dag orders_daily", "dag 주문_적재"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::checks::Board,
        name: "checks",
        aliases: &["정합성", "검증", "품질"],
        says: &[
            "data checks",
            "data check",
            "체크 결과",
            "정합성 체크 결과",
            "검증 현황",
            "검증 깨진",
            "passing",
            "현황",
        ],
        about: &[],
        args: &[],
        examples: &["checks", "정합성", "품질"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::checks::Run,
        name: "check run",
        aliases: &["정합성 실행", "검증 실행"],
        says: &["지금 돌려", "돌려줘", "run check", "run now", "실행해줘"],
        about: &[],
        args: &[ArgSpec {
            name: "name",
            kind: ArgKind::CheckName,
            required: true,
            rest: true,
        }],
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
        says: &[
            "체크 이력",
            "검증 이력",
            "이력",
            "history of check",
            "history",
            "결과",
            "check 이력",
            "정합성 체크",
            "괜찮아",
        ],
        about: &[],
        args: &[ArgSpec {
            name: "name or table",
            kind: ArgKind::CheckTarget,
            required: true,
            rest: true,
        }],
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
        says: &[
            "살아있니",
            "살아 있어",
            "are you up",
            "alive",
            "마지막으로 수집",
            "last refreshed",
            "수집된",
            "수집기",
            "잘 돌고",
            "버전",
            "version",
            "bot status",
            "봇 상태",
        ],
        about: &[],
        args: &[],
        examples: &["status", "상태"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::requests::List,
        name: "requests",
        aliases: &["요청", "요청 목록"],
        says: &["요청들", "요청 리스트"],
        about: &["요청"],
        args: &[ArgSpec {
            name: "open|mine|all",
            kind: ArgKind::Which,
            required: false,
            rest: false,
        }],
        examples: &["requests", "requests mine", "요청 all"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::requests::Show,
        name: "request",
        aliases: &["req", "요청 상세"],
        says: &["요청 상세", "어떻게 됐어", "처리해줘", "mark"],
        about: &["요청"],
        args: &[
            ArgSpec {
                name: "REQ-n",
                kind: ArgKind::RequestId,
                required: true,
                rest: false,
            },
            ArgSpec {
                name: "accept|start|done|reject <reason>|assign me|@person",
                kind: ArgKind::Change,
                required: false,
                rest: true,
            },
        ],
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
        says: &[
            "구독 중인",
            "무슨 알림",
            "알림 목록",
            "어떤 알림",
            "알림 와",
        ],
        about: &["알림"],
        args: &[],
        examples: &["subscriptions", "구독 목록"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::alerts::Subscription { on: true },
        name: "subscribe",
        aliases: &["구독"],
        says: &[
            "알림 받",
            "받을래",
            "구독해줘",
            "여기로 보내",
            "보내줘",
            "subscribe to",
            "알림도",
        ],
        about: &["알림", "alerts", "alert"],
        args: &[ArgSpec {
            name: "topic",
            kind: ArgKind::Topic,
            required: true,
            rest: false,
        }],
        examples: &["subscribe freshness", "subscribe heartbeat", "구독 cost"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::alerts::Subscription { on: false },
        name: "unsubscribe",
        aliases: &["구독 취소", "구독취소"],
        says: &["그만 보내", "그만", "구독 취소", "안 받", "끊어"],
        about: &["알림", "alerts", "alert"],
        args: &[ArgSpec {
            name: "topic",
            kind: ArgKind::Topic,
            required: true,
            rest: false,
        }],
        examples: &["unsubscribe cost", "구독 취소 athena"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::alerts::Mute,
        name: "mute",
        aliases: &["음소거"],
        says: &["꺼줘", "조용히", "잠깐 꺼", "만 꺼", "mute"],
        about: &["알림", "alerts", "alert"],
        args: &[
            ArgSpec {
                name: "topic",
                kind: ArgKind::Topic,
                required: true,
                rest: false,
            },
            ArgSpec {
                name: "duration",
                kind: ArgKind::Duration,
                required: true,
                rest: false,
            },
        ],
        examples: &["mute freshness 2h", "음소거 cost 1d"],
        scopes: ALL_SCOPES,
        admin: true,
    },
    CommandSpec {
        handler: &super::alerts::Unmute,
        name: "unmute",
        aliases: &["음소거 해제"],
        says: &["다시 켜", "켜줘", "unmute"],
        about: &["알림", "alerts", "alert"],
        args: &[ArgSpec {
            name: "topic",
            kind: ArgKind::Topic,
            required: true,
            rest: false,
        }],
        examples: &["unmute freshness", "음소거 해제 cost"],
        scopes: ALL_SCOPES,
        admin: true,
    },
    CommandSpec {
        handler: &super::conversations::List,
        name: "conversations",
        aliases: &["대화목록", "installations"],
        says: &[
            "어디어디 설치",
            "설치돼",
            "installed",
            "which chats",
            "설치된",
        ],
        about: &[],
        args: &[],
        examples: &["conversations", "대화목록"],
        scopes: ALL_SCOPES,
        admin: true,
    },
    CommandSpec {
        handler: &super::language::Language,
        name: "language",
        aliases: &["언어", "lang"],
        says: &[
            "말해줘",
            "말해",
            "답해줘",
            "답해",
            "바꿔줘",
            "바꿔주세요",
            "speak",
            "reply in",
            "switch to",
            "로 말해",
            "로 답해",
            "please",
        ],
        about: &[],
        args: &[ArgSpec {
            name: "ko|en|auto",
            kind: ArgKind::Language,
            required: false,
            rest: false,
        }],
        examples: &["language ko", "language en", "언어 auto"],
        scopes: ALL_SCOPES,
        admin: false,
    },
    CommandSpec {
        handler: &super::requests::Here,
        name: "requests here",
        aliases: &["요청 채널"],
        says: &[],
        about: &[],
        args: &[],
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
            for lang in crate::i18n::Lang::ALL {
                let summary = crate::i18n::sync_scope(lang, || command.summary());
                assert!(
                    summary.chars().count() <= 128,
                    "{} ({lang}): summary too long for the manifest",
                    command.name
                );
                for id in std::iter::once(command.message_id("summary"))
                    .chain(std::iter::once(command.message_id("help")))
                    .chain(
                        (0..command.args.len())
                            .map(|i| command.message_id(&format!("arg{}", i + 1))),
                    )
                {
                    assert!(
                        crate::i18n::has(lang, &id),
                        "`{id}` is not in the {lang} catalog"
                    );
                }
            }
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
        for lang in crate::i18n::Lang::ALL {
            crate::i18n::sync_scope(lang, || {
                for (text, topics) in [
                    (spec("subscribe").summary(), Topic::ALL.to_vec()),
                    (spec("subscribe").arg_help(0), Topic::ALL.to_vec()),
                    (spec("subscriptions").help(), Topic::ALL.to_vec()),
                    (
                        spec("mute").arg_help(0),
                        Topic::ALL.into_iter().filter(|t| t.mutable()).collect(),
                    ),
                ] {
                    for topic in Topic::ALL {
                        assert_eq!(
                            text.contains(topic.name()),
                            topics.contains(&topic),
                            "`{topic}` in {text:?} ({lang})"
                        );
                    }
                }
            });
        }
    }

    #[test]
    fn usage_lines_are_generated() {
        let help = COMMANDS.iter().find(|c| c.name == "help").unwrap();

        assert_eq!(help.usage(), "help [command…]");
    }
}
