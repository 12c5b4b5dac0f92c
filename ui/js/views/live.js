// The full-window live view: #live lists the sites you can watch, #live/<id> shows one site's
// power flow (the same component the site view mounts in its #site-live section).
import { el } from "../dom.js";
import { href } from "../router.js";
import { mountPowerFlow } from "./powerflow.js";

/** Names of the sites listed last, so the site's page can title itself without a request. */
const names = new Map();

/**
 * @param {HTMLElement} main
 * @param {Array<{id: string, name: string, org_id: string | null}>} sites
 */
export function renderLiveSites(main, sites) {
  main.append(
    el("h1", {}, "Live"),
    el("p", { class: "lede" }, "Choose a site to watch its power flow as readings arrive."),
  );
  if (sites.length === 0) {
    main.append(el("p", { class: "empty", id: "live-empty" },
      "You cannot see any site yet. Ask an organization's owner or admin to add you, or create a site in your organization."));
    return;
  }
  const list = el("ul", { class: "list live-sites", id: "live-sites", "aria-label": "Sites" });
  for (const s of sites) {
    names.set(s.id, s.name);
    list.append(el("li", { "data-site-id": s.id },
      el("a", { href: href("live", s.id) }, el("span", { class: "name" }, s.name || s.id))));
  }
  main.append(list);
}

/** @param {HTMLElement} main @param {string} siteId @param {any} ctx */
export function renderLiveSite(main, siteId, ctx) {
  const section = el("section", { id: "live-flow", "aria-label": "Live power flow" });
  main.append(
    el("h1", {}, names.get(siteId) ?? "Live power flow"),
    el("p", { class: "lede live-lede" }, el("a", { href: "#live" }, "All sites"), " · live readings, updated as they arrive"),
    section,
  );
  ctx.onLeave(mountPowerFlow(section, siteId, ctx));
}
