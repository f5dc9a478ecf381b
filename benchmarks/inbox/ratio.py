"""Print the inbox/baseline ratio of two ``run.sh`` lines (``name {json}``) and the load.

python -m benchmarks.inbox.ratio "$baseline_line" "$inbox_line"
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    baseline, inbox = (json.loads(line.split(" ", 1)[1]) for line in sys.argv[1:3])
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[0]
    print(f"ratio inbox/baseline {inbox['rps'] / baseline['rps']:.2f} (load {load})")


if __name__ == "__main__":
    main()
