// Telemetry vs prices in the real window: sign in on the Sandbox, open the first demo site's
// chart, see it drawn with prices and a cost total, and export the CSV (the save dialog is
// replaced by NOVADESK_SAVE_PATH, the documented test override).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";

let session;
let savePath;

/** The 24 h chart is drawn from the store, or with a request or two for buckets completed since. */
const DRAWN_24H = `return document.querySelector('[data-preset="day"]').getAttribute('aria-checked') === 'true'
  && !document.getElementById('chart-figure').hasAttribute('aria-busy')
  && /Drawn from the cache|Fetched in [1-3] request/.test(document.getElementById('chart-notes').textContent)`;

before(async () => {
  const home = freshHome();
  mkdirSync(join(home, "exports"), { recursive: true });
  savePath = join(home, "exports", "chart.csv");
  process.env.NOVADESK_SAVE_PATH = savePath;
  session = await startDriver("chart");
});

after(async () => {
  delete process.env.NOVADESK_SAVE_PATH;
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
});

test("the first demo site's chart renders with prices and a cost total, and exports CSV", async () => {
  const { driver } = session;
  await driver.start(APP, ["--env", "sandbox"]);
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list')"), 60_000, "signed in");

  // Sites → the first site → Chart and prices.
  await driver.click('.app-nav a[href="#sites"]');
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#sites-list a[data-site-id]').length > 0"), 30_000, "site list");
  await driver.click("#sites-list a[data-site-id]");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('open-chart')"), 30_000, "the site view");
  await driver.click("#open-chart");

  await driver.waitFor(
    () => driver.exec("return (document.getElementById('chart-svg')?.src ?? '').startsWith('data:image/svg+xml')"),
    90_000,
    "the chart image",
  );
  await driver.waitFor(() => driver.exec("return !!document.querySelector('#chart-summary #chart-total td')"), 10_000, "the cost total");
  const svg = await driver.exec("return decodeURIComponent(document.getElementById('chart-svg').src.split(',')[1])");
  assert.match(svg, /<svg/);
  assert.match(svg, /SEK\/kWh/, "the price axis is drawn");
  const total = await driver.text("#chart-total td");
  assert.match(total, /\d/, total);
  assert.equal(await driver.exec("return document.querySelector('.chart-progress').dataset.active"), "false");
  const width = await driver.exec("return document.getElementById('chart-svg').getBoundingClientRect().width");
  assert.ok(width > 400, `chart width ${width}`);
  await screenshot(driver, "chart");

  // Switching presets redraws; 24 h again comes from the cache.
  await driver.click('#chart-range [data-preset="week"]');
  await driver.waitFor(() => driver.exec("return /Fetched|cache/.test(document.getElementById('chart-notes').textContent) && !document.getElementById('chart-figure').hasAttribute('aria-busy')"), 90_000, "the 7 d chart");
  // Back to 24 h: from the store, apart from buckets completed since (the range ends now).
  await driver.click('#chart-range [data-preset="day"]');
  await driver.waitFor(() => driver.exec(DRAWN_24H), 30_000, "the cached 24 h chart");

  // A year is many requests: the progress bar shows, and Cancel stops the fetch (what came is kept).
  await driver.click('#chart-range [data-preset="year"]');
  const active = await driver
    .waitFor(() => driver.exec("return document.querySelector('.chart-progress').dataset.active === 'true'"), 20_000, "the progress bar")
    .then(() => true, () => false);
  if (active) {
    assert.ok(await driver.exec("return document.getElementById('chart-progress').value >= 0"));
    await screenshot(driver, "chart-progress");
    // The fetch may end while the screenshot is taken (Cancel is hidden then): checked and clicked
    // in one step in the page, so the click never lands on a hidden button.
    const cancelled = await driver.exec(
      "const on = document.querySelector('.chart-progress').dataset.active === 'true'; if (on) document.getElementById('chart-cancel').click(); return on;",
    );
    await driver.waitFor(
      () => driver.exec("return document.querySelector('.chart-progress').dataset.active === 'false'"),
      20_000,
      "the fetch to stop",
    );
    // A Cancel that reaches the backend after the year's last request lets the fetch complete.
    if (cancelled) assert.match(await driver.text("#chart-notes"), /Cancelled|Fetched in \d+ request/);
  }
  await driver.click('#chart-range [data-preset="day"]');
  await driver.waitFor(() => driver.exec(DRAWN_24H), 30_000, "the 24 h chart again");

  await driver.click("#export-csv");
  await driver.waitFor(() => driver.exec("return /Saved CSV/.test(document.getElementById('export-status').textContent)"), 30_000, "export done");
  assert.ok(existsSync(savePath), savePath);
  const lines = readFileSync(savePath, "utf8").trimEnd().split("\n");
  assert.match(lines[0], /^timestamp_utc,timestamp_local,Grid meter \([^)]*\) W \[W\],spot price \[SEK\/kWh\]$/, lines[0]);
  // 24 h at about one bucket per pixel column (5 min for a chart of this width).
  assert.ok(lines.length > 200, `${lines.length} lines`);
  const times = [];
  for (const row of lines.slice(1)) {
    assert.match(row, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z,\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d,-?\d+(\.\d+)?,-?\d*(\.\d+)?$/, row);
    times.push(Date.parse(row.split(",")[0]));
  }
  const step = times[1] - times[0];
  assert.ok(step >= 60_000 && times.every((t, i) => i === 0 || t - times[i - 1] >= step), "rows in time order, one per bucket");
  assert.match(lines[1].split(",").at(-1), /^-?\d+(\.\d+)?$/, "the first row has a price");

  // The dark theme redraws the chart in dark colours (from the cache).
  await driver.exec("window.lightChart = document.getElementById('chart-svg').src");
  await driver.click('#theme-switch [data-theme-choice="dark"]');
  await driver.waitFor(() => driver.exec("return document.getElementById('chart-svg').src !== window.lightChart"), 30_000, "the dark chart");
  await driver.exec("document.getElementById('chart-figure').scrollIntoView()");
  await screenshot(driver, "chart-dark");
  await driver.click('#theme-switch [data-theme-choice="system"]');
});
