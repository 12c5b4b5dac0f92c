#!/usr/bin/env node
// Measures the real app (debug or release binary, see NOVADESK_APP) under WebDriver beside its
// floor, a bare Tauri window on the same WebKitGTK (NOVADESK_BARE: the `bare_window` example of
// src-tauri, built in the same profile), all in one run, and prints a table for the README:
//  1. start-up: the binary launched (WebDriver session request) → the first interactive view:
//     for the app the organizations list has rows (identity created, signed in), against an
//     external novacore-sim (a real environment) and against the in-process Sandbox; for the bare
//     window its one element is in the page. Launches alternate between them, RUNS each with a
//     fresh home; each one's first run warms the disk cache and is not counted; medians reported.
//  2. memory: 10 s after that view (the median of 3 launches for the app on the external environment
//     and for the bare window), the RSS (and PSS, which does not count shared pages twice)
//     of the process and its WebKit processes (WebKitWebProcess, WebKitNetworkProcess), summed
//     from /proc/<pid>/status and /proc/<pid>/smaps_rollup: the bare window, the app on the
//     external environment (its overhead over the bare window is the app's own cost), the app on
//     the in-process Sandbox (the difference is the Sandbox's own memory), and the app with SITES
//     live views.
//  3. reading → DOM latency with SITES sites live: the page imports the real live view
//     (views/powerflow.js) and mounts it once per site — each mount calls `watch_site` — then a
//     MutationObserver notes, whenever a value's `data-ts` changes, Date.now() minus that
//     timestamp. The timestamp is the reading's own, stamped by the simulator when it published
//     it (same machine, same clock), so this is server publish → SSE → SDK → core → Channel → DOM.
//     The app's part alone (the backend's receive stamp `data-received` → DOM) is reported too.
//     The floor, at the same time: this script's own SSE client on SITES sites of the same
//     simulator (publish → received here).
//
// The simulator (NOVACORE_SIM) and the in-process Sandbox get SITES demo sites per organization.
// Rows for `make bench`'s report go to $NOVADESK_BENCH_ROWS when it is set.
// Usage (needs a display and a D-Bus session: `make measure` provides both):
//   node e2e/measure.js [--runs 9] [--sites 20] [--seconds 30]
import { readFileSync, readdirSync, writeFileSync, mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { record, row } from "./bench-rows.js";
import { APP, IDLE_MS, ORG_LIST, ROOT, SHOTS, freshHome, quitApp, startDriver } from "./harness.js";
import { readStream, json, signIn } from "./raw-client.js";
import { SIM, startSim } from "./sim.js";
import { WebDriver } from "./webdriver.js";

const BARE = process.env.NOVADESK_BARE ?? join(ROOT, "target/debug/examples/bare_window");

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
// One launch's start-up moves by ±15 % here (the floor's too): 8 counted runs of each keep the
// medians' ratio steadier than 4 did (two runs of one build gave 1.51× and 1.38× with 4).
const RUNS = arg("runs", 9);
const SITES = arg("sites", 20);
const SECONDS = arg("seconds", 30);

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

/** RSS/PSS of the one process running `exe` and its WebKit descendants. */
function memory(exe) {
  const procs = processes();
  const app = realpathSync(exe);
  const apps = [...procs].filter(([, p]) => p.exe === app).map(([pid]) => pid);
  if (apps.length !== 1) throw new Error(`expected one process for ${app}, found ${apps.length}`);
  const rows = [{ pid: apps[0], name: app.split("/").pop() }];
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

/** RSS/PSS of one process alone (the external simulator). */
function processMemory(pid) {
  return { rss_mib: kib(`/proc/${pid}/status`, "VmRSS") / 1024, pss_mib: kib(`/proc/${pid}/smaps_rollup`, "Pss") / 1024 };
}

/** What is launched, and the view that counts as its first interactive paint. */
const subjects = (simUrl) => ({
  bare: { exe: BARE, args: [], ready: "return !!document.getElementById('bare')", what: "the bare page" },
  // The floor with WebKit's own settings rather than the app's (src-tauri/src/webview.rs).
  bareDefault: { exe: BARE, args: ["--default-webview"], ready: "return !!document.getElementById('bare')", what: "the bare page" },
  sim: { exe: APP, args: ["--env", simUrl], ready: ORG_LIST, what: "organizations list (novacore-sim)" },
  sandbox: { exe: APP, args: ["--env", "sandbox"], ready: ORG_LIST, what: "organizations list (Sandbox)" },
});

/** tauri-driver on a random port: on a busy machine the port is sometimes taken; try another. */
async function driverFor(name) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDriver(attempt === 1 ? name : `${name}-retry${attempt}`);
    } catch (e) {
      if (attempt === 3) throw e;
      console.error(`${name}: ${e.message}; trying another port`);
    }
  }
}

