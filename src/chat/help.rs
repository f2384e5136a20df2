//! `help`, `help <command>` and the answers to mistakes, as cards generated from the declarations.

use super::commands::{COMMANDS, CommandSpec};
use super::commands::{Command, Context};
use super::parse::{Parsed, parse};
use super::{Caller, Reply};
use crate::cards::views::{
    self, ErrorCard, HelpArg, HelpCard, HelpCommand, HelpDetail, View, WelcomeCard,
};
use crate::store::StoreError;

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

/// The commands the caller may use where they are.
fn usable(caller: &Caller) -> Vec<&'static CommandSpec> {
    COMMANDS
        .iter()
        .filter(|c| c.scopes.contains(&caller.scope) && (!c.admin || caller.is_admin))
        .collect()
}

/// Everything the caller can use.
pub fn overview(caller: &Caller) -> Reply {
    listing(
        &usable(caller),
        "What I can do".to_owned(),
        "Doberman watches your data lake".to_owned(),
    )
}

/// A help card listing `specs`.
fn listing(specs: &[&CommandSpec], title: String, subtitle: String) -> Reply {
    let names: Vec<&str> = specs.iter().map(|c| c.name).collect();
    show(&HelpCard {
        summary: format!("Doberman commands: {}", names.join(", ")),
        title,
        subtitle,
        commands: specs
            .iter()
            .map(|c| HelpCommand {
                usage: c.usage(),
                summary: c.summary.to_owned(),
                aliases: aliases(c),
            })
            .collect(),
        command: None,
        hint: "Type help <command> for details. 명령어 설명은 도움말 <명령어>.".to_owned(),
    })
}

/// The whole story of one command.
pub fn detail(spec: &CommandSpec) -> Reply {
    let wheres: Vec<&str> = spec.scopes.iter().map(|s| s.label()).collect();
    let mut place = format!("Works in {}.", wheres.join(", "));
    if spec.admin {
        place.push_str(" Admins only.");
    }
    if !spec.aliases.is_empty() {
        place.push_str(&format!(" Also: {}", aliases(spec)));
    }
    show(&HelpCard {
        summary: format!("{}: {}", spec.usage(), spec.summary),
        title: spec.name.to_owned(),
        subtitle: spec.summary.to_owned(),
        commands: Vec::new(),
        command: Some(HelpDetail {
            usage: spec.usage(),
            help: spec.help.to_owned(),
            args: spec
                .args
                .iter()
                .map(|a| HelpArg {
                    name: a.name.to_owned(),
                    help: if a.required {
                        a.help.to_owned()
                    } else {
                        format!("{} (optional)", a.help)
                    },
                })
                .collect(),
            examples: spec.examples.join(", "),
            place,
        }),
        hint: "Type help to see every command.".to_owned(),
    })
}

/// `help <topic>`: the command the topic names, or the closest ones.
pub fn about(topic: &str, caller: &Caller) -> Reply {
    match parse(topic) {
        Parsed::Empty => overview(caller),
        Parsed::Command { spec, .. } | Parsed::Usage { spec, .. } => detail(spec),
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
                    format!("Commands starting with {word}"),
                    format!("{} commands start with “{word}”", family.len()),
                )
            }
        }
    }
}

/// A mistake of the user's, with the fix.
pub fn mistake(title: &str, message: &str, fix: &str, suggestions: Vec<String>) -> Reply {
    let mut summary = message.to_owned();
    if let Some(first) = suggestions.first() {
        summary.push_str(&format!(" Did you mean {first}?"));
    }
    show(&ErrorCard {
        summary,
        severity: "warning".to_owned(),
        title: title.to_owned(),
        message: message.to_owned(),
        fix: fix.to_owned(),
        suggestions,
    })
}

/// "I don't know X. Did you mean …?"
pub fn unknown(typed: &str, suggestions: &[&'static CommandSpec]) -> Reply {
    mistake(
        "I don't know that command",
        &format!("I don't know {}.", crate::cards::kit::quote(typed)),
        "Type `help` to see everything I can do.",
        suggestions
            .iter()
            .map(|s| format!("`{}`", s.usage()))
            .collect(),
    )
}

/// "`x` needs …" with the usage line.
pub fn usage(spec: &CommandSpec, problem: &str) -> Reply {
    mistake(
        "Not quite",
        &format!("{problem}."),
        &format!("Usage: `{}` (try `help {}`).", spec.usage(), spec.name),
        Vec::new(),
    )
}

/// Something failed on Doberman's side.
pub fn internal() -> Reply {
    show(&ErrorCard {
        summary: "Something went wrong on my side. Please try again later.".to_owned(),
        severity: "attention".to_owned(),
        title: "Something went wrong on my side".to_owned(),
        message: "The operators can see why in my log.".to_owned(),
        fix: "Please try again in a few minutes.".to_owned(),
        suggestions: Vec::new(),
    })
}

/// The welcome card.
pub fn welcome() -> Reply {
    show(&WelcomeCard {
        summary: "Hi, I'm Doberman, your data lake's watchdog. Type help to see what I can do.".to_owned(),
        title: "Hi, I'm Doberman".to_owned(),
        subtitle: "Your data lake's watchdog".to_owned(),
        english: "I answer questions about your tables, their usage and your AWS costs, and I speak up when \
                  something goes wrong. Type **help** to see what I can do."
            .to_owned(),
        korean: "안녕하세요, 데이터 레이크 지킴이 **도베르만**입니다. **도움말**을 입력해 보세요.".to_owned(),
        help_button: "What can you do? / 도움말".to_owned(),
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
    }
}
