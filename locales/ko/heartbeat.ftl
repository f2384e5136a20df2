# 아침 하트비트 (src/alerts/mod.rs, cards/heartbeat.json).

heartbeat-title = 좋은 아침입니다: Doberman 정상 동작 중
heartbeat-subtitle = 버전 { $version } · 가동 { $uptime } · { $time }
heartbeat-summary = Doberman { $version } 정상 동작 중: 24시간 동안 작업 실패 { $failures }회, 열린 알림 { $open }건
heartbeat-status-well = ● 이상 없음
heartbeat-status-attention = ● 확인 필요
heartbeat-fact-freshness = 데이터 최신성
heartbeat-fact-freshness-value = 감시 중인 테이블 { $watched }개 중 { $stale }개 지연 (감시 안 함 { $unwatched }개)
heartbeat-fact-cost = 비용 { $day }
heartbeat-cost-not-yet = 그날 비용 데이터가 아직 없습니다 (비용 보고서는 늦게 들어옵니다)
heartbeat-cost-none = 비용 데이터 없음
heartbeat-fact-open-alerts = 열린 알림
heartbeat-fact-job-runs = 작업 실행 (24시간)
heartbeat-fact-job-runs-value = { $n }회 실패
heartbeat-fact-airflow = Airflow 실행 (24시간)
heartbeat-fact-airflow-value = 성공 { $ok } · 실패 { $failed } · 실행 중 { $running }
heartbeat-fact-checks = 정합성 검사
heartbeat-fact-checks-value = 통과 { $pass } · 실패 { $fail } · 실행 불가 { $error }
heartbeat-job-ok = ✅ { $job }: { $ok }회 성공
heartbeat-job-failed = ❌ { $job }: { $ok }회 성공, { $failed }회 실패 — { $error }
heartbeat-alert-line = 🔔 { $topic }: { $n }건 발생 중
heartbeat-footer = 매일 { $at } · 이 카드가 오지 않으면 Doberman이 멈춘 것입니다
heartbeat-fallback = Doberman 정상 동작 중
heartbeat-fallback-text = Doberman이 정상 동작 중입니다.

t_heartbeat_jobs = 지난밤 작업
t_heartbeat_open_alerts = 열린 알림
t_heartbeat_dashboard = 운영 대시보드
