// The live feed: a Socket.IO doorbell that resumes from the last seq shown (docs/realtime.md).
import { io } from "socket.io-client";
import { showItem, removeItem, updateCounts } from "./feed.js";
import { bumpUnread } from "./notifications.js";
import { reloadComments } from "./actions.js";

const LABELS = {
  connecting: "Connecting…",
  syncing: "Catching up…",
  live: "Live",
  offline: "Offline, reconnecting…",
  signedout: "Signed out",
};

let lastSeq = 0;
// Items are rendered one after another so they land in seq order even though fetches overlap.
let rendering = Promise.resolve();

function setStatus(state) {
  const el = document.querySelector("[data-live-status]");
  if (!el) return;
  el.dataset.state = state;
  el.querySelector(".live-label").textContent = LABELS[state];
  el.title = state === "live" ? "Connected: new activity appears by itself" : LABELS[state];
}

function highestSeqOnPage() {
  let seq = Number(document.body.dataset.lastSeq || 0);
  for (const el of document.querySelectorAll("[data-seq]")) seq = Math.max(seq, Number(el.dataset.seq));
  return seq;
}

function receive(seq, item) {
  // The server never repeats an item on one connection; across reconnects this is our guard.
  if (!Number.isInteger(seq) || seq <= lastSeq) return;
  lastSeq = seq;
  document.body.dataset.lastSeq = String(lastSeq);
  rendering = rendering.then(() => showItem(item.id)).catch(() => {});
}

export function startLive() {
  lastSeq = highestSeqOnPage();
  setStatus("connecting");
  const socket = io({ auth: (send) => send({ last_seq: lastSeq }) });

  socket.on("connect", () => setStatus("syncing"));
  socket.on("disconnect", () => setStatus("offline"));
  socket.on("connect_error", (error) => {
    if (error && error.message === "authentication required") {
      setStatus("signedout");
      socket.disconnect();
    } else {
      setStatus("offline");
    }
  });
  socket.on("feed_page", (page) => {
    for (const entry of page.items || []) receive(entry.seq, entry);
    if (!page.has_more) setStatus("live");
  });
  socket.on("feed_item", (data) => receive(data.seq, data.item));
  // The cursor cannot be resumed exactly: start over from a freshly loaded page.
  socket.on("reset", () => window.location.reload());
  socket.on("item_updated", (data) => {
    rendering = rendering.then(() => showItem(data.item.id, { replace: true })).catch(() => {});
  });
  socket.on("item_deleted", (data) => removeItem(data.item_id));
  socket.on("like_changed", (data) => {
    // A like on a comment carries the comment's count, not the item's.
    if (data.comment_id) return;
    updateCounts(data.item_id, { likes: data.like_count }, data);
  });
  socket.on("comment_added", (data) => {
    updateCounts(data.item_id, { comments: data.comment_count }, data);
    const box = document.getElementById(`comments-${data.item_id}`);
    if (box && box.dataset.loaded && !box.hidden) reloadComments(data.item_id);
  });
  socket.on("poll_changed", (data) => {
    rendering = rendering.then(() => showItem(data.item_id, { replace: true })).catch(() => {});
  });
  socket.on("notification", (data) => bumpUnread(data));
  window.addEventListener("online", () => {
    if (!socket.connected) socket.connect();
  });
}
