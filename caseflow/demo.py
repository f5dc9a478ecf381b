"""Demo data for ``make run``: enough to click through every screen and report."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from caseflow.auth.models import User
from caseflow.auth.services import create_user
from caseflow.cases.services import open_case
from caseflow.citizens.models import Citizen
from caseflow.db import utcnow
from caseflow.enums import Channel, Role
from caseflow.eservices.models import EService
from caseflow.extensions import db
from caseflow.units.models import Unit
from caseflow.units.services import create_unit
from caseflow.usage.models import UsageEvent

DEMO_PASSWORD = "caseflow-demo"

UNITS = [
    ("Kommunstyrelsen", "KS"),
    ("Stadsbyggnadsförvaltningen", "SBF"),
    ("Gatu- och samhällsmiljöförvaltningen", "GSF"),
    ("Utbildningsförvaltningen", "UBF"),
]

USERS = [
    ("admin@demo.caseflow.se", Role.ADMIN, ["KS"]),
    ("registrator@demo.caseflow.se", Role.REGISTRATOR, ["KS"]),
    ("chef.gsf@demo.caseflow.se", Role.ENHETSCHEF, ["GSF"]),
    ("anna.gsf@demo.caseflow.se", Role.HANDLAGGARE, ["GSF"]),
    ("erik.sbf@demo.caseflow.se", Role.HANDLAGGARE, ["SBF"]),
    ("sara.ks@demo.caseflow.se", Role.HANDLAGGARE, ["KS", "UBF"]),
]

_TEXT_FIELD = {
    "name": "beskrivning",
    "type": "textarea",
    "required": True,
    "label_sv": "Beskriv ärendet",
    "label_en": "Describe your errand",
}
_EMAIL_FIELD = {
    "name": "epost",
    "type": "email",
    "required": False,
    "label_sv": "E-postadress",
    "label_en": "E-mail address",
}

ESERVICES = [
    (
        "felanmalan-gata",
        "Felanmälan gata och park",
        "Report a street or park fault",
        "GSF",
        "felanmalan",
        5,
        [
            _TEXT_FIELD,
            {
                "name": "plats",
                "type": "address",
                "required": True,
                "label_sv": "Plats",
                "label_en": "Location",
            },
            _EMAIL_FIELD,
        ],
    ),
    (
        "synpunkt",
        "Lämna en synpunkt",
        "Give feedback",
        "KS",
        "arende",
        10,
        [_TEXT_FIELD, _EMAIL_FIELD],
    ),
    (
        "fraga-bygglov",
        "Fråga om bygglov",
        "Ask about building permits",
        "SBF",
        "fraga",
        5,
        [_TEXT_FIELD, _EMAIL_FIELD],
    ),
    (
        "ansokan-skolskjuts",
        "Ansökan om skolskjuts",
        "Apply for school transport",
        "UBF",
        "arende",
        15,
        [
            _TEXT_FIELD,
            _EMAIL_FIELD,
            {
                "name": "personnummer",
                "type": "personnummer",
                "required": True,
                "label_sv": "Elevens personnummer",
                "label_en": "Pupil's personal number",
            },
        ],
    ),
    (
        "kontakt",
        "Kontakta kommunen",
        "Contact the municipality",
        "KS",
        "fraga",
        3,
        [_TEXT_FIELD, _EMAIL_FIELD],
    ),
]

TITLES = [
    "Trasig gatlykta",
    "Hål i asfalten",
    "Nedskräpning i parken",
    "Fråga om bygglov för altan",
    "Synpunkt på snöröjningen",
    "Klotter på busskur",
    "Skolskjuts till ny adress",
    "Fråga om öppettider",
    "Trasig gunga på lekplatsen",
    "Buller från byggarbetsplats",
]

CHANNEL_WEIGHTS = [
    (Channel.WEBFORM, 50),
    (Channel.FACEBOOK, 12),
    (Channel.MESSENGER, 8),
    (Channel.INSTAGRAM, 4),
    (Channel.X, 3),
    (Channel.EMAIL, 10),
    (Channel.PHONE, 10),
    (Channel.VISIT, 3),
]


@dataclass
class SeedResult:
    cases: int = 0
    usage_events: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)


def seed_demo(n_cases: int = 300, force: bool = False, seed: int = 2011) -> SeedResult | None:
    """Create demo data once; returns None when it is already there (unless ``force``)."""
    if not force and db.session.execute(sa.select(Unit.id).limit(1)).first():
        return None
    rng = random.Random(seed)
    result = SeedResult()
    units = {prefix: _unit(name, prefix) for name, prefix in UNITS}
    for email, role, prefixes in USERS:
        if not db.session.execute(sa.select(User.id).where(User.email == email)).first():
            create_user(
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                unit_prefixes=prefixes,
                name=email.split("@")[0].replace(".", " ").title(),
            )
        result.users.append((email, role.value, ", ".join(prefixes)))
    now = utcnow()
    eservices = [_eservice(spec, units, now, rng) for spec in ESERVICES]
    channels = [c for c, _ in CHANNEL_WEIGHTS]
    weights = [w for _, w in CHANNEL_WEIGHTS]
    for i in range(n_cases):
        eservice = rng.choice(eservices)
        channel = rng.choices(channels, weights)[0]
        opened = now - timedelta(days=rng.uniform(0, 400))
        citizen = Citizen(name=f"Demo Medborgare {i}", email=f"medborgare{i}@example.se")
        db.session.add(citizen)
        open_case(
            unit=eservice.unit,
            title=rng.choice(TITLES),
            description="Demoärende skapat av seed-demo.",
            channel=channel,
            eservice=eservice if channel is Channel.WEBFORM else None,
            workflow_key=eservice.workflow_key,
            citizen=citizen,
            opened_at=opened,
            sla_days=eservice.handling_days,
        )
        result.cases += 1
    result.usage_events = _usage(eservices, now, rng)
    from caseflow.reports.demo import seed_goal_demo

    seed_goal_demo(now, rng, eservices)
    from caseflow.social.demo import seed_social_demo

    seed_social_demo(now)
    db.session.flush()
    return result


def _unit(name: str, prefix: str) -> Unit:
    existing = db.session.execute(sa.select(Unit).where(Unit.prefix == prefix)).scalar_one_or_none()
    return existing or create_unit(name=name, prefix=prefix)


def _eservice(spec: tuple, units: dict[str, Unit], now, rng: random.Random) -> EService:
    slug, title_sv, title_en, prefix, workflow, days, form = spec
    existing = db.session.execute(
        sa.select(EService).where(EService.slug == slug)
    ).scalar_one_or_none()
    if existing:
        return existing
    eservice = EService(
        slug=slug,
        title_sv=title_sv,
        title_en=title_en,
        unit=units[prefix],
        unit_id=units[prefix].id,
        workflow_key=workflow,
        handling_days=days,
        form={"fields": form},
        published_at=now - timedelta(days=rng.randint(30, 900)),
    )
    db.session.add(eservice)
    db.session.flush()
    return eservice


def _usage(eservices: list[EService], now, rng: random.Random) -> int:
    """Two years of daily usage with growth, so goal reports have a story to tell."""
    rows = []
    for day in range(730, 0, -1):
        at = now - timedelta(days=day)
        growth = 1 + (730 - day) / 730 * 0.3
        for eservice in eservices:
            views = int(rng.randint(3, 8) * growth)
            rows += [
                {
                    "kind": "eservice_view",
                    "eservice_id": eservice.id,
                    "channel": "webform",
                    "unit_id": eservice.unit_id,
                    "occurred_at": at,
                }
            ] * views
            rows += [
                {
                    "kind": "form_submitted",
                    "eservice_id": eservice.id,
                    "channel": "webform",
                    "unit_id": eservice.unit_id,
                    "occurred_at": at,
                }
            ] * max(1, views // 4)
        for channel in (Channel.FACEBOOK, Channel.MESSENGER, Channel.INSTAGRAM, Channel.X):
            rows += [
                {
                    "kind": "social_inbound",
                    "eservice_id": None,
                    "channel": channel.value,
                    "unit_id": None,
                    "occurred_at": at,
                }
            ] * int(rng.randint(0, 4) * growth)
    db.session.execute(sa.insert(UsageEvent), rows)
    return len(rows)
