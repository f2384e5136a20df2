# Airflow: 현황판, 실패한 실행, DAG 하나, 시간표 히트맵 (src/chat/airflow.rs, cards/airflow.json,
# cards/airflow_heatmap.json, src/cards/heatmap.rs의 그림).

## 실행에 걸린 시간과 시작 시각 (strftime 패턴).
airflow-span-seconds = { $s }초
airflow-span-minutes = { $m }분
airflow-span-minutes-seconds = { $m }분 { $s }초
airflow-span-hours = { $h }시간
airflow-span-hours-minutes = { $h }시간 { $m }분
airflow-time-pattern = %H:%M %Z
airflow-day-time-pattern = %-m월 %-d일 %H:%M %Z

## Airflow가 부르는 실행 상태. 모르는 상태는 Airflow가 쓴 그대로 보여 줍니다.
airflow-state = { $state ->
    [failed] 실패
    [success] 성공
    [running] 실행 중
    [queued] 대기 중
   *[other] { $state }
}
airflow-run-type = { $kind ->
    [scheduled] 예약
    [manual] 수동
    [backfill] 백필
    [dataset_triggered] 데이터셋 트리거
    [asset_triggered] 에셋 트리거
   *[other] { $shown }
}
airflow-running-for = 실행 중 { $span }
airflow-backfill = 백필
airflow-task-try = { $task } ({ $attempt }번째 시도)
airflow-failed-tasks = 실패: { $tasks }
airflow-owner = 담당 { $owner }

## 모든 Airflow 카드.
airflow-stale = Airflow 수집기의 마지막 성공이 { $ago }입니다. 실행 현황이 최신이 아닐 수 있습니다.
airflow-not-collected = 아직 수집한 Airflow가 없습니다
airflow-not-collected-hint = `airflow.instances`를 설정하십시오(웹 서버와 `Viewer` 역할의 사용자). Airflow 수집기가 5분마다 읽습니다(`doberman collect airflow`).
airflow-not-collected-fix = 아직 수집한 Airflow가 없습니다. `airflow.instances`를 설정하십시오.
airflow-state-label = 상태
airflow-log = 로그
airflow-open-dashboard = Airflow 대시보드 열기
airflow-run = 실행
airflow-n-failed = { $n }건 실패

## `airflow`: 오늘의 현황판.
airflow-board-title = Airflow · 오늘
airflow-latest-run = 최근 실행
airflow-due = { $time } 예정, 아직 실행 없음
airflow-late = { $span } 지연
airflow-no-run-yet = 아직 실행 없음
airflow-no-runs = 실행 없음
airflow-import-failed = { $file } 파일을 불러오지 못해 그 안의 DAG가 실행되지 않습니다
airflow-import-error = 임포트 오류
airflow-n-late = { $n }건 지연
airflow-all-well = 모두 정상
airflow-today = 오늘
airflow-today-runs = 00:00 { $zone } 이후 { $n }회 실행: 성공 { $succeeded }, 실패 { $failed }, 실행 중 { $running }
airflow-board-summary = 오늘의 Airflow: 실패 { $failed }, 지연 { $late }, 실행 중 { $running }, 성공 { $succeeded }
airflow-none-on = 켜져 있는 DAG가 없습니다
airflow-none-on-hint = 모든 DAG가 일시 중지되었거나 Airflow의 DAG 파일에서 사라졌습니다.
airflow-board-more = 외 { $n }개(`airflow dag <id>`로 하나씩 볼 수 있습니다)

## `airflow failed [24h|7d]`.
airflow-window-unknown = { $typed }은(는) 알 수 없는 기간입니다. `airflow failed`(최근 24시간) 또는 `airflow failed 7d`(최근 7일)로 조회할 수 있습니다
airflow-last-24h = 최근 24시간
airflow-last-days = 최근 { $days }일
airflow-failed-title = Airflow · 실패한 실행, { $period }
airflow-failed-none = { $period } 동안 실패한 DAG 실행이 없습니다
airflow-failed-summary = { $period } 동안 DAG 실행 { $n }건이 실패했습니다
airflow-none-failed = 실패 없음
airflow-failed-hint-week = `airflow failed 7d`로 최근 일주일을 볼 수 있습니다.
airflow-failed-hint-board = `airflow`로 오늘의 현황을 볼 수 있습니다.
airflow-failed-more = 최근 { $n }건만 표시합니다.

