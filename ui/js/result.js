// Commands answer `{ status: "ok", data }` or `{ status: "error", error: { code, message } }`.
// unwrap() turns the error arm into a thrown AppError so views can use try/catch.

export class AppError extends Error {
  /** @param {{ code: string, message: string }} envelope */
  constructor(envelope) {
    super(envelope?.message ?? "Something went wrong.");
    this.code = envelope?.code ?? "failed";
  }
}

/** @template T @param {{status: "ok", data: T} | {status: "error", error: any}} result @returns {T} */
export function unwrap(result) {
  if (result && result.status === "ok") return result.data;
  throw new AppError(result?.error);
}
