//! `requests [open|mine|all]` and `request REQ-n [change]`, and the card buttons that change a requirement.

use serde_json::Value;

use super::commands::{Command, Context, FromArgs, RawArgs};
use super::{Caller, Reply, help};
use crate::cards::kit;
use crate::cards::views::{Empty, RequestRow, RequestsCard};
use crate::store::{Change, RequirementFilter, Store, StoreError};
use crate::t;

/// Rows the list shows at most.
const LIST_LIMIT: u32 = 50;

/// A change as typed, before the people in it are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// `accept` (`접수`, `수락`).
    Accept,
    /// `start` (`시작`, `진행`).
    Start,
    /// `done` (`완료`).
    Done,
    /// `reject <reason>` (`반려 <사유>`, `거절 <사유>`).
    Reject(String),
    /// `assign me` (`담당 나`, `담당 내가`).
    AssignMe,
    /// `assign @person`.
    AssignMentioned,
}

/// `REQ-12`, `req-12`, `#12` or `12`.
pub fn parse_key(word: &str) -> Option<i64> {
    let lower = word.trim().to_lowercase();
    let digits = lower
        .strip_prefix("req-")
        .or_else(|| lower.strip_prefix('#'))
        .unwrap_or(&lower);
    digits.parse().ok().filter(|n| *n > 0)
}

/// The change words of `request REQ-n …`, in English or Korean (`접수`, `시작`, `완료`, `반려 <사유>`, `담당 나`);
/// what is wrong, in the current language.
pub fn parse_change(words: &str) -> Result<Wanted, String> {
    let mut parts = words.trim().splitn(2, char::is_whitespace);
    let verb = parts.next().unwrap_or_default().to_lowercase();
    let rest = parts.next().unwrap_or_default().trim();
    match verb.as_str() {
        "accept" | "접수" | "수락" => Ok(Wanted::Accept),
        "start" | "시작" | "진행" => Ok(Wanted::Start),
        "done" | "완료" => Ok(Wanted::Done),
        "reject" | "반려" | "거절" if rest.is_empty() => {
            Err(t!("requests-reject-needs-reason"))
        }
        "reject" | "반려" | "거절" => Ok(Wanted::Reject(rest.to_owned())),
        "assign" | "담당" | "담당자" => match rest.to_lowercase().as_str() {
            "me" | "myself" | "나" | "내가" | "저" | "제가" => Ok(Wanted::AssignMe),
            "" => Err(t!("requests-assign-needs-whom")),
            _ => Ok(Wanted::AssignMentioned),
        },
        other => Err(t!(
            "requests-unknown-change",
            typed = crate::cards::kit::quote(other)
        )),
    }
}

/// The change for the store, with the people filled in from who asked and whom they mentioned.
pub fn resolve(wanted: Wanted, caller: &Caller) -> Result<Change, String> {
    Ok(match wanted {
        Wanted::Accept => Change::Accept,
        Wanted::Start => Change::Start,
        Wanted::Done => Change::Done,
        Wanted::Reject(reason) => Change::Reject(reason),
        Wanted::AssignMe => Change::Assign(caller.person.clone()),
        Wanted::AssignMentioned => match caller.mentions.as_slice() {
            [one] => Change::Assign(one.clone()),
            [] => return Err(t!("requests-mention-whom")),
            _ => return Err(t!("requests-assign-one")),
        },
    })
}

/// The card buttons' verbs and what they ask for.
pub fn change_of_verb(verb: &str, data: &Value, caller: &Caller) -> Option<Result<Change, String>> {
    let wanted = match verb {
        "request.accept" => Wanted::Accept,
        "request.start" => Wanted::Start,
        "request.done" => Wanted::Done,
        "request.assign_me" => Wanted::AssignMe,
        "request.reject" => match data.get("reason").and_then(Value::as_str).map(str::trim) {
            Some(reason) if !reason.is_empty() => Wanted::Reject(reason.to_owned()),
            _ => return Some(Err(t!("requests-say-why"))),
        },
        _ => return None,
    };
    Some(resolve(wanted, caller))
}

/// The requirement a button is about: `data.requirement` (a number, or a string of one).
pub fn requirement_of(data: &Value) -> Option<i64> {
    let v = data.get("requirement")?;
    v.as_i64().or_else(|| v.as_str().and_then(parse_key))
}

