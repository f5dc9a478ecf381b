"""CPU time per process name, from ``/proc``: what a load run cost PostgreSQL, Redis, the
gunicorn workers and wrk, each apart (Linux only).

``python -m benchmarks.proc_cpu SECONDS`` prints, for the busiest process names over the next
SECONDS, the cores each used on average ("gunicorn 1.40"). Divided by the requests served in
that time it gives the CPU per request of every part of the stack.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter

TICKS = os.sysconf("SC_CLK_TCK")


def snapshot() -> dict[int, tuple[str, int]]:
    """``{pid: (name, user + system clock ticks)}`` of every live process."""
    seen: dict[int, tuple[str, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue  # gone meanwhile
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        seen[int(entry)] = (name, int(fields[11]) + int(fields[12]))
    return seen


def seconds_by_name(
    before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]]
) -> Counter[str]:
    """CPU seconds each process name used between two snapshots (processes alive in both)."""
    used: Counter[str] = Counter()
    for pid, (name, ticks) in after.items():
        if pid in before:
            used[name] += (ticks - before[pid][1]) / TICKS
    return used


def main(seconds: float) -> None:
    before, started = snapshot(), time.monotonic()
    time.sleep(seconds)
    used = seconds_by_name(before, snapshot())
    elapsed = time.monotonic() - started
    for name, cpu in used.most_common(6):
        print(f"{name} {cpu / elapsed:.3f}")


if __name__ == "__main__":
    main(float(sys.argv[1]))
