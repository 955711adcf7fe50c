// The bell's unread count: set from the server's count when the event carries one, else bumped.
export function bumpUnread(data) {
  const badge = document.querySelector("[data-unread-count]");
  if (!badge) return;
  let count = Number(badge.dataset.unreadCount || 0) + 1;
  if (data && Number.isInteger(data.unread_count)) count = data.unread_count;
  badge.dataset.unreadCount = String(count);
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = count === 0;
  const bell = badge.closest("a");
  if (bell) bell.setAttribute("aria-label", `Notifications, ${count} unread`);
}
