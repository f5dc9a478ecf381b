"""Fill a PostgreSQL database with N cases and 5 messages per case through COPY.

    python -m benchmarks.inbox.generate postgresql://postgres@127.0.0.1:5432/caseflow_bench_inbox \
        --cases 1000000 --messages-per-case 5

Creates the database (dropping an old one), runs the migrations, then streams units, users,
cases, messages and the cases' search documents with three concurrent COPYs, and finally
resets the id sequences and ANALYZEs. Text is Swedish-looking: common words plus one "rare"
word (street names) per message, so searches can be measured for both kinds of word.
"""

from __future__ import annotations

import argparse
import random
import secrets
import time
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy.engine import make_url

from benchmarks.database import create_database, migrate

UNITS = 20
COMMON = [
    "gata",
    "park",
    "lampa",
    "belysning",
    "trasig",
    "skräp",
    "snö",
    "is",
    "hål",
    "asfalt",
    "buss",
    "skola",
    "förskola",
    "lekplats",
    "gunga",
    "bänk",
    "träd",
    "gräs",
    "klotter",
    "vatten",
    "avlopp",
    "cykel",
    "väg",
    "trafik",
    "parkering",
    "ljud",
    "buller",
    "hund",
    "katt",
    "råtta",
    "bygglov",
    "altan",
    "staket",
    "granne",
    "tomt",
    "fasad",
    "tak",
    "fönster",
    "dörr",
    "trappa",
    "hiss",
    "soptunna",
    "återvinning",
    "container",
    "brandlarm",
    "el",
    "ström",
    "värme",
    "kyla",
    "luft",
    "lukt",
    "mögel",
    "fukt",
    "källare",
    "garage",
    "bro",
    "tunnel",
    "strand",
    "badplats",
    "båt",
    "brygga",
    "bibliotek",
    "sporthall",
    "simhall",
    "fotboll",
    "ishall",
    "konstgräs",
    "scen",
    "fråga",
    "svar",
    "klagomål",
    "synpunkt",
    "beröm",
    "förslag",
    "tack",
    "hjälp",
    "snälla",
    "snabbt",
    "länge",
    "igen",
    "varje",
    "morgon",
    "kväll",
    "natt",
    "helg",
    "vinter",
    "sommar",
    "höst",
    "vår",
    "idag",
    "igår",
    "imorgon",
    "vecka",
    "månad",
    "år",
    "kommunen",
    "handläggare",
    "beslut",
    "ansökan",
    "avgift",
    "faktura",
    "betalning",
    "tid",
    "datum",
    "adress",
    "telefon",
    "mejl",
]
SYLLABLES = [
    "al",
    "ber",
    "berg",
    "by",
    "dal",
    "ek",
    "fors",
    "gran",
    "hag",
    "holm",
    "kulla",
    "lid",
    "lund",
    "mark",
    "mo",
    "näs",
    "rud",
    "sjö",
    "sta",
    "strand",
    "vik",
    "ång",
]
STREETS = sorted({a + b + "vägen" for a in SYLLABLES for b in SYLLABLES if a != b})[:400]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(COMMON, k=n)) + " " + rng.choice(STREETS)


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def seed_people(conn: psycopg.Connection) -> None:
    from caseflow.auth.passwords import hash_password

    digest = hash_password("benchmark-password")
    now = datetime.now(UTC)
    with conn.cursor() as cur:
        for u in range(1, UNITS + 1):
            cur.execute(
                "INSERT INTO units (id, name, prefix, created_at) VALUES (%s, %s, %s, %s)",
                (u, f"Enhet {u}", f"U{chr(64 + u)}", now),
            )
            for k in range(5):
                uid = (u - 1) * 5 + k + 1
                cur.execute(
                    "INSERT INTO users (id, email, name, password_hash, role, active,"
                    " failed_logins, created_at)"
                    " VALUES (%s, %s, %s, %s, 'handlaggare', true, 0, %s)",
                    (uid, f"h{uid}@bench.example", f"Handläggare {uid}", digest, now),
                )
                cur.execute("INSERT INTO user_units VALUES (%s, %s)", (uid, u))
        cur.execute("SELECT setval('units_id_seq', %s)", (UNITS,))
        cur.execute("SELECT setval('users_id_seq', %s)", (UNITS * 5,))
    conn.commit()


