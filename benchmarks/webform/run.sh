#!/bin/sh
# Caseflow's JSON submission endpoint against the baseline's minimal intake, in the same run:
# same PostgreSQL server and Redis, gunicorn 2 workers x 4 threads each, wrk with 16
# connections. Usage: benchmarks/webform/run.sh [duration, default 20s]
# Env: PG (server URL, default postgresql://postgres@127.0.0.1:5432), REDIS (default
# redis://127.0.0.1:6379/14: a Redis database of its own, emptied before and after), PY
# (default .venv/bin), KEEP_DB=1 keeps the PostgreSQL database caseflow_bench_webform.
# PAIRS=n (default 0) then measures Caseflow and the baseline alternately n more times for
# PAIR_DURATION each (default 10s), prints each pair's ratio and the median: on a shared
# machine the load moves within seconds, and only back-to-back pairs compare like with like.
set -eu
cd "$(dirname "$0")/../.."
DURATION=${1:-20s}
PG=${PG:-postgresql://postgres@127.0.0.1:5432}
REDIS=${REDIS:-redis://127.0.0.1:6379/14}
BIN=${PY:-.venv/bin}
DB=caseflow_bench_webform
CF_PORT=8201
BASE_PORT=8202
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql "$PG/postgres" -qc "CREATE DATABASE $DB"
redis-cli -u "$REDIS" flushdb >/dev/null

export CASEFLOW_ENV=production
export CASEFLOW_SECRET_KEY=benchmark-only-secret-key
export CASEFLOW_DATABASE_URL="$PG/$DB"
export CASEFLOW_REDIS_URL="$REDIS"
export CASEFLOW_LOG_LEVEL=WARNING
export CASEFLOW_QUEUE_PREFIX=bench
# The per-client limit (20 a minute) would answer wrk's single client with 429s; the limiter
# stays on, with its Redis round trip, at a limit the run never reaches.
export CASEFLOW_SUBMISSION_RATE_LIMIT="100000000 per minute"
export BASELINE_DATABASE_URL="postgresql+psycopg://${PG#postgresql://}/$DB"
export BASELINE_REDIS_URL="$REDIS"
"$BIN/python" -m benchmarks.webform.setup_app 2>&1 | grep -v "INFO" || true
"$BIN/python" -m benchmarks.baseline.app init

"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:$CF_PORT --log-level warning --no-control-socket \
  wsgi:app &
CF_PID=$!
"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:$BASE_PORT --log-level warning --no-control-socket \
  'benchmarks.baseline.app:create_app()' &
BASE_PID=$!
trap 'kill $CF_PID $BASE_PID 2>/dev/null || true' EXIT
for port in $CF_PORT $BASE_PORT; do
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
  done
done

URL=http://127.0.0.1:$CF_PORT/api/v1/eservices/felanmalan-gata/submissions
# Warm-up (connection pools, imports, caches), then the measured runs, alternating.
wrk -t2 -c16 -d5s -s benchmarks/webform/submissions.lua "$URL" >"$OUT/caseflow-warmup.txt"
wrk -t2 -c16 -d5s -s benchmarks/baseline/intake.lua "http://127.0.0.1:$BASE_PORT/intake" >/dev/null
echo "== $(date -u +%FT%TZ) nproc=$(nproc) load:$(uptime | sed 's/.*load average://')"
echo "== caseflow POST /api/v1/eservices/<slug>/submissions"
wrk -t2 -c16 -d"$DURATION" --latency -s benchmarks/webform/submissions.lua "$URL" \
  | tee "$OUT/caseflow.txt"
echo "== baseline POST /intake"
wrk -t2 -c16 -d"$DURATION" --latency -s benchmarks/baseline/intake.lua \
  "http://127.0.0.1:$BASE_PORT/intake" | tee "$OUT/baseline.txt"
echo "== load after:$(uptime | sed 's/.*load average://')"
# Every request must have opened a case of its own (none answered from the dedupe window).
sent=$(cat "$OUT/caseflow-warmup.txt" "$OUT/caseflow.txt" | awk '/ requests in / {n += $1} END {print n}')
psql "$PG/$DB" -tAc "SELECT 'cases opened: ' || count(*) || ' for $sent requests sent' FROM cases"
"$BIN/python" -m benchmarks.webform.compare "$OUT/caseflow.txt" "$OUT/baseline.txt"

ratios=""
for pair in $(seq 1 "${PAIRS:-0}"); do
  wrk -t2 -c16 -d"${PAIR_DURATION:-10s}" --latency -s benchmarks/webform/submissions.lua "$URL" \
    >"$OUT/pair$pair-caseflow.txt"
  wrk -t2 -c16 -d"${PAIR_DURATION:-10s}" --latency -s benchmarks/baseline/intake.lua \
    "http://127.0.0.1:$BASE_PORT/intake" >"$OUT/pair$pair-baseline.txt"
  echo "== pair $pair"
  line=$("$BIN/python" -m benchmarks.webform.compare "$OUT/pair$pair-caseflow.txt" \
    "$OUT/pair$pair-baseline.txt" | tee /dev/stderr | awk '/^ratio/ {print $2}')
  ratios="$ratios $line"
done
if [ -n "$ratios" ]; then
  echo "== pair ratios:$ratios; median $(echo $ratios | tr ' ' '\n' | sort -n \
    | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')"
fi

kill $CF_PID $BASE_PID
wait 2>/dev/null || true
if [ "${KEEP_DB:-0}" != 1 ]; then
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
fi
redis-cli -u "$REDIS" flushdb >/dev/null
