// Setting up the open Zap on site (part of the Installer view): its Wi-Fi — scan, choose, enter
// the passphrase, join and watch it come back — and its field devices — the add form generated
// from what the Zap says it takes, the list with each DER's publishing switch, the latest
// readings, remove (asked first). The passphrase lives only in its field until Join sends it.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { Channel } from "../host.js";
import { unwrap } from "../result.js";
import { streamSlot } from "../stream-slot.js";
import { confirmDialog } from "../dialogs.js";
import { panel } from "./detail.js";

/** "HomeNet — -48 dBm, excellent · WPA2" */
export function networkText(n) {
  const signal = [n.rssi != null ? `${n.rssi} dBm` : null, n.signal].filter(Boolean).join(", ");
  const parts = [signal || "signal unknown", n.open ? "open" : (n.auth ?? "secured")];
  if (n.connected) parts.push("connected now");
  return `${n.ssid} — ${parts.join(" · ")}`;
}

/** What a Wi-Fi change is doing, for the progress line. */
export function wifiProgressText(p) {
  if (p.stage === "sending") return "Sending the network and passphrase to the Zap…";
  const s = ((p.waited_ms ?? 0) / 1000).toFixed(1);
  return `Reconnecting… the Zap is off the network while it joins (${s} s).`;
}

/** "Joined Neighbour-5G: -71 dBm, fair. The Zap was back after 1.2 s." */
export function joinedText(j) {
  const signal = [j.rssi != null ? `${j.rssi} dBm` : null, j.signal].filter(Boolean).join(", ");
  return `Joined ${j.ssid}${signal ? `: ${signal}` : ""}. The Zap was back after ${(j.back_after_ms / 1000).toFixed(1)} s.`;
}

/**
 * One Wi-Fi join in `slot` (a streamSlot), its progress shown by `show(text)`; answers the
 * network the Zap is back on (or throws why not). `call(channel)` asks for the join. Its channel
 * has no final update (the outcome is the answer), and the answer can reach the page before the
 * channel's last updates (stream-slot.js): the join ends at the answer and an update after it is
 * dropped, else it showed "Reconnecting…" again under "Joined …".
 */
export async function joinWithProgress(slot, id, call, show) {
  slot.start(id);
  const channel = new Channel((p) => { if (slot.accept(id, p)) show(wifiProgressText(p)); });
  try {
    return unwrap(await call(channel));
  } finally {
    slot.end(id);
  }
}

/** The input a parameter of the Zap's form gets: its type, keyboard and placeholder. */
export function paramInput(p) {
  const numeric = ["int", "integer", "number", "float"].includes(p.kind);
  return {
    type: p.secret ? "password" : "text",
    inputmode: numeric ? (p.kind === "int" || p.kind === "integer" ? "numeric" : "decimal") : "text",
    placeholder: p.default ?? (p.required ? "required" : "optional"),
  };
}

/** "connected", "not connected" or "unknown" (old firmware may not say). */
export function stateText(d) {
  if (d.connected == null) return "unknown";
  return d.connected ? "connected" : "not connected";
}

const ACRONYMS = { ip: "IP", id: "ID", mqtt: "MQTT", sn: "SN" };

