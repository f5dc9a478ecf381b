"""Enumerations shared across domains (stored as strings)."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """How an inbound item or message reached (or leaves) the municipality."""

    WEBFORM = "webform"
    API = "api"
    FACEBOOK = "facebook"
    MESSENGER = "messenger"
    INSTAGRAM = "instagram"
    X = "x"
    OPEN311 = "open311"
    EMAIL = "email"
    PHONE = "phone"
    VISIT = "visit"
    INTERNAL = "internal"

    @property
    def is_digital(self) -> bool:
        return self not in {Channel.PHONE, Channel.VISIT, Channel.INTERNAL}

    @property
    def is_social(self) -> bool:
        return self in {Channel.FACEBOOK, Channel.MESSENGER, Channel.INSTAGRAM, Channel.X}


class Role(StrEnum):
    HANDLAGGARE = "handlaggare"  # caseworker: cases of their units
    REGISTRATOR = "registrator"  # registers and triages inbound items, all units
    ENHETSCHEF = "enhetschef"  # unit lead: assigns within the unit, sees its reports
    ADMIN = "admin"

    @property
    def sees_all_units(self) -> bool:
        return self in {Role.REGISTRATOR, Role.ADMIN}


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"
