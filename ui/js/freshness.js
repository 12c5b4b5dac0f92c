// Store-first loading: a view draws what the offline store has at once, marked "cached N min
// ago", then the fresh data from the server. Offline, the cached data stays with the mark.
import { el } from "./dom.js";
import { ErrorCode, unwrap } from "./result.js";
import { ago } from "./format.js";

/** The mark's text for a fetch: fresh, cached and refreshing, or cached and offline/failed. */
export function markText(fetched, state, now = Date.now()) {
  if (fetched?.fetched_at_ms == null) return state === "loading" ? "Loading…" : "";
  const age = ago(now - fetched.fetched_at_ms);
  if (!fetched.from_cache) return `Updated ${age === "just now" ? "just now" : age}`;
  if (state === "loading") return `Cached ${age} — refreshing…`;
  if (state === "offline") return `Cached ${age} — offline, showing what was last fetched`;
  if (state === "failed") return `Cached ${age} — could not refresh`;
  return `Cached ${age}`;
}

/**
 * Loads `fetch(source)` from the cache, then the network, drawing into `box` each time there is
 * data. Resolves once something is on screen (cached data, fresh data, or an error sentence) so
 * the router can swap the view in; the network answer may land later and redraws in place.
 *
 * @param {{ box: HTMLElement, mark: HTMLElement, fetch: (source: "cache"|"network") => Promise<any>,
 *           draw: (data: any, fetched: any) => void, empty: string, ctx: any }} o
 */
export async function storeFirst({ box, mark, fetch, draw, empty, ctx }) {
  let cached = null;
  try {
    cached = unwrap(await fetch("cache"));
  } catch (err) {
    console.warn("cache read failed", err);
  }
  const setMark = (fetched, state) => {
    mark.textContent = markText(fetched, state);
    mark.dataset.state = state;
    mark.dataset.fromCache = String(!!fetched?.from_cache);
  };
  const network = (async () => {
    try {
      const fresh = unwrap(await fetch("network"));
      if (!fresh.data) return;
      draw(fresh.data, fresh);
      setMark(fresh, "fresh");
    } catch (err) {
      // A refused session went to the sign-in view with the reason (result.js): nothing to add.
      if (err.handled) return;
      if (cached?.data) {
        setMark(cached, err.code === ErrorCode.OFFLINE ? "offline" : "failed");
        if (err.code !== ErrorCode.OFFLINE) ctx.toast(err);
      } else {
        box.replaceChildren(el("p", { class: "empty", role: "alert", id: "load-error" }, err.message));
        setMark(null, "failed");
      }
    }
  })();
  if (cached?.data) {
    draw(cached.data, cached);
    setMark(cached, "loading");
    return;
  }
  setMark(null, "loading");
  box.replaceChildren(el("p", { class: "empty" }, empty));
  await network;
}
