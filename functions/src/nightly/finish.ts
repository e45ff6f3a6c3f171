import { Timestamp } from "firebase-admin/firestore";
import { logNightlyRunFinished } from "../shared/logs";
import type { NightlyDeps } from "./deps";
import { parseState, type RunState } from "./state";

/**
 * Closes the run once everything is queued and every planned show is done: records the outcome and
 * duration and moves `lastWindowEnd`, so the next night starts where this one ended. A transaction,
 * because the last two workers may finish together; only one of them closes the run.
 */
export async function finishRunIfComplete(deps: NightlyDeps, runId: string): Promise<boolean> {
  const finished = await deps.db.runTransaction(async (tx): Promise<RunState | null> => {
    const run = parseState(await tx.get(deps.stateRef)).run;
    if (!run || run.id !== runId || run.phase !== "dispatched" || run.showsDone < run.showsTotal) return null;
    const now = deps.clock();
    const durationMs = now.getTime() - run.startedAt.toMillis();
    tx.update(deps.stateRef, {
      "run.phase": "finished",
      "run.outcome": "succeeded",
      "run.finishedAt": Timestamp.fromDate(now),
      "run.durationMs": durationMs,
      lastWindowEnd: run.window.end,
    });
    return { ...run, durationMs };
  });
  if (!finished) return false;
  const { counts } = finished;
  logNightlyRunFinished({
    runId,
    outcome: "succeeded",
    showsPlanned: counts.showsPlanned,
    seasonsRefreshed: counts.seasonsRefreshed,
    documentsRead: counts.documentsRead,
    documentsUpdated: counts.documentsUpdated,
    tmdbCalls: counts.tmdbCalls,
    failures: counts.failures,
    durationMs: finished.durationMs ?? 0,
  });
  return true;
}