async function launch(subject, name) {
  freshHome();
  const session = await driverFor(name);
  const { driver } = session;
  const t0 = performance.now();
  await driver.start(subject.exe, subject.args);
  await driver.waitForFast(() => driver.exec(subject.ready), 90_000, subject.what);
  return { session, ms: performance.now() - t0 };
}

/** End the session and wait until `exe` is gone (the app's single-instance name goes with it). */
async function quit(subject, session) {
  if (subject.exe === APP) await quitApp(session.driver);
  else {
    await session.driver.quit().catch(() => {});
    const exe = realpathSync(subject.exe);
    const until = Date.now() + 15_000;
    while (Date.now() < until && [...processes().values()].some((p) => p.exe === exe)) await sleep(200);
  }
  session.stop();
  // The single-instance plugin's D-Bus name outlives the process by a moment; a launch in
  // that moment hands over to the dying instance and fails.
  await sleep(2000);
}

/** Launches `subject`, waits IDLE_MS after its first view and returns its memory (and the session). */
async function idleMemory(subject, name) {
  const run = await launch(subject, name);
  await sleep(IDLE_MS);
  const mem = memory(subject.exe);
  console.error(`${name}: ${mem.rss_mib.toFixed(0)} MiB RSS, ${mem.pss_mib.toFixed(0)} MiB PSS over ${mem.rows.length} processes`);
  return { ...run, mem };
}

/** How many idle launches of the app and of its floor: their median (by PSS) is reported. */
const MEMORY_RUNS = 3;

/**
 * The median by PSS of MEMORY_RUNS idle launches (one launch's figure moves by ±2 MiB here), with
 * every launch's PSS; the last launch's session stays open when `keep` (for the live views).
 */
async function medianIdle(subject, name, keep = false) {
  const runs = [];
  for (let i = 0; i < MEMORY_RUNS; i++) {
    const run = await idleMemory(subject, `${name}-${i}`);
    runs.push(run);
    if (!keep || i < MEMORY_RUNS - 1) await quit(subject, run.session);
  }
  const byPss = [...runs].sort((a, b) => a.mem.pss_mib - b.mem.pss_mib);
  return {
    mem: { ...byPss[Math.floor(MEMORY_RUNS / 2)].mem, pss_runs_mib: runs.map((r) => r.mem.pss_mib) },
    session: keep ? runs[MEMORY_RUNS - 1].session : null,
  };
}

/** The floor of reading → DOM: this script's SSE client on `n` sites of the simulator for `ms`. */
async function rawLatency(base, n, ms) {
  const who = await signIn(base);
  const listed = await json(`${base}/sites`, { token: who.token });
  const sites = (Array.isArray(listed) ? listed : listed.data ?? []).slice(0, n);
  const delays = [];
  const ctl = new AbortController();
  const stop = setTimeout(() => ctl.abort(), ms);
  await Promise.all(
    sites.map((s) =>
      readStream(base, who.token, s.id, (r) => {
        if (typeof r.timestamp === "number") delays.push(Date.now() - r.timestamp);
        return false;
      }, ctl.signal).catch(() => {}),
    ),
  );
  clearTimeout(stop);
  return { sites: sites.length, delays };
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
  const sim = await startSim("127.0.0.1:0", ["--sites", String(Math.max(SITES, 4))]);
  try {
    await measureAll(sim);
  } finally {
    await sim.stop();
  }
}

