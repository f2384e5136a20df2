# 명령어의 말 (src/chat/commands.rs): cmd-<이름>-summary는 한 줄 요약(Teams 매니페스트 설명으로도 쓰며 128자 이내),
# cmd-<이름>-help는 `도움말 <명령어>`에 나오는 설명, cmd-<이름>-arg<N>은 N번째 인자의 설명입니다.

cmd-help-summary = 도베르만이 할 수 있는 일, 또는 명령어 하나의 사용법
cmd-help-help = 명령어 없이 쓰면 물어볼 수 있는 모든 것을 보여 드립니다. 명령어를 붙이면 인자, 다른 이름, 예시까지 자세히 설명합니다.
cmd-help-arg1 = 설명을 볼 명령어

cmd-catalog-table-summary = 테이블의 컬럼, 파티션, 위치, 포맷, 데이터가 얼마나 최신인지, 누가 읽는지
cmd-catalog-table-help = 카탈로그 수집기가 마지막으로 본 Glue 테이블을 보여 드립니다. 타입과 설명이 붙은 컬럼(🔑는 파티션 키), 위치, 포맷, 파티션과 가장 최근 파티션, 데이터가 마지막으로 바뀐 시각, 최근 30일 동안 가장 많이 사용한 Athena 작업 그룹까지 나옵니다. 이름이 정확하지 않으면 비슷한 테이블을 보여 드리고, 하나뿐이면 바로 보여 드립니다. `주문 테이블`처럼 한국어로 물어도 설명과 컬럼 설명에서 찾습니다.
cmd-catalog-table-arg1 = 테이블: `db.table` 또는 이름만

cmd-catalog-search-summary = 이름, 컬럼 이름, 설명에 들어간 단어로 테이블 찾기 (많이 쓰는 순)
cmd-catalog-search-help = 데이터베이스나 테이블 이름, 컬럼 이름, 컬럼 설명, 테이블 설명에서 입력한 단어가 모두 단어 첫머리에 나오는 테이블을 찾습니다(한국어 복합어는 부분으로도 찾습니다). 이름이 맞는 테이블이 먼저, 그다음 컬럼, 그다음 설명 순이고, 같으면 최근 30일 Athena 사용량 순입니다.
cmd-catalog-search-arg1 = 테이블·컬럼 이름이나 설명에 들어간 단어 (한국어도 됩니다)

cmd-catalog-db-summary = 데이터베이스의 테이블 목록과 각 테이블의 최신성, 조회량
cmd-catalog-db-help = 설정된 모든 계정과 리전에서 Glue 데이터베이스의 테이블을 이름순으로 보여 드립니다. 포맷, 파티션, 데이터가 마지막으로 바뀐 시각, 최근 30일 Athena 쿼리 수가 함께 나옵니다.
cmd-catalog-db-arg1 = Glue 데이터베이스

cmd-top-tables-summary = Athena에서 가장 많이 조회한 테이블과 스캔량, 추세
cmd-top-tables-help = 최근 7일, 30일, 90일(또는 90일 이내의 원하는 일수) 동안 테이블을 읽거나 쓴 Athena 쿼리 수(또는 그 쿼리들의 스캔량)로 순위를 매기고, 바로 앞 기간과 비교합니다. 데이터베이스 하나로 좁힐 수도 있습니다. 편하게 물어보세요: `지난주 인기 테이블`, `인기 테이블 30일 스캔량`.
cmd-top-tables-arg1 = `7d`(기본), `30d`, `90d` 또는 90일 이내의 `Nd`; `db <이름>`; `by queries`(조회 수, 기본) 또는 `by scanned`(스캔량)

cmd-top-databases-summary = Athena에서 가장 많이 조회한 데이터베이스와 스캔량, 추세
cmd-top-databases-help = 최근 7일, 30일, 90일 동안 테이블을 사용한 Athena 쿼리 수로 데이터베이스 순위를 매깁니다.
cmd-top-databases-arg1 = `7d`(기본), `30d`, `90d` 또는 90일 이내의 `Nd`; `by queries`(조회 수, 기본) 또는 `by scanned`(스캔량)

