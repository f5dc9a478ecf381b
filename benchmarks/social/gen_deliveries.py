"""Write signed Meta deliveries (one per line: ``signature<TAB>body``) for wrk to replay.

Every delivery is unique (its own mids and senders), so the webhook registers each one
instead of answering a duplicate. Bodies are compact JSON with Swedish text escaped the way
Meta sends it (``\\u00e5``).

    python -m benchmarks.social.gen_deliveries --entries 10 --count 20000 --out /tmp/meta10.tsv
"""

from __future__ import annotations

import argparse
import json
import time

from intake.channels.meta.verify import sign

PAGE_ID = "206070979425408"
TEXTS = (
    "Hej! När öppnar återvinningscentralen på lördag?",
    "Gatlyktan på Storgatan 12 är trasig, det är mörkt och otryggt.",
    "Hur ansöker jag om bygglov för ett uterum?",
    "Snöröjningen på Björkvägen har inte kommit än.",
)


def delivery(n: int, entries: int, base_ms: int) -> bytes:
    entry = []
    for k in range(entries):
        sender = f"7{n:09d}{k:02d}"
        ms = base_ms + n * 10 + k
        entry.append(
            {
                "id": PAGE_ID,
                "time": ms,
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": ms,
                        "message": {
                            "mid": f"m_bench_{n:09d}_{k:02d}_" + "x" * 60,
                            "text": TEXTS[(n + k) % len(TEXTS)],
                        },
                    }
                ],
            }
        )
    body = {"object": "page", "entry": entry}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1)
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--start", type=int, default=0, help="first delivery number")
    parser.add_argument("--secret", default="bench-app-secret")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    base_ms = int(time.time() * 1000)
    with open(args.out, "wb") as out:
        for n in range(args.start, args.start + args.count):
            raw = delivery(n, args.entries, base_ms)
            out.write(sign(raw, args.secret).encode() + b"\t" + raw + b"\n")


if __name__ == "__main__":
    main()
