// The Fleet view's words for states, ages, energy, cost and peaks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { costText, kwh, peakText, readingAge, rowText, stateText } from "../views/fleet-text.js";

const NOW = 1_780_000_000_000;

test("each state says what it is, silence in whole minutes", () => {
  assert.deepEqual(stateText({ kind: "live" }, NOW), { text: "Live", tone: "ok" });
  assert.deepEqual(stateText({ kind: "silent", since_ms: NOW - 16.5 * 60_000 }, NOW), { text: "Silent for 16 min", tone: "bad" });
  assert.equal(stateText({ kind: "silent", since_ms: NOW - 5_000 }, NOW).text, "Silent for 1 min");
  assert.equal(stateText({ kind: "gateway_not_seen" }, NOW).text, "Gateway not seen");
  assert.equal(stateText({ kind: "never_reported" }, NOW).text, "Never reported");
});

test("ages, energy, cost and peak read as a person would say them; unknown is a dash", () => {
  assert.equal(readingAge(null, NOW), "no reading");
  assert.equal(readingAge(NOW - 12_400, NOW), "12 s ago");
  assert.equal(readingAge(NOW - 5 * 60_000, NOW), "5 min ago");
  assert.equal(kwh(3.14159), "3.1 kWh");
  assert.equal(kwh(undefined), "—");
  assert.match(costText({ cost: 12.345, currency: "SEK" }), /^SEK\s12\.35$/);
  assert.equal(costText({ cost: null, currency: "SEK" }), "—");
  assert.equal(costText(null), "—");
  assert.match(peakText({ kw: 6.42, month_charge: 410, currency: "SEK" }), /^6\.4 kW · SEK\s410\.00\/month$/);
  assert.equal(peakText(null), "—");
  assert.equal(rowText({ name: "Lund", org_name: "Demo", state: { kind: "live" } }), "Lund Demo Live");
});
