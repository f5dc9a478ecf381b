#!/bin/sh
# CPU per JSON submission: an older revision against the working tree, alternating, in one
# session (the machine's load moves both alike). Usage:
#   benchmarks/webform/ab.sh REV [N=300] [ROUNDS=3]
# Creates a fresh caseflow_bench_webform database (the older revision must share the working
# tree's schema) and uses Redis database 14, like run.sh (PG, REDIS, PY as there).
# NO_HIREDIS_OLD=1 runs the old revision without hiredis (as before it became a dependency).
set -eu
cd "$(dirname "$0")/../.."
REV=$1
N=${2:-300}
ROUNDS=${3:-3}
BIN=$(pwd)/${PY:-.venv/bin}
. benchmarks/webform/fresh_db.sh
HERE=$(pwd)
OLD=$(mktemp -d)
trap 'rm -rf "$OLD"' EXIT
git archive "$REV" | tar -x -C "$OLD/"
cp benchmarks/webform/cpu_per_submission.py "$OLD/benchmarks/webform/"  # older trees lack it
cp benchmarks/proc_cpu.py "$OLD/benchmarks/"
mkdir -p "$OLD/.nohiredis"
echo 'raise ImportError("hiredis disabled for this measurement")' > "$OLD/.nohiredis/hiredis.py"
OLD_PATH=$OLD
if [ "${NO_HIREDIS_OLD:-0}" = 1 ]; then OLD_PATH="$OLD/.nohiredis:$OLD"; fi
for _ in $(seq "$ROUNDS"); do
  (cd "$OLD" && PYTHONPATH="$OLD_PATH" "$BIN/python" -m benchmarks.webform.cpu_per_submission \
    "$N" "$(echo "$REV" | cut -c1-7)" 2>&1 | grep -v WARNING)
  (cd "$HERE" && PYTHONPATH="$HERE" "$BIN/python" -m benchmarks.webform.cpu_per_submission \
    "$N" new 2>&1 | grep -v WARNING)
done
