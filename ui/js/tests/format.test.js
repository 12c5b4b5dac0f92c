// format.js: one reading renders one way wherever the window shows it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { power, energy, percent, money } from "../format.js";
import { direction, latestText } from "../views/powerflow-text.js";

test("power, energy and charge read in the units people use, unknowns as a dash", () => {
  assert.equal(power(-1234), "1.23 kW");
  assert.equal(power(0), "0.00 kW");
  assert.equal(power(150_000), "150.0 kW");
  assert.equal(power(null), "—");
  assert.equal(power(NaN), "—");
  assert.equal(energy(6200), "6.2 kWh");
  assert.equal(energy(undefined), "—");
  assert.equal(percent(0.624), "62 %");
  assert.equal(percent(1.2), "100 %", "clamped");
  assert.equal(percent(null), "—");
});

test("a power reading is its magnitude in kW with the direction in words, in the tiles and the DER list alike", () => {
  // The grid meter exports 1234 W: the live tile shows power() with direction(); the DER list the same.
  const w = -1234;
  assert.equal(power(w), "1.23 kW");
  assert.equal(direction("grid", { w }), "Exporting");
  assert.equal(latestText("meter", { field: "W", value: w }), "1.23 kW exporting");
  assert.equal(latestText("battery", { field: "W", value: -500 }), "0.50 kW discharging");
  assert.equal(latestText("solar", { field: "W", value: -3000 }), "3.00 kW producing");
  assert.equal(latestText("ev_charger_port", { field: "W", value: 11_000 }), "11.00 kW charging");
  assert.equal(power(850), "0.85 kW", "below 1 kW still in kW, never a second style");
  assert.equal(latestText("gadget", { field: "W", value: -850 }), "0.85 kW", "an unknown DER type: no sign, no word");
  assert.ok(!latestText("meter", { field: "W", value: w }).includes("-"), "never a minus sign");
});

test("charge, money and large energies", () => {
  assert.equal(latestText("battery", { field: "soc_fract", value: 0.624 }), "SoC 62 %");
  assert.equal(latestText("ev_charger_port", { field: "vehicle_soc_fract", value: 0.8 }), "EV SoC 80 %");
  assert.equal(energy(12_345_600), "12,345.6 kWh");
  assert.equal(energy(0), "0.0 kWh");
  assert.match(money(15.25, "SEK"), /^SEK\s15\.25$/);
  assert.equal(money(-0, "EUR"), "€0.00", "no minus zero");
  assert.equal(money(1.5, "not a currency"), "1.50 not a currency");
});
