// Every view has one shape: `render(main, params, ctx)` (router.js), so the route table in app.js
// calls them all alike and a new view is one file plus one route line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";

globalThis.__TAURI__ = { core: { invoke: async () => ({}), Channel: class {} }, event: { listen: async () => () => {} } };

// The screens; the other files in views/ are their parts (detail.js, powerflow.js, *-text.js).
const SCREENS = ["welcome", "identity", "organizations", "org", "sites", "site", "device", "chart", "fleet"];

test("every screen exports render(main, params, ctx)", async () => {
  const files = readdirSync(new URL("../views/", import.meta.url));
  for (const name of SCREENS) {
    assert.ok(files.includes(`${name}.js`), name);
    const view = await import(`../views/${name}.js`);
    assert.equal(typeof view.render, "function", name);
    assert.equal(view.render.length, 3, `${name}: render(main, params, ctx)`);
  }
});

test("file names are kebab-case", () => {
  for (const dir of ["../", "../views/", "./"]) {
    for (const file of readdirSync(new URL(dir, import.meta.url))) {
      if (file.endsWith(".js")) assert.match(file, /^[a-z0-9]+(-[a-z0-9]+)*(\.test)?\.js$/, file);
    }
  }
});
