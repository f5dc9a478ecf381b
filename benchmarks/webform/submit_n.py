"""Post N JSON submissions after a warm-up, nothing else: the workload ``instructions.sh``
runs under callgrind (instruction counts do not depend on the machine's load)."""

from __future__ import annotations

import sys

from benchmarks.webform.profile_submission import URL, body
from caseflow import create_app


def main(count: int) -> None:
    client = create_app({"SUBMISSION_RATE_LIMIT": "100000000 per minute"}).test_client()
    for n in range(30 + count):
        response = client.post(URL, json=body(n - 30))
        assert response.status_code == 201, response.get_data(as_text=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
