//! `requests [open|mine|all]` and `request REQ-n [change]`, and the card buttons that change a requirement.

use serde_json::Value;

use super::commands::{Command, Context, FromArgs, RawArgs};
use super::{Caller, Reply, help};
use crate::cards::kit;
use crate::cards::views::{Empty, RequestRow, RequestsCard};
use crate::store::{Change, RequirementFilter, Store, StoreError};

/// Rows the list shows at most.
const LIST_LIMIT: u32 = 50;

/// A change as typed, before the people in it are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// `accept`.
    Accept,
    /// `start`.
    Start,
    /// `done`.
    Done,
    /// `reject <reason>`.
    Reject(String),
    /// `assign me`.
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

/// The change words of `request REQ-n …`, Korean ones too.
pub fn parse_change(words: &str) -> Result<Wanted, String> {
    let mut parts = words.trim().splitn(2, ' ');
    let verb = parts.next().unwrap_or_default().to_lowercase();
    let rest = parts.next().unwrap_or_default().trim();
    match verb.as_str() {
        "accept" | "수락" => Ok(Wanted::Accept),
        "start" | "시작" => Ok(Wanted::Start),
        "done" | "완료" => Ok(Wanted::Done),
        "reject" | "거절" if rest.is_empty() => {
            Err("`reject` needs a reason: `request REQ-12 reject <why>`".to_owned())
        }
        "reject" | "거절" => Ok(Wanted::Reject(rest.to_owned())),
        "assign" | "담당" => match rest.to_lowercase().as_str() {
            "me" | "나" | "myself" => Ok(Wanted::AssignMe),
            "" => Err("`assign` needs `me` or an @mention: `request REQ-12 assign me`".to_owned()),
            _ => Ok(Wanted::AssignMentioned),
        },
        other => Err(format!(
            "{} is not a change I know: accept, start, done, reject <reason>, assign me, assign @person",
            crate::cards::kit::quote(other)
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
            [] => {
                return Err(
                    "@mention the person to assign (Teams turns `@name` into a mention), or say `assign me`"
                        .to_owned(),
                );
            }
            _ => return Err("Assign one person at a time".to_owned()),
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
            _ => return Some(Err("Say why it is rejected".to_owned())),
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

/// `requests [open|mine|all]`.
pub async fn list(
    store: &Store,
    which: Option<&str>,
    caller: &Caller,
) -> Result<Reply, StoreError> {
    let which = which.unwrap_or("open").to_lowercase();
    let (filter, label) = match which.as_str() {
        "open" | "열린" => (RequirementFilter::Open, "open"),
        "mine" | "내" | "나" => (RequirementFilter::Of(&caller.person), "yours"),
        "all" | "전체" => (RequirementFilter::All, "all"),
        other => {
            return Ok(help::mistake(
                "Not quite",
                &format!("{} is not a list I keep.", crate::cards::kit::quote(other)),
                "Say `requests`, `requests mine` or `requests all`.",
                Vec::new(),
            ));
        }
    };
    if matches!(filter, RequirementFilter::Of(p) if p.aad_object_id.is_none() && p.teams_id.is_none())
    {
        return Ok(Reply::Text(
            "I cannot tell who you are here: ask in Teams.".to_owned(),
        ));
    }
    let all = store.requirements(filter, LIST_LIMIT).await?;
    let now = crate::store::now();
    let rows: Vec<RequestRow> = all
        .iter()
        .map(|r| {
            let (status, color) = crate::requests::status_label(r.status);
            RequestRow {
                key: r.key(),
                title: r.title.clone(),
                status: status.to_owned(),
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
    Ok(help::show(&RequestsCard {
        title: format!("Requirements · {label}"),
        subtitle: format!("{} shown, newest first", kit::count(rows.len() as i64)),
        summary: format!("{} requirements ({label})", rows.len()),
        rows,
        empty: Empty::new(
            "Nothing here",
            "Requirements come from the request channel (an admin types `requests here` in it).",
        ),
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
            return Err(format!(
                "{} is not a requirement: write it as REQ-12",
                crate::cards::kit::quote(&key)
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
                None => Ok(Reply::Text(format!("There is no REQ-{id}."))),
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
            return Ok(Reply::Text(
                "Type `requests here` in the channel that should become the request channel."
                    .to_owned(),
            ));
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
            "📮 This is now the request channel: every new message here becomes a requirement \
             (REQ-1, REQ-2, …) that I answer in its thread; replies become its comments. \
             @mention me to give me a command instead."
                .to_owned()
        } else {
            "📮 This already is the request channel.".to_owned()
        }))
    }
}
