# `conversations` (src/chat/conversations.rs): every place Doberman has heard from, for admins.

conversations-none = Nobody has talked to me yet: install me in a team or chat.
conversations-intro = I know { $n ->
    [one] { $n } conversation
   *[other] { $n } conversations
}, { $active } where I may post:
conversations-channel = channel **{ $channel }** in team **{ $team }**
# The name Teams gives every team's first channel (it does not send it).
conversations-general = General
conversations-unnamed = (unnamed)
conversations-group = group chat
conversations-personal = personal chat with **{ $name }**
conversations-someone = someone
conversations-active = active
conversations-inactive = inactive: { $reason }
conversations-removed = Doberman was removed
conversations-unknown-reason = unknown reason
conversations-line = - { $place } — { $state }, last seen { $seen }
