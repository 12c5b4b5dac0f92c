// Unit test of e2e/text-order.js (no app needed): which functions the touched pages hold.
import { test } from "node:test";
import assert from "node:assert/strict";
import { functions, textSegment, touchedFunctions } from "./text-order.js";

const READELF = `
Program Headers:
  Type           Offset   VirtAddr           PhysAddr           FileSiz  MemSiz   Flg Align
  LOAD           0x000000 0x0000000000000000 0x0000000000000000 0x002d80 0x002d80 R   0x1000
  LOAD           0x002d80 0x0000000000003d80 0x0000000000003d80 0x006000 0x006000 R E 0x1000
  LOAD           0x008d80 0x000000000000ad80 0x000000000000ad80 0x000100 0x000200 RW  0x1000
`;

test("the executable segment is found and its offset and address read", () => {
  assert.deepEqual(textSegment(READELF), { offset: 0x2d80, vaddr: 0x3d80, size: 0x6000 });
  assert.throws(() => textSegment("no segments"), /no executable LOAD segment/);
});

test("only sized code symbols are functions, sorted by address", () => {
  const nm = [
    "0000000000004100 0000000000000040 T b",
    "0000000000003d80 0000000000000020 t a",
    "0000000000005000 0000000000000000 t empty",
    "000000000000ad80 0000000000000008 d data",
    "0000000000004200 W weak_without_size",
    "0000000000006000 0000000000000010 W weak",
  ].join("\n");
  assert.deepEqual(functions(nm).map((f) => f.name), ["a", "b", "weak"]);
});

test("functions on touched pages are kept in address order, a spanning one for any page it spans", () => {
  const segment = textSegment(READELF);
  const fns = [
    { addr: 0x3d80, size: 0x100, name: "start" }, // page 0x3000 (file page 0x2000)
    { addr: 0x4010, size: 0x20, name: "cold" }, // page 0x4000, untouched
    { addr: 0x4ff0, size: 0x1020, name: "spans" }, // pages 0x4000..0x6000; 0x6000 touched
    { addr: 0x7000, size: 0x40, name: "hot" }, // page 0x7000
    { addr: 0x7100, size: 0x40, name: "hot" }, // a second local copy of the same name: once
    { addr: 0x8000, size: 0x40, name: "after" }, // page 0x8000, untouched
  ];
  // File offsets of present pages: 0x2000 → 0x3000, 0x5000 → 0x6000, 0x6000 → 0x7000; 0x9000 is
  // past the segment (another mapping) and ignored.
  const got = touchedFunctions(segment, fns, [0x2000, 0x5000, 0x6000, 0x9000]);
  assert.deepEqual(got.names, ["start", "spans", "hot"]);
  assert.equal(got.bytes, 0x100 + 0x1020 + 0x40);
  assert.equal(got.pages, 3);
});
