"""Events about records with overlapping audiences, sent at once: every inbox stays gap-free."""

import threading

from tests.integrations.support import create_integration, record_event, record_ref, send_signed

SENDERS, EVENTS_EACH = 4, 6


def _seqs_and_items(api, limit=100):
    response = api.get(f"/feed/home?after_seq=0&limit={limit}")
    assert response.status_code == 200, response.json
    items = response.json["items"]
    return [item["seq"] for item in items], [item["id"] for item in items]


def _run_senders(sender) -> None:
    """Run sender(k) for each of the SENDERS in a thread of its own; all must finish."""
    threads = [threading.Thread(target=sender, args=(k,)) for k in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


def test_concurrent_events_give_each_follower_every_item_once_at_consecutive_seqs(
    app, make, api_as
):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    deals = [f"OPP-{n}" for n in range(SENDERS)]
    created = send_signed(
        app.test_client(),
        erp,
        {"events": [record_event("record.created", "opportunity", d, name=d) for d in deals]},
    )
    assert created.status_code == 202, created.json
    deal_ids = [event["result"]["record_id"] for event in created.json["events"]]
    # Everyone follows the first deal; the other deals' audiences start at later people, so
    # concurrent fan-outs meet at different first counters as well as at the same one.
    people = [make.user(f"fan{n}@example.com") for n in range(12)]
    for n, person in enumerate(people):
        for k, deal_id in enumerate(deal_ids):
            if k == 0 or n >= 3 * k:
                make.follow(person, record_ref(deal_id))
    answers, failures = [], []

    def sender(k: int) -> None:
        client = app.test_client()  # each thread its own client, app context and session
        for e in range(EVENTS_EACH):
            change = record_event(
                "record.updated", "opportunity", deals[k], fields={"amount": 1000 * k + e}
            )
            try:
                answer = send_signed(client, erp, {"events": [change]})
                answers.append((answer.status_code, answer.json["events"][0]["status"]))
            except Exception as exc:  # reported below, with the rest
                failures.append(repr(exc))

    _run_senders(sender)
    assert not failures
    assert answers == [(202, "processed")] * (SENDERS * EVENTS_EACH)
    for n, person in enumerate(people):
        owed = sum(EVENTS_EACH for k in range(SENDERS) if k == 0 or n >= 3 * k)
        seqs, items = _seqs_and_items(api_as(person))
        assert seqs == list(range(1, owed + 1)), (person.email, seqs)
        assert len(set(items)) == owed


def test_the_same_event_sent_at_once_in_different_deliveries_is_applied_once(app, make, api_as):
    admin = make.user("admin@example.com", admin=True)
    erp = create_integration(api_as, admin)
    created = send_signed(
        app.test_client(),
        erp,
        {"events": [record_event("record.created", "opportunity", "OPP-1", name="Deal")]},
    )
    fan = make.user("fan@example.com")
    make.follow(fan, record_ref(created.json["events"][0]["result"]["record_id"]))
    change = record_event(
        "record.updated", "opportunity", "OPP-1", idempotency_key="once", fields={"amount": 7}
    )
    answers, failures = [], []
    start = threading.Barrier(SENDERS)

    def sender(k: int) -> None:
        client = app.test_client()
        start.wait(timeout=10)
        try:
            # Each its own webhook-id: the deliveries differ, the event in them is the same.
            answer = send_signed(client, erp, {"events": [change]}, msg_id=f"msg_same_{k}")
            answers.append((answer.status_code, answer.json["events"][0]["duplicate"]))
        except Exception as exc:  # reported below, with the rest
            failures.append(repr(exc))

    _run_senders(sender)
    assert not failures
    assert sorted(answers) == [(202, False)] + [(202, True)] * (SENDERS - 1)
    seqs, items = _seqs_and_items(api_as(fan))
    assert seqs == [1] and len(items) == 1
