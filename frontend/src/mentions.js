// @mention and #topic autocomplete for textareas: a listbox under the field, keyboard first.
import { api } from "./api.js";

const TRIGGER = /(^|[\s(])([@#])([\p{L}\p{N}_.-]{1,40})$/u;
let counter = 0;

async function suggestions(sign, text) {
  if (sign === "@") {
    const data = await api("GET", `/mentions/suggest?q=${encodeURIComponent(text)}&limit=8`);
    return data.items.map((s) => ({ label: s.name, detail: s.detail || "", insert: s.mention }));
  }
  const data = await api("GET", "/topics/trending?limit=50&days=90");
  const lower = text.toLowerCase();
  // Only topics in use are offered; a topic typed out in full needs no suggestion.
  return data.items
    .filter((t) => t.name.toLowerCase().startsWith(lower) && t.name.toLowerCase() !== lower)
    .slice(0, 7)
    .map((t) => ({ label: `#${t.name}`, detail: `${t.uses} recent`, insert: `#${t.name}` }));
}

function attachMentions(field) {
  if (field.dataset.mentionsReady) return;
  field.dataset.mentionsReady = "true";
  const id = `suggest-${++counter}`;
  const list = document.createElement("ul");
  list.id = id;
  list.className = "suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  field.after(list);
  field.setAttribute("aria-autocomplete", "list");
  field.setAttribute("aria-controls", id);
  field.setAttribute("aria-expanded", "false");
  let options = [];
  let active = -1;
  let match = null;
  let asked = 0;

  function close() {
    list.hidden = true;
    field.setAttribute("aria-expanded", "false");
    field.removeAttribute("aria-activedescendant");
    options = [];
    active = -1;
  }

  function highlight(index) {
    active = index;
    for (const [i, li] of [...list.children].entries()) li.setAttribute("aria-selected", i === index ? "true" : "false");
    if (index >= 0) field.setAttribute("aria-activedescendant", `${id}-${index}`);
  }

  function choose(index) {
    const option = options[index];
    if (!option || !match) return;
    const caret = field.selectionStart;
    const start = caret - match.length;
    field.value = `${field.value.slice(0, start)}${option.insert} ${field.value.slice(caret)}`;
    const position = start + option.insert.length + 1;
    field.setSelectionRange(position, position);
    close();
    field.focus();
  }

  async function update() {
    const before = field.value.slice(0, field.selectionStart);
    const found = before.match(TRIGGER);
    if (!found) return close();
    match = found[2] + found[3];
    const ticket = ++asked;
    let items;
    try {
      items = await suggestions(found[2], found[3]);
    } catch {
      return close();
    }
    if (ticket !== asked) return;
    options = items;
    if (!options.length) return close();
    list.replaceChildren(
      ...options.map((option, i) => {
        const li = document.createElement("li");
        li.id = `${id}-${i}`;
        li.setAttribute("role", "option");
        li.innerHTML = "<span class=\"suggest-label\"></span><span class=\"suggest-detail\"></span>";
        li.firstChild.textContent = option.label;
        li.lastChild.textContent = option.detail;
        li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
        return li;
      }),
    );
    list.hidden = false;
    field.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  field.addEventListener("input", update);
  field.addEventListener("blur", () => setTimeout(close, 100));
  field.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
}

// A field gets its autocomplete when it takes focus, which is before its first keystroke: comment
// boxes arrive by htmx, and waiting for htmx's settle event let fast typing slip past.
export function startMentions() {
  for (const field of document.querySelectorAll("[data-mention-input]")) attachMentions(field);
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof HTMLTextAreaElement && event.target.hasAttribute("data-mention-input")) {
      attachMentions(event.target);
    }
  });
}
