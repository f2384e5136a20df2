# 데이터 검증: `checks`, `check <name or table>`, `check run <name>` (src/chat/checks.rs, airflow 카드), 그리고
# 검증이 찾은 것 (src/checks/judge.rs, src/checks/mod.rs): 메시지로 저장하고 읽을 때 씁니다.

## 채팅 답변.
checks-status = { $status ->
    [pass] 통과
    [fail] 실패
    [error] 실행 불가
   *[none] 미실행
}
checks-numbers = 원천 { $source } · 레이크 { $lake } ({ $diff })
checks-numbers-same = 원천 { $source } · 레이크 { $lake }
checks-warn = 경고
checks-owner = 담당 { $owner }
checks-day-pattern = %-m월 %-d일
checks-not-run-yet = 아직 실행되지 않았습니다
checks-status-label = 상태
checks-more-link = 더 보기
checks-open-dashboard = 데이터 품질 대시보드 열기
checks-check-label = 검증
checks-latest-result = 최근 결과
checks-none-declared = 선언된 데이터 검증이 없습니다
checks-none-declared-hint = `checks.dir`에 검증을 작성하거나(`checks/*.toml`, `doberman check validate`로 확인합니다) `checks.glue_data_quality`를 설정해 AWS Glue Data Quality 결과를 읽으십시오.
checks-n-failing = { $n }건 실패
checks-n-could-not-run = { $n }건 실행 불가
checks-n-passed = { $n }건 통과
checks-n-not-run-yet = { $n }건 미실행
checks-all-pass = 모두 통과
checks-board-title = 데이터 검증 · 오늘
checks-board-summary = 데이터 검증: 실패 { $failed }, 실행 불가 { $errors }, 통과 { $passed }, 미실행 { $notrun }
checks-board-subtitle = 테이블 { $tables }개의 검증 { $checks }개 · 실패 먼저
checks-latest-results = 최근 결과
checks-latest-results-value = { $failed }건 실패 · { $errors }건 실행 불가 · { $passed }건 통과
checks-board-more = 외 { $n }개는 통과했거나 아직 실행되지 않았습니다(`check <table>`로 테이블별로 볼 수 있습니다)
checks-day-checked = 검증한 날
checks-found = 결과
checks-now = 방금 실행
checks-runs = 실행
checks-source = 원천 { $source }
checks-lake = 레이크 { $lake }
checks-last-failure = 최근 실패
checks-last-days = 최근 { $n }일
checks-last-days-value = 통과 { $passed } · 미통과 { $failed }
checks-not-run-title = 아직 실행되지 않았습니다
checks-not-run-hint = 일정에 따라 실행됩니다. 관리자는 `check run <name>`으로 지금 실행할 수 있습니다.
checks-table-title = 데이터 검증 · { $table }
checks-table-summary = { $table }: 실패 { $failed }, 실행 불가 { $errors }, 통과 { $passed }
checks-no-such-title = 그런 검증이 없습니다
checks-no-such = { $typed }(이)라는 검증도, 검증이 있는 테이블도 없습니다.
checks-no-such-fix = `checks`로 모든 검증을, `check <name>` 또는 `check <database.table>`로 하나를 볼 수 있습니다.
checks-cannot-run-title = 여기서는 검증을 실행할 수 없습니다
checks-cannot-run = 이 Doberman은 검증을 실행하지 않습니다.
checks-cannot-run-fix = `checks.dir`을 설정하십시오.
checks-no-such-declared = `checks.dir`에 { $typed }(이)라는 검증이 없습니다.
checks-no-such-declared-fix = `checks`로 목록을 볼 수 있습니다. Glue Data Quality 규칙 세트는 여기가 아니라 Glue에서 실행됩니다.
checks-ran = { $day } 데이터를 { $duration } 동안 검증했습니다: { $status }
checks-ms = { $ms }ms
checks-secs = { $s }초
checks-data-checks = 데이터 검증
checks-name-one = 검증 이름이나 테이블을 입력해 주십시오

