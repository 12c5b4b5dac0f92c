// Journey 2's first slice, the installer on site: sign in to an external novacore-sim whose Zaps
// answer on their own loopback addresses (127.0.5.2, .3) beside a router-style web page
// (127.0.5.20), scan 127.0.5.0/27 on that port, see the Zaps in the table, open one with the
// keyboard, see its health chain, claim it into your organization and see it claimed; then add the
// web page, and an address where nothing listens (127.0.5.99), and read the sentence for each;
// release it again from the organization view. Loopback only, no mDNS.
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
  sim = await startSim("127.0.0.1:0", ["--zaps", "2", "--zap-addr", `127.0.5.2:${port}`, "--web-page", `127.0.5.20:${port}`]);
  session = await startDriver("installer");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);
const rows = (driver) =>
  driver.exec("return [...document.querySelectorAll('#zap-table tbody tr')].map(tr => [...tr.cells].filter(c => !c.classList.contains('select')).map(c => c.textContent))");

test("scan → Zaps in the table → health chain → claim into your organization; a web page by address says what it is", async () => {
  const { driver } = session;
  const serials = sim.ready.zaps.map((z) => z.serial).sort();
  assert.equal(serials.length, 2, JSON.stringify(sim.ready));
  await driver.start(APP, ["--env", sim.url]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "organizations");
  const ownOrg = await driver.exec(
    "const li = [...document.querySelectorAll('#org-list li')].find(li => /owner|admin/i.test(li.textContent)); return li ? li.querySelector('.name').textContent : null");
  assert.ok(ownOrg, "an organization you own or administer");

  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#scan-form"), 10_000, "the Installer view");
  assert.equal(await driver.text("#zaps-empty"), "No Zaps yet. Scan the network, or add one by its address.");

  // A network typed without its prefix length: refused with the sentence, nothing scanned.
  await driver.type("#scan-network", "127.0.5.0");
  await driver.click("#scan-start");
  await driver.waitFor(() => driver.exec("return document.getElementById('scan-msg').classList.contains('is-error')"), 10_000, "the network's sentence");
  assert.match(await driver.text("#scan-msg"), /like 192\.168\.1\.0\/24/);

  // Scan the Zaps' loopback /27 on their port: progress to the end, both Zaps in the table.
  await driver.type("#scan-network", "/27");
  await driver.type("#scan-port", String(port));
  await driver.click("#scan-start");
  await driver.waitFor(() => driver.exec("return /^Done: 30 of 30 addresses, 2 Zaps found/.test(document.getElementById('scan-msg').textContent)"), 60_000, "the scan to finish");
  const table = await rows(driver);
  assert.deepEqual(table.map((r) => r[0]).sort(), serials, JSON.stringify(table));
  for (const r of table) {
    assert.match(r[3], new RegExp(`^127\\.0\\.5\\.[23]:${port}$`), r[3]);
    assert.match(r[2], /\S/, "firmware");
    assert.match(r[4], /dBm/, "Wi-Fi signal");
  }

  // Open the first Zap with the keyboard: its health chain, each link coloured with its value.
  await driver.exec("document.querySelector('#zap-table tbody tr').focus()");
  await driver.pressKey("\uE015"); // ArrowDown
  await driver.pressKey("\uE013"); // ArrowUp
  await driver.pressKey("\uE007"); // Enter
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#health-chain li[data-link]').length === 6"), 30_000, "the health chain");
  const opened = await driver.exec("return document.querySelector('#zap-table tr[aria-selected=true]').dataset.address");
  const chain = await driver.exec("return [...document.querySelectorAll('#health-chain li')].map(li => [li.dataset.link, li.dataset.status, li.textContent])");
  assert.deepEqual(chain.map((l) => l[0]), ["reachable", "wifi", "internet", "cloud", "claimed", "readings"]);
  assert.equal(chain[0][1], "green", JSON.stringify(chain));
  assert.match(chain[0][2], /ms/, "the round trip is shown");
  for (const l of chain) assert.ok(["green", "amber", "red", "unchecked"].includes(l[1]), JSON.stringify(l));

  // Claim it into your organization; the table and the chain say where it is now.
  await driver.waitFor(() => exists(driver, "#claim-org"), 30_000, "your organizations");
  await driver.exec(`const s = document.getElementById('claim-org');
    s.value = [...s.options].find(o => o.textContent === ${JSON.stringify(ownOrg)}).value;
    s.dispatchEvent(new Event('change'));`);
  assert.equal(await exists(driver, "#claim-zap[aria-disabled]"), false, "your role may claim");
  await screenshot(driver, "installer");
  await driver.click("#claim-zap");
  await driver.waitFor(() => driver.exec("return /^(Claimed into|Already in|Moved into) /.test(document.getElementById('claim-status').textContent) || !!document.getElementById('confirm-dialog')"), 30_000, "the claim");
  const wasElsewhere = await exists(driver, "#confirm-dialog");
  if (wasElsewhere) await driver.click("#confirm-ok");
  await driver.waitFor(
    () => driver.exec(`return document.querySelector('#zap-table tr[data-address="${opened}"] td[data-col=claim]')?.textContent === ${JSON.stringify(ownOrg)}`),
    30_000, "the row to say which organization holds it");
  await driver.waitFor(() => driver.exec("return document.querySelector('#health-chain li[data-link=claimed]')?.dataset.status === 'green'"), 30_000, "the claimed link green");
  assert.match(await driver.text("#claim-status"), wasElsewhere ? new RegExp(`^Moved into ${ownOrg}`) : new RegExp(`^Claimed into ${ownOrg}\\.$`));

  // Claiming again is a quiet no-op.
  await driver.click("#claim-zap");
  await driver.waitFor(() => driver.exec(`return document.getElementById('claim-status').textContent === ${JSON.stringify(`Already in ${ownOrg}.`)}`), 30_000, "already claimed");
  await driver.exec("document.getElementById('zap-claim').scrollIntoView({ block: 'end' })");
  await screenshot(driver, "installer-claimed");

  // The router-style web page by address: not added, the sentence says what answered.
  await driver.type("#add-address", `127.0.5.20:${port}`);
  await driver.click("#add-zap");
  await driver.waitFor(() => driver.exec("return document.getElementById('add-msg').classList.contains('is-error')"), 30_000, "the web page's sentence");
  const sentence = await driver.text("#add-msg");
  assert.match(sentence, /web page|not a Zap/i, sentence);
  assert.equal((await rows(driver)).length, 2, "nothing added");
  await screenshot(driver, "installer-web-page");

  // Nothing listening at the address: not added, the sentence says what to check.
  await driver.exec("document.getElementById('add-address').value = ''; document.getElementById('add-msg').classList.remove('is-error')");
  await driver.type("#add-address", `127.0.5.99:${port}`);
  await driver.click("#add-zap");
  await driver.waitFor(() => driver.exec("return document.getElementById('add-msg').classList.contains('is-error')"), 30_000, "the unreachable host's sentence");
  const unreachable = await driver.text("#add-msg");
  assert.match(unreachable, new RegExp(`^Nothing answers at 127\\.0\\.5\\.99:${port} .*powered.*same network`), unreachable);
  assert.equal((await rows(driver)).length, 2, "nothing added");
  await screenshot(driver, "installer-unreachable");

  // The organization view lists the claimed gateway; Release (confirmed) takes it out.
  const serial = await driver.exec(`return document.querySelector('#zap-table tr[data-address="${opened}"] td:not(.select)').textContent`);
  await driver.click('.app-nav a[href="#organizations"]');
  await driver.waitFor(() => exists(driver, "#org-list li a"), 30_000, "the organizations");
  await driver.exec(`[...document.querySelectorAll('#org-list li')].find(li => li.querySelector('.name').textContent === ${JSON.stringify(ownOrg)}).querySelector('a').click()`);
  const gateway = `#org-gateways li[data-serial="${serial}"]`;
  await driver.waitFor(() => exists(driver, gateway), 30_000, "the claimed gateway in the organization");
  await driver.click(`#release-${serial}`);
  await driver.waitFor(() => exists(driver, "#confirm-dialog"), 10_000, "the release confirmation");
  assert.match(await driver.text("#confirm-message"), /stop reporting/);
  await driver.click("#confirm-ok");
  await driver.waitFor(async () => !(await exists(driver, gateway)), 30_000, "the gateway released");
});