async function measureAll(sim) {
  const who = subjects(sim.url);
  // 1. Start-up, the three alternating so that a change in the machine's load hits all alike.
  const starts = { bare: [], sim: [], sandbox: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const key of ["bare", "sim", "sandbox"]) {
      const run = await launch(who[key], `measure-${key}-${i}`);
      starts[key].push(run.ms);
      console.error(`${key} run ${i + 1}/${RUNS}: first view after ${run.ms.toFixed(0)} ms${i === 0 ? " (warms the disk cache; not counted)" : ""}`);
      await quit(who[key], run.session);
    }
  }
  const counted = (xs) => (xs.length > 1 ? xs.slice(1) : xs);

  // 2. Idle memory: the floor, the app on the in-process Sandbox, the app on the simulator.
  const bareDefault = await idleMemory(who.bareDefault, "memory-bare-default-webview");
  await quit(who.bareDefault, bareDefault.session);
  const bare = await medianIdle(who.bare, "memory-bare");
  const sandbox = await idleMemory(who.sandbox, "memory-sandbox");
  await quit(who.sandbox, sandbox.session);
  const last = await medianIdle(who.sim, "memory-sim", true);
  const idle = last.mem;
  const simExe = realpathSync(SIM);
  const simPid = [...processes()].find(([, p]) => p.exe === simExe)?.[0];
  const simIdle = simPid ? processMemory(simPid) : { rss_mib: NaN, pss_mib: NaN };

  // 3. SITES live views, and this script's own SSE client beside them.
  const { driver } = last.session;
  const mounted = await driver.execAsync(MOUNT, SITES);
  if (mounted.error || mounted.sites < SITES) throw new Error(`could not open ${SITES} live views: ${JSON.stringify(mounted)}`);
  await sleep(5000); // streams open, first readings in
  await driver.exec("window.__lat.reading.length = 0; window.__lat.app.length = 0;");
  const raw = await rawLatency(sim.url, SITES, SECONDS * 1000);
  const lat = await driver.exec("return window.__lat");
  const live = memory(APP);
  await driver.exec("window.__stopLive.forEach((stop) => stop())");
  await quit(who.sim, last.session);

  const result = {
    start_ms: Object.fromEntries(Object.entries(starts).map(([k, xs]) => [k, median(counted(xs))])),
    start_runs_ms: Object.fromEntries(Object.entries(starts).map(([k, xs]) => [k, xs.map(Math.round)])),
    bare_idle: bare.mem,
    bare_default_idle: bareDefault.mem,
    idle,
    sandbox_idle: sandbox.mem,
    sim_process: simIdle,
    live_memory: live,
    sites: mounted.sites,
    seconds: SECONDS,
    readings: lat.reading.length,
    latency_ms: { p50: quantile(lat.reading, 0.5), p99: quantile(lat.reading, 0.99), max: Math.max(...lat.reading) },
    app_latency_ms: { p50: quantile(lat.app, 0.5), p99: quantile(lat.app, 0.99) },
    raw_latency_ms: { sites: raw.sites, readings: raw.delays.length, p50: quantile(raw.delays, 0.5), p99: quantile(raw.delays, 0.99) },
  };
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, "measure.json"), JSON.stringify(result, null, 2));
  report(result, counted(starts.bare).length);
}

