// All sites across your organizations: filter box, arrow keys, Enter opens.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { href } from "../router.js";
import { storeFirst } from "../freshness.js";
import { filterList } from "../filter-list.js";

/** #sites */
export async function render(main, _params, ctx) {
  const mark = el("p", { class: "fresh", id: "fresh-mark", "aria-live": "polite" });
  const box = el("div", { class: "reserve" });
  main.append(el("h1", {}, "Sites"),
    el("p", { class: "lede" }, "Every site in your organizations. Type to filter, arrow keys to move, Enter to open."),
    mark, box);
  const draw = (sites) => {
    // Keep the filter text across the cached → fresh redraw.
    const query = box.querySelector("input")?.value ?? "";
    const hadFocus = box.contains(document.activeElement);
    if (sites.length === 0) {
      box.replaceChildren(el("p", { class: "empty", id: "sites-empty" },
        "No sites yet. Open an organization and create one with New site."));
      return;
    }
    const list = filterList({
      id: "sites-list", label: "Filter sites", placeholder: "Filter by site, organization, price area…",
      items: sites,
      text: (s) => [s.name, s.org_name, s.price_area, s.timezone].filter(Boolean).join(" "),
      row: (s) => el("a", { href: href("site", s.id), "data-site-id": s.id },
        el("span", { class: "name" }, s.name),
        el("span", { class: "meta" }, [s.org_name, s.price_area].filter(Boolean).join(" · "))),
      noneMatch: "No site matches. Clear the filter to see them all.",
      query,
    });
    box.replaceChildren(list);
    if (hadFocus) box.querySelector("input").focus();
  };
  await storeFirst({
    box, mark, ctx, draw,
    empty: "Loading sites…",
    fetch: (source) => commands.getSites(source),
  });
}
