// host.js: every refusal reaches the views as the { code, message } envelope, including Tauri's
// own "invalid args" string for arguments of the wrong JSON type (which may quote the argument).
import { test } from "node:test";
import assert from "node:assert/strict";
import { asEnvelope, invoke } from "../host.js";

test("an envelope passes through and a bare string becomes one without quoting it", () => {
  const ours = { code: "offline", message: "Novacore cannot be reached." };
  assert.equal(asEnvelope(ours), ours);
  const tauri = "invalid args `theme` for command `set_theme`: unknown variant `" + "x".repeat(1 << 20) + "`";
  const e = asEnvelope(tauri);
  assert.equal(e.code, "failed");
  assert.ok(e.message.length < 200 && !e.message.includes("xxxx"), e.message);
  for (const odd of [null, undefined, 42, { code: 1, message: "m" }, { message: "m" }]) {
    assert.equal(asEnvelope(odd).code, "failed");
  }
  const err = new Error("no backend");
  assert.equal(asEnvelope(err), err);
});

test("invoke rejects with the envelope whatever the backend rejected with", async () => {
  globalThis.__TAURI__ = { core: { invoke: () => Promise.reject("invalid args `id` for command `x`: bad") } };
  try {
    await assert.rejects(invoke("x", { id: "1" }), (e) => e.code === "failed" && typeof e.message === "string");
    globalThis.__TAURI__.core.invoke = () => Promise.reject({ code: "cancelled", message: "Stopped." });
    await assert.rejects(invoke("x"), (e) => e.code === "cancelled" && e.message === "Stopped.");
  } finally {
    delete globalThis.__TAURI__;
  }
});
