import { test } from "node:test";
import assert from "node:assert/strict";

// The Provision panel's pure helpers (the panel itself is walked by e2e/provision.test.js).
globalThis.__TAURI__ ??= { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { arrivedText, powerText, refusedFields, waitSlot } = await import("../views/zap-provision.js");

test("a reading's power reads in W or kW, with the platform's sign", () => {
  assert.equal(powerText(-3240), "−3.2 kW");
  assert.equal(powerText(850.4), "850 W");
  assert.equal(powerText(0), "0 W");
  assert.equal(powerText(null), "no power value");
  assert.equal(powerText(Number.NaN), "no power value");
});

test("the first reading says what, from which DER and how long it took", () => {
  const r = { der_id: "der-1", der_name: "sungrow-solar", kind: "pv", power_w: -1500, reading_at_ms: 0, waited_ms: 1234 };
  assert.equal(arrivedText(r), "First reading: −1.5 kW from sungrow-solar (pv), 1.2 s after provisioning.");
  assert.equal(arrivedText({ ...r, der_name: null }), "First reading: −1.5 kW from der-1 (pv), 1.2 s after provisioning.");
});

test("the fields a refusal names are found, each once", () => {
  const msg = "validation failed: ders[0].type: must be one of solar, battery, meter; ders[1].name: only letters …; ders[0].type";
  assert.deepEqual(refusedFields(msg), ["ders[0].type", "ders[1].name"]);
  assert.deepEqual(refusedFields("Novacore is not available right now (HTTP 503)"), []);
});

test("a wait's updates are shown until its final one, even after the command has answered", () => {
  const slot = waitSlot();
  slot.start("w1");
  // The command's answer came first (nothing ends the wait there); its updates still count.
  assert.equal(slot.accept("w1", { status: "waiting", waited_ms: 1000 }), true);
  assert.equal(slot.accept("w1", { status: "arrived" }), true);
  // The final update ended it: anything later is not shown, and there is nothing to cancel.
  assert.equal(slot.accept("w1", { status: "waiting", waited_ms: 2000 }), false);
  assert.equal(slot.take(), null);
});

test("a newer wait or a stop ends the previous wait", () => {
  const slot = waitSlot();
  slot.start("w1");
  slot.start("w2");
  assert.equal(slot.accept("w1", { status: "arrived" }), false);
  assert.equal(slot.is("w2"), true);
  assert.equal(slot.take(), "w2");
  assert.equal(slot.accept("w2", { status: "waiting", waited_ms: 0 }), false);
  slot.start("w3");
  slot.end("w2");
  assert.equal(slot.is("w3"), true, "ending another wait leaves this one");
  slot.end("w3");
  assert.equal(slot.take(), null);
});
