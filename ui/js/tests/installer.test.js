import { test } from "node:test";
import assert from "node:assert/strict";

// The Installer view's pure helpers (the view itself is walked by e2e/installer.test.js).
globalThis.__TAURI__ ??= { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { claimText, foundText, inSandbox, parsePort, signalText, LINK_LABELS } = await import("../views/installer.js");

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
