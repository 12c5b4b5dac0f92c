// One device: details, DERs with latest values; rename, delete, add DER per your role.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { href } from "../router.js";
import { storeFirst } from "../freshness.js";
import { confirmDialog, formDialog } from "../dialogs.js";
import { actionButton } from "../actions.js";
import { derList } from "./site.js";

// The platform's DER types; which ones a device may hold depends on its type (the server says).
const DER_TYPES = ["solar", "battery", "meter", "ev_charger_port"];

/** #device/:id */
export async function showDevice(main, deviceId, ctx) {
  const crumbs = el("p", { class: "crumbs" }, el("a", { href: "#sites" }, "Sites"));
  const title = el("h1", { id: "device-title" }, "Device");
  const actions = el("div", { class: "view-actions", id: "device-actions" });
  const mark = el("p", { class: "fresh", id: "fresh-mark", "aria-live": "polite" });
  const box = el("div", { class: "reserve" });
  main.append(crumbs, el("div", { class: "view-head" }, title, actions), mark, box);
  const draw = (view) => {
    const { device: d, site, permissions: p } = view;
    const name = d.name || d.device_type || d.id;
    title.textContent = name;
    if (d.site_id) {
      crumbs.replaceChildren(el("a", { href: "#sites" }, "Sites"), " · ",
        el("a", { href: href("site", d.site_id), id: "device-site-link" }, site?.name ?? "Site"));
    }
    actions.replaceChildren(
      actionButton({ id: "der-add", label: "Add DER", allowed: p.manage_devices, onClick: () => addDer(d, ctx) }),
      actionButton({ id: "device-rename", label: "Rename", allowed: p.manage_devices, onClick: () => renameDevice(d, name, ctx) }),
      actionButton({ id: "device-delete", label: "Delete device", danger: true, allowed: p.manage_devices, onClick: () => deleteDevice(d, name, ctx) }),
    );
    const details = el("dl", { class: "details", id: "device-details" });
    for (const [label, value] of [
      ["Type", d.device_type], ["State", d.state], ["Hardware id", d.hardware_id],
      ["Manufacturer", d.manufacturer], ["Model", d.model], ["Gateway", d.gateway_serial], ["Device id", d.id],
    ]) {
      if (value) details.append(el("dt", {}, label), el("dd", {}, value));
    }
    box.replaceChildren(details,
      el("section", { class: "panel", id: "device-ders", "aria-labelledby": "device-ders-h" },
        el("h2", { id: "device-ders-h" }, `DERs (${d.ders.length})`), derList(d.ders)));
  };
  await storeFirst({
    box, mark, ctx, draw,
    empty: "Loading the device…",
    fetch: (source) => commands.getDevice(deviceId, source),
  });
}

async function addDer(d, ctx) {
  const done = await formDialog({
    title: "Add a DER", submitLabel: "Add DER",
    fields: [
      { name: "name", label: "Name", required: true, placeholder: "pv-east", hint: "Letters, digits, - and _." },
      { name: "der_type", label: "Type", options: [...new Set([...d.ders.map((x) => x.der_type), ...DER_TYPES])], value: d.ders[0]?.der_type ?? "solar" },
    ],
    submit: async (v) => unwrap(await commands.addDer(d.id, v.name, v.der_type)),
  });
  if (done) ctx.refresh();
}

async function renameDevice(d, name, ctx) {
  const done = await formDialog({
    title: "Rename device", submitLabel: "Rename",
    fields: [{ name: "name", label: "Name", value: name, required: true }],
    submit: async (v) => { unwrap(await commands.renameDevice(d.id, v.name)); return true; },
  });
  if (done) ctx.refresh();
}

async function deleteDevice(d, name, ctx) {
  const ok = await confirmDialog({
    title: `Delete ${name}?`,
    message: `This removes the device "${name}" and its DERs from the site. It cannot be undone.`,
    confirm: "Delete device",
  });
  if (!ok) return;
  try {
    unwrap(await commands.deleteDevice(d.id));
    ctx.go(d.site_id ? href("site", d.site_id) : "#sites");
  } catch (err) {
    ctx.toast(err);
  }
}
