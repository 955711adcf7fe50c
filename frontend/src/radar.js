// The team radar: redraw the board when a visit changes (docs/radar.md), and the visit form.
import { io } from "socket.io-client";
import { refreshTimes } from "./times.js";

let refreshing = null;
let again = false;

async function refreshBoard(board) {
  // One fetch at a time; a change that arrives meanwhile triggers one more afterwards.
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = fetch(board.dataset.boardUrl, {
    headers: { "X-Requested-With": "XMLHttpRequest" },
    credentials: "same-origin",
  })
    .then((response) => (response.ok ? response.text() : null))
    .then((html) => {
      if (html === null) return;
      board.innerHTML = html;
      refreshTimes(board);
    })
    .catch(() => {})
    .finally(() => {
      refreshing = null;
      if (again) {
        again = false;
        refreshBoard(board);
      }
    });
}

function startRadar(board) {
  // "Live from now" (no last_seq): the board itself is reloaded over HTTP on every change.
  const socket = io();
  let connectedBefore = false;
  socket.on("connect", () => {
    // Events are not replayed: after a reconnect, redraw in case something changed meanwhile.
    if (connectedBefore) refreshBoard(board);
    connectedBefore = true;
    board.dataset.radarLive = "true";
  });
  socket.on("disconnect", () => delete board.dataset.radarLive);
  socket.on("visit_changed", () => refreshBoard(board));
}

function startVisitForm(form) {
  const offset = form.querySelector("[data-tz-offset]");
  if (offset) offset.value = String(new Date().getTimezoneOffset());
  const account = form.querySelector("[data-visit-account]");
  const deal = form.querySelector("[data-visit-deal]");
  if (!account || !deal) return;
  const showDealsOfAccount = () => {
    for (const option of deal.options) {
      if (!option.dataset.account) continue;
      const mine = option.dataset.account === account.value;
      option.hidden = !mine;
      option.disabled = !mine;
      if (!mine && option.selected) deal.value = "";
    }
  };
  account.addEventListener("change", showDealsOfAccount);
  showDealsOfAccount();
}

document.addEventListener("DOMContentLoaded", () => {
  const board = document.querySelector("[data-radar-board]");
  if (board && document.body.dataset.userId) startRadar(board);
  const form = document.querySelector("[data-visit-form]");
  if (form) startVisitForm(form);
});
