// Commissioning with the cloud cut off: an external novacore-sim (control routes on) whose Zap
// answers on 127.0.17.2 with its field kit. The site's owner is another person (a /_sim identity)
// who makes the app's identity an admin of "Customer Fleet" and, later, "Customer Annex": the test
// asks the Sandbox's REST API as that person what the server holds. (1) With the cloud cut (the
// sim's /_sim/cloud), the claim (the Zap signs its proof now) and a provisioning wait in the
// installer's journal — shown "queued" in the Installer's "Waiting for the cloud" panel and
// counted in the status bar. The cloud comes back: both replay by themselves and show done; the
// server holds the gateway once and the device once with its DERs once. (2) A provisioning queued
// while the owner moved the Zap to another organization comes back refused by the server; the
// installer edits it in the panel (another site, another name) and it is applied, once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { APP, freshHome, identityDetail, quitApp, screenshot, startDriver } from "./harness.js";
import { startSim } from "./sim.js";

const FLEET = "Customer Fleet";
const ANNEX = "Customer Annex";

let session;
let sim;
let port;
/** The other person: their identity and token, the installer's identity, FLEET's and its site's ids. */
let owner;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

before(async () => {
  freshHome();
  port = await freePort();
  sim = await startSim("127.0.0.1:0", ["--zaps", "1", "--zap-addr", `127.0.17.2:${port}`], { control: true });
  session = await startDriver("outbox");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);

/** JSON from the sim or the Zap (loopback); fails the test on any error status. */
async function call(method, url, { token, body } = {}) {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** What the server holds, asked directly as the owner: the gateways of `org`, the devices of `site`. */
const serverGateways = (org) => call("GET", `${sim.url}/gateways?org_id=${org}`, { token: owner.token });
const serverDevices = (site) => call("GET", `${sim.url}/sites/${site}/devices`, { token: owner.token });

/** The other person owns FLEET (a site "Fleet roof") and makes `me` an admin there. */
async function siteOwner(me) {
  const { identity_id: id, token } = await call("POST", `${sim.url}/_sim/identities`);
  // A new organization: nothing in it but what the test puts there.
  const fleet = (await call("POST", `${sim.url}/organizations`, { token, body: { name: FLEET } })).id;
  const site = await call("POST", `${sim.url}/sites`, { token, body: { org_id: fleet, name: "Fleet roof", timezone: "Europe/Stockholm", price_area: "SE3" } });
  await call("POST", `${sim.url}/organizations/${fleet}/members`, { token, body: { identity_id: me, role: "admin" } });
  return { id, token, installer: me, fleet, fleetSite: site.id };
}

async function cloud(down) {
  const r = await fetch(`${sim.url}/_sim/cloud`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ down }),
  });
  assert.equal(r.status, 200);
}

