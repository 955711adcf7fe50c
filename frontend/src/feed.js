// Put live items into the feed: at the top when the reader is there, behind a bar otherwise.
import { refreshTimes } from "./times.js";

const waiting = [];

function liveFeed() {
  return document.querySelector("[data-feed][data-live]");
}

function readerIsAtTop(feed) {
  return feed.getBoundingClientRect().top > -80;
}

async function fetchItem(itemId, feed) {
  const query = feed ? feed.dataset.liveQuery : "";
  const response = await fetch(`/fragments/items/${itemId}${query ? `?${query}` : ""}`, {
    headers: { "X-Requested-With": "XMLHttpRequest" },
    credentials: "same-origin",
  });
  if (response.status !== 200) return null;
  const template = document.createElement("template");
  template.innerHTML = (await response.text()).trim();
  const element = template.content.querySelector(".item");
  if (element) refreshTimes(template.content);
  return element;
}

function showWaitingBar() {
  const bar = document.querySelector("[data-new-items]");
  if (!bar) return;
  const n = waiting.length;
  bar.textContent = n === 1 ? "1 new item" : `${n} new items`;
  bar.hidden = n === 0;
}

function prepend(feed, element) {
  feed.prepend(element);
  const empty = document.querySelector("[data-feed-empty]");
  if (empty) empty.hidden = true;
}

export function flushWaiting() {
  const feed = liveFeed();
  if (!feed) return;
  while (waiting.length) prepend(feed, waiting.shift());
  showWaitingBar();
  feed.scrollIntoView({ behavior: "smooth", block: "start" });
  const first = feed.querySelector(".item");
  if (first) first.focus({ preventScroll: true });
}

export async function showItem(itemId, { replace = false } = {}) {
  const feed = liveFeed();
  const existing = document.getElementById(`item-${itemId}`);
  if (replace) {
    if (!existing) return;
    const element = await fetchItem(itemId, null);
    if (element) {
      element.classList.remove("item-live");
      existing.replaceWith(element);
    }
    return;
  }
  if (!feed || existing || waiting.some((el) => el.dataset.itemId === String(itemId))) return;
  const element = await fetchItem(itemId, feed);
  if (!element || document.getElementById(`item-${itemId}`)) return;
  element.tabIndex = -1;
  if (readerIsAtTop(feed) && waiting.length === 0) {
    prepend(feed, element);
  } else {
    waiting.push(element);
    showWaitingBar();
  }
}

// The reader's own post or share: shown at the top at once, whatever the page's filter.
export async function prependOwnItem(itemId) {
  const feed = document.querySelector("[data-feed]");
  if (!feed || document.getElementById(`item-${itemId}`)) return;
  const element = await fetchItem(itemId, null);
  if (element) prepend(feed, element);
}

export function removeItem(itemId) {
  const element = document.getElementById(`item-${itemId}`);
  if (element) element.remove();
}

// Counts change in place; the reader's own like state follows their other tabs too.
export function updateCounts(itemId, counts, data) {
  const item = document.getElementById(`item-${itemId}`);
  if (!item) return;
  for (const [name, value] of Object.entries(counts)) {
    if (value === undefined) continue;
    for (const el of item.querySelectorAll(`[data-count="${name}"]`)) el.textContent = String(value);
  }
  if (data && data.user_id !== undefined && String(data.user_id) === document.body.dataset.userId) {
    for (const button of item.querySelectorAll("[data-like-button]")) {
      button.setAttribute("aria-pressed", data.liked ? "true" : "false");
    }
  }
}

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-new-items]")) flushWaiting();
});
document.addEventListener("scroll", () => {
  const feed = liveFeed();
  if (feed && waiting.length && readerIsAtTop(feed) && window.scrollY < 10) flushWaiting();
}, { passive: true });
