"""Two units with a case each, and one user of every role in the first unit."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.enums import Role
from caseflow.messages.services import add_inbound_message
from caseflow.units.models import Unit
from tests.factories import make_case, make_citizen, make_eservice, make_unit, make_user


@dataclass
class World:
    own: Unit
    other: Unit
    own_case: Case
    other_case: Case
    users: dict[str, User]


@pytest.fixture
def world() -> World:
    own, other = make_unit(), make_unit()
    eservice = make_eservice(own)
    own_case = make_case(
        own, title="Trasig gatlykta på Storgatan", eservice=eservice, citizen=make_citizen()
    )
    other_case = make_case(
        other,
        title="Hemligt grannärende Bäckvägen",
        description="Klotter på förskolan Solstrålen",
        citizen=make_citizen(email="granne@example.se"),
    )
    add_inbound_message(own_case, "Lampan blinkar hela natten", channel="webform")
    add_inbound_message(other_case, "Ingen ska se detta meddelande", channel="webform")
    users = {
        "handlaggare": make_user(Role.HANDLAGGARE, [own], name="Anna Handläggare"),
        "enhetschef": make_user(Role.ENHETSCHEF, [own], name="Erik Chef"),
        "registrator": make_user(Role.REGISTRATOR, [own], name="Rut Registrator"),
        "admin": make_user(Role.ADMIN, [own], name="Ada Admin"),
    }
    return World(own, other, own_case, other_case, users)
