#!/usr/bin/env bash
# Signed Meta deliveries (1 and 10 entries) against Caseflow's webhook, side by side with the
# baseline's POST /intake in the same run, then worker throughput. Run from the repository root:
#   benchmarks/social/run.sh            (DURATION=20s CONNECTIONS=16 by default)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BIN=${BIN:-$ROOT/.venv/bin}
PG=${PG:-postgresql://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/11}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=2
OUT=${OUT:-$(mktemp -d)}
DB=caseflow_bench_social
BASE_DB=caseflow_bench_social_baseline

for name in "$DB" "$BASE_DB"; do
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"
  psql "$PG/postgres" -qc "CREATE DATABASE $name"
done

export FLASK_APP=wsgi
export CASEFLOW_ENV=benchmark
export CASEFLOW_DATABASE_URL="$PG/$DB"
export CASEFLOW_REDIS_URL="$REDIS_URL"
export CASEFLOW_QUEUE_PREFIX=bench-social
export CASEFLOW_SECRET_KEY=bench-secret-key
export CASEFLOW_LOG_LEVEL=WARNING
export CASEFLOW_META_APP_SECRET=bench-app-secret
export CASEFLOW_META_PAGE_ID=206070979425408
export CASEFLOW_SOCIAL_DM_UNIT=SOC
export BASELINE_DATABASE_URL="postgresql+psycopg://${PG#postgresql://}/$BASE_DB"
export BASELINE_REDIS_URL="$REDIS_URL"

"$BIN/flask" db upgrade >/dev/null 2>&1
"$BIN/python" - <<'PY'
from caseflow import create_app
from caseflow.extensions import db
from caseflow.units.models import Unit
app = create_app()
with app.app_context():
    db.session.add(Unit(name="Kontaktcenter", prefix="SOC"))
    db.session.commit()
PY
"$BIN/python" -m benchmarks.baseline.app init
"$BIN/python" - <<'PY'
from redis import Redis
import os
r = Redis.from_url(os.environ["CASEFLOW_REDIS_URL"])
for key in r.scan_iter("rq:queue:bench-social-*"):
    r.delete(key)
r.delete("rq:queue:baseline")
PY

"$BIN/python" -m benchmarks.social.gen_deliveries --entries 1 --count 30000 --out "$OUT/meta1.tsv"
"$BIN/python" -m benchmarks.social.gen_deliveries --entries 10 --count 10000 --start 100000 \
  --out "$OUT/meta10.tsv"

"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:8105 -D -p "$OUT/caseflow.pid" \
  --error-logfile "$OUT/caseflow.log" wsgi:app
"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:8106 -D -p "$OUT/baseline.pid" \
  --error-logfile "$OUT/baseline.log" 'benchmarks.baseline.app:create_app()'
trap 'kill "$(cat "$OUT/caseflow.pid")" "$(cat "$OUT/baseline.pid")" 2>/dev/null || true' EXIT
sleep 3
curl -sf -o /dev/null http://127.0.0.1:8106/ping
curl -sf -o /dev/null -X POST http://127.0.0.1:8105/webhooks/meta -d '{}' -w '%{http_code}\n' || true

run() {  # label, url, script, [DELIVERIES file]
  echo "== $1 ($(uptime | sed 's/.*load average/load average/'))"
  DELIVERIES=${4:-} WRK_THREADS=$THREADS wrk -t$THREADS -c"$CONNECTIONS" -d"$DURATION" --latency \
    -s "$3" "$2" 2>"$OUT/wrk-errors.txt" | tee "$OUT/$1.txt" | grep -E "Requests/sec|  50%|  99%|requests in"
  sort "$OUT/wrk-errors.txt" | uniq -c | head -5
}
# Other people share the CPU: alternate the apps in short rounds so each pair sees the same load.
for round in $(seq "${ROUNDS:-3}"); do
  run "r$round-baseline-intake-1" http://127.0.0.1:8106/intake benchmarks/baseline/intake.lua
  run "r$round-meta-1-entry" http://127.0.0.1:8105/webhooks/meta benchmarks/social/meta.lua \
    "$OUT/meta1.tsv"
  run "r$round-baseline-intake-10" http://127.0.0.1:8106/intake benchmarks/baseline/intake.lua
  run "r$round-meta-10-entries" http://127.0.0.1:8105/webhooks/meta benchmarks/social/meta.lua \
    "$OUT/meta10.tsv"
done

# Worker: deliveries left registered by the wrk rounds, processed by one non-forking worker.
# worker_bench runs ANALYZE first: fresh tables have no planner statistics until autovacuum
# gets to them, and without them the thread look-up joins cases to social_items in a nested loop.
wb() { echo "== worker: $1 ($(uptime | sed 's/.*load average/load average/'))"; shift; "$@"; }
# Both arrangements, alternating, so each pair sees the same load: the drain job (what the
# webhook enqueues) and one job per delivery (the sweeper's path, the design before the drain).
for mode in ${WORKER_MODES:-drain per-delivery}; do
  wb "1-entry, DMs open fraga cases, $mode" "$BIN/python" -m benchmarks.social.worker_bench \
    --mode "$mode" --entries 1 --jobs "${WORKER_JOBS_1:-300}" --label "1-entry, DMs open fraga cases"
  wb "1-entry, to the inbox, $mode" env CASEFLOW_SOCIAL_DM_UNIT= "$BIN/python" -m \
    benchmarks.social.worker_bench --mode "$mode" --entries 1 --jobs "${WORKER_JOBS_1:-300}" \
    --label "1-entry, to the social inbox"
  wb "10-entry, to the inbox, $mode" env CASEFLOW_SOCIAL_DM_UNIT= "$BIN/python" -m \
    benchmarks.social.worker_bench --mode "$mode" --entries 10 --jobs "${WORKER_JOBS_10:-100}" \
    --label "10-entry, to the social inbox"
  wb "10-entry, DMs open fraga cases, $mode" "$BIN/python" -m benchmarks.social.worker_bench \
    --mode "$mode" --entries 10 --jobs "${WORKER_JOBS_10C:-30}" \
    --label "10-entry, DMs open fraga cases"
done
kill "$(cat "$OUT/caseflow.pid")" "$(cat "$OUT/baseline.pid")" 2>/dev/null || true
sleep 2
"$BIN/python" - <<'PY'
import os
from redis import Redis
from rq import Queue
r = Redis.from_url(os.environ["CASEFLOW_REDIS_URL"])
for name in ("baseline", "bench-social-intake", "bench-social-noop"):
    Queue(name, connection=r).empty()  # also deletes the queued jobs' hashes
PY
if [ -z "${KEEP_DATABASES:-}" ]; then
  for name in "$DB" "$BASE_DB"; do psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"; done
fi
echo "results in $OUT"