cmd-cost-summary = AWS 비용: 이번 달 누적과 지난달 비교, 예상, 상위 서비스·계정, 크게 변한 항목
cmd-cost-help = 비용 및 사용 보고서(CUR)에 있는 모든 계정의 AWS 상각 비용입니다. 이번 달은 지난달 같은 날짜까지와 비교하고 최근 7일로 월말 비용을 예상합니다. 다른 달은 그 전달과, 오늘은 어제 및 지난 2주와, 주·분기·최근 N일은 바로 앞의 같은 길이 기간과 비교합니다. 편하게 물어보세요: `지난주 비용 얼마야`, `이번 달 팀별 비용`.
cmd-cost-arg1 = 기간: 이번 달(기본), 지난달, 오늘, 어제, 이번 주, 지난주, 이번 분기, 지난 분기, `YYYY-MM`, 최근 N일; 묶는 기준: 서비스별(기본), 계정별, 팀별, 리소스별

cmd-navigate-summary = 지표가 어디에 있는지: 주제별 대시보드, 테이블, 채널, 담당자
cmd-navigate-help = 팀의 내비게이션 문서(`navigate.file`)와 도베르만의 테이블·대시보드를 보여 드립니다. 단어 없이 쓰면 그룹별 전체 목록이, 단어를 붙이면 제목, 키워드, 설명, 위치, 담당자에 그 단어가 들어간 항목이 나옵니다(제목과 키워드가 맞는 항목이 먼저).
cmd-navigate-arg1 = 지표, 테이블, 팀 또는 키워드 (한국어도 됩니다); 없으면 전체 목록

cmd-airflow-summary = 오늘의 Airflow 현황: 실패, 지연, 실행 중, 성공한 DAG (나쁜 것부터)
cmd-airflow-help = 켜져 있는(일시 중지되지 않은) DAG마다 백필이 아닌 가장 최근 실행을 보여 드립니다. 실패한 DAG는 실패한 태스크와 로그 링크와 함께, 지연된 DAG(다음 실행 예정 시각이 `airflow.late_after` 이상 지났는데 생기지 않은 것), 실행 중인 DAG, 나머지 순입니다. 임포트에 실패한 파일과 오늘의 실행도 나옵니다.
cmd-airflow-failed-summary = 실패한 Airflow DAG 실행과 실패한 태스크, 재시도 횟수, 로그 링크
cmd-airflow-failed-help = 최근 24시간(또는 7일) 동안 실패한 DAG 실행을 최신순으로 보여 드립니다. 실행마다 실패한 태스크, 시도 횟수, 로그 링크가 나오고, 백필은 따로 표시합니다.
cmd-airflow-failed-arg1 = 최근 24시간(기본) 또는 7일
cmd-airflow-heatmap-summary = Airflow 스케줄 히트맵: 일주일 중 언제 DAG가 얼마나 오래 도는지
cmd-airflow-heatmap-help = 최근 7일(또는 30일) 동안 요일별·시간대별로 진행 중이던 DAG 실행(백필 제외)을 `schedule.timezone` 기준으로 그립니다. 칸의 색은 실행 시간(분), 숫자는 실행 횟수입니다. 가장 붐비는 시간대를 아래에 적어 드려서, 스케줄러가 몰리는 때와 새 DAG를 넣을 자리를 알 수 있습니다.
cmd-airflow-heatmap-arg1 = 최근 7일(기본) 또는 30일
cmd-airflow-heatmap-arg2 = Airflow 인스턴스 하나 (기본: 전체)
cmd-airflow-dag-summary = Airflow DAG 하나: 스케줄, 담당자, 다음 실행, 최근 실행과 소요 시간, 추세
cmd-airflow-dag-help = DAG의 스케줄, 담당자, 다음 실행과 최근 10번의 실행(소요 시간, 실패한 태스크)을 보여 드리고, 최근 성공한 실행이 그 전보다 얼마나 오래 걸리는지 비교합니다.
cmd-airflow-dag-arg1 = Airflow에 나오는 DAG ID

