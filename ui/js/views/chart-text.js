// The chart view's words: the range presets and the cost summary's rows. Pure functions
// (unit-tested without a window); numbers and times come from format.js.
import { energy, money } from "../format.js";

export const PRESETS = [
  ["day", "24 h"],
  ["week", "7 d"],
  ["month", "30 d"],
  ["year", "1 y"],
  ["custom", "Custom"],
];

/** The summary table's rows: [label, text, id]. */
export function summaryRows(s) {
  const c = s.currency;
  return [
    ["Energy imported", energy(s.import_kwh * 1000), "chart-import"],
    ["Energy exported", energy(s.export_kwh * 1000), "chart-export"],
    ["Spot cost", money(s.spot_cost, c), "chart-spot"],
    ["Export revenue", money(-s.export_revenue, c), "chart-revenue"],
    ["Grid energy fee", money(s.grid_energy_fee, c), "chart-grid-fee"],
    ["Power charge", money(s.power_charge, c), "chart-power"],
    ["Fixed fee", money(s.fixed_fee, c), "chart-fixed"],
    ["VAT", money(s.vat, c), "chart-vat"],
    ["Total", money(s.total_inc_vat, c), "chart-total"],
  ];
}
