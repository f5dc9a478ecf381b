"""GET Service Requests: what Open311 clients may read back.

Only cases that came in through Open311 are listed, never secret ones and never contact
data: the API is public by design, so it shows what the reporter sent to it and no more.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from caseflow.cases.models import Case
from caseflow.cases.references import reference_key
from caseflow.db import utcnow
from caseflow.enums import Channel
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.timeutil import local_zone
from intake.channels.open311.submission import Open311Error
from intake.models import IntakeItem
from workflows import default_registry

MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)


def w3(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_w3(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} is not a W3C datetime") from None
    if parsed.tzinfo is None:
        raise Open311Error(400, f"{name} needs a time zone")
    return parsed


def status_of(case: Case) -> str:
    try:
        definition = default_registry().get(case.workflow_key, case.workflow_version)
        return definition.state(case.state).open311_status
    except KeyError:
        return "closed" if case.closed_at else "open"


def as_request(case: Case, item: IntakeItem, eservice: EService) -> dict[str, Any]:
    data = item.data or {}
    expected = None
    if case.due_date is not None:
        expected = datetime.combine(case.due_date, time(16, 0), tzinfo=local_zone())
    return {
        "service_request_id": case.reference_key,
        "status": status_of(case),
        "status_notes": None,
        "service_name": eservice.title_sv,
        "service_code": eservice.slug,
        "description": case.description[:4000] or None,
        "agency_responsible": case.unit.name,
        "service_notice": None,
        "requested_datetime": w3(case.opened_at),
        "updated_datetime": w3(case.closed_at or case.last_activity_at),
        "expected_datetime": w3(expected),
        "address": data.get("address_string"),
        "address_id": data.get("address_id"),
        "zipcode": None,
        "lat": data.get("lat"),
        "long": data.get("long"),
        "media_url": data.get("media_url"),
    }


def _base() -> sa.Select:
    return (
        sa.select(Case, IntakeItem, EService)
        .join(
            IntakeItem,
            sa.and_(IntakeItem.case_id == Case.id, IntakeItem.channel == Channel.OPEN311.value),
        )
        .join(EService, EService.id == Case.eservice_id)
        .where(Case.secret.is_(False))
    )


def find_requests(args: dict[str, str]) -> list[dict[str, Any]]:
    """Apply GeoReport's filters; empty parameters count as absent."""
    args = {k: v.strip() for k, v in args.items() if v and v.strip()}
    stmt = _base()
    if "service_request_id" in args:
        keys = [reference_key(x) for x in args["service_request_id"].split(",") if x.strip()]
        stmt = stmt.where(Case.reference_key.in_(keys))
    else:
        end = parse_w3(args["end_date"], "end_date") if "end_date" in args else None
        start = parse_w3(args["start_date"], "start_date") if "start_date" in args else None
        if start is None and end is None:
            end = utcnow()
            start = end - MAX_SPAN
        elif start is None:
            start = end - MAX_SPAN  # type: ignore[operator]
        elif end is None:
            end = start + MAX_SPAN
        if end - start > MAX_SPAN:  # type: ignore[operator]
            raise Open311Error(400, "the date range may not span more than 90 days")
        stmt = stmt.where(Case.opened_at >= start, Case.opened_at <= end)
        if "service_code" in args:
            stmt = stmt.where(EService.slug.in_(args["service_code"].split(",")))
    rows = db.session.execute(stmt.order_by(Case.opened_at.desc()).limit(MAX_RESULTS)).all()
    requests = [as_request(case, item, eservice) for case, item, eservice in rows]
    if "status" in args and "service_request_id" not in args:
        wanted = {s.strip() for s in args["status"].split(",")}
        unknown = wanted - {"open", "closed"}
        if unknown:
            raise Open311Error(400, "status must be open or closed")
        requests = [r for r in requests if r["status"] in wanted]
    return requests


def find_request(service_request_id: str) -> dict[str, Any] | None:
    row = db.session.execute(
        _base().where(Case.reference_key == reference_key(service_request_id))
    ).first()
    return as_request(*row) if row else None
