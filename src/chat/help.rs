//! `help`, `help <command>` and the answers to mistakes, as cards generated from the declarations.

use serde_json::json;

use super::commands::{ArgSpec, COMMANDS, CommandSpec, Scope};
use super::commands::{Command, Context};
use super::parse::{Parsed, parse};
use super::understand::Reading;
use super::{Caller, Reply};
use crate::cards::views::{
    self, Choice, ErrorCard, HelpArg, HelpCard, HelpCommand, HelpDetail, View, WelcomeCard,
};
use crate::i18n::Lang;
use crate::store::StoreError;
use crate::t;

/// A card from the catalog; should a template ever fail (the catalog is checked at start-up and in tests), the
/// answer degrades to its summary as text instead of failing.
pub fn show<V: View>(view: &V) -> Reply {
    match views::render(view) {
        Ok(card) => Reply::Card(card),
        Err(e) => {
            tracing::error!(error = %e, card = V::TEMPLATE, "cannot render a card; answering with text");
            Reply::Text(view.summary().to_owned())
        }
    }
}

fn aliases(spec: &CommandSpec) -> String {
    spec.aliases.join(", ")
}

/// What argument `arg` of `spec` is, in the current language.
pub fn arg_help(spec: &CommandSpec, arg: &ArgSpec) -> String {
    let index = spec.args.iter().position(|a| a == arg).unwrap_or(0);
    spec.arg_help(index)
}

/// The commands the caller may use where they are.
fn usable(caller: &Caller) -> Vec<&'static CommandSpec> {
    COMMANDS
        .iter()
        .filter(|c| c.scopes.contains(&caller.scope) && (!c.admin || caller.is_admin))
        .collect()
}

/// Everything the caller can use.
pub fn overview(caller: &Caller) -> Reply {
    listing(&usable(caller), t!("help-title"), t!("help-subtitle"))
}

/// A help card listing `specs`.
fn listing(specs: &[&CommandSpec], title: String, subtitle: String) -> Reply {
    let names: Vec<&str> = specs.iter().map(|c| c.name).collect();
    show(&HelpCard {
        summary: t!("help-summary", commands = names.join(", ")),
        title,
        subtitle,
        commands: specs
            .iter()
            .map(|c| HelpCommand {
                usage: c.usage(),
                summary: c.summary(),
                aliases: aliases(c),
            })
            .collect(),
        command: None,
        hint: t!("help-hint"),
    })
}

/// Where a command works, as people call the places.
fn scope_label(scope: Scope) -> String {
    match scope {
        Scope::Personal => t!("scope-personal"),
        Scope::Team => t!("scope-team"),
        Scope::GroupChat => t!("scope-group"),
    }
}

/// The places of `spec`, joined.
pub fn places(spec: &CommandSpec) -> String {
    let wheres: Vec<String> = spec.scopes.iter().map(|s| scope_label(*s)).collect();
    wheres.join(", ")
}

/// The whole story of one command.
pub fn detail(spec: &CommandSpec) -> Reply {
    let mut place = t!("help-works-in", places = places(spec));
    if spec.admin {
        place.push(' ');
        place.push_str(&t!("help-admins-only"));
    }
    if !spec.aliases.is_empty() {
        place.push(' ');
        place.push_str(&t!("help-also", names = aliases(spec)));
    }
    show(&HelpCard {
        summary: format!("{}: {}", spec.usage(), spec.summary()),
        title: spec.name.to_owned(),
        subtitle: spec.summary(),
        commands: Vec::new(),
        command: Some(HelpDetail {
            usage: spec.usage(),
            help: spec.help(),
            args: spec
                .args
                .iter()
                .enumerate()
                .map(|(i, a)| HelpArg {
                    name: a.name.to_owned(),
                    help: if a.required {
                        spec.arg_help(i)
                    } else {
                        t!("help-optional", help = spec.arg_help(i))
                    },
                })
                .collect(),
            examples: spec.examples.join(", "),
            place,
        }),
        hint: t!("help-hint-all"),
    })
}

/// `help <topic>`: the command the topic names, or the closest ones.
pub fn about(topic: &str, caller: &Caller) -> Reply {
    match parse(topic) {
        Parsed::Empty => overview(caller),
        Parsed::Command { spec, .. } | Parsed::Usage { spec, .. } => detail(spec),
        Parsed::Ambiguous(readings) => detail(readings[0].spec),
        Parsed::Unknown { typed, suggestions } => {
            // `help top`: the commands that start with the word (`top tables`, `top databases`).
            let word = topic
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_lowercase();
            let family: Vec<&CommandSpec> = usable(caller)
                .into_iter()
                .filter(|c| c.name.split(' ').next() == Some(word.as_str()) && c.name != word)
                .collect();
            if family.is_empty() {
                unknown(&typed, &suggestions)
            } else {
                listing(
                    &family,
                    t!("help-family-title", word = word.as_str()),
                    t!(
                        "help-family-subtitle",
                        n = family.len(),
                        word = word.as_str()
                    ),
                )
            }
        }
    }
}

/// A mistake of the user's, with the fix.
pub fn mistake(title: &str, message: &str, fix: &str, suggestions: Vec<String>) -> Reply {
    let mut summary = message.to_owned();
    if let Some(first) = suggestions.first() {
        summary.push(' ');
        summary.push_str(&t!("error-did-you-mean", command = first.as_str()));
    }
    show(&ErrorCard {
        summary,
        severity: "warning".to_owned(),
        title: title.to_owned(),
        message: message.to_owned(),
        fix: fix.to_owned(),
        suggestions,
        choices: Vec::new(),
    })
}

