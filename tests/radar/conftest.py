"""A small sales organisation for radar tests: a VP, two managers, their reps, key accounts."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def org(make):
    """vp → maria → ana, raj; vp → tom → lena; plus an admin and an outsider."""
    admin = make.user("admin@example.com", "Alex Admin", admin=True)
    vp = make.user("vp@example.com", "Vera Price")
    maria = make.user("maria@example.com", "Maria Lopez", manager=vp)
    tom = make.user("tom@example.com", "Tom Becker", manager=vp)
    ana = make.user("ana@example.com", "Ana Silva", manager=maria)
    raj = make.user("raj@example.com", "Raj Patel", manager=maria)
    lena = make.user("lena@example.com", "Lena Fischer", manager=tom)
    outsider = make.user("olga@example.com", "Olga Outside")
    acme = make.record("account", "Acme", owner=ana, tier="Key")
    initech = make.record("account", "Initech", owner=ana, tier="Standard")
    stark = make.record("account", "Stark", owner=raj, tier="Key")
    globex = make.record("account", "Globex", owner=lena, tier="Key")
    deal = make.record("opportunity", "Acme renewal", owner=ana, account=acme, stage="Proposal")
    return SimpleNamespace(
        admin=admin,
        vp=vp,
        maria=maria,
        tom=tom,
        ana=ana,
        raj=raj,
        lena=lena,
        outsider=outsider,
        acme=acme,
        initech=initech,
        stark=stark,
        globex=globex,
        deal=deal,
    )


@pytest.fixture
def log_visit(api_as):
    """log_visit(rep, account, **body) → the created visit's JSON, through POST /visits."""

    def log(rep, account, **body):
        response = api_as(rep).post("/visits", json={"account_id": account.id, **body})
        assert response.status_code == 201, response.json
        return response.json

    return log


from tests.web.conftest import signed_in  # noqa: E402, F401  (a browser-like signed-in client)
