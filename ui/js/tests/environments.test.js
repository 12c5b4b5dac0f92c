import { test } from "node:test";
import assert from "node:assert/strict";
import { validateCustomUrl, ENVIRONMENTS, connectingText, environmentBadge, pickerChoice } from "../environments.js";

test("https URLs are accepted and normalised", () => {
  assert.deepEqual(validateCustomUrl(" https://nova.example.com/ "), { ok: true, url: "https://nova.example.com" });
  assert.deepEqual(validateCustomUrl("https://nova.example.com/api/"), { ok: true, url: "https://nova.example.com/api" });
});

test("plain http only for loopback", () => {
  assert.equal(validateCustomUrl("http://127.0.0.1:8080").ok, true);
  assert.equal(validateCustomUrl("http://localhost:3000").ok, true);
  assert.equal(validateCustomUrl("http://[::1]:3000").ok, true);
  const r = validateCustomUrl("http://192.168.1.10");
  assert.equal(r.ok, false);
  assert.match(r.message, /https/);
});

test("garbage, empty, credentials and other schemes are refused with a message", () => {
  for (const bad of ["", "   ", "not a url", "ftp://x.example", "https://user:pw@x.example"]) {
    const r = validateCustomUrl(bad);
    assert.equal(r.ok, false, bad);
    assert.ok(r.message.length > 10, bad);
  }
});

test("the four environments are offered in order", () => {
  assert.deepEqual(ENVIRONMENTS.map((e) => e.id), ["sandbox", "testnet", "mainnet", "custom"]);
});

test("the picker and the badge know the named environments from the one list", () => {
  assert.deepEqual(pickerChoice("testnet"), { selected: "testnet" });
  assert.deepEqual(pickerChoice("http://127.0.0.1:8080"), { selected: "custom", customUrl: "http://127.0.0.1:8080" });
  assert.deepEqual(pickerChoice(null), { selected: "sandbox" });
  assert.equal(connectingText("sandbox"), "Starting the Sandbox and signing in…");
  assert.equal(connectingText("custom"), "Signing in…");
  assert.equal(environmentBadge("mainnet"), "mainnet");
  assert.equal(environmentBadge("custom-127.0.0.1"), "custom");
});
