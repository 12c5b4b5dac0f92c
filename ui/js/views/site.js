// One site: live power flow slot, chart link, devices with their DERs and latest stored values;
// rename and delete per your role.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { href } from "../router.js";
import { latestText } from "./powerflow-text.js";
import { mountPowerFlow } from "./powerflow.js";
import { mountPeakPanel } from "./peak.js";
import { deleteAction, detailView, panel, renameAction } from "./detail.js";

/** #site/:id */
export async function render(main, { id }, ctx) {
  const chartLink = el("a", { class: "btn btn-secondary", id: "open-chart", href: href("chart", id) }, "Chart and prices");
  const whatIfLink = el("a", { class: "btn btn-secondary", id: "open-whatif", href: href("whatif", id) }, "What if: tariffs");
  const meta = el("p", { class: "lede", id: "site-meta" });
  // The live power flow, in place across redraws; its stream stops when the view is left.
  const live = el("section", { id: "site-live", "aria-label": "Live power flow" });
  let siteZone = null; // the site's time zone, once the site is drawn
  ctx.onLeave(mountPowerFlow(live, id, ctx, { timeZone: () => siteZone }));
  // The power-peak panel (sites on a power tariff only), below the live flow.
  const peak = el("div", { id: "site-peak" });
  ctx.onLeave(mountPeakPanel(peak, id, ctx, { timeZone: () => siteZone }));
  await detailView(main, ctx, {
    id: "site",
    title: "Site",
    crumbs: [el("a", { href: "#sites" }, "Sites")],
    actions: [chartLink, whatIfLink],
    lede: meta,
    slot: el("div", {}, live, peak),
    empty: "Loading the site…",
    fetch: (source) => commands.getSite(id, source),
    draw: (view, frame) => {
      const { site, permissions: p, devices } = view;
      frame.title.textContent = site.name;
      siteZone = site.timezone ?? null;
      meta.textContent = [site.price_area && `Price area ${site.price_area}`, site.timezone].filter(Boolean).join(" · ");
      if (site.org_id) {
        frame.crumbs(el("a", { href: "#sites" }, "Sites"), el("a", { href: href("org", site.org_id), id: "site-org-link" }, "Organization"));
      }
      frame.actions(
        chartLink,
        whatIfLink,
        renameAction(ctx, {
          id: "site-rename", what: "site", name: site.name, allowed: p.manage_sites,
          rename: (name) => commands.renameSite(site.id, name),
        }),
        deleteAction(ctx, {
          id: "site-delete", label: "Delete site", name: site.name, allowed: p.manage_sites,
          message: `This deletes the site "${site.name}" with its devices and DERs. Their history stays on the server only as long as it keeps it. It cannot be undone.`,
          remove: () => commands.deleteSite(site.id),
          then: site.org_id ? href("org", site.org_id) : "#sites",
        }),
      );
      frame.box.replaceChildren(devicesSection(devices));
    },
  });
}

function devicesSection(devices) {
  const body = devices.length === 0
    ? el("p", { class: "empty", id: "site-devices-empty" }, "No devices at this site yet. Find the site's Zap in the ", el("a", { href: "#installer" }, "Installer"), ".")
    : el("ul", { class: "list list-nav", id: "site-devices", "aria-label": "Devices" },
      ...devices.map((d) => el("li", { "data-device-id": d.id },
        el("a", { href: href("device", d.id) },
          el("span", { class: "name" }, d.name || d.device_type || d.id),
          el("span", { class: "meta" }, [d.device_type, d.state].filter(Boolean).join(" · "))),
        derList(d.ders))));
  return panel("site-devices-panel", `Devices (${devices.length})`, body);
}

/** DERs with their latest stored values (blank until telemetry was seen). */
export function derList(ders) {
  if (ders.length === 0) return el("p", { class: "empty" }, "No DERs.");
  return el("ul", { class: "ders" }, ...ders.map((d) => el("li", { "data-der-id": d.id },
    el("span", { class: `der-type der-${d.der_type}` }, d.der_type),
    el("span", { class: "der-name" }, d.name),
    el("span", { class: "der-latest" }, d.latest.map((l) => latestText(d.der_type, l)).join(" · ")))));
}
