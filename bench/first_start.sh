#!/bin/bash
# First start (issue 17 item 1): `wuwei serve --demo` on an empty SQLite var directory, as
# `make run` starts it (DEBUG=1), polled until http://127.0.0.1:PORT/healthz answers or the
# deadline passes; then the server (its own process group) is stopped. Prints the wall
# seconds to the first answer and the CPU seconds of the serve process (start-up, schema
# build, demo load) at that moment.
#   bench/first_start.sh [WUWEI_COMMAND]   (default: wuwei on PATH; PORT, DEADLINE, VAR)
set -u
WUWEI=${1:-wuwei}
PORT=${PORT:-8123}
DEADLINE=${DEADLINE:-240}
VAR=${VAR:-$(mktemp -d)/var}
LOG=$(mktemp)
rm -rf "$VAR"
start=$(date +%s.%N)
DEBUG=${DEBUG:-1} WUWEI_VAR=$VAR setsid $WUWEI serve --demo --port "$PORT" >"$LOG" 2>&1 &
server=$!
answered=0
end=$(( $(date +%s) + DEADLINE ))
while [ "$(date +%s)" -lt $end ] && kill -0 $server 2>/dev/null; do
  if curl -s -o /dev/null -m 2 "http://127.0.0.1:$PORT/healthz"; then answered=1; break; fi
  sleep 0.2
done
now=$(date +%s.%N)
# CPU of the serve process itself (start-up, schema, demo; not gunicorn's), in clock ticks
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' /proc/$server/stat 2>/dev/null)
kill -TERM -- -$server 2>/dev/null; sleep 3; kill -KILL -- -$server 2>/dev/null
echo "answered=$answered after $(echo "$now - $start" | bc) s; serve process CPU ${cpu:-?} s (log: $LOG)"
rm -rf "$VAR"
