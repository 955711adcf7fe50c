"""A feed item encoded once per push reaches every connection as the same bytes as before."""

import pickle

import socketio
from socketio.packet import EVENT, Packet

from feedserver.realtime.encoding import Encoded, FeedPacket, PushedItem, dumps

ITEM = {
    "id": 7,
    "verb": "update",
    "summary": "Stage: Négociation → Closed Won ✓",
    "changes": [{"field": "amount", "old": 120000.5, "new": None}, {"field": "tags", "old": []}],
    "object": {"type": "opportunity", "name": 'Acme "renewal"\n\t\\'},
}


def packet_text(packet_class, item, seq=12):
    return packet_class(EVENT, data=["feed_item", {"seq": seq, "item": item}]).encode()


def test_a_pre_encoded_item_is_written_byte_for_byte_as_the_plain_item():
    assert packet_text(FeedPacket, Encoded(ITEM)) == packet_text(Packet, ITEM)


def test_every_connection_gets_its_own_seq_around_the_same_item():
    shared = Encoded(ITEM)
    texts = [packet_text(FeedPacket, shared, seq) for seq in (1, 2)]
    assert texts == [packet_text(Packet, ITEM, 1), packet_text(Packet, ITEM, 2)]


def test_a_pushed_items_packet_is_encoded_once_and_each_connection_gets_its_seq():
    server = socketio.Server(async_mode="threading", serializer=FeedPacket)
    sent = []
    server._send_eio_packet = lambda eio_sid, packet: sent.append((eio_sid, packet.encode()))
    sids = [server.manager.connect(f"eio-{n}", "/") for n in range(3)]
    pushed = PushedItem(server, "/", Encoded(ITEM))
    for sid, seq in zip(sids, (5, 41, 5), strict=True):
        pushed.send(sid, seq)
    assert sent == [
        (f"eio-{n}", "4" + packet_text(Packet, ITEM, seq))
        for n, seq in zip(range(3), (5, 41, 5), strict=True)
    ]


def test_data_that_happens_to_hold_the_placeholder_is_still_encoded_exactly():
    # A user could write any text, including what the encoder splices on.
    tricky = {**ITEM, "summary": "\x00feedserver:encoded\x00"}
    assert packet_text(FeedPacket, Encoded(tricky)) == packet_text(Packet, tricky)
    data = {"note": "\x00feedserver:encoded\x00", "item": Encoded(ITEM)}
    assert dumps(data) == dumps({"note": data["note"], "item": ITEM})


def test_a_pre_encoded_item_survives_the_message_queue():
    # The Redis manager publishes with the packets' JSON module; pickling must work too.
    published = dumps({"method": "emit", "data": {"item": Encoded(ITEM), "seqs": {"user:1": 3}}})
    assert FeedPacket.json.loads(published)["data"]["item"] == ITEM
    assert pickle.loads(pickle.dumps(Encoded(ITEM))).text == Encoded(ITEM).text


def test_binary_data_is_still_sent_as_attachments():
    encoded = FeedPacket(EVENT, data=["file", {"blob": b"\x00\x01"}]).encode()
    assert encoded == Packet(EVENT, data=["file", {"blob": b"\x00\x01"}]).encode()
    assert isinstance(encoded, list)
