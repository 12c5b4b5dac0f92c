// Hash routes: "#site/abc" → the "site/:id" view with { id: "abc" }. Every view module exports
// `render(main, params, ctx)`: it fills `main` (a detached element, swapped in once the promise
// resolves), reads its route parameters from `params` and gets the app's services from `ctx`
// (connection, go, refresh, toast, onLeave for clean-ups). app.js's route table lists them.

/** @typedef {(main: HTMLElement, params: Record<string, string>, ctx: any) => Promise<void> | void} View */

/** @type {Array<{ parts: string[], view: View, nav: string }>} */
const routes = [];

/**
 * @param {string} pattern e.g. "site/:id"
 * @param {View} view
 * @param {string} [nav] which navigation entry is current while it shows (defaults to the first part)
 */
export function route(pattern, view, nav) {
  routes.push({ parts: pattern.split("/"), view, nav: nav ?? pattern.split("/")[0] });
}

/** @param {string} hash @returns {{ view: View, params: Record<string, string>, nav: string } | null} */
export function match(hash) {
  const parts = hash.replace(/^#/, "").split("/").filter((p) => p !== "");
  for (const r of routes) {
    if (r.parts.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      if (r.parts[i].startsWith(":")) {
        try {
          params[r.parts[i].slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else if (r.parts[i] !== parts[i]) ok = false;
      if (!ok) break;
    }
    if (ok) return { view: r.view, params, nav: r.nav };
  }
  return null;
}

/** The hash for a route and its parameters: href("site", id) → "#site/<id>". */
export function href(...parts) {
  return "#" + parts.map((p) => encodeURIComponent(String(p))).join("/");
}

/** Clears all routes (tests). */
export function resetRoutes() {
  routes.length = 0;
}
