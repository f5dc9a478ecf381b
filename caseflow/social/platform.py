"""Registry of platform moderators: channels register how to hide or remove a comment.

Like message senders (``caseflow.messages.services.register_sender``), the core never knows
a platform's wire format; ``intake.channels.meta`` and ``intake.channels.x`` register these.
A moderator raises ``PermanentDeliveryError`` or ``TransientDeliveryError`` on failure.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from caseflow.jobs import func_path
from caseflow.social.models import ModerationAction, SocialItem

Moderator = Callable[[ModerationAction, SocialItem], None]


def register_moderator(app: Flask, channel: str, moderator: str | Moderator) -> None:
    app.extensions.setdefault("caseflow_moderators", {})[channel] = func_path(moderator)


def moderator_for(channel: str) -> str | None:
    moderators: dict[str, str] = current_app.extensions.get("caseflow_moderators", {})
    return moderators.get(channel)
