"""Event names of the live protocol (docs/realtime.md), shared by server code and tests."""

# Server → client
FEED_ITEM = "feed_item"
FEED_PAGE = "feed_page"
RESET = "reset"
# Client → server
RESUME = "resume"
PING = "ping"

# Reasons a cursor cannot be resumed exactly (the `reason` of a `reset`).
CURSOR_EXPIRED = "cursor_expired"
CURSOR_UNKNOWN = "cursor_unknown"

# Events a feature may queue with feed.events.queue_event; the feed's own are reserved.
RESERVED_EVENTS = frozenset({FEED_ITEM, FEED_PAGE, RESET, "connect", "disconnect", "message"})
