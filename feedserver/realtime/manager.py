"""Client managers that carry one feed item to many users in one emit, each with its own seq.

`push` emits `feed_item` once with `{"item": ..., "seqs": {"user:7": 12, ...}}` to the list of
recipients' rooms. Where the emit reaches local connections (Manager.emit, the bottom of the
chain), the mixin splits it: each connection of room `user:7` is offered `{seq: 12, item}`.
With Redis, PubSubManager publishes the whole map once and every process splits it locally,
because the mixin sits between PubSubManager and Manager in the MRO. The item is encoded to
JSON once per process, and so is its packet (`PushedItem`), not once per connection.
"""

import socketio

from feedserver.realtime import streams
from feedserver.realtime.encoding import Encoded, PushedItem, feed_json
from feedserver.realtime.protocol import FEED_ITEM


def is_fan_out(event: str, data) -> bool:
    """True for the one-emit-many-seqs form of `feed_item` that the mixin splits."""
    return event == FEED_ITEM and isinstance(data, dict) and "seqs" in data and "item" in data


class PerRoomPayloadMixin(socketio.Manager):
    """Deliver a fanned-out `feed_item` to each local connection with its room's seq.

    It also keeps each connection's rooms, so a disconnect leaves them without scanning every
    room of the namespace (python-socketio's way: O(connections) per disconnect, O(n^2) when a
    whole fleet drops at once).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rooms_of: dict[tuple[str, str], set] = {}

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self._rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid, namespace, room):
        super().basic_leave_room(sid, namespace, room)
        rooms = self._rooms_of.get((namespace, sid))
        if rooms is not None:
            rooms.discard(room)
            if not rooms:
                del self._rooms_of[(namespace, sid)]

    def basic_disconnect(self, sid, namespace, **kwargs):
        rooms = self._rooms_of.pop((namespace, sid), set())
        # The sid's own room and None (the connected set) last, as python-socketio's order has it.
        for room in sorted(rooms, key=lambda r: (r is None or r == sid, str(r))):
            socketio.Manager.basic_leave_room(self, sid, namespace, room)
        for pending in (self.pending_connect, self.pending_disconnect):
            if sid in pending.get(namespace, ()):
                pending[namespace].remove(sid)
                if not pending[namespace]:
                    del pending[namespace]
        self.callbacks.pop(sid, None)

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, **kwargs):
        if not is_fan_out(event, data):
            return super().emit(
                event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs
            )
        namespace = namespace or "/"
        item = data["item"]
        if not isinstance(item, Encoded):
            # Published through Redis, the item arrives decoded: encode it once for this process.
            item = Encoded(item)
        pushed = PushedItem(self.server, namespace, item)
        for room_name, seq in data["seqs"].items():
            for sid, _ in list(self.get_participants(namespace, room_name)):
                streams.offer(sid, int(seq), pushed)


class FeedManager(PerRoomPayloadMixin):
    """One process, no message queue."""


class FeedRedisManager(socketio.RedisManager, PerRoomPayloadMixin):
    """Several processes sharing Redis: one publish per item, split by each process."""


def client_manager(
    message_queue: str | None, channel: str = "feedserver", *, write_only: bool = False
) -> socketio.Manager:
    """The client manager for this deployment: in-process, or Redis when a queue URL is set."""
    if not message_queue:
        return FeedManager()
    if not message_queue.startswith(("redis://", "rediss://")):
        raise ValueError("SOCKETIO_MESSAGE_QUEUE must be a redis:// or rediss:// URL")
    # feed_json writes an Encoded item into the published message as the JSON it holds.
    return FeedRedisManager(message_queue, channel=channel, write_only=write_only, json=feed_json)
