import { logNightlyTaskRejected } from "../shared/logs";
import { describeValidationError } from "../shared/validation";
import type { NightlyDeps } from "./deps";
import { advancePlan } from "./planner";
import { refreshShows } from "./refresh";
import { reenrichUsersPage } from "./reenrichUsers";
import { nightlyTaskSchema, type NightlyTask } from "./taskPayloads";

/**
 * Runs one task of the `nightlyReenrichTasks` queue. A payload that fails validation is logged and
 * dropped (retrying cannot fix it); anything thrown otherwise makes the queue retry with its backoff.
 */
export async function runNightlyTask(deps: NightlyDeps, payload: unknown): Promise<void> {
  const parsed = nightlyTaskSchema.safeParse(payload);
  if (!parsed.success) {
    logNightlyTaskRejected({ reason: describeValidationError(parsed.error) });
    return;
  }
  await runParsedTask(deps, parsed.data);
}

export async function runParsedTask(deps: NightlyDeps, task: NightlyTask): Promise<void> {
  switch (task.kind) {
    case "plan":
      return advancePlan(deps, task.runId, task.gen);
    case "refresh":
      return refreshShows(deps, task);
    case "users":
      return reenrichUsersPage(deps, task);
  }
}