/** A parameter's label: "unit_id" → "Unit ID", "broker_host" → "Broker host". */
export function paramLabel(name) {
  const words = name.split("_").map((w) => ACRONYMS[w] ?? w).join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const KINDS = { int: "whole number", integer: "whole number", number: "number", float: "number", bool: "true or false", boolean: "true or false" };

/** Under a parameter's input: "whole number · optional · default 502", the Zap's description first. */
export function paramHint(p) {
  const kind = p.choices?.length ? null : (KINDS[p.kind] ?? "text");
  return [p.description, kind, p.required ? "required" : "optional", p.default != null ? `default ${p.default}` : null]
    .filter(Boolean).join(" · ");
}

/** A reading's value as shown: a `timestamp` (epoch ms) in local time, the rest as the Zap sent it. */
export function readingValue(field, value) {
  const n = Number(value);
  if (field === "timestamp" && Number.isFinite(n) && n > 1e12) return new Date(n).toLocaleString();
  return value;
}

/**
 * The "Wi-Fi" and "Field devices" panels for the Zap at `addr`. `changed()` runs after the Zap's
 * Wi-Fi or devices changed (the view refreshes its row and health chain).
 * @param {string} addr
 * @param {{ changed: () => void }} o
 */
export function zapSetupPanels(addr, { changed }) {
  return [wifiPanel(addr, changed), devicesPanel(addr, changed)];
}

const say = (node, text, isError = false) => {
  node.textContent = text;
  node.classList.toggle("is-error", isError);
};

function progressRow(id) {
  const bar = el("progress", { id: `${id}-bar`, "aria-label": "Working" });
  const text = el("span", { class: "progress-text", id: `${id}-text`, "aria-live": "polite" });
  const row = el("div", { class: "chart-progress", id, "data-active": "false" }, bar, text);
  return {
    row,
    show: (t) => { row.dataset.active = "true"; text.textContent = t; },
    hide: () => { row.dataset.active = "false"; text.textContent = ""; },
  };
}

// ---- Wi-Fi
let joinSeq = 0;

function wifiPanel(addr, changed) {
  const current = el("p", { class: "meta", id: "wifi-current" }, "Scan to see the networks this Zap can join.");
  const scan = el("button", { type: "button", class: "btn btn-secondary", id: "wifi-scan" }, "Scan for networks");
  const networks = el("fieldset", { class: "wifi-networks", id: "wifi-networks", hidden: "" },
    el("legend", {}, "Network"));
  const passphrase = el("input", { id: "wifi-passphrase", type: "password", autocomplete: "off", spellcheck: "false",
    "aria-describedby": "wifi-msg" });
  const passRow = el("div", { class: "field", id: "wifi-pass-row" }, el("label", { for: "wifi-passphrase" }, "Passphrase"), passphrase);
  const join = el("button", { type: "submit", class: "btn", id: "wifi-join" }, "Join");
  const msg = el("p", { class: "field-msg", id: "wifi-msg", role: "status" });
  const progress = progressRow("wifi-progress");
  const form = el("form", { class: "wifi-form", id: "wifi-form", hidden: "" }, networks, passRow,
    el("div", { class: "inline-form" }, join, progress.row), msg);
  const joins = streamSlot();
  let list = [];

  const chosen = () => list.find((n) => n.ssid === networks.querySelector("input:checked")?.value);
  const syncPassphrase = () => {
    const open = chosen()?.open ?? false;
    passRow.hidden = open;
    passphrase.disabled = open;
  };
  const draw = (result) => {
    list = result.networks;
    current.textContent = result.connected ? `The Zap is on ${result.connected}.` : "The Zap is on no Wi-Fi network.";
    const previous = networks.querySelector("input:checked")?.value;
    const items = list.map((n, i) => {
      const input = el("input", { type: "radio", name: "wifi-ssid", id: `wifi-ssid-${i}`, value: n.ssid });
      input.addEventListener("change", () => { syncPassphrase(); say(msg, ""); });
      return el("label", { class: "wifi-network", for: `wifi-ssid-${i}`, "data-ssid": n.ssid }, input, networkText(n));
    });
    networks.replaceChildren(el("legend", {}, "Network (strongest first)"), ...items);
    networks.hidden = false;
    form.hidden = list.length === 0;
    if (list.length === 0) current.textContent += " It sees no networks: move it closer to the access point and scan again.";
    const keep = items.find((l) => l.dataset.ssid === previous) ?? items.find((l) => !list.find((n) => n.ssid === l.dataset.ssid)?.connected) ?? items[0];
    if (keep) keep.querySelector("input").checked = true;
    syncPassphrase();
  };

  scan.addEventListener("click", async () => {
    scan.disabled = true;
    say(msg, "");
    progress.show("Scanning… the Zap listens for networks for a few seconds.");
    try {
      draw(unwrap(await commands.scanZapWifi(addr)));
    } catch (err) {
      form.hidden = false;
      networks.hidden = true;
      say(msg, err.message, true);
    } finally {
      progress.hide();
      scan.disabled = false;
    }
  });

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const net = chosen();
    if (!net) {
      say(msg, "Choose a network.", true);
      return;
    }
    join.disabled = scan.disabled = passphrase.disabled = true;
    say(msg, "");
    passphrase.removeAttribute("aria-invalid");
    progress.show(wifiProgressText({ stage: "sending" }));
    // Read once and cleared at once: the field does not keep it after Join.
    const secret = net.open ? "" : passphrase.value;
    passphrase.value = "";
    try {
      const joined = await joinWithProgress(joins, `wifi-join-${++joinSeq}`,
        (channel) => commands.joinZapWifi(addr, net.ssid, secret, channel), progress.show);
      say(msg, joinedText(joined));
      for (const n of list) n.connected = n.ssid === joined.ssid;
      draw({ connected: joined.ssid, networks: list });
      changed();
    } catch (err) {
      say(msg, err.message, true);
      if (!net.open) passphrase.setAttribute("aria-invalid", "true");
      changed();
    } finally {
      progress.hide();
      join.disabled = scan.disabled = false;
      syncPassphrase();
      // A refused passphrase: back to its (now enabled) field to type it again.
      if (passphrase.getAttribute("aria-invalid") === "true" && !passphrase.disabled) passphrase.focus();
    }
  });

  return panel("zap-wifi", "Wi-Fi", el("div", { class: "inline-form" }, scan, current), form);
}

