# 도움말, 실수 안내, 환영 인사 (src/chat/help.rs, src/chat/parse.rs, src/chat/mod.rs; 카드 help, error, welcome).

help-title = 할 수 있는 일
help-subtitle = 도베르만이 데이터 레이크를 지킵니다
help-summary = 도베르만 명령어: { $commands }
help-hint = 명령어 설명은 `도움말 <명령어>`를 입력하세요. 편하게 말로 물어봐도 됩니다.
help-hint-all = 모든 명령어를 보려면 `도움말`을 입력하세요.
help-works-in = 쓸 수 있는 곳: { $places }.
help-admins-only = 관리자 전용입니다.
help-also = 다른 이름: { $names }
help-optional = { $help } (선택)
help-family-title = `{ $word }`(으)로 시작하는 명령어
help-family-subtitle = `{ $word }`(으)로 시작하는 명령어 { $n }개
scope-personal = 개인 채팅
scope-team = 채널
scope-group = 그룹 채팅
scope-and = { $first }과 { $second }

parse-needs = `{ $command }`에는 { $what }이(가) 필요합니다
parse-does-not-take = `{ $command }`은(는) { $words }을(를) 받지 않습니다

error-did-you-mean = 혹시 { $command }을(를) 찾으셨나요?
error-unknown-title = 모르는 명령어입니다
error-unknown = { $typed }은(는) 제가 모르는 말입니다.
error-unknown-fix = `도움말`을 입력하면 제가 할 수 있는 일을 모두 보여 드립니다.
error-which-title = 어느 쪽을 말씀하신 건가요?
error-which = { $commands } 중 하나일 수 있습니다.
error-which-fix = 아래에서 고르시거나 조금 더 자세히 말씀해 주세요.
error-usage-title = 조금만 고쳐 주세요
error-usage-fix = 사용법: `{ $usage }` (`도움말 { $command }`로 자세히 볼 수 있습니다).
error-internal-summary = 제 쪽에서 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.
error-internal-title = 제 쪽에서 문제가 생겼습니다
error-internal-message = 운영자가 제 로그에서 원인을 볼 수 있습니다.
error-internal-fix = 몇 분 뒤에 다시 시도해 주세요.
error-not-here-title = 여기서는 쓸 수 없습니다
error-not-here = `{ $command }`은(는) { $places }에서만 쓸 수 있습니다.
error-not-here-fix = 그곳에서 다시 물어봐 주세요.
error-admins-title = 관리자 전용입니다
error-admins = 죄송하지만 `{ $command }`은(는) 도베르만 관리자만 쓸 수 있습니다.
error-admins-fix = 관리자에게 부탁하시거나, `도움말`에서 쓸 수 있는 명령어를 확인해 주세요.
error-unknown-button-title = 모르는 버튼입니다
error-unknown-button = { $verb } 동작은 제가 모르는 것입니다.
error-unknown-button-fix = 예전 도베르만의 카드일 수 있습니다. 다시 물어보시면 새 카드를 드립니다.
error-no-requirement = 이 카드에는 요구사항이 없습니다.
error-no-alert = 이 카드에는 알림이 없습니다.
error-no-such-alert = 알림 #{ $card }은(는) 없습니다.
error-unknown-verb = 도베르만에는 { $verb } 동작이 없습니다

welcome-summary = 안녕하세요, 데이터 레이크 지킴이 도베르만입니다. `도움말`을 입력해 보세요.
welcome-title = 안녕하세요, 도베르만입니다
welcome-subtitle = 데이터 레이크 지킴이
welcome-text = 안녕하세요, 데이터 레이크 지킴이 **도베르만**입니다. 테이블과 사용량, AWS 비용에 대한 질문에 답하고, 문제가 생기면 먼저 알려 드립니다. **도움말**을 입력해 보세요.
welcome-button = 무엇을 할 수 있나요?

t_help_command = 명령어
t_help_what_it_does = 하는 일
t_help_also = 다른 이름:
t_help_examples = 예시:
t_error_did_you_mean = 이 명령어를 찾으셨나요?
t_error_did_you_mean_end = { "" }

# 언어 명령어 (src/chat/language.rs).
language-name-en = 영어(English)
language-name-ko = 한국어
language-unknown = { $word }은(는) 제가 쓰는 언어가 아닙니다. `언어 ko`, `언어 en`, `언어 auto` 중에서 골라 주세요
language-nowhere = 언어는 채팅이나 채널마다 정합니다. 여기서는 물어본 언어로 답합니다.
language-set-here = 여기서는 { $language }로 말합니다. `언어` 명령어로 정해졌습니다. `언어 auto`로 각자의 Teams 언어로 되돌릴 수 있습니다.
language-auto-here = 사람마다 그 사람의 Teams 언어로 답합니다(지금은 { $language }). 이곳의 알림은 마지막 메시지의 언어로 보냅니다(처음에는 { $default }). `언어 ko`나 `언어 en`으로 여기 있는 모두에게 하나로 정할 수 있습니다.
language-admins = 채널과 그룹 채팅에서는 모두에게 바뀌기 때문에 도베르만 관리자만 언어를 정할 수 있습니다.
language-admins-fix = 관리자에게 부탁하시거나 개인 채팅에서 말을 걸어 주세요. 개인 채팅에서는 각자의 Teams 언어로 답합니다.
language-unknown-conversation = 아직 이 대화에서 메시지를 받은 적이 없습니다. 먼저 여기서 말을 걸어 주세요.
language-now = 이제부터 여기서는 답변과 알림 모두 { $language }로 말하겠습니다.
language-now-auto = 이제부터 여기서는 각자의 Teams 언어로 답하고, 알림은 마지막 메시지의 언어를 따릅니다.

# 요청 채널에서 되묻기 (src/chat/help.rs, src/chat/mod.rs).
request-file-question = 요청으로 등록할까요?
request-file-or-run = { $commands } 명령어일 수도 있습니다.
request-file-button = 요청으로 등록
request-run-button = { $command } 실행
request-filed = 요청으로 등록했습니다. 카드는 스레드에 있습니다.
request-file-not-a-request-channel = 이 채널은 더 이상 요청 채널이 아니어서 등록하지 않았습니다.
request-file-unreadable = 이 버튼에는 등록할 메시지가 없습니다.
