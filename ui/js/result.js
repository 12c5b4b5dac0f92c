// Commands answer `{ status: "ok", data }` or `{ status: "error", error: { code, message } }`.
// unwrap() turns the error arm into a thrown AppError so views can use try/catch. Every command
// result goes through it, so it is also the one place a refused session is noticed.

/**
 * The error codes the window acts on differently: the same closed set as the core's `ErrorKind`
 * (crates/novadesk-core/src/error.rs), plus `failed`, which is shown as its message: in a toast,
 * or beside the form that failed.
 */
export const ErrorCode = Object.freeze({
  /** The session is gone: unwrap() hands it to the sign-in handler (the sign-in view, with the reason). */
  SIGN_IN_REQUIRED: "sign_in_required",
  /** The environment cannot be reached: cached data stays marked "offline"; the banner says it, no toast. */
  OFFLINE: "offline",
  /** The user cancelled (a chart fetch or an export): a quiet note, no error. */
  CANCELLED: "cancelled",
});

export class AppError extends Error {
  /** @param {{ code: string, message: string }} envelope */
  constructor(envelope) {
    super(envelope?.message ?? "Something went wrong.");
    this.code = envelope?.code ?? "failed";
    /** Set once the sign-in handler has taken care of it: nothing else needs to show it. */
    this.handled = false;
  }
}

/** @type {((reason: string) => boolean) | null} */
let signInRequired = null;

/**
 * Where a refused session goes (app.js: the sign-in view with the reason). The handler returns
 * false when it leaves the error to the caller to show.
 */
export function onSignInRequired(handler) {
  signInRequired = handler;
}

/** @template T @param {{status: "ok", data: T} | {status: "error", error: any}} result @returns {T} */
export function unwrap(result) {
  if (result && result.status === "ok") return result.data;
  const err = new AppError(result?.error);
  if (err.code === ErrorCode.SIGN_IN_REQUIRED && signInRequired) {
    err.handled = signInRequired(err.message) !== false;
  }
  throw err;
}
