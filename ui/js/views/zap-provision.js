// The Installer view's "Provision" panel for an open Zap: a form per field device on the Zap
// (hardware id = its sn, device type, site, name, manufacturer, model, DERs of the allowed types
// only), the new ids once provisioned, publishing switched on, then the wait for the first reading
// on the site's stream ("Waiting for the first reading… n s", Cancel), and when none comes, the
// link of the health chain to look at. The rules (DER names, types) are the core's: its refusal
// names the fields, which are marked here.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { Channel } from "../host.js";
import { unwrap } from "../result.js";
import { streamSlot } from "../stream-slot.js";
import { actionButton } from "../actions.js";
import { panel } from "./detail.js";

let waitSeq = 0;

/** "−3.2 kW" / "850 W" for a reading's power. */
export function powerText(w) {
  if (w === null || w === undefined || !Number.isFinite(w)) return "no power value";
  const abs = Math.abs(w);
  const sign = w < 0 ? "−" : "";
  return abs >= 1000 ? `${sign}${(abs / 1000).toFixed(1)} kW` : `${sign}${Math.round(abs)} W`;
}

/** The sentence for a first reading that arrived. */
export function arrivedText(r) {
  const der = r.der_name ? `${r.der_name} (${r.kind})` : `${r.der_id} (${r.kind})`;
  return `First reading: ${powerText(r.power_w)} from ${der}, ${(r.waited_ms / 1000).toFixed(1)} s after provisioning.`;
}

/** The field paths (`ders[1].name`, `device_type` …) a refusal names. */
export function refusedFields(message) {
  return [...new Set(String(message).match(/\b(?:ders\[\d+\]\.(?:name|type)|device_type|site_id|name|manufacturer|model)\b/g) ?? [])];
}

/**
 * Which first-reading wait the panel shows (stream-slot.js): a wait ends at its final update (any
 * but "waiting": arrived, no reading, cancelled), at an error or at a stop, never at the answer.
 */
export const waitSlot = () => streamSlot((u) => u.status !== "waiting");

const label = (forId, text) => el("label", { for: forId }, text);

/**
 * The panel (it loads itself) and a `refresh()` to call after the Zap was claimed or released.
 * @param {any} ctx
 * @param {string} address
 * @returns {{ node: HTMLElement, refresh: () => Promise<void> }}
 */
