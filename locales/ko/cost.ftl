# `비용` 명령(src/chat/cost.rs)과 그 카드(cards/cost.json).

t_cost_cost = 비용
t_cost_open_dashboard = 비용 대시보드 열기

## 사용법 안내

cost-unknown-word = 알 수 없는 말입니다: { $word }. `비용`, `비용 지난달`, `비용 오늘`, `비용 지난주`, `비용 최근 30일`, `비용 2026-10`, `비용 계정별`, `비용 팀별`, `비용 리소스별`처럼 입력해 보세요.
cost-days-out-of-range = { $typed }: 최근 1일부터 { $max }일까지만 물을 수 있습니다. 더 긴 기간은 분기로 물어보세요(`비용 지난 분기`).

## 월, 분기, 기간

cost-month-name = { $month }월
cost-month-short = { $month }월
# "최근 일자 (11월 24일)"처럼 연도 없이 쓰는 날짜 (chrono의 strftime).
cost-month-day-pattern = %-m월 %-d일
cost-range = { $from } ~ { $to }

## 카드 머리

cost-title = AWS 비용 · { $period }
cost-title-plain = AWS 비용
cost-title-latest-day = AWS 비용 · { $day } (가장 최근 일자)
cost-subtitle = { $by ->
    [account] 계정별
    [team] 팀별
    [resource] 리소스별
   *[service] 서비스별
} · { $currency }, 상각 비용
cost-rate = 환율 1 { $from } = { $to ->
    [KRW] { $rate }원
   *[other] { $rate } { $to }
} (설정값)
cost-group = { $by ->
    [account] 계정
    [team] 팀
    [resource] 리소스
   *[service] 서비스
}
cost-change-header = 증감
cost-no-team = (팀 없음)
cost-new = 신규
cost-no-data = 데이터 없음

## 요약: "지난주 AWS 비용은 USD 1,234.00입니다. 그 전주보다 5.0% 늘었습니다."

cost-summary = { $period } AWS 비용은 { $total }입니다. { $change }
cost-summary-day = { $day } AWS 비용은 { $total }입니다. { $change }
cost-summary-empty = { $period } AWS 비용 데이터가 없습니다
cost-summary-nothing = 아직 AWS 비용 데이터가 없습니다
cost-change = { $dir ->
    [up] { $before }보다 { $pct }% 늘었습니다.
    [same] { $before } 대비 변동이 없습니다.
    [down] { $before }보다 { $pct }% 줄었습니다.
   *[none] { $before }에는 비교할 비용이 없습니다.
}

## 기간과 비교하는 기간

cost-name-month-to-date = { $month } 누적
cost-before-same-days = { $month } 같은 기간
cost-name-yesterday = 어제({ $day })
cost-before-day = 전날
cost-name-this-week = 이번 주 누적
cost-before-this-week = 지난주 같은 기간
cost-name-last-week = 지난주
cost-before-last-week = 그 전주
cost-name-quarter-to-date = { $year }년 { $quarter }분기 누적
cost-name-quarter = { $year }년 { $quarter }분기
cost-before-quarter-same-days = { $year }년 { $quarter }분기 같은 기간
cost-name-last-days = 최근 { $n }일
cost-before-days = 그 전 { $n }일

## 요약 수치

cost-fact-month-to-date = 이번 달 누적 (1–{ $day }일)
cost-fact-same-days = { $month } 같은 기간
cost-fact-projected = { $month } 예상
cost-fact-latest-day = 최근 일자 ({ $day })
cost-anomaly = { $amount } · 이상 점수 { $score }
cost-fact-today = 오늘 ({ $day })
cost-today-not-in = 아직 보고서에 없음 (보통 하루 늦음)
cost-today-lag = 오늘({ $today })은 아직 비용 및 사용량 보고서(CUR)에 없습니다. 가장 최근 일자는 { $latest }입니다.
cost-fact-against-days = 이전 { $n }일 대비
cost-mean-anomaly = 평균 { $amount } · 이상 점수 { $score }
cost-fact-this-week = 이번 주 ({ $range })
cost-fact-this-week-before = 지난주 같은 기간 ({ $range })
cost-fact-last-week = 지난주 ({ $range })
cost-fact-last-week-before = 그 전주 ({ $range })
cost-fact-quarter = { $quarter } ({ $range })
cost-fact-last-days = 최근 { $n }일 ({ $range })
cost-fact-days-before = 그 전 { $n }일 ({ $range })

## 증감 열과 변동 상위

cost-vs-month-days = { $month } 1–{ $day }일 대비
cost-vs-month = { $month } 대비
cost-vs-day-before = 전일 대비
cost-vs-this-week-before = 지난주 같은 기간 대비
cost-vs-last-week-before = 그 전주 대비
cost-vs-quarter = { $quarter } 대비
cost-vs-days-before = 그 전 { $n }일 대비
cost-movers-day = 전일 대비 변동 상위
cost-movers-week = 전주 대비 변동 상위
cost-movers-month = 전월 대비 변동 상위
cost-movers-quarter = 전 분기 대비 변동 상위
cost-movers-days = 그 전 { $n }일 대비 변동 상위
cost-mover = { $arrow } { $name } { $sign }{ $amount } ({ $pct })
cost-mover-new = { $arrow } { $name } { $sign }{ $amount } (신규)

## 빈 상태, 지연 경고, 바닥글

cost-empty-period = 이 기간의 비용 데이터가 없습니다
cost-empty-title = { $period } 비용 데이터가 없습니다
cost-empty-hint-collect = 비용 수집기가 아직 아무것도 저장하지 않았습니다. `cost.database`를 설정하고 `doberman collect cost`를 실행하세요.
cost-empty-hint-try = `비용 지난달`이나, 데이터가 있는 달의 `비용 YYYY-MM`을 입력해 보세요.
cost-empty-hint-month = 저장된 보고서는 { $latest }까지입니다. `비용`, `비용 지난달`, 또는 데이터가 있는 달의 `비용 YYYY-MM`을 입력해 보세요.
cost-empty-hint-range = 저장된 보고서는 { $latest }까지입니다. 가장 최근 일자는 `비용 오늘`, 최근 30일은 `비용 최근 30일`로 물어보세요.
cost-empty-resources = 이 기간에 저장된 리소스가 없습니다
cost-empty-resources-hint = 수집기는 보고서에 리소스 ID가 있을 때 일자와 서비스마다 비용이 큰 리소스를 저장합니다(`cost.top_resources`). `비용 서비스별`로 물어보세요.
cost-stale = 비용 수집기가 마지막으로 성공한 것은 { $ago }입니다. { $hours }시간마다 실행되므로 수치가 늦을 수 있습니다.
cost-stale-never = 이 저장소에서 비용 수집기가 아직 한 번도 성공하지 않았습니다.
cost-as-of = { $when } · CUR { $day }까지
