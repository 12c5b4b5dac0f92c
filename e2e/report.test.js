// The commissioning report, the installer at hand-over: an external novacore-sim whose Zap answers
// on its own loopback address (127.0.13.2, a block no other test uses); claim it, provision one of
// its field devices, make the report (the Zap signs its digest; the save dialog is replaced by
// NOVADESK_SAVE_PATH, the documented test override), verify it in the window (every check green)
// and with the `novacore` CLI binary, then change one byte of the saved JSON: both say the digest
// differs, the report was changed after it was signed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";
import { startSim } from "./sim.js";

/** The CLI built with the app (target/debug/novacore, or a copy beside NOVADESK_APP). */
const CLI = process.env.NOVACORE_CLI ?? join(dirname(APP), "novacore");

let session;
let sim;
let port;
let savePath;
let home;

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
  home = freshHome();
  mkdirSync(join(home, "reports"), { recursive: true });
  savePath = join(home, "reports", "handover.json");
  process.env.NOVADESK_SAVE_PATH = savePath;
  port = await freePort();
  sim = await startSim("127.0.0.1:0", ["--zaps", "1", "--zap-addr", `127.0.13.2:${port}`]);
  session = await startDriver("report");
});

after(async () => {
  delete process.env.NOVADESK_SAVE_PATH;
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
});

const exists = (driver, css) => driver.exec(`return !!document.querySelector(${JSON.stringify(css)})`);

