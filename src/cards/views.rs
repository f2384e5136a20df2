//! The data of every card, typed: one struct per template in `cards/`, its template's name a constant
//! ([`View::TEMPLATE`]). Producers build these; a test reads every example of `cards/examples/` through its struct
//! (unknown fields refused) and renders it, so a template, its examples and what the code sends cannot drift.
//!
//! Field names follow the templates (`camelCase`). An empty string is what a template's `$when` treats as absent.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::CardError;

/// A card's data: serialized, it fills the template named [`View::TEMPLATE`].
pub trait View: Serialize {
    /// The template's name (`cards/<name>.json`).
    const TEMPLATE: &'static str;

    /// One line for notifications, screen readers and a text fallback.
    fn summary(&self) -> &str;
}

/// Renders `view` through its template, in the current language: the template's fixed words are given as
/// `$root.t` (see [`with_labels`]).
pub fn render<V: View>(view: &V) -> Result<Value, CardError> {
    let data = serde_json::to_value(view)
        .expect("a view is plain data: strings, numbers, flags and lists");
    super::render(V::TEMPLATE, &with_labels(data, crate::i18n::current()))
}

/// `data` with the templates' fixed words of `lang` as `t` (`${$root.t.data_as_of}`), from the catalogs' `t_`
/// messages.
pub fn with_labels(mut data: Value, lang: crate::i18n::Lang) -> Value {
    if let Value::Object(map) = &mut data {
        // Data of its own called `t` (a hand-written example) is left alone.
        map.entry("t")
            .or_insert_with(|| crate::i18n::labels(lang).clone());
    }
    data
}

macro_rules! view {
    ($type:ty, $template:literal) => {
        impl View for $type {
            const TEMPLATE: &'static str = $template;
            fn summary(&self) -> &str {
                &self.summary
            }
        }
    };
}

/// A fact: `title: value`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// What.
    pub title: String,
    /// Its value.
    pub value: String,
}

impl Fact {
    /// `title: value`.
    pub fn new(title: impl Into<String>, value: impl Into<String>) -> Fact {
        Fact {
            title: title.into(),
            value: value.into(),
        }
    }
}

/// A short coloured label (`good`, `warning`, `attention`, `accent`, `default`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Badge {
    /// The words.
    pub label: String,
    /// The colour.
    pub color: String,
}

impl Badge {
    /// `label` in `color`.
    pub fn new(label: impl Into<String>, color: impl Into<String>) -> Badge {
        Badge {
            label: label.into(),
            color: color.into(),
        }
    }
}

/// What a list shows when it is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {
    /// A title.
    pub title: String,
    /// What to do about it.
    pub hint: String,
}

impl Empty {
    /// `title`, with `hint`.
    pub fn new(title: impl Into<String>, hint: impl Into<String>) -> Empty {
        Empty {
            title: title.into(),
            hint: hint.into(),
        }
    }
}

/// A line of text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The text (Markdown).
    pub text: String,
}

impl Line {
    /// A line of `text`.
    pub fn new(text: impl Into<String>) -> Line {
        Line { text: text.into() }
    }
}

/// A line of text in a colour.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColoredLine {
    /// The text.
    pub text: String,
    /// The colour.
    pub color: String,
}

/// `error`: a mistake of the user's with the fix, or a failure on Doberman's side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCard {
    /// One line.
    pub summary: String,
    /// `warning` (the user's mistake) or `attention` (Doberman's).
    pub severity: String,
    /// Title.
    pub title: String,
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub fix: String,
    /// Commands meant, maybe.
    pub suggestions: Vec<String>,
    /// Buttons that answer a question back: which command was meant, or whether to file a request.
    #[serde(default)]
    pub choices: Vec<Choice>,
}
view!(ErrorCard, "error");

/// A button of a question back: its title and what it sends (an `imBack` of a command's text, or a verb).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The button's title.
    pub title: String,
    /// The `Action.Submit`'s data.
    pub payload: Value,
}

