"""Files citizens attach: stored under ``UPLOAD_FOLDER`` (outside the web root) by a random
key; only metadata lives in the database."""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence

from flask import current_app

from caseflow.eservices.fields import CleanFile
from caseflow.extensions import db
from caseflow.messages.models import Attachment


def store_attachments(
    files: Sequence[CleanFile], *, case_id: int, message_id: int | None = None
) -> list[Attachment]:
    """Write each file and record it on the case (and the message it came with).

    Files are written before the commit; a rolled-back request leaves an unreferenced file
    behind, never a reference to a missing file.
    """
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    stored = []
    for file in files:
        key = secrets.token_hex(16)
        with open(os.path.join(folder, key), "xb") as handle:
            handle.write(file.data)
        attachment = Attachment(
            case_id=case_id,
            message_id=message_id,
            filename=file.filename,
            content_type=file.content_type,
            size=len(file.data),
            storage_key=key,
        )
        db.session.add(attachment)
        stored.append(attachment)
    if stored:
        db.session.flush()
    return stored
