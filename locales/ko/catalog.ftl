# catalog table, catalog db, catalog search (src/chat/catalog.rs)와 그 카드(cards/catalog_table.json,
# cards/catalog_list.json).

## 카드 템플릿의 고정 문구

t_catalog_column = 컬럼
t_catalog_type = 타입
t_catalog_comment = 코멘트
t_catalog_table = 테이블
t_catalog_about = 설명
t_catalog_data_changed = 데이터 변경
t_catalog_queries_30d = 조회 수 (30일)
t_catalog_open_dashboard = 카탈로그 대시보드 열기

## 입력한 이름 (사용법 안내: 답에서 마침표를 붙입니다)

catalog-bad-table-parts = 테이블 이름으로 읽을 수 없습니다: { $name }. `db.table`처럼 쓰세요(예: `테이블 sales.orders`)
catalog-bad-table-chars = 테이블 이름으로 읽을 수 없습니다: { $name }. 이름에는 글자, 숫자, `_`, `-`만 쓸 수 있습니다(예: `테이블 sales.orders`)
catalog-bad-database = 데이터베이스 이름으로 읽을 수 없습니다: { $name }. 이름에는 글자, 숫자, `_`, `-`만 쓸 수 있습니다(예: `데이터베이스 sales`)

## 테이블 데이터의 신선도 (배지)

catalog-fresh-view = 뷰
catalog-unknown = 알 수 없음
catalog-fresh-on-time = 최신 · { $ago }
catalog-fresh-late = 지연 · { $ago }
catalog-fresh-unwatched = 변경 · { $ago }
catalog-expected-every = { $span }마다 ({ $source ->
        [learned] 변경 이력에서 학습
       *[rule] `alerts.freshness`
    })
catalog-not-watched = 감시하지 않음: 이 테이블을 지정한 `alerts.freshness` 규칙이 없고, 변경이 너무 드물어 주기를 학습할 수 없습니다

## 공통

catalog-stale = 카탈로그 수집기가 마지막으로 성공한 때는 { $ago }입니다. 카탈로그가 최신이 아닐 수 있습니다.
catalog-empty-catalog = 카탈로그가 비어 있습니다. 카탈로그 수집기가 채웁니다(`doberman jobs`, `doberman collect catalog`). 데모 데이터로 먼저 살펴볼 수도 있습니다(`doberman demo`).
catalog-tables = 테이블 { $n }개
catalog-row-partitions = 파티션 { $n }개

## catalog table

catalog-also-in = { $name } 테이블은 { $places }에도 있습니다.
catalog-only-close-table = { $name } 테이블은 없습니다. 비슷한 이름은 이 테이블 하나뿐입니다.
catalog-same-name-title = 이름이 { $name }인 테이블이 { $n }개 있습니다
catalog-same-name-subtitle = 여러 데이터베이스, 계정 또는 리전에 있습니다
catalog-same-name-notice = `테이블 <db.table>`처럼 하나를 골라 물어보세요.
catalog-no-table = { $name } 테이블이 없습니다
catalog-did-you-mean = 혹시 이 중 하나인가요?
catalog-no-table-empty = 이름이 { $name }이거나 비슷한 테이블이 없습니다
catalog-no-table-hint = 철자를 확인해 보세요. `데이터베이스 <이름>`처럼 데이터베이스의 테이블을 보거나 `검색 { $word }`처럼 단어로 찾을 수도 있습니다.
catalog-word-only-match = 이름이 { $name }인 테이블은 없지만, 이 단어가 들어간 테이블은 이것 하나뿐입니다.
catalog-word-matches = 이름이 { $name }인 테이블은 없습니다. 이 단어가 들어간 테이블입니다.
catalog-gone-title = 테이블이 방금 사라졌습니다
catalog-gone-message = { $name } 테이블이 조금 전에 삭제되었습니다.
catalog-gone-fix = 다시 물어보시면 지금 있는 것을 보여 드립니다.
catalog-fact-location = 위치
catalog-fact-format = 포맷
catalog-fact-expected = 예상 변경 주기
catalog-fact-partitions = 파티션
catalog-partitions = { $keys } 기준 { $n }개
catalog-partitions-uncounted = 아직 세지 않음, { $keys } 기준
catalog-fact-newest-partition = 최신 파티션
catalog-fact-data-changed = 데이터 변경
catalog-fact-rows = 행 수
catalog-fact-size = 크기
catalog-fact-owner = 소유자
catalog-fact-account = 계정
catalog-columns-more = …외 컬럼 { $n }개
catalog-what-view = 뷰
catalog-what-table = 테이블
catalog-what-format-table = { $format } 테이블
catalog-columns = 컬럼 { $n }개
catalog-table-summary = { $name }: { $what }, { $columns }, 데이터 { $fresh }
catalog-columns-title = 컬럼 ({ $n })
catalog-readers-title = 많이 읽은 곳 · { $days }일간 { $queries }
catalog-readers-title-none = 많이 읽은 곳 · 최근 { $days }일
catalog-readers-empty = 최근 { $days }일 동안 이 테이블을 읽은 Athena 쿼리가 없습니다.

## catalog db

catalog-only-close-database = { $name } 데이터베이스는 없습니다. 비슷한 이름은 이 데이터베이스 하나뿐입니다.
catalog-no-database-hint = 철자를 확인해 보세요. `검색 { $name }`처럼 단어로 테이블을 찾을 수도 있습니다.
catalog-database-did-you-mean = 혹시 이것인가요: { $names }
catalog-database-command = `데이터베이스 { $name }`
catalog-no-database = { $name } 데이터베이스가 없습니다
catalog-no-database-empty = 이름이 { $name }인 데이터베이스가 없습니다
catalog-fact-tables = 테이블
catalog-fact-about = 설명
catalog-fact-not-changed = { $days }일간 변경 없음
catalog-database-summary = 데이터베이스 { $name }: { $tables }
catalog-database-title = 데이터베이스 { $name }
catalog-database-subtitle = { $tables }, 이름순
catalog-database-empty = { $name } 데이터베이스에 테이블이 없습니다
catalog-database-empty-hint = 그 뒤에 만든 테이블이라면 다음 카탈로그 수집 후에 나타납니다.

## catalog search

catalog-search-what-title = 무엇을 검색할까요?
catalog-search-what-message = 테이블 이름, 컬럼 이름, 코멘트에 들어 있는 단어를 입력하세요.
catalog-search-what-fix = 예: `검색 주문`, `검색 customer`
catalog-search-hint = 검색은 테이블 이름, 컬럼 이름, 코멘트에서 입력한 단어마다 그 단어로 시작하는 말이 있는 테이블을 찾습니다. 단어 수를 줄이거나 더 짧게 써 보세요. `데이터베이스 <이름>`으로 데이터베이스의 테이블을 볼 수도 있습니다.
catalog-search-summary = 카탈로그 검색 “{ $words }”: { $found }개
catalog-search-title = “{ $words }” 검색 결과
catalog-search-subtitle = { $found }개 · 이름, 컬럼, 코멘트 순이고 같으면 많이 쓰는 순
catalog-search-truncated = 입력한 단어가 모두 { $cap }곳 넘게 나옵니다. 처음 { $cap }곳 가운데 가장 잘 맞는 결과입니다. 전부 검색하려면 단어를 더하거나 더 드문 단어를 쓰세요.
catalog-search-empty = “{ $words }”에 맞는 테이블이 없습니다
