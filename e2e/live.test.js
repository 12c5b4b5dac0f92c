// Live power flow in the real window: sign in on the Sandbox, pick a demo site, and the five
// flows update as readings arrive (within 5 s), with the state badge and the last reading time.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";

let session;

before(async () => {
  freshHome();
  session = await startDriver("live");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  // quitApp's pgrep stops matching once the exiting process has dropped its memory, but its D-Bus
  // connection (the single-instance name) closes a moment later; the next test file's launch
  // would hand over to the dying instance and fail.
  await new Promise((r) => setTimeout(r, 2000));
});

const text = (driver, id) => driver.exec(`return document.getElementById(${JSON.stringify(id)})?.textContent ?? null`);
const value = (driver, id) =>
  driver.exec(`const e = document.getElementById(${JSON.stringify(id)}); return e ? [e.textContent, e.dataset.ts] : null`);

test("a demo site's live values change within 5 s and show units, directions and the state", async () => {
  const { driver } = session;
  await driver.start(APP, ["--env", "sandbox"]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 2"), 60_000, "signed in");
  await driver.click('.app-nav a[href="#sites"]');
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#sites-list a[data-site-id]').length >= 2"), 20_000, "the sites");
  // The session's first screenshot shows the window's first paint; take one to throw away.
  await driver.screenshot();
  await driver.click("#sites-list a[data-site-id]");
  await driver.waitFor(() => driver.exec("return document.getElementById('pf-state')?.dataset.state === 'live'"), 20_000, "Live");
  await driver.waitFor(async () => (await value(driver, "pf-grid"))?.[1], 10_000, "a grid reading");

  const first = await value(driver, "pf-grid");
  assert.match(first[0], /^\d+\.\d{1,2} kW$/, `grid value ${first[0]}`);
  const changed = await driver.waitFor(async () => {
    const now = await value(driver, "pf-grid");
    return now[1] !== first[1] ? now : null;
  }, 5_000, "#pf-grid to change");
  assert.ok(Number(changed[1]) > Number(first[1]), "a newer reading");

  assert.equal(await text(driver, "pf-state"), "Live");
  assert.match(await text(driver, "pf-last"), /^last reading \d\d:\d\d:\d\d$/);
  assert.match(await text(driver, "pf-grid-detail"), /^(Importing|Exporting|Balanced)/);
  assert.match(await text(driver, "pf-solar"), / kW$/);
  assert.match(await text(driver, "pf-battery-detail"), /^(Charging|Discharging|Idle)/);
  assert.match(await text(driver, "pf-soc"), /^\d{1,3} %$/);
  assert.match(await text(driver, "pf-soc-detail"), / kWh stored$/);
  assert.match(await text(driver, "pf-ev"), / kW$|^—$/);
  for (const id of ["pf-solar", "pf-battery", "pf-soc"]) {
    assert.match((await value(driver, id))[1], /^\d{13}$/, `${id} carries its reading's timestamp`);
  }
  // Tiles keep their size while values change (no layout jumps).
  const box = () => driver.exec("return [...document.querySelectorAll('.pf-tile')].map(t => { const r = t.getBoundingClientRect(); return [r.width, r.height].join('x') }).join(',')");
  const before = await box();
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(await box(), before);
  await screenshot(driver, "live");
  // The dark theme too (the switch in the header), then back to following the system.
  await driver.click('[data-theme-choice="dark"]');
  await driver.waitFor(() => driver.exec("return document.documentElement.dataset.theme === 'dark'"), 5000, "dark theme");
  await screenshot(driver, "live-dark");
  await driver.click('[data-theme-choice="system"]');

  // Leaving the view stops its subscription; coming back starts a fresh one that is live again.
  await driver.exec("location.hash = '#organizations'");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list') && !document.getElementById('pf-grid')"), 10_000, "left");
  await driver.exec("history.back()");
  await driver.waitFor(() => driver.exec("return document.getElementById('pf-state')?.dataset.state === 'live'"), 20_000, "live again");
});
