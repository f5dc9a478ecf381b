"""``flask caseflow rollup`` and ``flask caseflow matomo-import``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import click

from caseflow.extensions import db


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


@click.command("rollup")
@click.option("--day", help="Roll up one local day (YYYY-MM-DD) again, e.g. after late events.")
@click.option("--from", "first", help="First day of a range to roll up (with --to).")
@click.option("--to", "last", help="Last day of the range (default: yesterday).")
def rollup_command(day: str | None, first: str | None, last: str | None) -> None:
    """Fill the daily rollup table: missing and recent days, or the days given."""
    from caseflow.errors import DomainError
    from caseflow.reports.periods import today
    from caseflow.reports.rollup import purge_visitor_digests, rollup_day, run_rollups

    if day is None and first is None:
        result = run_rollups()
        click.echo(f"Rolled up {result['days']} days ({result['rows']} rows).")
        return
    start = _date(day or first)
    end = _date(day) if day else (_date(last) or today() - timedelta(days=1))
    assert start is not None and end is not None
    if end < start:
        raise click.BadParameter("--to is before --from")
    rows, d, started = 0, start, datetime.now()
    try:
        while d <= end:
            rows += rollup_day(d)
            d += timedelta(days=1)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    purge_visitor_digests()
    db.session.commit()
    seconds = (datetime.now() - started).total_seconds()
    click.echo(f"Rolled up {start}..{end}: {rows} rows in {seconds:.2f}s.")


@click.command("matomo-import")
@click.option("--from", "first", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "last", help="Last day (default: the first).")
def matomo_import_command(first: str, last: str | None) -> None:
    """Import daily visits from Matomo for a range of days (idempotent per day)."""
    from caseflow.reports.matomo import MatomoError, import_days

    start = _date(first)
    end = _date(last) or start
    assert start is not None and end is not None
    try:
        days = import_days(start, end)
    except MatomoError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Imported {days} days of Matomo visits.")
