// The Tauri bundler's configuration for `make package`, printed as JSON: the app's own
// tauri.conf.json (the one owner of name, version, identifier, icons, category) with its relative
// paths made absolute — the CLI resolves them from src-tauri/, where it must run to find the
// app's crate — plus what only the .deb needs: the `novacore` command line installed beside the
// app, and the Depends computed from the release binaries by dpkg-shlibdeps.
// Usage: node .ci/deb-config.mjs ROOT NOVACORE_BINARY 'libc6 (>= 2.34), …'
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const [root, novacore, depends] = process.argv.slice(2);
if (!root || !novacore || depends === undefined) {
  console.error("usage: deb-config.mjs ROOT NOVACORE_BINARY DEPENDS");
  process.exit(2);
}
const config = JSON.parse(readFileSync(resolve(root, "tauri.conf.json"), "utf8"));
config.build.frontendDist = resolve(root, config.build.frontendDist);
config.bundle.icon = config.bundle.icon.map((icon) => resolve(root, icon));
const deb = ((config.bundle.linux ??= {}).deb ??= {});
deb.files = { ...deb.files, "/usr/bin/novacore": resolve(novacore) };
// The CLI adds libwebkit2gtk-4.1-0 and libgtk-3-0 itself (unversioned): leave them out here so
// Depends names each package once.
const added = new Set(["libwebkit2gtk-4.1-0", "libgtk-3-0"]);
deb.depends = depends
  .split(",")
  .map((d) => d.trim())
  .filter((d) => d && !added.has(d.split(" ")[0]));
process.stdout.write(JSON.stringify(config, null, 2) + "\n");
