# top tables, top databases (src/chat/top.rs)와 그 카드(cards/top.json).

## 카드 템플릿의 고정 문구

t_top_queries = 조회 수
t_top_scanned = 스캔량
t_top_open_dashboard = 사용량 대시보드 열기

## 입력한 옵션 (사용법 안내: 답에서 마침표를 붙입니다)

top-bad-database = 데이터베이스 이름으로 읽을 수 없습니다: { $name }
top-bad-days = 볼 수 없는 기간입니다: { $word }. `1일`부터 `{ $max }일`까지 주세요
top-unknown-option = 알 수 없는 옵션입니다: { $word }. `인기 테이블 30일`, `인기 테이블 db sales 스캔순`, `인기 데이터베이스 90일`처럼 써 보세요

## 카드

top-trend-new = 신규
top-no-database = (데이터베이스 없음)
top-title = { $what ->
        [databases] 인기 데이터베이스
       *[tables] 인기 테이블
    } · 최근 { $days }일
top-subtitle = { $by ->
        [scanned] 스캔량
       *[queries] 쿼리 수
    } 기준 · { $scope }
top-scope-database = 데이터베이스 { $name }
top-scope-all = 전체 데이터베이스
top-stale = 사용량 수집기가 마지막으로 성공한 때는 { $ago }입니다. 수치가 최신이 아닐 수 있습니다.
top-summary = { $title }: 1위 { $name } ({ $queries })
top-summary-none = { $title }: 기록된 쿼리가 없습니다
top-fact-queries = 쿼리 수
top-fact-scanned = 스캔량
top-scanned-cost = { $bytes } (TB당 USD { $price } 기준 약 { $cost })
top-hint-no-history = 아직 저장된 쿼리 이력이 없습니다. 사용량 수집기가 채웁니다(`doberman jobs`, `doberman collect usage`).
top-hint-database = 데이터베이스 이름을 확인해 보세요(`인기 데이터베이스`로 목록을 볼 수 있습니다). 더 긴 기간으로 볼 수도 있습니다: `{ $what ->
        [databases] 인기 데이터베이스
       *[tables] 인기 테이블
    } 90일`.
top-hint-longer = 더 긴 기간으로 보세요: `{ $what ->
        [databases] 인기 데이터베이스
       *[tables] 인기 테이블
    } 90일`.
top-hint-nothing = 최근 90일 동안 Athena에서 조회된 것이 없습니다.
top-name-label = { $what ->
        [databases] 데이터베이스
       *[tables] 테이블
    }
top-trend-label = 직전 { $days }일 대비
top-empty = 최근 { $days }일 동안 기록된 쿼리가 없습니다