export function provisionPanel(ctx, address) {
  const body = el("div", { id: "provision-body" }, el("p", { class: "empty" }, "Reading the Zap's field devices…"));
  const node = panel("zap-provision", "Provision", body);
  const waiting = waitSlot();

  const stopWaiting = () => {
    const running = waiting.take();
    if (running) commands.cancelFirstReading(running).catch(() => {});
  };

  let loads = 0;
  const refresh = async () => {
    // Only the newest answer is drawn: the first load (unclaimed) may come back after the one
    // asked for after the claim.
    const mine = ++loads;
    if (!ctx.connection) {
      // Signed out the platform cannot be asked (and a sign-in-required answer would leave the view).
      body.replaceChildren(el("p", { class: "empty", id: "provision-signin" },
        "Provisioning the Zap's devices to a site needs a sign-in. ",
        el("a", { href: "#welcome", id: "provision-signin-link" }, "Sign in to provision")));
      return;
    }
    let form;
    try {
      form = unwrap(await commands.getProvisionForm(address));
    } catch (err) {
      if (mine === loads && !err.handled) body.replaceChildren(el("p", { class: "field-msg is-error", id: "provision-error" }, err.message));
      return;
    }
    if (mine === loads) draw(form);
  };

  const draw = (form) => {
    const notes = [];
    if (!form.provision.allowed) {
      notes.push(el("p", { class: "notice", id: "provision-why" }, form.provision.reason ?? "You may not provision here."));
    } else if (form.sites.length === 0) {
      notes.push(el("p", { class: "notice", id: "provision-why" },
        `${form.owner?.org_name ?? "The organization"} has no site yet: create one in the organization view, then provision here.`));
    }
    if (form.devices.length === 0) {
      body.replaceChildren(...notes, el("p", { class: "empty", id: "provision-none" },
        "The Zap has no field devices yet. Add the inverter or meter on the Zap first, then provision it here."));
      return;
    }
    const allowed = form.sites.length === 0 && form.provision.allowed
      ? { allowed: false, reason: "Create a site first." }
      : form.provision;
    body.replaceChildren(...notes, ...form.devices.map((d, i) => deviceForm(form, d, i, allowed)));
  };

  /** One field device's form. */
  const deviceForm = (form, device, i, allowed) => {
    const id = (s) => `provision-${i}-${s}`;
    const typeSelect = el("select", { id: id("type") },
      ...form.device_types.map((t) => el("option", { value: t.device_type }, t.device_type)));
    typeSelect.value = device.device_type;
    const siteSelect = el("select", { id: id("site") }, ...form.sites.map((s) => el("option", { value: s.id }, s.name)));
    if (device.provisioned && form.sites.some((s) => s.id === device.provisioned.site_id)) siteSelect.value = device.provisioned.site_id;
    const input = (name, value) => el("input", { id: id(name), type: "text", value: value ?? "", autocomplete: "off", spellcheck: "false" });
    const nameInput = input("name", device.name);
    const makeInput = input("manufacturer", "");
    const modelInput = input("model", "");
    const derTypes = () => form.device_types.find((t) => t.device_type === typeSelect.value)?.der_types ?? [];

    const derList = el("ul", { class: "der-rows", id: id("ders"), "aria-label": "DERs" });
    const derRow = (der) => {
      const n = derList.children.length;
      const nameBox = el("input", { type: "text", value: der.name, "aria-label": `DER ${n + 1} name`, class: "der-name", autocomplete: "off", spellcheck: "false" });
      const typeBox = el("select", { "aria-label": `DER ${n + 1} type`, class: "der-type-select" });
      const fillTypes = (want) => {
        // Only the DER types the device type allows can be chosen.
        typeBox.replaceChildren(...derTypes().map((t) => el("option", { value: t }, t)));
        if (derTypes().includes(want)) typeBox.value = want;
      };
      fillTypes(der.der_type);
      const remove = el("button", { type: "button", class: "btn-link", "aria-label": `Remove DER ${n + 1}` }, "Remove");
      const li = el("li", {}, nameBox, typeBox, remove);
      li.refill = () => fillTypes(typeBox.value);
      remove.addEventListener("click", () => {
        li.remove();
        addButton.focus();
      });
      derList.append(li);
    };
    device.ders.forEach(derRow);
    const addButton = el("button", { type: "button", class: "btn-link", id: id("add-der") }, "Add DER");
    addButton.addEventListener("click", () => {
      derRow({ name: "", der_type: derTypes()[0] ?? "" });
      derList.lastElementChild?.querySelector("input")?.focus();
    });
    typeSelect.addEventListener("change", () => {
      for (const li of derList.children) li.refill();
    });

    const msg = el("p", { class: "field-msg", id: id("msg"), role: "status" });
    const result = el("div", { class: "provision-result", id: id("result") });
    const reading = el("p", { class: "field-msg", id: id("reading"), role: "status", "aria-live": "polite" });
    const readingActions = el("span", { class: "reading-actions" });
    const say = (node, text, error = false) => {
      node.textContent = text;
      node.classList.toggle("is-error", error);
    };

    const fields = el("div", { class: "provision-fields" },
      el("div", { class: "field" }, label(id("hw"), "Hardware id"), el("input", { id: id("hw"), type: "text", value: device.sn, readonly: "" })),
      el("div", { class: "field" }, label(id("type"), "Device type"), typeSelect),
      el("div", { class: "field" }, label(id("site"), "Site"), siteSelect),
      el("div", { class: "field" }, label(id("name"), "Name"), nameInput),
      el("div", { class: "field" }, label(id("manufacturer"), "Manufacturer"), makeInput),
      el("div", { class: "field" }, label(id("model"), "Model"), modelInput));

    let current = null;
    const wait = async (provisioned) => {
      stopWaiting();
      const requestId = `first-reading-${++waitSeq}`;
      waiting.start(requestId);
      current = provisioned;
      readingActions.replaceChildren();
      const cancel = el("button", { type: "button", class: "btn btn-quiet", id: id("cancel-wait") }, "Cancel");
      cancel.addEventListener("click", () => commands.cancelFirstReading(requestId).catch((err) => ctx.toast?.(err)));
      say(reading, "Waiting for the first reading… 0 s");
      readingActions.replaceChildren(cancel);
      reading.dataset.state = "waiting";
      const again = () => {
        const b = el("button", { type: "button", class: "btn btn-secondary", id: id("wait-again") }, "Wait again");
        b.addEventListener("click", () => wait(current));
        readingActions.replaceChildren(b);
        return b;
      };
      const channel = new Channel((u) => {
        if (!waiting.accept(requestId, u)) return;
        // Another Zap opened or the view was left: stop waiting for this one.
        if (!node.isConnected) {
          stopWaiting();
          return;
        }
        if (u.status === "waiting") {
          const s = Math.round(u.waited_ms / 1000);
          say(reading, `Waiting for the first reading… ${s} s${u.stream === "live" || u.stream === "connecting" ? "" : ` (${u.reason ?? u.stream})`}`);
        } else if (u.status === "arrived") {
          reading.dataset.state = "arrived";
          say(reading, arrivedText(u.reading));
          readingActions.replaceChildren();
        } else if (u.status === "no_reading") {
          reading.dataset.state = "none";
          if (u.link) reading.dataset.link = u.link;
          say(reading, u.advice, true);
          again();
        } else if (u.status === "cancelled") {
          reading.dataset.state = "cancelled";
          say(reading, "Stopped waiting for the first reading. The device stays provisioned.");
          again();
        }
      });
      try {
        unwrap(await commands.waitFirstReading(address, provisioned.device.site_id, provisioned.device.id, requestId, channel));
      } catch (err) {
        if (waiting.is(requestId) && !err.handled) {
          reading.dataset.state = "none";
          say(reading, err.message, true);
          again();
        }
        waiting.end(requestId);
      }
    };

    const showResult = (done) => {
      const ders = done.device.ders.map((d) => el("li", { "data-der": d.id },
        el("span", { class: "name" }, d.name), el("span", { class: "der-type" }, d.der_type), el("code", {}, d.id)));
      const publishing = el("p", { class: "field-msg", id: id("publishing") });
      const publishBox = el("div", { class: "inline-form" }, publishing);
      if (done.publish_problem) {
        say(publishing, done.publish_problem, true);
        const retry = el("button", { type: "button", class: "btn btn-secondary", id: id("publish-retry") }, "Switch publishing on");
        retry.addEventListener("click", async () => {
          retry.disabled = true;
          try {
            const types = unwrap(await commands.setZapPublishing(address, device.sn, true));
            say(publishing, `Publishing on: ${types.join(", ")}.`);
            retry.remove();
            wait(done);
          } catch (err) {
            if (!err.handled) say(publishing, err.message, true);
            retry.disabled = false;
          }
        });
        publishBox.append(retry);
      } else {
        say(publishing, `Publishing on: ${done.publishing.join(", ")}.`);
      }
      result.replaceChildren(
        el("p", { id: id("ids") }, `${done.created ? "Provisioned" : "Provisioned again (re-bound)"}: device `, el("code", {}, done.device.id)),
        el("ul", { class: "ders", id: id("der-ids"), "aria-label": "New DER ids" }, ...ders),
        publishBox);
    };

    const submitButton = actionButton({
      id: id("submit"), label: "Provision", allowed,
      onClick: async () => {
        submitButton.disabled = true;
        for (const bad of formNode.querySelectorAll("[aria-invalid]")) bad.removeAttribute("aria-invalid");
        say(msg, "Provisioning…");
        const ders = [...derList.children].map((li) => ({
          name: li.querySelector("input").value,
          der_type: li.querySelector("select").value,
        }));
        try {
          const done = unwrap(await commands.provisionZapDevice({
            address, sn: device.sn, site_id: siteSelect.value, device_type: typeSelect.value,
            name: nameInput.value, manufacturer: makeInput.value, model: modelInput.value, ders,
          }));
          if (done.outcome === "queued") {
            // Novacore out of reach: the journal sends it when the cloud is back.
            say(msg, `Queued: Novacore cannot be reached. ${done.hardware_id} is provisioned when the cloud is back (see "Waiting for the cloud").`);
            return;
          }
          say(msg, "");
          showResult(done);
          if (!done.publish_problem) wait(done);
        } catch (err) {
          if (err.handled) return;
          // Nothing was provisioned: the form keeps what was typed; the fields the refusal names are marked.
          say(msg, err.message, true);
          for (const f of refusedFields(err.message)) {
            const m = f.match(/^ders\[(\d+)\]\.(name|type)$/);
            const target = m ? derList.children[Number(m[1])]?.querySelector(m[2] === "name" ? "input" : "select")
              : { device_type: typeSelect, site_id: siteSelect, name: nameInput, manufacturer: makeInput, model: modelInput }[f];
            target?.setAttribute("aria-invalid", "true");
          }
          formNode.querySelector("[aria-invalid]")?.focus();
        } finally {
          submitButton.disabled = false;
        }
      },
    });

    const already = device.provisioned
      ? el("p", { class: "fresh", id: id("already") }, `Already provisioned as ${device.provisioned.device_id}; provisioning again re-binds it.`)
      : "";
    const formNode = el("form", { class: "provision-device", id: id("form"), "data-sn": device.sn, "aria-labelledby": id("h") },
      el("h3", { id: id("h") }, `${device.profile ?? "Device"} · ${device.sn}`,
        el("span", { class: "meta" }, [device.connection_type, device.connected === false ? "not connected" : device.connected ? "connected" : null].filter(Boolean).join(", "))),
      already, fields,
      el("div", { class: "field" }, el("span", { class: "pf-label", id: id("ders-h") }, "DERs"), derList, addButton),
      el("div", { class: "inline-form" }, submitButton, readingActions),
      msg, result, reading);
    formNode.addEventListener("submit", (ev) => ev.preventDefault());
    return formNode;
  };

  refresh();
  return { node, refresh: () => refresh(), stop: stopWaiting };
}
