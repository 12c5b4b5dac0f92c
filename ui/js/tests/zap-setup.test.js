import { test } from "node:test";
import assert from "node:assert/strict";

// The Zap set-up panels' pure helpers (the panels themselves are walked by e2e/zap-setup.test.js).
globalThis.__TAURI__ ??= { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { networkText, wifiProgressText, joinedText, joinWithProgress, paramInput, paramLabel, paramHint, stateText, readingValue } = await import("../views/zap-setup.js");
const { streamSlot } = await import("../stream-slot.js");

test("a network reads as name, signal, security and whether the Zap is on it", () => {
  assert.equal(networkText({ ssid: "HomeNet", rssi: -48, signal: "excellent", auth: "WPA2", open: false, connected: true }),
    "HomeNet — -48 dBm, excellent · WPA2 · connected now");
  assert.equal(networkText({ ssid: "Guest", rssi: null, signal: null, auth: "OPEN", open: true, connected: false }),
    "Guest — signal unknown · open");
});

test("the Wi-Fi progress line says what happens while the Zap is away", () => {
  assert.match(wifiProgressText({ stage: "sending" }), /^Sending/);
  assert.equal(wifiProgressText({ stage: "reconnecting", waited_ms: 2340 }),
    "Reconnecting… the Zap is off the network while it joins (2.3 s).");
  assert.equal(joinedText({ ssid: "Neighbour-5G", rssi: -71, signal: "fair", back_after_ms: 1200 }),
    "Joined Neighbour-5G: -71 dBm, fair. The Zap was back after 1.2 s.");
  assert.equal(joinedText({ ssid: "X", rssi: null, signal: null, back_after_ms: 0 }), "Joined X. The Zap was back after 0.0 s.");
});

test("each parameter of the Zap's form gets its input", () => {
  assert.deepEqual(paramInput({ kind: "int", required: false, default: "502", secret: false }),
    { type: "text", inputmode: "numeric", placeholder: "502" });
  assert.deepEqual(paramInput({ kind: "string", required: true, default: null, secret: false }),
    { type: "text", inputmode: "text", placeholder: "required" });
  assert.equal(paramInput({ kind: "string", required: false, default: null, secret: true }).type, "password");
  assert.equal(paramInput({ kind: "number", required: false, default: null, secret: false }).inputmode, "decimal");
  assert.equal(paramLabel("unit_id"), "Unit ID");
  assert.equal(paramLabel("ip"), "IP");
  assert.equal(paramLabel("broker_host"), "Broker host");
  assert.equal(paramHint({ kind: "int", required: false, default: "502", choices: [] }), "whole number · optional · default 502");
  assert.equal(paramHint({ kind: "string", required: true, default: null, choices: [], description: "Device IP" }), "Device IP · text · required");
  assert.equal(paramHint({ kind: "string", required: true, default: null, choices: [{ profile: "sma" }] }), "required");
});

test("a device's state: connected, not connected, or unknown on firmware that does not say", () => {
  assert.equal(stateText({ connected: true }), "connected");
  assert.equal(stateText({ connected: false }), "not connected");
  assert.equal(stateText({ connected: null }), "unknown");
});

test("a reading's timestamp shows as a time, other values as sent", () => {
  assert.equal(readingValue("W", "1602.5"), "1602.5");
  assert.equal(readingValue("read_time_ms", "12"), "12");
  assert.equal(readingValue("timestamp", "1796433450308"), new Date(1796433450308).toLocaleString());
  assert.equal(readingValue("timestamp", "soon"), "soon");
});

test("a Wi-Fi join's progress that arrives after its answer is dropped: the outcome stays the last word", async () => {
  const slot = streamSlot();
  const shown = [];
  let channel;
  const joined = { ssid: "Neighbour-5G", rssi: -71, signal: "fair", back_after_ms: 1200 };
  // The command's answer reaches the page before the channel's last progress updates.
  const answer = await joinWithProgress(slot, "j1", async (c) => {
    channel = c;
    c.onmessage({ stage: "sending" });
    return { status: "ok", data: joined };
  }, (text) => shown.push(text));
  assert.deepEqual(answer, joined);
  channel.onmessage({ stage: "reconnecting", waited_ms: 900 });
  assert.deepEqual(shown, ["Sending the network and passphrase to the Zap…"], "no \"Reconnecting…\" under \"Joined …\"");
  assert.equal(slot.current(), null);
});

test("a refused Wi-Fi join throws why, and its late progress is dropped too", async () => {
  const slot = streamSlot();
  const shown = [];
  let channel;
  await assert.rejects(joinWithProgress(slot, "j1", async (c) => {
    channel = c;
    return { status: "error", error: { code: "invalid_input", message: "The Zap could not join “X” …" } };
  }, (text) => shown.push(text)), /could not join/);
  channel.onmessage({ stage: "reconnecting", waited_ms: 100 });
  assert.deepEqual(shown, []);
});
