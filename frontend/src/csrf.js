// The page's CSRF token, for fetch calls and htmx requests.
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// Headers for a same-origin fetch that changes data: CSRF token plus the API's marker header.
export function unsafeHeaders(extra = {}) {
  return { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest", ...extra };
}
