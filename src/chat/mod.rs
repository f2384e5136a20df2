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
pub mod language;
pub mod navigate;
pub mod parse;
pub mod pipeline;
pub mod requests;
pub mod status;
pub mod top;
pub mod understand;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tracing::Instrument;

use crate::i18n::{self, Lang};
use crate::requests::Requests;
use crate::store::{Person, Store};
use crate::t;
use crate::teams::{Activity, ConnectorClient};
use commands::Scope;
use parse::Parsed;
use understand::Understood;

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
    /// The language to answer in: the chat's `language`, else the message's locale, else `chat.default_locale`.
    pub lang: Lang,
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
            lang: Lang::En,
        }
    }

    /// The same caller, answered in `lang`.
    pub fn in_lang(mut self, lang: Lang) -> Caller {
        self.lang = lang;
        self
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
    /// `chat.default_locale`: the language of answers to messages without a locale Doberman speaks.
    pub default_lang: Lang,
    /// `cost.display_currency` at `cost.exchange_rate`, when set.
    pub cost_conversion: Option<cost::Conversion>,
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
            default_lang: Lang::En,
            cost_conversion: None,
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
            default_lang: config.chat.default_locale,
            cost_conversion: cost::Conversion::from_config(&config.cost),
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
        self.requests = self
            .requests
            .with_timezone(settings.timezone)
            .with_lang(settings.default_lang);
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
            lang: activity
                .locale_tag()
                .and_then(Lang::from_tag)
                .unwrap_or(self.settings.default_lang),
        }
    }

    /// The language to speak to `activity`'s sender: the one set in its conversation with `language`, else the
    /// activity's locale, else `chat.default_locale`.
    pub async fn language_of(&self, activity: &Activity) -> Lang {
        let conversation = activity
            .conversation
            .as_ref()
            .map(|c| crate::teams::activity::base_id(&c.id));
        let set = match conversation {
            Some(id) => self
                .store
                .conversation_language_setting(id)
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %crate::common::error_chain(&e), "cannot read a conversation's language");
                    None
                }),
            None => None,
        };
        set.or_else(|| activity.locale_tag().and_then(Lang::from_tag))
            .unwrap_or(self.settings.default_lang)
    }

    /// Runs what someone typed and returns the answer, in the caller's language. User mistakes become friendly
    /// replies; internal failures a generic one, with the cause logged.
    pub async fn run_command(&self, text: &str, caller: &Caller) -> Reply {
        i18n::scope(caller.lang, self.run_command_here(text, caller)).await
    }

    /// The day months without a year are read against: today in `schedule.timezone`.
    fn today(&self) -> chrono::NaiveDate {
        crate::store::now()
            .with_timezone(&self.settings.timezone)
            .date_naive()
    }

    async fn run_command_here(&self, text: &str, caller: &Caller) -> Reply {
        let (spec, args) = match parse::parse_at(text, self.today()) {
            Parsed::Empty => return help::overview(caller),
            Parsed::Unknown { typed, suggestions } => {
                return help::unknown(&typed, &suggestions);
            }
            Parsed::Usage { spec, problem } => {
                return help::usage(spec, &problem);
            }
            Parsed::Ambiguous(readings) => return help::which(&readings),
            Parsed::Command { spec, args } => (spec, args),
        };
        if !spec.scopes.contains(&caller.scope) {
            let wheres: Vec<String> = spec
                .scopes
                .iter()
                .map(|s| match s {
                    Scope::Personal => t!("scope-personal"),
                    Scope::Team => t!("scope-team"),
                    Scope::GroupChat => t!("scope-group"),
                })
                .collect();
            let places = match wheres.as_slice() {
                [one] => one.clone(),
                [first, second] => t!("scope-and", first = first, second = second),
                more => more.join(", "),
            };
            return help::mistake(
                &t!("error-not-here-title"),
                &t!("error-not-here", command = spec.name, places = places),
                &t!("error-not-here-fix"),
                Vec::new(),
            );
        }
        if spec.admin && !caller.is_admin {
            return help::mistake(
                &t!("error-admins-title"),
                &t!("error-admins", command = spec.name),
                &t!("error-admins-fix"),
                Vec::new(),
            );
        }
        let cx = commands::Context {
            chat: self,
            caller,
            spec,
        };
        let span = tracing::info_span!("command", command = spec.name, lang = caller.lang.code());
        let result = spec.handler.call(&cx, args).instrument(span).await;
        result.unwrap_or_else(|e| {
            tracing::error!(error = %crate::common::error_chain(&e), "command failed");
            help::internal()
        })
    }

    /// Does what a verified activity asks and returns the answer to deliver: answers messages, welcomes on install.
    /// Runs off the request path ([`pipeline`] delivers; it has recorded the conversation with the activity). The
    /// answer is in the sender's language ([`Chat::language_of`]).
    pub async fn answer(&self, activity: &Activity) -> Option<Reply> {
        let lang = self.language_of(activity).await;
        i18n::scope(lang, self.answer_here(activity, lang)).await
    }

    async fn answer_here(&self, activity: &Activity, lang: Lang) -> Option<Reply> {
        let now = crate::store::now();
        let bot_id = activity
            .recipient
            .as_ref()
            .map(|r| r.id.clone())
            .unwrap_or_default();
        let in_channel = activity
            .conversation
            .as_ref()
            .is_some_and(|c| c.conversation_type.as_deref() == Some("channel"));
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
                        &t!("error-unknown-button-title"),
                        &t!(
                            "error-unknown-button",
                            verb = crate::cards::kit::quote(verb)
                        ),
                        &t!("error-unknown-button-fix"),
                        Vec::new(),
                    )
                }))
            }
            // With the resource-specific consent the request channel needs, Teams sends Doberman every channel
            // message. An @mention that is a command is answered; in a request channel the others are tracked
            // (people address the bot with their requests too), and one that could be either gets the question
            // "file this as a request?"; elsewhere messages without an @mention are ignored.
            "message" | "messageUpdate" | "messageDelete" if in_channel => {
                let mentioned = activity.kind == "message" && activity.mentions(&bot_id);
                if mentioned {
                    let text = activity.text_without_mention_of(&bot_id);
                    match self.mention_intent(&text) {
                        Intent::Command => {
                            return Some(self.answer_command(activity, &bot_id, lang).await);
                        }
                        Intent::Unsure(readings) if self.is_request_channel(activity).await => {
                            return Some(help::file_or_run(activity, &readings));
                        }
                        Intent::Unsure(_) | Intent::Request => {}
                    }
                }
                let tracked = self.requests.track(activity, now).await;
                if !tracked && mentioned {
                    // Not a request channel: an unknown command gets its did-you-mean.
                    Some(self.answer_command(activity, &bot_id, lang).await)
                } else {
                    None
                }
            }
            "message" => Some(self.answer_command(activity, &bot_id, lang).await),
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

    /// What an @mention in a channel is: a command to answer, a request to file, or either (the readings it
    /// could be as a command). Typed as a command (by its name) it is one; asking for work (`…가 필요합니다`,
    /// `please add …`) it is a request; a clear reading of people's words is a command; anything else is asked.
    fn mention_intent(&self, text: &str) -> Intent {
        if understand::starts_with_a_name(text) {
            return Intent::Command;
        }
        if understand::sounds_like_a_request(text) {
            return Intent::Request;
        }
        match understand::understand(&parse::normalize(text), self.today()) {
            Understood::Command(reading) if reading.score >= CLEAR_READING => Intent::Command,
            Understood::Command(reading) => Intent::Unsure(vec![reading]),
            Understood::Ambiguous(readings) => Intent::Unsure(readings),
            Understood::Nothing => Intent::Unsure(Vec::new()),
        }
    }

    /// Whether `activity` was written in a request channel.
    async fn is_request_channel(&self, activity: &Activity) -> bool {
        let Some(channel) = crate::requests::channel_of(activity) else {
            return false;
        };
        self.store.is_request_channel(&channel).await.unwrap_or_else(|e| {
            tracing::error!(error = %crate::common::error_chain(&e), "cannot read the request channels");
            false
        })
    }

    /// Runs the command a message holds (Doberman's mention left out) and returns the answer, in `lang`.
    async fn answer_command(&self, activity: &Activity, bot_id: &str, lang: Lang) -> Reply {
        let text = activity.text_without_mention_of(bot_id);
        let caller = self.caller_of(activity).in_lang(lang);
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
        let lang = self.language_of(activity).await;
        i18n::scope(lang, self.invoke_here(activity)).await
    }

    async fn invoke_here(&self, activity: &Activity) -> InvokeResponse {
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
                "value": { "code": "UnknownVerb", "message": t!("error-unknown-verb", verb = crate::cards::kit::quote(verb)) }
            }),
        };
        InvokeResponse {
            status: 200,
            body: Some(body),
        }
    }

    /// Card actions by verb; `None` for an unknown verb.
    async fn run_verb(&self, verb: &str, activity: &Activity) -> Option<Reply> {
        let caller = self.caller_of(activity).in_lang(i18n::current());
        if verb == "help" {
            return Some(help::overview(&caller));
        }
        // Action.Execute carries the card's data (and inputs) in value.action.data, Action.Submit in value.
        let data = activity
            .value
            .as_ref()
            .map(|v| v.pointer("/action/data").unwrap_or(v).clone())
            .unwrap_or_default();
        match verb {
            // A question back's button: the command it names, run for whoever pressed it.
            "run" => {
                let text = data["text"].as_str().unwrap_or_default();
                return Some(self.run_command(text, &caller).await);
            }
            // "File this as a request": the message the question answered becomes a requirement.
            "request.file" => return Some(self.file_request(activity, &data).await),
            _ => {}
        }
        if let Some(reply) = self.alert_verb(verb, &data, &caller).await {
            return Some(reply);
        }
        let change = requests::change_of_verb(verb, &data, &caller)?;
        let Some(id) = requests::requirement_of(&data) else {
            return Some(Reply::Text(t!("error-no-requirement")));
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

    /// Files the message a "file this as a request?" question answered: the question's data holds the message
    /// (its id, text and author), and it is tracked as if it had come without the @mention.
    async fn file_request(&self, activity: &Activity, data: &Value) -> Reply {
        let (Some(id), Some(text)) = (data["message"].as_str(), data["text"].as_str()) else {
            return Reply::Text(t!("request-file-unreadable"));
        };
        let mut message = activity.clone();
        message.kind = "message".to_owned();
        message.id = Some(id.to_owned());
        message.text = Some(text.to_owned());
        message.text_format = Some("xml".to_owned());
        message.value = None;
        message.name = None;
        message.attachments = None;
        message.reply_to_id = None;
        message.timestamp = data["at"].as_str().map(str::to_owned);
        if let Some(from) = data.get("from").filter(|f| f.is_object())
            && let Ok(from) = serde_json::from_value(from.clone())
        {
            message.from = Some(from);
        }
        // The message's own conversation: the channel's thread of the message.
        if let (Some(conversation), Some(channel)) = (
            message.conversation.as_mut(),
            crate::requests::channel_of(activity),
        ) {
            conversation.id = format!("{channel};messageid={id}");
        }
        if self.requests.track(&message, crate::store::now()).await {
            Reply::Text(t!("request-filed"))
        } else {
            Reply::Text(t!("request-file-not-a-request-channel"))
        }
    }

    /// An alert card's button (`alert.ack`, `alert.mute`): the card as it now is. `None` for other verbs.
    async fn alert_verb(&self, verb: &str, data: &Value, caller: &Caller) -> Option<Reply> {
        if !verb.starts_with("alert.") {
            return None;
        }
        let Some(engine) = self.alerts.as_ref() else {
            return Some(alerts::not_running());
        };
        let Some(card) = alerts::card_of(data) else {
            return Some(Reply::Text(t!("error-no-alert")));
        };
        let now = crate::store::now();
        let result = match verb {
            "alert.ack" => engine.acknowledge(card, &caller.person, now).await,
            "alert.mute" => match alerts::hours_of(data) {
                Some(hours) => engine.mute_card(card, hours, &caller.person, now).await,
                None => return Some(alerts::bad_mute_hours()),
            },
            _ => return None,
        };
        Some(match result {
            Ok(Some(card)) => Reply::Card(card),
            Ok(None) => Reply::Text(t!("error-no-such-alert", card = card)),
            Err(e) => {
                tracing::error!(error = %crate::common::error_chain(&e), "cannot change an alert");
                help::internal()
            }
        })
    }
}

/// The score of a reading clear enough to answer an @mention in a request channel without asking: a command's
/// name, or one of its phrases with an argument it takes (`이번 달 비용`, `sales.orders 테이블 정보`).
const CLEAR_READING: i32 = 3;

/// What an @mention in a channel asks for.
#[derive(Debug)]
enum Intent {
    /// A command: answer it.
    Command,
    /// A request: file it (in a request channel).
    Request,
    /// Could be either: these commands, or a request.
    Unsure(Vec<understand::Reading>),
}

/// How long shutdown waits for queued activities to be handled.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

pub use pipeline::{Dispatcher, QueueFull};
