"""A deal's tracked change reaches exactly the people who follow something it touches."""


def _home_summaries(api):
    response = api.get("/feed/home")
    assert response.status_code == 200, response.json
    return [item["summary"] for item in response.json["items"]]


def test_stage_change_reaches_followers_of_deal_owner_and_account_only(make, api_as):
    vp = make.user("vp@example.com", "Vera Price")
    rep = make.user("rep@example.com", "Raj Patel", manager=vp)
    deal_fan = make.user("fan@example.com", "Dana Fan")
    owner_fan = make.user("ownerfan@example.com", "Olga Fan")
    account_fan = make.user("acctfan@example.com", "Ada Fan")
    stranger = make.user("stranger@example.com", "Sam Stranger")

    acme = make.record("account", "Acme Corp", owner=rep)
    deal = make.record(
        "opportunity", "Acme renewal", owner=rep, account=acme, stage="Negotiation", amount=120000
    )
    make.follow(deal_fan, deal)
    make.follow(owner_fan, rep)
    make.follow(account_fan, acme)
    make.follow(vp, deal)

    response = api_as(vp).patch(f"/records/{deal.id}", json={"fields": {"stage": "Closed Won"}})
    assert response.status_code == 200, response.json
    assert response.json["fields"]["stage"] == "Closed Won"

    for follower in (deal_fan, owner_fan, account_fan):
        summaries = _home_summaries(api_as(follower))
        assert summaries[0] == (
            "Vera Price updated opportunity Acme renewal: stage Negotiation → Closed Won"
        )
        item = api_as(follower).get("/feed/home").json["items"][0]
        assert item["changes"] == [{"field": "stage", "old": "Negotiation", "new": "Closed Won"}]
        assert item["actor"]["name"] == "Vera Price"
        assert item["object"] == {
            "kind": "record",
            "id": deal.id,
            "name": "Acme renewal",
            "type": "opportunity",
        }
    assert not any("Closed Won" in s for s in _home_summaries(api_as(vp)))
    assert _home_summaries(api_as(stranger)) == []


def test_each_recipient_gets_the_item_once_even_when_following_several_paths(make, api_as):
    rep = make.user("rep@example.com")
    boss = make.user("boss@example.com")
    fan = make.user("fan@example.com")
    acme = make.record("account", "Acme", owner=rep)
    deal = make.record("opportunity", "Deal", owner=rep, account=acme, stage="Prospecting")
    for subject in (deal, acme, rep):
        make.follow(fan, subject)

    api_as(boss).patch(f"/records/{deal.id}", json={"fields": {"stage": "Qualification"}})

    items = api_as(fan).get("/feed/home").json["items"]
    assert [i["changes"] for i in items] == [
        [{"field": "stage", "old": "Prospecting", "new": "Qualification"}]
    ]


def test_untracked_field_change_updates_record_quietly(make, api_as, app):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, stage="Prospecting")
    make.follow(fan, deal)

    response = api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"internal_note": "x"}})

    assert response.status_code == 200
    assert response.json["fields"]["internal_note"] == "x"
    assert response.json["version"] == 2
    assert api_as(fan).get("/feed/home").json["items"] == []


def test_inbox_seq_strictly_increases_per_recipient(make, api_as):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, amount=1)
    make.follow(fan, deal)
    for amount in range(2, 7):
        api_as(rep).patch(f"/records/{deal.id}", json={"fields": {"amount": amount}})

    seqs = [item["seq"] for item in api_as(fan).get("/feed/home").json["items"]]

    assert seqs == [5, 4, 3, 2, 1]


def test_a_number_sent_as_text_is_not_a_change(make, api_as):
    rep = make.user("rep@example.com")
    fan = make.user("fan@example.com")
    deal = make.record("opportunity", "Deal", owner=rep, amount=180000, stage="Proposal")
    make.follow(fan, deal)

    api_as(rep).patch(
        f"/records/{deal.id}", json={"fields": {"amount": "180000.0", "stage": "Negotiation"}}
    )

    changes = api_as(fan).get("/feed/home").json["items"][0]["changes"]
    assert changes == [{"field": "stage", "old": "Proposal", "new": "Negotiation"}]


def test_managers_above_the_owner_get_the_change_even_when_the_line_loops(app, make, api_as):
    import sqlalchemy as sa

    from feedserver.extensions import db
    from feedserver.models import User

    vp = make.user("vp@example.com", "Vera Price")
    lead = make.user("lead@example.com", "Lee Lead", manager=vp)
    rep = make.user("rep@example.com", "Raj Patel", manager=lead)
    peer = make.user("peer@example.com", "Pat Peer")
    with app.app_context():  # as a directory sync may leave it: the VP reporting to the rep
        db.session.execute(sa.update(User).where(User.id == vp.id).values(manager_id=rep.id))
        db.session.commit()
    deal = make.record("opportunity", "Loop deal", owner=rep, stage="Prospecting")

    response = api_as(peer).patch(f"/records/{deal.id}", json={"fields": {"stage": "Won"}})
    assert response.status_code == 200, response.json

    # Each once; the rep too, being (through the loop) above themself.
    for manager in (lead, vp, rep):
        summaries = _home_summaries(api_as(manager))
        assert summaries[0] == "Pat Peer updated opportunity Loop deal: stage Prospecting → Won"
        assert len(summaries) == 2  # the change and the deal's creation
    assert _home_summaries(api_as(peer)) == []
