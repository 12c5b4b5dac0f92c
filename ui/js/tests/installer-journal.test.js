import { test } from "node:test";
import assert from "node:assert/strict";

// The "Waiting for the cloud" panel's pure helpers (the panel itself is walked by e2e/outbox.test.js).
globalThis.__TAURI__ ??= { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { detailText, STATUS_TEXT } = await import("../views/installer-journal.js");
const { countsText } = await import("../format.js");
const { provisionEdit } = await import("../views/journal-edit.js");

test("the counts read as a sentence, empty when nothing waits", () => {
  assert.equal(countsText({ queued: 2, conflict: 0 }), "2 waiting for the cloud");
  assert.equal(countsText({ queued: 0, conflict: 1 }), "1 needs your decision");
  assert.equal(countsText({ queued: 1, conflict: 3 }), "1 waiting for the cloud, 3 need your decision");
  assert.equal(countsText({ queued: 0, conflict: 0 }), "");
});

test("an item says what the platform did, or why it waits and how often it was tried", () => {
  assert.equal(detailText({ status: "done", result: "zap-1 claimed into Acme." }), "zap-1 claimed into Acme.");
  assert.equal(detailText({ status: "queued", problem: null, attempts: 0 }), "Sent when Novacore can be reached.");
  assert.equal(detailText({ status: "conflict", problem: "Claimed meanwhile into B.", attempts: 2 }), "Claimed meanwhile into B. (2 tries)");
  assert.deepEqual(Object.keys(STATUS_TEXT), ["queued", "done", "conflict"]);
});

test("an edited provisioning goes to the command trimmed, blanks as absent", () => {
  assert.deepEqual(provisionEdit({
    site_id: "site-2", device_type: "inverter", name: "  Roof inverter ", manufacturer: " ", model: "SH10RT",
    ders: [{ name: " pv ", der_type: "solar" }],
  }), {
    step: "provision", site_id: "site-2", device_type: "inverter", name: "Roof inverter", manufacturer: null, model: "SH10RT",
    ders: [{ name: "pv", der_type: "solar" }],
  });
});
