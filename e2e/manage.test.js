// Journey 2: sign in on the Sandbox → your organization → create a site → add a member (a fresh
// identity registered with its own Ed25519 key) → change the member's role → delete the site
// (confirmed) → it is gone. Screenshots: org.png, site.png, manage-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { APP, freshHome, identityDetail, quitApp, screenshot, startDriver } from "./harness.js";

let session;

before(async () => {
  freshHome();
  session = await startDriver("manage");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
});

/** Registers a new Ed25519 identity with the sandbox; its identity id. */
async function freshIdentity(baseUrl) {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const res = await fetch(`${baseUrl}/identity/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ public_key: raw.toString("base64") }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.ok(res.ok, `register: ${res.status}`);
  return (await res.json()).identity_id;
}


const fresh = (driver, what) =>
  driver.waitFor(() => driver.exec("return document.getElementById('fresh-mark')?.dataset.state === 'fresh'"), 30_000, `${what} fresh from the server`);

test("create a site, add a member, change the role, delete the site", async () => {
  const { driver } = session;
  await driver.start(APP, []);
  await driver.waitFor(() => driver.exec("return document.body.dataset.ready === 'true'"), 20_000, "app ready");
  await driver.click("#connect");
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 2"), 60_000, "organizations");
  const baseUrl = (await identityDetail(driver, "#server-url")).match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  const orgId = await driver.exec(
    "return [...document.querySelectorAll('#org-list li')].find(li => li.querySelector('.role').textContent === 'owner').dataset.orgId",
  );

  // The organization: sites, members and roles, gateways.
  await driver.click(`#org-list li[data-org-id="${orgId}"] a`);
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-members')"), 20_000, "organization view");
  await fresh(driver, "organization");
  assert.equal(await driver.exec("return document.getElementById('org-role').textContent"), "owner");
  assert.ok(await driver.exec("return document.querySelectorAll('#org-sites li').length >= 1"));
  assert.ok(await driver.exec("return document.querySelectorAll('#org-gateways li').length >= 1"));
  await screenshot(driver, "org");

  // A demo site: devices with DERs, the live slot and the chart link.
  await driver.click("#org-sites li a");
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#site-devices li[data-device-id]').length >= 1"), 20_000, "site devices");
  assert.equal(await driver.exec("return document.getElementById('site-live')?.getAttribute('aria-label')"), "Live power flow");
  assert.match(await driver.exec("return document.getElementById('open-chart').getAttribute('href')"), /^#chart\/sit-/);
  await fresh(driver, "site");
  await screenshot(driver, "site");
  // A device of it: details and DERs; an owner may rename, delete, add DERs.
  await driver.click("#site-devices li[data-device-id] a");
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#device-ders li[data-der-id]').length >= 1"), 20_000, "device DERs");
  await fresh(driver, "device");
  assert.equal(await driver.exec("return document.getElementById('der-add').getAttribute('aria-disabled')"), null);
  await screenshot(driver, "manage-device");

  // In the shared demo organization you are a viewer: the actions show, disabled, with why.
  await driver.exec(`location.hash = "#organizations"`);
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list')"), 20_000, "organizations");
  await driver.click("#org-list li:has(.role-viewer) a");
  await driver.waitFor(() => driver.exec("return document.getElementById('org-role')?.textContent === 'viewer'"), 20_000, "viewer organization");
  assert.equal(await driver.exec("return document.getElementById('org-delete').getAttribute('aria-disabled')"), "true");
  assert.match(await driver.exec("return document.getElementById('org-delete').parentElement.textContent"), /Only owners can delete an organization/);
  assert.match(await driver.text("#member-add-why"), /Only owners and admins/);
  // Clicking the disabled button does nothing (no dialog).
  await driver.click("#org-delete");
  assert.equal(await driver.exec("return !!document.getElementById('confirm-dialog')"), false);
  await driver.click('[data-theme-choice="dark"]');
  await screenshot(driver, "manage-viewer-dark");
  await driver.click('[data-theme-choice="system"]');
  await driver.exec(`location.hash = "#org/${orgId}"`);
  await driver.waitFor(() => driver.exec("return !!document.getElementById('new-site')"), 20_000, "organization again");

  // Create a site.
  await driver.click("#new-site");
  await driver.waitFor(() => driver.exec("return document.getElementById('form-dialog')?.open === true"), 5000, "new site dialog");
  await driver.type("#field-name", "E2E Garage");
  await driver.type("#field-price_area", "SE3");
  await screenshot(driver, "manage-new-site");
  await driver.click("#dialog-submit");
  const siteId = await driver.waitFor(
    () => driver.exec("return [...document.querySelectorAll('#org-sites li')].find(li => li.textContent.includes('E2E Garage'))?.dataset.siteId"),
    20_000, "the new site in the list",
  );

  // Add a member: a fresh identity, as viewer.
  const member = await freshIdentity(baseUrl);
  await driver.type("#member-add-id", member);
  await driver.click("#member-add");
  const row = `#org-members tr[data-identity-id="${member}"]`;
  await driver.waitFor(() => driver.exec(`return document.querySelector('${row}')?.dataset.role === 'viewer'`), 20_000, "the new member");
  await screenshot(driver, "manage-member");

  // Change the member's role.
  await driver.exec(`const s = document.querySelector('${row} select.member-role'); s.value = 'operator'; s.dispatchEvent(new Event('change'));`);
  await driver.waitFor(() => driver.exec(`return document.querySelector('${row}')?.dataset.role === 'operator'`), 20_000, "role changed");
  // The server agrees: re-open the organization and wait for its fresh data.
  await driver.exec(`location.hash = "#organizations"`);
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list')"), 20_000, "organizations");
  await driver.exec(`location.hash = "#org/${orgId}"`);
  await driver.waitFor(() => driver.exec(`return !!document.querySelector('${row}')`), 20_000, "organization again");
  await fresh(driver, "organization");
  assert.equal(await driver.exec(`return document.querySelector('${row} select.member-role').value`), "operator");
  await screenshot(driver, "manage-role");

  // Delete the site, confirming in the dialog.
  await driver.click(`#org-sites li[data-site-id="${siteId}"] a`);
  await driver.waitFor(() => driver.exec("return document.getElementById('site-title')?.textContent === 'E2E Garage'"), 20_000, "the new site");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('site-devices-empty')"), 20_000, "empty devices");
  // Escape cancels: nothing is deleted.
  await driver.click("#site-delete");
  await driver.waitFor(() => driver.exec("return document.getElementById('confirm-dialog')?.open === true"), 5000, "confirm dialog");
  await driver.pressKey("\uE00C");
  await driver.waitFor(() => driver.exec("return !document.getElementById('confirm-dialog')"), 5000, "dialog closed by Escape");
  assert.equal(await driver.exec("return document.getElementById('site-title')?.textContent"), "E2E Garage");
  await driver.click("#site-delete");
  await driver.waitFor(() => driver.exec("return document.getElementById('confirm-dialog')?.open === true"), 5000, "confirm dialog");
  assert.match(await driver.text("#confirm-title"), /E2E Garage/);
  assert.equal(await driver.exec("return document.activeElement?.id"), "confirm-cancel", "the safe choice has focus");
  await screenshot(driver, "manage-confirm");
  await driver.click("#confirm-ok");
  await driver.waitFor(() => driver.exec(`return location.hash === "#org/${orgId}"`), 20_000, "back to the organization");
  await fresh(driver, "organization");
  assert.equal(await driver.exec(`return !!document.querySelector('#org-sites li[data-site-id="${siteId}"]')`), false);
  await screenshot(driver, "manage-deleted");

  // Gone from the all-sites list too; the filter finds the demo sites.
  await driver.click('.app-nav a[href="#sites"]');
  await driver.waitFor(() => driver.exec("return !!document.getElementById('sites-list')"), 20_000, "sites");
  await fresh(driver, "sites");
  const names = await driver.exec("return [...document.querySelectorAll('#sites-list li')].map(li => li.textContent)");
  assert.ok(names.length >= 3 && !names.some((n) => n.includes("E2E Garage")), JSON.stringify(names));
  await driver.type("#sites-list-filter", "My Energy Lab");
  // Counted by what is rendered, not by the attribute: a CSS rule could still show hidden rows.
  const shown = await driver.exec("return [...document.querySelectorAll('#sites-list li')].filter(li => li.getClientRects().length > 0).length");
  assert.ok(shown >= 1 && shown < names.length, `${shown} of ${names.length}`);
  // Arrow keys: from the filter box into the list.
  await driver.exec("document.getElementById('sites-list-filter').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }))");
  assert.equal(await driver.exec("return document.activeElement?.closest('#sites-list') != null"), true, "focus moved into the list");
  await screenshot(driver, "manage-sites");
});
