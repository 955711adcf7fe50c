"""Slots bound how many sockets use the database at once; catch-ups give way to handshakes."""

import threading

from feedserver.realtime.gates import Gates

SIZES = {"HANDSHAKE": 1, "CATCHUP": 2}
WAIT = 5


def _holder(gates, setting, log, name, release, give_way_to=()):
    """A thread that takes a slot, logs it, and holds it until `release` is set."""
    entered = threading.Event()

    def run():
        with gates.slot(setting, give_way_to):
            log.append(name)
            entered.set()
            release.wait(WAIT)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, entered


def test_no_more_than_the_size_hold_a_slot_at_once():
    gates, log, release = Gates(SIZES), [], threading.Event()
    first = _holder(gates, "CATCHUP", log, "a", release)
    second = _holder(gates, "CATCHUP", log, "b", release)
    assert first[1].wait(WAIT) and second[1].wait(WAIT)

    third_release = threading.Event()
    third, third_in = _holder(gates, "CATCHUP", log, "c", third_release)
    assert not third_in.wait(0.3)

    release.set()
    assert third_in.wait(WAIT)
    third_release.set()
    for thread in (first[0], second[0], third):
        thread.join(WAIT)
    assert sorted(log) == ["a", "b", "c"]


def test_a_catch_up_waits_while_handshakes_queue_then_goes():
    gates, log = Gates(SIZES), []
    handshake_release, queued_release, catch_up_release = (threading.Event() for _ in range(3))
    first, first_in = _holder(gates, "HANDSHAKE", log, "handshake 1", handshake_release)
    assert first_in.wait(WAIT)
    # A second handshake queues behind the first (one slot).
    queued, queued_in = _holder(gates, "HANDSHAKE", log, "handshake 2", queued_release)

    catch_up, catch_up_in = _holder(
        gates, "CATCHUP", log, "catch-up", catch_up_release, give_way_to=("HANDSHAKE",)
    )
    # Catch-up slots are free, yet it waits: a handshake is queued.
    assert not catch_up_in.wait(0.3)

    handshake_release.set()
    assert queued_in.wait(WAIT)
    # No handshake waits any more (one is running): the catch-up goes.
    assert catch_up_in.wait(WAIT)
    queued_release.set()
    catch_up_release.set()
    for thread in (first, queued, catch_up):
        thread.join(WAIT)
    assert log == ["handshake 1", "handshake 2", "catch-up"]


def test_a_catch_up_goes_at_once_when_no_handshake_waits():
    gates, log, release = Gates(SIZES), [], threading.Event()
    running, running_in = _holder(gates, "HANDSHAKE", log, "handshake", release)
    assert running_in.wait(WAIT)

    catch_up, catch_up_in = _holder(
        gates, "CATCHUP", log, "catch-up", release, give_way_to=("HANDSHAKE",)
    )

    assert catch_up_in.wait(WAIT)
    release.set()
    running.join(WAIT)
    catch_up.join(WAIT)
