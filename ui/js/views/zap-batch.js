// Many Zaps at once, in the Installer view: a checkbox per row of the Zaps table (and "select
// all"; Space toggles the focused row), then "Claim selected" into one organization, optionally
// provisioning each Zap's field devices to one site from a template (a rule per device profile).
// A progress bar with Cancel, a result row per Zap as it ends, "Retry" per failed row and "Retry
// failed". A Zap claimed into another of your organizations is never moved by the batch: its row
// asks ("Move" after a confirmation, or "Skip").
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { Channel } from "../host.js";
import { unwrap } from "../result.js";
import { confirmDialog } from "../dialogs.js";
import { panel } from "./detail.js";

let batchSeq = 0;

/** The rule the template starts with: the Sandbox's (and a common) hybrid inverter. */
export const FIRST_RULE = Object.freeze({
  profile: "sungrow", device_type: "inverter", name: "{serial} inverter",
  ders: "{serial}-pv:solar, {serial}-battery:battery",
});

/** "name:type, name:type" → DERs, or a sentence saying what is wrong. */
export function parseDers(text) {
  const ders = [];
  for (const part of String(text).split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = part.lastIndexOf(":");
    const name = at > 0 ? part.slice(0, at).trim() : "";
    const der_type = at > 0 ? part.slice(at + 1).trim() : "";
    if (!name || !der_type) return { error: `"${part}" is not name:type (like {serial}-pv:solar).` };
    ders.push({ name, der_type });
  }
  return { ders };
}

/** What a result row says, for a person. `orgName` names an organization by id. */
export function rowText(row, orgName = (id) => id) {
  const o = row.outcome;
  if (o.status === "failed") return `Failed: ${o.message}`;
  if (o.status === "cancelled") return "Cancelled: not started.";
  if (row.skipped) return `Skipped: left in ${row.skipped}.`;
  const c = o.claim;
  const claim = {
    claimed: () => `Claimed into ${orgName(c.org_id)}.`,
    already_claimed: () => `Already in ${orgName(c.org_id)}.`,
    transferred: () => `Moved into ${orgName(c.org_id)}${c.from ? ` from ${c.from.org_name}` : ""}.`,
    needs_transfer: () => `Needs your confirmation: it is in ${c.from.org_name}.`,
    queued: () => `Queued: Novacore cannot be reached; the claim into ${orgName(c.org_id)} is sent when it is back.`,
  }[c.outcome]();
  const provisioned = row.devices.filter((d) => d.device_id && !d.problem).length;
  const problems = row.devices.filter((d) => d.problem).map((d) => `${d.sn}: ${d.problem}`);
  const skipped = row.devices.filter((d) => d.skipped).length;
  const queued = row.devices.filter((d) => d.queued_entry != null).length;
  const parts = [claim];
  if (queued) {
    parts.push(`${queued} device${queued === 1 ? "" : "s"} queued in the journal${provisioned ? `, ${provisioned} provisioned` : ""}${skipped ? `, ${skipped} left as they are` : ""}.`);
  } else if (row.devices.length) {
    parts.push(`${provisioned} device${provisioned === 1 ? "" : "s"} provisioned${skipped ? `, ${skipped} left as they are` : ""}.`);
  }
  return [...parts, ...problems].join(" ");
}

/** Whether running the row again could do more (the core's `retryable`). */
export function retryable(row) {
  return row.outcome.status === "failed" || row.outcome.status === "cancelled" || row.devices.some((d) => d.problem);
}

/** The row's state, for styling and tests. */
export function rowState(row) {
  if (row.skipped) return "skipped";
  if (row.outcome.status !== "done") return row.outcome.status;
  if (row.outcome.claim.outcome === "needs_transfer") return "needs_transfer";
  if (row.devices.some((d) => d.problem)) return "failed";
  // The claim or a device waits in the journal for the cloud.
  if (row.outcome.claim.outcome === "queued" || row.devices.some((d) => d.queued_entry != null)) return "queued";
  return "done";
}

