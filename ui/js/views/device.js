// One device: details, DERs with latest values; rename, delete, add DER per your role.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { href } from "../router.js";
import { formDialog } from "../dialogs.js";
import { actionButton } from "../actions.js";
import { derList } from "./site.js";
import { deleteAction, detailView, panel, renameAction } from "./detail.js";

// The platform's DER types; which ones a device may hold depends on its type (the server says).
const DER_TYPES = ["solar", "battery", "meter", "ev_charger_port"];

/** #device/:id */
export async function render(main, { id }, ctx) {
  await detailView(main, ctx, {
    id: "device",
    title: "Device",
    crumbs: [el("a", { href: "#sites" }, "Sites")],
    empty: "Loading the device…",
    fetch: (source) => commands.getDevice(id, source),
    draw: (view, frame) => {
      const { device: d, site, permissions: p } = view;
      const name = d.name || d.device_type || d.id;
      frame.title.textContent = name;
      if (d.site_id) {
        frame.crumbs(el("a", { href: "#sites" }, "Sites"), el("a", { href: href("site", d.site_id), id: "device-site-link" }, site?.name ?? "Site"));
      }
      frame.actions(
        actionButton({ id: "der-add", label: "Add DER", allowed: p.manage_devices, onClick: () => addDer(d, ctx) }),
        renameAction(ctx, {
          id: "device-rename", what: "device", name, allowed: p.manage_devices,
          rename: (newName) => commands.renameDevice(d.id, newName),
        }),
        deleteAction(ctx, {
          id: "device-delete", label: "Delete device", name, allowed: p.manage_devices,
          message: `This removes the device "${name}" and its DERs from the site. It cannot be undone.`,
          remove: () => commands.deleteDevice(d.id),
          then: d.site_id ? href("site", d.site_id) : "#sites",
        }),
      );
      const details = el("dl", { class: "details", id: "device-details" });
      for (const [label, value] of [
        ["Type", d.device_type], ["State", d.state], ["Hardware id", d.hardware_id],
        ["Manufacturer", d.manufacturer], ["Model", d.model], ["Gateway", d.gateway_serial], ["Device id", d.id],
      ]) {
        if (value) details.append(el("dt", {}, label), el("dd", {}, value));
      }
      frame.box.replaceChildren(details, panel("device-ders", `DERs (${d.ders.length})`, derList(d.ders)));
    },
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
