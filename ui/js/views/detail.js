// What the detail views (organization, site, device) share: the frame — crumbs, the title with
// the view's actions, the freshness mark and the body, loaded store-first — the panels in the
// body, and the Rename and Delete actions each offers per your role.
import { el } from "../dom.js";
import { unwrap } from "../result.js";
import { storeFirst } from "../freshness.js";
import { confirmDialog, formDialog } from "../dialogs.js";
import { actionButton } from "../actions.js";

/**
 * @typedef {{ box: HTMLElement, title: HTMLElement,
 *             crumbs: (...links: Node[]) => void, actions: (...nodes: Node[]) => void }} DetailFrame
 */

/**
 * Draws the frame into `main`, then loads `fetch(source)` store-first and calls `draw` with each
 * answer (cached, then fresh). `lede` goes under the title, `slot` above the body (the site's live
 * power flow), both kept across redraws.
 * @param {HTMLElement} main
 * @param {any} ctx
 * @param {{ id: string, title: string, crumbs: Node[], actions?: Node[], lede?: HTMLElement, slot?: HTMLElement,
 *           empty: string, fetch: (source: "cache"|"network") => Promise<any>,
 *           draw: (view: any, frame: DetailFrame) => void }} o
 */
export async function detailView(main, ctx, { id, title, crumbs, actions = [], lede, slot, empty, fetch, draw }) {
  const crumbsLine = el("p", { class: "crumbs" });
  const heading = el("h1", { id: `${id}-title` }, title);
  const actionsBox = el("div", { class: "view-actions", id: `${id}-actions` }, ...actions);
  const mark = el("p", { class: "fresh", id: "fresh-mark", "aria-live": "polite" });
  const box = el("div", { class: "reserve" });
  /** @type {DetailFrame} */
  const frame = {
    box,
    title: heading,
    crumbs: (...links) => crumbsLine.replaceChildren(...links.flatMap((link, i) => (i ? [" · ", link] : [link]))),
    actions: (...nodes) => actionsBox.replaceChildren(...nodes),
  };
  frame.crumbs(...crumbs);
  main.append(crumbsLine, el("div", { class: "view-head" }, heading, actionsBox), ...[lede, mark, slot, box].filter(Boolean));
  await storeFirst({ box, mark, ctx, empty, fetch, draw: (view) => draw(view, frame) });
}

/** A titled panel of the body: `<section id>` labelled by its `<h2 id="{id}-h">`. */
export function panel(id, heading, ...children) {
  return el("section", { class: "panel", id, "aria-labelledby": `${id}-h` }, el("h2", { id: `${id}-h` }, heading), ...children);
}

/**
 * "Rename": a dialog with the current name; `rename(name)` runs the command (its error shows in
 * the dialog), then the view redraws.
 * @param {any} ctx
 * @param {{ id: string, what: string, name: string, allowed: { allowed: boolean, reason: string | null },
 *           rename: (name: string) => Promise<any> }} o
 */
export function renameAction(ctx, { id, what, name, allowed, rename }) {
  return actionButton({
    id, label: "Rename", allowed,
    onClick: async () => {
      const done = await formDialog({
        title: `Rename ${what}`, submitLabel: "Rename",
        fields: [{ name: "name", label: "Name", value: name, required: true }],
        submit: async (v) => { unwrap(await rename(v.name)); return true; },
      });
      if (done) ctx.refresh();
    },
  });
}

/**
 * "Delete …": asks first, saying what is lost (`message`), then `remove()` runs the command and
 * the window goes to `then` (the parent's view); a failure is a toast.
 * @param {any} ctx
 * @param {{ id: string, label: string, name: string, message: string,
 *           allowed: { allowed: boolean, reason: string | null }, remove: () => Promise<any>, then: string }} o
 */
export function deleteAction(ctx, { id, label, name, message, allowed, remove, then }) {
  return actionButton({
    id, label, danger: true, allowed,
    onClick: async () => {
      const ok = await confirmDialog({ title: `Delete ${name}?`, message, confirm: label });
      if (!ok) return;
      try {
        unwrap(await remove());
        ctx.go(then);
      } catch (err) {
        ctx.toast(err);
      }
    },
  });
}
