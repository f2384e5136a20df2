# 알림: 규칙이 찾은 문제 (src/alerts/rules.rs, 메시지로 저장했다가 받는 사람마다 그 언어로 그립니다), 알림 카드
# (src/alerts/mod.rs, cards/alert.json), 구독 명령어 (src/chat/alerts.rs).

## 주제

alerts-topic-label = { $topic ->
    [jobs] 수집기
    [freshness] 데이터 최신성
    [cost] 비용
    [athena] Athena
    [airflow] Airflow
    [quality] 정합성
   *[other] { $topic }
}
alerts-topic-word = { $topic ->
    [jobs] 수집기
    [freshness] 데이터 최신성
    [cost] 비용
    [athena] Athena
    [airflow] Airflow
    [quality] 정합성
   *[other] { $topic }
}

## 규칙이 찾은 문제: 제목과 내용

alerts-jobs-failed = { $job } 수집기 실패
alerts-jobs-failed-detail = { $at } 실행: { $error }
alerts-jobs-no-error = 기록된 오류 없음
alerts-jobs-late = { $job } 수집기 실행 안 됨
alerts-jobs-late-detail = 마지막 성공 { $at }; 실행 주기 { $every }
alerts-jobs-late-detail-never = 한 번도 성공하지 않았습니다; 실행 주기 { $every }

alerts-freshness-stale = { $table } 갱신 지연
alerts-freshness-stale-detail = 마지막 변경 { $at }; 예상 주기 { $every } ({ $how ->
    [learned] 학습값
   *[configured] 설정값
})

alerts-cost-budget = { $name } { $month }월 예산 { $level }% 초과
alerts-cost-budget-detail = { $budget } 중 { $spent } 사용 ({ $pct }%)
alerts-cost-anomaly = { $day } 비용 급증
alerts-cost-anomaly-detail = { $total } (일평균 { $mean }, 표준편차의 { $score }배 높음)

alerts-athena-failing = Athena 쿼리 실패 급증
alerts-athena-failing-detail = 최근 1시간 { $total }건 중 { $failed }건 실패 ({ $pct }%, 최근 1주 { $usual }%)
alerts-athena-scan = { $workgroup } 작업 그룹 쿼리가 { $bytes } 스캔
alerts-athena-scan-detail = 쿼리 { $query }, { $at }

alerts-airflow-failed = { $dag } 실패
alerts-airflow-failed-run = 실행 { $run } 실패 { $at }
alerts-airflow-failed-run-undated = 실행 { $run } 실패
alerts-airflow-retrying = 실행 { $run } 실패, 재시도 중
alerts-airflow-try = { $task } ({ $try }번째 시도)
alerts-airflow-try-link = [{ $tried }]({ $url })
alerts-airflow-streak = { $n }회 연속 실패
alerts-airflow-next-retried = 실행 { $run }도 실패해 재시도 중
alerts-airflow-next-state = 실행 { $run } { $at }부터 { $state ->
    [running] 실행 중
    [queued] 대기 중
    [scheduled] 예약됨
    [success] 성공
    [failed] 실패
   *[other] 상태 `{ $state }`
}
alerts-airflow-slow = { $dag } 실행 시간 초과
alerts-airflow-slow-detail = 실행 { $run } { $at } 시작, { $limit } 넘게 실행 중 ({ $why })
alerts-airflow-limit-configured = 설정된 한도 { $limit }
alerts-airflow-limit-learned = 최근 성공 { $runs }회의 p95 { $p95 }의 { $factor }배
alerts-airflow-late = { $dag } 시작 안 됨
alerts-airflow-late-detail = { $at } 예정 실행이 { $grace }이 지나도록 시작되지 않았습니다 (스케줄러가 멈췄거나 DAG가 막혔을 수 있습니다)
alerts-airflow-import = { $file } 임포트 실패
alerts-airflow-import-on = { $file } 임포트 실패 ({ $instance })
alerts-airflow-import-detail = { $file }: { $error } · 이 파일의 DAG는 스케줄되지 않습니다
alerts-airflow-no-error-text = 오류 내용 없음

alerts-quality-failed = { $check } 실패
alerts-quality-error = { $check } 실행 불가
alerts-quality-day-error = { $day }: 실행 불가
alerts-quality-day-compare = { $day }: 레이크 { $lake } · 소스 { $source } ({ $difference })
alerts-quality-day-value = { $day }: { $value }
alerts-quality-day-status = { $day }: { $status ->
    [fail] 실패
    [error] 실행 불가
    [pass] 통과
   *[other] `{ $status }`
}
alerts-quality-streak = { $n }일 연속 실패

alerts-took-seconds = { $n }초
alerts-took-hours-minutes = { $h }시간 { $m }분

## 알림 카드

