// Entry point: htmx for partial updates, the live feed over Socket.IO, small page behaviours.
import htmx from "htmx.org";
import { csrfToken } from "./csrf.js";
import { startActions } from "./actions.js";
import { startComposer } from "./composer.js";
import { startLive } from "./live.js";
import { startMentions } from "./mentions.js";
import "./radar.js";
import { refreshTimes } from "./times.js";

window.htmx = htmx;

// Every htmx request carries the CSRF token (page forms) and marks itself as script-made (API).
document.addEventListener("htmx:configRequest", (event) => {
  event.detail.headers["X-CSRFToken"] = csrfToken();
  event.detail.headers["X-Requested-With"] = "XMLHttpRequest";
});

// Filters apply as soon as a choice is made.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});

// A token shown once is selected on focus, ready to copy.
document.addEventListener("focusin", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-select-on-focus")) {
    event.target.select();
  }
});

document.addEventListener("DOMContentLoaded", () => {
  refreshTimes(document);
  setInterval(() => refreshTimes(document), 30000);
  document.addEventListener("htmx:afterSwap", (event) => refreshTimes(event.target));
  startMentions();
  startActions();
  startComposer();
  if (document.body.dataset.userId) startLive();
});