test("cloud cut → claim and provision queued → cloud back → both replayed once and shown done", async () => {
  const { driver } = session;
  const address = `127.0.17.2:${port}`;
  await driver.start(APP, ["--env", sim.url]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "organizations");
  const me = (await identityDetail(driver, "#identity-id")).split(/\s/)[0];
  owner = await siteOwner(me);
  const ownOrg = FLEET;
  // The sites, fetched while online (offline, the provisioning form offers the cached ones).
  await driver.exec("location.hash = '#sites'");
  await driver.waitFor(() => driver.exec("return document.body.textContent.includes('Fleet roof')"), 30_000, "the sites, the owner's included");

  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#add-form"), 10_000, "the Installer view");
  await driver.type("#add-address", address);
  await driver.click("#add-zap");
  const row = `#zap-table tr[data-address="${address}"]`;
  await driver.waitFor(() => exists(driver, row), 30_000, "the Zap added");
  await driver.exec(`document.querySelector(${JSON.stringify(row)}).focus()`);
  await driver.pressKey("\uE007"); // Enter
  await driver.waitFor(() => exists(driver, "#claim-org"), 30_000, "your organizations");
  await driver.waitFor(
    () => driver.exec(`return [...document.getElementById('claim-org').options].some(o => o.textContent === ${JSON.stringify(FLEET)})`),
    30_000, "the owner's organization among the claim targets");

  // The cloud goes away.
  await cloud(true);
  await driver.exec(`const s = document.getElementById('claim-org');
    s.value = [...s.options].find(o => o.textContent === ${JSON.stringify(ownOrg)}).value;
    s.dispatchEvent(new Event('change'));`);
  await driver.click("#claim-zap");
  await driver.waitFor(() => driver.exec("return /^Queued: /.test(document.getElementById('claim-status').textContent)"), 60_000, "the claim queued");
  await driver.waitFor(() => exists(driver, "#journal-items li[data-step=claim][data-status=queued]"), 10_000, "the claim in the journal");
  const title = await driver.text("#journal-items li[data-step=claim] .journal-title");
  assert.ok(/^Claim zap-\S+ into /.test(title) && title.endsWith(` into ${ownOrg}`), title);

  // Its devices can be provisioned behind the queued claim: queued too.
  await driver.waitFor(() => exists(driver, "form.provision-device button[id$=-submit]:not([aria-disabled])"), 60_000, "provisioning allowed");
  const formId = await driver.exec("return [...document.querySelectorAll('form.provision-device')].find(f => f.querySelector('select[id$=-type]').value === 'inverter')?.id ?? document.querySelector('form.provision-device').id");
  const i = formId.match(/^provision-(\d+)-form$/)[1];
  const sn = await driver.exec(`return document.getElementById('${formId}').dataset.sn`);
  await driver.exec(`const s = document.getElementById('provision-${i}-site');
    s.value = [...s.options].find(o => o.textContent === 'Fleet roof').value; s.dispatchEvent(new Event('change'));`);
  const derNames = await driver.exec(`return [...document.querySelectorAll('#provision-${i}-ders li input.der-name')].map(x => x.value)`);
  assert.ok(derNames.length >= 1, "the form suggests DERs");
  await driver.click(`#provision-${i}-submit`);
  await driver.waitFor(() => driver.exec(`return /^Queued: /.test(document.querySelector('#provision-${i}-msg').textContent)`), 60_000, "the provisioning queued");
  await driver.waitFor(() => exists(driver, "#journal-items li[data-step=provision][data-status=queued]"), 10_000, "the provisioning in the journal");
  await driver.waitFor(() => driver.exec("return /2 waiting for the cloud/.test(document.getElementById('status-journal').textContent)"), 10_000, "the status bar count");
  await driver.exec("document.getElementById('installer-journal').scrollIntoView({ block: 'start' })");
  await screenshot(driver, "outbox-queued");

  // The cloud comes back: replayed by themselves, in order, shown done.
  await cloud(false);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#journal-items li[data-status=done]').length === 2"), 120_000, "both replayed");
  const results = await driver.exec("return [...document.querySelectorAll('#journal-items li')].map(li => li.querySelector('.journal-detail').textContent)");
  assert.match(results[0], /claimed into /, results[0]);
  assert.match(results[1], new RegExp(`^${sn} (provisioned|re-bound) as dev-`), results[1]);
  await driver.waitFor(() => driver.exec("return document.getElementById('status-journal').hidden"), 10_000, "the count gone");
  await driver.exec("document.getElementById('installer-journal').scrollIntoView({ block: 'start' })");
  await screenshot(driver, "outbox-replayed");

  // The Provision panel refreshed itself: the platform lists the device behind the Zap once.
  const already = `form.provision-device[data-sn="${sn}"] [id$=-already]`;
  await driver.waitFor(() => exists(driver, already), 30_000, "the form knows it provisioned");
  assert.match(await driver.text(already), /^Already provisioned as dev-/);

  // No duplicates on the server, asked directly: the Zap once in the organization, the device
  // once on the site with each of its DERs once.
  const serial = (await call("GET", `http://${address}/api/crypto`)).serialNumber;
  const gateways = await serverGateways(owner.fleet);
  assert.deepEqual(gateways.map((g) => g.serial), [serial], JSON.stringify(gateways));
  const devices = await serverDevices(owner.fleetSite);
  assert.deepEqual(devices.map((d) => d.hardware_id), [sn], JSON.stringify(devices));
  assert.deepEqual(devices[0].ders.map((d) => d.name).sort(), [...derNames].sort(), JSON.stringify(devices[0]));
});

