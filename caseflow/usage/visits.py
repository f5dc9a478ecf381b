"""Count website visits without cookies and without storing who visited.

A page view from an allowed origin with a human user agent is counted. The first view of a
visitor on a local day also counts a visit: the visitor is recognised by
SHA-256(day's random salt, IP address, user agent), and only that hash is stored, for that day.
The rollup job deletes past days' salts and hashes, so no IP address is ever written and no
visitor can be followed from one day to the next.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.timeutil import local_date
from caseflow.usage.kinds import PAGE_VIEW, SITE_VISIT
from caseflow.usage.models import VisitorDigest, VisitSalt
from caseflow.usage.services import record_usage

#: Crawlers, link previews, monitoring and scripted clients (matched case-insensitively).
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|pingdom|"
    r"uptime|lighthouse|headlesschrome|phantomjs|python-requests|python-urllib|curl|wget|"
    r"httpclient|okhttp|go-http-client|java/|libwww|scrapy|axios|node-fetch",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    """No user agent, or one that names a crawler or a script, is not a visitor."""
    return not user_agent or not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def allowed_origins(setting: str | None) -> set[str]:
    return {o.strip().rstrip("/").lower() for o in (setting or "").split(",") if o.strip()}


def origin_of(url: str | None) -> str | None:
    """``https://www.kommun.se`` from a full URL (a Referer) or an Origin header."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def _insert_ignore(table: Any, values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was new."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    first_column = next(iter(table.primary_key.columns))
    stmt = insert(table).values(**values).on_conflict_do_nothing().returning(first_column)
    return db.session.execute(stmt).first() is not None


def salt_for(day: date) -> str:
    """The day's salt, created by the first visit of the day (concurrent first visits agree)."""
    _insert_ignore(VisitSalt.__table__, {"day": day, "salt": secrets.token_hex(32)})
    return db.session.execute(sa.select(VisitSalt.salt).where(VisitSalt.day == day)).scalar_one()


def visitor_digest(salt: str, ip: str, user_agent: str) -> str:
    return hashlib.sha256(f"{salt}|{ip}|{user_agent}".encode()).hexdigest()


def count_visit(ip: str | None, user_agent: str | None) -> bool | None:
    """Count one page view; returns True for a new visitor today, False for a known one, and
    None when the request was not counted (a bot)."""
    if is_bot(user_agent):
        return None
    now = utcnow()
    day = local_date(now)
    digest = visitor_digest(salt_for(day), ip or "", user_agent or "")
    record_usage(PAGE_VIEW, channel="web", at=now)
    new = _insert_ignore(VisitorDigest.__table__, {"day": day, "digest": digest})
    if new:
        record_usage(SITE_VISIT, channel="web", at=now)
    db.session.flush()
    return new
