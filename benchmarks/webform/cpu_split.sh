#!/bin/sh
# CPU per submission by process under load: Caseflow's JSON submissions and the baseline's
# minimal intake, alternately, ROUNDS times (gunicorn 2 workers x 4 threads, wrk 16
# connections, as run.sh). For each run: requests/s and the CPU milliseconds per request of
# the gunicorn workers (Python), PostgreSQL, Redis and wrk, from /proc (benchmarks/proc_cpu.py).
# When the columns add up to about 1000 * cores / (requests/s), the run was CPU-bound and the
# ratio of the two apps' throughput is the ratio of their CPU per request.
# Usage: benchmarks/webform/cpu_split.sh [ROUNDS=3] [DURATION=10s]; env as run.sh.
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
DURATION=${2:-10s}
BIN=${PY:-.venv/bin}
. benchmarks/webform/fresh_db.sh
export CASEFLOW_SUBMISSION_RATE_LIMIT="100000000 per minute"
export BASELINE_DATABASE_URL="postgresql+psycopg://${PG#postgresql://}/$DB" BASELINE_REDIS_URL="$REDIS"
"$BIN/python" -m benchmarks.baseline.app init
"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:8201 --log-level warning --no-control-socket \
  wsgi:app 2>/dev/null &
CF_PID=$!
"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:8202 --log-level warning --no-control-socket \
  'benchmarks.baseline.app:create_app()' &
BASE_PID=$!
OUT=$(mktemp -d)
trap 'kill $CF_PID $BASE_PID 2>/dev/null || true; rm -rf "$OUT"' EXIT
sleep 3
CF_URL=http://127.0.0.1:8201/api/v1/eservices/felanmalan-gata/submissions
BASE_URL=http://127.0.0.1:8202/intake
wrk -t2 -c16 -d5s -s benchmarks/webform/submissions.lua "$CF_URL" >/dev/null
wrk -t2 -c16 -d5s -s benchmarks/baseline/intake.lua "$BASE_URL" >/dev/null
echo "== $(date -u +%FT%TZ) nproc=$(nproc); CPU ms per request"
for round in $(seq 1 "$ROUNDS"); do
  for side in caseflow baseline; do
    if [ $side = caseflow ]; then
      url=$CF_URL script=benchmarks/webform/submissions.lua
    else
      url=$BASE_URL script=benchmarks/baseline/intake.lua
    fi
    wrk -t2 -c16 -d"$DURATION" -s "$script" "$url" >"$OUT/wrk.txt" &
    wrk_pid=$!
    # Measure the middle of the run: one second in, stopping a second before the end.
    sleep 1
    "$BIN/python" -m benchmarks.proc_cpu "$(( ${DURATION%s} - 2 ))" >"$OUT/cpu.txt"
    wait $wrk_pid
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
    awk -v side="$side" -v round="$round" -v rps="$rps" '
      $1 == "gunicorn" || $1 == "postgres" || $1 == "redis-server" || $1 == "wrk" {
        part = part sprintf("  %s %.2f", $1, 1000 * $2 / rps)
      }
      END { printf "%s %s: %7.1f req/s%s\n", side, round, rps, part }' "$OUT/cpu.txt"
  done
done
