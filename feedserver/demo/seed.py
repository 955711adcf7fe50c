"""A believable small sales organisation with a few weeks of history, for first-run demos."""

import random
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from feedserver.auth.users import create_user
from feedserver.extensions import db
from feedserver.feed.follows import follow
from feedserver.models import User
from feedserver.records.apply import apply_change
from feedserver.records.changes import RecordChange
from feedserver.records.types import ensure_record_types

MANAGERS = [
    ("maria.lopez@example.com", "Maria Lopez", "Sales Manager, Enterprise", "Enterprise Sales"),
    ("tom.becker@example.com", "Tom Becker", "Sales Manager, Mid-Market", "Mid-Market Sales"),
]
REPS = [
    ("ana.silva@example.com", "Ana Silva", 0),
    ("raj.patel@example.com", "Raj Patel", 0),
    ("chloe.martin@example.com", "Chloé Martin", 0),
    ("kenji.sato@example.com", "Kenji Sato", 0),
    ("lena.fischer@example.com", "Lena Fischer", 1),
    ("omar.haddad@example.com", "Omar Haddad", 1),
    ("grace.okafor@example.com", "Grace Okafor", 1),
    ("david.kim@example.com", "David Kim", 1),
]
ACCOUNTS = [
    ("Acme Manufacturing", "Manufacturing", "Key"),
    ("Globex Logistics", "Logistics", "Key"),
    ("Initech Software", "Software", "Standard"),
    ("Umbrella Health", "Healthcare", "Key"),
    ("Stark Industries", "Manufacturing", "Key"),
    ("Wayne Enterprises", "Conglomerate", "Key"),
    ("Hooli", "Software", "Standard"),
    ("Vandelay Imports", "Retail", "Standard"),
    ("Soylent Foods", "Food & Beverage", "Standard"),
    ("Cyberdyne Systems", "Robotics", "Key"),
    ("Wonka Confectionery", "Food & Beverage", "Standard"),
    ("Tyrell Biotech", "Biotech", "Key"),
    ("Oceanic Airlines", "Travel", "Standard"),
    ("Massive Dynamic", "Research", "Key"),
    ("Aperture Labs", "Research", "Standard"),
    ("Nakatomi Trading", "Finance", "Key"),
    ("Pied Piper", "Software", "Standard"),
    ("Blue Sun Retail", "Retail", "Standard"),
    ("Monarch Energy", "Energy", "Key"),
    ("Gringotts Finance", "Finance", "Standard"),
]
STAGES = [
    ("Prospecting", 10),
    ("Qualification", 20),
    ("Needs Analysis", 35),
    ("Proposal", 55),
    ("Negotiation", 75),
    ("Closed Won", 100),
    ("Closed Lost", 0),
]
DEAL_KINDS = ["renewal", "expansion", "new platform", "pilot", "multi-year agreement"]
CONTACT_NAMES = [
    "Priya Nair",
    "Jonas Berg",
    "Sofia Rossi",
    "Liam O'Brien",
    "Mei Chen",
    "Carlos Mendez",
    "Amara Diallo",
    "Noah Williams",
    "Eva Novak",
    "Yusuf Demir",
    "Hannah Schmidt",
    "Lucas Dubois",
]
CASE_SUBJECTS = [
    "Integration sync failing nightly",
    "Invoice discrepancy Q3",
    "SSO login errors",
    "Request for onboarding session",
    "Data export timing out",
]
VISIT_PURPOSES = [
    "Quarterly business review",
    "Executive sponsor meeting",
    "Discovery workshop",
    "Contract negotiation",
    "Product demo on site",
]