/** `novacore ARGS` with a clean environment: no keychain, no identity (the platform is not asked). */
function cli(args) {
  const env = { ...process.env, NOVACORE_SECRET_STORE: "none" };
  delete env.NOVACORE_IDENTITY;
  delete env.NOVACORE_ENV;
  const r = spawnSync(CLI, args, { env, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The checks the Report panel shows: [check, colour, sentence]. */
const shownChecks = (driver) => driver.exec(
  "return [...document.querySelectorAll('#report-checks li')].map(li => [li.dataset.check, li.dataset.status, li.querySelector('.meta').textContent.replace(/^(passed|failed|not checked): /, '')])");

test("claim → provision → make the Zap-signed report → verified in the window and by the CLI → one changed byte is named", async () => {
  const { driver } = session;
  const address = `127.0.13.2:${port}`;
  assert.ok(existsSync(CLI), `the novacore CLI at ${CLI} (build it with the app)`);
  await driver.start(APP, ["--env", sim.url]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "organizations");
  const ownOrg = await driver.exec(
    "const li = [...document.querySelectorAll('#org-list li')].find(li => /owner|admin/i.test(li.textContent)); return li ? li.querySelector('.name').textContent : null");
  assert.ok(ownOrg, "an organization you own or administer");

  // Find the Zap on its small loopback network and open it.
  await driver.click('.app-nav a[href="#installer"]');
  await driver.waitFor(() => exists(driver, "#scan-form"), 10_000, "the Installer view");
  await driver.type("#scan-network", "127.0.13.0/29");
  await driver.type("#scan-port", String(port));
  await driver.click("#scan-start");
  const row = `#zap-table tr[data-address="${address}"]`;
  await driver.waitFor(() => exists(driver, row), 30_000, "the Zap found by the scan");
  await driver.exec(`document.querySelector(${JSON.stringify(row)}).focus()`);
  await driver.pressKey("\uE007"); // Enter
  await driver.waitFor(() => exists(driver, "#zap-report"), 30_000, "the Zap opened, its Report panel");

  // Claim it, then provision its first field device with the form's suggestion.
  await driver.waitFor(() => exists(driver, "#claim-org"), 30_000, "your organizations");
  await driver.exec(`const s = document.getElementById('claim-org');
    s.value = [...s.options].find(o => o.textContent === ${JSON.stringify(ownOrg)}).value;
    s.dispatchEvent(new Event('change'));`);
  await driver.click("#claim-zap");
  await driver.waitFor(() => driver.exec("return /^(Claimed into|Already in|Moved into) /.test(document.getElementById('claim-status').textContent)"), 30_000, "the claim");
  await driver.waitFor(() => exists(driver, "#provision-0-submit:not([aria-disabled])"), 30_000, "provisioning allowed");
  await driver.click("#provision-0-submit");
  await driver.waitFor(() => exists(driver, "#provision-0-ids"), 30_000, "the new ids");
  const derIds = await driver.exec("return [...document.querySelectorAll('#provision-0-der-ids li')].map(li => li.dataset.der)");
  assert.ok(derIds.length >= 1 && derIds.every((d) => /^der-/.test(d)), JSON.stringify(derIds));

  // Make the report: the Zap signs; JSON and HTML saved side by side.
  await driver.click("#report-make");
  await driver.waitFor(() => exists(driver, "#report-json-path"), 60_000, "the report saved");
  assert.equal(await driver.text("#report-json-path"), savePath);
  const htmlPath = savePath.replace(/\.json$/, ".html");
  assert.equal(await driver.text("#report-html-path"), htmlPath);
  const json = readFileSync(savePath, "utf8");
  const report = JSON.parse(json);
  assert.equal(report.format, "novadesk.commissioning-report");
  assert.match(report.gateway.serial, /^zap-[0-9a-f]{16}$/);
  assert.equal(report.signature.algorithm, "ES256");
  assert.ok(report.signature.message.startsWith(`${report.signature.digest}|`));
  assert.ok(report.signature.message.endsWith(`|${report.gateway.serial}`));
  assert.ok(report.wifi.ssid && Number.isInteger(report.wifi.rssi_dbm), JSON.stringify(report.wifi));
  const provisionedDers = report.field_devices.flatMap((d) => d.provisioned?.ders ?? []).map((d) => d.id);
  for (const id of derIds) assert.ok(provisionedDers.includes(id), `${id} in the report`);
  assert.ok(report.health.length === 6, "the health chain at hand-over");
  assert.doesNotMatch(json, /psk|passphrase/i);
  const html = readFileSync(htmlPath, "utf8");
  assert.match(html, new RegExp(report.gateway.serial));
  assert.doesNotMatch(html, /<script/i);

  // Verify it in the window: every check green, the platform's key included.
  assert.equal(await driver.exec("return document.getElementById('report-path').value"), savePath);
  await driver.click("#report-verify");
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#report-checks li').length === 5"), 30_000, "the checks");
  const checks = await shownChecks(driver);
  assert.deepEqual(checks.map(([c, s]) => [c, s]), [
    ["readable", "green"], ["digest", "green"], ["signer", "green"], ["signature", "green"], ["platform_key", "green"],
  ], JSON.stringify(checks));
  assert.match(await driver.text("#report-verdict"), /^The report verifies: signed by zap-[0-9a-f]+ itself and the platform holds its key\.$/);
  await driver.exec("document.getElementById('report-checks').scrollIntoView({ block: 'end' })");
  await screenshot(driver, "report-verified");

  // The CLI agrees (no identity: the platform is not asked, the file and signature are).
  const ok = cli(["--env", sim.url, "--json", "report", "verify", savePath]);
  assert.equal(ok.code, 0, ok.stderr);
  const okJson = JSON.parse(ok.stdout);
  assert.equal(okJson.ok, true);
  assert.deepEqual(okJson.checks.map((c) => c.status), ["passed", "passed", "passed", "passed", "unchecked"]);

  // One byte changed in the saved JSON (the signal, -4x dBm → another digit).
  const at = json.indexOf('"rssi_dbm": ') + '"rssi_dbm": -'.length;
  const old = json[at];
  const tampered = json.slice(0, at) + (old === "9" ? "8" : String(Number(old) + 1)) + json.slice(at + 1);
  assert.equal(tampered.length, json.length);
  writeFileSync(savePath, tampered);
  await driver.click("#report-verify");
  await driver.waitFor(() => driver.exec("return document.querySelector('#report-checks li[data-check=digest]')?.dataset.status === 'red'"), 30_000, "the digest check red");
  const after = await shownChecks(driver);
  const digest = after.find(([c]) => c === "digest");
  assert.match(digest[2], /^The digest differs: .*; the report was changed after it was signed\.$/, digest[2]);
  assert.equal(after.find(([c]) => c === "signature")[1], "green", "the Zap's signature itself is intact");
  assert.match(await driver.text("#report-verdict"), /^The report does not verify: 1 check failed\.$/);
  await driver.exec("document.getElementById('report-checks').scrollIntoView({ block: 'end' })");
  await screenshot(driver, "report-tampered");

  const bad = cli(["report", "verify", "--offline", savePath]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /the report does not verify: The digest differs: .*changed after it was signed/);
  assert.match(bad.stdout, /FAIL digest/);
});