## `airflow dag <dag_id>`.
airflow-dag-which = 어느 DAG인지 알려 주십시오. 예: `airflow dag orders_daily`
airflow-dag-not-id = { $typed }은(는) DAG ID가 아닙니다
airflow-no-dag-title = 그런 DAG가 없습니다
airflow-no-dag = { $id }(이)라는 DAG가 없습니다.
airflow-no-dag-fix = `airflow`로 켜져 있는 DAG 목록을 볼 수 있습니다.
airflow-instance = 인스턴스
airflow-instance-also = { $instance } (그 밖에 { $n }곳에도 있음)
airflow-owners = 담당자
airflow-schedule = 일정
airflow-schedule-none = 없음: 트리거로만 실행
airflow-next-run = 다음 실행
airflow-trend-same = 이전 실행과 같음
airflow-trend-up = 이전 실행보다 ▲ { $pct }%
airflow-trend-down = 이전 실행보다 ▼ { $pct }%
airflow-typical = 보통 소요 시간
airflow-typical-value = 최근 성공 { $n }회 평균 { $span }{ $trend }
airflow-paused = 일시 중지
airflow-on = 켜짐
airflow-none = 없음
airflow-dag-summary = DAG { $dag }: { $on }, 마지막 실행 { $last }
airflow-in-files = Airflow 파일에 있음
airflow-gone = Airflow 파일에서 사라짐
airflow-failed-tasks-label = 실패한 태스크
airflow-no-runs-recorded = 기록된 실행이 없습니다
airflow-no-runs-recorded-hint = 수집한 기록에 실행이 없습니다(첫 수집 때부터 `airflow.history_days`일 전까지 수집합니다).

## `airflow heatmap [7d|30d] [instance]`.
airflow-heatmap-period-unknown = { $typed }은(는) 알 수 없는 기간입니다. `airflow heatmap`(최근 7일) 또는 `airflow heatmap 30d`(최근 30일)로 볼 수 있습니다
airflow-heatmap-not-instance = { $typed }은(는) 기간(`7d` 또는 `30d`)도, Airflow 인스턴스 이름도 아닙니다
airflow-no-instance-title = 그런 Airflow 인스턴스가 없습니다
airflow-no-instance = { $name }(이)라는 Airflow 인스턴스가 없습니다.
airflow-heatmap-all = `airflow heatmap`은 모든 인스턴스를 함께 그립니다.
airflow-heatmap-period = 최근 { $days }일 · { $zone }
# 요일, 0 = 월요일: 카드에는 길게, 그림에는 짧게.
airflow-weekday = { $day ->
    [0] 월요일
    [1] 화요일
    [2] 수요일
    [3] 목요일
    [4] 금요일
    [5] 토요일
   *[6] 일요일
}
airflow-heatmap-weekday = { $day ->
    [0] 월
    [1] 화
    [2] 수
    [3] 목
    [4] 금
    [5] 토
   *[6] 일
}
airflow-heatmap-busy = 실행 { $runs }회 · 실행 시간 { $minutes }분
airflow-heatmap-alt = 요일(행, 월요일부터)과 시각(열, 0~23시, { $zone })별 Airflow DAG 실행 히트맵, { $period }: 168시간 중 { $hours }시간에 걸쳐 실행 { $runs }건. 가장 바쁜 시간: { $busiest }.
airflow-heatmap-quiet = 실행이 없는 시간: { $hours }.
airflow-heatmap-summary = Airflow 히트맵, { $period }: 가장 바쁜 시간 { $hour } ({ $value })
airflow-heatmap-summary-none = Airflow 히트맵, { $period }: 실행 없음
airflow-heatmap-title = Airflow 시간표 히트맵
airflow-heatmap-empty = { $period } 동안 DAG 실행이 없습니다
airflow-heatmap-empty-hint = 백필은 빼고 그립니다. `airflow heatmap 30d`로 최근 30일을, `airflow`로 오늘의 현황을 볼 수 있습니다.
# 그림의 범례: 모든 글자가 src/cards/heatmap.rs의 GLYPHS에 있어야 합니다.
airflow-heatmap-legend = 실행 시간 { $max }분 · 숫자: 실행 횟수
t_airflow_heatmap_busiest_hours = 가장 바쁜 시간
t_airflow_heatmap_open_dashboard = Airflow 대시보드 열기
