// Sign in to the Sandbox from the window: a new identity is created, the demo world's
// organizations are listed with your role, and `--env sandbox` opens straight into them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APP, freshHome, identityDetail, quitApp, screenshot, startDriver } from "./harness.js";

let session;

before(async () => {
  freshHome();
  session = await startDriver("signin");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
});

async function organizations(driver) {
  await driver.waitFor(
    () => driver.exec("return document.querySelectorAll('#org-list li').length >= 2"),
    60_000,
    "the organizations list",
  );
  return driver.exec(
    "return [...document.querySelectorAll('#org-list li')].map(li => [li.querySelector('.name').textContent, li.querySelector('.role').textContent])",
  );
}

test("Connect on the Sandbox signs in with a new identity and lists organizations with roles", async () => {
  const { driver } = session;
  await driver.start(APP, []);
  await driver.waitFor(() => driver.exec("return document.body.dataset.ready === 'true'"), 20_000, "app ready");
  await driver.click("#connect");
  const rows = await organizations(driver);
  const roles = rows.map((r) => r[1]);
  assert.ok(roles.includes("owner") && roles.includes("viewer"), JSON.stringify(rows));
  assert.equal(await driver.text("#env-badge"), "Sandbox");
  assert.match(await driver.text("#status-env"), /Signed in to Sandbox/);
  await screenshot(driver, "organizations");
  const identity = await identityDetail(driver, "#identity-id");
  assert.match(identity, /\S{6,}/);
  assert.match(await identityDetail(driver, "#server-url"), /^http:\/\/127\.0\.0\.1:\d+/);
  // The navigation column goes back to the welcome view and to the list again.
  await driver.click('.app-nav a[href="#welcome"]');
  await driver.waitFor(() => driver.exec("return !!document.getElementById('env-picker')"), 5000, "welcome view");
  await driver.click('.app-nav a[href="#organizations"]');
  assert.ok((await organizations(driver)).length >= 2);
  // Connecting again from the welcome view (same or another environment) works too.
  await driver.click('.app-nav a[href="#welcome"]');
  await driver.waitFor(() => driver.exec("return !!document.getElementById('connect')"), 5000, "welcome view");
  await driver.click("#connect");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list')"), 60_000, "organizations again");
  assert.equal(await identityDetail(driver, "#identity-id"), identity);
});

test("--env sandbox opens straight into the Sandbox, with the same identity", async () => {
  const before = await identityDetail(session.driver, "#identity-id");
  await quitApp(session.driver);
  session.stop();
  session = await startDriver("signin-restart");
  const { driver } = session;
  await driver.start(APP, ["--env", "sandbox"]);
  const rows = await organizations(driver);
  assert.ok(rows.length >= 2);
  const after = await identityDetail(driver, "#identity-id");
  // Without a keychain the identity is session-only (and the window says so); with one it is kept.
  const notice = await driver.exec("return document.getElementById('secrets-notice')?.textContent ?? null");
  if (notice) assert.match(notice, /session only/i);
  else assert.equal(after, before);
});

test("with no keychain the window says the identity is session-only", async () => {
  await quitApp(session.driver);
  session.stop();
  freshHome();
  // A bus address that leads nowhere: the Secret Service probe fails as on a machine without one.
  session = await startDriver("signin-no-keychain", { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/novadesk-no-bus" });
  const { driver } = session;
  await driver.start(APP, ["--env", "sandbox"]);
  await organizations(driver);
  const notice = await driver.exec("return document.getElementById('secrets-notice')?.textContent ?? ''");
  assert.match(notice, /session only|session-only/i);
});
