// What the buttons on an item do: like, comment, save, share, mute, vote, best answer.
import { api } from "./api.js";
import { unsafeHeaders } from "./csrf.js";
import { showItem, prependOwnItem, updateCounts, removeItem } from "./feed.js";
import { refreshTimes } from "./times.js";

function pressed(button) {
  return button.getAttribute("aria-pressed") === "true";
}

export async function reloadComments(itemId) {
  const box = document.getElementById(`comments-${itemId}`);
  if (!box) return;
  const response = await fetch(`/fragments/items/${itemId}/comments`, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = document.createElement("template");
  fresh.innerHTML = await response.text();
  const list = fresh.content.querySelector(".comment-list");
  const shown = box.querySelector(".comment-list");
  // Only the list is replaced when the form is there: a reply being written stays as typed.
  if (shown && list && box.querySelector("[data-comment-form]")) shown.replaceWith(list);
  else box.replaceChildren(fresh.content);
  box.dataset.loaded = "true";
  refreshTimes(box);
  // The fragment's count is the server's; adding one here would count a comment twice when
  // its comment_added event came first.
  if (list) updateCounts(itemId, { comments: Number(list.dataset.commentCount) });
}

function openComments(toggle) {
  const box = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  box.hidden = !open;
  if (open) {
    const focusBox = () => {
      const field = box.querySelector("textarea");
      if (field) field.focus();
    };
    if (box.dataset.loaded) focusBox();
    else box.addEventListener("htmx:afterSettle", () => { box.dataset.loaded = "true"; focusBox(); }, { once: true });
  }
}

function report(item, error) {
  let note = item.querySelector(".item-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "item-error";
    note.setAttribute("role", "alert");
    item.querySelector(".item-main").append(note);
  }
  note.textContent = error.message;
}

async function onClick(event) {
  const note = event.target.closest("a[data-mark-read]");
  if (note) {
    // Fire and forget: keepalive lets it finish while the browser follows the link.
    fetch(`/api/v1/notifications/${note.dataset.markRead}/read`, {
      method: "POST", credentials: "same-origin", headers: unsafeHeaders(), keepalive: true,
    }).catch(() => {});
    return;
  }
  const button = event.target.closest("button");
  if (!button) return;
  const item = button.closest(".item");
  const itemId = button.dataset.itemId;
  try {
    if (button.hasAttribute("data-like-button")) {
      const state = await api(pressed(button) ? "DELETE" : "POST", `/items/${itemId}/like`);
      button.setAttribute("aria-pressed", state.liked ? "true" : "false");
      updateCounts(itemId, { likes: state.like_count });
    } else if (button.hasAttribute("data-bookmark-button")) {
      const save = !pressed(button);
      await api(save ? "POST" : "DELETE", `/items/${itemId}/bookmark`);
      button.setAttribute("aria-pressed", save ? "true" : "false");
    } else if (button.hasAttribute("data-share-button")) {
      const shared = await api("POST", `/items/${itemId}/shares`, { to: "followers" });
      button.disabled = true;
      button.querySelector(".action-text").textContent = "Shared";
      await prependOwnItem(shared.id);
    } else if (button.hasAttribute("data-mute-button")) {
      await api("POST", "/mutes", { kind: "item", id: Number(itemId) });
      removeItem(itemId);
    } else if (button.hasAttribute("data-best-answer")) {
      await api("POST", `/items/${itemId}/best-answer`, { comment_id: Number(button.dataset.commentId) });
      await reloadComments(itemId);
    } else if (button.hasAttribute("data-comments-toggle")) {
      openComments(button);
    } else if (button.hasAttribute("data-read-all")) {
      await api("POST", "/notifications/read-all");
      for (const el of document.querySelectorAll(".notification-unread")) el.classList.remove("notification-unread");
      for (const el of document.querySelectorAll(".unread-dot")) el.remove();
      const badge = document.querySelector("[data-unread-count]");
      if (badge) { badge.dataset.unreadCount = "0"; badge.hidden = true; }
    }
  } catch (error) {
    if (item) report(item, error);
  }
}

async function onSubmit(event) {
  const form = event.target;
  if (!form.hasAttribute("data-comment-form")) return;
  event.preventDefault();
  const itemId = form.dataset.itemId;
  const field = form.querySelector("textarea");
  const body = field.value.trim();
  if (!body) return;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    await api("POST", `/items/${itemId}/comments`, { body });
    field.value = "";
    await reloadComments(itemId);
    document.querySelector(`#comments-${itemId} textarea`)?.focus();
  } catch (error) {
    report(form.closest(".item"), error);
  } finally {
    button.disabled = false;
  }
}

async function onChange(event) {
  const input = event.target;
  const form = input.closest("[data-poll-form]");
  if (!form || input.name !== "choice_id") return;
  const itemId = form.dataset.itemId;
  try {
    await api("POST", `/items/${itemId}/vote`, { choice_id: Number(input.value) });
    await showItem(itemId, { replace: true });
  } catch (error) {
    report(form.closest(".item"), error);
  }
}

export function startActions() {
  document.addEventListener("click", onClick);
  document.addEventListener("submit", onSubmit);
  document.addEventListener("change", onChange);
}
