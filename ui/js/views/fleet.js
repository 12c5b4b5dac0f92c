// Every site at a glance: state, last reading, today's energy and cost, the month's peak against
// its charge — problems first, one line per silence incident, a filter box, arrow keys to move
// and Enter to open a site. Updates arrive over a Channel every few seconds from the core's
// Fleet monitor (one live stream per site, no request per site per update).
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { Channel } from "../host.js";
import { unwrap } from "../result.js";
import { href } from "../router.js";
import { matches } from "../filter-list.js";
import { markText } from "../freshness.js";
import { clockTime } from "../format.js";
import { costText, kwh, peakText, readingAge, rowText, stateText } from "./fleet-text.js";

const COLUMNS = ["Site", "State", "Last reading", "Imported today", "Exported today", "Cost today", "Month's peak"];

/** #fleet */
export async function render(main, _params, ctx) {
  const mark = el("p", { class: "fresh", id: "fleet-mark", "aria-live": "polite" }, "Loading the fleet…");
  const incidents = el("ul", { class: "incidents", id: "fleet-incidents", "aria-live": "polite", "aria-label": "Silence incidents" });
  const filter = el("input", { type: "search", id: "fleet-filter", placeholder: "Filter by site, organization, state…", "aria-label": "Filter sites", autocomplete: "off", "aria-controls": "fleet-table" });
  const count = el("span", { class: "count", id: "fleet-count", "aria-live": "polite" });
  const threshold = el("input", { type: "number", id: "fleet-threshold", min: "1", max: "1440", step: "1", "aria-label": "Minutes of silence before an incident" });
  const body = el("tbody", { id: "fleet-rows" });
  const table = el("table", { class: "fleet", id: "fleet-table", "aria-label": "Sites" },
    el("thead", {}, el("tr", {}, ...COLUMNS.map((c) => el("th", { scope: "col" }, c)))), body);
  const none = el("p", { class: "empty", id: "fleet-empty", hidden: "" });
  main.append(
    el("h1", {}, "Fleet"),
    el("p", { class: "lede" }, "Every site at a glance, problems first. Type to filter, arrow keys to move, Enter to open a site."),
    mark, incidents,
    el("div", { class: "filter-bar" }, filter, count,
      el("label", { class: "threshold", for: "fleet-threshold" }, "Incident after", threshold, "min of silence")),
    table, none);

  let thresholdEdited = false;
  const rows = () => [...body.querySelectorAll("tr")];
  const visible = () => rows().filter((r) => !r.hidden);
  const applyFilter = () => {
    const q = filter.value.trim();
    for (const r of rows()) r.hidden = q !== "" && !matches(r.dataset.text, q);
    const n = visible().length;
    const all = rows().length;
    count.textContent = q ? `${n} of ${all}` : `${all}`;
    none.hidden = !(all > 0 && n === 0);
    none.textContent = "No site matches. Clear the filter to see them all.";
  };
  const open = (tr) => { if (tr) location.hash = href("site", tr.dataset.siteId); };
  const focusRow = (i) => {
    const v = visible();
    if (v.length) v[Math.max(0, Math.min(v.length - 1, i))].focus();
  };
  filter.addEventListener("input", applyFilter);
  filter.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") { ev.preventDefault(); focusRow(0); }
    if (ev.key === "Enter") { ev.preventDefault(); open(visible()[0]); }
  });
  body.addEventListener("keydown", (ev) => {
    const v = visible();
    const at = v.indexOf(document.activeElement);
    if (ev.key === "ArrowDown") { ev.preventDefault(); focusRow(at + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); if (at <= 0) filter.focus(); else focusRow(at - 1); }
    else if (ev.key === "Home") { ev.preventDefault(); focusRow(0); }
    else if (ev.key === "End") { ev.preventDefault(); focusRow(v.length - 1); }
    else if (ev.key === "Enter") { ev.preventDefault(); open(ev.target.closest("tr")); }
  });
  body.addEventListener("click", (ev) => {
    if (!ev.target.closest("a")) open(ev.target.closest("tr"));
  });
  threshold.addEventListener("input", () => { thresholdEdited = true; });
  threshold.addEventListener("change", async () => {
    try {
      unwrap(await commands.setSilenceThreshold(Number(threshold.value)));
      thresholdEdited = false;
    } catch (err) {
      ctx.toast(err);
    }
  });

  const draw = (u) => {
    const now = u.computed_ms;
    const state = u.cached ? (u.refreshing ? "loading" : "offline") : "fresh";
    mark.textContent = u.fetched_at_ms == null
      ? (u.refreshing ? "Loading the fleet…" : (u.note ?? "Nothing stored yet."))
      : (u.cached ? markText({ fetched_at_ms: u.fetched_at_ms, from_cache: true }, state, now) : `Live — updated ${clockTime(now)}`);
    mark.dataset.state = state;
    mark.dataset.fromCache = String(u.cached);
    mark.title = u.note ?? "";
    if (!thresholdEdited && document.activeElement !== threshold) threshold.value = String(u.silence_minutes);
    incidents.replaceChildren(...u.incidents.map((i) => el("li", { "data-site-id": i.site_id, class: "incident" },
      el("a", { href: href("site", i.site_id) }, i.site_name), " ",
      el("span", {}, `has sent no reading for ${Math.max(1, Math.floor((now - i.silent_since_ms) / 60_000))} min (since ${clockTime(i.silent_since_ms)}).`))));
    incidents.hidden = u.incidents.length === 0;
    const focused = document.activeElement?.closest?.("#fleet-rows tr")?.dataset.siteId;
    body.replaceChildren(...u.rows.map((r) => {
      const s = stateText(r.state, now);
      const tr = el("tr", { "data-site-id": r.site_id, "data-state": r.state.kind, tabindex: "-1" },
        el("th", { scope: "row" }, el("a", { href: href("site", r.site_id), tabindex: "-1" }, r.name),
          r.org_name ? el("span", { class: "meta" }, r.org_name) : "",
          r.today_note ? el("span", { class: "note" }, r.today_note) : ""),
        el("td", {}, el("span", { class: "badge", "data-tone": s.tone }, s.text)),
        el("td", { "data-ts": r.last_reading_ms ?? "" }, readingAge(r.last_reading_ms, now)),
        el("td", { class: "num", title: r.today_note ?? "" }, kwh(r.today?.import_kwh)),
        el("td", { class: "num", title: r.today_note ?? "" }, kwh(r.today?.export_kwh)),
        el("td", { class: "num", title: r.today_note ?? "" }, costText(r.today)),
        el("td", { class: "num", title: r.peak_note ?? "" },
          r.peak || !r.peak_note || r.peak_note === r.today_note ? peakText(r.peak) : el("span", { class: "note" }, r.peak_note)));
      tr.dataset.text = rowText(r);
      return tr;
    }));
    if (u.rows.length === 0) {
      none.hidden = false;
      none.textContent = u.fetched_at_ms == null ? "Loading the sites…" : "No sites yet.";
    }
    applyFilter();
    if (focused) body.querySelector(`tr[data-site-id="${CSS.escape(focused)}"]`)?.focus();
  };

  let subscription = null;
  let left = false;
  ctx.onLeave(() => {
    left = true;
    if (subscription != null) commands.unwatchFleet(subscription).catch(() => {});
  });
  let first;
  const shown = new Promise((resolve) => { first = resolve; });
  try {
    const channel = new Channel((u) => { if (!left) { draw(u); first(); } });
    subscription = unwrap(await commands.watchFleet(channel));
    if (left) commands.unwatchFleet(subscription).catch(() => {});
  } catch (err) {
    if (!err.handled) mark.textContent = err.message;
    return;
  }
  // Swap the view in once the first update is drawn (the store's answer comes at once).
  await Promise.race([shown, new Promise((r) => setTimeout(r, 3000))]);
}
