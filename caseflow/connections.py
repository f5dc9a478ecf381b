"""Database connection liveness without a round trip on every checkout.

``pool_pre_ping`` sends a query each time a connection leaves the pool: one round trip per
request that the request itself does not need. For PostgreSQL ``watch()`` keeps the same
guarantee more cheaply:

- A server that closes an idle connection (a restart, ``pg_terminate_backend``,
  ``idle_session_timeout``) first writes an error message to it, so at checkout a zero-timeout
  ``poll()`` of the socket (a system call, no round trip) tells whether anything arrived while
  it sat in the pool; only then is it pinged.
- A connection dropped silently on the way (a firewall, a NAT timeout) says nothing, so one
  that sat idle longer than ``DB_PING_AFTER_IDLE_SECONDS`` is pinged too; connections in
  steady use are not.
- A failed ping raises ``DisconnectionError``: the pool discards the connection and checks out
  a fresh one. ``pool_recycle`` (``config.py``) bounds every connection's age.

What remains is the window pre-ping has as well: a server that goes away after checkout fails
that request's statement; SQLAlchemy then invalidates the whole pool, so the next checkouts
reconnect.
"""

from __future__ import annotations

import select
import time
import weakref
from typing import Any

import sqlalchemy as sa

_IDLE_SINCE = "caseflow_idle_since"
_watched: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


def watch(engine: sa.Engine, ping_after_idle: float) -> None:
    """Check ``engine``'s pooled connections at checkout as described above (once per
    engine; ``ping_after_idle`` 0 pings every checkout, like ``pool_pre_ping``)."""
    if engine in _watched:
        return
    _watched.add(engine)
    dialect = engine.dialect

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None:  # a new connection, opened just now
            return
        if time.monotonic() - since < ping_after_idle and not _has_news(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise sa.exc.DisconnectionError(str(exc)) from exc
            raise

    sa.event.listen(engine, "checkin", checkin)
    sa.event.listen(engine, "checkout", checkout)


def _has_news(dbapi_connection: Any) -> bool:
    """Whether the server wrote to (or closed) this idle connection: nothing is expected on
    an idle connection, so anything readable means an error, a close, or at least something
    a ping should sort out."""
    if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
        return True
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return True
