"""Choices and counts that every inbox page shows beside its rows, each kept where it is
cheapest to keep: e-services and the social count in the short-lived page cache, the shipped
workflows' transitions once per process."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from flask import current_app

from caseflow.auth.models import User
from caseflow.extensions import db
from caseflow.web import page_cache


def eservice_choices() -> list[Any]:
    """Slug and titles of every e-service for the filter (not their form definitions), from
    the short-lived page cache: the list changes rarely and every inbox page shows it."""
    from caseflow.eservices.models import EService

    def load() -> list[Any]:
        return list(
            db.session.execute(
                sa.select(EService.slug, EService.title_sv, EService.title_en).order_by(
                    EService.title_sv
                )
            ).all()
        )

    return page_cache.cached(("eservices",), load)  # type: ignore[no-any-return]


@functools.cache
def transition_choices(lang: str) -> tuple[tuple[str, str], ...]:
    """Every transition name of the shipped workflows, with a label, for bulk changes; the
    shipped definitions never change while a process runs, so once per process and language (a
    tuple: it keys the bulk form's cached fragment as it is)."""
    from workflows import default_registry

    registry = default_registry()
    labels: dict[str, str] = {}
    for key in registry:
        for t in registry.latest(key).transitions:
            if not t.system_only:
                labels.setdefault(t.name, t.label_en if lang == "en" else t.label_sv)
    return tuple(sorted(labels.items(), key=lambda item: item[1]))


def social_new(user: User) -> int | None:
    """New items in the social inbox (the inbox's fifth view), if that area is installed."""
    if "web_social.inbox" not in current_app.view_functions:
        return None
    from caseflow.social.queries import new_items_count

    key = ("social", user.id, user.role, tuple(sorted(user.unit_ids)))
    return page_cache.cached(key, lambda: new_items_count(user))  # type: ignore[no-any-return]
