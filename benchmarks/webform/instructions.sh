#!/bin/sh
# Instructions per JSON submission (valgrind's callgrind, the whole Python process):
# (runs of 30 warm-up + N submissions) minus (30 warm-up only), divided by N, for an older
# revision and the working tree. Slow (minutes); deterministic, unlike CPU time on a shared
# machine. Usage: benchmarks/webform/instructions.sh REV [N=20]
# Same database set-up and env as ab.sh (it creates caseflow_bench_webform afresh).
set -eu
cd "$(dirname "$0")/../.."
REV=$1
N=${2:-20}
BIN=$(pwd)/${PY:-.venv/bin}
HERE=$(pwd)
. benchmarks/webform/fresh_db.sh
OLD=$(mktemp -d)
trap 'rm -rf "$OLD"' EXIT
git archive "$REV" | tar -x -C "$OLD/"
cp benchmarks/webform/submit_n.py "$OLD/benchmarks/webform/"
mkdir -p "$OLD/.nohiredis"
echo 'raise ImportError("hiredis disabled for this measurement")' > "$OLD/.nohiredis/hiredis.py"
OLD_PATH=$OLD
if [ "${NO_HIREDIS_OLD:-0}" = 1 ]; then OLD_PATH="$OLD/.nohiredis:$OLD"; fi
count() {  # dir pythonpath n -> instructions
  (cd "$1" && PYTHONPATH="$2" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$BIN/python" -m benchmarks.webform.submit_n "$3" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
}
for side in old new; do
  if [ $side = old ]; then dir=$OLD; path=$OLD_PATH; else dir=$HERE; path=$HERE; fi
  base=$(count "$dir" "$path" 0)
  more=$(count "$dir" "$path" "$N")
  echo "$side: $(( (more - base) / N )) instructions per submission (N=$N)"
done
