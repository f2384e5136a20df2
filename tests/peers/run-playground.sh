#!/usr/bin/env bash
# Starts Doberman (development mode, fresh SQLite filled with the demo data) and the Microsoft 365 Agents Playground on loopback, drives
# Doberman through the Playground's control API (playground.mjs), then checks what Doberman stored.
# Usage: tests/peers/run-playground.sh path/to/doberman   (npm ci --prefix tests/peers first)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

bot_port=$(free_port)
pg_port=$(free_port)
export DOBERMAN_DATABASE__URL="sqlite://$work/doberman.db"
# No collectors here: they would reach for AWS, which this check does not have.
export DOBERMAN_SCHEDULE__ENABLED=false AWS_EC2_METADATA_DISABLED=true
# The navigation document of the README's example.
export DOBERMAN_NAVIGATE__FILE="$here/../../navigate.example.toml"
# The Playground team's second channel is the request channel (playground.mjs posts there).
export DOBERMAN_REQUESTS__CHANNEL_ID=channel-announcements-id
# Alerts: the Playground's one user, Alex Wilber, is an admin and subscribes a channel; the demo's sales.orders
# last changed hours ago, so expecting it every 30 minutes makes it stale (playground.mjs checks its card).
export DOBERMAN_TEAMS__ADMINS=00000000-0000-0000-0000-0000000000020
export DOBERMAN_ALERTS__FRESHNESS='[{"tables": "sales.orders", "every": "30m"}]' DOBERMAN_ALERTS__FRESHNESS_LEARN=false

echo "doberman serve --demo (dev mode) on 127.0.0.1:$bot_port"
DOBERMAN_HTTP__LISTEN="127.0.0.1:$bot_port" DOBERMAN_TEAMS__DEV_MODE=true \
  "$bin" serve --demo >"$work/bot.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$bot_port/readyz" 30 || { cat "$work/bot.log"; echo "doberman did not become ready"; exit 1; }

echo "agentsplayground on 127.0.0.1:$pg_port"
(
  cd "$work"
  TEAMSAPPTESTER_BROWSER=none \
  NODE_OPTIONS="--require $here/loopback.cjs" \
  M365_AGENTS_PLAYGROUND_LOGFILE="$work/playground.log" \
    exec "$here/node_modules/.bin/agentsplayground" \
      -e "http://127.0.0.1:$bot_port/api/messages" -c msteams -p "$pg_port" \
      --su "http://127.0.0.1:$pg_port/_connector" --disable-telemetry
) >"$work/playground.out" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$pg_port/_internal/v1/config" 60 || { cat "$work/playground.out"; echo "the Playground did not start"; exit 1; }
if ss -ltn 2>/dev/null | grep -E ":$pg_port\b" | grep -vq "127.0.0.1"; then
  echo "the Playground listens beyond loopback"; exit 1
fi

status=0
node "$here/playground.mjs" "$pg_port" "http://127.0.0.1:$bot_port" || status=$?

echo "what Doberman stored, through 'doberman ask conversations':"
stored="$("$bin" ask conversations 2>/dev/null)"
echo "$stored"
# `ask` prints text without Teams' markdown marks.
if ! grep -q "personal chat with Alex Wilber" <<<"$stored" || ! grep -q "in team My Team" <<<"$stored"; then
  echo "FAIL the Playground's personal chat and team were not both recorded"
  status=1
fi
echo "what Doberman stored of the request, through 'doberman ask requests':"
stored="$("$bin" ask requests 2>/dev/null)"
echo "$stored" | head -n 6
if ! grep -q "매장별 일 매출 대시보드가 필요합니다 📊 | 👍 accepted | Alex Wilber" <<<"$stored"; then
  echo "FAIL the Playground's request is not stored as accepted"
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "--- doberman log"; tail -n 50 "$work/bot.log"
  echo "--- playground output"; tail -n 50 "$work/playground.out"
fi
exit "$status"
