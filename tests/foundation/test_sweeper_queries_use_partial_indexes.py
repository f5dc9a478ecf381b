"""Each outbound sweeper reads its waiting rows through its partial index (PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.messages.models import DeliveryStatus, Message
from caseflow.notifications.models import OutboxMail
from caseflow.notifications.services import MailStatus
from caseflow.social.models import ModerationAction, PlatformCallStatus
from caseflow.sweeping import left_behind_query

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("model", "waiting", "index"),
    [
        (OutboxMail, OutboxMail.status == MailStatus.PENDING, "ix_outbox_mails_pending_created"),
        (
            Message,
            Message.delivery_status == DeliveryStatus.QUEUED,
            "ix_messages_queued_created",
        ),
        (
            ModerationAction,
            ModerationAction.platform_status == PlatformCallStatus.QUEUED,
            "ix_social_moderation_actions_queued_created",
        ),
    ],
)
def test_sweeper_query_can_use_its_partial_index(app, model, waiting, index) -> None:
    query = left_behind_query(model, waiting)
    compiled = query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.execute(sa.text(f"EXPLAIN {compiled}")).scalars())
    assert index in plan
