// A fetch with a progress bar and Cancel, one at a time (the chart and What-if views): starting
// one cancels the one in flight, and an older one's progress and answer are ignored.
import { el } from "./dom.js";
import { Channel } from "./host.js";

let seq = 0;

/**
 * `prefix` names the request ids and the elements (`${prefix}-progress`, `-progress-text`,
 * `-cancel`); `cancel(id)` is the backend's cancel command; `toast` reports a failed Cancel click.
 */
export function fetchProgress({ prefix, label, cancel, toast }) {
  const bar = el("progress", { id: `${prefix}-progress`, max: "1", value: "0", "aria-label": label });
  const text = el("span", { class: "progress-text", id: `${prefix}-progress-text`, "aria-live": "polite" });
  const button = el("button", { type: "button", class: "btn btn-quiet", id: `${prefix}-cancel` }, "Cancel");
  const row = el("div", { class: "chart-progress", "data-active": "false" }, bar, text, button);
  let inflight = null;
  const stop = (report) => { if (inflight) cancel(inflight).catch(report); };
  button.addEventListener("click", () => stop(toast));
  return {
    row,
    /** A new request: its id, the channel for its progress, and whether it is still the current one. */
    begin() {
      stop(() => {});
      const id = `${prefix}-${++seq}`;
      inflight = id;
      bar.value = 0;
      text.textContent = "";
      const mine = () => inflight === id;
      const channel = new Channel((p) => {
        if (!mine()) return;
        if (p.fraction < 1) row.dataset.active = "true";
        bar.value = p.fraction;
        text.textContent = p.what;
      });
      return { id, channel, mine };
    },
    /** Request `id` ended: hides the bar if it was the current one; whether it was. */
    end(id) {
      if (inflight !== id) return false;
      inflight = null;
      row.dataset.active = "false";
      return true;
    },
    /** Leaving the view: cancels what is in flight. */
    leave() {
      stop(() => {});
      inflight = null;
    },
  };
}
