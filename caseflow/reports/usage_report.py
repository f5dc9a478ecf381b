"""The usage report's rows, with the JSON of closed periods kept between requests.

A year by e-service is about 800 rows, and building and encoding them cost more than the SQL
behind them. The rows of a period that no live (raw) count touches change only when the
rollups or the labels change, so their JSON is kept per rollup generation, day and labels;
each request builds only the rows of the periods that today's events touch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app

from caseflow.reports import rollup_cache
from caseflow.reports.case_kpis import dimension_labels
from caseflow.reports.periods import period_label, today
from caseflow.reports.usage_queries import RolledCounts, rolled_and_live

#: JSON as ``jsonify`` writes it outside debug mode.
COMPACT = (",", ":")


@dataclass(frozen=True)
class UsageReport:
    """Counts of a metric per period and key: rolled-up and live parts, and their labels."""

    metrics: tuple[str, ...]
    first: date
    last: date
    by: str
    group: str
    rolled: RolledCounts
    live: Counter[tuple[date, str]]
    labels: dict[str, str]

    @property
    def total(self) -> int:
        return self.rolled.total + sum(self.live.values())

    def rows(self) -> list[dict[str, Any]]:
        """Every row in (period, key) order."""
        series = Counter(self.rolled.counts)
        series.update(self.live)
        return [self._row(start, key, n) for (start, key), n in sorted(series.items())]

    def items_json(self) -> str:
        """``rows()`` as a JSON array: cached text for closed periods, fresh for live ones."""
        closed = rollup_cache.cached(
            (
                "usage-json",
                self.metrics,
                self.by,
                self.group,
                self.first,
                self.last,
                today(),
                tuple(sorted(self.labels.items())),
            ),
            self._closed_json,
            size=lambda _periods: len(self.rolled.counts),
        )
        live_periods: dict[date, list[str]] = {}
        for start, key in self.live:
            live_periods.setdefault(start, []).append(key)
        parts = []
        for start in sorted(closed.keys() | live_periods.keys()):
            if start not in live_periods:
                parts.append(closed[start])
                continue
            counts = dict(self.rolled.by_period.get(start, {}))
            for key in live_periods[start]:
                counts[key] = counts.get(key, 0) + self.live[(start, key)]
            parts.append(_fragment([self._row(start, key, counts[key]) for key in sorted(counts)]))
        return "[" + ",".join(parts) + "]"

    def _closed_json(self) -> dict[date, str]:
        return {
            start: _fragment([self._row(start, key, counts[key]) for key in sorted(counts)])
            for start, counts in self.rolled.by_period.items()
        }

    def _row(self, start: date, key: str, n: int) -> dict[str, Any]:
        return {
            "period": period_label(start, self.group),
            "period_start": start.isoformat(),
            "key": key,
            "label": self.labels.get(key, key),
            "count": n,
        }


def usage_report(
    metrics: Sequence[str], first: date, last: date, *, by: str, group: str
) -> UsageReport:
    """Counts of ``metrics`` (summed) per ``group`` period and ``by`` key, with labels."""
    rolled, live = rolled_and_live(metrics, first, last, by, group)
    keys = rolled.keys | {key for _start, key in live}
    return UsageReport(
        metrics=tuple(metrics),
        first=first,
        last=last,
        by=by,
        group=group,
        rolled=rolled,
        live=live,
        labels=dimension_labels(by, keys),
    )


def _fragment(rows: list[dict[str, Any]]) -> str:
    """Rows as JSON array items without the brackets, encoded as ``jsonify`` would."""
    return current_app.json.dumps(rows, separators=COMPACT)[1:-1]
