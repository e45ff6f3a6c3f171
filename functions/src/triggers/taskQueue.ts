import { onTaskDispatched, type TaskQueueOptions } from "firebase-functions/v2/tasks";
import { appContextFromParams, type AppContext } from "../shared/app";
import { REGION, secretsFor } from "./common";
import { logTaskFailed } from "./logs";

export interface TaskAttempt {
  /** 1 for the first delivery. */
  number: number;
  /** No retry follows if this attempt fails. */
  final: boolean;
}

export interface TaskQueueSpec<T> {
  /** The exported function's name, which is also its queue's name (what `getFunctions().taskQueue(name)` enqueues to). */
  name: string;
  /** The payload as the task carries it; whatever it throws is a failed attempt like any other. */
  parse: (data: unknown) => T;
  handler: (ctx: AppContext, task: T, attempt: TaskAttempt) => Promise<void>;
  /** The fields a failure log names (uid, importId, runId…): never secrets. */
  describe?: (task: T) => Record<string, unknown>;
  /**
   * After the last attempt failed: mark the task's job failed, so nothing is left `running` forever.
   * Queues whose work has no job a client watches (the nightly tasks: the planner resumes or gives up a
   * run) leave it out.
   */
  onFinalFailure?: (ctx: AppContext, task: T, error: unknown) => Promise<void>;
  tmdb?: boolean;
  options: Pick<TaskQueueOptions, "timeoutSeconds" | "memory" | "concurrency" | "rateLimits"> & {
    retryConfig: NonNullable<TaskQueueOptions["retryConfig"]> & { maxAttempts: number };
  };
}

/**
 * The whole trigger layer of a Cloud Tasks queue: one context builder (the instance's AppContext), the
 * attempt number, a structured log of every failed attempt, and the job marked failed after the last one.
 * A failed attempt is rethrown so the queue retries it with the spec's backoff.
 */
export function defineTaskQueue<T>(spec: TaskQueueSpec<T>) {
  const maxAttempts = spec.options.retryConfig.maxAttempts;
  return onTaskDispatched({ region: REGION, secrets: secretsFor(spec.tmdb), ...spec.options }, async (request) => {
    const started = Date.now();
    const attempt = { number: request.retryCount + 1, final: request.retryCount + 1 >= maxAttempts };
    const ctx = appContextFromParams();
    let task: T | undefined;
    try {
      task = spec.parse(request.data);
      await spec.handler(ctx, task, attempt);
    } catch (error) {
      const job = task !== undefined && spec.describe ? spec.describe(task) : {};
      logTaskFailed({ name: spec.name, attempt: attempt.number, final: attempt.final, job, error, durationMs: Date.now() - started });
      if (attempt.final && task !== undefined && spec.onFinalFailure) await spec.onFinalFailure(ctx, task, error);
      throw error;
    }
  });
}
