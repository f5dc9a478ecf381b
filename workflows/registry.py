"""All loaded workflow definitions, every version of every key.

A case pins the key and version it was opened with, so an old version stays loadable for as
long as cases use it, while ``latest`` is what new cases get. Ship a new version as a new file
(``arende.v2.toml``) next to the old one instead of editing the old one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from workflows.errors import DuplicateVersion, UnknownWorkflow
from workflows.loader import load_file
from workflows.model import Definition

DEFINITIONS_DIR = Path(__file__).parent / "definitions"


class Registry:
    """An immutable set of definitions, looked up by key and version."""

    def __init__(self, definitions: Iterable[Definition] = ()) -> None:
        self._by_key: dict[str, dict[int, Definition]] = {}
        for definition in definitions:
            versions = self._by_key.setdefault(definition.key, {})
            if definition.version in versions:
                raise DuplicateVersion(f"{definition} is defined twice.")
            versions[definition.version] = definition

    @classmethod
    def from_directory(cls, path: str | Path) -> Registry:
        """Load every ``<key>.v<version>.toml`` in ``path``."""
        return cls(load_file(p) for p in sorted(Path(path).glob("*.toml")))

    def get(self, key: str, version: int) -> Definition:
        """The exact version a case pinned; ``UnknownWorkflow`` (a ``KeyError``) if missing."""
        try:
            return self._by_key[key][version]
        except KeyError:
            raise UnknownWorkflow(f"No workflow {key!r} version {version}.") from None

    def latest(self, key: str) -> Definition:
        """The version new cases get."""
        versions = self._by_key.get(key)
        if not versions:
            raise UnknownWorkflow(f"No workflow {key!r}.")
        return versions[max(versions)]

    def versions(self, key: str) -> list[int]:
        return sorted(self._by_key.get(key, {}))

    def keys(self) -> list[str]:
        return sorted(self._by_key)

    def all(self) -> list[Definition]:
        """Every version of every key, ordered by key, then version."""
        return [self._by_key[k][v] for k in self.keys() for v in self.versions(k)]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[str]:
        """Keys, like a mapping; ``all()`` gives the definitions."""
        return iter(self.keys())

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())


@functools.cache
def default_registry() -> Registry:
    """The shipped definitions, loaded (and validated) once on first use."""
    return Registry.from_directory(DEFINITIONS_DIR)
