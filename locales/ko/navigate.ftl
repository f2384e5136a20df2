# navigate (src/chat/navigate.rs)와 그 카드(cards/navigate.json).

## Doberman 기본 항목

navigate-usage-title = Athena 테이블 사용량
navigate-usage-description = Athena 쿼리 이력에서 테이블별, 일별 쿼리 수와 스캔량을 집계합니다. 어떤 테이블을 얼마나 쓰는지와 그 추세를 볼 수 있습니다.
navigate-history-title = Athena 쿼리 이력
navigate-history-description = Athena가 45일만 보관하는 쿼리 실행 이력을 그 뒤로도 보관합니다. 누가 무엇을 실행했는지, 상태, 실행 시간, 스캔량, SQL 원문, 쿼리마다 읽고 쓴 테이블을 담습니다.
navigate-cost-title = AWS 비용
navigate-cost-description = CUR(비용 및 사용 보고서)에서 일별, 계정별, 서비스별, 사용 유형별 상각 비용과 비용이 큰 리소스를 집계합니다. 이번 달 누계, 월말 예상, 변동이 큰 항목을 볼 수 있습니다.
navigate-catalog-title = Glue 카탈로그: 데이터베이스, 테이블, 컬럼
navigate-catalog-description = 현재 Glue 카탈로그입니다. 모든 데이터베이스, 테이블, 뷰의 위치, 포맷, 파티션과 모든 컬럼의 타입, 코멘트를 담고, 삭제된 것은 삭제된 때와 함께 남겨 둡니다.
navigate-freshness-title = 테이블 증가량과 신선도
navigate-freshness-description = 테이블마다 하루 한 행씩 파티션 수, 최신 파티션, 마지막 데이터 변경 시각을 기록합니다. 테이블이 얼마나 커지는지, 데이터가 끊긴 테이블은 없는지 볼 수 있습니다.
navigate-jobs-title = Doberman 수집 작업
navigate-jobs-description = 수집기마다 마지막으로 언제 실행했는지, 어떻게 끝났는지, 몇 행을 기록했는지 보여 줍니다.
navigate-dashboard-usage = Doberman 사용량
navigate-dashboard-cost = Doberman 비용
navigate-dashboard-catalog = Doberman 카탈로그
navigate-dashboard-operations = Doberman 운영
navigate-command-top = 인기 테이블
navigate-command-cost = 비용
navigate-command-table = 테이블 <이름>
navigate-command-search = 검색 <단어>
navigate-command-status = 상태

## 카드

navigate-ask-me = 🐕 물어보기: `{ $command }`
navigate-owner = 담당: { $owner }
navigate-own-only = Doberman 기본 항목만
navigate-no-file = 아직 Doberman 기본 항목만 있습니다. 팀의 대시보드, 테이블, 채널을 추가하려면 `navigate.file`에 `navigate.example.toml` 같은 파일을 지정하세요.
navigate-entries = 항목 { $n }개
navigate-groups = 그룹 { $n }개
navigate-index-title = 무엇이 어디에 있나
navigate-index-summary = 무엇이 어디에 있나: { $groups }, { $entries } ({ $names })
navigate-index-subtitle = { $entries } · `어디에 <단어>`로 찾아보세요
navigate-group-more = …{ $group }에 { $n }개 더 있습니다: `어디에 { $word }`
navigate-open-superset = Superset 열기
navigate-title = 찾기: { $words }
navigate-did-you-mean = 혹시 { $words }인가요?
navigate-try = 지표, 테이블, 팀, 그룹({ $groups }) 가운데 한 단어로 찾아보세요. 전체 목록은 `어디에`만 입력하면 됩니다.
navigate-none-summary = 내비게이션 문서에 “{ $words }”에 맞는 항목이 없습니다
navigate-none = “{ $words }”에 맞는 항목이 없습니다
navigate-more = …외 { $n }개: 단어를 하나 더 넣어 보세요(`어디에 { $words } <단어>`).
navigate-open = { $label } 열기
navigate-one-match = 1건
navigate-matches = { $n }건, 잘 맞는 순
navigate-some-match = 모든 단어에 맞는 항목은 없습니다. 일부 단어에 맞는 { $entries }, 가까운 순
navigate-found-summary = “{ $words }” 검색 결과 { $n }건: { $title }
