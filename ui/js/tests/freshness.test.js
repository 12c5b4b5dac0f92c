import { test } from "node:test";
import assert from "node:assert/strict";
import { ago, markText } from "../freshness.js";
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
