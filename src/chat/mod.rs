//! The conversation logic: commands (declared once in [`commands`]), parsing, help, conversation references, and
//! what Doberman does with each verified activity. Answers come from the store only.

pub mod airflow;
pub mod alerts;
pub mod catalog;
pub mod checks;
pub mod commands;
pub mod conversations;
pub mod cost;
mod help;
pub mod navigate;
pub mod parse;
pub mod pipeline;
pub mod requests;
pub mod status;
pub mod top;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tracing::Instrument;

use crate::requests::Requests;
use crate::store::{Person, Store};
use crate::teams::{Activity, ConnectorClient};
use commands::Scope;
use parse::Parsed;

/// What Doberman answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Markdown text.
    Text(String),
    /// An Adaptive Card.
    Card(Value),
}

impl Reply {
    /// The reply as a message activity answering `to`.
    pub fn into_activity(self, to: &Activity) -> Activity {
        match self {
            Reply::Text(text) => to.reply_with_text(text),
            Reply::Card(card) => to.reply_with_card(card),
        }
    }

    /// Whether this answers a mistake (an unknown command, a wrong argument): the error card.
    pub fn is_mistake(&self) -> bool {
        match self {
            Reply::Text(_) => false,
            Reply::Card(card) => card["body"][0]["id"] == "doberman-mistake",
        }
    }

    /// The reply as JSON: a card as is, text as `{"type": "message", "text": …}`.
    pub fn to_json(&self) -> Value {
        match self {
            Reply::Text(text) => json!({ "type": "message", "text": text }),
            Reply::Card(card) => card.clone(),
        }
    }
}

/// Who is asking, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Where the message was written.
    pub scope: Scope,
    /// Whether the person is in `teams.admins`.
    pub is_admin: bool,
    /// In a channel: its id and its team's.
    pub channel: Option<(String, Option<String>)>,
    /// Who wrote it.
    pub person: Person,
    /// The people the message @mentions, Doberman left out.
    pub mentions: Vec<Person>,
    /// The conversation (a channel thread's channel), for subscriptions.
    pub conversation: Option<String>,
}

impl Caller {
    /// Someone in a place, with no channel and no name (the command line, tests).
    pub fn new(scope: Scope, is_admin: bool) -> Caller {
        Caller {
            scope,
            is_admin,
            channel: None,
            person: Person::default(),
            mentions: Vec::new(),
            conversation: None,
        }
    }
}

/// The answer to an `invoke` activity, returned in the HTTP response.
#[derive(Debug, Clone, PartialEq)]
pub struct InvokeResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body, if any.
    pub body: Option<Value>,
}

/// Doberman's conversation logic.
#[derive(Debug)]
pub struct Chat {
    store: Store,
    connector: Arc<ConnectorClient>,
    admins: Vec<String>,
    settings: Settings,
    alerts: Option<Arc<crate::alerts::Alerts>>,
    requests: Requests,
    checker: Option<Arc<crate::checks::Checker>>,
}

/// What answers need from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The zone times are shown in (`schedule.timezone`).
    pub timezone: chrono_tz::Tz,
    /// Superset's base URL, for links to dashboards.
    pub superset_url: Option<url::Url>,
    /// Each scheduled job's period (by job name), for staleness warnings: data older than twice it is behind.
    pub periods: std::collections::BTreeMap<String, chrono::Duration>,
    /// When the serving process started, for `status`; `None` where nothing serves (`doberman ask`).
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// How long an answer may take before Doberman shows it is typing.
    pub typing_after: Duration,
    /// The navigation document, for `navigate`.
    pub navigate: navigate::Document,
    /// How tables' freshness is judged (as the freshness alerts do).
    pub watch: Watch,
    /// `airflow.late_after`: a DAG whose next run was due this long ago and not created is late.
    pub airflow_late_after: chrono::Duration,
}

/// What a table's freshness verdict needs, shared with the freshness alerts: the `alerts.freshness` rules and
/// whether intervals are learned (`alerts.freshness_learn`).
#[derive(Debug, Clone)]
pub struct Watch {
    /// The rules.
    pub rules: std::sync::Arc<[crate::config::alerts::FreshnessRule]>,
    /// Whether tables no rule names get an interval learned from their changes.
    pub learn: bool,
}

impl Default for Watch {
    fn default() -> Watch {
        Watch {
            rules: std::sync::Arc::from(Vec::new()),
            learn: true,
        }
    }
}

/// The default of [`Settings::typing_after`]: people notice a pause from about half a second.
pub const TYPING_AFTER: Duration = Duration::from_millis(500);

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            timezone: chrono_tz::Asia::Seoul,
            superset_url: None,
            periods: std::collections::BTreeMap::new(),
            started_at: Some(crate::clock::now()),
            typing_after: TYPING_AFTER,
            navigate: navigate::Document::default(),
            watch: Watch::default(),
            airflow_late_after: chrono::Duration::minutes(30),
        }
    }
}

