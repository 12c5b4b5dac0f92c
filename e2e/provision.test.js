// Journey 2 whole, the installer on site: sign in to an external novacore-sim whose Zap answers on
// its own loopback address (127.0.9.2) with a field kit attached (hybrid inverter + P1 meter);
// discover it by scanning 127.0.9.0/29, check its health chain, add an energy meter on the Zap
// from the Zap's own form, claim the Zap into your organization, then provision that meter to one
// of your sites: the new ids show, publishing goes on, and the first reading arrives in the window.
// A DER name the platform's rule refuses is marked before anything is sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";
import { freePort, startSim } from "./sim.js";

let session;
let sim;
let port;

before(async () => {
  freshHome();
  port = await freePort();
  sim = await startSim("127.0.0.1:0", ["--zaps", "1", "--zap-addr", `127.0.9.2:${port}`]);
  session = await startDriver("provision");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);

test("scan → check → add a field device → claim → provision it to a site → new ids → the first reading in the window", async () => {
  const { driver } = session;
  const address = `127.0.9.2:${port}`;
  await driver.start(APP, ["--env", sim.url]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "organizations");
  const ownOrg = await driver.exec(
    "const li = [...document.querySelectorAll('#org-list li')].find(li => /owner|admin/i.test(li.textContent)); return li ? li.querySelector('.name').textContent : null");
  assert.ok(ownOrg, "an organization you own or administer");

  // Discover: scan the Zap's small loopback network on its port; open it with the keyboard.
  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#scan-form"), 10_000, "the Installer view");
  await driver.type("#scan-network", "127.0.9.0/29");
  await driver.type("#scan-port", String(port));
  await driver.click("#scan-start");
  const row = `#zap-table tr[data-address="${address}"]`;
  await driver.waitFor(() => exists(driver, row), 30_000, "the Zap found by the scan");
  await driver.exec(`document.querySelector(${JSON.stringify(row)}).focus()`);
  await driver.pressKey("\uE007"); // Enter
  await driver.waitFor(() => exists(driver, "#zap-provision"), 30_000, "the Zap opened");

  // Check: the health chain, this computer → Zap green.
  await driver.waitFor(() => driver.exec("return document.querySelector('#health-chain li[data-link=reachable]')?.dataset.status === 'green'"), 30_000, "the health chain");

  // Add a field device on the Zap: an energy meter over Modbus TCP, from the Zap's own form.
  await driver.waitFor(() => exists(driver, "#device-conn-type option[value=modbus_tcp]"), 30_000, "the add-device form");
  await driver.exec(`const s = document.getElementById('device-conn-type'); s.value = 'modbus_tcp'; s.dispatchEvent(new Event('change'));`);
  await driver.type("#device-param-ip", "127.0.9.60");
  await driver.exec(`const s = document.getElementById('device-param-profile'); s.value = 'sdm630'; s.dispatchEvent(new Event('change'));`);
  await driver.click("#device-add");
  await driver.waitFor(() => driver.exec("return /^Added /.test(document.getElementById('device-add-msg').textContent)"), 30_000, "the device added");
  const added = (await driver.text("#device-add-msg")).match(/^Added (\S+) /)[1];

  // Before the claim: the devices are there, provisioning says why not yet.
  await driver.waitFor(() => exists(driver, "#provision-why"), 30_000, "the reason provisioning waits");
  assert.match(await driver.text("#provision-why"), /^Claim the Zap into one of your organizations first/);
  assert.equal(await exists(driver, "#provision-0-submit[aria-disabled=true]"), true, "disabled with the reason");

  // Claim into your organization: the panel refreshes itself and opens the forms.
  await driver.waitFor(() => exists(driver, "#claim-org"), 30_000, "your organizations");
  await driver.exec(`const s = document.getElementById('claim-org');
    s.value = [...s.options].find(o => o.textContent === ${JSON.stringify(ownOrg)}).value;
    s.dispatchEvent(new Event('change'));`);
  await driver.click("#claim-zap");
  await driver.waitFor(() => driver.exec("return /^(Claimed into|Already in|Moved into) /.test(document.getElementById('claim-status').textContent)"), 30_000, "the claim");
  await driver.waitFor(() => driver.exec("return !document.getElementById('provision-why') && !!document.querySelector('#provision-0-submit:not([aria-disabled])')"), 30_000, "provisioning allowed");

  // The inverter's form: hardware id from the Zap, the suggested type, only its allowed DER types.
  const forms = await driver.exec("return [...document.querySelectorAll('form.provision-device')].map(f => [f.id, f.dataset.sn, f.querySelector('select[id$=-type]').value])");
  assert.ok(forms.some((f) => f[2] === "inverter"), JSON.stringify(forms));
  for (const [id] of forms.filter((f) => f[2] === "inverter")) {
    const types = await driver.exec(`return [...document.querySelectorAll('#${id} li select')].map(s => [...s.options].map(o => o.value))`);
    for (const t of types) assert.deepEqual(t, ["solar", "battery", "meter"], "an inverter's DER types");
  }
  // The meter added a moment ago is there to provision too: that is the one.
  const meter = forms.find((f) => f[1] === added);
  assert.ok(meter, `the added device ${added} in ${JSON.stringify(forms)}`);
  assert.equal(meter[2], "energy_meter", "suggested from its profile");
  const i = meter[0].match(/^provision-(\d+)-form$/)[1];
  const f = (s) => `#provision-${i}-${s}`;
  assert.equal(await driver.exec(`return document.querySelector('${f("hw")}').value`), added);
  const derTypes = await driver.exec(`return [...document.querySelectorAll('${f("ders")} li select')].map(s => [...s.options].map(o => o.value))`);
  assert.ok(derTypes.length >= 1, "DERs suggested");
  for (const types of derTypes) assert.deepEqual(types, ["meter"]);
  const site = await driver.exec(`const s = document.querySelector('${f("site")}'); return s.options.length ? s.options[s.selectedIndex].textContent : null`);
  assert.ok(site, "a site of the organization");

  // A DER name the rule refuses: the field is marked, nothing sent.
  await driver.exec(`const i = document.querySelector('${f("ders")} li input'); i.value = 'grid meter';`);
  await driver.click(f("submit"));
  await driver.waitFor(() => driver.exec(`return document.querySelector('${f("msg")}').classList.contains('is-error')`), 30_000, "the refusal");
  assert.match(await driver.text(f("msg")), /ders\[0\]\.name/);
  assert.equal(await driver.exec(`return document.querySelector('${f("ders")} li input').getAttribute('aria-invalid')`), "true");
  assert.equal(await exists(driver, f("ids")), false, "nothing provisioned");

  // Fixed, with a name and manufacturer: provisioned, the new ids shown, then the first reading.
  await driver.exec(`const i = document.querySelector('${f("ders")} li input'); i.value = 'grid-meter';`);
  await driver.type(f("manufacturer"), "Eastron");
  await driver.click(f("submit"));
  await driver.waitFor(() => exists(driver, f("ids")), 30_000, "the new ids");
  assert.match(await driver.text(f("ids")), /^Provisioned: device dev-/);
  const ders = await driver.exec(`return [...document.querySelectorAll('${f("der-ids")} li')].map(li => [li.querySelector('.name').textContent, li.dataset.der])`);
  assert.equal(ders[0][0], "grid-meter");
  for (const [, id] of ders) assert.match(id, /^der-/);
  assert.match(await driver.text(f("publishing")), /^Publishing on: /);
  await driver.waitFor(() => driver.exec(`return document.querySelector('${f("reading")}').dataset.state !== 'waiting' || /Waiting for the first reading… \\d+ s/.test(document.querySelector('${f("reading")}').textContent)`), 10_000, "the wait");
  await driver.waitFor(() => driver.exec(`return document.querySelector('${f("reading")}').dataset.state === 'arrived'`), 30_000, "the first reading");
  const first = await driver.text(f("reading"));
  const names = ders.map(([n]) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  assert.match(first, new RegExp(`^First reading: .+ from (${names}) \\((pv|battery|meter)\\), \\d+\\.\\d s after provisioning\\.$`), first);
  await driver.exec(`document.querySelector('${f("form")}').scrollIntoView({ block: 'end' })`);
  await screenshot(driver, "installer-provisioned");

  // The health chain's readings link turns green on its next check.
  await driver.waitFor(() => driver.exec("return document.querySelector('#health-chain li[data-link=readings]')?.dataset.status === 'green'"), 30_000, "the readings link green");
});
