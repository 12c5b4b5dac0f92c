// Shared set-up for E2E tests: paths, a tauri-driver per test file, screenshots that must not be blank.
import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebDriver } from "./webdriver.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
export const APP = process.env.NOVADESK_APP ?? join(ROOT, "target/debug/novadesk");
export const SHOTS = join(ROOT, "target/e2e");

/**
 * Whether the suite runs in a network namespace of its own (e2e/run.sh makes one when it can):
 * loopback is its only interface (/proc/self/net is per namespace).
 */
export function inOwnNetns() {
  try {
    const names = readFileSync("/proc/self/net/dev", "utf8").split("\n").slice(2)
      .map((l) => l.split(":")[0].trim()).filter(Boolean);
    return names.length === 1 && names[0] === "lo";
  } catch {
    return false;
  }
}

/**
 * The app's mDNS setting for every test: it must never send multicast on a real interface, so
 * it browses loopback only inside the suite's own namespace, and not at all elsewhere.
 */
export const MDNS = inOwnNetns() ? "loopback" : "off";

/**
 * The app's idle start-up, as e2e/measure.js measures it and e2e/startup-order.mjs profiles it (the
 * two must agree): the organizations list has rows, then IDLE_MS without input.
 */
export const ORG_LIST = "return document.querySelectorAll('#org-list li').length > 0";
export const IDLE_MS = 10_000;

/** Start tauri-driver on a free port with its output in a log file (never our stdout: see notes). */
export async function startDriver(name, env = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const port = 4444 + Math.floor(Math.random() * 1000);
  const nativePort = port + 1000;
  const log = openSync(join(SHOTS, `${name}-tauri-driver.log`), "w");
  const proc = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"], {
    stdio: ["ignore", log, log],
    env: { ...process.env, NOVADESK_MDNS: MDNS, ...env },
  });
  const driver = new WebDriver(`http://127.0.0.1:${port}`);
  await driver.waitFor(async () => (await fetch(driver.base + "/status", { signal: AbortSignal.timeout(1000) })).ok, 15_000, "tauri-driver");
  return { driver, stop: () => proc.kill("SIGTERM") };
}

/**
 * End the session and wait until the app process is gone. A lingering app would make the next
 * launch hand over to it (single instance) and WebDriver's session start would hang. The wait
 * runs even when ending the session fails (a timed-out DELETE once left the app running into the
 * next test file); an app that outlives the wait is killed and waited for.
 */
export async function quitApp(driver) {
  let failed = null;
  try {
    await driver.quit();
  } catch (err) {
    failed = err;
  }
  if (!(await appGone(15_000))) {
    try {
      execFileSync("pkill", ["-KILL", "-f", APP]);
    } catch {
      // pkill exits 1 when the app ended meanwhile.
    }
    if (!(await appGone(10_000))) throw new Error(`${APP} still runs after SIGKILL`);
  }
  if (failed) throw failed;
}

async function appGone(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!appRunning()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return !appRunning();
}

function appRunning() {
  try {
    execFileSync("pgrep", ["-f", APP]);
    return true;
  } catch {
    return false; // pgrep exits 1 when nothing matches
  }
}

/**
 * A fresh home for the app's data, config and logs, so tests never touch the user's. Under
 * e2e/run.sh every home is made in one root (NOVADESK_E2E_ROOT), which the secrets-at-rest scan
 * searches after the suite and then removes; every test file must make its homes here.
 */
export function freshHome() {
  const root = process.env.NOVADESK_E2E_ROOT || tmpdir();
  mkdirSync(root, { recursive: true });
  const home = mkdtempSync(join(root, "novadesk-e2e-"));
  for (const d of ["data", "config", "cache"]) mkdirSync(join(home, d), { recursive: true });
  process.env.XDG_DATA_HOME = join(home, "data");
  process.env.XDG_CONFIG_HOME = join(home, "config");
  process.env.XDG_CACHE_HOME = join(home, "cache");
  return home;
}

/** Save a screenshot to target/e2e/NAME.png and fail if it is blank (almost one colour). */
export async function screenshot(driver, name) {
  const png = await driver.screenshot();
  const path = join(SHOTS, `${name}.png`);
  writeFileSync(path, png);
  const colours = Number(execFileSync("identify", ["-format", "%k", path]).toString().trim());
  if (!(colours > 32)) throw new Error(`screenshot ${path} looks blank: ${colours} colours`);
  return { path, colours };
}

/**
 * Reads `css` (#identity-id, #public-key, #server-url) where the identity's details are, the
 * Identity view, then goes back to the organizations list the test was on.
 */
export async function identityDetail(driver, css) {
  await driver.click('.app-nav a[href="#identity"]');
  await driver.waitFor(() => driver.exec("return !!document.getElementById('identity-actions')"), 10_000, "identity view");
  const text = await driver.text(css);
  await driver.exec("history.back()");
  await driver.waitFor(() => driver.exec("return !!document.getElementById('org-list')"), 30_000, "the organizations list again");
  return text;
}

/**
 * Note a secret the test typed or imported (a key, a passphrase) for the secrets-at-rest scan
 * after the suite (e2e/secrets-scan.js): it must be found in none of the app's files. The record
 * (NOVACORE_SIM_SECRETS_RECORD, where the Sandbox also writes the tokens it issues) lives
 * outside the scanned homes. Without e2e/run.sh there is no scan and nothing is written.
 */
export function rememberSecret(kind, value) {
  const record = process.env.NOVACORE_SIM_SECRETS_RECORD;
  if (!record) return;
  if (/[\t\n]/.test(kind)) throw new Error(`secret kind ${JSON.stringify(kind)} has a tab or newline`);
  // One line per secret: a PEM's lines are joined by "\n" escapes, split again by the scanner.
  appendFileSync(record, `${kind}\t${value.replace(/\r?\n/g, "\\n")}\n`);
}
