#!/usr/bin/env node
// Measures the real app (debug or release binary, see NOVADESK_APP) under WebDriver and prints a
// table for the README:
//  1. cold start to first interactive view: `novadesk --env sandbox` launched (WebDriver session
//     request) → the organizations list has rows (Sandbox started in-process, identity created,
//     signed in). Run RUNS times with a fresh home each; the first run warms the disk cache and is
//     not counted; the median of the others is reported.
//  2. idle memory: 10 s after that view, the RSS (and PSS, which does not count shared pages twice)
//     of the app process and its WebKit processes (WebKitWebProcess, WebKitNetworkProcess), summed
//     from /proc/<pid>/status and /proc/<pid>/smaps_rollup.
//  3. reading → DOM latency with SITES sites live: the page imports the real live view
//     (views/powerflow.js) and mounts it once per site — each mount calls `watch_site` — then a
//     MutationObserver notes, whenever a value's `data-ts` changes, Date.now() minus that
//     timestamp. The timestamp is the reading's own, stamped by the Sandbox when it published it
//     (same machine, same clock), so this is server publish → SSE → SDK → core → Channel → DOM.
//     The app's part alone (the backend's receive stamp `data-received` → DOM) is reported too.
//
// The Sandbox gets SITES demo sites through the developer option NOVADESK_SANDBOX_SITES.
// Usage (needs a display and a D-Bus session: `make measure` provides both):
//   node e2e/measure.js [--runs 5] [--sites 20] [--seconds 30]
import { readFileSync, readdirSync, writeFileSync, mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { APP, SHOTS, freshHome, quitApp, startDriver } from "./harness.js";
import { WebDriver } from "./webdriver.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg("runs", 5);
const SITES = arg("sites", 20);
const SECONDS = arg("seconds", 30);
const IDLE_MS = 10_000;

process.env.NOVADESK_SANDBOX_SITES = String(Math.max(SITES, 4));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** pid → { ppid, comm } for every process. */
function processes() {
  const out = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      let exe = "";
      try {
        exe = realpathSync(`/proc/${d}/exe`);
      } catch {}
      out.set(Number(d), { ppid, comm, exe });
    } catch {}
  }
  return out;
}

