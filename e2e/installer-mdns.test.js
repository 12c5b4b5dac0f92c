// Finding Zaps without a scan. Signed out, with the Sandbox chosen (the default): the Installer
// opens, the Sandbox's own Zaps are listed by themselves, the open Zap's health chain shows and
// its claim panel says to sign in. Inside the suite's own network namespace (e2e/run.sh), an
// external novacore-sim announcing its Zaps by mDNS on loopback (127.0.10.x): they appear in the
// table by themselves, found by mDNS, and are marked gone when it stops (its goodbyes). Then,
// started with `--env sandbox`, signed in, the Sandbox's Zaps are there again with the claim column.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APP, MDNS, freshHome, inOwnNetns, quitApp, screenshot, startDriver } from "./harness.js";
import { startSim } from "./sim.js";

let session;
let sim;

before(async () => {
  freshHome();
  session = await startDriver("installer-mdns");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);
/** The table's rows: [found_by, gone, cells… (not the selection column)]. */
const rows = (driver) =>
  driver.exec("return [...document.querySelectorAll('#zap-table tbody tr')].map(tr => [tr.dataset.foundBy, tr.dataset.gone, ...[...tr.cells].filter(c => !c.classList.contains('select')).map(c => c.textContent)])");
const of = (table, how) => table.filter((r) => r[0] === how);

test("signed out: the Installer lists the Sandbox's Zaps by itself, checks one, and says to sign in to claim", async () => {
  const { driver } = session;
  await driver.start(APP, []);
  await driver.waitFor(() => driver.exec("return document.body.dataset.ready === 'true'"), 20_000, "app ready");
  assert.equal(await driver.exec("return document.querySelector('#env-picker input:checked').value"), "sandbox");
  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#scan-form"), 10_000, "the Installer view, signed out");
  assert.equal(await driver.exec("return location.hash"), "#installer");

  await driver.waitFor(async () => of(await rows(driver), "sandbox").length === 3, 30_000, "the Sandbox's 3 Zaps");
  const sandbox = of(await rows(driver), "sandbox");
  for (const r of sandbox) {
    assert.match(r[2], /^zap-[0-9a-f]{16}$/, "serial");
    assert.match(r[5], /^127\.0\.0\.1:\d+$/, "address");
    assert.equal(r[8], "unknown", "signed out: who holds it is unknown");
    assert.equal(r[9], "Sandbox", "found by");
  }
  // mDNS: browsing inside the suite's namespace, off (and saying so) anywhere else.
  await driver.waitFor(async () => (await driver.text("#mdns-status")) !== "", 10_000, "the mDNS status");
  const status = await driver.text("#mdns-status");
  if (MDNS === "off") assert.match(status, /NOVADESK_MDNS=off/, status);
  else assert.match(status, /^Listening for Zaps announcing themselves/, status);

  // Open one: its health chain; the claim panel asks to sign in, with the way there.
  const row = `#zap-table tr[data-address="${sandbox[0][5]}"]`;
  await driver.exec(`document.querySelector(${JSON.stringify(row)}).focus()`);
  await driver.pressKey("\uE007"); // Enter
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#health-chain li[data-link]').length === 6"), 30_000, "the health chain");
  assert.equal(await driver.exec("return document.querySelector('#health-chain li[data-link=reachable]').dataset.status"), "green");
  await driver.waitFor(() => exists(driver, "#claim-signin"), 10_000, "the claim panel, signed out");
  assert.match(await driver.text("#claim-signin"), /claiming it into an organization does/);
  assert.equal(await driver.text("#claim-signin-link"), "Sign in to claim");
  assert.equal(await driver.exec("return document.getElementById('claim-signin-link').getAttribute('href')"), "#welcome");
  assert.equal(await exists(driver, "#claim-zap"), false, "no Claim button signed out");
  assert.equal(await driver.text("#provision-signin-link"), "Sign in to provision");
  assert.ok(await exists(driver, "#zap-wifi"), "setting the Zap up needs no sign-in");
  await driver.exec("document.getElementById('zap-claim').scrollIntoView({ block: 'end' })");
  await screenshot(driver, "installer-signed-out");
});

test(
  "mDNS: announced Zaps appear by themselves and are marked gone when they leave",
  { skip: inOwnNetns() ? false : "no network namespace of its own (run e2e/run.sh as root): the app must not send multicast on a real interface" },
  async () => {
    const { driver } = session;
    sim = await startSim("127.0.0.1:0", ["--seed", "11", "--zaps", "2", "--zap-addr", "127.0.10.2:8080", "--mdns-loopback"]);
    const serials = sim.ready.zaps.map((z) => z.serial).sort();
    await driver.waitFor(async () => of(await rows(driver), "mdns").length === 2, 30_000, "the announced Zaps in the table");
    const found = of(await rows(driver), "mdns");
    assert.deepEqual(found.map((r) => r[2]).sort(), serials, JSON.stringify(found));
    for (const r of found) {
      assert.equal(r[1], "false", "live");
      assert.equal(r[3], "—", "its mDNS name is its serial: not repeated");
      assert.match(r[5], /^127\.0\.10\.[23]:8080$/, r[5]);
      assert.match(r[4], /\S/, "firmware read from the Zap");
      assert.equal(r[9], "mDNS", "found by");
    }
    assert.equal(of(await rows(driver), "sandbox").length, 3, "the Sandbox's Zaps stay");
    await driver.exec("document.getElementById('zaps-box').scrollIntoView({ block: 'start' })");
    await screenshot(driver, "installer-mdns");

    // The simulator stops: its goodbyes mark both rows gone (not kept as live).
    await sim.stop();
    sim = null;
    await driver.waitFor(async () => of(await rows(driver), "mdns").every((r) => r[1] === "true"), 30_000, "the announced Zaps marked gone");
    for (const r of of(await rows(driver), "mdns")) assert.equal(r[9], "mDNS — gone");
    await screenshot(driver, "installer-mdns-gone");
  },
);

test("signed in to the Sandbox (--env sandbox): its Zaps are listed with the claim column", async () => {
  const { driver } = session;
  await quitApp(driver);
  await driver.start(APP, ["--env", "sandbox"]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "organizations");
  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(async () => of(await rows(driver), "sandbox").length === 3, 30_000, "the Sandbox's 3 Zaps");
  for (const r of of(await rows(driver), "sandbox")) assert.notEqual(r[8], "unknown", "signed in: the claim column says");
});