def generate(url: str, n_cases: int, per_case: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conns = [psycopg.connect(dsn) for _ in range(3)]
    # The three COPYs run side by side, so the children's foreign keys cannot see the cases
    # yet: skip FK triggers for this load (the generator writes consistent ids by design).
    for conn in conns[1:]:
        conn.execute("SET session_replication_role = replica")
    seed_people(conns[0])
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - start).total_seconds()
    serials = [0] * (UNITS + 1)
    message_id = 0
    case_cols = (
        "id, reference, reference_key, serial_year, serial, title, description, channel, unit_id,"
        " assignee_id, workflow_key, workflow_version, state, priority, sla_days, due_date,"
        " clock_stopped_at, opened_at, closed_at, last_activity_at, tracking_token, secret,"
        " opened_by_individual"
    )
    msg_cols = "id, case_id, direction, channel, body, public, delivery_status, created_at"
    channels = ["webform", "email", "facebook", "open311", "phone", "instagram", "x"]
    times = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(n_cases))
    began = time.time()
    # Building the GIN index once after the load is far cheaper than maintaining it per row.
    conns[2].execute("DROP INDEX IF EXISTS ix_case_search_vector")
    conns[2].execute("DROP INDEX IF EXISTS ix_case_search_open_unit_vector")
    conns[2].commit()
    c0, c1, c2 = (c.cursor() for c in conns)
    with (
        c0.copy(f"COPY cases ({case_cols}) FROM STDIN") as cases_copy,
        c1.copy(f"COPY messages ({msg_cols}) FROM STDIN") as msg_copy,
        c2.copy("COPY case_search (case_id, unit_id, open, document) FROM STDIN") as doc_copy,
    ):
        case_buf: list[str] = []
        msg_buf: list[str] = []
        doc_buf: list[str] = []
        for case_id, opened in enumerate(times, start=1):
            unit = rng.randint(1, UNITS)
            serials[unit] += 1
            year = opened.year
            prefix = f"U{chr(64 + unit)}"
            reference = f"{prefix} {year}/{serials[unit]:06d}"
            key = f"{prefix}-{year}-{serials[unit]:06d}"
            title = _esc(words(rng, 4).capitalize())
            description = _esc(words(rng, 12))
            is_open = rng.random() < 0.2
            state = (
                rng.choice(("inkommen", "registrerad", "under_handlaggning"))
                if is_open
                else "avslutad"
            )
            closed = opened + timedelta(days=rng.randint(1, 40)) if not is_open else None
            assignee = (unit - 1) * 5 + rng.randint(1, 5) if rng.random() < 0.6 else None
            due = (opened + timedelta(days=14)).date()
            channel = rng.choice(channels)
            case_buf.append(
                "\t".join(
                    (
                        str(case_id),
                        reference,
                        key,
                        str(year),
                        str(serials[unit]),
                        title,
                        description,
                        channel,
                        str(unit),
                        str(assignee) if assignee else "\\N",
                        "arende",
                        "1",
                        state,
                        rng.choice(("low", "normal", "normal", "high")),
                        "10",
                        due.isoformat(),
                        closed.isoformat() if closed else "\\N",
                        opened.isoformat(),
                        closed.isoformat() if closed else "\\N",
                        (closed or opened).isoformat(),
                        secrets.token_hex(16),
                        "f",
                        "t",
                    )
                )
            )
            bodies = []
            for m in range(per_case):
                message_id += 1
                body = _esc(words(rng, 10))
                bodies.append(body)
                inbound = m % 2 == 0
                msg_buf.append(
                    f"{message_id}\t{case_id}\t{'inbound' if inbound else 'outbound'}\t{channel}\t"
                    f"{body}\tt\t{'none' if inbound else 'sent'}\t"
                    f"{(opened + timedelta(hours=m)).isoformat()}"
                )
            flag = "t" if is_open else "f"
            doc_buf.append(f"{case_id}\t{unit}\t{flag}\t{title} {description} " + " ".join(bodies))
            if len(case_buf) >= 5000:
                cases_copy.write("\n".join(case_buf) + "\n")
                msg_copy.write("\n".join(msg_buf) + "\n")
                doc_copy.write("\n".join(doc_buf) + "\n")
                case_buf, msg_buf, doc_buf = [], [], []
                if case_id % 100_000 == 0:
                    print(
                        f"{case_id} cases, {message_id} messages, {time.time() - began:.0f} s",
                        flush=True,
                    )
        if case_buf:
            cases_copy.write("\n".join(case_buf) + "\n")
            msg_copy.write("\n".join(msg_buf) + "\n")
            doc_copy.write("\n".join(doc_buf) + "\n")
    for conn in conns:
        conn.commit()
    with conns[0].cursor() as cur:
        cur.execute("SELECT setval('cases_id_seq', %s)", (n_cases,))
        cur.execute("SELECT setval('messages_id_seq', %s)", (message_id,))
        for unit in range(1, UNITS + 1):
            cur.execute(
                "INSERT INTO case_sequences (unit_id, year, last_value) VALUES (%s, 2026, %s)",
                (unit, serials[unit]),
            )
    conns[0].commit()
    conns[0].autocommit = True
    conns[0].execute("SET maintenance_work_mem = '512MB'")
    conns[0].execute("UPDATE case_search SET vector = to_tsvector('swedish', document)")
    conns[0].execute("CREATE INDEX ix_case_search_vector ON case_search USING gin (vector)")
    conns[0].execute(
        "CREATE INDEX ix_case_search_open_unit_vector ON case_search"
        " USING gin (unit_id, vector) WHERE open"
    )
    print(f"search index built, {time.time() - began:.0f} s", flush=True)
    conns[0].execute("VACUUM ANALYZE")
    for conn in conns:
        conn.close()
    print(f"done: {n_cases} cases, {message_id} messages in {time.time() - began:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--messages-per-case", type=int, default=5)
    args = parser.parse_args()
    create_database(args.url)
    migrate(args.url)
    generate(args.url, args.cases, args.messages_per_case)


if __name__ == "__main__":
    main()