cmd-checks-summary = 오늘의 데이터 정합성 체크: 실패한 것부터, 그다음 통과한 것, 테이블별
cmd-checks-help = 모든 데이터 체크(`checks.dir`, 그리고 읽어 오도록 설정했다면 Glue Data Quality 규칙 세트)를 가장 최근 결과 기준으로 보여 드립니다. 실패한 체크는 양쪽 숫자와 함께, 그다음 실행하지 못한 체크(시간 초과, 거부된 쿼리), 아직 실행하지 않은 체크, 통과한 체크 순입니다.
cmd-check-run-summary = 데이터 체크를 지금 실행하고 결과 보기 (관리자)
cmd-check-run-help = 스케줄대로라면 지금 확인할 날짜(대부분 어제)로 체크를 실행하고, 결과를 기록(그날 결과를 교체)한 뒤 이력을 보여 드립니다. 알림 카드는 다음 평가 때 따라옵니다.
cmd-check-run-arg1 = 체크 파일에 적힌 체크 이름
cmd-check-summary = 데이터 체크 하나의 이력과 양쪽 숫자, 또는 테이블의 체크들
cmd-check-help = 체크 이름을 주면 최근 14일의 결과와 양쪽 숫자, 차이, 실행 위치, 마지막 실패 메시지를 보여 드립니다. 테이블(`database.table`)을 주면 그 테이블의 체크를 최근 결과 기준으로 보여 드립니다.
cmd-check-arg1 = 체크 이름, 또는 그 테이블의 모든 체크를 볼 `database.table`

cmd-status-summary = 도베르만 상태: 버전, 가동 시간, 작업별 마지막 실행, 데이터 종류별 최신성
cmd-status-help = 버전과 가동 시간, 수집기마다 마지막 실행과 결과, 카탈로그·쿼리 이력·비용 데이터가 마지막으로 기록된 시각을 보여 드리고, 작업 주기의 두 배 이상 뒤처진 것을 표시합니다.

cmd-requests-summary = 요청 채널의 요구사항: 열린 것, 내 것, 전체
cmd-requests-help = 요청 채널의 요구사항을 최신순으로 보여 드립니다. 기본은 완료, 반려, 삭제되지 않은 것, `mine`은 내가 요청했거나 맡은 것, `all`은 전체(최근 50개)입니다.
cmd-requests-arg1 = 어떤 것: `open`(열린 것, 기본), `mine`(내가 요청했거나 맡은 것) 또는 `all`(전체)
cmd-request-summary = 요구사항 하나의 내용과 이력, 또는 상태 바꾸기: 접수, 시작, 완료, 반려, 담당 지정
cmd-request-help = 변경 없이 쓰면 요구사항과 댓글, 이력을 보여 드립니다. `accept`, `start`, `done`으로 다음 단계로 넘기고, `reject <사유>`로 사유와 함께 닫고, `assign me`나 `assign @사람`으로 담당자를 정합니다. 스레드의 카드가 바뀌고 요청자에게 그곳에서 알려 드립니다.
cmd-request-arg1 = 요구사항 번호, 예: `REQ-12`
cmd-request-arg2 = 변경할 내용