/// `welcome`: the card on install.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WelcomeCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// The English paragraph.
    pub english: String,
    /// The Korean paragraph.
    pub korean: String,
    /// The help button's title.
    pub help_button: String,
}
view!(WelcomeCard, "welcome");

/// `help`: every command usable here, or one command in full.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// The commands listed (none when one is explained).
    pub commands: Vec<HelpCommand>,
    /// The command explained.
    pub command: Option<HelpDetail>,
    /// What to type next.
    pub hint: String,
}
view!(HelpCard, "help");

/// A command in the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpCommand {
    /// `name <required> [optional]`.
    pub usage: String,
    /// One line.
    pub summary: String,
    /// Other names, `, `-separated.
    pub aliases: String,
}

/// One command in full.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpDetail {
    /// `name <required> [optional]`.
    pub usage: String,
    /// What it does.
    pub help: String,
    /// Its arguments.
    pub args: Vec<HelpArg>,
    /// Examples, `, `-separated.
    pub examples: String,
    /// Where it works, who may use it, other names.
    #[serde(rename = "where")]
    pub place: String,
}

/// An argument of a command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpArg {
    /// Its name.
    pub name: String,
    /// What it is.
    pub help: String,
}

/// `requests`: a list of requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestsCard {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// The requirements.
    pub rows: Vec<RequestRow>,
    /// What an empty list says.
    pub empty: Empty,
    /// One line.
    pub summary: String,
}
view!(RequestsCard, "requests");

/// A requirement in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestRow {
    /// `REQ-n`.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Its status, with an emoji.
    pub status: String,
    /// The status's colour.
    pub status_color: String,
    /// Its assignee, else its author.
    pub who: String,
    /// How long ago it was asked.
    pub age: String,
}

/// `request`: a requirement's thread card, with its buttons; with its history and comments for `request REQ-n`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestCard {
    /// `requirement.id`, for the buttons.
    pub id: i64,
    /// Whether this is the detailed card (`request REQ-n`: history and comments): a button pressed on it answers
    /// with the detailed card again.
    pub detail: bool,
    /// `REQ-n`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Whether Accept shows.
    pub show_accept: bool,
    /// Whether Start shows.
    pub show_start: bool,
    /// Whether Done shows.
    pub show_done: bool,
    /// Whether Reject shows.
    pub show_reject: bool,
    /// Whether "Assign me" shows.
    pub show_assign: bool,
    /// Status changes, oldest first.
    pub history: Vec<Line>,
    /// Comments, oldest first.
    pub comments: Vec<Line>,
    /// Status, with an emoji.
    pub status: String,
    /// The status's colour.
    pub status_color: String,
    /// Facts.
    pub facts: Vec<Fact>,
    /// Attached files.
    pub files: Vec<Line>,
    /// When the message was deleted, said so.
    pub deleted: Option<String>,
    /// One line.
    pub summary: String,
}
view!(RequestCard, "request");

/// `status`: how Doberman and its collectors are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Overall.
    pub status: Badge,
    /// Facts.
    pub facts: Vec<Fact>,
    /// Each collector's last run.
    pub jobs: Vec<StatusJob>,
    /// Each fact family's freshness.
    pub data: Vec<StatusData>,
}
view!(StatusCard, "status");

/// A collector's last run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StatusJob {
    /// The job.
    pub name: String,
    /// When it last ran.
    pub last_run: String,
    /// How it ended.
    pub result: Badge,
    /// Rows written.
    pub rows: String,
}

/// A fact family's freshness.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusData {
    /// What.
    pub name: String,
    /// When it last changed.
    pub at: String,
    /// Fresh, behind, not scheduled.
    pub fresh: Badge,
}

/// `top`: the tables or databases most queried.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TopCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Facts.
    pub facts: Vec<Fact>,
    /// The name column's header.
    pub name_label: String,
    /// The trend column's header.
    pub trend_label: String,
    /// The ranking.
    pub rows: Vec<TopRow>,
    /// What an empty ranking says.
    pub empty: Empty,
    /// The staleness warning, if any.
    pub stale: String,
    /// "Data as of".
    pub as_of: String,
    /// The Superset dashboard, if configured.
    pub superset_url: String,
}
view!(TopCard, "top");

