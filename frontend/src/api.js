// Same-origin calls to the JSON API with the session cookie (X-Requested-With marks them as ours).
import { unsafeHeaders } from "./csrf.js";

export async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: unsafeHeaders() };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(`/api/v1${path}`, options);
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const message = (data && data.error && data.error.message) || `Request failed (${response.status})`;
    throw new Error(message);
  }
  return data;
}
