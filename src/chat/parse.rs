//! From what someone typed to a command and its arguments: tolerant of case, extra and full-width spaces,
//! leftover markup, a leading `/`; people's own words understood ([`super::understand`]); typos get the closest
//! commands, and a message that fits two commands as well gets the choice.

use super::commands::{ArgKind, COMMANDS, CommandSpec};
use super::understand::{Reading, Understood, understand};
use std::sync::LazyLock;

use crate::common::edit_distance_within;

/// What a message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Nothing but whitespace (a bare @mention).
    Empty,
    /// A command with its arguments, one value per declared argument (absent optionals are `None`).
    Command {
        /// The command.
        spec: &'static CommandSpec,
        /// Values, in declaration order.
        args: Vec<Option<String>>,
    },
    /// A known command used wrongly.
    Usage {
        /// The command.
        spec: &'static CommandSpec,
        /// What is wrong.
        problem: String,
    },
    /// Several commands fit as well: which one?
    Ambiguous(Vec<Reading>),
    /// No such command.
    Unknown {
        /// What was typed (first words).
        typed: String,
        /// The closest commands, best first.
        suggestions: Vec<&'static CommandSpec>,
    },
}

/// Plain text from a Teams message: HTML tags removed (mentions keep their inner text), common entities
/// decoded, every kind of whitespace (full-width and no-break spaces too) folded to one space.
pub fn normalize(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match (c, in_tag) {
            ('<', false) => in_tag = true,
            ('>', true) => {
                in_tag = false;
                plain.push(' ');
            }
            (_, true) => {}
            (c, false) => plain.push(c),
        }
    }
    let decoded = plain
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> Vec<&str> {
    text.split(' ').filter(|w| !w.is_empty()).collect()
}

/// Parses what someone typed against [`COMMANDS`], reading months without a year against today (UTC).
pub fn parse(text: &str) -> Parsed {
    parse_at(text, crate::clock::now().date_naive())
}

/// Commands whose arguments are taken as typed when the message starts with their name: check names and
/// reasons hold any character, and `help`'s argument is itself a command.
fn typed_as_is(spec: &CommandSpec) -> bool {
    spec.args.first().is_some_and(|a| {
        matches!(
            a.kind,
            ArgKind::CheckName | ArgKind::CheckTarget | ArgKind::Verbatim | ArgKind::CommandName
        )
    }) || spec.args.iter().any(|a| a.kind == ArgKind::Change)
}