/// `airflow`: a board of named rows with a state and a link: the Airflow board, failed runs, one DAG; the data
/// checks (`checks`, `check <name>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AirflowCard {
    /// The icon beside the title (🌀 Airflow, 🔎 data checks).
    pub icon: String,
    /// The state column's header.
    pub state_label: String,
    /// The text of a row's link (`log`, `history`).
    pub link_label: String,
    /// The dashboard button's text.
    pub dashboard_label: String,
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Overall, beside the title (empty: none).
    pub status: Badge,
    /// Facts.
    pub facts: Vec<Fact>,
    /// The name column's header.
    pub name_label: String,
    /// The detail column's header.
    pub detail_label: String,
    /// The rows.
    pub rows: Vec<AirflowRow>,
    /// What an empty list says.
    pub empty: Empty,
    /// What was left out.
    pub more: String,
    /// The staleness warning, if any.
    pub stale: String,
    /// "Data as of".
    pub as_of: String,
    /// The Superset dashboard, if configured.
    pub superset_url: String,
}
view!(AirflowCard, "airflow");

/// `airflow heatmap`: the schedule heatmap image and the busiest hours under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AirflowHeatmapCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle: the period, the zone, the instance.
    pub subtitle: String,
    /// The image, a `data:image/png;base64,…` URI (empty: nothing to draw).
    pub image: String,
    /// What the image shows, in words (screen readers; Teams' alt text).
    pub alt_text: String,
    /// The busiest hours: `Mon 02:00–03:00` → `41 runs · 930 min`.
    pub busiest: Vec<Fact>,
    /// What an empty heatmap says.
    pub empty: Empty,
    /// The staleness warning, if any.
    pub stale: String,
    /// "Data as of".
    pub as_of: String,
    /// The Superset dashboard, if configured.
    pub superset_url: String,
}
view!(AirflowHeatmapCard, "airflow_heatmap");

/// A DAG or a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirflowRow {
    /// The DAG (or the run).
    pub name: String,
    /// Under it: the instance, the owner.
    pub place: String,
    /// When, how long, which tasks failed.
    pub detail: String,
    /// The failed task's log, if any.
    pub url: String,
    /// Its state.
    pub state: Badge,
}

/// A row of the ranking.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopRow {
    /// `1.`
    pub rank: String,
    /// The table or database.
    pub name: String,
    /// Queries.
    pub queries: String,
    /// Bytes scanned.
    pub scanned: String,
    /// Against the period before.
    pub trend: Badge,
}

/// `catalog_list`: tables found, or a database's tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CatalogListCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// A notice above the list (close matches, …).
    pub notice: String,
    /// Facts.
    pub facts: Vec<Fact>,
    /// The tables.
    pub rows: Vec<CatalogRow>,
    /// How many more there are.
    pub more: String,
    /// What an empty list says.
    pub empty: Empty,
    /// The staleness warning, if any.
    pub stale: String,
    /// "Data as of".
    pub as_of: String,
    /// The Superset dashboard, if configured.
    pub superset_url: String,
}
view!(CatalogListCard, "catalog_list");

/// A table in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogRow {
    /// `db.table`.
    pub name: String,
    /// Its description or why it matched.
    pub about: String,
    /// How fresh its data is.
    pub fresh: Badge,
    /// Its queries.
    pub queries: String,
}

/// `catalog_table`: one table in full.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CatalogTableCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// How fresh its data is.
    pub badge: Badge,
    /// A notice (a close match shown instead, …).
    pub notice: String,
    /// Its description.
    pub description: String,
    /// Facts.
    pub facts: Vec<Fact>,
    /// The columns' header.
    pub columns_title: String,
    /// Its columns.
    pub columns: Vec<CatalogColumn>,
    /// How many more columns there are.
    pub columns_more: String,
    /// The readers' header.
    pub readers_title: String,
    /// The work groups that read it most.
    pub readers: Vec<CatalogReader>,
    /// What no readers says.
    pub readers_empty: String,
    /// The staleness warning, if any.
    pub stale: String,
    /// "Data as of".
    pub as_of: String,
    /// The Superset dashboard, if configured.
    pub superset_url: String,
}
view!(CatalogTableCard, "catalog_table");