function report(r, n) {
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : "n/a");
  const over = (m) => m.pss_mib - r.bare_idle.pss_mib;
  const sandboxOwn = r.sandbox_idle.pss_mib - r.idle.pss_mib;
  const runsText = (m) => m.pss_runs_mib.map(f).join(", ");
  const procs = (m) => m.rows.map((p) => `${p.name} ${f(p.pss_mib)}`).join(", ");
  console.log(`
| Measure | Novadesk | Floor: bare Tauri window, same run | How |
|---|---|---|---|
| Start-up → organizations list, against novacore-sim (warm disk cache) | ${f(r.start_ms.sim)} ms (median of ${n}; runs ${r.start_runs_ms.sim.join(", ")} ms) | ${f(r.start_ms.bare)} ms to its first paint (runs ${r.start_runs_ms.bare.join(", ")} ms); ratio ${(r.start_ms.sim / r.start_ms.bare).toFixed(2)}× (goal ≤ 1.5×) | launched via WebDriver → \`#org-list\` has rows (identity created, signed in) / the bare page's element is there |
| Start-up → organizations list, in-process Sandbox | ${f(r.start_ms.sandbox)} ms (runs ${r.start_runs_ms.sandbox.join(", ")} ms) | ratio ${(r.start_ms.sandbox / r.start_ms.bare).toFixed(2)}× | includes starting the Sandbox |
| Idle memory (process + WebKit processes, 10 s idle), novacore-sim as the environment | ${f(r.idle.rss_mib)} MiB RSS / ${f(r.idle.pss_mib)} MiB PSS: **${f(over(r.idle))} MiB PSS over the floor** (goal ≤ 40; median of ${r.idle.pss_runs_mib.length} launches: ${runsText(r.idle)} MiB) | ${f(r.bare_idle.rss_mib)} MiB RSS / ${f(r.bare_idle.pss_mib)} MiB PSS (launches: ${runsText(r.bare_idle)} MiB) | PSS by process: ${procs(r.idle)} / ${procs(r.bare_idle)} MiB |
| Memory with ${r.sites} sites live | ${f(r.live_memory.rss_mib)} MiB RSS / ${f(r.live_memory.pss_mib)} MiB PSS: **${f(over(r.live_memory))} MiB PSS over the floor** (goal ≤ 80) | idle, as above | same processes |
| The floor itself: bare window with the app's webview settings (document-viewer cache model) | ${f(r.bare_idle.rss_mib)} MiB RSS / ${f(r.bare_idle.pss_mib)} MiB PSS | WebKit's defaults: ${f(r.bare_default_idle.rss_mib)} MiB RSS / ${f(r.bare_default_idle.pss_mib)} MiB PSS | \`bare_window\` vs \`bare_window --default-webview\` |
| The in-process Sandbox's own memory (app idle on it minus app idle on novacore-sim) | ${f(sandboxOwn)} MiB PSS | the separate novacore-sim process: ${f(r.sim_process.pss_mib)} MiB PSS | |
| Reading → DOM latency, ${r.sites} sites live | p50 ${f(r.latency_ms.p50)} ms, p99 ${f(r.latency_ms.p99)} ms (${r.readings} value updates in ${r.seconds} s) | raw SSE client on ${r.raw_latency_ms.sites} sites of the same simulator: p50 ${f(r.raw_latency_ms.p50)} ms, p99 ${f(r.raw_latency_ms.p99)} ms | simulator's publish stamp → the value's \`data-ts\` changed in the DOM |
| … of which in the app | p50 ${f(r.app_latency_ms.p50)} ms, p99 ${f(r.app_latency_ms.p99)} ms | | backend receive stamp → DOM |
`);
  const command = "make measure";
  const bare = ["bare Tauri window", [r.bare_idle.pss_mib, "MiB PSS"]];
  const startFloor = ["bare Tauri window: launch → first paint", [r.start_ms.bare, "ms"]];
  const startGoal = [`≤ 1.5× the floor (${f(1.5 * r.start_ms.bare)} ms)`, 1.5 * r.start_ms.bare];
  record("measure", [
    row("app", "start-up: launch → interactive organizations list (novacore-sim, release)", [r.start_ms.sim, "ms"], "lower", command, {
      peer: startFloor, goal: startGoal, note: `median of ${n}; runs ${r.start_runs_ms.sim.join(", ")} ms`,
    }),
    row("app", "start-up: same, in-process Sandbox (started, identity created, signed in)", [r.start_ms.sandbox, "ms"], "lower", command, {
      peer: startFloor, goal: startGoal, note: `runs ${r.start_runs_ms.sandbox.join(", ")} ms`,
    }),
    row("app", "memory idle: app + WebKit processes (novacore-sim as the environment)", [r.idle.pss_mib, "MiB PSS"], "lower", command, {
      peer: bare, goal: [`≤ floor + 40 MiB (${f(r.bare_idle.pss_mib + 40)})`, r.bare_idle.pss_mib + 40],
      note: `${f(over(r.idle))} MiB PSS over the bare window; median of ${r.idle.pss_runs_mib.length} launches each: ${runsText(r.idle)} vs ${runsText(r.bare_idle)} MiB; RSS ${f(r.idle.rss_mib)} vs ${f(r.bare_idle.rss_mib)} MiB`,
    }),
    row("app", `memory with ${r.sites} sites live`, [r.live_memory.pss_mib, "MiB PSS"], "lower", command, {
      peer: bare, goal: [`≤ floor + 80 MiB (${f(r.bare_idle.pss_mib + 80)})`, r.bare_idle.pss_mib + 80],
      note: `${f(over(r.live_memory))} MiB PSS over the bare window; RSS ${f(r.live_memory.rss_mib)} MiB`,
    }),
    row("app", "memory idle: the floor, bare Tauri window with the app's webview settings", [r.bare_idle.pss_mib, "MiB PSS"], "lower", command, {
      peer: ["same with WebKit's default settings", [r.bare_default_idle.pss_mib, "MiB PSS"]],
      note: `RSS ${f(r.bare_idle.rss_mib)} vs ${f(r.bare_default_idle.rss_mib)} MiB`,
    }),
    row("app", "memory: the in-process Sandbox's own (app idle on it − app idle on novacore-sim)", [sandboxOwn, "MiB PSS"], "lower", command, {
      peer: ["the separate novacore-sim process", [r.sim_process.pss_mib, "MiB PSS"]],
    }),
    row("app", `reading → DOM latency p99, ${r.sites} sites live`, [r.latency_ms.p99, "ms"], "lower", command, {
      peer: [`raw SSE client, ${r.raw_latency_ms.sites} sites, same simulator`, [r.raw_latency_ms.p99, "ms"]],
      note: `p50 ${f(r.latency_ms.p50)} ms (raw ${f(r.raw_latency_ms.p50)} ms); in the app alone p99 ${f(r.app_latency_ms.p99)} ms; ${r.readings} updates in ${r.seconds} s`,
    }),
  ]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
