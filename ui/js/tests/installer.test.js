import { test } from "node:test";
import assert from "node:assert/strict";

// The Installer view's pure helpers (the view itself is walked by e2e/installer.test.js).
globalThis.__TAURI__ ??= { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { claimText, foundText, inSandbox, parsePort, signalText, sweepText, sweepSlot, runSweep, LINK_LABELS } = await import("../views/installer.js");

test("the port field: empty is 80, otherwise 1 to 65535", () => {
  assert.deepEqual(parsePort("  "), { port: null });
  assert.deepEqual(parsePort(" 8080 "), { port: 8080 });
  for (const bad of ["0", "65536", "80a", "8.5", "-1"]) {
    assert.match(parsePort(bad).error, /1 to 65535/, bad);
  }
});

test("the claim column says whose it is, as far as you can know", () => {
  assert.equal(claimText({ claim_known: true, claimed_into: { org_id: "o", org_name: "Acme", role: "owner" } }), "Acme");
  assert.equal(claimText({ claim_known: true, claimed_into: null }), "not in your organizations");
  assert.equal(claimText({ claim_known: false, claimed_into: null }), "unknown");
});

test("the signal column: dBm and quality, or a dash", () => {
  assert.equal(signalText({ rssi: -48, signal: "excellent" }), "-48 dBm, excellent");
  assert.equal(signalText({ rssi: null, signal: null }), "—");
});

test("every link of the chain has a label", () => {
  for (const link of ["reachable", "wifi", "internet", "cloud", "claimed", "readings"]) {
    assert.ok(LINK_LABELS[link], link);
  }
});

test("the found-by column names the source, and an mDNS Zap that went says so", () => {
  assert.equal(foundText({ found_by: "mdns" }), "mDNS");
  assert.equal(foundText({ found_by: "mdns", gone: true }), "mDNS — gone");
  assert.equal(foundText({ found_by: "sweep" }), "Scan");
  assert.equal(foundText({ found_by: "manual" }), "Address");
  assert.equal(foundText({ found_by: "sandbox" }), "Sandbox");
});

test("the Sandbox's Zaps are listed when the environment, signed in or chosen, is the Sandbox", () => {
  assert.equal(inSandbox({ connection: { environment_id: "sandbox" }, signIn: { selected: "testnet" } }), true);
  assert.equal(inSandbox({ connection: { environment_id: "custom:http://127.0.0.1:1" }, signIn: { selected: "sandbox" } }), false);
  assert.equal(inSandbox({ connection: null, signIn: { selected: "sandbox" } }), true);
  assert.equal(inSandbox({ connection: null, signIn: { selected: "mainnet" } }), false);
});

const count = (probed, found, end = {}) => ({ event: "progress", probed, total: 4, found, done: false, cancelled: false, ...end });

/** Runs a scan whose command answers `answer` after delivering `before`; what the form was told, and its channel. */
async function scanAnsweringFirst(slot, id, before, answer = { status: "ok", data: null }) {
  const told = [];
  let channel;
  await runSweep(slot, id, async (c) => {
    channel = c;
    for (const u of before) c.onmessage(u);
    return answer;
  }, {
    found: (zap) => told.push(`found ${zap.address}`),
    progress: (fraction, text) => told.push(`${fraction}: ${text}`),
    done: (text) => told.push(`done: ${text}`),
    failed: (err) => told.push(`failed: ${err.message}`),
  });
  return { told, channel };
}

test("the scan's progress line counts, and its end says done or cancelled", () => {
  assert.equal(sweepText(count(3, 1)), "3 of 4 addresses, 1 Zap found");
  assert.equal(sweepText(count(4, 2, { done: true })), "Done: 4 of 4 addresses, 2 Zaps found.");
  assert.equal(sweepText(count(2, 0, { done: true, cancelled: true })), "Cancelled: 2 of 4 addresses, 0 Zaps found.");
});

test("a scan's last Zaps and final count show even when the command answers before them", async () => {
  const slot = sweepSlot();
  // The command's answer reaches the page first: nothing ends the scan there.
  const { told, channel } = await scanAnsweringFirst(slot, "s1", [count(1, 0)]);
  assert.deepEqual(told, ["0.25: 1 of 4 addresses, 0 Zaps found"]);
  assert.equal(slot.current(), "s1", "the scan runs on until its final update");
  // Its last updates, delivered after the answer, are shown; the final one ends it.
  channel.onmessage({ event: "found", zap: { address: "10.0.0.7" } });
  channel.onmessage(count(4, 1));
  channel.onmessage(count(4, 1, { done: true }));
  channel.onmessage({ event: "found", zap: { address: "10.0.0.9" } });
  assert.deepEqual(told, [
    "0.25: 1 of 4 addresses, 0 Zaps found",
    "found 10.0.0.7",
    "1: 4 of 4 addresses, 1 Zap found",
    "1: Done: 4 of 4 addresses, 1 Zap found.",
    "done: Done: 4 of 4 addresses, 1 Zap found.",
  ]);
  assert.equal(slot.current(), null, "nothing left to cancel");
});

test("a refused scan ends at its error; a newer scan or leaving drops an older scan's updates", async () => {
  const slot = sweepSlot();
  const refused = await scanAnsweringFirst(slot, "s1", [], { status: "error", error: { code: "failed", message: "Type the network as …" } });
  assert.deepEqual(refused.told, ["failed: Type the network as …"]);
  assert.equal(slot.current(), null);

  const older = await scanAnsweringFirst(slot, "s2", []);
  const newer = await scanAnsweringFirst(slot, "s3", []);
  older.channel.onmessage(count(4, 0, { done: true }));
  assert.deepEqual(older.told, [], "the older scan's end is not the newer one's");
  assert.equal(slot.take(), "s3", "leaving takes the running scan to cancel it");
  newer.channel.onmessage(count(4, 0, { done: true, cancelled: true }));
  assert.deepEqual(newer.told, []);
});
