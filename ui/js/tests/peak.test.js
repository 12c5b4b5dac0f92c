// The power-peak panel's words: the hour in the site's zone (DST included), the rows, the peaks.
import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.__TAURI__ = { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { peakList, peakRows, windowText } = await import("../views/peak-text.js");
await import("../views/peak.js"); // the view module loads (its imports resolve)

const status = {
  currency: "SEK", price_per_kw: 65, n_peaks: 3, vat_rate: 0.25, window_counts: true,
  window_start_ms: Date.UTC(2026, 0, 20, 16), window_end_ms: Date.UTC(2026, 0, 20, 17),
  running_avg_kw: 4, projected_kw: 6.5, month_charge_ex_vat: 260,
  peaks: [{ start_ms: Date.UTC(2026, 0, 5, 16), kw: 5 }, { start_ms: Date.UTC(2026, 0, 6, 16), kw: 3 }],
};

test("the hour is shown in the site's zone, the repeated autumn hour as itself", () => {
  assert.equal(windowText(status, "Europe/Stockholm"), "17:00–18:00");
  // 2026-10-25 01:00Z is the second 02:00 in Stockholm.
  const second = { window_start_ms: Date.UTC(2026, 9, 25, 1), window_end_ms: Date.UTC(2026, 9, 25, 2) };
  assert.equal(windowText(second, "Europe/Stockholm"), "02:00–03:00");
});

test("rows say the running average, projection and the month's charge ex and inc VAT", () => {
  const rows = Object.fromEntries(peakRows(status, "Europe/Stockholm").map(([label, text, id]) => [id, [label, text]]));
  assert.equal(rows["peak-running"][1], "4.00 kW");
  assert.equal(rows["peak-projected"][1], "6.50 kW");
  assert.match(rows["peak-charge"][0], /3 peaks × SEK\s?65(\.00)?\/kW/);
  assert.match(rows["peak-charge"][1], /^SEK\s?325(\.00)? inc VAT \(SEK\s?260(\.00)? ex VAT\)$/);
  const night = peakRows({ ...status, window_counts: false, running_avg_kw: null }, "UTC");
  assert.match(night[0][1], /does not count/);
  assert.equal(night[1][1], "—");
  assert.equal(peakList(status, "Europe/Stockholm").length, 2);
  assert.match(peakList(status, "Europe/Stockholm")[0], /5\.00 kW$/);
});
