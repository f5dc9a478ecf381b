"""Re-enqueue outbound messages still ``queued`` that a crash or a Redis outage left behind.

Replies are retried at every sweep until the channel answers for good: the senders turn
what can never succeed (a closed Messenger window, an invalid token) into ``failed``.
"""

from __future__ import annotations

from caseflow.messages.models import DeliveryStatus, Message
from caseflow.messages.services import enqueue_delivery
from caseflow.sweeping import left_behind


def sweep_queued_messages() -> int:
    """Sweeper ``messages``: returns how many deliveries were re-enqueued (a job already
    waiting or scheduled for retry is not duplicated)."""
    ids = left_behind(Message, Message.delivery_status == DeliveryStatus.QUEUED)
    for message_id in ids:
        enqueue_delivery(message_id)
    return len(ids)
