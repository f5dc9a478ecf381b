"""Account lockout after repeated failed sign-ins (on top of the per-address rate limit).

The rate limit slows one address down; the lockout protects one account from many addresses.
"""

from __future__ import annotations

from datetime import timedelta

from caseflow.auth.models import User
from caseflow.db import utcnow

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def register_failure(user: User) -> None:
    """Count a failed sign-in; the fifth in a row locks the account for 15 minutes."""
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = utcnow() + LOCK_FOR
        user.failed_logins = 0


def register_success(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
