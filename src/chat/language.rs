//! `language [ko|en|auto]` (언어): the language Doberman speaks in a chat or channel.

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::{Reply, help};
use crate::i18n::{self, Lang};
use crate::store::StoreError;
use crate::t;

/// What `language` was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Say which language, and why.
    Show,
    /// Speak this one here.
    Set(Lang),
    /// Follow each person's Teams language again.
    Auto,
}

impl FromArgs for Choice {
    fn from_args(args: RawArgs) -> Result<Choice, String> {
        let word = first(args);
        let word = word.trim();
        if word.is_empty() {
            return Ok(Choice::Show);
        }
        if matches!(
            word.to_lowercase().as_str(),
            "auto" | "자동" | "default" | "기본"
        ) {
            return Ok(Choice::Auto);
        }
        Lang::from_word(word)
            .map(Choice::Set)
            .ok_or_else(|| t!("language-unknown", word = crate::cards::kit::quote(word)))
    }
}

/// `language`.
pub struct Language;

impl Command for Language {
    type Args = Choice;

    async fn run(&self, cx: &Context<'_>, choice: Choice) -> Result<Reply, StoreError> {
        let Some(conversation) = cx.caller.conversation.as_deref() else {
            return Ok(Reply::Text(t!("language-nowhere")));
        };
        let store = &cx.chat.store;
        let set = store.conversation_language_setting(conversation).await?;
        let lang = match choice {
            Choice::Show => {
                let now = i18n::current();
                return Ok(Reply::Text(match set {
                    Some(l) => t!("language-set-here", language = language_name(l)),
                    None => t!(
                        "language-auto-here",
                        language = language_name(now),
                        default = language_name(cx.chat.settings.default_lang)
                    ),
                }));
            }
            Choice::Set(l) => Some(l),
            Choice::Auto => None,
        };
        let shared = cx.caller.scope != super::commands::Scope::Personal;
        if shared && !cx.caller.is_admin {
            return Ok(help::mistake(
                &t!("error-admins-title"),
                &t!("language-admins"),
                &t!("language-admins-fix"),
                Vec::new(),
            ));
        }
        if !store.set_conversation_language(conversation, lang).await? {
            return Ok(Reply::Text(t!("language-unknown-conversation")));
        }
        // The answer in the language just chosen.
        Ok(Reply::Text(match lang {
            Some(l) => i18n::sync_scope(l, || t!("language-now", language = language_name(l))),
            None => t!("language-now-auto"),
        }))
    }
}

/// A language's name in the current language: `Korean (한국어)`, `영어(English)`.
pub fn language_name(lang: Lang) -> String {
    match lang {
        Lang::En => t!("language-name-en"),
        Lang::Ko => t!("language-name-ko"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_in_either_language() {
        let read = |w: &str| Choice::from_args(vec![Some(w.to_owned())]);
        assert_eq!(read("ko"), Ok(Choice::Set(Lang::Ko)));
        assert_eq!(read("한국어"), Ok(Choice::Set(Lang::Ko)));
        assert_eq!(read("English"), Ok(Choice::Set(Lang::En)));
        assert_eq!(read("자동"), Ok(Choice::Auto));
        assert_eq!(Choice::from_args(vec![None]), Ok(Choice::Show));
        assert!(read("klingon").is_err());
    }
}