/// `requests [open|mine|all]` (`요청 [열린|내|전체]`), in the current language.
pub async fn list(
    store: &Store,
    which: Option<&str>,
    caller: &Caller,
) -> Result<Reply, StoreError> {
    let which = which.unwrap_or("open").to_lowercase();
    let (filter, label) = match which.as_str() {
        "open" | "열린" | "열림" => (RequirementFilter::Open, "open"),
        "mine" | "내" | "나" | "내것" | "내꺼" => {
            (RequirementFilter::Of(&caller.person), "mine")
        }
        "all" | "전체" | "모두" => (RequirementFilter::All, "all"),
        other => {
            return Ok(help::mistake(
                &t!("requests-list-unknown-title"),
                &t!(
                    "requests-list-unknown",
                    typed = crate::cards::kit::quote(other)
                ),
                &t!("requests-list-unknown-fix"),
                Vec::new(),
            ));
        }
    };
    if matches!(filter, RequirementFilter::Of(p) if p.aad_object_id.is_none() && p.teams_id.is_none())
    {
        return Ok(Reply::Text(t!("requests-who-are-you")));
    }
    let all = store.requirements(filter, LIST_LIMIT).await?;
    let now = crate::store::now();
    let rows: Vec<RequestRow> = all
        .iter()
        .map(|r| {
            let (status, color) = crate::requests::status_label(r.status);
            RequestRow {
                key: r.key(),
                title: crate::requests::shown_title(&r.title),
                status,
                status_color: color.to_owned(),
                who: r
                    .assignee
                    .name
                    .clone()
                    .or_else(|| r.author.name.clone())
                    .unwrap_or_default(),
                age: kit::ago(r.created_at, now),
            }
        })
        .collect();
    let n = rows.len();
    Ok(help::show(&RequestsCard {
        title: t!("requests-list-title", which = label),
        subtitle: t!("requests-list-subtitle", n = n),
        summary: t!("requests-list-summary", n = n, which = label),
        rows,
        empty: Empty::new(t!("requests-list-empty"), t!("requests-list-empty-hint")),
    }))
}

/// `requests [open|mine|all]`.
pub struct List;

impl Command for List {
    type Args = Option<String>;

    async fn run(&self, cx: &Context<'_>, which: Option<String>) -> Result<Reply, StoreError> {
        list(&cx.chat.store, which.as_deref(), cx.caller).await
    }
}

/// `request REQ-n [change]`, typed.
pub struct ShowArgs {
    id: i64,
    change: Option<Wanted>,
}

impl FromArgs for ShowArgs {
    fn from_args(args: RawArgs) -> Result<ShowArgs, String> {
        let mut args = args.into_iter();
        let key = args.next().flatten().unwrap_or_default();
        let Some(id) = parse_key(&key) else {
            return Err(t!(
                "requests-not-a-key",
                typed = crate::cards::kit::quote(&key)
            ));
        };
        let change = args
            .next()
            .flatten()
            .map(|words| parse_change(&words))
            .transpose()?;
        Ok(ShowArgs { id, change })
    }
}

/// `request REQ-n` (its card, with history) and `request REQ-n <change>`.
pub struct Show;

impl Command for Show {
    type Args = ShowArgs;

    async fn run(
        &self,
        cx: &Context<'_>,
        ShowArgs { id, change }: ShowArgs,
    ) -> Result<Reply, StoreError> {
        let requests = &cx.chat.requests;
        match change {
            None => match cx.chat.store.requirement(id).await? {
                Some(r) => requests.detail_card(&r, true).await.map(Reply::Card),
                None => Ok(Reply::Text(t!("requests-none", key = format!("REQ-{id}")))),
            },
            Some(wanted) => match resolve(wanted, cx.caller) {
                Err(problem) => Ok(help::usage(cx.spec, &problem)),
                Ok(change) => requests
                    .change(id, &change, &cx.caller.person, false)
                    .await
                    .map(|(text, _)| Reply::Text(text)),
            },
        }
    }
}

/// `requests here` (admins): this channel becomes the request channel.
pub struct Here;

impl Command for Here {
    type Args = ();

