"""What a submission writes besides its case: the case's title and description from the
form's values, and the Core builders of the rows linked to the new case (``cases.opening``):
the claimed key's answer, the usage event, the registration and the receipt mail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from caseflow.cases.opening import case_param, insert_linked
from caseflow.eservices.models import EService, SubmissionKey
from caseflow.jobs import func_path
from caseflow.notifications.models import OutboxMail
from caseflow.tracking.receipts import render_receipt_mail
from caseflow.usage.models import UsageEvent
from intake.models import IntakeItem

_KEYS: sa.Table = SubmissionKey.__table__  # type: ignore[assignment]


def _display(spec: Mapping[str, Any], value: Any) -> str:
    kind = spec.get("type")
    if kind == "checkbox":
        return "Ja" if value else "Nej"
    if kind == "multiselect":
        return ", ".join(value)
    if kind == "address":
        point = f" ({value['lat']}, {value['long']})" if "lat" in value else ""
        return f"{value['address']}{point}"
    if kind == "file":
        return ", ".join(f.filename for f in value)
    return str(value)


def case_texts(
    eservice: EService, fields: Sequence[Mapping[str, Any]], public: Mapping[str, Any]
) -> tuple[str, str]:
    """Case title and description from the non-personal values, in form order."""
    summary = ""
    lines = []
    for spec in fields:
        if spec["name"] not in public:
            continue
        value = public[spec["name"]]
        label = spec.get("label_sv") or spec["name"]
        if not summary and spec.get("type") in ("text", "textarea"):
            summary = str(value).strip().splitlines()[0][:100] if str(value).strip() else ""
        text = _display(spec, value)
        lines.append(f"{label}:\n{text}" if spec.get("type") == "textarea" else f"{label}: {text}")
    title = f"{eservice.title_sv}: {summary}" if summary else eservice.title_sv
    return title, "\n\n".join(lines)


_USAGE: sa.Table = UsageEvent.__table__  # type: ignore[assignment]
_INTAKE: sa.Table = IntakeItem.__table__  # type: ignore[assignment]
_OUTBOX: sa.Table = OutboxMail.__table__  # type: ignore[assignment]
_INTAKE_COLUMNS = ("external_id", "raw", "headers", "kind", "data", "status", "attempts")
_OUTBOX_COLUMNS = ("to_address", "status", "renderer", "language")


def record_answer(case_id: Any, prefix: str) -> Any:
    """The claimed key gets its case and first answer (kept for replays)."""
    return (
        sa.update(_KEYS)
        .where(_KEYS.c.id == sa.bindparam(prefix + "key_id", type_=_KEYS.c.id.type))
        .values(
            case_id=case_id,
            response=sa.bindparam(prefix + "response", type_=_KEYS.c.response.type),
        )
    )


def insert_usage(_case_id: Any, prefix: str) -> Any:
    """The usage event: its e-service, channel, unit and time are the case's."""
    return sa.insert(_USAGE).values(
        kind=sa.bindparam(prefix + "kind", type_=_USAGE.c.kind.type),
        eservice_id=case_param("eservice_id"),
        channel=case_param("channel"),
        unit_id=case_param("unit_id"),
        occurred_at=case_param("opened_at"),
    )


# The registration and the receipt mail repeat the case's channel and time, and their
# constant columns are written into the statement: fewer parameters (see ``cases.opening``).
INSERT_INTAKE_ITEM = insert_linked(
    _INTAKE,
    _INTAKE_COLUMNS,
    shared={"channel": "channel", "received_at": "opened_at", "processed_at": "opened_at"},
    constants={"parent_id": None, "error": None},
)
INSERT_RECEIPT_MAIL = insert_linked(
    _OUTBOX,
    _OUTBOX_COLUMNS,
    shared={"created_at": "opened_at"},
    constants={"subject": "", "body": "", "error": None, "sent_at": None},
    returns=True,
)
RECEIPT_RENDERER = func_path(render_receipt_mail)
