#!/usr/bin/env bash
# A real Apache Airflow on loopback, SQLite, with the test DAGs in tests/peers/airflow/dags, for the Airflow
# collector's tests.
#   bash tests/peers/airflow.sh <2|3> <port> <airflow_home>   start Airflow 2.10.5 (REST /api/v1, basic auth) or
#        3.1.8 (REST /api/v2, simple auth manager, JWT from POST /auth/token); returns once the API answers, the
#        scheduler is healthy and every test DAG is parsed, printing one line of JSON:
#        {"url":"http://127.0.0.1:PORT","major":2,"admin":{"username":..,"password":..},
#         "viewer":{"username":..,"password":..},"pgid":N}
#   bash tests/peers/airflow.sh stop <airflow_home>          stop it (its whole process group and session)
#   bash tests/peers/airflow.sh cli <airflow_home> ARGS…     run `airflow ARGS…` with that instance's settings
#        (e.g. `dags backfill -s 2026-11-01 -e 2026-11-03 doberman_ok` on 2.x; `backfill create …` on 3.x)
# The venv is target/airflow2-venv or target/airflow3-venv (tests/peers/python-venv.sh, pinned by
# tests/peers/airflow{2,3}-requirements.txt). Everything Airflow prints goes to <airflow_home>/airflow.log.
# Users: admin (Admin role, may trigger / unpause / clear) and doberman (Viewer role: read-only), fixed passwords.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

usage() { echo "usage: $0 <2|3> <port> <airflow_home> | $0 stop <airflow_home> | $0 cli <airflow_home> ARGS…" >&2; exit 2; }

stop() {
  local home="$1" pgid pids i
  [ -f "$home/airflow.pgid" ] || return 0
  pgid="$(cat "$home/airflow.pgid")"
  # The group is the session started with setsid below; Airflow 2 task runners move to their own process group
  # (setpgid) but stay in the session, so signal every process of the session, by id.
  session_pids() { ps -eo pid=,sid= | awk -v s="$pgid" '$2 == s { print $1 }'; }
  pids="$(session_pids)"
  [ -n "$pids" ] && kill -TERM $pids 2>/dev/null || true
  for i in $(seq 1 40); do
    pids="$(session_pids)"
    [ -z "$pids" ] && break
    sleep 0.5
  done
  pids="$(session_pids)"
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
  rm -f "$home/airflow.pgid"
}

