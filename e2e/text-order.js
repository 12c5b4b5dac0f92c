// Which functions of a binary the pages a process touched hold: the pure part of
// e2e/startup-order.mjs (unit-tested in text-order.test.js).

const PAGE = 4096;

/** The executable LOAD segment from `readelf -lW` output: its file offset, address and size. */
export function textSegment(readelf) {
  for (const line of readelf.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== "LOAD" || !f.slice(6, -1).includes("E")) continue;
    return { offset: Number(f[1]), vaddr: Number(f[2]), size: Number(f[4]) };
  }
  throw new Error("no executable LOAD segment in readelf's output");
}

/** Functions with a size from `nm -S --defined-only` output: { addr, size, name }, by address. */
export function functions(nm) {
  const out = [];
  for (const line of nm.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 4 || !"tTwW".includes(f[2])) continue;
    const size = parseInt(f[1], 16);
    if (size > 0) out.push({ addr: parseInt(f[0], 16), size, name: f[3] });
  }
  return out.sort((a, b) => a.addr - b.addr);
}

/**
 * The names of the functions that share a page with `present` (file offsets of pages found
 * resident), in address order, each once, and their total size. A function is kept when any page
 * it spans was touched: at page granularity its neighbours on that page come along.
 */
export function touchedFunctions(segment, fns, present) {
  const pages = new Set();
  for (const offset of present) {
    if (offset + PAGE <= segment.offset || offset >= segment.offset + segment.size) continue;
    pages.add(Math.floor((offset - segment.offset + segment.vaddr) / PAGE));
  }
  const names = [];
  const seen = new Set();
  let bytes = 0;
  for (const { addr, size, name } of fns) {
    if (seen.has(name)) continue;
    for (let p = Math.floor(addr / PAGE); p <= Math.floor((addr + size - 1) / PAGE); p++) {
      if (pages.has(p)) {
        seen.add(name);
        names.push(name);
        bytes += size;
        break;
      }
    }
  }
  return { names, bytes, pages: pages.size };
}
