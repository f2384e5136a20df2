# 모든 카드가 함께 쓰는 말 (cards/*.json에서 ${$root.t.<t_를 뺀 이름>}으로 씁니다).

t_data_as_of = 데이터 기준:
t_open_in_superset = Superset에서 열기
t_refresh = 새로 고침
t_show_commands = 명령어 보기
cards-and-more = …외 { $n }개
