// Modal dialogs: a confirmation for destructive actions and a small form (names, members).
// `showModal()` makes the rest of the window inert, so focus stays inside; Escape cancels.
import { el } from "./dom.js";

function mount(dialog) {
  document.body.append(dialog);
  const opener = document.activeElement;
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  });
  dialog.showModal();
}

/**
 * Ask before a destructive action. Resolves true only for the confirm button.
 * @param {{ title: string, message: string, confirm: string }} o
 */
export function confirmDialog({ title, message, confirm }) {
  return new Promise((resolve) => {
    const ok = el("button", { type: "button", class: "btn btn-danger", id: "confirm-ok" }, confirm);
    const cancel = el("button", { type: "button", class: "btn btn-quiet", id: "confirm-cancel" }, "Cancel");
    const dialog = el("dialog", { class: "dialog", id: "confirm-dialog", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-message" },
      el("h2", { id: "confirm-title" }, title),
      el("p", { id: "confirm-message" }, message),
      el("div", { class: "actions" }, cancel, ok));
    let answer = false;
    ok.addEventListener("click", () => { answer = true; dialog.close(); });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => resolve(answer));
    mount(dialog);
    // The safe choice has focus: Enter on an unread dialog does not delete.
    cancel.focus();
  });
}

/**
 * A form in a dialog. `submit(values)` runs the action; if it throws, its message shows in the
 * dialog (fields stay filled) and the dialog stays open. Resolves with the action's result, or
 * null when cancelled.
 * @param {{ title: string, submitLabel: string, fields: Array<{ name: string, label: string, value?: string,
 *   required?: boolean, placeholder?: string, hint?: string, options?: string[] }>, submit: (v: Record<string,string>) => Promise<any> }} o
 */
export function formDialog({ title, submitLabel, fields, submit }) {
  return new Promise((resolve) => {
    const error = el("p", { class: "field-msg is-error", id: "dialog-error", role: "alert" });
    const form = el("form", { method: "dialog", id: "dialog-form" });
    for (const f of fields) {
      const id = `field-${f.name}`;
      const input = f.options
        ? el("select", { id, name: f.name }, ...f.options.map((o) => el("option", { value: o }, o)))
        : el("input", { id, name: f.name, type: "text", autocomplete: "off", spellcheck: "false" });
      if (f.value != null) input.value = f.value;
      if (f.placeholder) input.setAttribute("placeholder", f.placeholder);
      if (f.required) input.setAttribute("required", "");
      const parts = [el("label", { for: id }, f.label), input];
      if (f.hint) parts.push(el("span", { class: "field-msg" }, f.hint));
      form.append(el("div", { class: "field" }, ...parts));
    }
    const ok = el("button", { type: "submit", class: "btn", id: "dialog-submit" }, submitLabel);
    const cancel = el("button", { type: "button", class: "btn btn-quiet", id: "dialog-cancel" }, "Cancel");
    form.append(error, el("div", { class: "actions" }, cancel, ok));
    const dialog = el("dialog", { class: "dialog", id: "form-dialog", "aria-labelledby": "dialog-title" },
      el("h2", { id: "dialog-title" }, title), form);
    let result = null;
    cancel.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const values = Object.fromEntries(new FormData(form).entries());
      ok.disabled = true;
      error.textContent = "";
      try {
        result = await submit(values);
        dialog.close();
      } catch (err) {
        error.textContent = err?.message ?? String(err);
        ok.disabled = false;
      }
    });
    dialog.addEventListener("close", () => resolve(result));
    mount(dialog);
    form.querySelector("input, select")?.focus();
  });
}
