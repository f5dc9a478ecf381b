"""The no-op job the worker benchmark drains as its reference rate."""

from __future__ import annotations


def noop(n: int) -> int:
    return n
