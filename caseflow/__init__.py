"""Caseflow: citizen-dialogue case management for Swedish municipalities."""

from caseflow.app import create_app

__all__ = ["create_app"]
