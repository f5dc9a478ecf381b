"""One submission of an e-service form, from the web form or the JSON API.

The submission is registered (``IntakeItem``) and its case opened in the request's
transaction: the citizen needs the reference on the receipt. The receipt mail is a job.

Retries never make a second case. With an ``Idempotency-Key`` the first answer is kept for
``IDEMPOTENCY_KEY_HOURS`` (default 24 h) and replayed; the same key with another body is
refused (422). Without a key, an identical submission (same e-service, same normalised values
and files) within ``SUBMISSION_DEDUPE_SECONDS`` (default 600 s) is answered with the first
case: a double-clicked button or a reloaded POST. Different bodies always make two cases.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from sqlalchemy.dialects import postgresql, sqlite

from caseflow.cases.models import Case
from caseflow.cases.numbering import committed_reference
from caseflow.cases.opening import Linked, insert_case
from caseflow.cases.references import number_by_commit
from caseflow.cases.services import prepare_case
from caseflow.citizens.services import (
    LOOKUP_COLUMNS,
    CitizenMatch,
    look_up,
    match_citizen,
    resolve_citizen,
)
from caseflow.db import utcnow
from caseflow.errors import DomainError, ValidationFailed
from caseflow.eservices.attachments import store_attachments
from caseflow.eservices.display import current_language
from caseflow.eservices.fields import CleanFile, FieldError, clean_form
from caseflow.eservices.models import EService, SubmissionKey
from caseflow.extensions import db
from caseflow.notifications.services import MailStatus, enqueue_delivery
from caseflow.timeutil import local_date
from caseflow.tracking.receipts import api_answer
from caseflow.web.search import new_case_document, written_with_case
from intake.channels.webform.rows import (
    INSERT_INTAKE_ITEM,
    INSERT_RECEIPT_MAIL,
    RECEIPT_RENDERER,
    case_texts,
    insert_usage,
    record_answer,
)
from intake.models import IntakeItem, IntakeStatus

CONTACT_BY_TYPE = {"email": "email", "phone": "phone", "personnummer": "personnummer"}
NAME_FIELDS = {"namn", "name", "fullstandigt_namn"}


class SubmissionInvalid(ValidationFailed):
    """Per-field messages, translated to the request's language."""

    def __init__(self, field_errors: Mapping[str, FieldError]) -> None:
        self.field_errors = dict(field_errors)
        super().__init__(
            gettext("Formuläret innehåller fel."),
            {name: [error.render(gettext)] for name, error in self.field_errors.items()},
        )


class IdempotencyKeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Submitted:
    case: Case
    #: The case's id, known before the commit expires the case.
    case_id: int
    #: False when this was a retry answered with the first case.
    created: bool
    #: The answer without the reference, which a new case may get only as the request commits.
    first: dict[str, Any]

    def answer(self) -> dict[str, Any]:
        """The JSON answer; ask for it after the commit (the diarienummer is given last)."""
        reference = committed_reference(self.case_id) if self.created else self.case.reference
        return {**self.first, "reference": reference}


def contact_role(spec: Mapping[str, Any]) -> str | None:
    """Which contact detail a field holds; such values live only in ``citizens``."""
    if spec.get("contact"):
        return str(spec["contact"])
    if spec.get("type") in CONTACT_BY_TYPE:
        return CONTACT_BY_TYPE[spec["type"]]
    return "name" if spec.get("name") in NAME_FIELDS else None


def form_fields(eservice: EService) -> list[dict[str, Any]]:
    return list((eservice.form or {}).get("fields") or [])


def submit(
    eservice: EService,
    values: Mapping[str, Any],
    *,
    channel: str,
    idempotency_key: str | None = None,
) -> Submitted:
    """Validate, dedupe, register and open the case; flush, never commit."""
    now = utcnow()
    fields = form_fields(eservice)
    cleaned, errors = clean_form(fields, values, today=local_date(now))
    if errors:
        raise SubmissionInvalid(errors)
    digest = _digest(cleaned)
    scope = f"{channel}:{eservice.slug}"
    if idempotency_key:
        key = "key:" + idempotency_key
        expires = now + timedelta(hours=int(current_app.config.get("IDEMPOTENCY_KEY_HOURS", 24)))
    else:
        key = "body:" + digest
        window = int(current_app.config.get("SUBMISSION_DEDUPE_SECONDS", 600))
        expires = now + timedelta(seconds=window)
    parts = _split(fields, cleaned)
    match = match_citizen(**parts.contact)
    claim = _claim(scope, key, digest, now, expires, match)
    if isinstance(claim, Submitted):
        return claim
    claimed, citizen_row = claim
    citizen_id = resolve_citizen(match, citizen_row) if match is not None else None
    case, first = _open(
        eservice, fields, parts, citizen_id, channel=channel, now=now, claim=claimed
    )
    number_by_commit(case)
    return Submitted(case, case.id, True, first)


