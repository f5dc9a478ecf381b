# Sourced by ab.sh and instructions.sh: a fresh caseflow_bench_webform database with the
# benchmark e-service, an emptied Redis database, and Caseflow's production-like env.
# Reads PG, REDIS and BIN (defaults as in run.sh).
PG=${PG:-postgresql://postgres@127.0.0.1:5432}
REDIS=${REDIS:-redis://127.0.0.1:6379/14}
DB=caseflow_bench_webform
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql "$PG/postgres" -qc "CREATE DATABASE $DB"
redis-cli -u "$REDIS" flushdb >/dev/null
export CASEFLOW_ENV=production CASEFLOW_SECRET_KEY=benchmark-only-secret-key
export CASEFLOW_LOG_LEVEL=WARNING CASEFLOW_QUEUE_PREFIX=bench
export CASEFLOW_DATABASE_URL="$PG/$DB" CASEFLOW_REDIS_URL="$REDIS"
"$BIN/python" -m benchmarks.webform.setup_app 2>&1 | grep -v "WARNING\|INFO" || true
