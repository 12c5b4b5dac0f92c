// "What if": a site's cost over a period (default the last 12 whole months) under every grid
// tariff offered at its location plus today's, with the same meter data and spot prices: a ranked
// table, the monthly cost per tariff (an SVG drawn by the backend), coverage and provenance notes,
// a progress bar with Cancel while missing data is fetched, and CSV export.
import { commands } from "../bindings.js";
import { fetchProgress } from "../fetch-progress.js";
import { ErrorCode, unwrap } from "../result.js";
import { el } from "../dom.js";
import { href } from "../router.js";
import { epochToZoned, localTime, money, zonedToEpoch } from "../format.js";

function isDark() {
  const theme = document.documentElement.dataset.theme;
  if (theme) return theme === "dark";
  return matchMedia("(prefers-color-scheme: dark)").matches;
}

let requestSeq = 0;

/** `#whatif/:id`. */
export async function render(main, { id }, ctx) {
  const state = { from: null, to: null, last: null, tz: "UTC" };

  const title = el("h1", {}, "What if — tariffs compared");
  const siteLink = el("a", { href: href("site", id), id: "whatif-site-link" }, "Site");
  const fromInput = el("input", { type: "date", id: "whatif-from", "aria-label": "First day" });
  const toInput = el("input", { type: "date", id: "whatif-to", "aria-label": "Last day" });
  const apply = el("button", { type: "button", class: "btn btn-quiet", id: "whatif-apply" }, "Compare this period");
  const lastYear = el("button", { type: "button", class: "btn btn-quiet", id: "whatif-last-year" }, "Last 12 months");
  const periodMsg = el("span", { class: "field-msg", id: "whatif-period-msg", "aria-live": "polite" });

  const fetching = fetchProgress({
    prefix: "whatif",
    label: "Fetching meter data and prices",
    cancel: (id) => commands.cancelTariffComparison(id),
    toast: (err) => ctx.toast(err),
  });

  const tableBox = el("div", { id: "whatif-table-box" }, el("p", { class: "empty", id: "whatif-placeholder" }, "Comparing the tariffs…"));
  const figure = el("figure", { class: "chart-figure", id: "whatif-figure" });
  const coverage = el("p", { class: "chart-notes", id: "whatif-coverage" });
  const notes = el("p", { class: "chart-notes", id: "whatif-notes", "aria-live": "polite" });
  const exportCsv = el("button", { type: "button", class: "btn btn-quiet", id: "whatif-export-csv" }, "Export CSV");
  const exportStatus = el("span", { class: "field-msg", id: "whatif-export-status", "aria-live": "polite" });

  main.append(
    el("p", { class: "crumbs" }, el("a", { href: "#sites" }, "Sites"), " · ", siteLink),
    title,
    el("p", { class: "lede" }, "The cost of the same meter data and spot prices under every grid tariff offered at the site's location, and its current one. Totals include VAT; the parts beside them are without VAT."),
    el("div", { class: "chart-custom", id: "whatif-period" },
      el("label", {}, "From ", fromInput), el("label", {}, "To ", toInput), apply, lastYear, periodMsg),
    fetching.row,
    tableBox,
    coverage,
    figure,
    notes,
    el("div", { class: "actions" }, exportCsv, exportStatus),
  );

  const request = (requestId) => ({
    request_id: requestId,
    site_id: id,
    from_ms: state.from,
    to_ms: state.to,
    width: Math.max(480, Math.min(4000, Math.round(main.clientWidth || 960))),
    height: 360,
    dark: isDark(),
  });

  async function compare() {
    const { id: requestId, channel, mine } = fetching.begin();
    tableBox.setAttribute("aria-busy", "true");
    const req = request(requestId);
    try {
      const out = unwrap(await commands.compareTariffs(req, channel));
      if (!mine()) return;
      state.last = req;
      show(out);
    } catch (err) {
      if (!mine()) return;
      const text = err.code === ErrorCode.CANCELLED
        ? "Cancelled. What was fetched is kept; compare again to continue."
        : err.message;
      tableBox.replaceChildren(el("p", { class: "empty", id: "whatif-error" }, text));
      figure.replaceChildren();
      coverage.textContent = "";
      notes.textContent = "";
    } finally {
      if (fetching.end(requestId)) tableBox.removeAttribute("aria-busy");
    }
  }

  function show(out) {
    state.tz = out.time_zone;
    const tz = out.time_zone;
    title.textContent = `What if — ${out.site_name}`;
    siteLink.textContent = out.site_name;
    fromInput.value = epochToZoned(out.from_ms, tz).slice(0, 10);
    toInput.value = epochToZoned(out.to_ms - 1, tz).slice(0, 10);
    tableBox.replaceChildren(table(out));
    coverage.textContent = out.coverage;
    const image = el("img", {
      id: "whatif-chart",
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(out.chart_svg)}`,
      alt: `Monthly cost per tariff from ${localTime(out.from_ms, tz)} to ${localTime(out.to_ms, tz)}, in ${out.currency} including VAT.`,
    });
    figure.replaceChildren(image);
    const bits = [...out.notes];
    if (out.offline) bits.push("Offline: compared from what is cached.");
    if (out.tariffs_cached) bits.push("The offered tariffs are the cached list.");
    if (out.cached_at != null) bits.push(`Meter data cached at ${localTime(out.cached_at, tz)}.`);
    bits.push(out.network_requests === 0 ? "Everything came from the cache." : `Fetched in ${out.network_requests} request(s).`);
    notes.textContent = bits.join(" ");
  }

  function table(out) {
    const c = out.currency;
    const head = ["#", "Tariff", "Total incl. VAT", "Difference to today", "Spot energy", "Energy fee", "Power charge", "Fixed fee"];
    const rows = out.rows.map((r) => {
      const s = r.cost;
      const cells = s
        ? [
          money(s.total_inc_vat, c),
          r.difference == null ? "—" : r.current ? "today's tariff" : signed(r.difference, c),
          money(s.spot_cost - s.export_revenue, c),
          money(s.grid_energy_fee, c),
          money(s.power_charge, c),
          money(s.fixed_fee, c),
        ].map((t) => el("td", { class: "num" }, t))
        : [el("td", { colspan: "6", class: "field-msg is-error" }, r.problem ?? "Could not be priced.")];
      return el("tr", { "data-tariff": r.tariff_id, class: r.current ? "is-current" : "" },
        el("td", {}, r.rank == null ? "—" : String(r.rank)),
        el("th", { scope: "row" }, r.label, r.current ? el("span", { class: "badge" }, " today") : ""),
        ...cells);
    });
    return el("table", { class: "table", id: "whatif-table", "aria-label": "Tariffs, cheapest first" },
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows));
  }

  apply.addEventListener("click", () => {
    const from = zonedToEpoch(`${fromInput.value}T00:00`, state.tz);
    const last = zonedToEpoch(`${toInput.value}T00:00`, state.tz);
    if (!fromInput.value || !toInput.value || from == null || last == null) {
      periodMsg.textContent = "Enter both a first and a last day.";
      periodMsg.classList.add("is-error");
      return;
    }
    // The last day is included: the period ends at the next local midnight (or now, if sooner).
    const to = Math.min(zonedToEpoch(epochToZoned(last + 36 * 3_600_000, state.tz).slice(0, 10) + "T00:00", state.tz), Date.now());
    if (from >= to) {
      periodMsg.textContent = "The first day must be before the last.";
      periodMsg.classList.add("is-error");
      return;
    }
    periodMsg.textContent = "";
    periodMsg.classList.remove("is-error");
    state.from = from;
    state.to = to;
    compare();
  });
  lastYear.addEventListener("click", () => {
    state.from = null;
    state.to = null;
    compare();
  });
  exportCsv.addEventListener("click", async () => {
    const req = state.last ?? request(`whatif-export-${++requestSeq}`);
    exportStatus.classList.remove("is-error");
    exportStatus.textContent = "Exporting CSV…";
    try {
      const done = unwrap(await commands.exportTariffComparison(req));
      exportStatus.textContent = `Saved CSV to ${done.path}.`;
    } catch (err) {
      if (err.code === ErrorCode.CANCELLED) {
        exportStatus.textContent = "";
        return;
      }
      exportStatus.textContent = err.message;
      exportStatus.classList.add("is-error");
    }
  });
  ctx.onLeave(() => {
    fetching.leave();
  });

  requestAnimationFrame(() => compare());
}

function signed(value, currency) {
  const text = money(Math.abs(value), currency);
  if (Math.abs(value) < 0.005) return `± ${text}`;
  return value < 0 ? `− ${text} cheaper` : `+ ${text} dearer`;
}
