# 요청 채널: 요청마다 스레드에 다는 카드, 상태가 바뀌면 스레드에서 알리는 말, `요청`과 `request REQ-n`
# (src/requests/, src/chat/requests.rs, cards/request.json, cards/requests.json).

## 요청의 상태 (카드와 답에 쓰는 말).

requests-status-new = 🆕 신규
requests-status-accepted = 👍 접수
requests-status-in-progress = 🛠️ 진행 중
requests-status-done = ✅ 완료
requests-status-rejected = 🚫 반려

## 요청 카드 (cards/request.json).

requests-fact-status = 상태
requests-fact-asked-by = 요청자
requests-fact-asked = 요청 시각
requests-fact-assignee = 담당자
requests-fact-why-rejected = 반려 사유
requests-fact-edited = 수정 시각
requests-fact-comments = 댓글
# Teams가 이름을 알려 주지 않았을 때.
requests-someone = 알 수 없는 사용자
# 글 없이 올라온 메시지의 제목.
requests-no-text = (내용 없음)
# 이름 없이 첨부된 파일.
requests-attachment = 첨부 파일
# $ago: 얼마 전인지 (`2시간 전`).
requests-deleted = 메시지가 삭제되었습니다({ $ago }). 요청 기록은 그대로 남겨 둡니다.
# 이력 한 줄: 무슨 일이 있었는지 (뒤에 ` · <누가>`). $kind는 저장된 그대로.
requests-event = { $kind ->
    [created] 등록
    [commented] 댓글
    [edited] 수정
    [deleted] 삭제
    [assigned] 담당자 지정
   *[other] { $kind }
}
t_request_subtitle = 요청 채널에 올라온 요청
t_request_comments = 댓글
t_request_history = 이력
t_request_footer = Doberman은 이 채널의 모든 메시지를 요청으로 관리합니다. 의견은 이 스레드에 답글로 남겨 주세요.
t_request_accept = 접수
t_request_start = 시작
t_request_done = 완료
t_request_reject = 반려
t_request_assign_me = 내가 담당
t_request_reason = 반려 사유 (요청자에게 보입니다)
t_request_reason_missing = 반려 사유를 입력해 주세요

## 스레드에서 요청자에게 알리는 말 ($key: REQ-n, $who: 바꾼 사람).

requests-notice-accepted = **{ $key }** 요청을 { $who } 님이 접수했습니다.
requests-notice-started = **{ $key }** 요청을 { $who } 님이 시작했습니다.
requests-notice-done = **{ $key }** 요청이 완료되었습니다 ✅ ({ $who }).
requests-notice-rejected = **{ $key }** 요청을 { $who } 님이 반려했습니다. 사유: { $reason }
requests-notice-assigned = **{ $key }** 요청의 담당자가 { $assignee } 님으로 지정되었습니다 (지정: { $who }).

## `request REQ-n <변경>`과 카드 버튼에 대한 답.

requests-none = { $key } 요청이 없습니다.
requests-already = { $key } 요청은 이미 그 상태입니다. 바뀐 것은 없습니다.
# $status: requests-status-* 중 하나.
requests-now = { $key } 요청이 이제 { $status } 상태입니다.
requests-card-names-none = 이 카드에는 요청 번호가 없습니다.

## `요청 [열린|내|전체]` (cards/requests.json). $which: open, mine, all.

requests-list-title = 요청 목록 · { $which ->
    [open] 열린 요청
    [mine] 내 요청
   *[all] 전체
}
requests-list-subtitle = { $n }건, 최신순
requests-list-summary = 요청 { $n }건 ({ $which ->
    [open] 열린 요청
    [mine] 내 요청
   *[all] 전체
})
requests-list-empty = 요청이 없습니다
requests-list-empty-hint = 요청은 요청 채널에 올라온 메시지로 만들어집니다 (관리자가 그 채널에서 `요청 채널`을 입력하면 됩니다).
requests-list-unknown-title = 다시 확인해 주세요
# $typed: 입력한 말, 따옴표 포함.
requests-list-unknown = { $typed }(이)라는 목록은 없습니다.
requests-list-unknown-fix = `요청`, `요청 내` 또는 `요청 전체`라고 입력해 주세요.
requests-who-are-you = 여기서는 누구신지 알 수 없습니다. Teams에서 물어봐 주세요.
t_requests_requirement = 요청
t_requests_status = 상태
t_requests_who_age = 담당자 · 경과

## 입력이 잘못되었을 때 (명령어 사용법과 함께 보여 주며, 끝에 마침표가 붙습니다).

requests-not-a-key = { $typed }은(는) 요청 번호가 아닙니다. REQ-12처럼 써 주세요
requests-reject-needs-reason = 반려하려면 사유가 필요합니다: `request REQ-12 반려 <사유>`
requests-assign-needs-whom = 담당자를 지정하려면 `나` 또는 @멘션이 필요합니다: `request REQ-12 담당 나`
requests-unknown-change = { $typed }은(는) 알 수 없는 변경입니다. `접수`, `시작`, `완료`, `반려 <사유>`, `담당 나`, `담당 @이름` 중 하나를 써 주세요
requests-mention-whom = 담당자로 지정할 사람을 @멘션해 주세요 (Teams에서 `@이름`을 입력하면 멘션이 됩니다). 본인이면 `담당 나`라고 입력해 주세요
requests-assign-one = 담당자는 한 번에 한 명만 지정할 수 있습니다
requests-say-why = 반려 사유를 입력해 주세요

## `요청 채널` (`requests here`).

requests-here-elsewhere = 요청 채널로 쓸 채널에서 `요청 채널`을 입력해 주세요.
requests-here-new = 📮 이제 이 채널이 요청 채널입니다. 여기에 올라오는 새 메시지는 모두 요청(REQ-1, REQ-2, …)이 되고, 제가 그 스레드에 답합니다. 답글은 그 요청의 댓글이 됩니다. 명령을 내리시려면 저를 @멘션해 주세요.
requests-here-already = 📮 이 채널은 이미 요청 채널입니다.
