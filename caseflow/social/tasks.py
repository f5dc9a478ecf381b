"""Jobs of the social area: the platform call of a moderation, made once."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.db import utcnow
from caseflow.extensions import db
from caseflow.jobs import resolve
from caseflow.messages.services import PermanentDeliveryError, TransientDeliveryError
from caseflow.social.models import ModerationAction, PlatformCallStatus, SocialItem
from caseflow.social.platform import moderator_for


def moderate_on_platform(action_id: int) -> None:
    """Hide or delete on the platform; a done or failed action is never called again.

    Transient errors are re-raised so RQ retries with back-off; permanent ones are stored
    on the action, visible in the moderation record.
    """
    action = db.session.execute(
        sa.select(ModerationAction).where(ModerationAction.id == action_id).with_for_update()
    ).scalar_one_or_none()
    if action is None or action.platform_status != PlatformCallStatus.QUEUED:
        return
    item = db.session.get(SocialItem, action.item_id)
    assert item is not None
    path = moderator_for(item.channel)
    action.platform_calls += 1
    if path is None:
        _fail(action, f"no moderator for channel {item.channel}")
        db.session.commit()
        return
    try:
        resolve(path)(action, item)
    except PermanentDeliveryError as exc:
        _fail(action, str(exc))
        db.session.commit()
        return
    except TransientDeliveryError as exc:
        db.session.rollback()
        _note_retry(action_id, str(exc))
        raise
    action.platform_status = PlatformCallStatus.DONE
    action.platform_error = None
    action.platform_done_at = utcnow()
    db.session.commit()


def _fail(action: ModerationAction, reason: str) -> None:
    action.platform_status = PlatformCallStatus.FAILED
    action.platform_error = reason[:1000]


def _note_retry(action_id: int, reason: str) -> None:
    action = db.session.get(ModerationAction, action_id)
    if action is not None:
        action.platform_calls += 1
        action.platform_error = f"retrying: {reason[:900]}"
        db.session.commit()