/// What an answer needs besides the store: when and where it is asked, and the settings of the data it shows.
#[derive(Debug, Clone)]
pub struct View {
    /// The zone local days and "data as of" are in.
    pub timezone: chrono_tz::Tz,
    /// Now.
    pub now: chrono::DateTime<chrono::Utc>,
    /// The Superset dashboard of this data, when Superset is configured.
    pub dashboard: Option<String>,
    /// The period of the job that writes this data, for the staleness warning (data older than twice it).
    pub period: Option<chrono::Duration>,
    /// How tables' freshness is judged.
    pub watch: Watch,
}

impl Settings {
    /// The view of an answer about the data `job` writes, linking to its dashboard.
    pub fn view(&self, job: crate::collect::Job) -> View {
        View {
            timezone: self.timezone,
            now: crate::store::now(),
            dashboard: self.dashboard(job.dashboard()),
            period: self.period(job.name()),
            watch: self.watch.clone(),
        }
    }

    /// The settings of `config`.
    pub fn from_config(config: &crate::config::Config) -> Settings {
        let now = crate::clock::now();
        let tz = config.schedule.timezone;
        let periods = crate::schedule::periods(config, now);
        Settings {
            timezone: tz,
            superset_url: config.superset.url.clone(),
            periods,
            started_at: Some(now),
            typing_after: TYPING_AFTER,
            navigate: navigate::Document::from_config(config, now),
            watch: Watch {
                rules: config.alerts.freshness.clone().into(),
                learn: config.alerts.freshness_learn,
            },
            airflow_late_after: chrono::Duration::from_std(config.airflow.late_after)
                .unwrap_or(chrono::Duration::minutes(30)),
        }
    }

    /// The period of the job called `job`, when it is scheduled.
    pub fn period(&self, job: &str) -> Option<chrono::Duration> {
        self.periods.get(job).copied()
    }

    /// A Superset dashboard by its slug, when Superset is configured.
    pub fn dashboard(&self, slug: &str) -> Option<String> {
        crate::config::dashboard_url(self.superset_url.as_ref(), slug)
    }
}

impl Chat {
    /// Logic over `store`, answering through `connector`; `admins` are Entra object ids.
    pub fn new(store: Store, connector: Arc<ConnectorClient>, admins: Vec<String>) -> Chat {
        let settings = Settings::default();
        Chat {
            requests: Requests::new(store.clone(), connector.clone(), settings.timezone),
            store,
            connector,
            admins,
            settings,
            alerts: None,
            checker: None,
        }
    }

    /// The same logic able to run data checks (`check run`).
    pub fn with_checker(mut self, checker: Arc<crate::checks::Checker>) -> Chat {
        self.checker = Some(checker);
        self
    }

    /// The same logic with the alert engine: subscriptions show open cards at once, and alert buttons work.
    pub fn with_alerts(mut self, alerts: Arc<crate::alerts::Alerts>) -> Chat {
        self.alerts = Some(alerts);
        self
    }

    /// Asks the alert engine's loop to evaluate (after a subscription: its open cards come at once).
    fn evaluate_soon(&self) {
        if let Some(alerts) = &self.alerts {
            alerts.evaluate_soon();
        }
    }

    /// The same logic with `settings`.
    pub fn with_settings(mut self, settings: Settings) -> Chat {
        self.requests = self.requests.with_timezone(settings.timezone);
        self.settings = settings;
        self
    }

    /// Who sent `activity`.
    pub fn caller_of(&self, activity: &Activity) -> Caller {
        let scope = match activity
            .conversation
            .as_ref()
            .and_then(|c| c.conversation_type.as_deref())
        {
            Some("channel") => Scope::Team,
            Some("groupChat") => Scope::GroupChat,
            _ => Scope::Personal,
        };
        let aad = activity
            .from
            .as_ref()
            .and_then(|f| f.aad_object_id.as_deref());
        let from = activity.from.as_ref();
        Caller {
            scope,
            is_admin: aad.is_some_and(|id| self.admins.iter().any(|a| a.eq_ignore_ascii_case(id))),
            channel: crate::requests::channel_of(activity)
                .map(|c| (c, activity.team().map(|t| t.id))),
            person: Person {
                aad_object_id: aad.map(str::to_owned),
                name: from.and_then(|f| f.name.clone()),
                teams_id: from.map(|f| f.id.clone()),
            },
            mentions: activity
                .entities
                .iter()
                .flatten()
                .filter(|e| e.get("type").and_then(Value::as_str) == Some("mention"))
                .filter_map(|e| {
                    let id = e.pointer("/mentioned/id")?.as_str()?;
                    let bot = activity.recipient.as_ref().is_some_and(|r| r.id == id);
                    (!bot).then(|| Person {
                        aad_object_id: None,
                        name: e
                            .pointer("/mentioned/name")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        teams_id: Some(id.to_owned()),
                    })
                })
                .collect(),
            conversation: activity
                .conversation
                .as_ref()
                .map(|c| crate::teams::activity::base_id(&c.id).to_owned()),
        }
    }

