"""Counting and timing the SQL statements of profiled requests (the profile scripts' meter)."""

from __future__ import annotations

import statistics
import time
from typing import Any

import sqlalchemy as sa


class StatementTimer:
    """Statements per request, and each statement's time by its position in the request.

    Use as a context manager around the requests; call ``new_request()`` before each one.
    """

    def __init__(self, engine: sa.Engine, width: int = 100) -> None:
        self.engine = engine
        self.width = width
        self.count = 0
        self.timings: dict[int, list[float]] = {}
        self.texts: dict[int, str] = {}
        self._started: list[float] = []

    def _before(self, *_args: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        elapsed = (time.perf_counter() - self._started.pop()) * 1000
        self.timings.setdefault(self.count, []).append(elapsed)
        self.texts[self.count] = " ".join(statement.split())[: self.width]
        self.count += 1

    def __enter__(self) -> StatementTimer:
        sa.event.listen(self.engine, "before_cursor_execute", self._before)
        sa.event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_exc: Any) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._before)
        sa.event.remove(self.engine, "after_cursor_execute", self._after)

    def new_request(self) -> None:
        self.count = 0

    def forget(self) -> None:
        """Drop what warm-up requests recorded."""
        self.timings.clear()
        self.texts.clear()

    def print_medians(self) -> None:
        for index, samples in sorted(self.timings.items()):
            print(f"  {statistics.median(samples):6.2f} ms  {self.texts[index]}")
