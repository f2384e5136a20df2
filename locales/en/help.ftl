# Help, mistakes and the welcome (src/chat/help.rs, src/chat/parse.rs, src/chat/mod.rs; cards help, error, welcome).

help-title = What I can do
help-subtitle = Doberman watches your data lake
help-summary = Doberman commands: { $commands }
help-hint = Type help <command> for details. 명령어 설명은 도움말 <명령어>.
help-hint-all = Type help to see every command.
help-works-in = Works in { $places }.
help-admins-only = Admins only.
help-also = Also: { $names }
help-optional = { $help } (optional)
help-family-title = Commands starting with { $word }
help-family-subtitle = { $n } commands start with “{ $word }”
scope-personal = personal chat
scope-team = channels
scope-group = group chats
scope-and = { $first } and { $second }

parse-needs = `{ $command }` needs { $what }
parse-does-not-take = `{ $command }` does not take { $words }

error-did-you-mean = Did you mean { $command }?
error-unknown-title = I don't know that command
error-unknown = I don't know { $typed }.
error-unknown-fix = Type `help` to see everything I can do.
error-which-title = Which one did you mean?
error-which = That could be { $commands }.
error-which-fix = Pick one below, or say it more exactly.
error-usage-title = Not quite
error-usage-fix = Usage: `{ $usage }` (try `help { $command }`).
error-internal-summary = Something went wrong on my side. Please try again later.
error-internal-title = Something went wrong on my side
error-internal-message = The operators can see why in my log.
error-internal-fix = Please try again in a few minutes.
error-not-here-title = Not here
error-not-here = `{ $command }` works in { $places } only.
error-not-here-fix = Ask me there instead.
error-admins-title = For admins only
error-admins = Sorry, `{ $command }` is for Doberman's admins.
error-admins-fix = Ask one of them, or see `help` for what you can use.
error-unknown-button-title = I don't know that button
error-unknown-button = I don't know the action { $verb }.
error-unknown-button-fix = The card may be from an older Doberman; ask again to get a fresh one.
error-no-requirement = That card names no requirement.
error-no-alert = That card names no alert.
error-no-such-alert = There is no alert #{ $card }.
error-unknown-verb = Doberman has no action { $verb }

welcome-summary = Hi, I'm Doberman, your data lake's watchdog. Type help to see what I can do.
welcome-title = Hi, I'm Doberman
welcome-subtitle = Your data lake's watchdog
welcome-text = I answer questions about your tables, their usage and your AWS costs, and I speak up when something goes wrong. Type **help** to see what I can do.
welcome-button = What can you do? / 도움말

t_help_command = Command
t_help_what_it_does = What it does
t_help_also = also:
t_help_examples = Examples:
t_error_did_you_mean = Did you mean:
t_error_did_you_mean_end = ?

# The language command (src/chat/language.rs).
language-name-en = English
language-name-ko = Korean (한국어)
language-unknown = I don't speak { $word }: try `language ko`, `language en` or `language auto`
language-nowhere = Languages are set in a chat or channel; here I answer in the language asked.
language-set-here = I speak { $language } here: it was set with `language`. `language auto` lets everyone get their own Teams language.
language-auto-here = I answer each person in their Teams language ({ $language } for you), and alerts here in the language of the last message (at first { $default }). `language ko` or `language en` sets one for everyone here.
language-admins = In channels and group chats only Doberman's admins may set the language, since it changes it for everyone there.
language-admins-fix = Ask an admin, or talk to me in a personal chat: there I answer in your Teams language.
language-unknown-conversation = I have not heard from this conversation yet; say something here first.
language-now = From now on I speak { $language } here, in answers and alerts.
language-now-auto = From now on I answer each person in their Teams language here; alerts follow the last message.

# Questions back in the request channel (src/chat/help.rs, src/chat/mod.rs).
request-file-question = File this as a request?
request-file-or-run = It could also be { $commands }.
request-file-button = File as a request
request-run-button = Run { $command }
request-filed = Filed as a request: its card is in the thread.
request-file-not-a-request-channel = This channel is not a request channel any more; nothing was filed.
request-file-unreadable = That button names no message to file.