def _digest(cleaned: Mapping[str, Any]) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, list) and value and isinstance(value[0], CleanFile):
            return [[f.filename, hashlib.sha256(f.data).hexdigest()] for f in value]
        return value

    canonical = json.dumps(
        {k: encode(v) for k, v in cleaned.items()}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _live_key(scope: str, key: str) -> SubmissionKey | None:
    return db.session.execute(
        sa.select(SubmissionKey).where(SubmissionKey.scope == scope, SubmissionKey.key == key)
    ).scalar_one_or_none()


def _replay(scope: str, key: str, digest: str, now: datetime) -> Submitted | None:
    row = _live_key(scope, key)
    if row is None:
        return None
    if row.expires_at <= now:
        db.session.delete(row)
        db.session.flush()
        return None
    if row.request_hash != digest:
        raise IdempotencyKeyReused(
            gettext("Idempotency-Key har redan använts för en annan inlämning."),
            {"Idempotency-Key": [gettext("Använd en ny nyckel för en ny inlämning.")]},
        )
    case = db.session.get(Case, row.case_id) if row.case_id else None
    if case is None:  # the case was deleted: forget the key
        db.session.delete(row)
        db.session.flush()
        return None
    return Submitted(case, case.id, False, dict(row.response))


def _claim(
    scope: str,
    key: str,
    digest: str,
    now: datetime,
    expires: datetime,
    match: CitizenMatch | None,
) -> tuple[int, Any | None] | Submitted:
    """Claim the key before the case is opened; answer a retry with the first case.

    One ``INSERT ... ON CONFLICT DO NOTHING``: a concurrent twin blocks on the unique index
    until the first commits, then finds the row taken and replays its answer. An expired row
    is removed and claimed afresh. On PostgreSQL the same statement looks up the submitter
    (``citizens.services.match_citizen``): one round trip. Returns the claimed key's id and
    the citizen's row (``None`` when not found).
    """
    params = {
        "scope": scope,
        "key": key,
        "request_hash": digest,
        "response": {},
        "expires_at": expires,
        "created_at": now,
    }
    connection = db.session.connection()
    together = (
        connection.dialect.name == "postgresql" and match is not None and match.lookup is not None
    )
    for _attempt in range(2):
        if together:
            assert match is not None
            row = connection.execute(_claim_and_look_up(match), {**params, **match.params}).one()
            claimed, citizen = row[0], (row if row[1] is not None else None)
        else:
            claimed = connection.execute(_claim_statement(), params).scalar_one_or_none()
            citizen = None
        if claimed is not None:
            if not together and match is not None:
                citizen = look_up(match)
            return int(claimed), citizen
        replay = _replay(scope, key, digest, now)
        if replay is not None:
            return replay
    raise RuntimeError(f"submission key {scope} could not be claimed")


_KEYS: sa.Table = SubmissionKey.__table__  # type: ignore[assignment]
_CLAIMS: dict[Any, Any] = {}
_KEY_COLUMNS = ("scope", "key", "request_hash", "response", "expires_at", "created_at")


def _claim_statement() -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING RETURNING id``, built once per dialect and run on
    the session's connection with a parameter dict (no ORM layer, one compiled form)."""
    dialect = db.session.get_bind().dialect.name
    statement = _CLAIMS.get(dialect)
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(_KEYS)
            .on_conflict_do_nothing(index_elements=[_KEYS.c.scope, _KEYS.c.key])
            .returning(_KEYS.c.id)
        )
        _CLAIMS[dialect] = statement
    return statement


def _claim_and_look_up(match: CitizenMatch) -> Any:
    """PostgreSQL: ``WITH claim AS (INSERT ... ON CONFLICT DO NOTHING RETURNING id) SELECT
    (SELECT id FROM claim), citizen.* FROM (SELECT 1) LEFT JOIN (<lookup>) AS citizen ON
    true``, built once per kind of lookup."""
    statement = _CLAIMS.get(id(match.lookup))
    if statement is None:
        claim = (
            postgresql.insert(_KEYS)
            .values({c: sa.bindparam(c, type_=_KEYS.c[c].type) for c in _KEY_COLUMNS})
            .on_conflict_do_nothing(index_elements=[_KEYS.c.scope, _KEYS.c.key])
            .returning(_KEYS.c.id)
            .cte("claim")
        )
        citizen = match.lookup.subquery("citizen")
        one = sa.select(sa.literal_column("1").label("one")).subquery("one")
        statement = (
            sa.select(
                sa.select(claim.c.id).scalar_subquery().label("claimed"),
                *(citizen.c[c] for c in LOOKUP_COLUMNS),
            )
            .select_from(one.outerjoin(citizen, sa.true()))
            .add_cte(claim)
        )
        _CLAIMS[id(match.lookup)] = statement
    return statement