// ---- Field devices
function devicesPanel(addr, changed) {
  const tableBox = el("div", { id: "zap-devices-box" }, el("p", { class: "empty" }, "Loading the Zap's devices…"));
  const listMsg = el("p", { class: "field-msg", id: "zap-devices-msg", role: "status" });
  const readingsBox = el("div", { id: "device-readings", "aria-live": "polite" });
  const typeSelect = el("select", { id: "device-conn-type", "aria-label": "Connection type" });
  const fieldsBox = el("div", { class: "device-fields", id: "device-fields" });
  const addButton = el("button", { type: "submit", class: "btn", id: "device-add" }, "Add device");
  const addMsg = el("p", { class: "field-msg", id: "device-add-msg", role: "status" });
  const addProgress = progressRow("device-add-progress");
  const form = el("form", { class: "device-form", id: "device-add-form", "aria-labelledby": "device-add-h" },
    el("h3", { id: "device-add-h" }, "Add a field device"),
    el("div", { class: "field" }, el("label", { for: "device-conn-type" }, "Connection"), typeSelect),
    fieldsBox, el("div", { class: "inline-form" }, addButton, addProgress.row), addMsg);
  let types = [];

  // ---- The form, generated from the Zap's connection types
  const drawFields = () => {
    const t = types.find((c) => c.conn_type === typeSelect.value);
    fieldsBox.replaceChildren(...(t?.params ?? []).map((p) => {
      const id = `device-param-${p.name}`;
      const hintId = `${id}-msg`;
      const attrs = { id, name: p.name, autocomplete: "off", spellcheck: "false", "aria-describedby": hintId };
      let input;
      if (p.choices.length > 0) {
        input = el("select", attrs,
          ...(p.required ? [] : [el("option", { value: "" }, "—")]),
          ...p.choices.map((c) => el("option", { value: c.profile }, `${c.name} (${c.category.replace(/_/g, " ")})`)));
      } else {
        const a = paramInput(p);
        input = el("input", { ...attrs, type: a.type, inputmode: a.inputmode, placeholder: a.placeholder });
      }
      if (p.required) input.setAttribute("aria-required", "true");
      const hint = paramHint(p);
      return el("div", { class: "field", "data-param": p.name },
        el("label", { for: id }, paramLabel(p.name) + (p.required ? " *" : "")), input,
        el("span", { class: "field-msg", id: hintId, "data-hint": hint }, hint));
    }));
  };
  typeSelect.addEventListener("change", () => { drawFields(); say(addMsg, ""); });

  const clearFieldErrors = () => {
    for (const f of fieldsBox.querySelectorAll(".field")) {
      const m = f.querySelector(".field-msg");
      say(m, m.dataset.hint ?? "");
      f.querySelector("input, select")?.removeAttribute("aria-invalid");
    }
  };
  const showFieldErrors = (fields) => {
    let first = null;
    for (const [name, problem] of fields) {
      const f = fieldsBox.querySelector(`.field[data-param="${CSS.escape(name)}"]`);
      const input = f?.querySelector("input, select") ?? (name === "type" ? typeSelect : null);
      if (!f) continue;
      say(f.querySelector(".field-msg"), `${paramLabel(name)} ${problem}.`, true);
      input?.setAttribute("aria-invalid", "true");
      first ??= input;
    }
    first?.focus();
  };

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearFieldErrors();
    const values = [...fieldsBox.querySelectorAll("input, select")].map((i) => [i.name, i.value]);
    addButton.disabled = true;
    say(addMsg, "");
    addProgress.show("Adding… the Zap connects to the device before it keeps it.");
    try {
      const result = unwrap(await commands.addZapDevice(addr, typeSelect.value, values));
      if (result.outcome === "invalid") {
        say(addMsg, result.message, true);
        showFieldErrors(result.fields);
        return;
      }
      const ders = result.ders.map((d) => d.der_type).join(", ") || "none";
      say(addMsg, `Added ${result.sn} (DERs: ${ders}). Switch their publishing on below to send readings to Novacore.`);
      for (const i of fieldsBox.querySelectorAll("input")) i.value = "";
      await loadDevices();
      await showReadings(result.sn);
      changed();
    } catch (err) {
      say(addMsg, err.message, true);
    } finally {
      addProgress.hide();
      addButton.disabled = false;
    }
  });

  const loadForm = async () => {
    try {
      types = unwrap(await commands.getZapDeviceForm(addr));
      typeSelect.replaceChildren(...types.map((t) => el("option", { value: t.conn_type }, t.description ?? t.conn_type)));
      drawFields();
    } catch (err) {
      say(addMsg, err.message, true);
      addButton.disabled = true;
    }
  };

  // ---- The list, with publishing switches, readings and remove
  const drawDevices = (devices) => {
    if (devices.length === 0) {
      tableBox.replaceChildren(el("p", { class: "empty", id: "zap-devices-empty" }, "No field devices on this Zap yet. Add one below."));
      return;
    }
    const rows = devices.map((d) => {
      const switches = d.ders.map((der) => {
        const id = `publish-${d.sn}-${der.der_type}`;
        const box = el("input", { type: "checkbox", id, "data-der": der.der_type });
        box.checked = der.publishing;
        box.addEventListener("change", () => togglePublishing(d.sn, der.der_type, box));
        return el("label", { class: "der-switch", for: id }, box, der.der_type);
      });
      const readings = el("button", { type: "button", class: "btn btn-secondary btn-small", id: `readings-${d.sn}` }, "Readings");
      readings.addEventListener("click", () => showReadings(d.sn));
      const remove = el("button", { type: "button", class: "btn btn-quiet btn-small", id: `remove-${d.sn}` }, "Remove");
      remove.addEventListener("click", () => removeDevice(d.sn));
      return el("tr", { "data-sn": d.sn },
        el("td", { class: "mono" }, d.sn),
        el("td", {}, [d.profile, d.device_type?.replace(/_/g, " ")].filter(Boolean).join(", ") || "—"),
        el("td", { class: "mono" }, [d.conn_type, d.endpoint].filter(Boolean).join(" ") || "—"),
        el("td", { "data-col": "state" }, stateText(d)),
        el("td", { "data-col": "publishing" }, ...(switches.length ? switches : ["—"])),
        el("td", { class: "row-actions" }, readings, remove));
    });
    tableBox.replaceChildren(el("table", { class: "table", id: "zap-devices-table", "aria-label": "Field devices on this Zap" },
      el("thead", {}, el("tr", {}, ...["Serial", "Profile", "Connection", "State", "Publishing to Novacore", ""]
        .map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows)));
  };
  const loadDevices = async () => {
    try {
      drawDevices(unwrap(await commands.getZapDevices(addr)));
    } catch (err) {
      say(listMsg, err.message, true);
    }
  };

  const togglePublishing = async (sn, der, box) => {
    const want = box.checked;
    box.disabled = true;
    say(listMsg, `${want ? "Switching on" : "Switching off"} publishing of ${der} on ${sn}…`);
    try {
      const ders = unwrap(await commands.setZapDerPublishing(addr, sn, der, want));
      box.checked = ders.find((d) => d.der_type === der)?.publishing ?? want;
      say(listMsg, `${sn}: ${der} ${box.checked ? "publishes to Novacore" : "does not publish"}.`);
      changed();
    } catch (err) {
      box.checked = !want;
      say(listMsg, err.message, true);
    } finally {
      box.disabled = false;
    }
  };

  const showReadings = async (sn) => {
    readingsBox.replaceChildren(el("p", { class: "empty" }, `Reading ${sn}…`));
    try {
      const r = unwrap(await commands.getZapDeviceReadings(addr, sn));
      const title = el("h3", { id: "device-readings-h" }, `Latest readings of ${sn}${r.format ? ` (${r.format})` : ""}`);
      if (r.ders.length === 0) {
        readingsBox.replaceChildren(title, el("p", { class: "empty" }, "The Zap has no reading from it yet: it reads every few seconds; try again shortly."));
        return;
      }
      readingsBox.replaceChildren(title, el("div", { class: "readings-grid", "data-sn": sn },
        ...r.ders.map(([der, values]) => el("table", { class: "table readings", "data-der": der, "aria-label": `${der} readings` },
          el("thead", {}, el("tr", {}, el("th", { scope: "col" }, der), el("th", { scope: "col" }, "value"))),
          el("tbody", {}, ...values.map((v) => el("tr", {}, el("td", { class: "mono" }, v.field), el("td", { class: "mono" }, readingValue(v.field, v.value)))))))));
    } catch (err) {
      readingsBox.replaceChildren(el("p", { class: "field-msg is-error" }, err.message));
    }
  };

  const removeDevice = async (sn) => {
    const ok = await confirmDialog({
      title: `Remove ${sn} from this Zap?`,
      message: "The Zap stops reading it and its readings stop reaching Novacore. Its configuration on the Zap is deleted; to use it again, add it again.",
      confirm: "Remove",
    });
    if (!ok) return;
    say(listMsg, `Removing ${sn}…`);
    try {
      unwrap(await commands.removeZapDevice(addr, sn));
      say(listMsg, `Removed ${sn}.`);
      if (readingsBox.querySelector(`[data-sn="${CSS.escape(sn)}"]`)) readingsBox.replaceChildren();
      changed();
    } catch (err) {
      say(listMsg, err.message, true);
    }
    await loadDevices();
  };

  loadForm();
  loadDevices();
  return panel("zap-devices", "Field devices", tableBox, listMsg, readingsBox, form);
}
