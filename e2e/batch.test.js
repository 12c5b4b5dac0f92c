// Many Zaps at once (issue 12, acceptance 2): an external novacore-sim serves 10 Zaps on their own
// loopback addresses (127.0.15.2 … .11, a block no other test uses, control routes on loopback).
// Scan them, select all (the header's checkbox; Space toggles the focused row), then one Zap
// stops answering (the sim's unreachable fault) and "Claim selected" claims all 10 into your
// organization with progress to completion: 9 claimed, 1 failed with the sentence. The Zap comes
// back; its row's Retry claims it. Every row of the Zaps table then says your organization.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";
import { createServer } from "node:net";
import { startSim } from "./sim.js";

let session;
let sim;
let port;

/** A port free on loopback now (the sim binds it on 127.0.15.x; root could use 80 as in the field). */
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
  sim = await startSim("127.0.0.1:0", ["--seed", "15", "--zaps", "10", "--zap-addr", `127.0.15.2:${port}`], { control: true });
  session = await startDriver("batch");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);

/** Sets the Zap's faults through the sim's control route. */
async function zapFaults(serial, body) {
  const res = await fetch(`${sim.url}/_sim/zaps/${serial}/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  assert.ok(res.ok, `faults: ${res.status} ${await res.text()}`);
}

test("scan → select all 10 → claim selected with progress; one unreachable Zap fails with the sentence, then its Retry claims it", async () => {
  const { driver } = session;
  assert.equal(sim.ready.zaps.length, 10, JSON.stringify(sim.ready));
  await driver.start(APP, ["--env", sim.url]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "organizations");
  const ownOrg = await driver.exec(
    "const li = [...document.querySelectorAll('#org-list li')].find(li => /owner|admin/i.test(li.textContent)); return li ? li.querySelector('.name').textContent : null");
  assert.ok(ownOrg, "an organization you own or administer");

  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#scan-form"), 10_000, "the Installer view");
  await driver.type("#scan-network", "127.0.15.0/27");
  await driver.type("#scan-port", String(port));
  await driver.click("#scan-start");
  await driver.waitFor(() => driver.exec("return /^Done: 30 of 30 addresses, 10 Zaps found/.test(document.getElementById('scan-msg').textContent)"), 60_000, "the scan to find the 10");
  assert.equal(await driver.text("#batch-count"), "0 of 10 selected");
  assert.equal(await driver.exec("return document.getElementById('batch-start').disabled"), true, "nothing selected, nothing to claim");

  // Select all; Space on the focused row takes it out and puts it back.
  await driver.click("#batch-select-all");
  assert.equal(await driver.text("#batch-count"), "10 of 10 selected");
  await driver.exec("document.querySelector('#zap-table tbody tr').focus()");
  await driver.pressKey("\uE00D"); // Space
  assert.equal(await driver.text("#batch-count"), "9 of 10 selected");
  assert.equal(await driver.exec("return document.getElementById('batch-select-all').indeterminate"), true);
  await driver.pressKey("\uE00D");
  assert.equal(await driver.text("#batch-count"), "10 of 10 selected");
  assert.equal(await driver.exec("return [...document.querySelectorAll('#zap-table input.batch-select')].every(b => b.checked)"), true);

  // One Zap stops answering, then the batch runs into your organization.
  const down = sim.ready.zaps.find((z) => z.url.includes("//127.0.15.6:"));
  const downAddress = `127.0.15.6:${port}`;
  await zapFaults(down.serial, { unreachable_secs: 600 });
  await driver.waitFor(
    () => driver.exec(`return [...document.getElementById('batch-org').options].some(o => o.textContent === ${JSON.stringify(ownOrg)})`),
    30_000, "your organization among the choices");
  await driver.exec(`const s = document.getElementById('batch-org');
    s.value = [...s.options].find(o => o.textContent === ${JSON.stringify(ownOrg)}).value;
    s.dispatchEvent(new Event('change'));`);
  await driver.exec("document.getElementById('zap-batch').scrollIntoView({ block: 'end' })");
  await screenshot(driver, "batch-selected");
  await driver.click("#batch-start");
  await driver.waitFor(() => driver.exec("return /^Done: /.test(document.getElementById('batch-msg').textContent)"), 60_000, "the batch to finish");
  const msg = await driver.text("#batch-msg");
  assert.match(msg, new RegExp(`^Done: 9 of 10 in ${ownOrg}, 1 failed \\(\\d+\\.\\d s\\)\\.$`), msg);
  // The bar went with the batch; its last words were the count.
  assert.equal(await driver.exec("return document.getElementById('batch-progress-text').textContent"), "10 of 10 done");
  const results = await driver.exec(
    "return [...document.querySelectorAll('#batch-table tbody tr')].map(tr => [tr.dataset.address, tr.dataset.state, tr.querySelector('.batch-result').textContent])");
  assert.equal(results.length, 10, JSON.stringify(results));
  for (const [address, state, text] of results) {
    if (address === downAddress) {
      assert.equal(state, "failed", text);
      assert.match(text, /^Failed: Nothing answers at 127\.0\.15\.6/, text);
    } else {
      assert.equal(state, "done", `${address}: ${text}`);
      assert.equal(text, `Claimed into ${ownOrg}.`);
    }
  }
  const retryShown = () => driver.exec("return getComputedStyle(document.getElementById('batch-retry-failed')).display !== 'none'");
  assert.equal(await retryShown(), true, "Retry failed offered");
  await driver.exec("document.getElementById('zap-batch').scrollIntoView({ block: 'start' })");
  await screenshot(driver, "batch-one-failed");

  // The Zap answers again: its row's Retry claims it.
  await zapFaults(down.serial, { unreachable_secs: 0 });
  await driver.click(`#batch-table tr[data-address="${downAddress}"] .batch-retry`);
  await driver.waitFor(
    () => driver.exec(`return document.querySelector('#batch-table tr[data-address="${downAddress}"]')?.dataset.state === 'done'`),
    30_000, "the retried Zap claimed");
  assert.equal(await driver.text(`#batch-table tr[data-address="${downAddress}"] .batch-result`), `Claimed into ${ownOrg}.`);
  assert.match(await driver.text("#batch-msg"), new RegExp(`^Done: 1 of 1 in ${ownOrg} `));
  assert.equal(await retryShown(), false, "nothing left to retry");
  // The Zaps table follows: every row is in your organization.
  await driver.waitFor(
    () => driver.exec(`return [...document.querySelectorAll('#zap-table td[data-col=claim]')].every(td => td.textContent === ${JSON.stringify(ownOrg)})`),
    30_000, "every row to say your organization");
  await driver.exec("document.getElementById('zap-batch').scrollIntoView({ block: 'start' })");
  await screenshot(driver, "batch-retried");

  // Again, with their field devices provisioned to a site from the template (its first rule: every
  // Sungrow inverter → an inverter with solar + battery DERs named after the Zap); the P1 meters
  // have no rule and are left as they are.
  await driver.click("#batch-provision");
  await driver.waitFor(() => driver.exec("return document.getElementById('batch-site').options.length > 0"), 30_000, "the organization's sites");
  const site = await driver.exec("const s = document.getElementById('batch-site'); return s.options[s.selectedIndex].textContent");
  assert.equal(await driver.exec("return document.querySelector('#batch-rules .rule-ders').value"), "{serial}-pv:solar, {serial}-battery:battery");
  await driver.click("#batch-start");
  await driver.waitFor(() => driver.exec("return /^Done: 10 of 10 /.test(document.getElementById('batch-msg').textContent)"), 60_000, "the provisioning batch");
  const provisioned = await driver.exec("return [...document.querySelectorAll('#batch-table .batch-result')].map(td => td.textContent)");
  assert.equal(provisioned.length, 10);
  for (const text of provisioned) assert.equal(text, `Already in ${ownOrg}. 1 device provisioned, 1 left as they are.`, text);
  assert.equal(await retryShown(), false, "nothing to retry");
  await driver.exec("document.getElementById('zap-batch').scrollIntoView({ block: 'start' })");
  await screenshot(driver, "batch-provisioned");
  assert.ok(site);
});
