# `상태` 명령(src/chat/status.rs)과 그 카드(cards/status.json).

t_status_job = 작업
t_status_last_run = 마지막 실행
t_status_result = 결과
t_status_rows = 행 수
t_status_data = 데이터
t_status_last_written = 마지막 기록
t_status_fresh = 최신 여부

status-title = Doberman 상태
status-up-since = { $when }부터 실행 중
status-from-the-command-line = 명령줄에서 물었습니다. 실행 중인 서버가 아니라 저장소 기준입니다
status-version = 버전
status-database = 데이터베이스
status-open-alerts = 열린 알림
status-alerts-firing = { $topic } { $n }건
status-no-alerts = 없음

status-healthy = ● 정상
status-alerts-open = ● 알림 있음
status-attention = ● 확인 필요
status-summary-healthy = Doberman { $version } 정상 동작 중입니다. 데이터는 최신이고 열린 알림은 없습니다
status-summary-alerts = Doberman { $version } 정상 동작 중이고 데이터는 최신입니다. 열린 알림 { $n }건: { $alerts }
status-summary-attention = Doberman { $version } 동작 중입니다. 확인이 필요한 항목이 { $n }건 있습니다

## 작업별 마지막 실행

status-never = 기록 없음
status-not-run-yet = 아직 실행 안 됨
status-not-scheduled = 일정 없음
status-succeeded = 성공
status-running = 실행 중
status-skipped = 건너뜀 (다른 복제본이 실행)
status-failed = 실패: { $reason }
status-no-reason = 사유 기록 없음

## 데이터별 마지막 기록

status-data-catalog = Glue 카탈로그 ({ $table })
status-data-usage = Athena 쿼리 ({ $table })
status-data-cost = 비용 ({ $table })
status-data-airflow = Airflow 실행 ({ $table })
status-behind = 지연
status-fresh = 최신
