//! Understanding what people type, the way they type it: the command words anywhere in the message, in either
//! order, in Korean or English or both, with particles and endings around them (은/는/이/가/을/를/의/에서/좀/줘/
//! 알려줘/보여줘/뭐야/?), spaced or not, and arguments in people's words (periods, groupings, orderings, tables,
//! topics, durations, requirement numbers).
//!
//! It stays declarative. What asks for a command lives in its declaration ([`CommandSpec::says`] and
//! [`CommandSpec::about`], besides its names); what its arguments are is [`ArgSpec::kind`]; the words of each kind
//! of argument (periods, groupings, orderings, topics, …) and the words that carry no meaning are the tables below.
//! The algorithm:
//!
//! 1. The text is cut into pieces: whitespace, then script (`service별로` is `service` + `별로`). Entities are read
//!    off whole tokens first: tables (`sales.orders`), months (`2026-10`, `10월`, `2026년 10월`, `october`), spans
//!    (`30d`, `최근 14일`, `2주간`, `last 90 days`), durations (`2h`, `30분`), requirements (`REQ-12`, `12번`),
//!    check names (`orders: fresh`).
//! 2. The other pieces are read against one vocabulary (every command's names and phrases, and the argument words),
//!    longest phrase first. Korean may match inside a word (`이번달비용`: `이번달` + `비용`), Latin only whole
//!    pieces. What is left is a word of the person's own (a search word, a table or DAG name), its particles cut;
//!    a Latin word one typo from a vocabulary word (`costt`, `tabels`) and a Korean one a letter (jamo) from one
//!    (`이번닫`, `비융`) count as that word.
//! 3. Each command scores: its names (3), phrases (2) and subject words (1) found, +1 for each kind of argument
//!    found that it takes, +2 when the message starts with one of its names; −1 for each piece it cannot explain.
//!    The best wins; a tie between commands is a question back (buttons), not a guess.
//! 4. The winner's arguments are written in the command's own syntax (`cost yesterday by team`), which its
//!    handler reads, and as JSON for `doberman ask --explain`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use super::commands::{ArgKind, COMMANDS, CommandSpec};
use crate::common::edit_distance_within;

/// A period of time, as people name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Today.
    Today,
    /// Yesterday.
    Yesterday,
    /// This week (from Monday).
    ThisWeek,
    /// Last week.
    LastWeek,
    /// This month.
    ThisMonth,
    /// Last month.
    LastMonth,
    /// This quarter.
    ThisQuarter,
    /// Last quarter.
    LastQuarter,
    /// A named month (year, month).
    Month(i32, u32),
    /// The last N days.
    LastDays(u32),
}

impl Period {
    /// `this_month`, `2026-10`, `last_7d`: its name in `--explain`.
    pub fn key(self) -> String {
        match self {
            Period::Today => "today".into(),
            Period::Yesterday => "yesterday".into(),
            Period::ThisWeek => "this_week".into(),
            Period::LastWeek => "last_week".into(),
            Period::ThisMonth => "this_month".into(),
            Period::LastMonth => "last_month".into(),
            Period::ThisQuarter => "this_quarter".into(),
            Period::LastQuarter => "last_quarter".into(),
            Period::Month(y, m) => format!("{y:04}-{m:02}"),
            Period::LastDays(n) => format!("last_{n}d"),
        }
    }

    /// As `cost` reads it: `this month`, `2026-10`, `last 7d`.
    pub fn words(self) -> String {
        match self {
            Period::Month(..) => self.key(),
            Period::LastDays(n) => format!("last {n}d"),
            other => other.key().replace('_', " "),
        }
    }

    /// The window of days that covers it, for rankings over the last N days.
    pub fn days(self) -> u32 {
        match self {
            Period::Today | Period::Yesterday => 1,
            Period::ThisWeek | Period::LastWeek => 7,
            Period::ThisMonth | Period::LastMonth | Period::Month(..) => 30,
            Period::ThisQuarter | Period::LastQuarter => 90,
            Period::LastDays(n) => n,
        }
    }
}

