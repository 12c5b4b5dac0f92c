// The chart view's pure helpers: site-local time in and out of custom range inputs, the summary rows.
import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.__TAURI__ = { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { zonedToEpoch, epochToZoned, zoneOffsetMs } = await import("../format.js");
const { summaryRows, PRESETS } = await import("../views/chart-text.js");
await import("../views/chart.js"); // the view module loads (its imports resolve)

test("wall-clock times in the site's zone become instants and back", () => {
  // Stockholm is UTC+1 in winter, UTC+2 in summer.
  assert.equal(zonedToEpoch("2026-01-15T10:00", "Europe/Stockholm"), Date.UTC(2026, 0, 15, 9, 0));
  assert.equal(zonedToEpoch("2026-07-15T10:00", "Europe/Stockholm"), Date.UTC(2026, 6, 15, 8, 0));
  assert.equal(zonedToEpoch("2026-07-15", "UTC"), Date.UTC(2026, 6, 15));
  assert.equal(epochToZoned(Date.UTC(2026, 6, 15, 8, 0), "Europe/Stockholm"), "2026-07-15T10:00");
  assert.equal(zoneOffsetMs(Date.UTC(2026, 0, 1), "Europe/Stockholm"), 3_600_000);
  assert.equal(zonedToEpoch("not a date", "UTC"), null);
  assert.equal(zonedToEpoch("", "UTC"), null);
});

test("the summary lists every part of the cost and ends with the total", () => {
  const rows = summaryRows({
    currency: "SEK", import_kwh: 12.34, export_kwh: 2, spot_cost: 10, export_revenue: 1.5, grid_energy_fee: 3,
    power_charge: 20, fixed_fee: 5, total_ex_vat: 36.5, vat: 9.5, total_inc_vat: 46,
  });
  assert.deepEqual(rows.map((r) => r[2]), [
    "chart-import", "chart-export", "chart-spot", "chart-revenue", "chart-grid-fee", "chart-power", "chart-fixed", "chart-vat", "chart-total",
  ]);
  assert.match(rows.at(-1)[1], /46/);
  assert.match(rows[0][1], /12\.3 kWh/);
  assert.deepEqual(PRESETS.map((p) => p[0]), ["day", "week", "month", "year", "custom"]);
});