test("a provisioning the server refuses is edited in the journal (another site, another name), then applied once", async () => {
  const { driver } = session;
  const address = `127.0.17.2:${port}`;
  // The owner opens a second organization with a site, makes the installer an admin there too.
  const { token } = owner;
  const annex = (await call("POST", `${sim.url}/organizations`, { token, body: { name: ANNEX } })).id;
  const annexSite = (await call("POST", `${sim.url}/sites`, { token, body: { org_id: annex, name: "Annex roof", timezone: "Europe/Stockholm", price_area: "SE3" } })).id;
  await call("POST", `${sim.url}/organizations/${annex}/members`, { token, body: { identity_id: owner.installer, role: "admin" } });

  // A device the first test left alone (the Zap's meter), its form drawn for Fleet's site.
  const formId = await driver.exec(`return [...document.querySelectorAll('form.provision-device')].find(f => !f.querySelector('[id$=-already]'))?.id ?? null`);
  assert.ok(formId, "a field device not provisioned yet");
  const i = formId.match(/^provision-(\d+)-form$/)[1];
  const sn = await driver.exec(`return document.getElementById('${formId}').dataset.sn`);
  await driver.exec(`const s = document.getElementById('provision-${i}-site');
    s.value = [...s.options].find(o => o.textContent === 'Fleet roof').value; s.dispatchEvent(new Event('change'));`);

  // Meanwhile the owner moves the Zap to the Annex (the Zap signs the proof for them) — then
  // the cloud goes away before the installer sends the form.
  const crypto = await call("GET", `http://${address}/api/crypto`);
  const signed = await call("POST", `http://${address}/api/crypto/sign`, { body: { message: owner.id } });
  await call("POST", `${sim.url}/gateways/claim`, {
    token,
    body: { org_id: annex, gateway_serial: crypto.serialNumber, public_key: crypto.publicKey, message: signed.message, signature: signed.sign },
  });
  await cloud(true);
  await driver.click(`#provision-${i}-submit`);
  await driver.waitFor(() => driver.exec(`return /^Queued: /.test(document.querySelector('#provision-${i}-msg').textContent)`), 60_000, "the provisioning queued");

  // The cloud comes back: the replay sends it and the server refuses it (the Zap is not Fleet's
  // any more); it waits for the installer's decision.
  await cloud(false);
  const refused = "#journal-items li[data-step=provision][data-status=conflict]";
  await driver.waitFor(() => exists(driver, refused), 120_000, "the provisioning refused");
  const problem = await driver.text(`${refused} .journal-detail`);
  assert.match(problem, /^Novacore refused: .*gateway.*Edit it/, problem);
  const id = (await driver.exec(`return document.querySelector(${JSON.stringify(refused)}).id`)).replace("journal-item-", "");
  await driver.waitFor(() => driver.exec("return document.getElementById('status-journal').textContent === 'Journal: 1 needs your decision'"), 10_000, "the status bar's count");
  assert.deepEqual(await serverDevices(annexSite), [], "nothing applied while refused");

  // Edit: the Annex's site, a clearer name; saved, it is sent at once.
  await driver.click(`#journal-edit-${id}`);
  const pre = `#journal-edit-${id}`;
  await driver.waitFor(() => exists(driver, `${pre}-site option`), 30_000, "the edit form");
  assert.equal(await driver.exec(`return document.querySelector('${pre}-hw').value`), sn);
  await driver.exec(`const s = document.querySelector('${pre}-site');
    s.value = [...s.options].find(o => o.textContent === 'Annex roof').value; s.dispatchEvent(new Event('change'));`);
  await driver.exec(`document.querySelector('${pre}-name').value = 'Annex meter'`);
  await driver.exec(`document.querySelector('${pre}-form').scrollIntoView({ block: 'center' })`);
  await screenshot(driver, "outbox-edit");
  await driver.click(`${pre}-save`);
  await driver.waitFor(() => exists(driver, `#journal-item-${id}[data-status=done]`), 60_000, "the edited item applied");
  const result = await driver.text(`#journal-item-${id} .journal-detail`);
  assert.match(result, new RegExp(`^${sn} provisioned as dev-`), result);
  assert.match(await driver.text(`#journal-item-${id} .journal-title`), /to Annex roof$/);
  await driver.waitFor(() => driver.exec("return document.getElementById('status-journal').hidden"), 10_000, "the status bar's count gone");
  await driver.exec(`document.getElementById('journal-item-${id}').scrollIntoView({ block: 'center' })`);
  await screenshot(driver, "outbox-edited");

  // The server, asked directly: the edited device once on the Annex's site, nothing on Fleet's
  // but the first test's device.
  const annexDevices = await serverDevices(annexSite);
  assert.deepEqual(annexDevices.map((d) => [d.hardware_id, d.name]), [[sn, "Annex meter"]], JSON.stringify(annexDevices));
  const fleetDevices = await serverDevices(owner.fleetSite);
  assert.ok(!fleetDevices.some((d) => d.hardware_id === sn), JSON.stringify(fleetDevices));
});
