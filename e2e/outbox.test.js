// Commissioning with the cloud cut off: an external novacore-sim (control routes on) whose Zap
// answers on 127.0.17.2 with its field kit. With the cloud cut (the sim's /_sim/cloud), the claim
// (the Zap signs its proof now) and a provisioning wait in the installer's journal — shown
// "queued" in the Installer's "Waiting for the cloud" panel and counted in the status bar. The
// cloud comes back: both replay by themselves and show done; the server holds the gateway once
// and the device once with its DERs once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";
import { startSim } from "./sim.js";

let session;
let sim;
let port;

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
  const ownOrg = await driver.exec(
    "const li = [...document.querySelectorAll('#org-list li')].find(li => /owner|admin/i.test(li.textContent)); return li ? li.querySelector('.name').textContent : null");
  assert.ok(ownOrg, "an organization you own or administer");
  // The sites, fetched while online (offline, the provisioning form offers the cached ones).
  await driver.exec("location.hash = '#sites'");
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('main li, main tr[data-id], main a[href^=\"#site/\"]').length >= 1"), 30_000, "the sites");

  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#add-form"), 10_000, "the Installer view");
  await driver.type("#add-address", address);
  await driver.click("#add-zap");
  const row = `#zap-table tr[data-address="${address}"]`;
  await driver.waitFor(() => exists(driver, row), 30_000, "the Zap added");
  await driver.exec(`document.querySelector(${JSON.stringify(row)}).focus()`);
  await driver.pressKey("\uE007"); // Enter
  await driver.waitFor(() => exists(driver, "#claim-org"), 30_000, "your organizations");

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
});
