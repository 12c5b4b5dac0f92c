import { test } from "node:test";
import assert from "node:assert/strict";
import { streamSlot } from "../stream-slot.js";

test("a stream's updates are shown until its final one, which ends it", () => {
  const slot = streamSlot((u) => u.last);
  slot.start("a");
  assert.equal(slot.accept("a", { last: false }), true);
  assert.equal(slot.current(), "a", "looking at the running stream does not end it");
  assert.equal(slot.accept("a", { last: true }), true);
  assert.equal(slot.accept("a", { last: false }), false);
  assert.equal(slot.current(), null);
});

test("a stream without a final update ends only when it is ended (its answer) or taken (a stop)", () => {
  const slot = streamSlot();
  slot.start("a");
  assert.equal(slot.accept("a", { stage: "sending" }), true);
  assert.equal(slot.accept("a", { stage: "reconnecting" }), true);
  slot.end("b");
  assert.equal(slot.is("a"), true, "ending another stream leaves this one");
  slot.end("a");
  assert.equal(slot.accept("a", { stage: "reconnecting" }), false);
  slot.start("c");
  assert.equal(slot.take(), "c");
  assert.equal(slot.accept("c", {}), false);
  assert.equal(slot.take(), null);
});