/**
 * The selection and the batch panel.
 * @param {any} ctx
 * @param {{ zaps: () => any[], targets: () => any[], changed: (address: string) => void }} o
 */
export function zapBatch(ctx, { zaps, targets, changed }) {
  const selected = new Set();
  const results = new Map();
  let running = null;

  const count = el("span", { id: "batch-count", class: "progress-text" });
  const org = el("select", { id: "batch-org", "aria-label": "Organization to claim the selected Zaps into" });
  const provision = el("input", { type: "checkbox", id: "batch-provision" });
  const site = el("select", { id: "batch-site", "aria-label": "Site to provision to" });
  const rules = el("div", { id: "batch-rules" });
  const addRule = el("button", { type: "button", class: "btn btn-quiet", id: "batch-add-rule" }, "Add a rule");
  const template = el("div", { id: "batch-template", hidden: "" },
    el("p", { class: "fresh" }, "Every field device of a profile becomes the device below; {serial} is the Zap's serial, {sn} the device's. Devices of other profiles are left as they are."),
    el("div", { class: "inline-form" }, el("label", { for: "batch-site" }, "Site"), site), rules, addRule);
  const start = el("button", { type: "button", class: "btn", id: "batch-start" }, "Claim selected");
  const msg = el("p", { class: "field-msg", id: "batch-msg", role: "status" });
  const bar = el("progress", { id: "batch-progress", max: "1", value: "0", "aria-label": "Claiming" });
  const barText = el("span", { class: "progress-text", id: "batch-progress-text", "aria-live": "polite" });
  const cancel = el("button", { type: "button", class: "btn btn-quiet", id: "batch-cancel" }, "Cancel");
  const progressRow = el("div", { class: "chart-progress", "data-active": "false" }, bar, barText, cancel);
  const retryFailed = el("button", { type: "button", class: "btn btn-secondary", id: "batch-retry-failed", hidden: "" }, "Retry failed");
  const resultsBox = el("div", { id: "batch-results" });
  const node = panel("zap-batch", "Claim selected Zaps",
    el("div", { class: "inline-form" }, count, el("label", { for: "batch-org" }, "Into"), org,
      el("label", { for: "batch-provision", class: "check" }, provision, " Also provision their field devices"), start),
    template, msg, progressRow, resultsBox, retryFailed);

  const say = (text, isError = false) => {
    msg.textContent = text;
    msg.classList.toggle("is-error", isError);
  };
  const orgName = (id) => targets().find((t) => t.organization.id === id)?.organization.name ?? id;

  // ---- Selection
  const boxes = new Map();
  const all = el("input", { type: "checkbox", id: "batch-select-all", "aria-label": "Select all Zaps" });
  const sync = () => {
    const n = zaps().length;
    const k = [...selected].filter((a) => zaps().some((z) => z.address === a)).length;
    all.checked = n > 0 && k === n;
    all.indeterminate = k > 0 && k < n;
    count.textContent = `${k} of ${n} selected${ctx.connection ? "" : " (sign in to claim them)"}`;
    start.disabled = k === 0 || !!running || !ctx.connection;
    for (const [a, box] of boxes) {
      if (box.isConnected) box.checked = selected.has(a);
      else boxes.delete(a);
    }
  };
  all.addEventListener("change", () => {
    for (const z of zaps()) {
      if (all.checked) selected.add(z.address);
      else selected.delete(z.address);
    }
    sync();
  });
  const toggle = (address) => {
    if (selected.has(address)) selected.delete(address);
    else selected.add(address);
    sync();
  };
  /** The table's selection cell for `address` (a click on it does not open the Zap). */
  const cell = (address) => {
    const box = el("input", { type: "checkbox", class: "batch-select", "data-address": address, "aria-label": `Select ${address}`, tabindex: "-1" });
    box.checked = selected.has(address);
    box.addEventListener("change", () => toggle(address));
    boxes.set(address, box);
    const td = el("td", { class: "select" }, box);
    td.addEventListener("click", (ev) => ev.stopPropagation());
    return td;
  };
  const headerCell = () => el("th", { scope: "col", class: "select" }, all);

  // ---- Organizations and sites
  const drawOrgs = () => {
    const keep = org.value;
    org.replaceChildren(...targets().filter((t) => t.claim.allowed)
      .map((t) => el("option", { value: t.organization.id }, t.organization.name)));
    if ([...org.options].some((o) => o.value === keep)) org.value = keep;
    drawSites();
  };
  let sites = [];
  const drawSites = () => {
    const keep = site.value;
    site.replaceChildren(...sites.filter((s) => s.org_id === org.value).map((s) => el("option", { value: s.id }, s.name)));
    if ([...site.options].some((o) => o.value === keep)) site.value = keep;
  };
  org.addEventListener("change", drawSites);
  provision.addEventListener("change", async () => {
    template.hidden = !provision.checked;
    if (!provision.checked) return;
    try {
      sites = unwrap(await commands.getSites("network")).data ?? [];
    } catch (err) {
      say(err.message, true);
    }
    drawSites();
  });
  const ruleRow = (r) => {
    const input = (cls, label, value) => el("input", { type: "text", class: cls, "aria-label": label, value, spellcheck: "false" });
    const remove = el("button", { type: "button", class: "btn btn-quiet" }, "Remove");
    const row = el("div", { class: "inline-form batch-rule" },
      input("rule-profile", "Device profile", r.profile), el("span", {}, "→"),
      input("rule-type", "Device type", r.device_type), input("rule-name", "Device name", r.name),
      input("rule-ders", "DERs as name:type, …", r.ders), remove);
    remove.addEventListener("click", () => row.remove());
    return row;
  };
  rules.append(ruleRow(FIRST_RULE));
  addRule.addEventListener("click", () => rules.append(ruleRow({ profile: "", device_type: "", name: "{serial} {sn}", ders: "" })));
  const readTemplate = () => {
    const out = [];
    for (const row of rules.querySelectorAll(".batch-rule")) {
      const v = (cls) => row.querySelector(`.${cls}`).value;
      const ders = parseDers(v("rule-ders"));
      if (ders.error) return { error: ders.error };
      out.push({ profile: v("rule-profile"), device_type: v("rule-type"), name: v("rule-name"), ders: ders.ders });
    }
    return { template: { site_id: site.value, rules: out } };
  };

  // ---- Results
  const drawResults = () => {
    const rows = [...results.values()];
    retryFailed.hidden = !rows.some(retryable) || !!running;
    if (rows.length === 0) {
      resultsBox.replaceChildren();
      return;
    }
    resultsBox.replaceChildren(el("table", { class: "table", id: "batch-table", "aria-label": "Batch results" },
      el("thead", {}, el("tr", {}, ...["Zap", "Result", ""].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows.map((r) => {
        const actions = el("td", {});
        if (r.working || r.pending) actions.append("");
        else if (rowState(r) === "needs_transfer") {
          const move = el("button", { type: "button", class: "btn btn-secondary batch-move" }, "Move");
          const skip = el("button", { type: "button", class: "btn btn-quiet batch-skip" }, "Skip");
          move.addEventListener("click", async () => {
            const c = r.outcome.claim;
            const yes = await confirmDialog({ title: `Move this Zap from ${c.from.org_name}?`, message: c.message, confirm: `Move to ${orgName(r.org_id)}` });
            if (yes) run([r.address], r.org_id, true, r.template);
          });
          skip.addEventListener("click", () => {
            results.set(r.address, { ...r, skipped: r.outcome.claim.from.org_name });
            drawResults();
          });
          actions.append(move, " ", skip);
        } else if (retryable(r) && !running) {
          const retry = el("button", { type: "button", class: "btn btn-secondary batch-retry" }, "Retry");
          retry.addEventListener("click", () => run([r.address], r.org_id, false, r.template));
          actions.append(retry);
        }
        const state = r.pending ? "waiting" : r.working ? "working" : rowState(r);
        const text = { waiting: "Waiting…", working: "Claiming…" }[state] ?? rowText(r, orgName);
        return el("tr", { "data-address": r.address, "data-state": state },
          el("td", { class: "mono" }, r.serial ?? zaps().find((z) => z.address === r.address)?.serial ?? r.address),
          el("td", { class: "batch-result" }, text),
          actions);
      }))));
  };

  // ---- Running a batch (all selected, the failed ones, or one row)
  const run = async (addresses, orgId, confirmTransfer, tmpl) => {
    if (running || addresses.length === 0) return;
    const id = `batch-${++batchSeq}`;
    running = id;
    sync();
    say("");
    bar.value = 0;
    barText.textContent = `0 of ${addresses.length} done`;
    progressRow.dataset.active = "true";
    const before = new Map(addresses.map((a) => [a, results.get(a)]));
    for (const a of addresses) results.set(a, { address: a, serial: before.get(a)?.serial ?? null, outcome: { status: "cancelled" }, devices: [], pending: true, org_id: orgId, template: tmpl });
    drawResults();
    const channel = new Channel((u) => {
      if (running !== id) return;
      if (u.event === "working") {
        const r = results.get(u.address);
        if (r) results.set(u.address, { ...r, pending: false, working: true });
      } else if (u.event === "ended") {
        results.set(u.row.address, { ...u.row, org_id: orgId, template: tmpl });
        bar.value = u.total ? u.done / u.total : 1;
        barText.textContent = `${u.done} of ${u.total} done`;
        if (u.row.outcome.status === "done") changed(u.row.address);
      }
      drawResults();
    });
    try {
      const report = unwrap(await commands.startBatchClaim(
        { addresses, org_id: orgId, confirm_transfer: confirmTransfer, provision: tmpl }, id, channel));
      for (const row of report.rows) results.set(row.address, { ...row, org_id: orgId, template: tmpl });
      const rows = report.rows;
      const failed = rows.filter(retryable).length;
      const ask = rows.filter((r) => rowState(r) === "needs_transfer").length;
      say(`${report.cancelled ? "Cancelled" : "Done"}: ${rows.length - failed - ask} of ${rows.length} in ${orgName(orgId)}` +
        `${failed ? `, ${failed} failed` : ""}${ask ? `, ${ask} waiting for your confirmation` : ""} (${(report.elapsed_ms / 1000).toFixed(1)} s).`, failed > 0);
    } catch (err) {
      // Refused as a whole (nothing was sent): the rows go back to how they were.
      for (const [a, row] of before) {
        if (row) results.set(a, row);
        else results.delete(a);
      }
      if (!err.handled) say(err.message, true);
    } finally {
      running = null;
      progressRow.dataset.active = "false";
      sync();
      drawResults();
    }
  };
  start.addEventListener("click", () => {
    const addresses = zaps().map((z) => z.address).filter((a) => selected.has(a));
    if (!org.value) {
      say("Choose the organization to claim into (one where your role lets you claim).", true);
      return;
    }
    let tmpl = null;
    if (provision.checked) {
      const t = readTemplate();
      if (t.error) {
        say(t.error, true);
        return;
      }
      tmpl = t.template;
    }
    run(addresses, org.value, false, tmpl);
  });
  cancel.addEventListener("click", () => {
    if (running) commands.cancelBatchClaim(running).catch((err) => ctx.toast(err));
  });
  retryFailed.addEventListener("click", () => {
    // Grouped by the batch each came from (its organization and template).
    const failed = [...results.values()].filter(retryable);
    const same = failed.filter((r) => r.org_id === failed[0]?.org_id && r.template === failed[0]?.template);
    if (same.length) run(same.map((r) => r.address), same[0].org_id, false, same[0].template);
  });

  sync();
  return { node, cell, headerCell, toggle, sync, targetsChanged: drawOrgs };
}
