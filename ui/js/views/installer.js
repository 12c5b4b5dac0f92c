// The Installer view: find Zaps (announced by mDNS while the view is open, the Sandbox's own,
// a network scan, or one added by address), see them in one table (arrow keys move, Enter
// opens), check the open one link by link (refreshed every 10 s while shown) and claim it into
// one of your organizations, asking first when that moves it. Finding and checking need no
// sign-in; claiming does.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { Channel } from "../host.js";
import { unwrap } from "../result.js";
import { streamSlot } from "../stream-slot.js";
import { confirmDialog } from "../dialogs.js";
import { actionButton } from "../actions.js";
import { panel } from "./detail.js";
import { zapSetupPanels } from "./zap-setup.js";
import { provisionPanel } from "./zap-provision.js";
import { reportPanel } from "./zap-report.js";
import { zapBatch } from "./zap-batch.js";
import { journalPanel } from "./installer-journal.js";

/** How often the open Zap's health chain is checked again while shown. */
const HEALTH_EVERY_MS = 10_000;

/** What each link of the chain is, for a person. */
export const LINK_LABELS = Object.freeze({
  reachable: "This computer → Zap",
  wifi: "Wi-Fi",
  internet: "Internet",
  cloud: "Novacore",
  claimed: "Claimed",
  readings: "Readings",
});

/** The claim column: which of your organizations holds it, as far as you can know. */
export function claimText(zap) {
  if (zap.claimed_into) return zap.claimed_into.org_name;
  return zap.claim_known ? "not in your organizations" : "unknown";
}

/** How a row was found, for a person; a Zap whose mDNS announcement went says so. */
export function foundText(zap) {
  const how = { mdns: "mDNS", sweep: "Scan", manual: "Address", sandbox: "Sandbox" }[zap.found_by] ?? zap.found_by;
  return zap.gone ? `${how} — gone` : how;
}

/** Whether the Installer lists the Sandbox's own Zaps: its environment (signed in, or chosen) is the Sandbox. */
export function inSandbox(ctx) {
  return ctx.connection ? ctx.connection.environment_id === "sandbox" : ctx.signIn?.selected === "sandbox";
}

/** "-48 dBm, excellent", or what is known of it. */
export function signalText(zap) {
  const parts = [];
  if (zap.rssi != null) parts.push(`${zap.rssi} dBm`);
  if (zap.signal) parts.push(zap.signal);
  return parts.join(", ") || "—";
}

/** A scan form's port: empty → null (80); otherwise 1–65535, else a sentence to show. */
export function parsePort(text) {
  const t = text.trim();
  if (t === "") return { port: null };
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    return { error: "The port is a number from 1 to 65535; leave it empty for 80." };
  }
  return { port: n };
}

/** The scan's progress line: "12 of 254 addresses, 1 Zap found", at its end "Done: …." or "Cancelled: …." */
export function sweepText(u) {
  const found = `${u.found} Zap${u.found === 1 ? "" : "s"} found`;
  return u.done
    ? `${u.cancelled ? "Cancelled" : "Done"}: ${u.probed} of ${u.total} addresses, ${found}.`
    : `${u.probed} of ${u.total} addresses, ${found}`;
}

/** Which network scan the Scan form shows: its final update is the progress with `done` (also when cancelled). */
export const sweepSlot = () => streamSlot((u) => u.event === "progress" && u.done);

/**
 * One network scan in `slot` (a sweepSlot) as the Scan form shows it: each Zap found
 * (`on.found`), each count (`on.progress`), then its end, once: `on.done(text)` at its final
 * update, or `on.failed(err)` when the command refuses it. `call(channel)` asks for the scan.
 * It ends at the final update, not at the answer, which can come first (stream-slot.js): ending
 * there dropped the last Zaps found and left a count short of "Done".
 */
export async function runSweep(slot, id, call, on) {
  slot.start(id);
  const channel = new Channel((u) => {
    if (!slot.accept(id, u)) return;
    if (u.event === "found") {
      on.found(u.zap);
      return;
    }
    on.progress(u.total ? u.probed / u.total : 1, sweepText(u));
    if (u.done) on.done(sweepText(u));
  });
  try {
    unwrap(await call(channel));
  } catch (err) {
    // A refused scan sends no update (it is refused before its first): it ends here.
    if (slot.is(id)) {
      slot.end(id);
      on.failed(err);
    }
  }
}

