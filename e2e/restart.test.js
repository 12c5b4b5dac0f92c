// The live view through a server restart: the Sandbox runs as its own process (with its world in a
// state file) and is stopped and started again on the same port mid-stream. The view says
// Reconnecting, then Live again, and the readings of the outage are back-filled from history
// into the store (the note's range covers the outage, with buckets stored). One restart;
// SOAK_SCALE=10 (`make soak`) makes it ten.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { APP, freshHome, quitApp, screenshot, startDriver } from "./harness.js";
import { startSim } from "./sim.js";

const RESTARTS = 1 * Math.max(1, Number(process.env.SOAK_SCALE) || 1);

let session;
let sim;
let state;

before(async () => {
  state = join(freshHome(), "sandbox-state.json");
  sim = await startSim("127.0.0.1:0", ["--state", state]);
});

after(async () => {
  if (session) await quitApp(session.driver).catch(() => {});
  session?.stop();
  await sim?.stop();
  await new Promise((r) => setTimeout(r, 2000));
});

const num = (v) => (v == null || v === "" ? null : Number(v));

test(`the live view says Reconnecting, then Live, through ${RESTARTS} server restart(s), and back-fills each outage`, async () => {
  session = await startDriver("restart");
  const { driver } = session;
  await driver.start(APP, ["--env", sim.url]);
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#org-list li').length >= 1"), 60_000, "signed in");
  await driver.click('.app-nav a[href="#sites"]');
  await driver.waitFor(() => driver.exec("return document.querySelectorAll('#sites-list a[data-site-id]').length >= 1"), 30_000, "the sites");
  await driver.screenshot(); // the session's first screenshot shows the first paint
  await driver.click("#sites-list a[data-site-id]");
  await driver.waitFor(() => driver.exec("return document.getElementById('pf-state')?.dataset.state === 'live'"), 30_000, "Live");
  // Every state the badge shows, in order, with the page's time.
  await driver.exec(`
    window.__states = [];
    const b = document.getElementById('pf-state');
    new MutationObserver(() => window.__states.push([b.dataset.state, Date.now()]))
      .observe(b, { attributes: true, attributeFilter: ['data-state'] });`);
  const port = new URL(sim.url).port;
  const rows = [];
  for (let i = 0; i < RESTARTS; i++) {
    // A reading arrived after the previous restart's back-fill: the outage starts after it.
    const lastBefore = await driver.waitFor(async () => num(await driver.exec("return document.getElementById('pf-last').dataset.ts")), 20_000, "a reading");
    // Forget the previous restart's note (two outages in one minute have the same range).
    await driver.exec("const n = document.getElementById('pf-note'); for (const k of ['kind', 'from', 'to', 'buckets']) delete n.dataset[k];");
    await driver.exec("window.__states.length = 0");
    const stopped = Date.now();
    await sim.stop();
    await driver.waitFor(() => driver.exec("return document.getElementById('pf-state').dataset.state !== 'live'"), 30_000, "the view to notice");
    if (i === 0) await screenshot(driver, "restart-reconnecting");
    sim = await startSim(`127.0.0.1:${port}`, ["--state", state]);
    const up = Date.now();
    await driver.waitFor(() => driver.exec("return document.getElementById('pf-state').dataset.state === 'live'"), 60_000, "Live again");
    const live = Date.now();
    // The gap is reported with the first reading after the restart, then filled from history.
    const note = await driver
      .waitFor(async () => {
        const n = await driver.exec("const n = document.getElementById('pf-note'); return n.dataset.kind === 'backfill' ? [n.dataset.from, n.dataset.to, n.dataset.buckets, n.textContent] : null");
        return n;
      }, 30_000, "the outage back-filled")
      .catch(async (err) => {
        await screenshot(driver, "restart-not-back-filled").catch(() => {});
        const view = await driver.exec("return ['pf-state', 'pf-last', 'pf-note'].map((id) => { const e = document.getElementById(id); return `${id}: ${e?.textContent} ${JSON.stringify({ ...e?.dataset })}`; }).join('; ')");
        throw new Error(`${err.message} (restart ${i + 1}, last reading before ${lastBefore}; ${view})`);
      });
    const firstAfter = await driver.waitFor(async () => {
      const t = num(await driver.exec("return document.getElementById('pf-last').dataset.ts"));
      return t > lastBefore ? t : null;
    }, 20_000, "a reading after the restart");
    const states = (await driver.exec("return window.__states")).map(([s]) => s).filter((s, k, all) => s !== all[k - 1]);
    const [from, to, buckets] = note.slice(0, 3).map(Number);
    const row = {
      restart: i + 1,
      states: states.join(">"),
      down_ms: up - stopped,
      reconnect_ms: live - up,
      outage: [lastBefore, firstAfter],
      backfill: [from, to, buckets],
      gap_unfilled: !(from <= lastBefore && to >= firstAfter && buckets > 0),
    };
    rows.push(row);
    assert.equal(states[0], "reconnecting", `restart ${i + 1}: the first state after the stop: ${row.states}`);
    assert.equal(states.at(-1), "live", `restart ${i + 1}: ${row.states}`);
    assert.match(note[3], /^Missed readings .* were filled in from history\.$/, note[3]);
    assert.equal(row.gap_unfilled, false, `restart ${i + 1}: outage ${lastBefore}–${firstAfter}, back-filled ${from}–${to} with ${buckets} buckets`);
    if (i === 0) await screenshot(driver, "restart-live-again");
  }
  const max = (k) => Math.max(...rows.map((r) => r[k]));
  const offline = rows.filter((r) => r.states.includes("offline")).length;
  process.stdout.write(
    `soak-figure\t(d) app live view through Sandbox restarts\trestarts=${rows.length}\treconnecting_then_live=${rows.filter((r) => r.states.startsWith("reconnecting") && r.states.endsWith("live")).length}\tvia_offline=${offline}\tmax_down_ms=${max("down_ms")}\tmax_reconnect_ms=${max("reconnect_ms")}\tgaps_unfilled=${rows.filter((r) => r.gap_unfilled).length}\n`,
  );
  for (const r of rows) process.stdout.write(`# restart ${JSON.stringify(r)}\n`);
});
