"""The check every outbound sweeper test makes before it runs the worker."""

from __future__ import annotations

import pytest
from flask import Flask

from caseflow.jobs import get_queue, run_sweepers


def assert_swept_once(app: Flask, monkeypatch: pytest.MonkeyPatch, sweeper: str) -> None:
    """One item left behind: a sweep while it is younger than the threshold leaves it (its
    job may still come), a sweep past it re-enqueues it, and a second sweep does not queue a
    second job (the job id keeps it single)."""
    monkeypatch.setitem(app.config, "SWEEP_AFTER_SECONDS", 3600)
    assert run_sweepers()[sweeper] == 0
    monkeypatch.setitem(app.config, "SWEEP_AFTER_SECONDS", 0)
    assert run_sweepers()[sweeper] == 1
    assert run_sweepers()[sweeper] == 1
    assert get_queue("outbound").count == 1
