"""``flask caseflow ...``: worker, cron, sweep, seed-demo, create-user."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from caseflow.extensions import db

cli = AppGroup("caseflow", help="Caseflow operations.")


@cli.command("worker")
@click.option("--queue", "queues", multiple=True, help="Queue names (default: all).")
@click.option("--burst", is_flag=True, help="Drain the queues, then exit.")
@click.option("--fork", is_flag=True, help="Fork a work horse per job (RQ's default worker).")
def worker_command(queues: tuple[str, ...], burst: bool, fork: bool) -> None:
    """Run an RQ worker (with RQ's scheduler for retries and delayed jobs)."""
    from caseflow.worker import make_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("CASEFLOW_REDIS_URL is not set: jobs run inline, no worker.")
    db.session.remove()
    make_worker(app, list(queues) or None, fork=fork).work(burst=burst, with_scheduler=True)


@cli.command("cron")
def cron_command() -> None:
    """Enqueue the periodic jobs (sweeper, deadlines, rollups) on their intervals."""
    from rq.cron import CronScheduler

    from caseflow.jobs import get_redis, periodic_jobs, queue_name, resolve

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("CASEFLOW_REDIS_URL is not set.")
    scheduler = CronScheduler(connection=get_redis(app))
    for job in periodic_jobs(app).values():
        scheduler.register(
            resolve(job.func), queue_name(app, job.queue), interval=job.every_seconds, name=job.name
        )
    scheduler.start()


@cli.command("sweep")
def sweep_command() -> None:
    """Re-enqueue work that a crash or a Redis outage left behind."""
    from caseflow.jobs import run_sweepers

    for name, count in run_sweepers().items():
        click.echo(f"{name}: re-enqueued {count}")


@cli.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True, help="The password, or - to read it from stdin.")
@click.option("--role", required=True)
@click.option("--name", default=None)
@click.option("--unit", "units", multiple=True, help="Unit register prefix (repeatable).")
def create_user_command(
    email: str, password: str, role: str, name: str | None, units: tuple[str, ...]
) -> None:
    """Create a staff account."""
    from caseflow.auth.services import create_user
    from caseflow.errors import DomainError

    if password == "-":
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(
            email=email, password=password, role=role, name=name, unit_prefixes=units
        )
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from exc
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@cli.command("seed-demo")
@click.option("--cases", default=300, show_default=True)
@click.option("--force", is_flag=True, help="Seed even when data exists.")
def seed_demo_command(cases: int, force: bool) -> None:
    """Demo units, users, e-services, cases and two years of usage events."""
    from caseflow.demo import seed_demo

    result = seed_demo(n_cases=cases, force=force)
    if result is None:
        click.echo("Demo data already present; nothing done (use --force to add more).")
        return
    db.session.commit()
    click.echo(f"Seeded {result.cases} cases, {result.usage_events} usage events.")
    click.echo("Demo sign-ins (password for all: caseflow-demo):")
    for email, role, units in result.users:
        click.echo(f"  {email:32} {role:12} {units}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(cli)
