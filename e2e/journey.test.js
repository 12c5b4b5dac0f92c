// Journey 1, the energy manager's day in one go: a new identity signs in to the Sandbox →
// organizations → the organization → a site whose live values change within 5 s → its chart with
// prices and a cost total → a CSV export with the expected header and rows. The save dialog is
// replaced by NOVADESK_SAVE_PATH (the documented test override).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { APP, freshHome, identityDetail, quitApp, screenshot, startDriver } from "./harness.js";

let session;
let savePath;

before(async () => {
  const home = freshHome();
  mkdirSync(join(home, "exports"), { recursive: true });
  savePath = join(home, "exports", "journey.csv");
  session = await startDriver("journey", { NOVADESK_SAVE_PATH: savePath });
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
});

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);
const reading = (driver, id) =>
  driver.exec(`const e = document.getElementById(${JSON.stringify(id)}); return e ? [e.textContent, e.dataset.ts ?? null] : null`);

test("new identity → organizations → site live → chart with prices → CSV export", async () => {
  const { driver } = session;
  await driver.start(APP, []);
  await driver.waitFor(() => driver.exec("return document.body.dataset.ready === 'true'"), 20_000, "app ready");
  await driver.screenshot(); // the session's first capture can be the window's first paint

  // A new identity: the welcome view's Connect on the Sandbox creates it.
  await driver.click("#connect");
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 2"), 60_000, "organizations");
  await screenshot(driver, "journey-1-organizations");
  assert.match(await identityDetail(driver, "#identity-id"), /^idt-/);

  // The organization you own → its sites.
  await driver.exec("[...document.querySelectorAll('#org-list li')].find(li => /owner/i.test(li.textContent)).querySelector('a').click()");
  await driver.waitFor(() => exists(driver, "#org-sites li[data-site-id] a"), 30_000, "the organization's sites");
  await screenshot(driver, "journey-2-organization");
  await driver.click("#org-sites li[data-site-id] a");

  // The site: live values arrive and change within 5 s.
  await driver.waitFor(() => driver.exec("return document.getElementById('pf-state')?.dataset.state === 'live'"), 30_000, "live");
  await driver.waitFor(async () => (await reading(driver, "pf-grid"))?.[1], 10_000, "a grid reading");
  const first = await reading(driver, "pf-grid");
  await driver.waitFor(async () => {
    const now = await reading(driver, "pf-grid");
    return now && now[1] !== first[1];
  }, 5_000, "the grid value to change");
  await screenshot(driver, "journey-3-site-live");

  // Its chart: drawn with the price axis and a cost total.
  await driver.click("#open-chart");
  await driver.waitFor(
    () => driver.exec("return (document.getElementById('chart-svg')?.src ?? '').startsWith('data:image/svg+xml')"),
    90_000,
    "the chart",
  );
  await driver.waitFor(() => exists(driver, "#chart-summary #chart-total td"), 10_000, "the cost total");
  const svg = await driver.exec("return decodeURIComponent(document.getElementById('chart-svg').src.split(',')[1])");
  assert.match(svg, /SEK\/kWh|EUR\/kWh/, "the price axis is drawn");
  assert.match(await driver.text("#chart-total td"), /\d/);
  await screenshot(driver, "journey-4-chart");

  // CSV export: header with units and the price, then rows with UTC and site-local times.
  await driver.click("#export-csv");
  await driver.waitFor(() => driver.exec("return /Saved CSV/.test(document.getElementById('export-status').textContent)"), 30_000, "export done");
  assert.ok(existsSync(savePath), savePath);
  const lines = readFileSync(savePath, "utf8").trimEnd().split("\n");
  assert.match(lines[0], /^timestamp_utc,timestamp_local,.+\[W\].*,spot price \[(SEK|EUR)\/kWh\]$/, lines[0]);
  assert.ok(lines.length > 100, `${lines.length} lines`);
  for (const row of lines.slice(1, 20)) {
    assert.match(row, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z,\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d,/, row);
  }
});
