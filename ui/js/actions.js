// Role-aware action buttons: allowed ones act; the others stay visible but disabled, with the
// reason beside them (a tooltip alone is invisible to keyboard users).
import { el } from "./dom.js";

let reasonSeq = 0;

/**
 * @param {{ id: string, label: string, allowed: { allowed: boolean, reason: string | null },
 *           onClick: () => void, danger?: boolean }} o
 * @returns {HTMLElement}
 */
export function actionButton({ id, label, allowed, onClick, danger = false }) {
  const button = el("button", { type: "button", class: danger ? "btn btn-danger" : "btn btn-secondary", id }, label);
  if (allowed.allowed) {
    button.addEventListener("click", onClick);
    return button;
  }
  // aria-disabled (not disabled) keeps it focusable, so the reason can be reached and read.
  const reasonId = `why-${id}-${++reasonSeq}`;
  button.setAttribute("aria-disabled", "true");
  button.setAttribute("aria-describedby", reasonId);
  button.dataset.reason = allowed.reason ?? "";
  return el("span", { class: "action-denied" }, button, el("span", { class: "why", id: reasonId }, allowed.reason ?? "Not allowed."));
}