/// Parses what someone typed, `today` being the day months without a year are read against.
pub fn parse_at(text: &str, today: chrono::NaiveDate) -> Parsed {
    let text = normalize(text);
    let text = text.strip_prefix('/').unwrap_or(&text);
    let tokens = words(text);
    if tokens.is_empty() {
        return Parsed::Empty;
    }
    let lowered: Vec<String> = tokens
        .iter()
        .map(|t| t.to_lowercase().trim_end_matches(':').to_owned())
        .collect();
    // The longest name or alias that the message starts with: commands whose argument is taken as typed.
    let best = super::commands::name_words()
        .iter()
        .filter_map(|(i, name, name_words)| {
            let matches = name_words.len() <= lowered.len()
                && name_words.iter().zip(&lowered).all(|(a, b)| a == b);
            matches.then_some((name_words.len(), &COMMANDS[*i], *name))
        })
        .max_by_key(|(len, _, _)| *len);
    // A generic name (`테이블`, `database`) starts a command only before one name (`테이블 판매.주문`); before
    // more words it is a word of a sentence (`데이터베이스 조회수 순위 일주일`).
    let best = best
        .filter(|(taken, _, name)| {
            !super::understand::is_generic(name) || tokens.len() == taken + 1
        })
        .map(|(taken, spec, _)| (taken, spec));
    if let Some((taken, spec)) = best
        && spec
            .args
            .first()
            .is_some_and(|a| matches!(a.kind, ArgKind::Table | ArgKind::Database | ArgKind::Dag))
        && tokens.len() > taken
    {
        // `catalog table <name>`: a command typed by its name takes the name as typed (`테이블 판매.주문`).
        return bind_args(spec, &tokens[taken..]);
    }
    if let Some((taken, spec)) = best
        && typed_as_is(spec)
    {
        let rest = &tokens[taken..];
        // `명령어 목록 보여줘`: help with words that name nothing is help.
        if spec
            .args
            .first()
            .is_some_and(|a| a.kind == ArgKind::CommandName)
            && super::understand::only_fillers(&rest.join(" "))
        {
            return bind_args(spec, &[]);
        }
        return bind_args(spec, rest);
    }
    match understand(text, today) {
        Understood::Command(reading) => {
            if let Some(missing) = reading
                .spec
                .args
                .iter()
                .zip(&reading.args)
                .find(|(arg, value)| arg.required && value.is_none())
            {
                return Parsed::Usage {
                    spec: reading.spec,
                    problem: crate::t!(
                        "parse-needs",
                        command = reading.spec.name,
                        what = super::help::arg_help(reading.spec, missing.0)
                    ),
                };
            }
            if let Some(unused) = reading.unused.as_deref() {
                return Parsed::Usage {
                    spec: reading.spec,
                    problem: crate::t!(
                        "parse-does-not-take",
                        command = reading.spec.name,
                        words = crate::cards::kit::quote(unused)
                    ),
                };
            }
            Parsed::Command {
                spec: reading.spec,
                args: reading.args,
            }
        }
        Understood::Ambiguous(readings) => Parsed::Ambiguous(readings),
        Understood::Nothing => {
            let typed = tokens.iter().take(2).copied().collect::<Vec<_>>().join(" ");
            Parsed::Unknown {
                suggestions: suggest(&lowered),
                typed,
            }
        }
    }
}

fn bind_args(spec: &'static CommandSpec, rest: &[&str]) -> Parsed {
    let mut args = Vec::with_capacity(spec.args.len());
    let mut remaining = rest;
    for arg in spec.args {
        if remaining.is_empty() {
            if arg.required {
                return Parsed::Usage {
                    spec,
                    problem: crate::t!(
                        "parse-needs",
                        command = spec.name,
                        what = super::help::arg_help(spec, arg)
                    ),
                };
            }
            args.push(None);
        } else if arg.rest {
            args.push(Some(remaining.join(" ")));
            remaining = &[];
        } else {
            args.push(Some(remaining[0].to_owned()));
            remaining = &remaining[1..];
        }
    }
    if !remaining.is_empty() {
        return Parsed::Usage {
            spec,
            problem: crate::t!(
                "parse-does-not-take",
                command = spec.name,
                words = crate::cards::kit::quote(&remaining.join(" "))
            ),
        };
    }
    Parsed::Command { spec, args }
}

