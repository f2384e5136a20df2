//! `help` and `help <command>`, generated from the declarations.

use super::commands::{COMMANDS, CommandSpec};
use super::parse::{Parsed, parse};
use super::{Caller, Reply};

/// Everything the caller can use, one line each.
pub fn overview(caller: &Caller) -> Reply {
    let mut text = String::from("🐕 **Doberman** watches your data lake. Ask me:\n\n");
    for spec in COMMANDS
        .iter()
        .filter(|c| c.scopes.contains(&caller.scope) && (!c.admin || caller.is_admin))
    {
        text.push_str(&format!(
            "- `{}` — {}{}\n",
            spec.usage(),
            spec.summary,
            aliases_suffix(spec)
        ));
    }
    text.push_str("\nType `help <command>` for details. 명령어 설명은 `도움말 <명령어>`.");
    Reply::Text(text)
}

fn aliases_suffix(spec: &CommandSpec) -> String {
    if spec.aliases.is_empty() {
        String::new()
    } else {
        format!(
            " (also: {})",
            spec.aliases
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The whole story of one command.
pub fn detail(spec: &CommandSpec) -> Reply {
    let mut text = format!(
        "**{}** — {}\n\nUsage: `{}`\n\n{}\n",
        spec.name,
        spec.summary,
        spec.usage(),
        spec.help
    );
    if !spec.args.is_empty() {
        text.push('\n');
        for arg in spec.args {
            let optional = if arg.required { "" } else { " (optional)" };
            text.push_str(&format!("- `{}`{optional}: {}\n", arg.name, arg.help));
        }
    }
    if !spec.aliases.is_empty() {
        text.push_str(&format!(
            "\nAlso: {}\n",
            spec.aliases
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push_str(&format!(
        "\nExamples: {}\n",
        spec.examples
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let wheres: Vec<&str> = spec.scopes.iter().map(|s| s.label()).collect();
    text.push_str(&format!("\nWorks in: {}.", wheres.join(", ")));
    if spec.admin {
        text.push_str(" Admins only.");
    }
    Reply::Text(text)
}

/// `help <topic>`: the command the topic names, or the closest ones.
pub fn about(topic: &str, caller: &Caller) -> Reply {
    match parse(topic) {
        Parsed::Empty => overview(caller),
        Parsed::Command { spec, .. } | Parsed::Usage { spec, .. } => detail(spec),
        Parsed::Unknown { typed, suggestions } => Reply::Text(unknown_text(&typed, &suggestions)),
    }
}

/// "I don't know X. Did you mean …?"
pub fn unknown_text(typed: &str, suggestions: &[&'static CommandSpec]) -> String {
    let mut text = format!("I don't know `{typed}`.");
    if !suggestions.is_empty() {
        let names: Vec<String> = suggestions
            .iter()
            .map(|s| format!("`{}`", s.usage()))
            .collect();
        text.push_str(&format!(" Did you mean {}?", names.join(" or ")));
    }
    text.push_str(" Type `help` to see everything I can do.");
    text
}

/// "`x` needs …" plus the usage line.
pub fn usage_text(spec: &CommandSpec, problem: &str) -> String {
    format!(
        "{problem}. Usage: `{}` (try `help {}`).",
        spec.usage(),
        spec.name
    )
}
