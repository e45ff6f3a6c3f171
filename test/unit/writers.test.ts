import { join } from "node:path";
import { findWrites, ownedUnit, type FoundWrite } from "../../tools/analysis/firestoreWrites";
import { functionsSrc, sourceFiles } from "../../tools/analysis/sourceFiles";

/**
 * One writer module per collection: every Firestore write in functions/src, found by reading the code
 * (test/support/firestoreWrites.ts), grouped by the collection it writes (or the single named document,
 * e.g. `users/{id}/library/summary`), must come from one module (the first folder under functions/src:
 * `cache/` owns `tmdb_cache`, `tracking/` the watch state and plays, …). Another module that needs a
 * write calls the owner. The table is printed (`npx jest test/unit/writers.test.ts --selectProjects unit`).
 */

/**
 * Writes whose reference the analysis cannot follow (a property of a deps object, a snapshot a function
 * is handed), with what they write, checked by hand. A new untraced write fails the test until it is
 * written so it can be followed or listed here.
 */
const UNTRACED: Record<string, string> = {
  "cache/lock.ts snap.ref": "tmdb_cache",
  "cache/lock.ts lease.ref": "tmdb_cache",
  "cache/lock.ts ref": "tmdb_cache",
  "cache/operations.ts snap.ref": "tmdb_cache",
  "nightly/finish.ts deps.stateRef": "ops/nightly_reenrich",
  "nightly/planner.ts deps.stateRef": "ops/nightly_reenrich",
  "nightly/prepareShow.ts deps.stateRef": "ops/nightly_reenrich",
  "nightly/planner.ts snap.ref": "nightly_work",
  "nightly/prepareShow.ts ref": "nightly_work",
  "playback/unwatch.ts doc.ref": "users/{id}/playback",
  "tracking/repository.ts snap.ref": "users/{id}/movie_tracking",
  "tracking/repository.ts doc.ref": "users/{id}/history",
  "tracking/repository.ts ref": "users/{id}/episode_tracking",
  "webhooks/secrets.ts secret.ref": "webhook_secrets",
  // Account and profile deletion (CONTRACT §9) owns deleting a whole users/{id} tree, chunk by chunk.
  "households/accountDeletion.ts doc.ref": "users",
};

/** Collections whose single owner is work in progress elsewhere; empty when every collection has one. */
const PENDING_OWNER: Record<string, string> = {};

/** `tmdb_cache/tv/seasons/{id}` and friends are one collection tree owned by `cache/`. */
const unitOf = (path: string) => (path.startsWith("tmdb_cache") ? "tmdb_cache" : ownedUnit(path));

function writerTable(writes: FoundWrite[]): { table: Map<string, Map<string, string[]>>; untraced: string[] } {
  const table = new Map<string, Map<string, string[]>>();
  const untraced: string[] = [];
  for (const write of writes) {
    const file = write.where.split(":")[0];
    const unit = write.path !== null ? unitOf(write.path) : UNTRACED[`${file} ${write.reference}`];
    if (unit === undefined) {
      untraced.push(`${write.where}: ${write.method} on \`${write.reference}\``);
      continue;
    }
    const modules = table.get(unit) ?? new Map<string, string[]>();
    modules.set(write.module, [...(modules.get(write.module) ?? []), write.where]);
    table.set(unit, modules);
  }
  return { table, untraced };
}

describe("one writer module per collection", () => {
  const { table, untraced } = writerTable(
    findWrites(
      sourceFiles().map((file) => join(functionsSrc, file)),
      functionsSrc,
    ),
  );

  it("follows every write to its collection, or has it listed by hand", () => {
    expect(untraced).toEqual([]);
  });

  it("finds the writes it should (the analysis itself can fail)", () => {
    expect([...(table.get("users/{id}/episode_tracking")?.keys() ?? [])]).toEqual(["tracking"]);
    expect([...(table.get("tmdb_cache")?.keys() ?? [])]).toEqual(["cache"]);
    expect(table.get("users/{id}/devices")?.get("library")?.length).toBeGreaterThanOrEqual(3);
  });

  it("has one module writing each collection (prints the table)", () => {
    const rows = [...table].sort(([a], [b]) => a.localeCompare(b));
    // Printed past Jest's `silent` (jest.config.js), which swallows console output.
    process.stdout.write(
      [
        "collection (or document) → writer module: files",
        ...rows.map(
          ([unit, modules]) =>
            `${unit} → ${[...modules].map(([m, w]) => `${m}: ${[...new Set(w.map((x) => x.split(":")[0]))].join(", ")}`).join(" | ")}`,
        ),
      ].join("\n") + "\n",
    );
    const shared = rows
      .filter(([unit, modules]) => modules.size > 1 && PENDING_OWNER[unit] === undefined)
      .map(([unit, modules]) => `${unit}: ${[...modules.keys()].join(", ")}`);
    expect(shared).toEqual([]);
  });
});
