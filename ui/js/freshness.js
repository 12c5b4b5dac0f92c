// Store-first loading: a view draws what the offline store has at once, marked "cached N min
// ago", then the fresh data from the server. Offline, the cached data stays with the mark.
import { el } from "./dom.js";
import { unwrap } from "./result.js";

/** "just now", "3 min ago", "2 h ago", "4 days ago" for an age in ms. */
export function ago(ageMs) {
  const min = Math.floor(Math.max(0, ageMs) / 60_000);
  if (min < 1) return "just now";
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

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
      // The session is gone (re-authentication failed): the sign-in view says why.
      if (err.code === "sign_in_required" && ctx.signedOut) {
        ctx.signedOut(err.message);
        return;
      }
      if (cached?.data) {
        setMark(cached, err.code === "offline" ? "offline" : "failed");
        if (err.code !== "offline") ctx.toast(err);
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
