// One site: live power flow slot, chart link, devices with their DERs and latest stored values;
// rename and delete per your role.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { href } from "../router.js";
import { storeFirst } from "../freshness.js";
import { confirmDialog, formDialog } from "../dialogs.js";
import { actionButton, latestText } from "../actions.js";
import { mountPowerFlow } from "./powerflow.js";

/** #site/:id */
export async function showSite(main, siteId, ctx) {
  const crumbs = el("p", { class: "crumbs" }, el("a", { href: "#sites" }, "Sites"));
  const title = el("h1", { id: "site-title" }, "Site");
  const actions = el("div", { class: "view-actions", id: "site-actions" },
    el("a", { class: "btn btn-secondary", id: "open-chart", href: href("chart", siteId) }, "Chart and prices"));
  const mark = el("p", { class: "fresh", id: "fresh-mark", "aria-live": "polite" });
  const meta = el("p", { class: "lede", id: "site-meta" });
  // The live power flow, in place across redraws; its stream stops when the view is left.
  const live = el("section", { id: "site-live", "aria-label": "Live power flow" });
  const box = el("div", { class: "reserve" });
  main.append(crumbs, el("div", { class: "view-head" }, title, actions), meta, mark, live, box);
  let siteZone = null; // the site's time zone, once the site is drawn
  ctx.onLeave(mountPowerFlow(live, siteId, ctx, { timeZone: () => siteZone }));
  const draw = (view) => {
    const { site, permissions: p, devices } = view;
    title.textContent = site.name;
    siteZone = site.timezone ?? null;
    meta.textContent = [site.price_area && `Price area ${site.price_area}`, site.timezone].filter(Boolean).join(" · ");
    if (site.org_id) {
      crumbs.replaceChildren(el("a", { href: "#sites" }, "Sites"), " · ",
        el("a", { href: href("org", site.org_id), id: "site-org-link" }, "Organization"));
    }
    actions.replaceChildren(
      actions.querySelector("#open-chart") ?? el("a", { class: "btn btn-secondary", id: "open-chart", href: href("chart", siteId) }, "Chart and prices"),
      actionButton({ id: "site-rename", label: "Rename", allowed: p.manage_sites, onClick: () => renameSite(site, ctx) }),
      actionButton({ id: "site-delete", label: "Delete site", danger: true, allowed: p.manage_sites, onClick: () => deleteSite(site, ctx) }),
    );
    box.replaceChildren(devicesSection(devices));
  };
  await storeFirst({
    box, mark, ctx, draw,
    empty: "Loading the site…",
    fetch: (source) => commands.getSite(siteId, source),
  });
}

async function renameSite(site, ctx) {
  const done = await formDialog({
    title: "Rename site", submitLabel: "Rename",
    fields: [{ name: "name", label: "Name", value: site.name, required: true }],
    submit: async (v) => unwrap(await commands.renameSite(site.id, v.name)),
  });
  if (done) ctx.refresh();
}

async function deleteSite(site, ctx) {
  const ok = await confirmDialog({
    title: `Delete ${site.name}?`,
    message: `This deletes the site "${site.name}" with its devices and DERs. Their history stays on the server only as long as it keeps it. It cannot be undone.`,
    confirm: "Delete site",
  });
  if (!ok) return;
  try {
    unwrap(await commands.deleteSite(site.id));
    ctx.go(site.org_id ? href("org", site.org_id) : "#sites");
  } catch (err) {
    ctx.toast(err);
  }
}

function devicesSection(devices) {
  const body = devices.length === 0
    ? el("p", { class: "empty", id: "site-devices-empty" }, "No devices at this site yet. Provision one with the installer tools.")
    : el("ul", { class: "list list-nav", id: "site-devices", "aria-label": "Devices" },
      ...devices.map((d) => el("li", { "data-device-id": d.id },
        el("a", { href: href("device", d.id) },
          el("span", { class: "name" }, d.name || d.device_type || d.id),
          el("span", { class: "meta" }, [d.device_type, d.state].filter(Boolean).join(" · "))),
        derList(d.ders))));
  return el("section", { class: "panel", "aria-labelledby": "site-devices-h" },
    el("h2", { id: "site-devices-h" }, `Devices (${devices.length})`), body);
}

/** DERs with their latest stored values (blank until telemetry was seen). */
export function derList(ders) {
  if (ders.length === 0) return el("p", { class: "empty" }, "No DERs.");
  return el("ul", { class: "ders" }, ...ders.map((d) => el("li", { "data-der-id": d.id },
    el("span", { class: `der-type der-${d.der_type}` }, d.der_type),
    el("span", { class: "der-name" }, d.name),
    el("span", { class: "der-latest" }, d.latest.map(latestText).join(" · ")))));
}
