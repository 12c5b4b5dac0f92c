// The Installer's "Waiting for the cloud" panel: the cloud steps (claims, provisionings) that
// waited in the installer's journal while Novacore could not be reached, each with where it
// stands — queued (replayed by itself when the cloud is back), done (what the platform did) or
// refused (retry, edit or drop: the installer decides; the edit form is journal-edit.js's).
// Polled while shown; hidden when empty.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap } from "../result.js";
import { countsText } from "../format.js";
import { panel } from "./detail.js";
import { journalEditForm } from "./journal-edit.js";

/** How often the panel looks at the journal while shown. */
const POLL_MS = 2_000;

/** Each item's state for a person. */
export const STATUS_TEXT = Object.freeze({
  queued: "Queued — waiting for the cloud",
  done: "Done",
  conflict: "Needs your decision",
});

/** The line under an item's title: the platform's result, or why it waits. */
export function detailText(item) {
  if (item.status === "done") return item.result ?? "Applied.";
  const tries = item.attempts ? ` (${item.attempts} ${item.attempts === 1 ? "try" : "tries"})` : "";
  return `${item.problem ?? "Sent when Novacore can be reached."}${tries}`;
}

function button(id, label, cls, onClick) {
  const b = el("button", { type: "button", id, class: cls }, label);
  b.addEventListener("click", onClick);
  return b;
}

/**
 * The panel. `ctx.onLeave` stops its polling; `refresh()` redraws now (after a claim or a
 * provisioning was queued); `applied()` is called when items became done since the last look
 * (what depends on them, e.g. the Provision panel, can refresh). `targets()`: the claim targets
 * (a refused claim's edit offers those you may claim into).
 * @returns {{ node: HTMLElement, refresh: () => Promise<void> }}
 */
export function journalPanel(ctx, { applied = () => {}, targets = () => [] } = {}) {
  let doneBefore = null;
  // The open edit form survives the panel's redraws (it is polled) while its item is refused.
  let editing = null;
  let last = [];
  let shown = { queued: -1, conflict: -1 };
  const list = el("ul", { class: "journal", id: "journal-items", "aria-label": "Cloud steps in the journal" });
  const summary = el("p", { id: "journal-summary", role: "status" });
  const msg = el("p", { class: "form-msg", id: "journal-msg", role: "status" });
  const node = panel("installer-journal", "Waiting for the cloud", summary, list, msg);
  node.hidden = true;

  const act = async (label, run) => {
    msg.textContent = `${label}…`;
    try {
      draw(unwrap(await run()));
      msg.textContent = "";
    } catch (err) {
      if (!err.handled) msg.textContent = err.message;
    }
  };

  const edit = (id) => {
    const form = journalEditForm(id, {
      targets,
      saved: (items) => { editing = null; draw(items); msg.textContent = ""; },
      closed: () => { editing = null; draw(last); },
    });
    editing = { id, form };
    draw(last);
  };

  const draw = (items) => {
    last = items;
    if (editing && !items.some((i) => i.id === editing.id && i.status === "conflict")) editing = null;
    const done = items.filter((i) => i.status === "done").length;
    if (doneBefore !== null && done > doneBefore) applied();
    doneBefore = done;
    node.hidden = items.length === 0;
    const queued = items.filter((i) => i.status === "queued").length;
    const conflict = items.filter((i) => i.status === "conflict").length;
    if (queued !== shown.queued || conflict !== shown.conflict) {
      shown = { queued, conflict };
      // The status bar's count, without waiting for its poll.
      document.dispatchEvent(new CustomEvent("journal-counts", { detail: shown }));
    }
    summary.textContent = countsText({ queued, conflict }) ||
      "Everything that waited for the cloud has been applied.";
    list.replaceChildren(...items.map((item) => {
      const buttons = item.status === "conflict" ? [
        button(`journal-retry-${item.id}`, "Retry", "", () => act("Retrying", () => commands.retryJournalItem(item.id))),
        button(`journal-edit-${item.id}`, "Edit", "", () => edit(item.id)),
        button(`journal-drop-${item.id}`, "Drop", "danger", () => act("Dropping", () => commands.dropJournalItem(item.id))),
      ] : [];
      return el("li", { id: `journal-item-${item.id}`, "data-status": item.status, "data-step": item.step },
        el("span", { class: "journal-title" }, item.title),
        el("span", { class: "journal-status" }, STATUS_TEXT[item.status] ?? item.status),
        el("p", { class: "journal-detail" }, detailText(item)),
        buttons.length && editing?.id !== item.id ? el("div", { class: "inline-form" }, ...buttons) : "",
        editing?.id === item.id ? editing.form : "");
    }));
  };

  const refresh = async () => {
    if (!ctx.connection) return;
    try {
      draw(unwrap(await commands.getInstallerJournal()));
    } catch (err) {
      if (!err.handled) msg.textContent = err.message;
    }
  };
  const timer = setInterval(() => { if (node.isConnected) refresh(); }, POLL_MS);
  ctx.onLeave(() => clearInterval(timer));
  refresh();
  return { node, refresh };
}
