"""A bounded per-process memo: values computed once from their key and shared by threads.

The inbox keeps several (rendered rows and fragments, fixed URLs, built statements), each
keyed by everything its value is made from, so a hit is what computing it now would give.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedMemo(Generic[V]):
    """``get(key, compute)``: the value remembered under ``key``, else ``compute()``'s.

    Beyond ``max_entries`` everything is dropped at once: a bound on memory, not an eviction
    policy (the keys that matter come back within a page or two). Values are shared between
    threads and requests: they must not be modified.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        value = self._entries.get(key)
        if value is None:
            value = compute()
            with self._lock:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[key] = value
        return value