/// A column of a table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogColumn {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its comment.
    pub comment: String,
    /// Whether it is a partition key.
    pub key: bool,
}

/// A reader of a table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogReader {
    /// The work group.
    pub name: String,
    /// Its queries.
    pub queries: String,
}

/// `cost`: a period's cost against the period before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CostCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// The configured exchange rate the amounts were converted at, when they were.
    pub rate: String,
    /// Against the period before.
    pub status: Badge,
    /// Facts.
    pub facts: Vec<Fact>,
    /// The groups' header (service, account, team, resource).
    pub group_label: String,
    /// The change column's header.
    pub change_label: String,
    /// The top groups.
    pub rows: Vec<CostRow>,
    /// The movers' header.
    pub movers_title: String,
    /// The biggest movers.
    pub movers: Vec<ColoredLine>,
    /// What no data says.
    pub empty: Empty,
    /// The staleness warning, if any.
    pub stale: String,
    /// "Data as of".
    pub as_of: String,
    /// The Superset dashboard, if configured.
    pub superset_url: String,
}
view!(CostCard, "cost");

/// A service, account, team or resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostRow {
    /// Which.
    pub name: String,
    /// What it is, when the name alone does not say (a resource's service and account); empty otherwise.
    pub detail: String,
    /// How much.
    pub amount: String,
    /// Its share, as a bar.
    pub bar: String,
    /// Against the period before.
    pub change: Badge,
}

/// `navigate`: where each metric and dashboard lives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NavigateCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Entries by group.
    pub groups: Vec<NavigateGroup>,
    /// What nothing found says.
    pub empty: Empty,
    /// A note (the document's own, or a hint).
    pub note: String,
    /// "As of".
    pub as_of: String,
    /// Links.
    pub buttons: Vec<NavigateButton>,
}
view!(NavigateCard, "navigate");

/// A group of entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavigateGroup {
    /// Its name.
    pub name: String,
    /// Its entries.
    pub entries: Vec<NavigateEntry>,
    /// How many more there are.
    pub more: String,
}

/// A metric or dashboard, and where it lives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavigateEntry {
    /// Its name.
    pub title: String,
    /// What it is.
    pub description: String,
    /// Where it lives.
    pub places: Vec<Line>,
    /// Owner, freshness and such.
    pub meta: String,
}

/// A link button.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavigateButton {
    /// Its title.
    pub title: String,
    /// Where it goes.
    pub url: String,
}

/// `alert`: one card per problem, updated in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertView {
    /// One line.
    pub summary: String,
    /// The card's id, for the buttons.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Firing, resolved, acknowledged, muted.
    pub status: String,
    /// The status's colour.
    pub status_color: String,
    /// Who owns what fires.
    pub owners: String,
    /// The owners @mentioned.
    pub mentions: Vec<Mention>,
    /// Facts.
    pub facts: Vec<Fact>,
    /// Its alerts.
    pub alerts: Vec<AlertLine>,
    /// How many more there are.
    pub more: String,
    /// The footer.
    pub footer: String,
    /// Whether Acknowledge shows.
    pub show_ack: bool,
    /// Whether Mute shows.
    pub show_mute: bool,
    /// The Superset dashboard, if configured.
    pub link: String,
}
view!(AlertView, "alert");

/// An @mention entity (Teams' own shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    /// `mention`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `<at>Name</at>`.
    pub text: String,
    /// Who.
    pub mentioned: Mentioned,
}

/// Who an @mention names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mentioned {
    /// Their Teams id.
    pub id: String,
    /// Their name.
    pub name: String,
}

/// An alert of a card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertLine {
    /// 🔴, 🟠, ✅.
    pub icon: String,
    /// What.
    pub title: String,
    /// With figures.
    pub detail: String,
    /// Its colour.
    pub color: String,
}

