// The Installer view's "Report" panel for the open Zap: make the commissioning report (the Zap
// signs its digest; JSON plus a printable HTML page saved where the installer picks), and verify
// a report file — chosen in the open dialog or typed as a path — each check green or red with the
// sentence that says what does not match.
import { el } from "../dom.js";
import { commands } from "../bindings.js";
import { unwrap, ErrorCode } from "../result.js";
import { panel } from "./detail.js";

/** A check's name for people. */
export const CHECK_NAMES = Object.freeze({
  readable: "A commissioning report",
  digest: "Unchanged since signing",
  signer: "Signed by this gateway's Zap",
  signature: "Signature valid",
  platform_key: "Key belongs to the gateway",
});

/** The health-chain colour a check's status shows as. */
export function checkColour(status) {
  return { passed: "green", failed: "red" }[status] ?? "unchecked";
}

/** The verdict line above the checks. */
export function verdictText(v) {
  if (v.ok) {
    const platform = v.checks.find((c) => c.check === "platform_key");
    const also = platform?.status === "passed" ? " and the platform holds its key" : "";
    return `The report verifies: signed by ${v.serial} itself${also}.`;
  }
  const failed = v.checks.filter((c) => c.status === "failed").length;
  return `The report does not verify: ${failed} check${failed === 1 ? "" : "s"} failed.`;
}

/**
 * The panel.
 * @param {any} ctx
 * @param {string} address
 * @returns {HTMLElement}
 */
export function reportPanel(ctx, address) {
  const made = el("p", { class: "field-msg", id: "report-made", role: "status" });
  const makeButton = el("button", { type: "button", class: "btn", id: "report-make" }, "Make the commissioning report");
  const makeNote = ctx.connection
    ? el("p", { class: "empty" }, "The Zap signs the report's SHA-256 digest; saved as JSON with a printable HTML page.")
    : el("p", { class: "empty", id: "report-signin" }, "Making a report needs a sign-in (it lists what the platform has for this gateway). Verifying does not.");
  makeButton.disabled = !ctx.connection;
  makeButton.addEventListener("click", async () => {
    makeButton.disabled = true;
    made.className = "field-msg";
    made.textContent = "Gathering the facts and asking the Zap to sign…";
    try {
      const r = unwrap(await commands.makeReport(address));
      made.replaceChildren(`Signed by ${r.serial} (digest ${r.digest.slice(0, 12)}…). Saved `,
        el("code", { id: "report-json-path" }, r.json_path), " and ", el("code", { id: "report-html-path" }, r.html_path), ".");
      pathInput.value = r.json_path;
    } catch (err) {
      if (err.handled) return;
      made.className = err.code === ErrorCode.CANCELLED ? "field-msg" : "field-msg is-error";
      made.textContent = err.message;
    } finally {
      makeButton.disabled = !ctx.connection;
    }
  });

  const pathInput = el("input", { type: "text", id: "report-path", placeholder: "/path/to/commissioning-report.json", "aria-label": "Report file path", spellcheck: "false" });
  const chooseButton = el("button", { type: "button", class: "btn btn-secondary", id: "report-choose" }, "Choose…");
  const verifyButton = el("button", { type: "button", class: "btn btn-secondary", id: "report-verify" }, "Verify a report");
  const verdict = el("p", { class: "field-msg", id: "report-verdict", role: "status" });
  const checks = el("ul", { class: "list health-chain", id: "report-checks", "aria-label": "Report checks" });

  chooseButton.addEventListener("click", async () => {
    try {
      const chosen = unwrap(await commands.chooseReportFile());
      if (chosen) {
        pathInput.value = chosen;
        verify();
      }
    } catch (err) {
      if (!err.handled) { verdict.className = "field-msg is-error"; verdict.textContent = err.message; }
    }
  });

  const verify = async () => {
    verifyButton.disabled = true;
    checks.replaceChildren();
    verdict.className = "field-msg";
    verdict.textContent = "Checking…";
    try {
      const v = unwrap(await commands.verifyReport({ path: pathInput.value, contents: null }));
      verdict.className = v.ok ? "field-msg is-ok" : "field-msg is-error";
      verdict.textContent = verdictText(v);
      checks.replaceChildren(...v.checks.map((c) => el("li", { "data-check": c.check, "data-status": checkColour(c.status) },
        el("span", { class: "dot", "aria-hidden": "true" }),
        el("span", { class: "name" }, CHECK_NAMES[c.check] ?? c.check),
        el("span", { class: "meta" }, `${c.status === "unchecked" ? "not checked" : c.status}: ${c.sentence}`))));
    } catch (err) {
      if (err.handled) return;
      verdict.className = "field-msg is-error";
      verdict.textContent = err.message;
    } finally {
      verifyButton.disabled = false;
    }
  };
  verifyButton.addEventListener("click", verify);
  pathInput.addEventListener("keydown", (e) => { if (e.key === "Enter") verify(); });

  return panel("zap-report", "Report",
    el("div", { class: "inline-form" }, makeButton), makeNote, made,
    el("div", { class: "inline-form" }, pathInput, chooseButton, verifyButton), verdict, checks);
}
