// The claim where roles and other organizations matter. Set up on an external novacore-sim (its
// Zap on 127.0.11.2, control routes on loopback) before the window acts: another person (a
// /_sim identity) owns "Other Installers", has claimed the Zap into it (the Zap signs the proof,
// as the SDK does it) and makes the app's identity a viewer there. In the window: the Zap's row
// and claim panel learn that "Other Installers" holds it, where a viewer sees Claim disabled with
// the reason; choosing your own organization gives the transfer confirmation that says what a
// transfer does; confirmed, the Zap is moved.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APP, freshHome, identityDetail, quitApp, screenshot, startDriver } from "./harness.js";
import { startSim } from "./sim.js";

const ZAP = "127.0.11.2:8080";
const OTHER = "Other Installers";

let session;
let sim;

before(async () => {
  freshHome();
  sim = await startSim("127.0.0.1:0", ["--seed", "13", "--zaps", "1", "--zap-addr", ZAP], { control: true });
  session = await startDriver("installer-roles");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

/** JSON from the sim or the Zap; fails the test on any error status. */
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

/** Another person who owns OTHER and has claimed the Zap into it; their token and the org's id. */
async function otherOwner() {
  const { identity_id: id, token } = await call("POST", `${sim.url}/_sim/identities`);
  const orgs = await call("GET", `${sim.url}/organizations`, { token });
  const own = orgs.find((o) => o.role === "owner");
  await call("PUT", `${sim.url}/organizations/${own.id}`, { token, body: { name: OTHER } });
  const zap = `http://${ZAP}`;
  const crypto = await call("GET", `${zap}/api/crypto`);
  const signed = await call("POST", `${zap}/api/crypto/sign`, { body: { message: id } });
  await call("POST", `${sim.url}/gateways/claim`, {
    token,
    body: { org_id: own.id, gateway_serial: crypto.serialNumber, public_key: crypto.publicKey, message: signed.message, signature: signed.sign },
  });
  return { token, orgId: own.id, serial: crypto.serialNumber };
}

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);

test("a viewer sees Claim disabled with the reason; claiming a Zap another organization holds asks first, then moves it", async () => {
  const { driver } = session;
  const other = await otherOwner();
  await driver.start(APP, ["--env", sim.url]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "organizations");
  const ownOrg = await driver.exec(
    "const li = [...document.querySelectorAll('#org-list li')].find(li => li.querySelector('.role').textContent === 'owner'); return li.querySelector('.name').textContent");
  const me = (await identityDetail(driver, "#identity-id")).split(/\s/)[0];
  await call("POST", `${sim.url}/organizations/${other.orgId}/members`, { token: other.token, body: { identity_id: me, role: "viewer" } });

  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#add-form"), 10_000, "the Installer view");
  await driver.type("#add-address", ZAP);
  await driver.click("#add-zap");
  await driver.waitFor(() => exists(driver, "#claim-org"), 30_000, "the claim panel with your organizations");
  await driver.waitFor(() => exists(driver, "#health-chain li[data-link=claimed]"), 30_000, "the health chain");

  // Viewer in the organization holding it: Claim stays visible but disabled, with why.
  const choose = (name) => driver.exec(`const s = document.getElementById('claim-org');
    s.value = [...s.options].find(o => o.textContent === ${JSON.stringify(name)}).value;
    s.dispatchEvent(new Event('change'));`);
  await driver.waitFor(
    () => driver.exec(`return [...document.getElementById('claim-org').options].some(o => o.textContent === ${JSON.stringify(OTHER)})`),
    30_000, "the organization you view among the choices");
  // The check learns who holds it: the row says so and the claim panel preselects it.
  await driver.waitFor(
    () => driver.exec(`return document.querySelector('#zap-table tr[data-address="${ZAP}"] td[data-col=claim]')?.textContent === ${JSON.stringify(OTHER)}`),
    30_000, "the row to say which organization holds it");
  assert.equal(await driver.exec("const s = document.getElementById('claim-org'); return s.options[s.selectedIndex].textContent"), OTHER);
  assert.equal(await driver.exec("return document.getElementById('claim-zap').getAttribute('aria-disabled')"), "true");
  const why = await driver.text("#claim-box .why");
  assert.match(why, /viewer|role|owner|admin/i, why);
  await driver.click("#claim-zap");
  assert.equal(await driver.text("#claim-status"), "", "a disabled Claim does nothing");
  await driver.exec("document.getElementById('zap-claim').scrollIntoView({ block: 'end' })");
  await screenshot(driver, "installer-viewer");

  // Your own organization: the claim asks first, saying what a transfer does.
  await choose(ownOrg);
  assert.equal(await exists(driver, "#claim-zap[aria-disabled]"), false, "an owner may claim");
  await driver.click("#claim-zap");
  await driver.waitFor(() => exists(driver, "#confirm-dialog[open]"), 30_000, "the transfer confirmation");
  const message = await driver.text("#confirm-message");
  assert.match(message, new RegExp(`claimed into ${OTHER}`), message);
  assert.match(message, /orphaned/, message);
  assert.match(await driver.text("#confirm-ok"), new RegExp(`^Move to ${ownOrg}$`));
  await screenshot(driver, "installer-transfer");
  await driver.click("#confirm-ok");
  await driver.waitFor(
    () => driver.exec(`return document.getElementById('claim-status').textContent === ${JSON.stringify(`Moved into ${ownOrg} from ${OTHER}.`)}`),
    30_000, "the Zap moved");
  await driver.waitFor(
    () => driver.exec(`return document.querySelector('#zap-table tr[data-address="${ZAP}"] td[data-col=claim]')?.textContent === ${JSON.stringify(ownOrg)}`),
    30_000, "the row to say your organization holds it");
  // The platform agrees: the gateway is no longer in the other organization.
  const left = await call("GET", `${sim.url}/gateways?org_id=${other.orgId}`, { token: other.token });
  assert.ok(!left.some((g) => g.serial === other.serial), JSON.stringify(left));
  await driver.exec("document.getElementById('zap-claim').scrollIntoView({ block: 'end' })");
  await screenshot(driver, "installer-transferred");
});