/// `heartbeat`: the morning "I'm alive" with the night's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HeartbeatCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Overall.
    pub status: String,
    /// Its colour.
    pub status_color: String,
    /// Facts.
    pub facts: Vec<Fact>,
    /// Each collector's night.
    pub jobs: Vec<ColoredLine>,
    /// Alerts firing.
    pub alerts: Vec<Line>,
    /// The footer.
    pub footer: String,
    /// The Superset dashboard, if configured.
    pub link: String,
}
view!(HeartbeatCard, "heartbeat");

/// `example`: the house style's sample card (`doberman card example`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExampleCard {
    /// One line.
    pub summary: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Overall.
    pub status: Badge,
    /// Facts.
    pub facts: Vec<Fact>,
    /// Rows.
    pub rows: Vec<ExampleRow>,
    /// What an empty list says.
    pub empty: Empty,
    /// "Data as of".
    pub as_of: String,
    /// The Superset dashboard, if configured.
    pub superset_url: String,
    /// The period shown.
    pub period: String,
}
view!(ExampleCard, "example");

/// A row of the example.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleRow {
    /// A table.
    pub name: String,
    /// Its queries.
    pub queries: String,
    /// Bytes scanned.
    pub scanned: String,
    /// How fresh.
    pub fresh: Badge,
}

/// Reads `data` as the view of `template` and back (unknown fields refused): the data a producer of that card
/// could send. For tests and `doberman card render`.
pub fn through_view(template: &str, data: Value) -> Result<Value, String> {
    fn via<V: View + serde::de::DeserializeOwned>(data: Value) -> Result<Value, String> {
        let view: V = serde_json::from_value(data).map_err(|e| e.to_string())?;
        serde_json::to_value(&view).map_err(|e| e.to_string())
    }
    match template {
        ErrorCard::TEMPLATE => via::<ErrorCard>(data),
        WelcomeCard::TEMPLATE => via::<WelcomeCard>(data),
        HelpCard::TEMPLATE => via::<HelpCard>(data),
        RequestsCard::TEMPLATE => via::<RequestsCard>(data),
        RequestCard::TEMPLATE => via::<RequestCard>(data),
        StatusCard::TEMPLATE => via::<StatusCard>(data),
        TopCard::TEMPLATE => via::<TopCard>(data),
        AirflowCard::TEMPLATE => via::<AirflowCard>(data),
        AirflowHeatmapCard::TEMPLATE => via::<AirflowHeatmapCard>(data),
        CatalogListCard::TEMPLATE => via::<CatalogListCard>(data),
        CatalogTableCard::TEMPLATE => via::<CatalogTableCard>(data),
        CostCard::TEMPLATE => via::<CostCard>(data),
        NavigateCard::TEMPLATE => via::<NavigateCard>(data),
        AlertView::TEMPLATE => via::<AlertView>(data),
        HeartbeatCard::TEMPLATE => via::<HeartbeatCard>(data),
        ExampleCard::TEMPLATE => via::<ExampleCard>(data),
        other => Err(format!("no view for the template `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_reads_through_its_view_and_renders_the_same() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cards/examples");
        let mut seen = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("cards/examples") {
            let path = entry.expect("an entry").path();
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("a name")
                .to_owned();
            let template = file.split('.').next().expect("a template name").to_owned();
            let raw: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("readable"))
                    .expect("JSON");

            let typed =
                through_view(&template, raw.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));

            let en = |data: Value| with_labels(data, crate::i18n::Lang::En);
            assert_eq!(
                crate::cards::render(&template, &en(typed)).expect("renders through its view"),
                crate::cards::render(&template, &en(raw.clone())).expect("renders as written"),
                "{file}: the view changes what the card shows"
            );
            seen.insert(template);
        }
        let templates: std::collections::BTreeSet<String> = crate::cards::catalog::SOURCES
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        assert_eq!(
            seen, templates,
            "every template has an example, and every example a template"
        );
    }
}