@dataclass(frozen=True)
class _Parts:
    """A submission's values: contact data (kept only in ``citizens``), the rest, files."""

    contact: dict[str, str]
    public: dict[str, Any]
    files: list[CleanFile]


def _split(fields: Sequence[Mapping[str, Any]], cleaned: Mapping[str, Any]) -> _Parts:
    contact: dict[str, str] = {}
    public: dict[str, Any] = {}
    files: list[CleanFile] = []
    for spec in fields:
        name = spec["name"]
        if name not in cleaned:
            continue
        role = contact_role(spec)
        if role:
            # A name field may allow more than the citizen record holds (200 characters).
            value = cleaned[name]
            contact.setdefault(role, str(value)[:200] if role == "name" else value)
        elif spec.get("type") == "file":
            files += cleaned[name]
            public[name] = cleaned[name]
        else:
            public[name] = cleaned[name]
    return _Parts(contact, public, files)


def _open(
    eservice: EService,
    fields: Sequence[Mapping[str, Any]],
    parts: _Parts,
    citizen_id: int | None,
    *,
    channel: str,
    now: datetime,
    claim: int,
) -> tuple[Case, dict[str, Any]]:
    """Open the case and write what goes with it; returns the case and the first answer
    (without the reference, which comes last), kept on the claimed key for replays.

    The case, its audit event, the key's answer, the usage event, the registration and the
    receipt mail's outbox row are one statement on PostgreSQL (``cases.opening``): Core
    statements built once, no ORM unit of work, which cost more CPU than the writes.
    """
    contact, public, files = parts.contact, parts.public, parts.files
    stored_values = {
        k: (
            [{"filename": f.filename, "size": len(f.data)} for f in v]
            if k in public and isinstance(v, list) and v and isinstance(v[0], CleanFile)
            else v
        )
        for k, v in public.items()
    }
    registration = {"eservice": eservice.slug, "values": stored_values, "citizen_id": citizen_id}
    title, description = case_texts(eservice, fields, public)
    new = prepare_case(
        unit_id=eservice.unit_id,
        title=title,
        description=description,
        channel=channel,
        eservice=eservice,
        citizen_id=citizen_id,
        actor_label=channel,
        opened_at=now,
        reference_later=True,
    )
    # The first answer, kept for replays; its reference is read from the case, which gets it
    # last (``number_by_commit``): the unit's serial stays locked only inside the commit.
    first = {k: v for k, v in api_answer(new.case).items() if k != "reference"}
    # The registration of the submission. Its external id is new by construction, so the
    # lookup ``intake.services.receive`` makes for redelivered webhooks has nothing to find;
    # the item is written already processed, with its case, in the same transaction.
    linked = [
        Linked("answer_row", record_answer, {"key_id": claim, "response": first}),
        Linked(
            "usage_row",
            insert_usage,
            {"kind": "form_submitted"},
        ),
        Linked(
            "intake_row",
            INSERT_INTAKE_ITEM,
            {
                "external_id": uuid.uuid4().hex,
                "raw": json.dumps(registration, sort_keys=True, ensure_ascii=False).encode(),
                "headers": {},
                "kind": "submission",
                "data": registration,
                "status": IntakeStatus.PROCESSED.value,
                "attempts": 1,
            },
        ),
    ]
    if contact.get("email"):
        # The receipt as an e-mail, in the request's language, rendered by its delivery job
        # (the diarienummer is given after this row is written).
        linked.append(
            Linked(
                "mail_row",
                INSERT_RECEIPT_MAIL,
                {
                    "to_address": contact["email"],
                    "status": MailStatus.PENDING,
                    "renderer": RECEIPT_RENDERER,
                    "language": current_language(),
                },
                returns=True,
            )
        )
    search_row = new_case_document()
    if search_row is not None:
        linked.append(search_row)
    case, returned = insert_case(new, linked)
    if search_row is not None:
        written_with_case(case.id)
    if files:
        store_attachments(files, case_id=case.id)
    if "mail_row" in returned:
        enqueue_delivery(int(returned["mail_row"]), new_row=True)
    return case, first


def process_registered(item: IntakeItem) -> None:
    """Submissions open their case in the request; a registration without one is an error
    that stays visible on the item (it cannot happen in one transaction)."""
    if item.case_id is None:
        raise RuntimeError("submission registered without its case")


def purge_expired_keys() -> int:
    """Periodic job: forget answers past their idempotency or dedupe window."""
    result = db.session.execute(
        sa.delete(SubmissionKey).where(SubmissionKey.expires_at <= utcnow())
    )
    db.session.commit()
    return int(result.rowcount or 0)
