import { test } from "node:test";
import assert from "node:assert/strict";

// The Report panel's pure helpers (the panel itself is walked by e2e/report.test.js).
globalThis.__TAURI__ ??= { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };
const { checkColour, verdictText, CHECK_NAMES } = await import("../views/zap-report.js");

const check = (name, status) => ({ check: name, status, problem: null, sentence: "" });

test("passed is green, failed red, anything else not checked", () => {
  assert.equal(checkColour("passed"), "green");
  assert.equal(checkColour("failed"), "red");
  assert.equal(checkColour("unchecked"), "unchecked");
  assert.equal(checkColour("something new"), "unchecked");
});

test("the verdict names the gateway, the platform's word, or how many checks failed", () => {
  const all = ["readable", "digest", "signer", "signature"].map((c) => check(c, "passed"));
  assert.equal(verdictText({ ok: true, serial: "zap-1", checks: [...all, check("platform_key", "passed")] }),
    "The report verifies: signed by zap-1 itself and the platform holds its key.");
  assert.equal(verdictText({ ok: true, serial: "zap-1", checks: [...all, check("platform_key", "unchecked")] }),
    "The report verifies: signed by zap-1 itself.");
  assert.equal(verdictText({ ok: false, serial: "zap-1", checks: [check("digest", "failed")] }),
    "The report does not verify: 1 check failed.");
  assert.equal(verdictText({ ok: false, serial: null, checks: [check("signer", "failed"), check("signature", "failed")] }),
    "The report does not verify: 2 checks failed.");
});

test("every check the core makes has a name for people", () => {
  for (const c of ["readable", "digest", "signer", "signature", "platform_key"]) assert.ok(CHECK_NAMES[c], c);
});
