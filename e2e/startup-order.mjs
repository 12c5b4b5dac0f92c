#!/usr/bin/env node
// `make startup-order`: rewrites src-tauri/startup-order.txt, the functions the app runs from launch
// to an idle organizations list, which release links place first in the binary's text
// (src-tauri/build.rs). Run it after a toolchain or dependency update (the names carry hashes that
// change then) or when start-up gains new code; as root on Linux, under a display and a D-Bus
// session (the Makefile provides both).
//  1. builds the release app with its symbol table (`cargo rustc … -C strip=none`: same features
//     as .ci/bench.sh and .ci/package.sh build it, hence the same names);
//  2. copies it with O_DIRECT, so none of it is in the page cache, and turns the disk's read-ahead
//     off for the launch (restored after): a text page present afterwards is one the app touched,
//     not a neighbour read or mapped with it;
//  3. launches the copy against novacore-sim up to the organizations list plus 10 s idle (what
//     e2e/measure.js measures) and reads which of its text pages are present (/proc/PID/pagemap);
//  4. writes the functions on those pages in address order (e2e/text-order.js).
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { functions, textSegment, touchedFunctions } from "./text-order.js";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const OUT = join(ROOT, "src-tauri/startup-order.txt");
const WORK = join(ROOT, "target/startup-order");
const COPY = join(WORK, "novadesk");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, ...opts });

if (process.getuid?.() !== 0) {
  console.error("startup-order: needs root (it sets the disk's read-ahead for one launch)");
  process.exit(2);
}

console.log("building the release app with symbols (cargo rustc --release … -C strip=none)");
run("cargo", ["rustc", "--release", "--locked", "-p", "novadesk", "--bin", "novadesk", "--features", "tauri/custom-protocol", "--", "-C", "strip=none"], { cwd: ROOT, stdio: "inherit" });
// Any build of the simulator serves the launch; build one only when there is none.
const builtSim = ["release", "debug"].map((p) => join(ROOT, "target", p, "novacore-sim")).find(existsSync);
if (builtSim) process.env.NOVACORE_SIM ??= builtSim;
if (!process.env.NOVACORE_SIM) {
  run("cargo", ["build", "--locked", "-p", "novacore-sim", "--bin", "novacore-sim"], { cwd: ROOT, stdio: "inherit" });
  process.env.NOVACORE_SIM = join(ROOT, "target/debug/novacore-sim");
}
mkdirSync(WORK, { recursive: true });
run("rm", ["-f", COPY]);
run("dd", [`if=${join(ROOT, "target/release/novadesk")}`, `of=${COPY}`, "bs=1M", "oflag=direct", "status=none"]);
run("chmod", ["+x", COPY]);

// The block device under the copy: its queue's read_ahead_kb (a partition's is its disk's).
const source = run("findmnt", ["-no", "SOURCE", "-T", COPY]).trim();
let dev = basename(realpathSync(source));
if (existsSync(`/sys/class/block/${dev}/partition`)) dev = basename(realpathSync(`/sys/class/block/${dev}/..`));
const READ_AHEAD = `/sys/class/block/${dev}/queue/read_ahead_kb`;
const readAhead = readFileSync(READ_AHEAD, "utf8").trim();

process.env.NOVADESK_APP = COPY;
const { IDLE_MS, ORG_LIST, freshHome, quitApp, startDriver } = await import("./harness.js");
const { startSim } = await import("./sim.js");

const sim = await startSim("127.0.0.1:0", ["--sites", "20"]);
freshHome();
const { driver, stop } = await startDriver("startup-order");
let present;
try {
  writeFileSync(READ_AHEAD, "0");
  try {
    await driver.start(COPY, ["--env", sim.url]);
  } finally {
    writeFileSync(READ_AHEAD, readAhead); // the copy's open file keeps read-ahead 0; nothing else does
  }
  await driver.waitFor(() => driver.exec(ORG_LIST), 30_000, "the organizations list");
  await sleep(IDLE_MS);
  const pid = Number(run("pgrep", ["-f", `^${COPY}( |$)`]).split("\n")[0]);
  present = presentPages(pid, COPY);
} finally {
  await quitApp(driver).catch(() => {});
  stop();
  await sim.stop();
}

const bin = join(ROOT, "target/release/novadesk");
const segment = textSegment(run("readelf", ["-lW", bin]));
const fns = functions(run("nm", ["-S", "--defined-only", bin]));
const { names, bytes, pages } = touchedFunctions(segment, fns, present);
const previous = existsSync(OUT) ? readFileSync(OUT, "utf8").split("\n").filter((l) => l && !l.startsWith("#")) : [];
const defined = new Set(fns.map((f) => f.name));
const MiB = (b) => (b / 2 ** 20).toFixed(1);
writeFileSync(
  OUT,
  [
    "# Written by `make startup-order` (e2e/startup-order.mjs); read by src-tauri/build.rs.",
    `# ${names.length} functions, ${MiB(bytes)} MiB: those on the ${pages} text pages the app touched from launch to 10 s after the organizations list.`,
    ...names,
  ].join("\n") + "\n",
);
console.log(`text ${MiB(segment.size)} MiB; touched ${pages} pages (${MiB(pages * 4096)} MiB); ${names.length} of ${fns.length} functions, ${MiB(bytes)} MiB -> ${OUT}`);
console.log(`the previous list: ${previous.filter((n) => defined.has(n)).length} of ${previous.length} names still defined in this build`);
process.exit(0);

/** File offsets of the pages of `path` present in `pid`'s memory (bit 63 of /proc/PID/pagemap). */
function presentPages(pid, path) {
  const out = [];
  const fd = openSync(`/proc/${pid}/pagemap`, "r");
  try {
    for (const line of readFileSync(`/proc/${pid}/maps`, "utf8").split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f[5] !== path) continue;
      const [start, end] = f[0].split("-").map((x) => parseInt(x, 16));
      const n = (end - start) / 4096;
      const buf = Buffer.alloc(n * 8);
      readSync(fd, buf, 0, buf.length, (start / 4096) * 8);
      for (let i = 0; i < n; i++) {
        if (buf.readBigUInt64LE(i * 8) >> 63n) out.push(parseInt(f[2], 16) + i * 4096);
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