alerts-title-stale = 테이블 { $total }개 중 { $firing }개 갱신 지연
alerts-title-firing = { $topic } 알림 { $total }건 중 { $firing }건 발생 중
alerts-title-closed = { $topic } 알림 { $total }건
alerts-status-resolved = ✅ 해결됨
alerts-status-acknowledged = 👀 확인됨
alerts-status-critical = 🔴 발생 중
alerts-status-firing = 🟠 발생 중
alerts-subtitle = { $topic } · 시작 { $since }
alerts-fact-firing = 발생 중
alerts-fact-firing-value = { $total }건 중 { $firing }건
alerts-fact-seen = 감지
alerts-fact-seen-value = { $n }회, 마지막 { $last }
alerts-fact-resolved = 해결
alerts-fact-acknowledged = 확인
alerts-fact-acknowledged-value = { $who }, { $at }
alerts-fact-muted-until = 알림 재개
alerts-owners = 담당자: { $owners }
alerts-resolved = 해결됨
alerts-resolved-at = 해결 { $at }
alerts-resolved-was = { $when }; 이전 내용: { $was }
alerts-resolved-over = 해결: { $title }
alerts-resolved-freshness = { $name } 다시 갱신됨
alerts-resolved-jobs = { $name } 수집기 다시 실행됨
alerts-resolved-airflow-failed = { $name } 다시 성공
alerts-resolved-airflow-slow = { $name } 긴 실행 종료
alerts-resolved-airflow-late = { $name } 시작됨
alerts-resolved-airflow-import = { $name } 임포트 정상화
alerts-resolved-count = { $n }건 해결됨
alerts-resolved-names-more = { $names } 외 { $n }건
alerts-footer = 알림 #{ $id } · 주제 `{ $topic }` · `음소거 { $topic } 1h` 명령으로 이 주제의 알림을 끕니다
alerts-fallback = 알림
alerts-unrenderable = 알림을 그리지 못했습니다. 로그를 확인해 주십시오.

t_alert_acknowledge = 확인
t_alert_mute_hour = 1시간 알림 끄기
t_alert_mute_day = 1일 알림 끄기

## 구독과 알림 끄기

alerts-not-a-topic-near = { $word }: 없는 주제입니다. 혹시 `{ $near }` 말씀이신가요? 주제: { $topics }
alerts-not-a-topic = { $word }: 없는 주제입니다. 주제: { $topics }
alerts-admins-only-title = 여기서는 관리자만 쓸 수 있습니다
alerts-admins-only = 채널과 그룹 채팅에서 `{ $command }` 명령은 Doberman 관리자만 쓸 수 있습니다.
alerts-admins-only-fix = 관리자에게 부탁하시거나, 저와의 개인 채팅에서 구독하시면 됩니다.
alerts-subscribe-where = 구독은 채팅이나 채널 단위입니다. 받을 채팅이나 채널에서 요청해 주십시오.
alerts-subscribed = 🔔 구독했습니다. 이제부터 { $topic ->
    [heartbeat] 아침 하트비트가
   *[other] `{ $topic }` 알림이
} 여기로 옵니다. 문제마다 카드가 하나씩 올라오고, 해결될 때까지 그 카드가 갱신됩니다. 그만 받으려면 `구독 취소 { $topic }` 명령을 쓰십시오.
alerts-already-subscribed = 🔔 { $topic ->
    [heartbeat] 아침 하트비트는
   *[other] `{ $topic }` 알림은
} 이미 여기로 오고 있습니다.
alerts-unsubscribed = 🔕 구독을 취소했습니다. 이제 { $topic ->
    [heartbeat] 아침 하트비트가
   *[other] `{ $topic }` 알림이
} 여기로 오지 않습니다.
alerts-not-subscribed = 이 채팅은 { $topic ->
    [heartbeat] 아침 하트비트를
   *[other] `{ $topic }` 알림을
} 구독하고 있지 않았습니다.
alerts-subscriptions-none = 이 채팅은 받는 알림이 없습니다. `구독 <주제>`로 받을 수 있습니다. 주제: `jobs`, `freshness`, `cost`, `athena`, `heartbeat`.
alerts-subscriptions = 이 채팅이 받는 알림: { $topics }.
alerts-muted-until = `{ $key }` { $until }까지
alerts-muted-list = 알림 끔: { $mutes }.
alerts-firing-now = 지금 발생 중: { $list }.
alerts-mute-too-long = 최대 7일까지만 끌 수 있습니다. 더 길게 끄려면 `구독 취소` 명령을 쓰십시오.
alerts-muted = 🔇 `{ $topic }` 알림을 { $until }까지 껐습니다. 그동안 어디에도 새 카드가 올라가지 않습니다 (알림 기록은 계속됩니다). `음소거 해제 { $topic }` 명령으로 다시 켭니다.
alerts-unmuted = 🔔 `{ $topic }` 알림을 다시 켰습니다. 다음 확인부터 카드가 올라갑니다.
alerts-not-muted = `{ $topic }` 알림은 꺼져 있지 않았습니다.
alerts-not-running = 이 Doberman에서는 알림이 동작하지 않습니다.
alerts-mute-hours = 알림은 1시간에서 { $max }시간까지 끌 수 있습니다.
alerts-firing-count = `{ $topic }` { $n }건
