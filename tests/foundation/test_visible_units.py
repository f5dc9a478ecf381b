"""Which units a user works in: their own, or every unit for roles that see all units."""

from __future__ import annotations

import pytest

from caseflow.auth.access import visible_units
from caseflow.enums import Role
from tests.factories import make_unit, make_user


def test_a_caseworker_sees_only_their_units_by_prefix() -> None:
    second, first, other = make_unit("VUB"), make_unit("VUA"), make_unit("VUC")
    worker = make_user(Role.HANDLAGGARE, [second, first])
    assert [u.prefix for u in visible_units(worker)] == ["VUA", "VUB"]
    assert other not in visible_units(worker)


@pytest.mark.parametrize("role", [Role.REGISTRATOR, Role.ADMIN])
def test_roles_that_see_all_units_get_every_unit(role: Role) -> None:
    own, other = make_unit("VUD"), make_unit("VUE")
    prefixes = [u.prefix for u in visible_units(make_user(role, [own]))]
    assert {"VUD", "VUE"} <= set(prefixes)
    assert prefixes == sorted(prefixes)
    assert other.prefix in prefixes
