// Numbers and times as the window shows them: power, energy, charge, money, ages, clock times and
// the journal's counts.
// Pure functions (unit-tested in node), the one place each of these is formatted.
//
// Sign rule: power is shown as its magnitude; the direction is said in words beside it
// ("Importing", "Exporting", "Charging" … from powerflow-text.js), never by a minus sign. The
// platform's signs (W) stay inside the data. Numbers read the same on every computer ("." for
// decimals, "," for thousands), like the rest of the window's English text; "—" means unknown.

const known = (v) => v != null && Number.isFinite(v);

/** `v` with exactly `digits` decimals: 1,234.5 */
function fixed(v, digits) {
  return (v + 0).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1.23 kW" for the magnitude of `w` (watts); one decimal from 100 kW. */
export function power(w) {
  if (!known(w)) return "—";
  const k = Math.abs(w) / 1000;
  return `${fixed(k, k < 100 ? 2 : 1)} kW`;
}

/** "12.3 kWh" from Wh. */
export function energy(wh) {
  if (!known(wh)) return "—";
  return `${fixed(wh / 1000, 1)} kWh`;
}

/** "62 %" from a 0..1 fraction (clamped). */
export function percent(fract) {
  if (!known(fract)) return "—";
  return `${Math.round(Math.min(1, Math.max(0, fract)) * 100)} %`;
}

/** "SEK 15.25" (two decimals at most); never "-0.00". */
export function money(value, currency) {
  value += 0;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 2 }).format(value);
  } catch {
    return `${fixed(value, 2)} ${currency}`;
  }
}

/** "just now", "3 min ago", "2 h ago", "4 days ago" for an age in ms. */
export function ago(ageMs) {
  const min = Math.floor(Math.max(0, ageMs) / 60_000);
  if (min < 1) return "just now";
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/**
 * "HH:MM:SS" (24 h) of an epoch-ms time in `timeZone` (the site's; the computer's when not
 * given or unknown).
 */
export function clockTime(ms, timeZone) {
  if (!known(ms)) return "—";
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(ms);
    } catch {
      // An unknown zone name: fall through to the computer's time.
    }
  }
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A local time for people: "25 Nov 14:00". */
export function localTime(ms, tz) {
  return new Intl.DateTimeFormat(undefined, { timeZone: tz, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })
    .format(new Date(ms));
}

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

/** "2 waiting for the cloud, 1 needs your decision", or "" when nothing waits. */
export function countsText({ queued, conflict }) {
  const parts = [];
  if (queued) parts.push(`${queued} waiting for the cloud`);
  if (conflict) parts.push(`${conflict} ${conflict === 1 ? "needs" : "need"} your decision`);
  return parts.join(", ");
}
