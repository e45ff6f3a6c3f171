import { createHash } from "node:crypto";
import { z } from "zod";
import { showIdSchema } from "../shared/validation";
import type { NightlyDeps } from "./deps";

/**
 * Payloads of the `nightlyReenrichTasks` queue. Every task names its run, so a task left over from an
 * earlier run is recognised and dropped; `gen` is the planner pass that (re)dispatched it, so a resumed
 * run's tasks get fresh ids instead of colliding with Cloud Tasks' de-duplication window.
 */
const base = { runId: z.string().min(1).max(64), gen: z.number().int().positive() };

/** Continue planning (backfill or collecting) from where the planner's time budget ran out; `at` names that point. */
export const planTaskSchema = z.object({ kind: z.literal("plan"), ...base, at: z.string().max(1600) });
/** Refresh the stale seasons of a batch of shows through the cache's lock protocol. */
export const refreshTaskSchema = z.object({ kind: z.literal("refresh"), ...base, showIds: z.array(showIdSchema).min(1).max(100) });
/** Re-enrich one page of the tracking documents of a show, after `cursor` (a document path). */
export const usersTaskSchema = z.object({
  kind: z.literal("users"),
  ...base,
  showId: showIdSchema,
  cursor: z.string().max(1500).nullable(),
  stalls: z.number().int().nonnegative(),
});
export const nightlyTaskSchema = z.discriminatedUnion("kind", [planTaskSchema, refreshTaskSchema, usersTaskSchema]);

export type PlanTask = z.infer<typeof planTaskSchema>;
export type RefreshTask = z.infer<typeof refreshTaskSchema>;
export type UsersTask = z.infer<typeof usersTaskSchema>;
export type NightlyTask = z.infer<typeof nightlyTaskSchema>;

/**
 * A task id derived from what the task does: the same step enqueued twice gets the same id, and Cloud
 * Tasks refuses the second. Hashed, as Cloud Tasks asks, so ids are spread evenly.
 */
export function taskId(task: NightlyTask): string {
  const parts =
    task.kind === "plan"
      ? [task.kind, task.runId, task.gen, task.at]
      : task.kind === "refresh"
        ? [task.kind, task.runId, task.gen, ...task.showIds]
        : [task.kind, task.runId, task.gen, task.showId, task.cursor ?? "", task.stalls];
  return `${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 40)}-${task.kind}`;
}

export async function enqueue(deps: Pick<NightlyDeps, "queue">, task: NightlyTask, delaySeconds = 0): Promise<boolean> {
  return (await deps.queue.enqueue(task, { id: taskId(task), delaySeconds })) === "enqueued";
}

/** Refresh tasks for these shows, `refreshBatchShows` shows a task. */
export async function enqueueRefresh(
  deps: Pick<NightlyDeps, "queue" | "options">,
  runId: string,
  gen: number,
  showIds: number[],
): Promise<number> {
  let enqueued = 0;
  const size = deps.options.refreshBatchShows;
  for (let i = 0; i < showIds.length; i += size) {
    if (await enqueue(deps, { kind: "refresh", runId, gen, showIds: showIds.slice(i, i + size) })) enqueued++;
  }
  return enqueued;
}