/// Commands whose name or alias is close to the first word(s) typed, closest first, at most three.
pub fn suggest(lowered: &[String]) -> Vec<&'static CommandSpec> {
    /// Every name of every command, lower-cased, as characters, with its number of words: built once.
    static NAMES: LazyLock<Vec<(usize, Vec<char>, usize)>> = LazyLock::new(|| {
        super::commands::name_words()
            .iter()
            .map(|(i, _, words)| (*i, words.join(" ").chars().collect(), words.len()))
            .collect()
    });
    let mut best: Vec<Option<usize>> = vec![None; COMMANDS.len()];
    for (i, name, n) in NAMES.iter() {
        let typed: Vec<char> = lowered[..(*n).min(lowered.len())]
            .join(" ")
            .chars()
            .collect();
        let budget = (name.len() / 3).max(1);
        let prefix = typed.len() >= 2 && name.starts_with(&typed);
        let distance = if prefix {
            Some(0)
        } else {
            edit_distance_within(&typed, name, budget)
        };
        if let Some(d) = distance {
            best[*i] = Some(best[*i].map_or(d, |b| b.min(d)));
        }
    }
    let mut scored: Vec<(usize, &'static CommandSpec)> = best
        .into_iter()
        .zip(COMMANDS.iter())
        .filter_map(|(d, spec)| d.map(|d| (d, spec)))
        .collect();
    scored.sort_by_key(|(d, spec)| (*d, spec.name));
    scored.into_iter().take(3).map(|(_, spec)| spec).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(text: &str) -> (&'static str, Vec<Option<String>>) {
        match parse(text) {
            Parsed::Command { spec, args } => (spec.name, args),
            other => panic!("`{text}` should parse as a command, got {other:?}"),
        }
    }

    #[test]
    fn commands_parse_whatever_the_spacing_case_and_markup() {
        let cases: &[(&str, &str, Option<&str>, &str)] = &[
            ("help", "help", None, "plain"),
            ("  HELP  ", "help", None, "case and spaces"),
            (
                "Help\u{3000}conversations",
                "help",
                Some("conversations"),
                "full-width space",
            ),
            (
                "help\u{a0}\u{a0}conversations",
                "help",
                Some("conversations"),
                "no-break spaces",
            ),
            ("/help", "help", None, "slash command"),
            ("<p>help</p>", "help", None, "HTML paragraph"),
            (
                "help&nbsp;conversations",
                "help",
                Some("conversations"),
                "entity space",
            ),
            ("도움말", "help", None, "Korean alias"),
            (
                "도움말   대화목록",
                "help",
                Some("대화목록"),
                "Korean alias and argument",
            ),
            ("?", "help", None, "question mark"),
            (
                "help catalog table",
                "help",
                Some("catalog table"),
                "rest argument takes every word",
            ),
            ("대화목록", "conversations", None, "Korean admin alias"),
            ("Conversations", "conversations", None, "capitalised"),
        ];
        for (text, id, arg, case) in cases {
            let (got, args) = command(text);
            assert_eq!(got, *id, "{case}: {text:?}");
            assert_eq!(
                args,
                vec![arg.map(str::to_owned)]
                    .into_iter()
                    .take(args.len())
                    .collect::<Vec<_>>(),
                "{case}"
            );
        }
    }

    #[test]
    fn blank_messages_are_empty() {
        for text in ["", "   ", "\u{3000}", "<at></at>", "&nbsp;"] {
            assert_eq!(parse(text), Parsed::Empty, "{text:?}");
        }
    }

    #[test]
    fn typos_get_the_closest_commands() {
        let cases = [
            ("helo", "help"),
            ("hlep", "help"),
            ("conversation", "conversations"),
            ("도움", "help"),
            ("HEPL me", "help"),
        ];
        for (typed, expected) in cases {
            match parse(typed) {
                Parsed::Unknown { suggestions, .. } if typed == "도움" => {
                    panic!("도움 is an alias, got {suggestions:?}")
                }
                Parsed::Unknown { suggestions, .. } => {
                    assert_eq!(
                        suggestions.first().map(|s| s.name),
                        Some(expected),
                        "{typed}"
                    );
                }
                Parsed::Command { spec, .. } => assert_eq!(spec.name, expected, "{typed}"),
                other => panic!("{typed}: {other:?}"),
            }
        }
    }

    #[test]
    fn nonsense_gets_no_suggestion() {
        match parse("qwertyuiop asdf") {
            Parsed::Unknown { typed, suggestions } => {
                assert_eq!(typed, "qwertyuiop asdf");
                assert!(suggestions.is_empty(), "{suggestions:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn extra_arguments_are_a_usage_error() {
        match parse("conversations banana split") {
            Parsed::Usage { spec, problem } => {
                assert_eq!(spec.name, "conversations");
                assert!(problem.contains("banana split"), "{problem}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn emoji_and_korean_survive_normalization() {
        assert_eq!(
            normalize("  안녕\u{3000}🐕‍🦺 &amp; <b>hi</b> "),
            "안녕 🐕‍🦺 & hi"
        );
    }
}
