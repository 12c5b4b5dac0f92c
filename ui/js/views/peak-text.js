// The "Power peak" panel's words: pure functions (unit-tested without a window); numbers and
// times come from format.js.
import { localTime, money, power } from "../format.js";

/** "17:00–18:00" of the current window in the site's zone. */
export function windowText(s, tz) {
  const hm = (ms) => new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
  return `${hm(s.window_start_ms)}–${hm(s.window_end_ms)}`;
}

/** The panel's rows: [label, text, id]. */
export function peakRows(s, tz) {
  const c = s.currency;
  const charge = s.month_charge_ex_vat;
  return [
    ["This hour", `${windowText(s, tz)}${s.window_counts ? "" : " (does not count)"}`, "peak-window"],
    ["Running average", power(s.running_avg_kw == null ? null : s.running_avg_kw * 1000), "peak-running"],
    ["Projected to the end of the hour", power(s.projected_kw == null ? null : s.projected_kw * 1000), "peak-projected"],
    [`Power charge this month (${s.n_peaks} peak${s.n_peaks === 1 ? "" : "s"} × ${money(s.price_per_kw, c)}/kW)`,
      `${money(charge * (1 + s.vat_rate), c)} inc VAT (${money(charge, c)} ex VAT)`, "peak-charge"],
  ];
}

/** The month's charged peaks, highest first: "5 Jan 17:00 — 12.30 kW". */
export function peakList(s, tz) {
  return s.peaks.map((p) => `${localTime(p.start_ms, tz)} — ${power(p.kw * 1000)}`);
}
