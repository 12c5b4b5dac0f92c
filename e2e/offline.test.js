// Journey 3, offline: use an environment (organizations, a site, its chart), quit, stop the server,
// start the app again: it signs in from the keychain-held session and shows the cached data with the
// offline banner; when the server is back it reconnects by itself and says so.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";
import { startSim } from "./sim.js";

let session;
let sim;
let url;

before(async () => {
  freshHome();
  sim = await startSim();
  url = sim.url;
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

async function organizations(driver) {
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 2"), 60_000, "the organizations list");
  return driver.exec("return [...document.querySelectorAll('#org-list li .name')].map(n => n.textContent)");
}

const bannerShown = (driver) => driver.exec("const b = document.getElementById('offline-banner'); return !!b && !b.hidden");

let siteId;
let siteNames;
let orgNames;

const chartDrawn = (driver) =>
  driver.exec("return (document.getElementById('chart-svg')?.src ?? '').startsWith('data:image/svg+xml') && !document.getElementById('chart-figure').hasAttribute('aria-busy')");

test("online first: organizations, the sites and a site's chart are fetched (and cached)", async () => {
  session = await startDriver("offline-online");
  const { driver } = session;
  await driver.start(APP, ["--env", url]);
  orgNames = await organizations(driver);
  assert.ok(orgNames.length >= 2, JSON.stringify(orgNames));
  assert.equal(await bannerShown(driver), false);
  await driver.click('.app-nav a[href="#sites"]');
  await driver.waitFor(() => driver.exec("return document.getElementById('fresh-mark')?.dataset.state === 'fresh' && document.querySelectorAll('#sites-list a[data-site-id]').length >= 2"), 30_000, "the sites");
  siteNames = await driver.exec("return [...document.querySelectorAll('#sites-list a[data-site-id]')].map(a => a.dataset.siteId)");
  siteId = siteNames[0];
  await driver.click("#sites-list a[data-site-id]");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('open-chart')"), 30_000, "the site");
  await driver.click("#open-chart");
  await driver.waitFor(() => chartDrawn(driver), 90_000, "the chart");
});

test("server stopped: the app starts offline with cached data and the banner", async () => {
  await quitApp(session.driver);
  session.stop();
  const port = new URL(url).port;
  await sim.stop();

  session = await startDriver("offline-restart");
  const { driver } = session;
  // No --env: the app reopens the environment used last.
  await driver.start(APP, []);
  const names = await organizations(driver);
  assert.deepEqual(names, orgNames, "the cached organizations");
  await driver.waitFor(() => bannerShown(driver), 10_000, "the offline banner");
  // The refresh failed: the list stays, marked with where it came from.
  await driver.waitFor(() => driver.exec("return document.getElementById('fresh-mark')?.dataset.state === 'offline'"), 20_000, "the cached-data mark");
  assert.match(await driver.text("#fresh-mark"), /cached/i);
  assert.match(await driver.text("#offline-banner"), /offline/i);
  assert.match(await driver.text("#status-network"), /offline/i);
  await screenshot(driver, "offline");

  // The site list and the chart come from the store, marked as such.
  await driver.click('.app-nav a[href="#sites"]');
  await driver.waitFor(() => driver.exec("return document.getElementById('fresh-mark')?.dataset.state === 'offline'"), 20_000, "the cached sites");
  assert.deepEqual(
    await driver.exec("return [...document.querySelectorAll('#sites-list a[data-site-id]')].map(a => a.dataset.siteId)"),
    siteNames,
  );
  await screenshot(driver, "offline-sites");
  await driver.exec(`location.hash = ${JSON.stringify(`#chart/${encodeURIComponent(siteId)}`)}`);
  await driver.waitFor(() => chartDrawn(driver), 60_000, "the cached chart");
  // Provenance: what was drawn from the cache (and, when a missing range could not be fetched, that
  // the app is offline and what is not cached).
  const notes = await driver.text("#chart-notes");
  assert.match(notes, /Cached at|Drawn from the cache|Offline/, notes);
  assert.ok(await bannerShown(driver));
  await screenshot(driver, "offline-chart");

  // The server comes back on the same address: the app notices without being asked.
  sim = await startSim(`127.0.0.1:${port}`);
  await driver.waitFor(async () => !(await bannerShown(driver)), 30_000, "the banner to go away");
  assert.match(await driver.text("#status-network"), /online/i);
});