    async fn run(&self, cx: &Context<'_>, (): ()) -> Result<Reply, StoreError> {
        let Some((channel, team)) = &cx.caller.channel else {
            return Ok(Reply::Text(t!("requests-here-elsewhere")));
        };
        let new = cx
            .chat
            .store
            .set_request_channel(
                channel,
                team.as_deref(),
                &cx.caller.person,
                crate::store::now(),
            )
            .await?;
        Ok(Reply::Text(if new {
            t!("requests-here-new")
        } else {
            t!("requests-here-already")
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    #[test]
    fn changes_are_typed_in_english_or_korean() {
        for (typed, expected) in [
            ("accept", Wanted::Accept),
            ("접수", Wanted::Accept),
            ("수락", Wanted::Accept),
            ("start", Wanted::Start),
            ("시작", Wanted::Start),
            ("진행", Wanted::Start),
            ("DONE", Wanted::Done),
            ("완료", Wanted::Done),
            (
                "reject already in mart",
                Wanted::Reject("already in mart".to_owned()),
            ),
            (
                "반려 이미 mart.churn에 있습니다",
                Wanted::Reject("이미 mart.churn에 있습니다".to_owned()),
            ),
            ("거절 중복", Wanted::Reject("중복".to_owned())),
            ("assign me", Wanted::AssignMe),
            ("담당 나", Wanted::AssignMe),
            ("담당 내가", Wanted::AssignMe),
            ("담당자 제가", Wanted::AssignMe),
            ("assign @Lee", Wanted::AssignMentioned),
            ("담당 @박지훈", Wanted::AssignMentioned),
        ] {
            assert_eq!(parse_change(typed), Ok(expected), "{typed}");
        }
    }

    #[test]
    fn what_is_wrong_with_a_change_is_said_in_the_askers_language() {
        let en: Vec<String> = ["reject", "assign", "explode"]
            .into_iter()
            .map(|typed| parse_change(typed).expect_err(typed))
            .collect();
        assert_eq!(
            en,
            [
                "`reject` needs a reason: `request REQ-12 reject <why>`",
                "`assign` needs `me` or an @mention: `request REQ-12 assign me`",
                "“explode” is not a change I know: accept, start, done, reject <reason>, assign me, assign @person",
            ]
        );

        let caller = Caller::new(super::super::commands::Scope::Personal, false);
        let ko: Vec<String> = i18n::sync_scope(Lang::Ko, || {
            ["반려", "담당", "폭파"]
                .into_iter()
                .map(|typed| parse_change(typed).expect_err(typed))
                .chain([
                    ShowArgs::from_args(vec![Some("열두번째".to_owned())])
                        .err()
                        .expect("not a key"),
                    resolve(Wanted::AssignMentioned, &caller).expect_err("nobody mentioned"),
                    change_of_verb(
                        "request.reject",
                        &serde_json::json!({"requirement": 1}),
                        &caller,
                    )
                    .expect("a verb of requests")
                    .expect_err("no reason"),
                ])
                .collect()
        });
        assert_eq!(
            ko,
            [
                "반려하려면 사유가 필요합니다: `request REQ-12 반려 <사유>`",
                "담당자를 지정하려면 `나` 또는 @멘션이 필요합니다: `request REQ-12 담당 나`",
                "“폭파”은(는) 알 수 없는 변경입니다. `접수`, `시작`, `완료`, `반려 <사유>`, `담당 나`, `담당 @이름` 중 하나를 써 주세요",
                "“열두번째”은(는) 요청 번호가 아닙니다. REQ-12처럼 써 주세요",
                "담당자로 지정할 사람을 @멘션해 주세요 (Teams에서 `@이름`을 입력하면 멘션이 됩니다). 본인이면 `담당 나`라고 입력해 주세요",
                "반려 사유를 입력해 주세요",
            ]
        );
        for problem in &ko {
            assert_eq!(
                i18n::english_words(problem),
                Vec::<String>::new(),
                "{problem}"
            );
        }
    }

    #[test]
    fn a_list_is_titled_and_counted_in_either_language() {
        let en = |n: usize, which: &str| {
            (
                t!("requests-list-title", which = which),
                t!("requests-list-summary", n = n, which = which),
            )
        };
        assert_eq!(
            en(3, "open"),
            (
                "Requirements · open".to_owned(),
                "3 requirements (open)".to_owned()
            )
        );
        assert_eq!(
            en(1, "mine"),
            (
                "Requirements · yours".to_owned(),
                "1 requirement (yours)".to_owned()
            )
        );
        assert_eq!(
            i18n::sync_scope(Lang::Ko, || en(1234, "all")),
            (
                "요청 목록 · 전체".to_owned(),
                "요청 1,234건 (전체)".to_owned()
            )
        );
    }
}
