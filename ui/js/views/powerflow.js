// A site's live power flow: grid, solar, battery (power and charge), EV charger and the house,
// with the connection state and the time of the last reading. Mounted into the site view's
// #site-live; updates arrive over a Channel at most once per frame and change only text and
// attributes, so nothing moves while they do.
import { commands } from "../bindings.js";
import { Channel } from "../host.js";
import { el } from "../dom.js";
import { unwrap } from "../result.js";
import { power, energy, percent, clockTime } from "../format.js";
import { IDLE_W, direction, stateBadge, backfillNote } from "./powerflow-text.js";

const TILES = [
  { kind: "grid", label: "Grid", id: "pf-grid" },
  { kind: "solar", label: "Solar", id: "pf-solar" },
  { kind: "battery", label: "Battery", id: "pf-battery" },
  { kind: "soc", label: "Battery charge", id: "pf-soc" },
  { kind: "ev", label: "EV charger", id: "pf-ev" },
  { kind: "load", label: "House", id: "pf-load" },
];

/**
 * Shows the live power flow of `siteId` in `container` and starts watching it.
 * @param {HTMLElement} container
 * @param {string} siteId
 * @param {{ toast?: (err: any) => void }} [ctx]
 * @param {{ timeZone?: () => string | null | undefined }} [opts] the site's time zone, once known
 * @returns {() => void} dispose: stops watching (call when the view is left)
 */
export function mountPowerFlow(container, siteId, ctx = {}, opts = {}) {
  const zone = () => opts.timeZone?.() ?? undefined;
  const badge = el("span", { class: "pf-state", id: "pf-state", "data-state": "connecting", role: "status" }, "Connecting…");
  const last = el("span", { class: "pf-last", id: "pf-last" }, "last reading —");
  const note = el("p", { class: "pf-note", id: "pf-note", "aria-live": "polite" }, "");
  const grid = el("div", { class: "pf-grid" });
  /** @type {Record<string, {value: HTMLElement, detail: HTMLElement, tile: HTMLElement}>} */
  const parts = {};
  for (const t of TILES) {
    const value = el("span", { class: "pf-value", id: t.id, "data-ts": "" }, "—");
    const detail = el("span", { class: "pf-detail", id: `${t.id}-detail` }, "Waiting for readings…");
    const tile = el("div", { class: "pf-tile", "data-kind": t.kind, "data-dir": "none" },
      el("span", { class: "pf-label" }, t.label), value, detail);
    parts[t.kind] = { value, detail, tile };
    grid.append(tile);
  }
  const root = el("div", { class: "powerflow", "data-site-id": siteId },
    el("div", { class: "pf-head" }, badge, last), grid, note);
  container.replaceChildren(root);

  let disposed = false;
  let subscription = null;

  const setState = (state, reason) => {
    const b = stateBadge(state);
    badge.textContent = b.text;
    badge.dataset.state = state;
    badge.dataset.tone = b.tone;
    badge.title = reason ?? "";
    if (reason) note.textContent = reason;
    else if (note.dataset.kind !== "backfill") note.textContent = "";
  };

  const show = (kind, text, detail, ts, dir) => {
    const p = parts[kind];
    if (p.value.textContent !== text) p.value.textContent = text;
    if (p.detail.textContent !== detail) p.detail.textContent = detail;
    p.value.dataset.ts = ts == null ? "" : String(ts);
    p.tile.dataset.dir = dir;
  };

  const flowTile = (kind, flow, extra, word) => {
    const dir = word ?? direction(kind, flow);
    const tone = !flow ? "none" : Math.abs(flow.w) <= IDLE_W ? "idle" : flow.w > 0 ? "in" : "out";
    show(kind, power(flow?.w), extra ? `${dir} · ${extra}` : dir, flow?.ts_ms, tone);
  };

  /** @param {import("../bindings.js").LiveUpdate_Deserialize} u */
  const apply = (u) => {
    if (disposed) return;
    setState(u.state, u.reason);
    last.textContent = `last reading ${clockTime(u.last_reading_ms, zone())}`;
    last.dataset.ts = u.last_reading_ms == null ? "" : String(u.last_reading_ms);
    // When the app received it (the measurement script splits latency into server and app parts).
    last.dataset.received = u.received_ms == null ? "" : String(u.received_ms);
    flowTile("grid", u.grid);
    flowTile("solar", u.solar);
    flowTile("battery", u.battery);
    const soc = u.battery_soc_fract;
    show("soc", percent(soc), soc == null ? "No battery reported" : `${energy(u.battery_stored_wh)} stored`,
      u.battery?.ts_ms, soc == null ? "none" : "idle");
    // An idle charger's own word (suspended, available) says more than "Not charging".
    const idle = u.ev && Math.abs(u.ev.w) <= IDLE_W && u.ev_status;
    const word = idle ? u.ev_status.charAt(0).toUpperCase() + u.ev_status.slice(1) : undefined;
    const session = u.ev_session_wh ? `${energy(u.ev_session_wh)} this session` : null;
    flowTile("ev", u.ev, session, word);
    const newest = Math.max(...[u.grid, u.solar, u.battery, u.ev].filter(Boolean).map((f) => f.ts_ms));
    show("load", power(u.load_w), u.load_w == null ? "Needs the grid meter" : "Used in the house",
      Number.isFinite(newest) && u.load_w != null ? newest : null, u.load_w == null ? "none" : "idle");
    const filled = backfillNote(u.backfills, zone());
    if (filled) {
      note.textContent = filled;
      note.dataset.kind = "backfill";
      // What the sentence says, for checks: the range asked for and the history buckets stored.
      note.dataset.from = String(Math.min(...u.backfills.map((b) => b.from_ms)));
      note.dataset.to = String(Math.max(...u.backfills.map((b) => b.to_ms)));
      note.dataset.buckets = String(u.backfills.reduce((n, b) => n + b.buckets, 0));
    }
  };

  (async () => {
    try {
      const channel = new Channel(apply);
      const id = unwrap(await commands.watchSite(siteId, channel));
      if (disposed) await commands.unwatchSite(id);
      else subscription = id;
    } catch (err) {
      if (disposed) return;
      setState("offline", err?.message ?? String(err));
      ctx.toast?.(err);
    }
  })();

  return () => {
    if (disposed) return;
    disposed = true;
    if (subscription != null) commands.unwatchSite(subscription).catch(() => {});
  };
}
