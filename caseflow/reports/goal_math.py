"""Growth, projection and status of a goal: pure arithmetic, no database.

Growth is (current − baseline) / baseline × 100 with one decimal, undefined when the baseline
is 0 (or missing). A goal is *met* when its growth reaches the target change in its direction;
otherwise *on track* when the linear projection to the end of the target period reaches it
while the period is still running; otherwise *behind*.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MET = "met"
ON_TRACK = "on_track"
BEHIND = "behind"
NOT_STARTED = "not_started"
UNDEFINED = "undefined"

STATUS_LABELS = {
    MET: ("Uppnått", "Met"),
    ON_TRACK: ("På väg", "On track"),
    BEHIND: ("Efter", "Behind"),
    NOT_STARTED: ("Ej påbörjat", "Not started"),
    UNDEFINED: ("Kan inte beräknas", "Undefined"),
}


def one_decimal(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def growth(baseline: float | None, current: float | None) -> float | None:
    """Percent change with one decimal; ``None`` (undefined) when the baseline is 0."""
    if baseline is None or current is None or baseline == 0:
        return None
    exact = (Decimal(str(current)) - Decimal(str(baseline))) / Decimal(str(baseline)) * 100
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def reaches(growth_pct: float | None, target_change: float, direction: str) -> bool:
    """Does a growth reach the target? A zero target means "any change in the direction"."""
    if growth_pct is None:
        return False
    if direction == "decrease":
        return growth_pct <= target_change if target_change else growth_pct < 0
    return growth_pct >= target_change if target_change else growth_pct > 0


def target_value(baseline: float | None, target_change: float) -> float | None:
    if baseline is None:
        return None
    return baseline * (1 + target_change / 100)


def project_flow(partial: float, start: date, end: date, as_of: date) -> float:
    """A sum over ``start..as_of`` scaled to the whole period ``start..end``."""
    elapsed = (min(as_of, end) - start).days + 1
    total_days = (end - start).days + 1
    return partial * total_days / elapsed if elapsed > 0 else partial


def project_stock(
    baseline: float, baseline_at: date, current: float, as_of: date, end: date
) -> float:
    """The straight line from the baseline reading through today's reading, read at ``end``."""
    elapsed = (as_of - baseline_at).days
    if elapsed <= 0:
        return current
    return baseline + (current - baseline) * (end - baseline_at).days / elapsed


def status(
    *,
    baseline: float | None,
    current: float | None,
    projected: float | None,
    target_change: float,
    direction: str,
    target_start: date,
    target_end: date,
    as_of: date,
) -> str:
    if as_of < target_start:
        return NOT_STARTED
    g = growth(baseline, current)
    if g is None:
        return UNDEFINED
    if reaches(g, target_change, direction):
        return MET
    if as_of < target_end and reaches(growth(baseline, projected), target_change, direction):
        return ON_TRACK
    return BEHIND


def progress(baseline: float | None, current: float | None, target_change: float) -> float | None:
    """How much of the targeted change has been achieved, in percent (one decimal)."""
    if baseline is None or current is None or baseline == 0 or target_change == 0:
        return None
    wanted = baseline * target_change / 100
    return one_decimal((current - baseline) / wanted * 100)
