import { test } from "node:test";
import assert from "node:assert/strict";
import { markText } from "../freshness.js";
import { ago } from "../format.js";
import { matches } from "../filter-list.js";

test("ages read as a person would say them", () => {
  assert.equal(ago(0), "just now");
  assert.equal(ago(-5000), "just now");
  assert.equal(ago(3 * 60_000 + 5000), "3 min ago");
  assert.equal(ago(5 * 3600_000), "5 h ago");
  assert.equal(ago(3 * 86400_000), "3 days ago");
});

test("the mark says where the data came from and whether it is being refreshed", () => {
  const now = 10 * 60_000;
  const cached = { fetched_at_ms: now - 3 * 60_000, from_cache: true };
  assert.equal(markText(cached, "loading", now), "Cached 3 min ago — refreshing…");
  assert.match(markText(cached, "offline", now), /^Cached 3 min ago — offline/);
  assert.equal(markText({ fetched_at_ms: now, from_cache: false }, "fresh", now), "Updated just now");
  assert.equal(markText(null, "loading", now), "Loading…");
  assert.equal(markText(null, "failed", now), "");
});

test("the filter matches every word, in any order, ignoring case", () => {
  assert.ok(matches("House Helsinki My Energy Lab FI", "helsinki lab"));
  assert.ok(matches("House Helsinki", ""));
  assert.ok(!matches("House Helsinki", "helsinki se3"));
});

import { storeFirst } from "../freshness.js";
import { onSignInRequired } from "../result.js";

const ok = (data) => ({ status: "ok", data });
const tick = () => new Promise((r) => setTimeout(r, 0));

test("offline, the cached data stays on screen with the offline mark", async () => {
  const drawn = [];
  const toasts = [];
  const box = { cleared: false, replaceChildren() { this.cleared = true; } };
  const mark = { dataset: {}, textContent: "" };
  const cachedAt = Date.now() - 3 * 60_000;
  await storeFirst({
    box, mark, empty: "Loading…", ctx: { toast: (e) => toasts.push(e) },
    draw: (data, fetched) => drawn.push([data, fetched.from_cache]),
    fetch: async (source) => source === "cache"
      ? ok({ data: ["Villa"], fetched_at_ms: cachedAt, from_cache: true })
      : { status: "error", error: { code: "offline", message: "The server cannot be reached." } },
  });
  assert.deepEqual(drawn, [[["Villa"], true]], "cached drawn before the network answered");
  await tick();
  assert.equal(mark.dataset.state, "offline");
  assert.match(mark.textContent, /^Cached 3 min ago — offline/);
  assert.equal(box.cleared, false, "cached data kept");
  assert.equal(toasts.length, 0, "the offline banner says it; no toast");
});

test("fresh data replaces the cached and the mark says so", async () => {
  const drawn = [];
  const box = { replaceChildren() {} };
  const mark = { dataset: {}, textContent: "" };
  await storeFirst({
    box, mark, empty: "Loading…", ctx: { toast() {} },
    draw: (data) => drawn.push(data),
    fetch: async (source) => ok(source === "cache"
      ? { data: ["old"], fetched_at_ms: Date.now() - 600_000, from_cache: true }
      : { data: ["new"], fetched_at_ms: Date.now(), from_cache: false }),
  });
  await tick();
  assert.deepEqual(drawn, [["old"], ["new"]]);
  assert.equal(mark.dataset.state, "fresh");
  assert.equal(mark.textContent, "Updated just now");
});

test("a refused session sends the window to the sign-in view with the reason", async () => {
  const signedOut = [];
  const toasts = [];
  // app.js's handler sends the window to the sign-in view; here it records the reason.
  onSignInRequired((why) => signedOut.push(why));
  await storeFirst({
    box: { replaceChildren() {} }, mark: { dataset: {}, textContent: "" }, empty: "Loading…",
    ctx: { toast: (e) => toasts.push(e) },
    draw() {},
    fetch: async (source) => source === "cache"
      ? ok({ data: ["Villa"], fetched_at_ms: Date.now(), from_cache: true })
      : { status: "error", error: { code: "sign_in_required", message: "Signing in was refused (unauthorized). Sign in again." } },
  });
  await tick();
  onSignInRequired(null);
  assert.deepEqual(signedOut, ["Signing in was refused (unauthorized). Sign in again."]);
  assert.equal(toasts.length, 0);
});
