// The bell's unread count, bumped live when a notification arrives.
export function bumpUnread() {
  const badge = document.querySelector("[data-unread-count]");
  if (!badge) return;
  const count = Number(badge.dataset.unreadCount || 0) + 1;
  badge.dataset.unreadCount = String(count);
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = false;
}
