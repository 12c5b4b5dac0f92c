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

test("online first: the organizations are fetched (and cached)", async () => {
  session = await startDriver("offline-online");
  const { driver } = session;
  await driver.start(APP, ["--env", url]);
  const names = await organizations(driver);
  assert.ok(names.length >= 2, JSON.stringify(names));
  assert.equal(await bannerShown(driver), false);
});

test("server stopped: the app starts offline with cached data and the banner", async () => {
  const online = await session.driver.exec("return [...document.querySelectorAll('#org-list li .name')].map(n => n.textContent)");
  await quitApp(session.driver);
  session.stop();
  const port = new URL(url).port;
  await sim.stop();

  session = await startDriver("offline-restart");
  const { driver } = session;
  // No --env: the app reopens the environment used last.
  await driver.start(APP, []);
  const names = await organizations(driver);
  assert.deepEqual(names, online, "the cached organizations");
  await driver.waitFor(() => bannerShown(driver), 10_000, "the offline banner");
  // The refresh failed: the list stays, marked with where it came from.
  await driver.waitFor(() => driver.exec("return document.getElementById('fresh-mark')?.dataset.state === 'offline'"), 20_000, "the cached-data mark");
  assert.match(await driver.text("#fresh-mark"), /cached/i);
  assert.match(await driver.text("#offline-banner"), /offline/i);
  assert.match(await driver.text("#status-network"), /offline/i);
  await screenshot(driver, "offline");

  // The server comes back on the same address: the app notices without being asked.
  sim = await startSim(`127.0.0.1:${port}`);
  await driver.waitFor(async () => !(await bannerShown(driver)), 30_000, "the banner to go away");
  assert.match(await driver.text("#status-network"), /online/i);
});