[ $# -ge 1 ] || usage
if [ "$1" = stop ]; then
  [ $# -eq 2 ] || usage
  stop "$(cd "$2" 2>/dev/null && pwd || echo "$2")"
  exit 0
fi
if [ "$1" = cli ]; then
  [ $# -ge 2 ] || usage
  [ -f "$2/airflow.env" ] || { echo "no $2/airflow.env: start Airflow there first" >&2; exit 1; }
  . "$2/airflow.env"
  shift 2
  exec airflow "$@"
fi
[ $# -eq 3 ] || usage
major="$1" port="$2"
case "$major" in 2|3) ;; *) usage ;; esac
mkdir -p "$3"
home="$(cd "$3" && pwd)"
log="$home/airflow.log"
if [ -f "$home/airflow.pgid" ] && kill -0 -- "-$(cat "$home/airflow.pgid")" 2>/dev/null; then
  echo "an Airflow is already running from $home (pgid $(cat "$home/airflow.pgid")): stop it first" >&2
  exit 1
fi

python="$(bash "$root/tests/peers/python-venv.sh" "airflow$major-venv" "tests/peers/airflow$major-requirements.txt")"
export PATH="$(dirname "$python"):$PATH"   # Airflow spawns `airflow …` subcommands by name
url="http://127.0.0.1:$port"
admin_user=admin admin_password=admin viewer_user=doberman viewer_password=doberman-viewer

export AIRFLOW_HOME="$home"
export AIRFLOW__CORE__DAGS_FOLDER="$root/tests/peers/airflow/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False   # doberman_paused pauses itself (is_paused_upon_creation)
export AIRFLOW__CORE__PARALLELISM=4
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$home/airflow.db"
export AIRFLOW__API__MAXIMUM_PAGE_LIMIT="${AIRFLOW__API__MAXIMUM_PAGE_LIMIT:-100}"   # a test may lower it to exercise paging
export PYTHONUNBUFFERED=1
if [ "$major" = 2 ]; then
  export AIRFLOW__CORE__EXECUTOR=SequentialExecutor   # the only executor 2.x allows on SQLite
  export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1
  export AIRFLOW__WEBSERVER__WEB_SERVER_PORT="$port"
  export AIRFLOW__WEBSERVER__BASE_URL="$url"
  export AIRFLOW__WEBSERVER__WORKERS=1
  export AIRFLOW__WEBSERVER__SECRET_KEY=doberman-test-peer-secret-key
  export AIRFLOW__API__AUTH_BACKENDS=airflow.api.auth.backend.basic_auth,airflow.api.auth.backend.session
  export AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL=5
  export AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL=5
  export AIRFLOW__SCHEDULER__PARSING_PROCESSES=1
else
  export AIRFLOW__CORE__EXECUTOR=LocalExecutor
  export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
  export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="$admin_user:admin,$viewer_user:viewer"
  export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$home/simple_auth_manager_passwords.json"
  export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$url/execution/"   # else tasks call port 8080 and fail
  export AIRFLOW__API__HOST=127.0.0.1
  export AIRFLOW__API__PORT="$port"
  export AIRFLOW__API__BASE_URL="$url"
  export AIRFLOW__API__WORKERS=1
  export AIRFLOW__API__SECRET_KEY=doberman-test-peer-secret-key
  export AIRFLOW__API_AUTH__JWT_SECRET=doberman-test-peer-jwt-secret-doberman-test-peer-jwt-secret-0123456789
  export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=5
  export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL=5
  export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES=1
  # The simple auth manager keeps the passwords it generates in this file and uses any it finds there.
  printf '{"%s": "%s", "%s": "%s"}\n' "$admin_user" "$admin_password" "$viewer_user" "$viewer_password" \
    > "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"
fi

export -p | grep -E '^declare -x (AIRFLOW_HOME|AIRFLOW__[A-Z_]+|PATH|PYTHONUNBUFFERED)=' > "$home/airflow.env"   # for `cli`
echo "=== $(date -u +%FT%TZ) airflow.sh $major $port $home" >> "$log"
trap 'echo "airflow.sh: a setup step failed; last lines of $log:" >&2; tail -n 20 "$log" >&2' ERR
airflow db migrate < /dev/null >> "$log" 2>&1
if [ "$major" = 2 ]; then
  airflow sync-perm < /dev/null >> "$log" 2>&1   # creates the roles (Viewer, …); db migrate makes none
  airflow users create --username "$admin_user" --password "$admin_password" --role Admin \
    --firstname Admin --lastname User --email admin@example.com < /dev/null >> "$log" 2>&1
  airflow users create --username "$viewer_user" --password "$viewer_password" --role Viewer \
    --firstname Doberman --lastname Viewer --email doberman@example.com < /dev/null >> "$log" 2>&1
  components='airflow scheduler --skip-serve-logs & airflow webserver & wait'
else
  components='airflow scheduler --skip-serve-logs & airflow dag-processor & airflow api-server & wait'
fi
# setsid: a new session and process group (the background child is no group leader, so setsid does not fork and
# $! is its id); stop kills it as a whole.
setsid bash -c "$components" < /dev/null >> "$log" 2>&1 &
pgid=$!
echo "$pgid" > "$home/airflow.pgid"
trap - ERR

if ! "$python" - "$major" "$url" "$admin_user" "$admin_password" "$pgid" <<'EOF'
# Waits (at most 240 s) until the health endpoint answers, every test DAG is parsed and broken_dag.py is listed
# as an import error.
import base64, json, os, sys, time, urllib.error, urllib.parse, urllib.request
major, url, user, password, pgid = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
api = url + ("/api/v1" if major == "2" else "/api/v2")
wanted = {"doberman_ok", "doberman_fails", "doberman_slow", "doberman_paused", "주문_적재",
          "doberman_flaky_sqlite", "doberman_flaky_mysql"}
deadline = time.time() + 240

def get(path, headers=None):
    with urllib.request.urlopen(urllib.request.Request(api + path, headers=headers or {}), timeout=10) as r:
        return json.load(r)

def auth():
    if major == "2":
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
    body = json.dumps({"username": user, "password": password}).encode()
    req = urllib.request.Request(url + "/auth/token", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return {"Authorization": "Bearer " + json.load(r)["access_token"]}

while time.time() < deadline:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        sys.exit("Airflow exited during start")
    try:
        health = get("/health" if major == "2" else "/monitor/health")
        if health["scheduler"]["status"] == "healthy":
            headers = auth()
            for dag_id in wanted:  # one by one: a test may have lowered maximum_page_limit
                get("/dags/" + urllib.parse.quote(dag_id, safe=""), headers)  # 404 until parsed
            if get("/importErrors", headers)["total_entries"] >= 1:
                sys.exit(0)
    except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError):
        pass
    time.sleep(1)
sys.exit("Airflow did not get ready within 240 s")
EOF
then
  echo "Airflow $major did not start; last lines of $log:" >&2
  tail -n 40 "$log" >&2
  stop "$home"
  exit 1
fi
printf '{"url": "%s", "major": %s, "admin": {"username": "%s", "password": "%s"}, "viewer": {"username": "%s", "password": "%s"}, "pgid": %s}\n' \
  "$url" "$major" "$admin_user" "$admin_password" "$viewer_user" "$viewer_password" "$pgid"
