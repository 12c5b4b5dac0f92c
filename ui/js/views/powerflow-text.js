// Words and numbers for the live power flow: pure functions (unit-tested in node), no DOM.
// Flows arrive in the platform's signs (W): grid + import / − export, solar ≤ 0 while producing,
// battery + charging / − discharging, EV + charging the car / − feeding back.

/** Below this many watts a flow reads as idle (meters jitter around zero). */
export const IDLE_W = 20;

/** "1.23 kW" for the magnitude of `w`; "—" when unknown. */
export function kw(w) {
  if (w == null || !Number.isFinite(w)) return "—";
  const k = Math.abs(w) / 1000;
  return `${k < 100 ? k.toFixed(2) : k.toFixed(1)} kW`;
}

/** "12.3 kWh" from Wh; "—" when unknown. */
export function kwh(wh) {
  if (wh == null || !Number.isFinite(wh)) return "—";
  return `${(wh / 1000).toFixed(1)} kWh`;
}

/** "62 %" from a 0..1 fraction; "—" when unknown. */
export function percent(fract) {
  if (fract == null || !Number.isFinite(fract)) return "—";
  return `${Math.round(Math.min(1, Math.max(0, fract)) * 100)} %`;
}

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

/**
 * "HH:MM:SS" (24 h) of an epoch-ms time in `timeZone` (the site's; the computer's when not
 * given or unknown); "—" when unknown.
 */
export function clockTime(ms, timeZone) {
  if (ms == null || !Number.isFinite(ms)) return "—";
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

/** A sentence about gaps filled from history, or null. */
export function backfillNote(backfills, timeZone) {
  if (!backfills?.length) return null;
  const failed = backfills.find((b) => b.error);
  if (failed) return failed.error;
  const from = Math.min(...backfills.map((b) => b.from_ms));
  const to = Math.max(...backfills.map((b) => b.to_ms));
  return `Missed readings ${clockTime(from, timeZone)}–${clockTime(to, timeZone)} were filled in from history.`;
}
