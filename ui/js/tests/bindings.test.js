// The generated bindings parse as a module and route every command and event through host.js to
// Tauri's IPC (a fake window.__TAURI__ records the calls).
import { test } from "node:test";
import assert from "node:assert/strict";

const calls = [];
globalThis.__TAURI__ = {
  core: {
    invoke: async (cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "set_theme" && args.theme === "purple") throw { code: "failed", message: "no such theme" };
      return { cmd };
    },
    Channel: class {},
  },
  event: { listen: async (name, cb) => { calls.push(["listen", name]); return () => {}; } },
};

const { commands, events } = await import("../bindings.js");

test("commands invoke the snake_case Rust commands and wrap results", async () => {
  assert.deepEqual(await commands.appInfo(), { status: "ok", data: { cmd: "app_info" } });
  assert.deepEqual(await commands.setTheme("dark"), { status: "ok", data: { cmd: "set_theme" } });
  assert.deepEqual(calls.at(-1), ["set_theme", { theme: "dark" }]);
});

test("the error envelope comes back as the error arm", async () => {
  const r = await commands.setTheme("purple");
  assert.deepEqual(r, { status: "error", error: { code: "failed", message: "no such theme" } });
});

test("events listen through host.js", async () => {
  await events.themeChanged.listen(() => {});
  assert.deepEqual(calls.at(-1), ["listen", "theme-changed"]);
});
