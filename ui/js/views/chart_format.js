// The chart view's formatting: site-local time in and out of the custom range inputs, money and
// energy for the cost summary. Pure functions (unit-tested without a window).

export const PRESETS = [
  ["day", "24 h"],
  ["week", "7 d"],
  ["month", "30 d"],
  ["year", "1 y"],
  ["custom", "Custom"],
];

/** Offset of `tz` from UTC at instant `ms`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms, tz) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz, hourCycle: "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** "2026-03-29T02:30" read as wall-clock time in `tz` → epoch ms (null when not a valid value). */
export function zonedToEpoch(local, tz) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local ?? "");
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0));
  // Two passes settle the offset also next to a DST change.
  let guess = wall - zoneOffsetMs(wall, tz);
  guess = wall - zoneOffsetMs(guess, tz);
  return Number.isFinite(guess) ? guess : null;
}

/** Epoch ms → "YYYY-MM-DDTHH:MM" wall-clock time in `tz` (for datetime-local inputs). */
export function epochToZoned(ms, tz) {
  const d = new Date(ms + zoneOffsetMs(ms, tz));
  return d.toISOString().slice(0, 16);
}

/** A local time for people: "25 Nov 14:00". */
export function localTime(ms, tz) {
  return new Intl.DateTimeFormat(undefined, { timeZone: tz, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })
    .format(new Date(ms));
}

export function money(value, currency) {
  value += 0; // no "-0.00"
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 2 }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

const kwh = (v) => `${v.toLocaleString(undefined, { maximumFractionDigits: 1 })} kWh`;

/** The summary table's rows: [label, text, id]. */
export function summaryRows(s) {
  const c = s.currency;
  return [
    ["Energy imported", kwh(s.import_kwh), "chart-import"],
    ["Energy exported", kwh(s.export_kwh), "chart-export"],
    ["Spot cost", money(s.spot_cost, c), "chart-spot"],
    ["Export revenue", money(-s.export_revenue, c), "chart-revenue"],
    ["Grid energy fee", money(s.grid_energy_fee, c), "chart-grid-fee"],
    ["Power charge", money(s.power_charge, c), "chart-power"],
    ["Fixed fee", money(s.fixed_fee, c), "chart-fixed"],
    ["VAT", money(s.vat, c), "chart-vat"],
    ["Total", money(s.total_inc_vat, c), "chart-total"],
  ];
}