    /// Runs what someone typed and returns the answer. User mistakes become friendly replies; internal failures
    /// a generic one, with the cause logged.
    pub async fn run_command(&self, text: &str, caller: &Caller) -> Reply {
        let (spec, args) = match parse::parse(text) {
            Parsed::Empty => return help::overview(caller),
            Parsed::Unknown { typed, suggestions } => {
                return help::unknown(&typed, &suggestions);
            }
            Parsed::Usage { spec, problem } => {
                return help::usage(spec, &problem);
            }
            Parsed::Command { spec, args } => (spec, args),
        };
        if !spec.scopes.contains(&caller.scope) {
            let wheres: Vec<&str> = spec.scopes.iter().map(|s| s.label()).collect();
            return help::mistake(
                "Not here",
                &format!("`{}` works in {} only.", spec.name, wheres.join(" and ")),
                "Ask me there instead.",
                Vec::new(),
            );
        }
        if spec.admin && !caller.is_admin {
            return help::mistake(
                "For admins only",
                &format!("Sorry, `{}` is for Doberman's admins.", spec.name),
                "Ask one of them, or see `help` for what you can use.",
                Vec::new(),
            );
        }
        let cx = commands::Context {
            chat: self,
            caller,
            spec,
        };
        let span = tracing::info_span!("command", command = spec.name);
        let result = spec.handler.call(&cx, args).instrument(span).await;
        result.unwrap_or_else(|e| {
            tracing::error!(error = %crate::common::error_chain(&e), "command failed");
            help::internal()
        })
    }