function kib(path, key) {
  try {
    const m = readFileSync(path, "utf8").match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** RSS/PSS of the app and its WebKit descendants. */
function memory() {
  const procs = processes();
  const app = realpathSync(APP);
  const apps = [...procs].filter(([, p]) => p.exe === app).map(([pid]) => pid);
  if (apps.length !== 1) throw new Error(`expected one app process for ${app}, found ${apps.length}`);
  const rows = [{ pid: apps[0], name: "novadesk" }];
  const isDescendant = (pid) => {
    for (let p = procs.get(pid); p; p = procs.get(p.ppid)) if (p.ppid === apps[0]) return true;
    return false;
  };
  for (const [pid, p] of procs) {
    if (/^WebKit/.test(p.comm) && isDescendant(pid)) rows.push({ pid, name: p.exe.split("/").pop() || p.comm });
  }
  for (const r of rows) {
    r.rss_mib = kib(`/proc/${r.pid}/status`, "VmRSS") / 1024;
    r.pss_mib = kib(`/proc/${r.pid}/smaps_rollup`, "Pss") / 1024;
  }
  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  return { rows, rss_mib: sum("rss_mib"), pss_mib: sum("pss_mib") };
}

async function launch(name) {
  freshHome();
  const session = await startDriver(name);
  const { driver } = session;
  const t0 = performance.now();
  await driver.start(APP, ["--env", "sandbox"]);
  await driver.waitForFast(() => driver.exec("return document.querySelectorAll('#org-list li').length > 0"), 90_000, "organizations list");
  return { session, ms: performance.now() - t0 };
}

// Poll every 20 ms (waitFor's 200 ms would blur a start-up time).
WebDriver.prototype.waitForFast = async function (fn, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if (await fn()) return;
    } catch {}
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
};

const MOUNT = `
const done = arguments[arguments.length - 1];
const n = arguments[0];
(async () => {
  const base = document.baseURI;
  const { commands } = await import(new URL("js/bindings.js", base).href);
  const { mountPowerFlow } = await import(new URL("js/views/powerflow.js", base).href);
  const res = await commands.getSites("network");
  if (res.status !== "ok") return done({ error: res.error.message });
  const sites = (res.data.data ?? []).slice(0, n);
  const box = document.createElement("div");
  box.id = "measure-live";
  box.style.cssText = "position:fixed;inset:60px 0 30px 200px;overflow:auto;background:var(--bg)";
  document.body.append(box);
  window.__lat = { reading: [], app: [] };
  new MutationObserver((records) => {
    const now = Date.now();
    for (const r of records) {
      const v = Number(r.target.getAttribute(r.attributeName));
      if (!v || String(v) === r.oldValue) continue;
      if (r.attributeName === "data-ts" && r.target.classList.contains("pf-value")) window.__lat.reading.push(now - v);
      if (r.attributeName === "data-received") window.__lat.app.push(now - v);
    }
  }).observe(box, { subtree: true, attributes: true, attributeFilter: ["data-ts", "data-received"], attributeOldValue: true });
  window.__stopLive = sites.map((s) => {
    const c = document.createElement("section");
    box.append(c);
    return mountPowerFlow(c, s.id, {});
  });
  done({ sites: sites.length });
})().catch((e) => done({ error: String(e) }));`;

async function main() {
  const starts = [];
  let last = null;
  for (let i = 0; i < RUNS; i++) {
    const run = await launch(`measure-${i}`);
    starts.push(run.ms);
    console.error(`run ${i + 1}/${RUNS}: first interactive view after ${run.ms.toFixed(0)} ms${i === 0 ? " (warms the disk cache; not counted)" : ""}`);
    if (i < RUNS - 1) {
      await quitApp(run.session.driver);
      run.session.stop();
      // The single-instance plugin's D-Bus name outlives the process by a moment; a launch in
      // that moment hands over to the dying instance and fails.
      await sleep(2000);
    } else last = run;
  }
  const { driver } = last.session;
  await sleep(IDLE_MS);
  const idle = memory();
  console.error(`idle memory: ${idle.rss_mib.toFixed(0)} MiB RSS, ${idle.pss_mib.toFixed(0)} MiB PSS over ${idle.rows.length} processes`);

  const mounted = await driver.execAsync(MOUNT, SITES);
  if (mounted.error || mounted.sites < SITES) throw new Error(`could not open ${SITES} live views: ${JSON.stringify(mounted)}`);
  await sleep(5000); // streams open, first readings in
  await driver.exec("window.__lat.reading.length = 0; window.__lat.app.length = 0;");
  await sleep(SECONDS * 1000);
  const lat = await driver.exec("return window.__lat");
  const live = memory();
  await driver.exec("window.__stopLive.forEach((stop) => stop())");
  await quitApp(driver);
  last.session.stop();

  const counted = starts.length > 1 ? starts.slice(1) : starts;
  const result = {
    cold_start_ms: median(counted),
    cold_start_runs_ms: starts.map(Math.round),
    idle,
    live_memory: live,
    sites: mounted.sites,
    seconds: SECONDS,
    readings: lat.reading.length,
    latency_ms: { p50: quantile(lat.reading, 0.5), p99: quantile(lat.reading, 0.99), max: Math.max(...lat.reading) },
    app_latency_ms: { p50: quantile(lat.app, 0.5), p99: quantile(lat.app, 0.99) },
  };
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, "measure.json"), JSON.stringify(result, null, 2));
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : "n/a");
  console.log(`
| Measure | Result | How |
|---|---|---|
| Cold start → organizations list (Sandbox, warm disk cache) | ${f(result.cold_start_ms)} ms (median of ${counted.length}; runs ${result.cold_start_runs_ms.join(", ")} ms) | \`novadesk --env sandbox\` launched via WebDriver → \`#org-list\` has rows; includes starting the Sandbox, creating the identity, signing in |
| Idle memory (app + WebKit processes, 10 s idle) | ${f(idle.rss_mib)} MiB RSS / ${f(idle.pss_mib)} MiB PSS | ${idle.rows.map((r) => `${r.name} ${f(r.rss_mib)}`).join(", ")} MiB RSS |
| Memory with ${result.sites} sites live | ${f(live.rss_mib)} MiB RSS / ${f(live.pss_mib)} MiB PSS | same processes |
| Reading → DOM latency, ${result.sites} sites live | p50 ${f(result.latency_ms.p50)} ms, p99 ${f(result.latency_ms.p99)} ms (${result.readings} value updates in ${SECONDS} s) | Sandbox's publish stamp (reading \`timestamp\`) → the value's \`data-ts\` changed in the DOM |
| … of which in the app | p50 ${f(result.app_latency_ms.p50)} ms, p99 ${f(result.app_latency_ms.p99)} ms | backend receive stamp → DOM |
`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
