# 숫자, 금액, 시각, 기간을 쓰는 방법 (src/i18n/fmt.rs).
# 패턴은 chrono의 strftime: %Y 연, %-m 월, %-d 일, %H:%M 시각, %Z 시간대.

fmt-datetime-pattern = %Y년 %-m월 %-d일 %H:%M %Z
fmt-date-pattern = %Y년 %-m월 %-d일
fmt-when = { $time } ({ $ago })
fmt-just-now = 방금
fmt-ago = { $span } 전
fmt-in = { $span } 후
fmt-span-minutes = { $n }분
fmt-span-hours = { $n }시간
fmt-span-days = { $n }일
fmt-money = { $currency ->
    [KRW] { $amount }원
   *[other] { $currency } { $amount }
}
fmt-month = { $year }년 { $month }월
fmt-queries = 쿼리 { $n }건
