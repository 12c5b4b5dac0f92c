// result.js: a refused session from any command goes to one handler; other errors are thrown as they are.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ErrorCode, onSignInRequired, unwrap } from "../result.js";

const refused = { status: "error", error: { code: "sign_in_required", message: "Sign in again." } };

test("a refused session reaches the sign-in handler once and is marked handled", () => {
  const reasons = [];
  onSignInRequired((why) => reasons.push(why));
  assert.throws(() => unwrap(refused), (err) => err.code === ErrorCode.SIGN_IN_REQUIRED && err.handled === true);
  assert.deepEqual(reasons, ["Sign in again."]);
  // Other codes are the caller's to show.
  assert.throws(() => unwrap({ status: "error", error: { code: "offline", message: "x" } }), (err) => err.code === "offline" && !err.handled);
  assert.deepEqual(reasons, ["Sign in again."]);
  onSignInRequired(null);
});

test("a handler that leaves it to the caller (the sign-in view itself) keeps it unhandled", () => {
  onSignInRequired(() => false);
  assert.throws(() => unwrap(refused), (err) => err.handled === false && err.message === "Sign in again.");
  onSignInRequired(null);
  assert.equal(unwrap({ status: "ok", data: 7 }), 7);
});