cmd-subscriptions-summary = 이 채팅이나 채널이 받는 알림 주제와 음소거된 주제
cmd-subscriptions-help = 여기로 오는 주제(`jobs`, `freshness`, `cost`, `athena`, `airflow`, `quality`, `heartbeat`), 음소거된 주제와 그 기한, 지금 울리고 있는 알림을 보여 드립니다.
cmd-subscribe-summary = 이 채팅이나 채널에 주제 알림 보내기: `jobs`, `freshness`, `cost`, `athena`, `airflow`, `quality`, `heartbeat`
cmd-subscribe-help = 이제부터 그 주제의 알림이 문제 하나에 카드 하나로 여기에 오고, 상황이 바뀌거나 해결되면 같은 카드가 바뀝니다. `heartbeat`는 도베르만이 살아 있다고 알리는 아침 카드입니다. 채널과 그룹 채팅에서는 도베르만 관리자만 구독할 수 있고, 개인 채팅에서는 누구나 할 수 있습니다.
cmd-subscribe-arg1 = `jobs`, `freshness`, `cost`, `athena`, `airflow`, `quality` 또는 `heartbeat`
cmd-unsubscribe-summary = 이 채팅이나 채널에 주제 알림 그만 보내기
cmd-unsubscribe-help = 이미 올라간 카드는 그대로 남고(계속 갱신됩니다) 새 카드는 오지 않습니다. 권한은 `subscribe`와 같습니다.
cmd-unsubscribe-arg1 = 이 채팅이나 채널이 받는 주제
cmd-mute-summary = 한동안 어디에도 주제의 새 알림 카드 올리지 않기 (알림은 계속 기록; 관리자)
cmd-mute-help = 음소거하는 동안에는 그 주제의 새 카드가 어디에도 올라가지 않습니다. 알림은 계속 기록하고, 음소거가 끝날 때 아직 열려 있는 카드는 그때 올립니다. 카드의 음소거 버튼은 그 카드만 음소거합니다. 음소거는 모든 채팅과 채널에 적용되므로 관리자만 할 수 있고, 나에게만 오지 않게 하려면 `unsubscribe`를 쓰세요.
cmd-mute-arg1 = `jobs`, `freshness`, `cost`, `athena`, `airflow` 또는 `quality`
cmd-mute-arg2 = 기간, 예: `30m`, `2h`, `1d` (최대 `7d`)
cmd-unmute-summary = 주제 음소거 끝내기 (관리자)
cmd-unmute-help = 다음 평가부터 그 주제의 알림이 다시 올라갑니다.
cmd-unmute-arg1 = 음소거된 주제

cmd-conversations-summary = 도베르만이 설치되어 글을 올릴 수 있는 곳 (관리자)
cmd-conversations-help = 도베르만이 소식을 들은 채팅과 채널을 팀·채널 이름과 함께, 아직 글을 올릴 수 있는지와 함께 보여 드립니다.

cmd-language-summary = 이 채팅이나 채널에서 도베르만이 쓰는 언어: 한국어 또는 English
cmd-language-help = 인자 없이 쓰면 이 채팅의 언어와 그렇게 정해진 이유를 알려 드립니다. `언어 ko`나 `언어 en`은 답변과 알림 모두 여기 있는 모든 사람에게 그 언어로 정하고, `언어 auto`는 각자의 Teams 언어로 되돌립니다(알림은 이곳의 마지막 메시지를 따릅니다). 채널과 그룹 채팅에서는 도베르만 관리자만 바꿀 수 있습니다.
cmd-language-arg1 = `ko`(한국어), `en`(English) 또는 `auto`(각자의 Teams 언어)

cmd-requests-here-summary = 이 채널을 요청 채널로: 모든 메시지가 추적되는 요구사항이 됩니다 (관리자)
cmd-requests-here-help = 이제부터 이 채널의 새 메시지는 모두 요구사항(REQ-1, REQ-2, …)이 되고, 도베르만이 스레드에 카드로 답합니다. 답글은 댓글이 되고, 수정과 삭제도 기록합니다. 도베르만을 @멘션한 메시지는 명령어로 답합니다. 팀에 도베르만이 채널 메시지를 읽을 권한과 함께 설치되어 있어야 합니다(앱 패키지가 그 권한을 요청합니다).

# 사용법 줄의 자리 표시 (`도움말 [명령어…]`): 키는 인자 이름에서 영문자와 숫자 밖의 글자를 하이픈으로 바꾼 것입니다.
# `7d|30d`처럼 그대로 입력하는 말은 그대로 둡니다.
cmd-arg-name = { $key ->
    [command] 명령어
    [words] 단어
    [word] 단어
    [name] 이름
    [options] 옵션
    [period-and-grouping] 기간과 묶는 기준
    [instance] 인스턴스
    [name-or-table] 이름 또는 테이블
    [topic] 주제
    [duration] 기간
    [accept-start-done-reject--reason--assign-me--person] accept|start|done|reject <사유>|assign me|@사람
   *[other] { $name }
}
