# The request channel: the card in each requirement's thread, the notices of a change told there, `requests`
# and `request REQ-n` (src/requests/, src/chat/requests.rs, cards/request.json, cards/requests.json).

## A requirement's status, as cards and answers show it.

requests-status-new = 🆕 new
requests-status-accepted = 👍 accepted
requests-status-in-progress = 🛠️ in progress
requests-status-done = ✅ done
requests-status-rejected = 🚫 rejected

## The requirement card (cards/request.json).

requests-fact-status = Status
requests-fact-asked-by = Asked by
requests-fact-asked = Asked
requests-fact-assignee = Assignee
requests-fact-why-rejected = Why rejected
requests-fact-edited = Edited
requests-fact-comments = Comments
# Who, when Teams did not say.
requests-someone = someone
# The title of a message without any text.
requests-no-text = (no text)
# A file attached without a name.
requests-attachment = attachment
# $ago: how long ago (`2h ago`).
requests-deleted = The message was deleted { $ago }; the requirement is kept.
# A line of the history: what happened (then ` · <who>`). $kind as stored.
requests-event = { $kind ->
    [created] created
    [commented] commented
    [edited] edited
    [deleted] deleted
    [assigned] assigned
   *[other] { $kind }
}
t_request_subtitle = Requirement from the request channel
t_request_comments = Comments
t_request_history = History
t_request_footer = Doberman tracks every message of this channel as a requirement. Reply in this thread to comment.
t_request_accept = Accept
t_request_start = Start
t_request_done = Done
t_request_reject = Reject
t_request_assign_me = Assign to me
t_request_reason = Why? The author sees it.
t_request_reason_missing = Say why it is rejected

## What the author is told in the thread ($key: REQ-n; $who: who changed it).

requests-notice-accepted = **{ $key }** was accepted by { $who }.
requests-notice-started = **{ $key }** is in progress ({ $who }).
requests-notice-done = **{ $key }** is done ✅ ({ $who }).
requests-notice-rejected = **{ $key }** was rejected by { $who }: { $reason }.
requests-notice-assigned = **{ $key }** is assigned to { $assignee } (by { $who }).

## Answers to `request REQ-n <change>` and the card buttons.

requests-none = There is no { $key }.
requests-already = { $key } already is so: nothing changed.
# $status: a requests-status-* message.
requests-now = { $key } is now { $status }.
requests-card-names-none = That card names no requirement.

## `requests [open|mine|all]` (cards/requests.json). $which: open, mine or all.

requests-list-title = Requirements · { $which ->
    [open] open
    [mine] yours
   *[all] all
}
requests-list-subtitle = { $n } shown, newest first
requests-list-summary = { $n ->
    [one] { $n } requirement
   *[other] { $n } requirements
} ({ $which ->
    [open] open
    [mine] yours
   *[all] all
})
requests-list-empty = Nothing here
requests-list-empty-hint = Requirements come from the request channel (an admin types `requests here` in it).
requests-list-unknown-title = Not quite
# $typed: what was typed, quoted.
requests-list-unknown = { $typed } is not a list I keep.
requests-list-unknown-fix = Say `requests`, `requests mine` or `requests all`.
requests-who-are-you = I cannot tell who you are here: ask in Teams.
t_requests_requirement = Requirement
t_requests_status = Status
t_requests_who_age = Who · age

## Problems with what was typed (shown with the command's usage, which ends them with a period).

requests-not-a-key = { $typed } is not a requirement: write it as REQ-12
requests-reject-needs-reason = `reject` needs a reason: `request REQ-12 reject <why>`
requests-assign-needs-whom = `assign` needs `me` or an @mention: `request REQ-12 assign me`
requests-unknown-change = { $typed } is not a change I know: accept, start, done, reject <reason>, assign me, assign @person
requests-mention-whom = @mention the person to assign (Teams turns `@name` into a mention), or say `assign me`
requests-assign-one = Assign one person at a time
requests-say-why = Say why it is rejected

## `requests here`.

requests-here-elsewhere = Type `requests here` in the channel that should become the request channel.
requests-here-new = 📮 This is now the request channel: every new message here becomes a requirement (REQ-1, REQ-2, …) that I answer in its thread; replies become its comments. @mention me to give me a command instead.
requests-here-already = 📮 This already is the request channel.