let sweepSeq = 0;
let mdnsSeq = 0;

/** #installer */
export async function render(main, _params, ctx) {
  const state = { zaps: new Map(), selected: null, sweeps: sweepSlot(), timer: null, targets: [], mdns: `mdns-${++mdnsSeq}` };
  ctx.onLeave(() => {
    const sweep = state.sweeps.take();
    if (sweep) commands.cancelSweep(sweep).catch(() => {});
    commands.stopMdns(state.mdns).catch(() => {});
    state.mdns = null;
    clearInterval(state.timer);
  });

  // ---- Find: scan a network, or add one by address
  const network = el("input", { id: "scan-network", type: "text", autocomplete: "off", spellcheck: "false",
    placeholder: "This computer's networks" });
  const port = el("input", { id: "scan-port", type: "text", inputmode: "numeric", autocomplete: "off",
    placeholder: "80" });
  const scanButton = el("button", { type: "submit", class: "btn", id: "scan-start" }, "Scan network");
  const scanMsg = el("span", { class: "field-msg", id: "scan-msg", role: "status" });
  const progress = el("progress", { id: "scan-progress", max: "1", value: "0", "aria-label": "Scanning" });
  const progressText = el("span", { class: "progress-text", id: "scan-progress-text", "aria-live": "polite" });
  const cancel = el("button", { type: "button", class: "btn btn-quiet", id: "scan-cancel" }, "Cancel");
  const mdnsStatus = el("p", { class: "fresh", id: "mdns-status", "aria-live": "polite" });
  const progressRow = el("div", { class: "chart-progress", "data-active": "false" }, progress, progressText, cancel);
  const scanForm = el("form", { class: "inline-form", id: "scan-form" },
    el("label", { for: "scan-network" }, "Network"), network,
    el("label", { for: "scan-port" }, "Port"), port, scanButton, scanMsg);

  const address = el("input", { id: "add-address", type: "text", autocomplete: "off", spellcheck: "false",
    placeholder: "192.168.1.50 or zap.local" });
  const addMsg = el("span", { class: "field-msg", id: "add-msg", role: "status" });
  const addForm = el("form", { class: "inline-form", id: "add-form" },
    el("label", { for: "add-address" }, "Address"), address,
    el("button", { type: "submit", class: "btn btn-secondary", id: "add-zap" }, "Add by address"), addMsg);

  // ---- The table (with a selection for "Claim selected"), the open Zap
  const batch = zapBatch(ctx, { zaps: () => [...state.zaps.values()], targets: () => state.targets,
    changed: (addr) => refreshRow(addr) });
  const tableBox = el("div", { id: "zaps-box" });
  const detail = el("div", { id: "zap-detail" });

  main.append(el("h1", {}, "Installer"),
    el("p", { class: "lede" }, "Find the Zaps on this network, check each link from this computer to its readings in the cloud, and claim them into your organization."),
    panel("installer-find", "Find Zaps", mdnsStatus, scanForm, progressRow, addForm),
    panel("installer-zaps", "Zaps", tableBox),
    batch.node,
    (state.journal = journalPanel(ctx, { targets: () => state.targets, applied: () => { state.provision?.refresh(); if (state.selected) checkHealth(state.selected); } })).node,
    detail);

  const say = (node, text, isError = false) => {
    node.textContent = text;
    node.classList.toggle("is-error", isError);
  };

  // ---- Table
  const drawTable = () => {
    const zaps = [...state.zaps.values()];
    if (zaps.length === 0) {
      tableBox.replaceChildren(el("p", { class: "empty", id: "zaps-empty" },
        "No Zaps yet. Scan the network, or add one by its address."));
      return;
    }
    const hadFocus = tableBox.contains(document.activeElement) ? document.activeElement.dataset.address : null;
    const rows = zaps.map((z) => {
      const tr = el("tr", { tabindex: "0", "data-address": z.address, "data-found-by": z.found_by,
        "data-gone": String(!!z.gone), class: z.gone ? "is-gone" : "", "aria-selected": String(z.address === state.selected) },
        batch.cell(z.address),
        el("td", { class: "mono" }, z.serial ?? "—"),
        // A Zap's mDNS name is usually its serial: shown only when it says something more.
        el("td", {}, z.name && z.name !== z.serial ? z.name : "—"),
        el("td", {}, z.firmware ?? "—"),
        el("td", { class: "mono" }, z.address),
        el("td", {}, signalText(z)),
        el("td", {}, z.devices == null ? "—" : String(z.devices)),
        el("td", { "data-col": "claim" }, claimText(z)),
        el("td", { "data-col": "found" }, foundText(z)));
      tr.addEventListener("click", () => open(z.address));
      return tr;
    });
    const body = el("tbody", {}, ...rows);
    body.addEventListener("keydown", (ev) => {
      const at = rows.indexOf(document.activeElement);
      const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[ev.key];
      if (to != null) {
        ev.preventDefault();
        rows[Math.max(0, Math.min(rows.length - 1, to))].focus();
      } else if (ev.key === "Enter" && at >= 0) {
        ev.preventDefault();
        open(rows[at].dataset.address);
      } else if (ev.key === " " && at >= 0) {
        ev.preventDefault();
        batch.toggle(rows[at].dataset.address);
      }
    });
    tableBox.replaceChildren(el("table", { class: "table", id: "zap-table", "aria-label": "Zaps found" },
      el("thead", {}, el("tr", {}, batch.headerCell(), ...["Serial", "Name", "Firmware", "Address", "Wi-Fi signal", "Devices", "Claimed into", "Found by"]
        .map((h) => el("th", { scope: "col" }, h)))),
      body));
    if (hadFocus) rows.find((r) => r.dataset.address === hadFocus)?.focus();
    batch.sync();
  };
  const addRow = (zap) => {
    state.zaps.set(zap.address, zap);
    drawTable();
  };
  drawTable();

  // ---- mDNS: Zaps announcing themselves, while this view is open
  const browse = async () => {
    const id = state.mdns;
    const channel = new Channel((u) => {
      if (state.mdns !== id) {
        // Left before the browse had started (so the stop found nothing): stop it now.
        commands.stopMdns(id).catch(() => {});
        return;
      }
      if (u.event === "status") say(mdnsStatus, u.message);
      else if (u.event === "found") addRow(u.zap);
      else if (u.event === "unanswered") say(mdnsStatus, `${u.instance} announced itself but did not answer as a Zap: ${u.message}`, true);
      else if (u.event === "gone") {
        // Only the mDNS row goes: one found by a scan or typed is still there as far as we know.
        const zap = state.zaps.get(u.address);
        if (zap?.found_by === "mdns") addRow({ ...zap, gone: true });
      }
    });
    try {
      unwrap(await commands.watchMdns(id, channel));
    } catch (err) {
      if (state.mdns === id) say(mdnsStatus, err.message, true);
    }
  };
  browse();

  // ---- The Sandbox's own Zaps, listed on opening
  if (inSandbox(ctx)) {
    commands.sandboxZaps().then(unwrap).then((zaps) => {
      for (const zap of zaps) if (!state.zaps.has(zap.address)) addRow(zap);
    }).catch((err) => say(mdnsStatus, err.message, true));
  }

  // ---- Scan
  scanForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const p = parsePort(port.value);
    if (p.error) {
      say(scanMsg, p.error, true);
      port.focus();
      return;
    }
    const previous = state.sweeps.take();
    if (previous) commands.cancelSweep(previous).catch(() => {});
    const id = `sweep-${++sweepSeq}`;
    say(scanMsg, "");
    progress.value = 0;
    progressText.textContent = "Starting…";
    progressRow.dataset.active = "true";
    scanButton.disabled = true;
    // The final count (or why it could not scan) stays readable; the bar and Cancel go.
    const ended = () => {
      scanButton.disabled = false;
      progressRow.dataset.active = "false";
    };
    await runSweep(state.sweeps, id, (channel) => commands.sweepZaps(network.value.trim() || null, p.port, id, channel), {
      found: addRow,
      progress: (fraction, text) => {
        progress.value = fraction;
        progressText.textContent = text;
      },
      done: (text) => {
        ended();
        say(scanMsg, text);
      },
      failed: (err) => {
        ended();
        say(scanMsg, err.message, true);
        network.focus();
      },
    });
  });
  cancel.addEventListener("click", () => {
    const sweep = state.sweeps.current();
    if (sweep) commands.cancelSweep(sweep).catch((err) => ctx.toast(err));
  });

  // ---- Add by address
  addForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(addMsg, "Looking…");
    try {
      const zap = unwrap(await commands.inspectZap(address.value));
      addRow(zap);
      say(addMsg, `Added ${zap.serial ?? zap.address}.`);
      address.value = "";
      open(zap.address);
    } catch (err) {
      say(addMsg, err.message, true);
      address.focus();
    }
  });

  // ---- Claim targets: your organizations, with whether your role lets you claim into them
  const loadTargets = async () => {
    for (const source of ["cache", "network"]) {
      try {
        const fetched = unwrap(await commands.getClaimTargets(source));
        if (fetched.data) state.targets = fetched.data;
      } catch {
        // Offline or no answer: the cached list (if any) stays; the claim itself says why it fails.
      }
    }
  };
  // Signed out there is nothing to load: the claim panel says to sign in.
  const targetsLoaded = ctx.connection ? loadTargets() : Promise.resolve();
  targetsLoaded.then(batch.targetsChanged);

  // ---- The open Zap: health chain and claim
  const chainList = el("ul", { class: "list health-chain", id: "health-chain", "aria-label": "Health chain" });
  const advice = el("p", { class: "notice", id: "health-advice", hidden: "" });
  const checked = el("p", { class: "fresh", id: "health-checked", "aria-live": "polite" });
  const claimBox = el("div", { id: "claim-box" });
  const claimStatus = el("p", { class: "field-msg", id: "claim-status", role: "status" });

  const drawChain = (chain) => {
    chainList.replaceChildren(...chain.links.map((l) => el("li", { "data-link": l.link, "data-status": l.status },
      el("span", { class: "dot", "aria-hidden": "true" }),
      el("span", { class: "name" }, LINK_LABELS[l.link] ?? l.link),
      el("span", { class: "meta" }, `${l.status === "unchecked" ? "not checked" : l.status}: ${l.value}`))));
    advice.hidden = !chain.first_problem;
    advice.textContent = chain.first_problem ?? "";
    // The advice is the first red link's, else the first amber one's: its box takes that colour.
    advice.dataset.tone = chain.links.some((l) => l.status === "red") ? "red" : "amber";
    checked.textContent = `Checked at ${new Date().toLocaleTimeString()}`;
  };
  const checkHealth = async (addr) => {
    try {
      const chain = unwrap(await commands.checkZapHealth(addr));
      if (state.selected === addr) drawChain(chain);
    } catch (err) {
      if (state.selected === addr) {
        advice.hidden = false;
        advice.dataset.tone = "red";
        advice.textContent = err.message;
      }
    }
  };
  const refreshRow = async (addr) => {
    try {
      const fresh = unwrap(await commands.inspectZap(addr));
      // Read again by address, it is still the Zap found by mDNS, the Sandbox or a scan (and it answers).
      const known = state.zaps.get(addr);
      addRow(known ? { ...fresh, found_by: known.found_by, name: known.name ?? fresh.name } : fresh);
    } catch {
      // The health chain says what is wrong with it.
    }
  };

  const drawClaim = (zap) => {
    if (!ctx.connection) {
      claimBox.replaceChildren(el("p", { class: "empty", id: "claim-signin" },
        "Finding and checking this Zap need no sign-in; claiming it into an organization does. ",
        el("a", { href: "#welcome", id: "claim-signin-link" }, "Sign in to claim")));
      return;
    }
    const targets = state.targets;
    if (targets.length === 0) {
      claimBox.replaceChildren(el("p", { class: "empty", id: "claim-none" },
        "You are in no organization yet. Create one under Organizations, then claim the Zap into it."));
      return;
    }
    const select = el("select", { id: "claim-org", "aria-label": "Organization to claim into" },
      ...targets.map((t) => el("option", { value: t.organization.id }, t.organization.name)));
    const preferred = zap.claimed_into?.org_id ?? claimBox.querySelector("select")?.value;
    if (preferred && targets.some((t) => t.organization.id === preferred)) select.value = preferred;
    const buttonSlot = el("span", {});
    const drawButton = () => {
      const target = targets.find((t) => t.organization.id === select.value);
      buttonSlot.replaceChildren(actionButton({
        id: "claim-zap", label: "Claim", allowed: target.claim,
        onClick: () => claim(zap.address, target.organization),
      }));
    };
    select.addEventListener("change", drawButton);
    drawButton();
    claimBox.replaceChildren(el("div", { class: "inline-form" }, select, buttonSlot));
  };

  const nameOf = (orgId) => state.targets.find((t) => t.organization.id === orgId)?.organization.name ?? orgId;
  const claim = async (addr, org) => {
    // One claim at a time: a second click while the Zap signs would send it twice.
    const button = claimBox.querySelector("#claim-zap");
    if (button) button.disabled = true;
    say(claimStatus, `Claiming into ${org.name}…`);
    try {
      let result = unwrap(await commands.claimZap(addr, org.id, false));
      if (result.outcome === "needs_transfer") {
        const yes = await confirmDialog({
          title: `Move this Zap from ${result.from.org_name}?`,
          message: result.message,
          confirm: `Move to ${org.name}`,
        });
        if (!yes) {
          say(claimStatus, `Left in ${result.from.org_name}.`);
          return;
        }
        result = unwrap(await commands.claimZap(addr, org.id, true));
      }
      say(claimStatus, {
        claimed: () => `Claimed into ${nameOf(result.org_id)}.`,
        already_claimed: () => `Already in ${nameOf(result.org_id)}.`,
        transferred: () => `Moved into ${nameOf(result.org_id)}${result.from ? ` from ${result.from.org_name}` : ""}.`,
        needs_transfer: () => `Still in ${result.from.org_name}.`,
        queued: () => `Queued: Novacore cannot be reached. The Zap signed its claim; it is sent into ${nameOf(result.org_id)} when the cloud is back.`,
      }[result.outcome]());
      if (result.outcome === "queued") state.journal.refresh();
      if (result.outcome !== "needs_transfer") state.provision?.refresh();
    } catch (err) {
      if (!err.handled) say(claimStatus, err.message, true);
    } finally {
      if (button) button.disabled = false;
    }
    await refreshRow(addr);
    await checkHealth(addr);
  };

  const open = async (addr) => {
    const zap = state.zaps.get(addr);
    if (!zap) return;
    state.selected = addr;
    for (const tr of tableBox.querySelectorAll("tr[data-address]")) {
      tr.setAttribute("aria-selected", String(tr.dataset.address === addr));
    }
    say(claimStatus, "");
    chainList.replaceChildren(el("li", { class: "empty" }, "Checking…"));
    advice.hidden = true;
    checked.textContent = "";
    detail.replaceChildren(
      panel("zap-health", `Health of ${zap.serial ?? zap.address}`, checked, chainList, advice),
      // In the order of the journey on site: set the Zap up, claim it, provision its devices.
      // A device added or removed on the Zap is one more (or less) to provision.
      ...zapSetupPanels(addr, { changed: () => { refreshRow(addr); checkHealth(addr); state.provision?.refresh(); } }),
      panel("zap-claim", "Claim", claimBox, claimStatus),
      (state.provision = provisionPanel(ctx, addr)).node, reportPanel(ctx, addr));
    claimBox.replaceChildren(el("p", { class: "empty" }, "Loading your organizations…"));
    clearInterval(state.timer);
    state.timer = setInterval(() => {
      // Only while shown: the view was left (timer cleared) or another Zap opened.
      if (detail.isConnected && state.selected === addr) checkHealth(addr);
    }, HEALTH_EVERY_MS);
    await Promise.all([checkHealth(addr), targetsLoaded]);
    // The check refreshed who holds each gateway: the row follows, and the claim panel (drawn
    // once, after it) preselects the organization that holds the Zap.
    if (ctx.connection && state.selected === addr) await refreshRow(addr);
    if (state.selected === addr) drawClaim(state.zaps.get(addr) ?? zap);
  };
}
