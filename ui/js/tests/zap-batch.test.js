import { test } from "node:test";
import assert from "node:assert/strict";

// The batch panel's pure helpers (the panel itself is walked by e2e/batch.test.js).
globalThis.__TAURI__ ??= { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { parseDers, rowText, retryable, rowState, FIRST_RULE } = await import("../views/zap-batch.js");

const done = (claim, devices = []) => ({ address: "127.0.15.2", serial: "zap-1", outcome: { status: "done", claim }, devices });

test("DERs are typed as name:type, comma separated, each checked", () => {
  assert.deepEqual(parseDers(FIRST_RULE.ders).ders, [
    { name: "{serial}-pv", der_type: "solar" },
    { name: "{serial}-battery", der_type: "battery" },
  ]);
  assert.deepEqual(parseDers("  ").ders, []);
  assert.match(parseDers("pv:solar, battery").error, /"battery" is not name:type/);
  assert.match(parseDers(":solar").error, /is not name:type/);
});

test("each row says what happened, and only failures are retried", () => {
  const names = (id) => ({ "org-1": "Installs" })[id] ?? id;
  const claimed = done({ outcome: "claimed", serial: "zap-1", org_id: "org-1" });
  assert.equal(rowText(claimed, names), "Claimed into Installs.");
  assert.equal(rowState(claimed), "done");
  assert.equal(retryable(claimed), false);
  const moved = done({ outcome: "transferred", serial: "zap-1", org_id: "org-1", from: { org_id: "o2", org_name: "Other", role: "owner" } });
  assert.equal(rowText(moved, names), "Moved into Installs from Other.");
  const ask = done({ outcome: "needs_transfer", serial: "zap-1", from: { org_id: "o2", org_name: "Other", role: "owner" }, message: "…" });
  assert.equal(rowState(ask), "needs_transfer");
  assert.equal(retryable(ask), false, "a transfer waits for a confirmation, not a retry");
  assert.equal(rowText({ ...ask, skipped: "Other" }), "Skipped: left in Other.");
  const queued = done({ outcome: "queued", serial: "zap-1", org_id: "org-1", entry_id: 3 });
  assert.match(rowText(queued, names), /^Queued: .* into Installs is sent when it is back\.$/);
  assert.equal(rowState(queued), "queued");
  assert.equal(retryable(queued), false, "the journal replays it");
  const failed = { address: "a", serial: null, outcome: { status: "failed", message: "Nothing answers at a." }, devices: [] };
  assert.equal(rowText(failed), "Failed: Nothing answers at a.");
  assert.equal(retryable(failed), true);
  assert.equal(retryable({ ...failed, outcome: { status: "cancelled" } }), true);
  const provisioned = done({ outcome: "claimed", serial: "zap-1", org_id: "org-1" }, [
    { sn: "SUNGROW1", profile: "sungrow", device_id: "dev-1", skipped: null, problem: null },
    { sn: "P11", profile: "p1", device_id: null, skipped: "No rule for the profile p1: left as it is.", problem: null },
  ]);
  assert.equal(rowText(provisioned, names), "Claimed into Installs. 1 device provisioned, 1 left as they are.");
  const half = done({ outcome: "claimed", serial: "zap-1", org_id: "org-1" }, [
    { sn: "SUNGROW1", profile: "sungrow", device_id: null, skipped: null, problem: "Novacore is not available right now." },
  ]);
  assert.equal(rowState(half), "failed");
  assert.equal(retryable(half), true);
  assert.match(rowText(half, names), /SUNGROW1: Novacore is not available/);
});

test("devices queued behind a queued claim read as queued, not done or failed", () => {
  const names = (id) => ({ "org-1": "Installs" })[id] ?? id;
  const row = {
    address: "a", serial: "zap-1", outcome: { status: "done", claim: { outcome: "queued", serial: "zap-1", org_id: "org-1", entry_id: 1 } },
    devices: [
      { sn: "SUNGROW1", profile: "sungrow", device_id: null, skipped: null, problem: null, queued_entry: 2 },
      { sn: "P11", profile: "p1", device_id: null, skipped: "No rule for the profile p1: left as it is.", problem: null, queued_entry: null },
    ],
  };
  assert.equal(rowState(row), "queued");
  assert.equal(retryable(row), false);
  assert.match(rowText(row, names), /^Queued: .* into Installs is sent when it is back\. 1 device queued in the journal, 1 left as they are\.$/);
  // The claim went through but the cloud left before its device: still queued.
  const later = { ...row, outcome: { status: "done", claim: { outcome: "claimed", serial: "zap-1", org_id: "org-1" } } };
  assert.equal(rowState(later), "queued");
  assert.equal(rowText(later, names), "Claimed into Installs. 1 device queued in the journal, 1 left as they are.");
});