def seed(days: int = 21, rng_seed: int = 7) -> str:
    """Create the demo organisation and replay `days` of CRM activity into the feeds."""
    rng = random.Random(rng_seed)
    password = current_app.config["DEMO_PASSWORD"]
    ensure_record_types()
    start = datetime.now(UTC) - timedelta(days=days)

    create_user(
        "admin@example.com",
        "Alex Admin",
        password,
        title="CRM Administrator",
        department="Operations",
        is_admin=True,
    )
    vp = create_user(
        "vp@example.com", "Vera Price", password, title="VP of Sales", department="Sales"
    )
    managers = [
        create_user(e, n, password, title=t, department=d, manager=vp) for e, n, t, d in MANAGERS
    ]
    reps = [
        create_user(
            e,
            n,
            password,
            title="Account Executive",
            department=managers[m].department,
            manager=managers[m],
        )
        for e, n, m in REPS
    ]

    # Who follows whom: the reporting line, plus a few colleagues across teams.
    for manager in managers:
        follow(vp, "user", manager.id)
        for rep in reps:
            if rep.manager_id == manager.id:
                follow(manager, "user", rep.id)
    for rep in reps:
        for peer in rng.sample([r for r in reps if r.id != rep.id], 2):
            follow(rep, "user", peer.id)

    when = iter(_timeline(start, days, rng))
    accounts = []
    for name, industry, tier in ACCOUNTS:
        owner = rng.choice(reps)
        accounts.append(
            _apply(
                RecordChange(
                    action="create",
                    record_type="account",
                    actor_id=owner.id,
                    name=name,
                    owner_id=owner.id,
                    fields={
                        "industry": industry,
                        "tier": tier,
                        "status": "Active",
                        "annual_revenue": rng.randrange(5, 500) * 1_000_000,
                    },
                    occurred_at=next(when),
                )
            )
        )
    for account in accounts:
        if account.fields["tier"] == "Key":
            follow(vp, "record", account.id)
        follow(_user(account.owner_id), "record", account.id)

    contacts = []
    for i, contact_name in enumerate(CONTACT_NAMES * 2):
        account = accounts[i % len(accounts)]
        contacts.append(
            _apply(
                RecordChange(
                    action="create",
                    record_type="contact",
                    actor_id=account.owner_id,
                    name=contact_name
                    if i < len(CONTACT_NAMES)
                    else f"{contact_name} ({account.name})",
                    owner_id=account.owner_id,
                    account_id=account.id,
                    fields={
                        "title": rng.choice(["CIO", "Head of Procurement", "VP Operations", "CFO"]),
                        "email": f"contact{i}@{account.name.split()[0].lower()}.example",
                    },
                    occurred_at=next(when),
                )
            )
        )

    deals = []
    for i in range(40):
        account = accounts[i % len(accounts)]
        stage, probability = STAGES[rng.randrange(0, 4)]
        deal = _apply(
            RecordChange(
                action="create",
                record_type="opportunity",
                actor_id=account.owner_id,
                name=f"{account.name} {DEAL_KINDS[i % len(DEAL_KINDS)]}",
                owner_id=account.owner_id,
                account_id=account.id,
                fields={
                    "stage": stage,
                    "probability": probability,
                    "amount": rng.randrange(20, 400) * 1000,
                    "close_date": (
                        date.today() + timedelta(days=rng.randrange(10, 120))
                    ).isoformat(),
                },
                occurred_at=next(when),
            )
        )
        deals.append(deal)
        if rng.random() < 0.3:
            follow(rng.choice(managers), "record", deal.id)

    # Weeks of movement: deals advance, amounts change, cases open, visits are logged.
    for _ in range(70):
        deal = rng.choice(deals)
        stage_index = [s for s, _ in STAGES].index(deal.fields["stage"])
        if stage_index >= 5:
            continue
        fields = {}
        if rng.random() < 0.7:
            next_index = 5 if stage_index == 4 and rng.random() < 0.6 else min(stage_index + 1, 6)
            if stage_index == 4 and next_index != 5:
                next_index = 6 if rng.random() < 0.3 else 4
            fields["stage"], fields["probability"] = STAGES[next_index]
        if rng.random() < 0.4:
            fields["amount"] = int(deal.fields["amount"] * rng.choice([0.8, 1.1, 1.25, 1.5]))
        if fields:
            _apply(
                RecordChange(
                    action="update",
                    record_type="opportunity",
                    record_id=deal.id,
                    actor_id=deal.owner_id,
                    fields=fields,
                    occurred_at=next(when),
                )
            )
    for i, subject in enumerate(CASE_SUBJECTS):
        account = accounts[(i * 3) % len(accounts)]
        case = _apply(
            RecordChange(
                action="create",
                record_type="case",
                actor_id=account.owner_id,
                name=subject,
                owner_id=account.owner_id,
                account_id=account.id,
                fields={
                    "subject": subject,
                    "status": "Open",
                    "priority": "Medium",
                    "escalated": False,
                },
                occurred_at=next(when),
            )
        )
        if i % 2 == 0:
            _apply(
                RecordChange(
                    action="update",
                    record_type="case",
                    record_id=case.id,
                    actor_id=account.owner_id,
                    fields={"priority": "High", "escalated": True},
                    occurred_at=next(when),
                )
            )
    for i in range(12):
        rep = reps[i % len(reps)]
        account = rng.choice([a for a in accounts if a.owner_id == rep.id] or accounts)
        at = next(when)
        _apply(
            RecordChange(
                action="create",
                record_type="visit",
                actor_id=rep.id,
                name=f"Visit: {account.name}",
                owner_id=rep.id,
                account_id=account.id,
                fields={
                    "purpose": VISIT_PURPOSES[i % len(VISIT_PURPOSES)],
                    "status": "Completed",
                    "check_in_at": at.isoformat(),
                    "outcome": rng.choice(
                        ["Agreed next steps", "Sponsor confirmed budget", "Follow-up demo booked"]
                    ),
                },
                occurred_at=at,
            )
        )

    return (
        f"Demo data: {2 + len(managers) + len(reps)} people, {len(accounts)} accounts, "
        f"{len(deals)} opportunities, {len(contacts)} contacts, {len(CASE_SUBJECTS)} cases, "
        f"12 visits.\nSign in as vp@example.com (or admin@example.com, any rep) "
        f"with password '{password}'."
    )


def _timeline(start: datetime, days: int, rng: random.Random):
    """Increasing timestamps in working hours, paced so the history reaches the present."""
    moment = start
    end = start + timedelta(days=days)
    while True:
        # About 70 minutes apart: ~180 seeded events fill three weeks of working days.
        moment += timedelta(minutes=rng.randrange(40, 100))
        if moment.hour >= 18:
            moment = (moment + timedelta(days=1)).replace(hour=8, minute=rng.randrange(0, 59))
        yield min(moment, end - timedelta(minutes=1))


def _apply(change: RecordChange):
    return apply_change(change).record


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)
