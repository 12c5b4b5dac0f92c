// The edit form of a journal item Novacore refused, opened from the "Waiting for the cloud"
// panel: a claim goes into another of your organizations (or moves the Zap from the one holding
// it, when ticked); a provisioning gets corrected device fields — site, device type, name,
// manufacturer, model, DERs of the types the device type allows. The rules are the core's (the
// provisioning form's): its refusal names the fields, which are marked here. Saving replays.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { refusedFields } from "./zap-provision.js";

const label = (forId, text) => el("label", { for: forId }, text);

/** The edit as the command takes it, from the form's values. */
export function provisionEdit({ site_id, device_type, name, manufacturer, model, ders }) {
  const opt = (v) => (v && v.trim() ? v.trim() : null);
  return {
    step: "provision", site_id, device_type,
    name: opt(name), manufacturer: opt(manufacturer), model: opt(model),
    ders: ders.map((d) => ({ name: d.name.trim(), der_type: d.der_type })),
  };
}

/**
 * The form for item `id` (it loads itself). `targets()`: the claim targets (organizations with
 * whether you may claim there); `saved(items)`: the journal after the edit was kept and replayed;
 * `closed()`: Cancel.
 * @returns {HTMLElement}
 */
export function journalEditForm(id, { targets, saved, closed }) {
  const pre = `journal-edit-${id}`;
  const msg = el("p", { class: "field-msg", id: `${pre}-msg`, role: "status" });
  const node = el("form", { class: "journal-edit", id: `${pre}-form`, novalidate: "" },
    el("p", { class: "empty" }, "Reading the item…"));
  const say = (text, error = false) => {
    msg.textContent = text;
    msg.classList.toggle("is-error", error);
  };

  const buttons = (collect) => {
    const save = el("button", { type: "submit", class: "btn", id: `${pre}-save` }, "Save and send");
    const cancel = el("button", { type: "button", class: "btn btn-quiet", id: `${pre}-cancel` }, "Cancel");
    cancel.addEventListener("click", closed);
    node.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      for (const f of node.querySelectorAll(".is-invalid")) f.classList.remove("is-invalid");
      save.disabled = true;
      say("Saving and sending…");
      try {
        saved(unwrap(await commands.editJournalItem(id, collect())));
      } catch (err) {
        if (!err.handled) {
          say(err.message, true);
          for (const field of refusedFields(err.message)) {
            const m = field.match(/^ders\[(\d+)\]\.(name|type)$/);
            const target = m
              ? node.querySelectorAll(`#${pre}-ders li`)[Number(m[1])]?.querySelector(m[2] === "name" ? "input" : "select")
              : node.querySelector(`[data-field="${field}"]`);
            target?.classList.add("is-invalid");
          }
        }
      } finally {
        save.disabled = false;
      }
    });
    return el("div", { class: "inline-form" }, save, cancel);
  };

  const claimFields = (form) => {
    const org = el("select", { id: `${pre}-org`, "data-field": "org_id" },
      ...targets().filter((t) => t.claim.allowed).map((t) => el("option", { value: t.organization.id }, t.organization.name)));
    org.value = form.current.org_id;
    const transfer = el("input", { type: "checkbox", id: `${pre}-transfer` });
    transfer.checked = form.current.confirm_transfer;
    return [
      el("div", { class: "field" }, label(`${pre}-org`, `Claim ${form.subject} into`), org),
      el("label", { for: `${pre}-transfer`, class: "check" }, transfer,
        " Move it from the organization that holds it now (its devices there are orphaned)"),
      buttons(() => ({ step: "claim", org_id: org.value, confirm_transfer: transfer.checked })),
    ];
  };

  const provisionFields = (form) => {
    const c = form.current;
    const typeSelect = el("select", { id: `${pre}-type`, "data-field": "device_type" },
      ...form.device_types.map((t) => el("option", { value: t.device_type }, t.device_type)));
    typeSelect.value = c.device_type;
    const siteSelect = el("select", { id: `${pre}-site`, "data-field": "site_id" },
      ...form.sites.map((s) => el("option", { value: s.id }, s.name)));
    if (form.sites.some((s) => s.id === c.site_id)) siteSelect.value = c.site_id;
    const input = (field, value) => el("input", { id: `${pre}-${field}`, "data-field": field, type: "text", value: value ?? "", autocomplete: "off", spellcheck: "false" });
    const name = input("name", c.name);
    const make = input("manufacturer", c.manufacturer);
    const model = input("model", c.model);
    const derTypes = () => form.device_types.find((t) => t.device_type === typeSelect.value)?.der_types ?? [];
    const derList = el("ul", { class: "der-rows", id: `${pre}-ders`, "aria-label": "DERs" });
    const derRow = (der) => {
      const n = derList.children.length + 1;
      const nameBox = el("input", { type: "text", value: der.name, class: "der-name", "aria-label": `DER ${n} name`, autocomplete: "off", spellcheck: "false" });
      const typeBox = el("select", { class: "der-type-select", "aria-label": `DER ${n} type` });
      const fill = (want) => {
        // Only the DER types the device type allows; one it does not allow stays, marked by the refusal.
        const types = derTypes().includes(want) || !want ? derTypes() : [...derTypes(), want];
        typeBox.replaceChildren(...types.map((t) => el("option", { value: t }, t)));
        if (want) typeBox.value = want;
      };
      fill(der.der_type);
      const remove = el("button", { type: "button", class: "btn-link", "aria-label": `Remove DER ${n}` }, "Remove");
      const li = el("li", {}, nameBox, typeBox, remove);
      li.refill = () => fill(derTypes().includes(typeBox.value) ? typeBox.value : derTypes()[0]);
      remove.addEventListener("click", () => li.remove());
      derList.append(li);
    };
    c.ders.forEach(derRow);
    const add = el("button", { type: "button", class: "btn-link", id: `${pre}-add-der` }, "Add DER");
    add.addEventListener("click", () => derRow({ name: "", der_type: derTypes()[0] ?? "" }));
    typeSelect.addEventListener("change", () => { for (const li of derList.children) li.refill(); });
    return [
      el("div", { class: "provision-fields" },
        el("div", { class: "field" }, label(`${pre}-hw`, "Hardware id"), el("input", { id: `${pre}-hw`, type: "text", value: form.subject, readonly: "" })),
        el("div", { class: "field" }, label(`${pre}-type`, "Device type"), typeSelect),
        el("div", { class: "field" }, label(`${pre}-site`, "Site"), siteSelect),
        el("div", { class: "field" }, label(`${pre}-name`, "Name"), name),
        el("div", { class: "field" }, label(`${pre}-manufacturer`, "Manufacturer"), make),
        el("div", { class: "field" }, label(`${pre}-model`, "Model"), model)),
      el("div", { class: "field" }, el("span", { class: "label" }, "DERs"), derList, add),
      buttons(() => provisionEdit({
        site_id: siteSelect.value, device_type: typeSelect.value, name: name.value, manufacturer: make.value, model: model.value,
        ders: [...derList.children].map((li) => ({ name: li.querySelector("input").value, der_type: li.querySelector("select").value })),
      })),
    ];
  };

  (async () => {
    try {
      const form = unwrap(await commands.getJournalEditForm(id));
      node.replaceChildren(...(form.current.step === "claim" ? claimFields(form) : provisionFields(form)), msg);
      node.querySelector("select, input:not([readonly])")?.focus();
    } catch (err) {
      if (!err.handled) node.replaceChildren(el("p", { class: "field-msg is-error", id: `${pre}-msg` }, err.message));
    }
  })();
  return node;
}
