// Identity on the Sandbox: sign out and back in (same identity from the keychain), import a key
// made elsewhere (confirmed, then signed in as it), forget the identity (Escape cancels; confirmed,
// the next Connect creates a new one).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { APP, freshHome, quitApp, rememberSecret, screenshot, startDriver } from "./harness.js";

let session;

before(async () => {
  freshHome();
  session = await startDriver("identity");
  await session.driver.start(APP, []);
  await session.driver.waitFor(() => session.driver.exec("return document.body.dataset.ready === 'true'"), 20_000, "app ready");
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
});

async function connect(driver) {
  await driver.waitFor(() => driver.exec("return !!document.getElementById('connect') && !document.getElementById('connect').disabled"), 10_000, "Connect");
  await driver.click("#connect");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list')"), 60_000, "the organizations list");
}

async function openIdentity(driver) {
  await driver.click('.app-nav a[href="#identity"]');
  await driver.waitFor(() => driver.exec("return !!document.getElementById('identity-actions')"), 10_000, "identity view");
  return { id: await driver.text("#identity-id"), key: await driver.text("#public-key") };
}

const value = (text) => text.replace(/\s*Cop(y|ied)$/, "").trim();

test("sign out keeps the identity; signing in again uses it", async () => {
  const { driver } = session;
  await connect(driver);
  const first = await openIdentity(driver);
  await screenshot(driver, "identity");
  await driver.click("#sign-out");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('signin-reason')"), 10_000, "sign-in view with the reason");
  assert.match(await driver.text("#signin-reason"), /signed out/i);
  assert.equal(await driver.exec("return document.querySelector('.app-nav a[href=\"#organizations\"]')"), null, "nav disabled again");
  await connect(driver);
  assert.equal(value((await openIdentity(driver)).id), value(first.id));
});

test("an imported key becomes the identity after confirming", async () => {
  const { driver } = session;
  const before = await openIdentity(driver);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" });
  rememberSecret("identity key", pem);
  const expected = publicKey.export({ type: "spki", format: "der" }).subarray(-32).toString("base64");
  await driver.click("#import-details summary");
  await driver.exec("const t = document.getElementById('import-key'); t.value = arguments[0];", pem);
  await driver.click("#import-submit");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('confirm-dialog')"), 5000, "confirmation");
  await screenshot(driver, "identity-import-confirm");
  await driver.click("#confirm-ok");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list')"), 60_000, "signed in as the imported identity");
  const now = await openIdentity(driver);
  assert.equal(value(now.key), expected);
  assert.notEqual(value(now.id), value(before.id));
});

test("a bad key is refused with a message and changes nothing", async () => {
  const { driver } = session;
  const before = await openIdentity(driver);
  await driver.click("#import-details summary");
  await driver.exec("document.getElementById('import-key').value = 'definitely not a key';");
  await driver.click("#import-submit");
  await driver.click("#confirm-ok");
  await driver.waitFor(() => driver.exec("return document.getElementById('import-msg').classList.contains('is-error')"), 10_000, "error message");
  assert.match(await driver.text("#import-msg"), /PEM|seed/);
  assert.equal(value(await driver.text("#public-key")), value(before.key));
});

test("forget identity: Escape cancels, confirming removes it and the next Connect makes a new one", async () => {
  const { driver } = session;
  const before = await openIdentity(driver);
  await driver.click("#forget-identity");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('confirm-dialog')"), 5000, "confirmation");
  assert.equal(await driver.exec("return document.activeElement.id"), "confirm-cancel", "focus starts on Cancel");
  await driver.pressKey("\uE00C"); // Escape
  await driver.waitFor(() => driver.exec("return !document.getElementById('confirm-dialog')"), 5000, "dialog closed");
  assert.ok(await driver.exec("return !!document.getElementById('identity-actions')"), "still on the identity view");
  await driver.click("#forget-identity");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('confirm-ok')"), 5000, "confirmation");
  await driver.click("#confirm-ok");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('signin-reason')"), 10_000, "sign-in view");
  assert.match(await driver.text("#signin-reason"), /removed/i);
  await connect(driver);
  const after = await openIdentity(driver);
  assert.notEqual(value(after.id), value(before.id));
  assert.notEqual(value(after.key), value(before.key));
});
