// Words for power flows: pure functions (unit-tested in node), no DOM. Flows arrive in the
// platform's signs (W): grid + import / − export, solar ≤ 0 while producing, battery + charging /
// − discharging, EV + charging the car / − feeding back. The window shows a flow as its magnitude
// (format.js `power`) with the direction word from here: the live tiles and a DER's latest
// stored value alike.
import { clockTime, percent, power } from "../format.js";

/** Below this many watts a flow reads as idle (meters jitter around zero). */
export const IDLE_W = 20;

const WORDS = {
  grid: ["Importing", "Exporting", "Balanced", "No grid meter reported"],
  solar: ["Consuming", "Producing", "Not producing", "No solar reported"],
  battery: ["Charging", "Discharging", "Idle", "No battery reported"],
  ev: ["Charging", "Feeding back", "Not charging", "No charger reported"],
};

/**
 * The direction word of a flow.
 * @param {"grid"|"solar"|"battery"|"ev"} kind
 * @param {{w: number} | null} flow
 */
export function direction(kind, flow) {
  const [pos, neg, idle, none] = WORDS[kind];
  if (!flow || !Number.isFinite(flow.w)) return none;
  if (flow.w > IDLE_W) return pos;
  if (flow.w < -IDLE_W) return neg;
  return idle;
}

/** Which flow a DER type's power is (the same words as the live tiles). */
const KIND_OF_DER = { meter: "grid", solar: "solar", battery: "battery", ev_charger_port: "ev" };

/**
 * One stored latest value of a DER as text: "1.23 kW exporting", "SoC 62 %", "EV SoC 80 %".
 * @param {string} derType
 * @param {{ field: string, value: number }} latest
 */
export function latestText(derType, { field, value }) {
  if (field === "W") {
    const kind = KIND_OF_DER[derType];
    return kind ? `${power(value)} ${direction(kind, { w: value }).toLowerCase()}` : power(value);
  }
  if (field.endsWith("_fract")) return `${field.startsWith("vehicle") ? "EV " : ""}SoC ${percent(value)}`;
  return `${field} ${value}`;
}

/** The badge text and its tone for a connection state. */
export function stateBadge(state) {
  switch (state) {
    case "live":
      return { text: "Live", tone: "ok" };
    case "reconnecting":
      return { text: "Reconnecting…", tone: "warn" };
    case "offline":
      return { text: "Offline", tone: "bad" };
    default:
      return { text: "Connecting…", tone: "muted" };
  }
}

/** A sentence about gaps filled from history, or null. */
export function backfillNote(backfills, timeZone) {
  if (!backfills?.length) return null;
  const failed = backfills.find((b) => b.error);
  if (failed) return failed.error;
  const from = Math.min(...backfills.map((b) => b.from_ms));
  const to = Math.max(...backfills.map((b) => b.to_ms));
  return `Missed readings ${clockTime(from, timeZone)}–${clockTime(to, timeZone)} were filled in from history.`;
}
