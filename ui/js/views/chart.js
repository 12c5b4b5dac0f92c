// Telemetry vs prices: a site's chart with range presets, DER/field picker, price area, currency
// and grid tariff, a progress bar with Cancel while missing data is fetched, the cost summary
// beside the chart, cache/gap notes and CSV/PNG/SVG export.
//
// The view renders its frame at once (options come from the backend, cached when offline); the
// chart itself is drawn after the frame is on screen, so its width can be measured and the
// progress bar shown. Everything drawn comes from the backend's store: cached ranges come back
// without network.
import { commands, events } from "../bindings.js";
import { fetchProgress } from "../fetch-progress.js";
import { ErrorCode, unwrap } from "../result.js";
import { el } from "../dom.js";
import { href } from "../router.js";
import { epochToZoned, localTime, power, zonedToEpoch } from "../format.js";
import { PRESETS, summaryRows } from "./chart-text.js";

function isDark() {
  const theme = document.documentElement.dataset.theme;
  if (theme) return theme === "dark";
  return matchMedia("(prefers-color-scheme: dark)").matches;
}

let requestSeq = 0;

/** `#chart/:id`. */
export async function render(main, { id }, ctx) {
  const options = unwrap(await commands.chartOptions(id));
  const tz = options.time_zone;
  const state = {
    preset: "day",
    from: null,
    to: null,
    series: defaultSeries(options),
    prefs: { ...options.prefs },
    last: null,
  };

  // ---- Controls
  const presetButtons = PRESETS.map(([value, label]) =>
    el("button", { type: "button", role: "radio", "data-preset": value, "aria-checked": String(value === state.preset), tabindex: value === state.preset ? "0" : "-1" }, label));
  const presets = el("div", { class: "segmented", role: "radiogroup", "aria-label": "Range", id: "chart-range" }, ...presetButtons);
  const fromInput = el("input", { type: "datetime-local", id: "chart-from", "aria-label": `Start (${tz})` });
  const toInput = el("input", { type: "datetime-local", id: "chart-to", "aria-label": `End (${tz})` });
  const applyCustom = el("button", { type: "button", class: "btn btn-quiet", id: "chart-apply" }, "Show range");
  const customMsg = el("span", { class: "field-msg", id: "chart-custom-msg", "aria-live": "polite" });
  const custom = el("div", { class: "chart-custom", id: "chart-custom", hidden: "" },
    el("label", {}, "From ", fromInput), el("label", {}, "To ", toInput), applyCustom, customMsg);

  const picker = el("fieldset", { class: "chart-picker", id: "chart-series" }, el("legend", {}, "Series"));
  if (options.ders.length === 0) {
    picker.append(el("p", { class: "empty" }, "This site has no DERs yet: add a device with DERs to chart its telemetry."));
  }
  for (const der of options.ders) {
    for (const f of der.fields) {
      const box = el("input", { type: "checkbox", "data-der": der.id, "data-field": f.field, id: `series-${der.id}-${f.field}` });
      box.checked = state.series.some((s) => s.der_id === der.id && s.field === f.field);
      picker.append(el("label", { class: "check" }, box, ` ${der.label} — ${f.label}`));
    }
  }

  const areaSelect = select("chart-area", "Price area", options.price_areas.map((a) => [a, a]), state.prefs.price_area);
  const currencySelect = select("chart-currency", "Currency", options.currencies.map((c) => [c, c]), state.prefs.currency);
  const suggested = options.tariffs.find((t) => t.id === options.suggested_tariff_id);
  const tariffSelect = select("chart-tariff", "Grid tariff", [
    ["", suggested ? `By location: ${suggested.label}` : "By location (none found)"],
    ...options.tariffs.map((t) => [t.id, t.label]),
  ], state.prefs.tariff_id ?? "");

  // ---- Progress, chart, summary, notes, export
  const fetching = fetchProgress({
    prefix: "chart",
    label: "Fetching chart data",
    cancel: (id) => commands.cancelChart(id),
    toast: (err) => ctx.toast(err),
  });

  const image = el("img", { id: "chart-svg", alt: "" });
  const placeholder = el("p", { class: "chart-placeholder", id: "chart-placeholder" }, "Drawing the chart…");
  const figure = el("figure", { class: "chart-figure", id: "chart-figure" }, placeholder);
  const summary = el("aside", { class: "chart-summary", id: "chart-summary", "aria-label": "Cost summary" },
    el("p", { class: "empty" }, "The cost of the period appears here."));
  const notes = el("p", { class: "chart-notes", id: "chart-notes", "aria-live": "polite" });
  const exportButtons = ["csv", "png", "svg"].map((fmt) =>
    el("button", { type: "button", class: "btn btn-quiet", id: `export-${fmt}` }, `Export ${fmt.toUpperCase()}`));
  const exportStatus = el("span", { class: "field-msg", id: "export-status", "aria-live": "polite" });

  main.append(
    el("p", { class: "crumbs" }, el("a", { href: "#sites" }, "Sites"), " · ",
      el("a", { href: href("site", id), id: "chart-site-link" }, options.site_name)),
    el("h1", {}, `Telemetry vs prices — ${options.site_name}`),
    el("p", { class: "lede" }, `Times are the site's local time (${tz}). Prices are day-ahead spot prices per kWh; the cost summary uses the site's grid tariff.`),
    el("div", { class: "chart-toolbar" }, presets, el("div", { class: "chart-selects" }, areaSelect.label, currencySelect.label, tariffSelect.label)),
    custom,
    picker,
    fetching.row,
    el("div", { class: "chart-layout" }, figure, summary),
    notes,
    el("div", { class: "actions" }, ...exportButtons, exportStatus),
  );

  // ---- Behaviour
  const request = (requestId) => ({
    request_id: requestId,
    site_id: id,
    preset: state.preset,
    from_ms: state.preset === "custom" ? state.from : null,
    to_ms: state.preset === "custom" ? state.to : null,
    series: state.series,
    width: Math.max(480, Math.min(4000, Math.round(figure.clientWidth || 900))),
    height: 420,
    dark: isDark(),
  });

  async function draw() {
    const { id: requestId, channel, mine } = fetching.begin();
    figure.setAttribute("aria-busy", "true");
    const req = request(requestId);
    try {
      const out = unwrap(await commands.renderSiteChart(req, channel));
      if (!mine()) return;
      state.last = req;
      showChart(out);
    } catch (err) {
      if (!mine()) return;
      if (err.code === ErrorCode.CANCELLED) notes.textContent = "Cancelled. What was fetched is kept; choose the range again to continue.";
      else {
        notes.textContent = err.message;
        ctx.toast(err);
      }
      // Nothing drawn yet: say so where the chart goes, instead of "Drawing…".
      if (!image.isConnected) {
        placeholder.textContent = err.code === ErrorCode.CANCELLED ? "Cancelled: choose a range to draw the chart." : err.message;
      }
    } finally {
      if (fetching.end(requestId)) figure.removeAttribute("aria-busy");
    }
  }

  function showChart(out) {
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(out.svg)}`;
    image.alt = `Chart of ${describeSeries(options, out.series)} and spot prices from ${localTime(out.from_ms, tz)} to ${localTime(out.to_ms, tz)}.`;
    figure.replaceChildren(image);
    summary.replaceChildren(...summaryNodes(out, tz));
    const bits = [];
    if (out.offline) bits.push("Offline: showing what is cached.");
    if (out.cached_at != null) bits.push(`Cached at ${localTime(out.cached_at, tz)}.`);
    if (out.missing.length) {
      bits.push(`Not cached (shaded): ${out.missing.slice(0, 3).map((m) => `${localTime(m.from_ms, tz)}–${localTime(m.to_ms, tz)}`).join(", ")}${out.missing.length > 3 ? " …" : ""}.`);
    }
    if (out.fetch_note) bits.push(out.fetch_note);
    bits.push(out.network_requests === 0 ? "Drawn from the cache." : `Fetched in ${out.network_requests} request(s).`);
    notes.textContent = bits.join(" ");
  }


  const choosePreset = (value) => {
    state.preset = value;
    for (const b of presetButtons) {
      const on = b.dataset.preset === value;
      b.setAttribute("aria-checked", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    custom.hidden = value !== "custom";
    if (value === "custom") {
      const to = state.last?.to_ms ?? Date.now();
      if (!fromInput.value) fromInput.value = epochToZoned(to - 2 * 86_400_000, tz);
      if (!toInput.value) toInput.value = epochToZoned(to, tz);
      fromInput.focus();
      return;
    }
    draw();
  };
  for (const b of presetButtons) b.addEventListener("click", () => choosePreset(b.dataset.preset));
  presets.addEventListener("keydown", (event) => {
    const i = presetButtons.indexOf(document.activeElement);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (i < 0 || !step) return;
    event.preventDefault();
    const next = presetButtons[(i + step + presetButtons.length) % presetButtons.length];
    next.focus();
    choosePreset(next.dataset.preset);
  });
  applyCustom.addEventListener("click", () => {
    const from = zonedToEpoch(fromInput.value, tz);
    const to = zonedToEpoch(toInput.value, tz);
    if (from == null || to == null) {
      customMsg.textContent = "Enter both a start and an end.";
      customMsg.classList.add("is-error");
      return;
    }
    if (from >= to) {
      customMsg.textContent = "The start must be before the end.";
      customMsg.classList.add("is-error");
      return;
    }
    customMsg.textContent = "";
    customMsg.classList.remove("is-error");
    state.from = from;
    state.to = to;
    draw();
  });

  picker.addEventListener("change", (event) => {
    const box = event.target;
    const chosen = [...picker.querySelectorAll("input[type=checkbox]:checked")].map((b) => ({ der_id: b.dataset.der, field: b.dataset.field }));
    const kinds = new Set(chosen.map((s) => (s.field.endsWith("_fract") ? "soc" : "power")));
    if (kinds.size > 1) {
      box.checked = false;
      ctx.toast({ message: "Power and state of charge cannot share one chart; untick the other kind first." });
      return;
    }
    state.series = chosen;
    draw();
  });

  const savePrefs = async () => {
    const prefs = {
      price_area: areaSelect.input.value,
      currency: currencySelect.input.value,
      tariff_id: tariffSelect.input.value || null,
    };
    try {
      state.prefs = unwrap(await commands.setSiteChartPrefs(id, prefs));
      draw();
    } catch (err) {
      ctx.toast(err);
    }
  };
  for (const s of [areaSelect, currencySelect, tariffSelect]) s.input.addEventListener("change", savePrefs);

  for (const [i, fmt] of ["csv", "png", "svg"].entries()) {
    exportButtons[i].addEventListener("click", async () => {
      const req = state.last ?? request(`export-${++requestSeq}`);
      exportStatus.classList.remove("is-error");
      exportStatus.textContent = `Exporting ${fmt.toUpperCase()}…`;
      try {
        const done = unwrap(await commands.exportSiteChart(req, fmt));
        exportStatus.textContent = `Saved ${fmt.toUpperCase()} to ${done.path}.`;
      } catch (err) {
        if (err.code === ErrorCode.CANCELLED) {
          exportStatus.textContent = "";
          return;
        }
        exportStatus.textContent = err.message;
        exportStatus.classList.add("is-error");
      }
    });
  }

  // Redraw in the new colours when the theme changes (served from the cache).
  let unlisten = null;
  events.themeChanged.listen(() => { if (state.last) draw(); }).then((fn) => (unlisten = fn)).catch(() => {});
  // "System" follows the desktop: redraw when it switches between light and dark.
  const scheme = matchMedia("(prefers-color-scheme: dark)");
  const onScheme = () => { if (state.last && !document.documentElement.dataset.theme) draw(); };
  scheme.addEventListener("change", onScheme);
  ctx.onLeave(() => {
    fetching.leave();
    unlisten?.();
    scheme.removeEventListener("change", onScheme);
  });

  // Draw once the frame is on screen (its width is known then).
  requestAnimationFrame(() => draw());
}

function defaultSeries(options) {
  const meter = options.ders.find((d) => d.der_type === "meter");
  const ders = meter ? [meter] : options.ders;
  return ders.map((d) => ({ der_id: d.id, field: "W" }));
}

function describeSeries(options, series) {
  const names = series.map((s) => {
    const der = options.ders.find((d) => d.id === s.der_id);
    const field = der?.fields.find((f) => f.field === s.field);
    return `${der?.label ?? s.der_id} ${field?.label.toLowerCase() ?? s.field}`;
  });
  return names.join(", ") || "no series";
}

function select(id, label, choices, value) {
  const input = el("select", { id });
  for (const [v, text] of choices) {
    const opt = el("option", { value: v }, text);
    if (v === value) opt.selected = true;
    input.append(opt);
  }
  return { input, label: el("label", { class: "chart-select" }, el("span", {}, label), input) };
}

function summaryNodes(out, tz) {
  const nodes = [el("h2", {}, "Cost of the period")];
  const s = out.summary;
  if (!s) {
    nodes.push(el("p", { class: "empty", id: "chart-summary-note" }, out.summary_note ?? "No cost summary for this range."));
    return nodes;
  }
  const table = el("table", { class: "summary-table" });
  for (const [label, text, rowId] of summaryRows(s)) {
    table.append(el("tr", { id: rowId, class: rowId === "chart-total" ? "total" : "" }, el("th", { scope: "row" }, label), el("td", {}, text)));
  }
  nodes.push(table);
  if (s.peaks.length) {
    nodes.push(el("h3", {}, "Power peaks of the month"),
      el("ol", { class: "peaks", id: "chart-peaks" },
        ...s.peaks.map((p) => el("li", {}, `${localTime(p.start_ms, tz)} — ${power(p.kw * 1000)}`))));
  }
  if (out.summary_note) nodes.push(el("p", { class: "field-msg", id: "chart-summary-note" }, out.summary_note));
  return nodes;
}
