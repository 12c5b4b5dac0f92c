import { test } from "node:test";
import assert from "node:assert/strict";
import { route, match, href, resetRoutes } from "../router.js";

test("routes match by shape and decode their parameters", () => {
  resetRoutes();
  const orgs = () => {};
  const site = () => {};
  route("organizations", orgs);
  route("site/:id", site);
  route("chart/:id", site, "site");
  assert.equal(match("#organizations").view, orgs);
  assert.deepEqual(match(href("site", "a b/c")).params, { id: "a b/c" });
  assert.equal(match("#chart/x").nav, "site");
  assert.equal(match("#site"), null);
  assert.equal(match("#nope/1"), null);
  assert.equal(match("#site/%E0%A4%A"), null, "a malformed escape is no match, not a throw");
});