## 검증이 찾은 것.
checks-verdict-no-row = { $where ->
    [lake] 레이크
   *[source] { $side }
}에서 행이 반환되지 않았습니다. 쿼리는 숫자로 된 행 하나를 반환해야 합니다
checks-verdict-many-rows = { $where ->
    [lake] 레이크
   *[source] { $side }
}에서 행이 두 개 이상 반환되었습니다. 쿼리는 숫자로 된 행 하나를 반환해야 합니다(`GROUP BY` 없이)
checks-verdict-not-a-number = { $where ->
    [lake] 레이크
   *[source] { $side }
}: `{ $column }` 값이 숫자가 아닙니다: { $value }
checks-verdict-count-mismatch = { $side }은(는) 숫자 { $source }개, 레이크는 { $lake }개를 반환했습니다. 양쪽에 같은 열을 쓰십시오
checks-verdict-no-column = 쿼리가 열을 반환하지 않았습니다
checks-verdict-off = { $label }레이크 { $lake }, { $side } { $source }: 차이 { $diff }{ $pct }로 허용 오차({ $tolerance })를 넘습니다
checks-verdict-off-more = { $label }레이크 { $lake }, { $side } { $source }: 차이 { $diff }{ $pct }로 허용 오차({ $tolerance })를 넘습니다. 다른 열 { $more }개도 허용 오차를 넘습니다
checks-verdict-equal = 레이크 { $lake } = { $side } { $source }
checks-verdict-within = 레이크 { $lake }, { $side } { $source }: 차이 { $diff }, 허용 오차({ $tolerance }) 이내
checks-verdict-all-match = 숫자 { $n }개가 모두 { $side }와(과) 일치합니다
checks-verdict-fewer-numbers = 레이크가 예상보다 적은 숫자를 반환했습니다
checks-verdict-no-number = 레이크가 숫자를 반환하지 않았습니다
checks-verdict-nulls-ok = { $rows }행 중 { $column } 값이 `NULL`인 행 { $nulls }개
checks-verdict-nulls-fail = { $rows }행 중 { $nulls }행에 { $column } 값이 없어(`NULL`) 허용 오차({ $tolerance })를 넘습니다
checks-verdict-unique = ({ $key })에 중복이 없습니다
checks-verdict-dupes-ok = 중복된 ({ $key }) 키 { $keys }개: 허용 오차({ $tolerance }) 이내
checks-verdict-dupes = ({ $key }) 키 { $keys }개가 두 번 이상 나옵니다({ $rows }행)
checks-verdict-not-a-time = 가장 최근 { $column } 값이 시각이 아닙니다: { $value }
checks-verdict-no-time = 테이블에 { $column } 값이 하나도 없습니다
checks-verdict-fresh = 가장 최근 { $column }은(는) { $newest } UTC로, { $age }시간 전입니다
checks-verdict-stale = 가장 최근 { $column }은(는) { $newest } UTC로, { $age }시간 전입니다. { $max }시간을 넘었습니다
checks-verdict-range-out = { $n }행으로 예상 범위({ $bounds ->
    [both] { $min }~{ $max }
    [min] { $min } 이상
    [max] { $max } 이하
   *[any] 제한 없음
})를 벗어났습니다
checks-verdict-range-in = { $n }행으로 범위({ $bounds ->
    [both] { $min }~{ $max }
    [min] { $min } 이상
    [max] { $max } 이하
   *[any] 제한 없음
}) 안에 있습니다
checks-verdict-no-bad-row = 찾은 행이 없습니다
checks-verdict-bad-rows = 있어서는 안 되는 행이 { $truncated ->
    [yes] { $n }개 넘게
   *[no] { $n }개
} 있습니다. 첫 행: { $first }
checks-glue-failed = 규칙 { $rules }개 중 { $failed }개가 실패했습니다(점수 { $score }%): { $said }
checks-glue-errors = 규칙 { $errors }개를 평가할 수 없었습니다: { $said }
checks-glue-passed = 규칙 { $rules }개를 모두 통과했습니다(점수 { $score }%)

## 검증이 판단하지 못한 까닭.
checks-error-not-identifier = `{ $name }`은(는) 단순한 식별자가 아닙니다
checks-error-no-lake-sql = 검증에 레이크 SQL이 없습니다
checks-error-no-source = 검증에 원천 쪽이 없습니다
checks-error-not-one-sided = 한쪽만 보는 검증이 아닙니다
checks-error-no-account = { $where ->
    [lake] 레이크
   *[source] { $side }
}: Athena를 실행할 AWS 계정 `{ $account }`이(가) 없습니다(`checks.account`, `aws.accounts`)
checks-error = { $where ->
    [lake] 레이크
   *[source] { $side }
}: { $error }
checks-error-connect = { $where ->
    [lake] 레이크
   *[source] { $side }
}: { $host }에 연결할 수 없습니다: { $detail }
checks-error-timeout = { $where ->
    [lake] 레이크
   *[source] { $side }
}: { $host }이(가) { $secs }초 안에 응답하지 않아 쿼리를 중단했습니다
checks-error-refused = { $where ->
    [lake] 레이크
   *[source] { $side }
}: { $host }이(가) 쿼리를 거부했습니다: { $detail }
