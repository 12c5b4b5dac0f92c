// A modal confirmation for destructive actions: names what will happen, Escape or Cancel backs
// out, focus starts on Cancel (the safe choice) and returns to where it was.
import { el } from "./dom.js";

/**
 * @param {{ title: string, message: string, confirm: string, danger?: boolean }} opts
 * @returns {Promise<boolean>} true when the user confirmed
 */
export function confirmAction({ title, message, confirm, danger = true }) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const cancelBtn = el("button", { type: "button", class: "btn btn-secondary", id: "confirm-cancel" }, "Cancel");
    const okBtn = el("button", { type: "button", class: danger ? "btn btn-danger" : "btn", id: "confirm-ok" }, confirm);
    const dialog = el("dialog", { class: "confirm", id: "confirm-dialog", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-message" },
      el("h2", { id: "confirm-title" }, title),
      el("p", { id: "confirm-message" }, message),
      el("div", { class: "actions" }, cancelBtn, okBtn));
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      if (before instanceof HTMLElement) before.focus();
      resolve(answer);
    };
    cancelBtn.addEventListener("click", () => finish(false));
    okBtn.addEventListener("click", () => finish(true));
    // Escape fires "cancel" on a modal dialog.
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancelBtn.focus();
  });
}