/// "I don't know X. Did you mean …?"
pub fn unknown(typed: &str, suggestions: &[&'static CommandSpec]) -> Reply {
    mistake(
        &t!("error-unknown-title"),
        &t!("error-unknown", typed = crate::cards::kit::quote(typed)),
        &t!("error-unknown-fix"),
        suggestions
            .iter()
            .map(|s| format!("`{}`", s.usage()))
            .collect(),
    )
}

/// "Which did you mean?": one button per reading, each sending the command in its own syntax.
pub fn which(readings: &[Reading]) -> Reply {
    let lines: Vec<String> = readings
        .iter()
        .map(|r| format!("`{}`", r.command_line()))
        .collect();
    show(&ErrorCard {
        summary: t!("error-which", commands = lines.join(", ")),
        severity: "warning".to_owned(),
        title: t!("error-which-title"),
        message: t!("error-which", commands = lines.join(", ")),
        fix: t!("error-which-fix"),
        suggestions: Vec::new(),
        choices: readings
            .iter()
            .map(|r| Choice {
                title: r.command_line(),
                payload: json!({ "verb": "run", "text": r.command_line() }),
            })
            .collect(),
    })
}

/// In a request channel, an @mention that could be a command or a request: "file this as a request?", with a
/// button to file it and one to run each command it could be.
pub fn file_or_run(message: &crate::teams::Activity, readings: &[Reading]) -> Reply {
    let lines: Vec<String> = readings
        .iter()
        .map(|r| format!("`{}`", r.command_line()))
        .collect();
    let mut choices = vec![Choice {
        title: t!("request-file-button"),
        payload: json!({
            "verb": "request.file",
            "message": message.id,
            "text": message.text,
            "at": message.timestamp,
            "from": message.from,
        }),
    }];
    choices.extend(readings.iter().map(|r| Choice {
        title: t!("request-run-button", command = r.command_line()),
        payload: json!({ "verb": "run", "text": r.command_line() }),
    }));
    show(&ErrorCard {
        summary: t!("request-file-question"),
        severity: "warning".to_owned(),
        title: t!("request-file-question"),
        message: t!("request-file-or-run", commands = lines.join(", ")),
        fix: String::new(),
        suggestions: Vec::new(),
        choices,
    })
}

/// "`x` needs …" with the usage line.
pub fn usage(spec: &CommandSpec, problem: &str) -> Reply {
    mistake(
        &t!("error-usage-title"),
        &format!("{problem}."),
        &t!("error-usage-fix", usage = spec.usage(), command = spec.name),
        Vec::new(),
    )
}

/// Something failed on Doberman's side.
pub fn internal() -> Reply {
    show(&ErrorCard {
        summary: t!("error-internal-summary"),
        severity: "attention".to_owned(),
        title: t!("error-internal-title"),
        message: t!("error-internal-message"),
        fix: t!("error-internal-fix"),
        suggestions: Vec::new(),
        choices: Vec::new(),
    })
}

/// The welcome card: in both languages, since nobody has said which they speak yet.
pub fn welcome() -> Reply {
    let (english, korean) = (
        crate::i18n::sync_scope(Lang::En, || t!("welcome-text")),
        crate::i18n::sync_scope(Lang::Ko, || t!("welcome-text")),
    );
    show(&WelcomeCard {
        summary: t!("welcome-summary"),
        title: t!("welcome-title"),
        subtitle: t!("welcome-subtitle"),
        english,
        korean,
        help_button: t!("welcome-button"),
    })
}

/// `help [command]`.
pub struct Help;

impl Command for Help {
    type Args = Option<String>;

    async fn run(&self, cx: &Context<'_>, topic: Option<String>) -> Result<Reply, StoreError> {
        Ok(match topic {
            Some(topic) => about(&topic, cx.caller),
            None => overview(cx.caller),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::commands::Scope;

    fn text(reply: Reply) -> String {
        match reply {
            Reply::Card(card) => crate::cards::kit::to_text(&card),
            Reply::Text(text) => panic!("expected a card, got text: {text}"),
        }
    }

    #[test]
    fn the_welcome_reads_as_one_paragraph_in_both_languages() {
        let welcome = text(welcome());

        assert!(
            welcome.contains("I speak up when something goes wrong."),
            "{welcome}"
        );
        assert!(welcome.contains("도베르만"), "{welcome}");
        assert!(!welcome.contains('\\'), "{welcome}");
    }

    #[test]
    fn help_lists_admin_commands_only_to_admins() {
        let user = Caller::new(Scope::Personal, false);
        let admin = Caller::new(Scope::Personal, true);

        assert!(!text(overview(&user)).contains("conversations"));
        assert!(text(overview(&admin)).contains("conversations"));
    }

    #[test]
    fn mistakes_carry_the_fix_and_suggestions() {
        let shown = text(mistake(
            "Title",
            "What went wrong.",
            "How to fix it.",
            vec!["`help`".into()],
        ));

        assert!(
            shown.contains("What went wrong.") && shown.contains("How to fix it."),
            "{shown}"
        );
        assert!(shown.contains("Did you mean: `help`?"), "{shown}");
        let korean = crate::i18n::sync_scope(Lang::Ko, || {
            text(mistake(
                "제목",
                "무엇이 잘못됐는지.",
                "고치는 법.",
                vec!["`help`".into()],
            ))
        });
        assert!(
            korean.contains("이 명령어를 찾으셨나요? `help`"),
            "{korean}"
        );
    }
}
