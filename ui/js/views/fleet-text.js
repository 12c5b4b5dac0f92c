// The Fleet view's words: a site's state, its day so far, its month's peak. Pure (unit-tested).
import { ago, money } from "../format.js";

/** "Live", "Silent for 16 min", "Gateway not seen", "Never reported"; `tone` for the badge. */
export function stateText(state, now = Date.now()) {
  switch (state?.kind) {
    case "live": return { text: "Live", tone: "ok" };
    case "silent": {
      const min = Math.max(1, Math.floor((now - state.since_ms) / 60_000));
      return { text: `Silent for ${min} min`, tone: "bad" };
    }
    case "gateway_not_seen": return { text: "Gateway not seen", tone: "warn" };
    case "never_reported": return { text: "Never reported", tone: "warn" };
    default: return { text: "Unknown", tone: "warn" };
  }
}

/** "12 s ago"-style age of the newest reading, or "no reading". */
export function readingAge(ms, now = Date.now()) {
  if (ms == null) return "no reading";
  const s = Math.floor(Math.max(0, now - ms) / 1000);
  return s < 60 ? `${s} s ago` : ago(now - ms);
}

/** "3.2 kWh" from kWh. */
export function kwh(v) {
  return v == null || !Number.isFinite(v) ? "—" : `${v.toFixed(1)} kWh`;
}

/** Today's cost, or the reason there is none. */
export function costText(today) {
  if (!today || today.cost == null) return "—";
  return money(today.cost, today.currency);
}

/** "6.4 kW · SEK 410.00/month" (the month's charge at today's peaks), or "—". */
export function peakText(peak) {
  if (!peak) return "—";
  return `${peak.kw.toFixed(1)} kW · ${money(peak.month_charge, peak.currency)}/month`;
}

/** The words a filter matches a row by. */
export function rowText(r) {
  return [r.name, r.org_name, stateText(r.state).text].filter(Boolean).join(" ");
}
