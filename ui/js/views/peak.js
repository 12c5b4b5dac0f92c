// The site view's "Power peak" panel, for sites on a grid tariff with a power charge: the hour's
// running average and projection, the month's charged peaks, a banner when the projection would
// set a new one (what it would add, what is drawing), and the per-site switch for desktop
// notifications. Reports arrive over a Channel every few seconds; hidden for other tariffs.
import { commands } from "../bindings.js";
import { Channel } from "../host.js";
import { el } from "../dom.js";
import { unwrap } from "../result.js";
import { panel } from "./detail.js";
import { peakList, peakRows } from "./peak-text.js";

/**
 * Shows the power-peak panel of `siteId` in `container` (hidden until a report says it applies).
 * @param {HTMLElement} container
 * @param {string} siteId
 * @param {{ toast?: (err: any) => void }} [ctx]
 * @param {{ timeZone?: () => string | null | undefined }} [opts] the site's time zone, once known
 * @returns {() => void} dispose: stops the reports (call when the view is left)
 */
export function mountPeakPanel(container, siteId, ctx = {}, opts = {}) {
  const zone = () => opts.timeZone?.() ?? undefined;
  const banner = el("div", { class: "banner peak-banner", id: "peak-banner", role: "alert", hidden: "" },
    el("strong", { id: "peak-warning" }), " ", el("span", { id: "peak-drawing" }));
  const note = el("p", { class: "pf-note", id: "peak-note", "aria-live": "polite" });
  const table = el("table", { class: "summary-table", id: "peak-table" }, el("tbody"));
  const peaks = el("ol", { class: "peaks", id: "peak-peaks", "aria-label": "The month's charged peaks" });
  const toggle = el("input", { type: "checkbox", id: "peak-notify", checked: "" });
  const toggleLabel = el("label", { class: "peak-toggle", for: "peak-notify" }, toggle, " Desktop notification when this site is about to set a new peak");
  const body = el("div", { class: "peak-body", id: "peak-body" }, table, el("h3", {}, "The month's charged peaks"), peaks);
  const root = panel("site-peak-panel", "Power peak", banner, note, body, toggleLabel);
  root.hidden = true;
  root.dataset.source = "";
  container.replaceChildren(root);

  commands.getSettings().then((r) => {
    if (r.status === "ok") toggle.checked = !r.data.peak_notifications_off.includes(siteId);
  });
  toggle.addEventListener("change", async () => {
    try {
      unwrap(await commands.setPeakNotifications(siteId, toggle.checked));
    } catch (err) {
      toggle.checked = !toggle.checked;
      ctx.toast?.(err);
    }
  });

  let disposed = false;
  let subscription = null;

  /** @param {import("../bindings.js").PeakReport} r */
  const apply = (r) => {
    if (disposed) return;
    root.hidden = !r.applies;
    note.textContent = r.note ?? "";
    const s = r.status;
    body.hidden = !s;
    root.dataset.source = s?.source ?? "";
    if (s) {
      const tz = zone();
      table.tBodies[0].replaceChildren(...peakRows(s, tz).map(([label, text, id]) =>
        el("tr", { id }, el("th", { scope: "row" }, label), el("td", {}, text))));
      const list = peakList(s, tz);
      peaks.replaceChildren(...(list.length ? list.map((t) => el("li", {}, t)) : [el("li", { class: "empty" }, "No peaks this month yet.")]));
    }
    banner.hidden = !r.warning;
    banner.querySelector("#peak-warning").textContent = r.warning ?? "";
    banner.querySelector("#peak-drawing").textContent = r.drawing ?? "";
  };

  (async () => {
    try {
      const id = unwrap(await commands.watchPeak(siteId, new Channel(apply)));
      if (disposed) await commands.unwatchSite(id);
      else subscription = id;
    } catch (err) {
      if (disposed) return;
      root.hidden = false;
      body.hidden = true;
      note.textContent = err?.message ?? String(err);
    }
  })();

  return () => {
    if (disposed) return;
    disposed = true;
    if (subscription != null) commands.unwatchSite(subscription).catch(() => {});
  };
}
