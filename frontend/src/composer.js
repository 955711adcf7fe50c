// The composer: post Markdown to my profile, a record, a person or a group, then show it at once.
import { api } from "./api.js";
import { prependOwnItem } from "./feed.js";

function target(form) {
  const value = form.querySelector("[name=target]")?.value || "";
  if (!value) return undefined;
  const [kind, id] = value.split(":");
  return { kind, id: Number(id) };
}

export function startComposer() {
  const form = document.querySelector("[data-composer]");
  if (!form) return;
  const error = form.querySelector("[data-composer-error]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = form.querySelector("textarea");
    const body = field.value.trim();
    if (!body) return;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    error.hidden = true;
    try {
      const payload = { body, question: Boolean(form.querySelector("[name=question]")?.checked) };
      const where = target(form);
      if (where) payload.target = where;
      const item = await api("POST", "/posts", payload);
      field.value = "";
      await prependOwnItem(item.id);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}
