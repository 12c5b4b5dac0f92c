import { test } from "node:test";
import assert from "node:assert/strict";
import { clockTime } from "../format.js";
import { direction, stateBadge, backfillNote } from "../views/powerflow-text.js";

test("directions follow the platform's signs", () => {
  assert.equal(direction("grid", { w: 800 }), "Importing");
  assert.equal(direction("grid", { w: -800 }), "Exporting");
  assert.equal(direction("grid", { w: 5 }), "Balanced");
  assert.equal(direction("solar", { w: -3000 }), "Producing");
  assert.equal(direction("solar", { w: 0 }), "Not producing");
  assert.equal(direction("battery", { w: 500 }), "Charging");
  assert.equal(direction("battery", { w: -500 }), "Discharging");
  assert.equal(direction("ev", { w: 11000 }), "Charging");
  assert.equal(direction("ev", null), "No charger reported");
});

test("states, clock times and back-fill notes", () => {
  assert.deepEqual(stateBadge("live"), { text: "Live", tone: "ok" });
  assert.equal(stateBadge("reconnecting").text, "Reconnecting…");
  assert.equal(stateBadge("offline").text, "Offline");
  assert.equal(stateBadge("connecting").text, "Connecting…");
  const t = new Date(2026, 2, 6, 9, 5, 7).getTime();
  assert.equal(clockTime(t), "09:05:07");
  assert.equal(clockTime(null), "—");
  // In the site's zone: 2026-03-06 08:05:07 UTC is 09:05:07 in Stockholm and 10:05:07 in Helsinki.
  const utc = Date.UTC(2026, 2, 6, 8, 5, 7);
  assert.equal(clockTime(utc, "Europe/Stockholm"), "09:05:07");
  assert.equal(clockTime(utc, "Europe/Helsinki"), "10:05:07");
  assert.equal(clockTime(t, "Not/AZone"), "09:05:07", "an unknown zone falls back to the computer's");
  assert.equal(backfillNote([]), null);
  assert.match(backfillNote([{ from_ms: t, to_ms: t + 60_000, buckets: 2, error: null }]), /^Missed readings 09:05:07–09:06:07 were filled in/);
  assert.equal(backfillNote([{ from_ms: t, to_ms: t, buckets: 0, error: "History could not be fetched." }]), "History could not be fetched.");
});
