// Relative times ("5 min ago") kept fresh in the browser; the exact time stays in the tooltip.
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function relativeTime(moment, now = new Date()) {
  const seconds = (now - moment) / 1000;
  if (seconds < 45) return "just now";
  if (seconds < HOUR) return `${Math.max(1, Math.round(seconds / MINUTE))} min ago`;
  if (seconds < DAY) return `${Math.round(seconds / HOUR)} h ago`;
  if (seconds < 7 * DAY) {
    const days = Math.round(seconds / DAY);
    return days === 1 ? "yesterday" : `${days} days ago`;
  }
  const month = MONTHS[moment.getUTCMonth()];
  const sameYear = moment.getUTCFullYear() === now.getUTCFullYear();
  return sameYear ? `${month} ${moment.getUTCDate()}` : `${month} ${moment.getUTCDate()}, ${moment.getUTCFullYear()}`;
}

export function refreshTimes(root) {
  const now = new Date();
  for (const el of root.querySelectorAll("time[data-relative]")) {
    const moment = new Date(el.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) el.textContent = relativeTime(moment, now);
  }
}
