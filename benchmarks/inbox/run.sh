#!/usr/bin/env bash
# The inbox at a million cases, side by side with the baseline's list of the same 50 newest
# cases of a unit: both under gunicorn (2 workers x 4 threads), same database, same run.
#
#   python -m benchmarks.inbox.generate postgresql://postgres@127.0.0.1:5432/caseflow_bench_inbox
#   benchmarks/inbox/run.sh
#
# PAIRS=n (default 0) then measures the baseline and the inbox first page alternately n more
# times and prints each pair's ratio: on a shared machine the load moves within seconds, and
# only back-to-back pairs compare like with like. DEEP_PAIRS=n does the same for the deep
# page against the first page.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/caseflow_bench_inbox}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/12}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
BIN=${BIN:-.venv/bin}
OFFSET=${OFFSET:-5000}
RARE=${RARE:-bergdalv%C3%A4gen}
COMMON=${COMMON:-lampa}

export FLASK_APP=wsgi CASEFLOW_DATABASE_URL="$DB" CASEFLOW_REDIS_URL="$REDIS"
export CASEFLOW_SECRET_KEY=benchmark CASEFLOW_LOG_LEVEL=WARNING
export BASELINE_DATABASE_URL="${DB/postgresql:/postgresql+psycopg:}" BASELINE_REDIS_URL="$REDIS"

token=$("$BIN/flask" caseflow create-token --email h1@bench.example --name "bench $(date +%s)" | tail -1)
cursor=$("$BIN/python" -m benchmarks.inbox.cursor --offset "${OFFSET:-5000}" | tail -1)

"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:8101 --log-level warning \
  'benchmarks.baseline.app:create_app()' & baseline_pid=$!
"$BIN/gunicorn" -w 2 --threads 4 -b 127.0.0.1:8102 --log-level warning wsgi:app & caseflow_pid=$!
trap 'kill $baseline_pid $caseflow_pid 2>/dev/null || true' EXIT
for port in 8101 8102; do
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/ping" -m 2 && break
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz" -m 2 && break; sleep 1; done
done

run() {  # name url [token]
  local name=$1 url=$2
  BENCH_TOKEN=${3:-} curl -s -o /dev/null -H "Authorization: Bearer ${3:-none}" "$url"  # warm up
  printf '%-22s ' "$name"
  BENCH_TOKEN=${3:-} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    -s benchmarks/inbox/report.lua "$url" | tail -1
}

echo "nproc $(nproc); $(uptime)"
run baseline_cases "http://127.0.0.1:8101/cases?unit=UA"
run inbox_first_page "http://127.0.0.1:8102/inbox?view=units" "$token"
run inbox_deep_page "http://127.0.0.1:8102/inbox?view=units&cursor=$cursor" "$token"
run inbox_search_rare "http://127.0.0.1:8102/inbox?view=units&q=$RARE" "$token"
run inbox_search_common "http://127.0.0.1:8102/inbox?view=units&q=$COMMON" "$token"
run api_first_page "http://127.0.0.1:8102/api/v1/cases?view=units" "$token"
run baseline_cases_again "http://127.0.0.1:8101/cases?unit=UA"
for pair in $(seq 1 "${PAIRS:-0}"); do
  base=$(run "pair${pair}_baseline" "http://127.0.0.1:8101/cases?unit=UA")
  page=$(run "pair${pair}_inbox" "http://127.0.0.1:8102/inbox?view=units" "$token")
  echo "$base"; echo "$page"
  "$BIN/python" -m benchmarks.inbox.ratio "$base" "$page"
done
# DEEP_PAIRS=n: the first page and the deep page alternately, n times (deep/first per pair).
for pair in $(seq 1 "${DEEP_PAIRS:-0}"); do
  first=$(run "deep${pair}_first" "http://127.0.0.1:8102/inbox?view=units" "$token")
  deep=$(run "deep${pair}_deep" "http://127.0.0.1:8102/inbox?view=units&cursor=$cursor" "$token")
  echo "$first"; echo "$deep"
  "$BIN/python" -m benchmarks.inbox.ratio "$first" "$deep" | sed 's/inbox\/baseline/deep\/first/'
done
echo "after: $(uptime)"
