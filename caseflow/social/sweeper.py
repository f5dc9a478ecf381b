"""Re-enqueue platform calls of moderations still ``queued`` that a crash or a Redis outage
left behind. They are retried at every sweep: hiding a comment late is better than never."""

from __future__ import annotations

from caseflow.social.models import ModerationAction, PlatformCallStatus
from caseflow.social.services import enqueue_platform_call
from caseflow.sweeping import left_behind


def sweep_queued_moderations() -> int:
    """Sweeper ``moderation``: returns how many platform calls were re-enqueued (a job
    already waiting or scheduled for retry is not duplicated)."""
    ids = left_behind(
        ModerationAction, ModerationAction.platform_status == PlatformCallStatus.QUEUED
    )
    for action_id in ids:
        enqueue_platform_call(action_id)
    return len(ids)