/// What an argument word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Asks for a command (its index in [`COMMANDS`]), with a weight.
    Command(usize, u8),
    /// A period.
    Period(Period),
    /// A cost grouping: `service`, `account`, `team`, `resource`.
    Group(&'static str),
    /// A ranking order: `queries`, `scanned`.
    Order(&'static str),
    /// An alert topic.
    Topic(&'static str),
    /// Which requirements: `open`, `mine`, `all`.
    Which(&'static str),
    /// A change of a requirement: `accept`, `start`, `done`, `reject`, `assign`.
    Change(&'static str),
    /// A language: `ko`, `en`.
    Lang(&'static str),
    /// "database": the name next to it is a database.
    DbWord,
    /// A year before this one (`작년`, `last year`) for the month named with it.
    LastYear,
    /// Says nothing here (particles, politeness, "show me").
    Filler,
}

/// The argument words, in both languages: periods, groupings, orderings, topics, requirement changes, languages.
const ARGUMENT_WORDS: &[(&str, Meaning)] = &[
    // Periods.
    ("오늘", Meaning::Period(Period::Today)),
    ("today", Meaning::Period(Period::Today)),
    ("today's", Meaning::Period(Period::Today)),
    ("오늘꺼", Meaning::Period(Period::Today)),
    ("어제", Meaning::Period(Period::Yesterday)),
    ("yesterday", Meaning::Period(Period::Yesterday)),
    ("yesterday's", Meaning::Period(Period::Yesterday)),
    ("이번 주", Meaning::Period(Period::ThisWeek)),
    ("금주", Meaning::Period(Period::ThisWeek)),
    ("this week", Meaning::Period(Period::ThisWeek)),
    ("week to date", Meaning::Period(Period::ThisWeek)),
    ("지난주", Meaning::Period(Period::LastWeek)),
    ("지난 주", Meaning::Period(Period::LastWeek)),
    ("저번 주", Meaning::Period(Period::LastWeek)),
    ("last week", Meaning::Period(Period::LastWeek)),
    ("last week's", Meaning::Period(Period::LastWeek)),
    ("이번 달", Meaning::Period(Period::ThisMonth)),
    ("이번달", Meaning::Period(Period::ThisMonth)),
    ("당월", Meaning::Period(Period::ThisMonth)),
    ("this month", Meaning::Period(Period::ThisMonth)),
    ("this month's", Meaning::Period(Period::ThisMonth)),
    ("month to date", Meaning::Period(Period::ThisMonth)),
    ("month-to-date", Meaning::Period(Period::ThisMonth)),
    ("mtd", Meaning::Period(Period::ThisMonth)),
    ("지난달", Meaning::Period(Period::LastMonth)),
    ("지난 달", Meaning::Period(Period::LastMonth)),
    ("저번 달", Meaning::Period(Period::LastMonth)),
    ("전월", Meaning::Period(Period::LastMonth)),
    ("last month", Meaning::Period(Period::LastMonth)),
    ("last month's", Meaning::Period(Period::LastMonth)),
    ("이번 분기", Meaning::Period(Period::ThisQuarter)),
    ("분기", Meaning::Period(Period::ThisQuarter)),
    ("this quarter", Meaning::Period(Period::ThisQuarter)),
    ("quarter to date", Meaning::Period(Period::ThisQuarter)),
    ("quarter-to-date", Meaning::Period(Period::ThisQuarter)),
    ("qtd", Meaning::Period(Period::ThisQuarter)),
    ("지난 분기", Meaning::Period(Period::LastQuarter)),
    ("지난분기", Meaning::Period(Period::LastQuarter)),
    ("전 분기", Meaning::Period(Period::LastQuarter)),
    ("last quarter", Meaning::Period(Period::LastQuarter)),
    ("일주일", Meaning::Period(Period::LastDays(7))),
    ("한 주", Meaning::Period(Period::LastDays(7))),
    ("a week", Meaning::Period(Period::LastDays(7))),
    ("past week", Meaning::Period(Period::LastDays(7))),
    ("한 달", Meaning::Period(Period::LastDays(30))),
    ("한달", Meaning::Period(Period::LastDays(30))),
    ("한 달치", Meaning::Period(Period::LastDays(30))),
    ("a month", Meaning::Period(Period::LastDays(30))),
    ("past month", Meaning::Period(Period::LastDays(30))),
    ("하루", Meaning::Period(Period::LastDays(1))),
    ("a day", Meaning::Period(Period::LastDays(1))),
    ("작년", Meaning::LastYear),
    ("last year", Meaning::LastYear),
    // Cost groupings.
    ("서비스별", Meaning::Group("service")),
    ("서비스 별", Meaning::Group("service")),
    ("service별", Meaning::Group("service")),
    ("by service", Meaning::Group("service")),
    ("per service", Meaning::Group("service")),
    ("by services", Meaning::Group("service")),
    ("계정별", Meaning::Group("account")),
    ("account별", Meaning::Group("account")),
    ("by account", Meaning::Group("account")),
    ("per account", Meaning::Group("account")),
    ("by accounts", Meaning::Group("account")),
    ("팀별", Meaning::Group("team")),
    ("team별", Meaning::Group("team")),
    ("by team", Meaning::Group("team")),
    ("per team", Meaning::Group("team")),
    ("리소스별", Meaning::Group("resource")),
    ("리소스", Meaning::Group("resource")),
    ("by resource", Meaning::Group("resource")),
    ("per resource", Meaning::Group("resource")),
    ("resources", Meaning::Group("resource")),
    ("resource", Meaning::Group("resource")),
    // Ranking orders.
    ("스캔량", Meaning::Order("scanned")),
    ("스캔", Meaning::Order("scanned")),
    ("scanned", Meaning::Order("scanned")),
    ("by scanned", Meaning::Order("scanned")),
    ("by scan", Meaning::Order("scanned")),
    ("by bytes", Meaning::Order("scanned")),
    ("bytes scanned", Meaning::Order("scanned")),
    ("by bytes scanned", Meaning::Order("scanned")),
    ("most scanned", Meaning::Order("scanned")),
    ("비용순", Meaning::Order("scanned")),
    ("아테나 비용", Meaning::Order("scanned")),
    ("athena 비용", Meaning::Order("scanned")),
    ("athena cost", Meaning::Order("scanned")),
    ("많이 읽는", Meaning::Order("scanned")),
    ("제일 많이 읽는", Meaning::Order("scanned")),
    ("가장 많이 읽는", Meaning::Order("scanned")),
    ("많이 조회", Meaning::Order("queries")),
    ("조회수", Meaning::Order("queries")),
    ("조회 수", Meaning::Order("queries")),
    ("쿼리 수", Meaning::Order("queries")),
    ("쿼리수", Meaning::Order("queries")),
    ("조회되는", Meaning::Order("queries")),
    ("by queries", Meaning::Order("queries")),
    ("by query", Meaning::Order("queries")),
    ("most queried", Meaning::Order("queries")),
    ("queried the most", Meaning::Order("queries")),
    ("query the most", Meaning::Order("queries")),
    ("queries", Meaning::Order("queries")),
    // Alert topics.
    ("비용 알림", Meaning::Topic("cost")),
    ("cost alert", Meaning::Topic("cost")),
    ("cost alerts", Meaning::Topic("cost")),
    ("신선도", Meaning::Topic("freshness")),
    ("freshness", Meaning::Topic("freshness")),
    ("데이터 지연", Meaning::Topic("freshness")),
    ("stale", Meaning::Topic("freshness")),
    ("하트비트", Meaning::Topic("heartbeat")),
    ("heartbeat", Meaning::Topic("heartbeat")),
    ("생존 신호", Meaning::Topic("heartbeat")),
    ("jobs", Meaning::Topic("jobs")),
    ("수집기 알림", Meaning::Topic("jobs")),
    ("athena", Meaning::Topic("athena")),
    ("아테나", Meaning::Topic("athena")),
    ("quality", Meaning::Topic("quality")),
    ("정합성", Meaning::Topic("quality")),
    ("품질", Meaning::Topic("quality")),
    ("검증", Meaning::Topic("quality")),
    ("airflow", Meaning::Topic("airflow")),
    ("에어플로우", Meaning::Topic("airflow")),
    ("cost", Meaning::Topic("cost")),
    ("비용", Meaning::Topic("cost")),
    // Requirement changes.
    ("accept", Meaning::Change("accept")),
    ("수락", Meaning::Change("accept")),
    ("접수", Meaning::Change("accept")),
    ("start", Meaning::Change("start")),
    ("시작", Meaning::Change("start")),
    ("done", Meaning::Change("done")),
    ("완료", Meaning::Change("done")),
    ("reject", Meaning::Change("reject")),
    ("반려", Meaning::Change("reject")),
    ("거절", Meaning::Change("reject")),
    ("assign", Meaning::Change("assign")),
    ("맡을게", Meaning::Change("assign")),
    ("내가 맡", Meaning::Change("assign")),
    ("담당", Meaning::Change("assign")),
    // Which requirements.
    ("열린", Meaning::Which("open")),
    ("open", Meaning::Which("open")),
    ("진행 중인", Meaning::Which("open")),
    ("내", Meaning::Which("mine")),
    ("나의", Meaning::Which("mine")),
    ("my", Meaning::Which("mine")),
    ("mine", Meaning::Which("mine")),
    ("전체", Meaning::Which("all")),
    ("all", Meaning::Which("all")),
    ("모든", Meaning::Which("all")),
    // Languages.
    ("한국어", Meaning::Lang("ko")),
    ("한국말", Meaning::Lang("ko")),
    ("한글", Meaning::Lang("ko")),
    ("korean", Meaning::Lang("ko")),
    ("영어", Meaning::Lang("en")),
    ("english", Meaning::Lang("en")),
    // Databases.
    ("db", Meaning::DbWord),
    ("dbs", Meaning::DbWord),
    ("database", Meaning::DbWord),
    ("databases", Meaning::DbWord),
    ("데이터베이스", Meaning::DbWord),
    ("디비", Meaning::DbWord),
];

/// Words that carry no meaning here: particles and endings, politeness, "show me", question words.
const FILLERS: &[&str] = &[
    // Korean particles, endings and politeness.
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "에서",
    "에서의",
    "로",
    "으로",
    "별로",
    "도",
    "만",
    "좀",
    "요",
    "줘",
    "줘요",
    "알려줘",
    "알려주세요",
    "알려줄래",
    "알려",
    "보여줘",
    "보여주세요",
    "보여",
    "보여줄래",
    "뭐야",
    "뭐",
    "뭐지",
    "뭐뭐",
    "얼마야",
    "얼마",
    "얼마나",
    "얼마였어",
    "얼마였지",
    "어때",
    "어떻게",
    "돼",
    "있어",
    "있나요",
    "해줘",
    "해",
    "해주세요",
    "부탁",
    "부탁해",
    "부탁해요",
    "부탁드립니다",
    "주세요",
    "나와",
    "나왔어",
    "나왔어요",
    "나갔어",
    "썼어",
    "였어",
    "기준",
    "기준으로",
    "대해",
    "관한",
    "좀요",
    "봐",
    "봐줘",
    "확인",
    "확인해줘",
    "현황",
    "목록",
    "리스트",
    "list",
    "순위",
    "랭킹",
    "top",
    "누적",
    "까지",
    "까지의",
    "동안",
    "간",
    "치",
    "꺼",
    "거",
    "것",
    "게",
    "중에",
    "쪽",
    "제일",
    "가장",
    "젤",
    "많이",
    "많은",
    "많은거",
    "요즘",
    "최근",
    "지난",
    "pls",
    "plz",
    "please",
    "ㅎㅎ",
    "ㅋㅋ",
    "ㅠㅠ",
    "좀만",
    "개만",
    "처리",
    "처리해줘",
    "해줄래",
    "할게",
    "할게요",
    "하는",
    "하는 거",
    "거야",
    "게요",
    "데",
    "네",
    "응",
    "그",
    "저",
    "이거",
    "쪼개서",
    "나눠서",
    "보기",
    "상세히",
    "전부",
    "다",
    "aws",
    "클라우드",
    "데이터",
    "도베르만",
    "doberman",
    "너",
    "애",
    "봇",
    "bot",
    "된",
    "별",
    "개",
    "개만",
    "오늘까지",
    "data",
    "when",
    "shows",
    "show me",
    "어느",
    "어떤",
    "얼마나",
    "나오",
    "써",
    "쓴",
    "쓰는",
    "쓰여",
    "먹어",
    "of",
    "the",
    "a",
    "an",
    // English.
    "what",
    "what's",
    "whats",
    "did",
    "do",
    "does",
    "we",
    "our",
    "us",
    "show",
    "me",
    "is",
    "are",
    "was",
    "were",
    "how",
    "much",
    "many",
    "in",
    "on",
    "give",
    "tell",
    "about",
    "i",
    "want",
    "to",
    "see",
    "can",
    "you",
    "get",
    "so",
    "far",
    "any",
    "there",
    "gets",
    "it",
    "its",
    "now",
    "that",
    "have",
    "has",
    "with",
    "at",
    "from",
    "up",
    "for",
    "by",
    "per",
    "last",
    "past",
    "recent",
    "the",
    "most",
    "top",
    "one",
    "ones",
    "which",
    "please",
    "pls",
    "thx",
    "be",
    "been",
    "doing",
    "lately",
    "all",
    "some",
    "just",
    "only",
    "each",
    "every",
    "break",
    "down",
    "breakdown",
    "look",
    "people",
    "spent",
    "used",
    "use",
    "using",
    "heaviest",
    "hot",
    "popular",
    "details",
    "detail",
    "info",
];

/// A piece of the message: a run of one script within a whitespace token.
#[derive(Debug, Clone)]
struct Piece {
    /// Lower-cased text.
    lower: String,
    /// As typed.
    typed: String,
    /// Whether it is Hangul (else Latin, digits, symbols).
    hangul: bool,
    /// Its whitespace token.
    token: usize,
}

/// One vocabulary phrase: its pieces compacted (no spaces) and what it means.
struct Phrase {
    compact: Vec<char>,
    meanings: Vec<Meaning>,
}

/// The whole vocabulary, indexed by first character, longest first.
struct Vocabulary {
    by_first: BTreeMap<char, Vec<Phrase>>,
    /// Single Latin words of four letters or more, for typos.
    latin_words: Vec<(String, Vec<Meaning>)>,
    /// Every Latin word of the vocabulary's phrases and fillers.
    known_latin: std::collections::HashSet<String>,
    /// What a typo may be read as: single-word entries (not fillers) and the words of command names, four letters
    /// or more (`rate` is not a typo of `date`, which only appears inside `month to date`).
    targets: Vec<String>,
    /// The letters of each of `latin_words` and of `targets` ([`letters`]), in their order.
    latin_letters: Vec<u32>,
    target_letters: Vec<u32>,
    /// Hangul phrases of two syllables or more, as jamo, for slips.
    hangul_words: Vec<(Vec<char>, Vec<Meaning>)>,
}

fn compact(phrase: &str) -> String {
    phrase
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Jamo of Hangul syllables (compatibility letters kept), for distances between Korean words.
fn jamo(word: &str) -> Vec<char> {
    const L: [char; 19] = [
        'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ',
        'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
    ];
    const V: [char; 21] = [
        'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ',
        'ㅞ', 'ㅟ', 'ㅠ', 'ㅡ', 'ㅢ', 'ㅣ',
    ];
    const T: [char; 28] = [
        '\0', 'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ',
        'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
    ];
    let mut out = Vec::new();
    for c in word.chars() {
        let code = c as u32;
        if (0xAC00..=0xD7A3).contains(&code) {
            let s = code - 0xAC00;
            out.push(L[(s / 588) as usize]);
            out.push(V[((s % 588) / 28) as usize]);
            let t = T[(s % 28) as usize];
            if t != '\0' {
                out.push(t);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Which of the letters a–z a word has, as bits: a cheap first test of [`letters_allow`].
fn letters(word: &str) -> u32 {
    word.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

/// Whether words with these letters can be `budget` edits apart: an edit adds or drops at most two letters
/// (a substitution one of each), so more letters differing means farther.
fn letters_allow(a: u32, b: u32, budget: usize) -> bool {
    (a ^ b).count_ones() as usize <= 2 * budget
}

/// Whether two words written as jamo are at most one slip apart.
fn one_jamo_apart(a: &[char], b: &[char]) -> bool {
    edit_distance_within(a, b, 1).is_some()
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut all: BTreeMap<String, Vec<Meaning>> = BTreeMap::new();
    let mut add = |phrase: &str, meaning: Meaning| {
        let key = compact(phrase);
        if key.is_empty() {
            return;
        }
        let meanings = all.entry(key).or_default();
        if let Meaning::Command(i, w) = meaning
            && let Some(Meaning::Command(_, old)) = meanings
                .iter_mut()
                .find(|m| matches!(m, Meaning::Command(j, _) if *j == i))
        {
            *old = (*old).max(w);
            return;
        }
        if !meanings.contains(&meaning) {
            meanings.push(meaning);
        }
    };
    // A name that is also a subject word of some command (`테이블`, `table`, `dag`) is generic: it weighs 1.
    let generic = is_generic;
    for (i, spec) in COMMANDS.iter().enumerate() {
        for name in spec.names() {
            add(name, Meaning::Command(i, if generic(name) { 1 } else { 3 }));
        }
        for phrase in spec.says {
            add(phrase, Meaning::Command(i, 2));
        }
        for word in spec.about {
            add(word, Meaning::Command(i, 1));
        }
    }
    for (phrase, meaning) in ARGUMENT_WORDS {
        add(phrase, *meaning);
    }
    for filler in FILLERS {
        add(filler, Meaning::Filler);
    }
    // A phrase that also names something drops its filler sense.
    for meanings in all.values_mut() {
        if meanings.len() > 1 {
            meanings.retain(|m| *m != Meaning::Filler);
        }
    }
    let mut by_first: BTreeMap<char, Vec<Phrase>> = BTreeMap::new();
    let mut latin_words = Vec::new();
    let mut hangul_words = Vec::new();
    for (key, meanings) in all {
        let chars: Vec<char> = key.chars().collect();
        let hangul = chars.iter().all(|c| is_hangul(*c));
        if !hangul
            && chars.len() >= 4
            && chars.iter().all(|c| c.is_ascii_alphabetic())
            && !meanings.contains(&Meaning::Filler)
        {
            latin_words.push((key.clone(), meanings.clone()));
        }
        if hangul && chars.len() >= 2 && !meanings.contains(&Meaning::Filler) {
            hangul_words.push((jamo(&key), meanings.clone()));
        }
        by_first.entry(chars[0]).or_default().push(Phrase {
            compact: chars,
            meanings,
        });
    }
    for phrases in by_first.values_mut() {
        phrases.sort_by_key(|p| std::cmp::Reverse(p.compact.len()));
    }
    let mut known_latin = std::collections::HashSet::new();
    for phrase in ARGUMENT_WORDS
        .iter()
        .map(|(p, _)| *p)
        .chain(FILLERS.iter().copied())
        .chain(COMMANDS.iter().flat_map(|c| {
            c.names()
                .chain(c.says.iter().copied())
                .chain(c.about.iter().copied())
        }))
    {
        for word in phrase.to_lowercase().split_whitespace() {
            if word.chars().all(|c| c.is_ascii_alphabetic()) {
                known_latin.insert(word.to_owned());
            }
        }
    }
    let mut targets: Vec<String> = latin_words.iter().map(|(w, _)| w.clone()).collect();
    for spec in COMMANDS {
        for word in spec.names().flat_map(|n| n.split(' ')) {
            let word = word.to_lowercase();
            if word.len() >= 4
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && !targets.contains(&word)
            {
                targets.push(word);
            }
        }
    }
    Vocabulary {
        by_first,
        latin_letters: latin_words.iter().map(|(w, _)| letters(w)).collect(),
        target_letters: targets.iter().map(|w| letters(w)).collect(),
        latin_words,
        hangul_words,
        known_latin,
        targets,
    }
});

impl Vocabulary {
    /// The word of the vocabulary `word` is one typo from (two for long words), if exactly one is closest.
    fn correct(&self, word: &str) -> Option<&str> {
        let budget = if word.len() >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, &str)> = None;
        let mut tied = false;
        let mine = letters(word);
        for (known, theirs) in self.targets.iter().zip(&self.target_letters) {
            if !letters_allow(mine, *theirs, budget) {
                continue;
            }
            // Both are ASCII letters: bytes are characters.
            let Some(d) = edit_distance_within(word.as_bytes(), known.as_bytes(), budget) else {
                continue;
            };
            match best {
                Some((b, _)) if d > b => {}
                Some((b, w)) if d == b => tied |= w != known.as_str(),
                _ => {
                    best = Some((d, known));
                    tied = false;
                }
            }
        }
        best.filter(|_| !tied).map(|(_, w)| w)
    }
}

/// What a message was understood as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Understood {
    /// A command, with its arguments in its own syntax and as JSON.
    Command(Reading),
    /// Two or more commands fit as well: ask which.
    Ambiguous(Vec<Reading>),
    /// No command.
    Nothing,
}

/// One reading of a message: a command and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The command.
    pub spec: &'static CommandSpec,
    /// Its arguments, one per declared argument, in the command's syntax.
    pub args: Vec<Option<String>>,
    /// Its arguments for `--explain`.
    pub explain: serde_json::Map<String, Value>,
    /// Its score.
    pub score: i32,
    /// Words of the person's own it cannot take, when the message starts with its name (`cost banana`): a
    /// mistake to point out. In a sentence they are let go.
    pub unused: Option<String>,
}

impl Reading {
    /// A reading of a command already parsed (its arguments in its syntax).
    pub fn of(spec: &'static CommandSpec, args: Vec<Option<String>>) -> Reading {
        Reading {
            spec,
            args,
            explain: serde_json::Map::new(),
            score: 0,
            unused: None,
        }
    }

    /// `{"command": …, "args": {…}}`.
    pub fn to_json(&self) -> Value {
        json!({ "command": self.spec.name, "args": Value::Object(self.explain.clone()) })
    }

    /// The command as typed in its own syntax: `cost yesterday by team`.
    pub fn command_line(&self) -> String {
        let mut line = self.spec.name.to_owned();
        for arg in self.args.iter().flatten() {
            line.push(' ');
            line.push_str(arg);
        }
        line
    }
}

/// Everything found in a message.
#[derive(Debug, Default, Clone)]
struct Found {
    /// Command evidence: index → sum of weights (each phrase once).
    commands: BTreeMap<usize, i32>,
    /// Phrases that asked for a command, by the commands they name (for `help <command>`), in order.
    command_mentions: Vec<Vec<usize>>,
    periods: Vec<Period>,
    groups: Vec<&'static str>,
    orders: Vec<&'static str>,
    topics: Vec<&'static str>,
    which: Vec<&'static str>,
    changes: Vec<&'static str>,
    langs: Vec<&'static str>,
    tables: Vec<String>,
    /// Months named without a year (1–12), years named.
    month_numbers: Vec<u32>,
    years: Vec<i32>,
    last_year: bool,
    /// Spans: days.
    span_days: Vec<u32>,
    /// Durations: minutes (`2h`, `30분`).
    minutes: Vec<u32>,
    requirement: Option<u32>,
    check_name: Option<String>,
    /// Whether a database word was seen, and the word of the person's own next to it.
    db_word: bool,
    db_name: Option<String>,
    /// Words of the person's own (search words, names), as typed, particles cut; with where they are.
    own: Vec<(String, usize)>,
    /// Words that asked for commands, as typed, with where they are and the commands: search words to a command
    /// that takes words (`ad spend tables`: `spend` asks for `cost`, but is a search word here).
    command_words: Vec<(String, usize, Vec<usize>)>,
    /// Pieces that carried meaning for some command, each with the commands they can be explained by (empty:
    /// by every command taking that kind of argument, see `explains`).
    pieces: Vec<PieceUse>,
    /// Whether the message starts with a command's name: its index.
    prefix: Option<usize>,
}

#[derive(Debug, Clone)]
enum PieceUse {
    /// Words that ask for these commands, and may also be an argument (`비용` is the cost command and the cost
    /// alert topic).
    Commands(Vec<usize>, Option<ArgUse>),
    Arg(ArgUse),
    Own,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArgUse {
    Period,
    Group,
    Order,
    Topic,
    Which,
    Change,
    Lang,
    Table,
    Span,
    Duration,
    Requirement,
    CheckName,
    Db,
}

const TRIM: &[char] = &[
    '?', '!', ',', '~', '.', ';', '"', '\'', '(', ')', '[', ']', '“', '”', '‘', '’', '…', '·',
    '？', '！', '。', '、', '`', '*', '<', '>', ':',
];

fn is_symbol(c: char) -> bool {
    !(c.is_alphanumeric() || is_hangul(c) || matches!(c, '.' | '_' | '-' | ':' | '\'' | '*' | '/'))
}

/// A whitespace token cut into script runs; symbols and emoji dropped.
fn cut(token: &str, index: usize, out: &mut Vec<Piece>) {
    let token = token.trim_matches(|c| TRIM.contains(&c));
    let mut current = String::new();
    let mut hangul = false;
    let flush = |current: &mut String, hangul: bool, out: &mut Vec<Piece>| {
        let typed = current.trim_matches(|c| TRIM.contains(&c)).to_owned();
        if !typed.is_empty() {
            out.push(Piece {
                lower: typed.to_lowercase(),
                typed,
                hangul,
                token: index,
            });
        }
        current.clear();
    };
    for c in token.chars() {
        if is_symbol(c) {
            flush(&mut current, hangul, out);
            continue;
        }
        let h = is_hangul(c);
        if !current.is_empty() && h != hangul {
            flush(&mut current, hangul, out);
        }
        hangul = h;
        current.push(c);
    }
    flush(&mut current, hangul, out);
}

fn month_of_name(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let i = NAMES
        .iter()
        .position(|n| *n == word || (word.len() == 3 && word != "may" && n.starts_with(word)))?;
    Some(i as u32 + 1)
}

/// Splits `digits` + unit (`30일`, `2h`, `10월`) into the number and the rest.
fn number_prefix(word: &str) -> Option<(u32, &str)> {
    let end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    if end == 0 || end > 6 {
        return None;
    }
    Some((word[..end].parse().ok()?, &word[end..]))
}

const KOREAN_NUMBERS: &[(&str, u32)] = &[
    ("한", 1),
    ("두", 2),
    ("세", 3),
    ("네", 4),
    ("다섯", 5),
    ("여섯", 6),
    ("일곱", 7),
    ("열", 10),
];

/// Reads the message's tokens for entities and vocabulary.
fn read(text: &str, today: NaiveDate) -> Found {
    let vocab = &*VOCABULARY;
    let mut found = Found::default();
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let lower_tokens: Vec<String> = tokens
        .iter()
        .map(|t| {
            t.to_lowercase()
                .trim_matches(|c| TRIM.contains(&c) && c != ':')
                .to_owned()
        })
        .collect();
    let mut taken = vec![false; tokens.len()];

    // A check's name: `orders: fresh` — from a word ending in `:` through the Latin words after it.
    if let Some(start) = lower_tokens.iter().position(|t| {
        t.len() > 1
            && t.ends_with(':')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_:.-".contains(c))
    }) {
        let mut end = start + 1;
        while end < tokens.len() && !tokens[end].chars().any(is_hangul) {
            end += 1;
        }
        while end > start + 1
            && matches!(
                lower_tokens[end - 1].as_str(),
                "now" | "please" | "pls" | "results" | "result"
            )
        {
            end -= 1;
        }
        if end > start + 1 {
            let name = tokens[start..end].join(" ");
            found.check_name = Some(name.trim_end_matches(|c| "?!".contains(c)).to_owned());
            found.pieces.push(PieceUse::Arg(ArgUse::CheckName));
            for t in &mut taken[start..end] {
                *t = true;
            }
        }
    }

    // Entities of whole tokens.
    let mut i = 0;
    while i < tokens.len() {
        if taken[i] {
            i += 1;
            continue;
        }
        let t = lower_tokens[i].as_str();
        let next = lower_tokens.get(i + 1).map(String::as_str).unwrap_or("");
        let mut used = 0;
        // Tables: db.table (a Korean particle may follow).
        let latin: String = t.chars().take_while(|c| !is_hangul(*c)).collect();
        if let Some((db, table)) = latin.split_once('.')
            && !db.is_empty()
            && !table.is_empty()
            && latin
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && latin.chars().any(|c| c.is_ascii_alphabetic())
            && !table.contains('.')
        {
            found.tables.push(latin.clone());
            found.pieces.push(PieceUse::Arg(ArgUse::Table));
            used = 1;
        } else if let Some(n) = t
            .strip_prefix("req-")
            .or_else(|| t.strip_prefix("req"))
            .and_then(|n| {
                let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<u32>().ok()
            })
        {
            found.requirement = Some(n);
            found.pieces.push(PieceUse::Arg(ArgUse::Requirement));
            used = 1;
        } else if let Some((y, m)) = t.split_once('-').and_then(|(y, m)| {
            let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
            ((2000..2100).contains(&y) && (1..=12).contains(&m) && t.len() <= 7).then_some((y, m))
        }) {
            found.periods.push(Period::Month(y, m));
            found.pieces.push(PieceUse::Arg(ArgUse::Period));
            used = 1;
        } else if let Some((n, unit)) = number_prefix(t) {
            let unit = unit.trim_end_matches(|c| "은는이가을를의에로도만요".contains(c));
            let (unit, next_used) = if unit.is_empty() && !next.is_empty() {
                (next, 1)
            } else {
                (unit, 0)
            };
            let recognised = match unit {
                "년" if (2000..2100).contains(&n) => {
                    found.years.push(n as i32);
                    true
                }
                "월" | "월달" | "월꺼" if (1..=12).contains(&n) => {
                    found.month_numbers.push(n);
                    true
                }
                "번" | "번째" => {
                    found.requirement = Some(n);
                    true
                }
                "d" | "일" | "일간" | "일치" | "day" | "days" | "일동안"
                    if (1..=400).contains(&n) =>
                {
                    found.span_days.push(n);
                    true
                }
                "w" | "주" | "주간" | "주일" | "week" | "weeks" if (1..=12).contains(&n) => {
                    found.span_days.push(n * 7);
                    true
                }
                "개월" | "달" | "month" | "months" if (1..=12).contains(&n) => {
                    found.span_days.push(n * 30);
                    true
                }
                "h" | "시간" | "hour" | "hours" | "hr" | "hrs" => {
                    found.minutes.push(n * 60);
                    true
                }
                "m" | "분" | "min" | "mins" | "minute" | "minutes" => {
                    found.minutes.push(n);
                    true
                }
                _ => false,
            };
            if recognised {
                let kind = match unit {
                    "년" | "월" | "월달" | "월꺼" => ArgUse::Period,
                    "번" | "번째" => ArgUse::Requirement,
                    "h" | "시간" | "hour" | "hours" | "hr" | "hrs" | "m" | "분" | "min"
                    | "mins" | "minute" | "minutes" => ArgUse::Duration,
                    _ => ArgUse::Span,
                };
                found.pieces.push(PieceUse::Arg(kind));
                used = 1 + next_used;
            } else if unit.is_empty() || t.chars().all(|c| c.is_ascii_digit()) {
                // A bare number ("top 5"): says nothing we use.
                used = 1;
            }
        } else if let Some(m) = month_of_name(t) {
            found.month_numbers.push(m);
            found.pieces.push(PieceUse::Arg(ArgUse::Period));
            used = 1;
            if let Ok(y) = next.parse::<i32>()
                && (2000..2100).contains(&y)
            {
                found.years.push(y);
                used = 2;
            }
        } else if let Some((n, rest)) = KOREAN_NUMBERS.iter().find_map(|(word, n)| {
            let rest = if t == *word {
                next
            } else {
                t.strip_prefix(word)?
            };
            Some((*n, rest))
        }) {
            let rest = rest.trim_end_matches(|c| "만은는이가을를의에로도요".contains(c));
            let joined = t.len()
                > KOREAN_NUMBERS
                    .iter()
                    .find(|(_, m)| *m == n)
                    .map_or(0, |(w, _)| w.len());
            let unit_used = if joined { 1 } else { 2 };
            match rest {
                "시간" => {
                    found.minutes.push(n * 60);
                    found.pieces.push(PieceUse::Arg(ArgUse::Duration));
                    used = unit_used;
                }
                "주" | "주일" | "주간" => {
                    found.span_days.push(n * 7);
                    found.pieces.push(PieceUse::Arg(ArgUse::Span));
                    used = unit_used;
                }
                _ => {}
            }
        }
        for t in taken.iter_mut().skip(i).take(used) {
            *t = true;
        }
        i += used.max(1);
    }

    // The rest, cut into pieces and read against the vocabulary.
    let mut pieces = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !taken[i] {
            cut(token, i, &mut pieces);
        }
    }
    // A Latin word one typo from a word of the vocabulary is read as that word (`costt`, `tabels`, `airflw`),
    // before phrases are matched, so that a phrase of several words still matches.
    for piece in &mut pieces {
        if !piece.hangul
            && piece.lower.len() >= 4
            && piece.lower.chars().all(|c| c.is_ascii_alphabetic())
            && !vocab.known_latin.contains(&piece.lower)
            && let Some(word) = vocab.correct(&piece.lower)
        {
            piece.lower = word.to_owned();
            piece.typed = word.to_owned();
        }
    }
    if let Some(first) = pieces.first()
        && first.token == 0
    {
        // The longest command name the message starts with.
        let lowered: Vec<&str> = lower_tokens.iter().map(String::as_str).collect();
        found.prefix = super::commands::name_words()
            .iter()
            .filter_map(|(i, _, words)| {
                let i = *i;
                (words.len() <= lowered.len()
                    && words
                        .iter()
                        .zip(&lowered)
                        .all(|(a, b)| a == b.trim_end_matches(':')))
                .then_some((words.len(), i))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, i)| i);
    }
    // Characters of the pieces, compacted, with where each piece starts and ends.
    let mut chars: Vec<char> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (p, piece) in pieces.iter().enumerate() {
        for c in piece.lower.chars() {
            chars.push(c);
            owner.push(p);
        }
    }
    let starts_piece = |at: usize| at == 0 || owner[at - 1] != owner[at];
    let ends_piece = |at: usize| at + 1 == chars.len() || owner[at + 1] != owner[at];
    let mut consumed = vec![false; chars.len()];
    let mut matches: Vec<(usize, usize, &[Meaning])> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let hangul_here = is_hangul(chars[at]);
        let candidates = vocab.by_first.get(&chars[at]);
        let best = candidates.and_then(|phrases| {
            phrases.iter().find(|p| {
                let end = at + p.compact.len();
                if end > chars.len() || chars[at..end] != p.compact[..] {
                    return false;
                }
                let first_latin = !is_hangul(p.compact[0]);
                let last_latin = !is_hangul(p.compact[p.compact.len() - 1]);
                if (first_latin || p.compact.len() == 1) && !starts_piece(at) {
                    return false;
                }
                if (last_latin || p.compact.len() == 1) && !ends_piece(end - 1) {
                    return false;
                }
                // A one-syllable Korean word only as a whole piece or at its start ("내 요청", "이 방").
                if p.compact.len() == 1 && hangul_here && !starts_piece(at) {
                    return false;
                }
                true
            })
        });
        match best {
            Some(p) => {
                let end = at + p.compact.len();
                for c in &mut consumed[at..end] {
                    *c = true;
                }
                matches.push((at, end, &p.meanings));
                at = end;
            }
            None => at += 1,
        }
    }
    // What is left: words of the person's own, or typos of the vocabulary's.
    let mut leftovers: Vec<(usize, String, usize)> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if consumed[at] {
            at += 1;
            continue;
        }
        let p = owner[at];
        let mut end = at;
        while end < chars.len() && !consumed[end] && owner[end] == p {
            end += 1;
        }
        let piece = &pieces[p];
        // Cut back to the typed case: the piece's characters map one to one when lower-casing keeps lengths.
        let start_in_piece = at - owner.iter().position(|o| *o == p).unwrap_or(at);
        let len = end - at;
        let typed: String = if piece.typed.chars().count() == piece.lower.chars().count() {
            piece.typed.chars().skip(start_in_piece).take(len).collect()
        } else {
            chars[at..end].iter().collect()
        };
        leftovers.push((p, typed, at));
        at = end;
    }
    for (start, end, meanings) in &matches {
        let piece = owner[*start];
        let commands: Vec<usize> = meanings
            .iter()
            .filter_map(|m| match m {
                Meaning::Command(i, _) => Some(*i),
                _ => None,
            })
            .collect();
        if !commands.is_empty() && owner[end - 1] == piece {
            let p = &pieces[piece];
            let from = start - owner.iter().position(|o| *o == piece).unwrap_or(*start);
            let typed: String = if p.typed.chars().count() == p.lower.chars().count() {
                p.typed.chars().skip(from).take(end - start).collect()
            } else {
                chars[*start..*end].iter().collect()
            };
            found.command_words.push((typed, *start, commands));
        }
        apply(&mut found, meanings, piece, today);
    }
    for (p, typed, at) in leftovers {
        let lower = typed.to_lowercase();
        let word = strip_particles(&lower);
        if word.is_empty()
            || FILLERS.contains(&word.as_str())
            || PARTICLES.contains(&lower.as_str())
        {
            continue;
        }
        // A typo of a vocabulary word?
        let fuzzy: Option<&Vec<Meaning>> = if !pieces[p].hangul
            && word.chars().count() >= 4
            && word.chars().all(|c| c.is_ascii_alphabetic())
        {
            let budget = if word.len() >= 8 { 2 } else { 1 };
            let mut best: Option<(usize, &Vec<Meaning>)> = None;
            let mine = letters(&word);
            for ((w, meanings), theirs) in vocab.latin_words.iter().zip(&vocab.latin_letters) {
                if w.len() + 2 < word.len() || !letters_allow(mine, *theirs, budget) {
                    continue;
                }
                // Both are ASCII letters: bytes are characters.
                if let Some(d) = edit_distance_within(word.as_bytes(), w.as_bytes(), budget)
                    && best.is_none_or(|(b, _)| d < b)
                {
                    best = Some((d, meanings));
                }
            }
            best.map(|(_, m)| m)
        } else if pieces[p].hangul && word.chars().count() >= 2 {
            let j = jamo(&word);
            vocab
                .hangul_words
                .iter()
                .filter(|(w, _)| w.len() + 1 >= j.len() && j.len() + 1 >= w.len())
                .find(|(w, _)| one_jamo_apart(&j, w))
                .map(|(_, m)| m)
        } else {
            None
        };
        if let Some(meanings) = fuzzy {
            apply(&mut found, meanings, p, today);
            continue;
        }
        // A Korean ending left over ("알랴줘", "말해조"): a leftover that ends like a request is no word.
        if pieces[p].hangul && is_ending(&word) {
            continue;
        }
        if word.chars().all(|c| c.is_ascii_digit()) {
            // A bare number ("10개만", "top 5"): nothing we use.
            continue;
        }
        let typed_word = strip_particles_typed(&typed);
        found.own.push((typed_word, at));
        found.pieces.push(PieceUse::Own);
    }
    // The year of a month named alone: the latest not after today.
    resolve_months(&mut found, today);
    found
}

fn is_ending(word: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "줘",
        "조",
        "져",
        "줘요",
        "주세요",
        "해",
        "해요",
        "할래",
        "래",
        "니",
        "나",
        "냐",
        "지",
        "죠",
        "어",
        "야",
        "요",
        "음",
        "까",
        "게",
        "네",
        "봐",
        "즈",
        "ㅓ",
    ];
    ENDINGS.iter().any(|e| word.ends_with(e)) && word.chars().count() <= 4
}

const PARTICLES: &[&str] = &[
    "에서는",
    "에서",
    "으로는",
    "으로",
    "에는",
    "에게",
    "한테",
    "이랑",
    "랑",
    "하고",
    "까지",
    "부터",
    "처럼",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "도",
    "만",
    "요",
    "과",
    "와",
];

/// Words that end like a particle but are whole (`객단가`, `원가`).
const NOT_PARTICLES: &[&str] = &[
    "단가",
    "원가",
    "평가",
    "정가",
    "시가",
    "물가",
    "주가",
    "매가",
    "판매가",
    "구매가",
];

fn strip_particles(word: &str) -> String {
    if NOT_PARTICLES.iter().any(|w| word.ends_with(w)) {
        return word.to_owned();
    }
    let mut w = word.to_owned();
    for p in PARTICLES {
        // `이`/`가` end many nouns: cut only after two syllables. Others may follow a one-syllable noun (`방에`).
        let shortest = if matches!(*p, "이" | "가" | "과" | "와" | "도" | "만" | "요" | "의")
        {
            2
        } else {
            1
        };
        if let Some(stem) = w.strip_suffix(p)
            && stem.chars().count() >= shortest
        {
            w = stem.to_owned();
            break;
        }
    }
    w
}

fn strip_particles_typed(word: &str) -> String {
    let lower = word.to_lowercase();
    let stripped = strip_particles(&lower);
    word.chars().take(stripped.chars().count()).collect()
}

fn apply(found: &mut Found, meanings: &[Meaning], _piece: usize, _today: NaiveDate) {
    let mut commands = Vec::new();
    let mut arg = None;
    for m in meanings {
        match *m {
            Meaning::Command(i, w) => {
                let e = found.commands.entry(i).or_insert(0);
                *e += i32::from(w);
                commands.push(i);
            }
            Meaning::Period(p) => {
                found.periods.push(p);
                arg = Some(ArgUse::Period);
            }
            Meaning::Group(g) => {
                found.groups.push(g);
                arg = Some(ArgUse::Group);
            }
            Meaning::Order(o) => {
                found.orders.push(o);
                arg = Some(ArgUse::Order);
            }
            Meaning::Topic(t) => {
                found.topics.push(t);
                arg.get_or_insert(ArgUse::Topic);
            }
            Meaning::Which(w) => {
                found.which.push(w);
                arg.get_or_insert(ArgUse::Which);
            }
            Meaning::Change(c) => {
                found.changes.push(c);
                arg.get_or_insert(ArgUse::Change);
            }
            Meaning::Lang(l) => {
                found.langs.push(l);
                arg = Some(ArgUse::Lang);
            }
            Meaning::DbWord => {
                found.db_word = true;
                arg = Some(ArgUse::Db);
            }
            Meaning::LastYear => found.last_year = true,
            Meaning::Filler => {}
        }
    }
    if !commands.is_empty() {
        found.command_mentions.push(commands.clone());
        found.pieces.push(PieceUse::Commands(commands, arg));
    } else if let Some(arg) = arg {
        found.pieces.push(PieceUse::Arg(arg));
    }
}

fn resolve_months(found: &mut Found, today: NaiveDate) {
    let months = std::mem::take(&mut found.month_numbers);
    for m in months {
        let year = match found.years.first() {
            Some(y) => *y,
            None => {
                let mut y = today.year();
                if m > today.month() {
                    y -= 1;
                }
                if found.last_year {
                    y = today.year() - 1;
                }
                y
            }
        };
        found.periods.push(Period::Month(year, m));
    }
}

/// Which kinds of arguments a piece of meaning can fill for a command of `kinds`.
fn explains(kinds: &[ArgKind], arg: ArgUse) -> bool {
    kinds.iter().any(|k| match k {
        ArgKind::CostOptions => matches!(arg, ArgUse::Period | ArgUse::Group | ArgUse::Span),
        ArgKind::TopOptions | ArgKind::DbTopOptions => {
            matches!(
                arg,
                ArgUse::Period | ArgUse::Order | ArgUse::Span | ArgUse::Db
            )
        }
        ArgKind::FailedWindow | ArgKind::HeatmapWindow => {
            matches!(arg, ArgUse::Period | ArgUse::Span | ArgUse::Duration)
        }
        ArgKind::Table => matches!(arg, ArgUse::Table),
        ArgKind::CheckTarget => matches!(arg, ArgUse::Table | ArgUse::CheckName),
        ArgKind::CheckName => matches!(arg, ArgUse::CheckName),
        ArgKind::Database => matches!(arg, ArgUse::Db),
        ArgKind::Topic => matches!(arg, ArgUse::Topic),
        ArgKind::Duration => matches!(arg, ArgUse::Duration | ArgUse::Span | ArgUse::Period),
        ArgKind::Which => matches!(arg, ArgUse::Which),
        ArgKind::RequestId => matches!(arg, ArgUse::Requirement),
        ArgKind::Change => matches!(arg, ArgUse::Change),
        ArgKind::Language => matches!(arg, ArgUse::Lang),
        ArgKind::Words
        | ArgKind::CommandName
        | ArgKind::Dag
        | ArgKind::Instance
        | ArgKind::Verbatim => false,
    })
}

/// Whether what was found gives an argument of `kind` a value.
fn fills(kind: ArgKind, found: &Found) -> bool {
    let own = !found.own.is_empty();
    match kind {
        ArgKind::Table => !found.tables.is_empty() || own,
        ArgKind::CheckTarget => !found.tables.is_empty() || found.check_name.is_some(),
        ArgKind::CheckName => found.check_name.is_some(),
        ArgKind::Database => own || !found.tables.is_empty(),
        ArgKind::Words | ArgKind::Verbatim => own,
        ArgKind::Dag | ArgKind::Instance => found.own.iter().any(|(w, _)| is_identifier(w)),
        ArgKind::Topic => !found.topics.is_empty(),
        ArgKind::Duration => !found.minutes.is_empty() || !found.span_days.is_empty(),
        ArgKind::RequestId => found.requirement.is_some(),
        ArgKind::Change => !found.changes.is_empty(),
        ArgKind::Which => !found.which.is_empty(),
        ArgKind::Language => !found.langs.is_empty(),
        ArgKind::CommandName => true,
        ArgKind::CostOptions
        | ArgKind::TopOptions
        | ArgKind::DbTopOptions
        | ArgKind::FailedWindow
        | ArgKind::HeatmapWindow => true,
    }
}

/// Whether a command of `kinds` takes words of the person's own.
fn takes_own_words(kinds: &[ArgKind]) -> bool {
    kinds.iter().any(|k| {
        matches!(
            k,
            ArgKind::Words
                | ArgKind::Table
                | ArgKind::Database
                | ArgKind::Dag
                | ArgKind::Instance
                | ArgKind::CheckTarget
                | ArgKind::CheckName
                | ArgKind::Verbatim
                | ArgKind::TopOptions
        )
    })
}

/// The weight of an argument found that the command takes, by how surely it names the command.
fn fit(kinds: &[ArgKind], arg: ArgUse) -> i32 {
    match (kinds.first(), arg) {
        (Some(ArgKind::Table), ArgUse::Table) => 2,
        (Some(ArgKind::RequestId), ArgUse::Requirement) => 2,
        (Some(ArgKind::CheckTarget | ArgKind::CheckName), ArgUse::CheckName) => 2,
        _ => 1,
    }
}

fn score(i: usize, spec: &CommandSpec, found: &Found) -> i32 {
    let kinds: Vec<ArgKind> = spec.args.iter().map(|a| a.kind).collect();
    let mut score = found.commands.get(&i).copied().unwrap_or(0);
    if found.prefix == Some(i) {
        score += 1;
    }
    // A reading that lacks what the command needs is a worse one.
    for arg in spec.args.iter().filter(|a| a.required) {
        if !fills(arg.kind, found) {
            score -= 2;
        }
    }
    let mut fitted: Vec<ArgUse> = Vec::new();
    let mut own_seen = false;
    let mut about_seen = false;
    for piece in &found.pieces {
        match piece {
            PieceUse::Commands(commands, arg) => {
                if commands.contains(&i) {
                    if let Some(arg) = arg
                        && explains(&kinds, *arg)
                        && !fitted.contains(arg)
                    {
                        fitted.push(*arg);
                        score += fit(&kinds, *arg);
                    }
                    continue;
                }
                if kinds.contains(&ArgKind::CommandName) && !about_seen {
                    // `help` about another command.
                    about_seen = true;
                    score += 1;
                    continue;
                }
                match arg {
                    Some(arg) if explains(&kinds, *arg) => {
                        if !fitted.contains(arg) {
                            fitted.push(*arg);
                            score += fit(&kinds, *arg);
                        }
                    }
                    _ if kinds.contains(&ArgKind::CommandName) => {}
                    _ => score -= 1,
                }
            }
            PieceUse::Arg(arg) => {
                if explains(&kinds, *arg) {
                    if !fitted.contains(arg) {
                        fitted.push(*arg);
                        score += fit(&kinds, *arg);
                    }
                } else if !kinds.is_empty() || !matches!(arg, ArgUse::Period | ArgUse::Span) {
                    // A command without arguments shows today's state: "today" is context, not a mistake.
                    score -= 1;
                }
            }
            PieceUse::Own => {
                if takes_own_words(&kinds) {
                    // A name is what these commands are about: a table's (unless a database word says it is a
                    // database's), a database's (when one says so), a DAG's (an identifier).
                    let named = match kinds.first() {
                        Some(ArgKind::Table) => !found.db_word,
                        Some(ArgKind::Database) => found.db_word,
                        Some(ArgKind::Dag) => found.own.iter().any(|(w, _)| is_identifier(w)),
                        _ => false,
                    };
                    if named && !own_seen {
                        own_seen = true;
                        score += 1;
                    }
                } else {
                    score -= 1;
                }
            }
        }
    }
    score
}

/// What `text` asks for, `today` being the day relative months are read against.
pub fn understand(text: &str, today: NaiveDate) -> Understood {
    let found = read(text, today);
    let mut scored: Vec<(i32, usize)> = COMMANDS
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            found.commands.contains_key(i) || found.prefix == Some(*i) || implied(*i, &found)
        })
        .map(|(i, spec)| (score(i, spec, &found), i))
        .filter(|(s, _)| *s > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let Some(&(best, _)) = scored.first() else {
        return Understood::Nothing;
    };
    let tied: Vec<usize> = scored
        .iter()
        .take_while(|(s, _)| *s == best)
        .map(|(_, i)| *i)
        .collect();
    let readings: Vec<Reading> = tied
        .iter()
        .map(|i| reading(&COMMANDS[*i], &found, best))
        .collect();
    if readings.len() == 1 {
        Understood::Command(readings.into_iter().next().expect("one reading"))
    } else {
        Understood::Ambiguous(readings)
    }
}

/// Commands a message names by its arguments alone: a table is asked about (`show me sales.orders`), a
/// requirement by its number (`REQ-12`).
fn implied(i: usize, found: &Found) -> bool {
    let kinds: Vec<ArgKind> = COMMANDS[i].args.iter().map(|a| a.kind).collect();
    match kinds.first() {
        Some(ArgKind::Table) => !found.tables.is_empty(),
        Some(ArgKind::CheckTarget) => !found.tables.is_empty() || found.check_name.is_some(),
        Some(ArgKind::RequestId) => found.requirement.is_some(),
        _ => false,
    }
}

fn reading(spec: &'static CommandSpec, found: &Found, score: i32) -> Reading {
    let mut explain = serde_json::Map::new();
    let mut args = Vec::with_capacity(spec.args.len());
    let typed_by_name =
        found.prefix.is_some() && found.prefix == COMMANDS.iter().position(|c| c == spec);
    let mut own_taken = false;
    let own_words = || {
        found
            .own
            .iter()
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let period = found
        .periods
        .first()
        .copied()
        .or_else(|| found.span_days.first().map(|d| Period::LastDays(*d)));
    for arg in spec.args {
        let value: Option<String> = match arg.kind {
            ArgKind::CostOptions => {
                let mut words = Vec::new();
                if let Some(p) = period {
                    explain.insert("period".into(), json!(p.key()));
                    words.push(p.words());
                }
                if let Some(g) = found.groups.first() {
                    explain.insert("by".into(), json!(g));
                    words.push(format!("by {g}"));
                }
                (!words.is_empty()).then(|| words.join(" "))
            }
            ArgKind::TopOptions | ArgKind::DbTopOptions => {
                let mut words = Vec::new();
                let days = found
                    .span_days
                    .first()
                    .copied()
                    .or(period.map(Period::days));
                if let Some(d) = days {
                    // Out of range is the command's to refuse, with the range.
                    explain.insert("days".into(), json!(d));
                    words.push(format!("{d}d"));
                }
                let db = found.db_name.clone().or_else(|| {
                    // A database named beside the table word: `sales 인기 테이블`, `crm에서 제일 많이 쓰는 테이블`.
                    found.own.first().map(|(w, _)| w.to_lowercase())
                });
                if let Some(db) = db.filter(|d| is_identifier(d) && arg.kind == ArgKind::TopOptions)
                {
                    explain.insert("database".into(), json!(db));
                    words.push(format!("db {db}"));
                }
                if let Some(o) = found.orders.first() {
                    explain.insert("by".into(), json!(o));
                    words.push(format!("by {o}"));
                }
                (!words.is_empty()).then(|| words.join(" "))
            }
            ArgKind::FailedWindow => {
                let days = found
                    .span_days
                    .first()
                    .copied()
                    .or(period.map(Period::days))
                    .or(found.minutes.first().map(|m| m.div_ceil(24 * 60)));
                days.map(|d| {
                    let d = if d <= 1 { 1 } else { 7 };
                    explain.insert("days".into(), json!(d));
                    if d == 1 {
                        "24h".to_owned()
                    } else {
                        "7d".to_owned()
                    }
                })
            }
            ArgKind::HeatmapWindow => {
                let days = found
                    .span_days
                    .first()
                    .copied()
                    .or(period.map(Period::days));
                days.map(|d| {
                    let d = if d <= 7 { 7 } else { 30 };
                    explain.insert("days".into(), json!(d));
                    format!("{d}d")
                })
            }
            ArgKind::Instance => found
                .own
                .iter()
                .map(|(w, _)| w)
                .find(|w| is_identifier(w))
                .map(|w| {
                    explain.insert("instance".into(), json!(w));
                    w.clone()
                }),
            ArgKind::Table => {
                let table = found
                    .tables
                    .first()
                    .cloned()
                    .or_else(|| (!found.own.is_empty()).then(|| own_words().to_lowercase()));
                table.inspect(|t| {
                    explain.insert("table".into(), json!(t));
                })
            }
            ArgKind::CheckTarget => {
                let target = found
                    .check_name
                    .clone()
                    .or_else(|| found.tables.first().cloned());
                target.inspect(|t| {
                    explain.insert("target".into(), json!(t));
                })
            }
            ArgKind::CheckName => found.check_name.clone().inspect(|t| {
                explain.insert("name".into(), json!(t));
            }),
            ArgKind::Database => {
                let db = found
                    .db_name
                    .clone()
                    .or_else(|| found.own.first().map(|(w, _)| w.to_lowercase()))
                    .or_else(|| {
                        found
                            .tables
                            .first()
                            .and_then(|t| t.split('.').next())
                            .map(str::to_owned)
                    });
                db.inspect(|d| {
                    explain.insert("database".into(), json!(d));
                })
            }
            ArgKind::Words => {
                // The person's own words, and words that asked for other commands (not this one's own
                // phrases), in the order typed.
                let me = COMMANDS
                    .iter()
                    .position(|c| c == spec)
                    .unwrap_or(usize::MAX);
                let mut words: Vec<(usize, &str)> =
                    found.own.iter().map(|(w, at)| (*at, w.as_str())).collect();
                // Typed by its name (`navigate 비용`), every word after it is the person's.
                if !words.is_empty() || found.prefix == Some(me) {
                    words.extend(
                        found
                            .command_words
                            .iter()
                            .filter(|(w, _, cs)| !cs.contains(&me) && !w.contains(' '))
                            .map(|(w, at, _)| (*at, w.as_str())),
                    );
                }
                words.sort_by_key(|(at, _)| *at);
                let words: Vec<&str> = words.into_iter().map(|(_, w)| w).collect();
                (!words.is_empty()).then(|| {
                    let words = words.join(" ");
                    explain.insert("words".into(), json!(words));
                    words
                })
            }
            ArgKind::CommandName => {
                let me = COMMANDS.iter().position(|c| c == spec);
                let about = found
                    .command_mentions
                    .iter()
                    .flat_map(|m| m.iter())
                    .filter(|i| Some(**i) != me)
                    .max_by_key(|i| found.commands.get(i).copied().unwrap_or(0))
                    .map(|i| COMMANDS[*i].name);
                about.map(|name| {
                    explain.insert("about".into(), json!(name));
                    name.to_owned()
                })
            }
            ArgKind::Dag => found
                .own
                .iter()
                .map(|(w, _)| w)
                .find(|w| is_identifier(w))
                .cloned()
                .inspect(|d| {
                    explain.insert("dag".into(), json!(d));
                }),
            ArgKind::Which => found.which.first().map(|w| {
                explain.insert("which".into(), json!(w));
                (*w).to_owned()
            }),
            ArgKind::RequestId => found.requirement.map(|n| {
                explain.insert("id".into(), json!(n));
                format!("REQ-{n}")
            }),
            ArgKind::Change => found.changes.first().map(|c| {
                explain.insert("change".into(), json!(c));
                match *c {
                    "assign" => "assign me".to_owned(),
                    other => other.to_owned(),
                }
            }),
            ArgKind::Topic => found.topics.first().map(|t| {
                explain.insert("topic".into(), json!(t));
                (*t).to_owned()
            }),
            ArgKind::Duration => {
                let minutes = found
                    .minutes
                    .first()
                    .copied()
                    .or(found.span_days.first().map(|d| d * 24 * 60))
                    .or(period.map(|p| p.days() * 24 * 60));
                minutes.map(|m| {
                    let d = if m % (24 * 60) == 0 {
                        format!("{}d", m / (24 * 60))
                    } else if m % 60 == 0 {
                        format!("{}h", m / 60)
                    } else {
                        format!("{m}m")
                    };
                    explain.insert("duration".into(), json!(d));
                    d
                })
            }
            ArgKind::Language => found.langs.first().map(|l| {
                explain.insert("language".into(), json!(l));
                (*l).to_owned()
            }),
            ArgKind::Verbatim => (!found.own.is_empty()).then(own_words),
        };
        // Typed by its name with a word it does not know (`subscribe fresness`): the word goes to the command
        // as typed, which answers with the close ones.
        let value = match value {
            None if typed_by_name
                && !found.own.is_empty()
                && matches!(
                    arg.kind,
                    ArgKind::Topic | ArgKind::Which | ArgKind::Language
                ) =>
            {
                own_taken = true;
                Some(own_words())
            }
            value => value,
        };
        args.push(value);
    }
    let me = COMMANDS.iter().position(|c| c == spec);
    let kinds: Vec<ArgKind> = spec.args.iter().map(|a| a.kind).collect();
    let unused =
        (found.prefix == me && !own_taken && !found.own.is_empty() && !takes_own_words(&kinds))
            .then(own_words);
    Reading {
        spec,
        args,
        explain,
        score,
        unused,
    }
}

fn is_identifier(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 255
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && word.chars().any(|c| c.is_ascii_alphabetic())
}

/// Words that make a message sound like a request to the data team rather than a question to Doberman: asking
/// for something to be made, added or changed.
const REQUEST_WORDS: &[&str] = &[
    "추가",
    "만들어",
    "생성",
    "개발",
    "요청드",
    "요청합니다",
    "요청해요",
    "부탁드립니다",
    "해 주실 수",
    "해주실 수",
    "주실 수",
    "필요합니다",
    "필요해요",
    "필요한데",
    "수정해",
    "수정 부탁",
    "변경해",
    "변경 부탁",
    "바꿔 주",
    "넣어 주",
    "넣어줘",
    "넣어주",
    "빼 주",
    "삭제해",
    "고쳐",
    "적재해",
    "연동",
    "신규",
    "please add",
    "could you add",
    "can you add",
    "can you create",
    "could you create",
    "please create",
    "we need",
    "i need",
    "would like",
    "build a",
    "add a ",
    "add the",
    "set up",
    "new dashboard",
    "new table",
];

/// Whether `text` sounds like a request for work (`매출 대시보드에 환불 컬럼 추가해 주세요`).
pub fn sounds_like_a_request(text: &str) -> bool {
    let lower = text.to_lowercase();
    REQUEST_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether `text` starts with a command's name or alias, as a command is typed.
pub fn starts_with_a_name(text: &str) -> bool {
    let lowered: Vec<String> = text
        .split_whitespace()
        .map(|t| t.to_lowercase().trim_end_matches(':').to_owned())
        .collect();
    COMMANDS.iter().flat_map(|spec| spec.names()).any(|name| {
        let words: Vec<&str> = name.split(' ').collect();
        words.len() <= lowered.len()
            && words
                .iter()
                .zip(&lowered)
                .all(|(a, b)| a.to_lowercase() == *b)
    })
}

/// How `text` was understood, as `doberman ask --explain` prints it: `{"command": "cost", "args": {…}}`, or
/// `{"command": null}` (with `"choices"` when several commands fit as well, `"suggestions"` for a typo, and
/// `"problem"` when a command was recognised but its arguments were not).
pub fn explain(text: &str, today: NaiveDate) -> Value {
    use super::parse::{Parsed, parse_at};
    match parse_at(text, today) {
        Parsed::Empty => json!({ "command": "help", "args": {} }),
        Parsed::Command { spec, args } => {
            // The JSON arguments come from the reading; a command typed by its name keeps its own words.
            match understand(&super::parse::normalize(text), today) {
                Understood::Command(r) if r.spec == spec && r.args == args => r.to_json(),
                _ => json!({ "command": spec.name, "args": typed_args(spec, &args) }),
            }
        }
        Parsed::Usage { spec, problem } => {
            json!({ "command": spec.name, "args": {}, "problem": problem })
        }
        Parsed::Ambiguous(readings) => json!({
            "command": null,
            "choices": readings.iter().map(|r| r.spec.name).collect::<Vec<_>>(),
            "readings": readings.iter().map(Reading::to_json).collect::<Vec<_>>(),
        }),
        Parsed::Unknown { suggestions, .. } => json!({
            "command": null,
            "suggestions": suggestions.iter().map(|s| s.name).collect::<Vec<_>>(),
        }),
    }
}

/// Whether an explanation (`explain`'s JSON) says what a labelled line says: the same command and arguments, or
/// no command (with the same choices, when the line names them). For the corpus tests.
pub fn agrees(got: &Value, want: &Value) -> bool {
    if want["command"].is_null() {
        if !got["command"].is_null() {
            return false;
        }
        let names = |v: &Value| {
            let mut names: Vec<String> = v
                .as_array()
                .map(|c| {
                    c.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            names
        };
        return match want.get("choices") {
            Some(choices) => names(choices) == names(&got["choices"]),
            None => got.get("choices").is_none(),
        };
    }
    got["command"] == want["command"] && got.get("problem").is_none() && got["args"] == want["args"]
}

/// The arguments of a command typed by its name, as `--explain` names them.
fn typed_args(spec: &CommandSpec, args: &[Option<String>]) -> Value {
    let mut out = serde_json::Map::new();
    for (arg, value) in spec.args.iter().zip(args) {
        let Some(value) = value else { continue };
        let key = match arg.kind {
            ArgKind::CheckName => "name",
            ArgKind::CheckTarget => "target",
            ArgKind::CommandName => "about",
            ArgKind::Verbatim => "text",
            ArgKind::Change => "change",
            ArgKind::RequestId => "id",
            _ => arg.name,
        };
        let value = match (arg.kind, value.as_str()) {
            (ArgKind::CommandName, topic) => match super::parse::parse(topic) {
                super::parse::Parsed::Command { spec, .. }
                | super::parse::Parsed::Usage { spec, .. } => {
                    json!(spec.name)
                }
                _ => json!(topic),
            },
            (ArgKind::RequestId, id) => {
                let digits: String = id.chars().filter(char::is_ascii_digit).collect();
                digits
                    .parse::<u32>()
                    .map_or_else(|_| json!(id), |n| json!(n))
            }
            (ArgKind::Change, change) => {
                let first = change
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_lowercase();
                json!(first)
            }
            (_, v) => json!(v),
        };
        out.insert(key.to_owned(), value);
    }
    Value::Object(out)
}

/// Whether `text` holds nothing but words that carry no meaning (`목록 보여줘`, `please`).
pub fn only_fillers(text: &str) -> bool {
    text.split_whitespace().all(|w| {
        let w = w.to_lowercase();
        let w = w.trim_matches(|c| TRIM.contains(&c));
        w.is_empty() || FILLERS.contains(&w) || FILLERS.contains(&strip_particles(w).as_str())
    })
}

/// Whether a command's name is also a subject word of some command (`테이블`, `table`, `dag`): generic.
pub fn is_generic(name: &str) -> bool {
    static SUBJECT_WORDS: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
        COMMANDS
            .iter()
            .flat_map(|c| c.about.iter().map(|a| compact(a)))
            .collect()
    });
    SUBJECT_WORDS.contains(&compact(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day the corpus was written against.
    fn corpus_day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn the_corpus_is_understood() {
        let corpus = include_str!("../../tests/fixtures/nlu/corpus.jsonl");
        let mut wrong = Vec::new();
        let mut total = 0;
        for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
            let want: Value = serde_json::from_str(line).unwrap();
            let text = want["text"].as_str().unwrap();
            let got = explain(text, corpus_day());
            total += 1;
            if !agrees(&got, &want) {
                wrong.push(format!("{text}\n    want {}\n    got  {got}", json!({"command": want["command"], "args": want.get("args"), "choices": want.get("choices")})));
            }
        }
        let right = total - wrong.len();
        println!(
            "corpus: {right}/{total} understood; not as labelled:\n{}",
            wrong.join("\n")
        );
        // The corpus was written apart from the parser, and some of its lines are judgment calls (a lone `주문` is
        // a question between two commands to its author, an unknown word to the parser): 97 % must agree.
        assert!(
            right * 100 >= total * 97,
            "{right}/{total} understood; not as labelled:\n{}",
            wrong.join("\n")
        );
    }

    /// The phrasings, each of which used to answer "I don't know that command".
    #[test]
    fn the_phrasings_that_failed_are_understood() {
        let cases: &[(&str, Value)] = &[
            (
                "이번 달 비용",
                json!({"command": "cost", "args": {"period": "this_month"}}),
            ),
            (
                "지난달 비용",
                json!({"command": "cost", "args": {"period": "last_month"}}),
            ),
            (
                "오늘 비용",
                json!({"command": "cost", "args": {"period": "today"}}),
            ),
            (
                "가장 많이 쓰는 테이블",
                json!({"command": "top tables", "args": {}}),
            ),
            (
                "sales.orders 테이블 정보",
                json!({"command": "catalog table", "args": {"table": "sales.orders"}}),
            ),
            (
                "주문 테이블 찾아줘",
                json!({"command": "catalog search", "args": {"words": "주문"}}),
            ),
            (
                "비용 10월",
                json!({"command": "cost", "args": {"period": "2026-10"}}),
            ),
            (
                "비용 2026년 10월",
                json!({"command": "cost", "args": {"period": "2026-10"}}),
            ),
            (
                "비용 어제",
                json!({"command": "cost", "args": {"period": "yesterday"}}),
            ),
            (
                "비용 팀별",
                json!({"command": "cost", "args": {"by": "team"}}),
            ),
            (
                "인기 테이블 일주일",
                json!({"command": "top tables", "args": {"days": 7}}),
            ),
            (
                "인기 테이블 30일 스캔량",
                json!({"command": "top tables", "args": {"days": 30, "by": "scanned"}}),
            ),
            (
                "주문 테이블",
                json!({"command": "catalog table", "args": {"table": "주문"}}),
            ),
            (
                "what did we spend this month",
                json!({"command": "cost", "args": {"period": "this_month"}}),
            ),
            (
                "most used tables last week",
                json!({"command": "top tables", "args": {"days": 7}}),
            ),
            (
                "show me sales.orders",
                json!({"command": "catalog table", "args": {"table": "sales.orders"}}),
            ),
            // Spacing or none, particles, a month of last year.
            (
                "이번달비용좀",
                json!({"command": "cost", "args": {"period": "this_month"}}),
            ),
            (
                "12월 비용은?",
                json!({"command": "cost", "args": {"period": "2025-12"}}),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&explain(text, corpus_day()), want, "{text}");
        }
    }
}
