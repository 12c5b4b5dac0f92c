import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// index.html preloads the modules app.js imports statically (the views loaded on first opening,
// `import()`, are not among them): a module missing from the list is fetched one import level
// later, and one listed but no longer imported is loaded for nothing.
const UI = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Relative paths of the modules `entry` imports statically, transitively (`entry` excluded). */
function staticImports(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(join(UI, file), "utf8");
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s+"(\.[^"]+)"|^\s*import\s+"(\.[^"]+)"/gm)) {
      visit(relative(UI, join(UI, dirname(file), m[1] ?? m[2])));
    }
  };
  visit(entry);
  seen.delete(entry);
  return seen;
}

test("index.html preloads exactly the modules app.js imports statically", () => {
  const html = readFileSync(join(UI, "index.html"), "utf8");
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.equal(new Set(preloaded).size, preloaded.length, "a module is listed twice");
  assert.deepEqual(preloaded.toSorted(), [...staticImports("js/app.js")].toSorted());
});

test("the views opened later are not among them", () => {
  const eager = staticImports("js/app.js");
  for (const lazy of ["js/views/installer.js", "js/views/chart.js", "js/views/installer-journal.js", "js/views/zap-provision.js"]) {
    assert.ok(!eager.has(lazy), `${lazy} is imported at start`);
  }
  assert.ok(eager.has("js/views/organizations.js") && eager.has("js/bindings.js"));
});
