// A long list with a filter box and arrow-key navigation (hundreds of sites): typing filters,
// ArrowDown moves from the box into the list, ArrowUp/Down/Home/End move between rows, Enter
// follows the row's link. Rows are built once; filtering only toggles `hidden`.
import { el } from "./dom.js";

/** Whether `text` contains every word of `query` (case-insensitive). */
export function matches(text, query) {
  const hay = text.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

/**
 * @param {{ id: string, label: string, placeholder: string, items: any[],
 *           text: (item: any) => string, row: (item: any) => HTMLAnchorElement, noneMatch: string,
 *           query?: string }} o `query`: the filter text to start with (kept across a redraw)
 * @returns {HTMLElement}
 */
export function filterList({ id, label, placeholder, items, text, row, noneMatch, query = "" }) {
  const input = el("input", { type: "search", id: `${id}-filter`, placeholder, "aria-label": label, autocomplete: "off", "aria-controls": id });
  input.value = query;
  const count = el("span", { class: "count", id: `${id}-count`, "aria-live": "polite" });
  const list = el("ul", { class: "list list-nav", id, "aria-label": label });
  const none = el("p", { class: "empty", hidden: "" }, noneMatch);
  const rows = items.map((item) => {
    const link = row(item);
    const li = el("li", {}, link);
    li.dataset.text = text(item);
    list.append(li);
    return li;
  });
  const visible = () => rows.filter((r) => !r.hidden);
  const apply = () => {
    const q = input.value.trim();
    for (const r of rows) r.hidden = q !== "" && !matches(r.dataset.text, q);
    const n = visible().length;
    count.textContent = q ? `${n} of ${rows.length}` : `${rows.length}`;
    none.hidden = n !== 0;
  };
  input.addEventListener("input", apply);
  const focusRow = (i) => {
    const v = visible();
    if (v.length === 0) return;
    v[Math.max(0, Math.min(v.length - 1, i))].querySelector("a").focus();
  };
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") { ev.preventDefault(); focusRow(0); }
    if (ev.key === "Enter") { ev.preventDefault(); visible()[0]?.querySelector("a")?.click(); }
  });
  list.addEventListener("keydown", (ev) => {
    const v = visible();
    const at = v.findIndex((r) => r.contains(document.activeElement));
    if (ev.key === "ArrowDown") { ev.preventDefault(); focusRow(at + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); if (at <= 0) input.focus(); else focusRow(at - 1); }
    else if (ev.key === "Home") { ev.preventDefault(); focusRow(0); }
    else if (ev.key === "End") { ev.preventDefault(); focusRow(v.length - 1); }
  });
  apply();
  return el("div", { class: "filter-list" }, el("div", { class: "filter-bar" }, input, count), list, none);
}
