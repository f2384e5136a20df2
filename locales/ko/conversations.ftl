# `대화목록` 명령(src/chat/conversations.rs): Doberman이 소식을 들은 모든 곳 (관리자용).

conversations-none = 아직 저와 대화한 곳이 없습니다. 팀이나 채팅에 저를 설치해 주세요.
conversations-intro = 대화 { $n }곳을 알고 있고, 그중 { $active }곳에 글을 올릴 수 있습니다:
conversations-channel = **{ $team }** 팀의 **{ $channel }** 채널
# Teams가 모든 팀의 첫 채널에 붙이는 이름 (Teams는 이 이름을 보내지 않습니다).
conversations-general = 일반
conversations-unnamed = (이름 없음)
conversations-group = 그룹 채팅
conversations-personal = **{ $name }** 님과의 개인 채팅
conversations-someone = 알 수 없는 사용자
conversations-active = 활성
conversations-inactive = 비활성: { $reason }
conversations-removed = Doberman이 제거됨
conversations-unknown-reason = 알 수 없는 사유
conversations-line = - { $place } — { $state }, 마지막 확인 { $seen }
