"""Read two wrk ``--latency`` outputs and print requests/s, p99 and the ratio."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def parse(text: str) -> dict[str, float]:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99_value, p99_unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups()
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": rate,
        "p99_ms": float(p99_value) * scale,
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def main(caseflow_path: str, baseline_path: str) -> None:
    caseflow = parse(Path(caseflow_path).read_text())
    baseline = parse(Path(baseline_path).read_text())
    for name, figures in (("caseflow", caseflow), ("baseline", baseline)):
        print(
            f"{name:9s} {figures['rps']:8.1f} req/s  p99 {figures['p99_ms']:7.1f} ms"
            f"  non-2xx {int(figures['non_2xx'])}"
        )
    print(f"ratio     {caseflow['rps'] / baseline['rps']:.2f} of the baseline's requests/s")


if __name__ == "__main__":
    main(*sys.argv[1:3])