    /// Does what a verified activity asks and returns the answer to deliver: answers messages, welcomes on install.
    /// Runs off the request path ([`pipeline`] delivers; it has recorded the conversation with the activity).
    pub async fn answer(&self, activity: &Activity) -> Option<Reply> {
        let now = crate::store::now();
        let bot_id = activity
            .recipient
            .as_ref()
            .map(|r| r.id.clone())
            .unwrap_or_default();
        match activity.kind.as_str() {
            "message"
                if activity.value.is_some()
                    && activity.text.as_deref().is_none_or(|t| t.trim().is_empty()) =>
            {
                // An Action.Submit from a card: its data carries the verb.
                let verb = activity
                    .value
                    .as_ref()
                    .and_then(|v| v.get("verb"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                Some(self.run_verb(verb, activity).await.unwrap_or_else(|| {
                    help::mistake(
                        "I don't know that button",
                        &format!(
                            "I don't know the action {}.",
                            crate::cards::kit::quote(verb)
                        ),
                        "The card may be from an older Doberman; ask again to get a fresh one.",
                        Vec::new(),
                    )
                }))
            }
            // With the resource-specific consent the request channel needs, Teams sends Doberman every channel
            // message. Commands are those that @mention it and name a command; in a request channel the others
            // (an @mention with a request too: people address the bot) are tracked, elsewhere ignored.
            "message" | "messageUpdate" | "messageDelete"
                if activity
                    .conversation
                    .as_ref()
                    .is_some_and(|c| c.conversation_type.as_deref() == Some("channel"))
                    && !(activity.kind == "message"
                        && activity.mentions(&bot_id)
                        && !matches!(
                            parse::parse(&activity.text_without_mention_of(&bot_id)),
                            Parsed::Unknown { .. }
                        )) =>
            {
                let tracked = self.requests.track(activity, now).await;
                if !tracked && activity.kind == "message" && activity.mentions(&bot_id) {
                    // Not a request channel: an unknown command gets its did-you-mean.
                    Some(self.answer_command(activity, &bot_id).await)
                } else {
                    None
                }
            }
            "message" => Some(self.answer_command(activity, &bot_id).await),
            "conversationUpdate"
                if activity
                    .members_added
                    .iter()
                    .flatten()
                    .any(|m| m.id == bot_id) =>
            {
                Some(help::welcome())
            }
            _ => None,
        }
    }

    /// Runs the command a message holds (Doberman's mention left out) and returns the answer.
    async fn answer_command(&self, activity: &Activity, bot_id: &str) -> Reply {
        let text = activity.text_without_mention_of(bot_id);
        let caller = self.caller_of(activity);
        self.typing_while_slow(activity, self.run_command(&text, &caller))
            .await
    }

    /// Runs `work`; if it takes longer than [`Settings::typing_after`], shows Doberman typing in the conversation
    /// while it goes on.
    async fn typing_while_slow<F: std::future::Future<Output = Reply>>(
        &self,
        to: &Activity,
        work: F,
    ) -> Reply {
        tokio::pin!(work);
        tokio::select! {
            reply = &mut work => return reply,
            () = tokio::time::sleep(self.settings.typing_after) => {}
        }
        let (reply, ()) = tokio::join!(work, self.send_typing(to));
        reply
    }

    /// A `typing` activity: Teams shows "Doberman is typing…" for a few seconds or until the next message.
    async fn send_typing(&self, to: &Activity) {
        let (Some(service_url), Some(conversation)) =
            (to.service_url.as_deref(), to.conversation.as_ref())
        else {
            return;
        };
        let mut typing = to.reply_with_text("");
        typing.kind = "typing".to_owned();
        typing.text = None;
        typing.text_format = None;
        if let Err(e) = self
            .connector
            .send_to_conversation(service_url, &conversation.id, &typing)
            .await
        {
            // Only a courtesy: the answer still goes out.
            tracing::debug!(error = %e, "cannot show typing");
        }
    }

    /// Answers an `invoke` activity; `adaptiveCard/action` dispatches by verb.
    pub async fn invoke(&self, activity: &Activity) -> InvokeResponse {
        if activity.name.as_deref() != Some("adaptiveCard/action") {
            return InvokeResponse {
                status: 501,
                body: None,
            };
        }
        let verb = activity
            .value
            .as_ref()
            .and_then(|v| v.pointer("/action/verb"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let body = match self.run_verb(verb, activity).await {
            Some(Reply::Card(card)) => {
                json!({ "statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": card })
            }
            Some(Reply::Text(text)) => {
                json!({ "statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text })
            }
            None => json!({
                "statusCode": 400,
                "type": "application/vnd.microsoft.error",
                "value": { "code": "UnknownVerb", "message": format!("Doberman has no action {}", crate::cards::kit::quote(verb)) }
            }),
        };
        InvokeResponse {
            status: 200,
            body: Some(body),
        }
    }

    /// Card actions by verb; `None` for an unknown verb.
    async fn run_verb(&self, verb: &str, activity: &Activity) -> Option<Reply> {
        let caller = self.caller_of(activity);
        if verb == "help" {
            return Some(help::overview(&caller));
        }
        // Action.Execute carries the card's data (and inputs) in value.action.data, Action.Submit in value.
        let data = activity
            .value
            .as_ref()
            .map(|v| v.pointer("/action/data").unwrap_or(v).clone())
            .unwrap_or_default();
        if let Some(reply) = self.alert_verb(verb, &data, &caller).await {
            return Some(reply);
        }
        let change = requests::change_of_verb(verb, &data, &caller)?;
        let Some(id) = requests::requirement_of(&data) else {
            return Some(Reply::Text("That card names no requirement.".to_owned()));
        };
        Some(match change {
            Err(problem) => Reply::Text(problem),
            Ok(change) => match self
                .requests
                .change(
                    id,
                    &change,
                    &caller.person,
                    data["detail"] == true || data["detail"] == "true",
                )
                .await
            {
                Ok((_, Some(card))) => Reply::Card(card),
                Ok((text, None)) => Reply::Text(text),
                Err(e) => {
                    tracing::error!(error = %crate::common::error_chain(&e), "cannot change a requirement");
                    help::internal()
                }
            },
        })
    }

    /// An alert card's button (`alert.ack`, `alert.mute`): the card as it now is. `None` for other verbs.
    async fn alert_verb(&self, verb: &str, data: &Value, caller: &Caller) -> Option<Reply> {
        if !verb.starts_with("alert.") {
            return None;
        }
        let Some(engine) = self.alerts.as_ref() else {
            return Some(Reply::Text(
                "Alerts are not running in this Doberman.".to_owned(),
            ));
        };
        let Some(card) = alerts::card_of(data) else {
            return Some(Reply::Text("That card names no alert.".to_owned()));
        };
        let now = crate::store::now();
        let result = match verb {
            "alert.ack" => engine.acknowledge(card, &caller.person, now).await,
            "alert.mute" => match alerts::hours_of(data) {
                Some(hours) => engine.mute_card(card, hours, &caller.person, now).await,
                None => return Some(Reply::Text("Mute for 1 to 168 hours.".to_owned())),
            },
            _ => return None,
        };
        Some(match result {
            Ok(Some(card)) => Reply::Card(card),
            Ok(None) => Reply::Text(format!("There is no alert #{card}.")),
            Err(e) => {
                tracing::error!(error = %crate::common::error_chain(&e), "cannot change an alert");
                help::internal()
            }
        })
    }
}

/// How long shutdown waits for queued activities to be handled.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

pub use pipeline::{Dispatcher, QueueFull};
