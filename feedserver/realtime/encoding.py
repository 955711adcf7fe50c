"""A pushed item is encoded once per push, not once per connection.

A `feed_item` differs per connection only by its `seq`. Handed to python-socketio as a dict, the
item would be scanned for binary data and JSON-encoded again for each connection. Instead the
item is encoded once (`Encoded`, which the packets' JSON module, `FeedPacket.json`, writes
verbatim), and so is its whole packet (`PushedItem`): each connection's packet is that text
with its own seq put in, and connections with the same seq share one packet, as a bare emit's
do. Clients receive byte for byte the JSON the dict would have produced.
"""

import json
from types import SimpleNamespace

from engineio import json as engineio_json
from engineio import packet as eio_packet
from socketio.packet import EVENT, Packet

from feedserver.realtime.protocol import FEED_ITEM

# Stands in for an Encoded value during encoding; its JSON form is then replaced by the text.
_MARK = "\x00feedserver:encoded\x00"
_MARK_JSON = json.dumps(_MARK)


class Encoded:
    """A JSON value encoded once, written as is wherever it appears in a packet."""

    __slots__ = ("text",)

    def __init__(self, value=None, *, text: str | None = None):
        # The same options python-socketio's Packet.encode uses, so the bytes are unchanged.
        self.text = text if text is not None else json.dumps(value, separators=(",", ":"))

    def decoded(self):
        return json.loads(self.text)

    def __reduce__(self):
        return _from_text, (self.text,)

    def __repr__(self):
        return f"Encoded({self.text[:40]!r}...)"


def _from_text(text: str) -> Encoded:
    return Encoded(text=text)


def dumps(value, **options) -> str:
    """json.dumps that writes each Encoded value's text verbatim."""
    texts: list[str] = []

    def splice(obj):
        if isinstance(obj, Encoded):
            texts.append(obj.text)
            return _MARK
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")

    out = json.dumps(value, default=splice, **options)
    if not texts:
        return out
    pieces = out.split(_MARK_JSON)
    if len(pieces) != len(texts) + 1:
        # The data itself holds a string equal to the mark: encode it the slow, plain way.
        return json.dumps(value, default=_decode, **options)
    spliced = [pieces[0]]
    for text, piece in zip(texts, pieces[1:], strict=True):
        spliced += (text, piece)
    return "".join(spliced)


def _decode(obj):
    if isinstance(obj, Encoded):
        return obj.decoded()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


# What python-socketio calls a JSON module: `dumps` and `loads` (loads unchanged).
feed_json = SimpleNamespace(dumps=dumps, loads=engineio_json.loads)


class FeedPacket(Packet):
    """Socket.IO packets of this server: Encoded values are written verbatim."""

    json = feed_json


# Where a connection's seq goes in a PushedItem's packet: JSON text never holds a raw NUL.
_SEQ_SLOT = Encoded(text="\x00")


class PushedItem:
    """One pushed feed item and its `feed_item` packet, encoded once for every connection."""

    __slots__ = ("server", "namespace", "head", "tail", "packets")

    def __init__(self, server, namespace: str, item: Encoded):
        data = [FEED_ITEM, {"seq": _SEQ_SLOT, "item": item}]
        text = server.packet_class(EVENT, namespace=namespace, data=data).encode()
        # "seq" comes before "item", so the first NUL is the slot.
        self.head, _, self.tail = text.partition(_SEQ_SLOT.text)
        self.server, self.namespace = server, namespace
        self.packets: dict[int, eio_packet.Packet] = {}

    def send(self, sid: str, seq: int) -> None:
        """Send `{"seq": seq, "item": ...}` to the local connection `sid`, as Manager.emit would."""
        eio_sid = self.server.manager.eio_sid_from_sid(sid, self.namespace)
        if eio_sid is None:
            return
        packet = self.packets.get(seq)
        if packet is None:
            packet = eio_packet.Packet(eio_packet.MESSAGE, f"{self.head}{int(seq)}{self.tail}")
            self.packets[seq] = packet
        self.server._send_eio_packet(eio_sid, packet)
