// The rows of `make bench`'s report from the node measurements, in crates/bench-report's format
// (one JSON list per bench in $NOVADESK_BENCH_ROWS; nothing is written without it).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * One row: `ours`/`peer` are [value, unit]; `better` is "lower" or "higher"; `goal` is
 * [text, limit-in-our-unit or null].
 */
export function row(area, measure, ours, better, command, { peer, goal, note } = {}) {
  return {
    area,
    measure,
    ours: { value: ours[0], unit: ours[1] },
    better,
    peer: peer ? { name: peer[0], figure: { value: peer[1][0], unit: peer[1][1] } } : null,
    goal: goal ? { text: goal[0], limit: goal[1] ?? null } : null,
    command,
    note: note ?? null,
  };
}

/** Writes `<bench>.json` into $NOVADESK_BENCH_ROWS, replacing this bench's earlier rows. */
export function record(bench, rows) {
  const dir = process.env.NOVADESK_BENCH_ROWS;
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${bench}.json`);
    writeFileSync(`${path}.tmp`, JSON.stringify(rows, null, 2));
    renameSync(`${path}.tmp`, path);
  } catch (e) {
    console.error(`bench rows: could not write ${bench}.json: ${e}`);
  }
}
