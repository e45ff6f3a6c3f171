import type { App } from "firebase-admin/app";
import { getFunctions } from "firebase-admin/functions";
import type { NightlyTask } from "./taskPayloads";

/** The task-queue function's exported name (functions/src/index.ts), which is also its queue's name. */
export const NIGHTLY_TASK_FUNCTION = "nightlyReenrichTasks";
export const NIGHTLY_TASK_REGION = "us-central1";

export interface EnqueueOptions {
  /** Deterministic id: enqueuing the same step twice (a retry, a resume) is a no-op. */
  id: string;
  delaySeconds?: number;
}

/** The port business code enqueues through: Cloud Tasks in production, in memory in tests. */
export interface NightlyQueue {
  enqueue(task: NightlyTask, options: EnqueueOptions): Promise<"enqueued" | "duplicate">;
}

export function cloudTasksQueue(app?: App): NightlyQueue {
  const queue = getFunctions(app).taskQueue<NightlyTask>(`locations/${NIGHTLY_TASK_REGION}/functions/${NIGHTLY_TASK_FUNCTION}`);
  return {
    async enqueue(task, { id, delaySeconds }) {
      try {
        await queue.enqueue(task, { id, ...(delaySeconds ? { scheduleDelaySeconds: delaySeconds } : {}) });
        return "enqueued";
      } catch (error) {
        if ((error as { code?: unknown }).code === "functions/task-already-exists") return "duplicate";
        throw error;
      }
    },
  };
}

interface QueuedTask {
  id: string;
  task: NightlyTask;
  delaySeconds: number;
  attempts: number;
}

/**
 * An in-process queue with Cloud Tasks' de-duplication by id, for tests and local runs: the caller
 * drains it by running the worker on each task. Delays are recorded, not waited for; a task that
 * throws goes to the back of the queue until `maxAttempts`, then is dropped (like an exhausted retry).
 */
export class InMemoryNightlyQueue implements NightlyQueue {
  private readonly usedIds = new Set<string>();
  private readonly pending: QueuedTask[] = [];
  /** Every task accepted, in order. */
  readonly accepted: Array<{ id: string; task: NightlyTask; delaySeconds: number }> = [];
  readonly dropped: Array<{ task: NightlyTask; error: unknown }> = [];

  async enqueue(task: NightlyTask, { id, delaySeconds = 0 }: EnqueueOptions): Promise<"enqueued" | "duplicate"> {
    if (this.usedIds.has(id)) return "duplicate";
    this.usedIds.add(id);
    this.pending.push({ id, task, delaySeconds, attempts: 0 });
    this.accepted.push({ id, task, delaySeconds });
    return "enqueued";
  }

  get size(): number {
    return this.pending.length;
  }

  /** Runs the oldest task once; returns false when the queue is empty. */
  async runNext(worker: (task: NightlyTask) => Promise<void>, maxAttempts = 3): Promise<boolean> {
    const next = this.pending.shift();
    if (!next) return false;
    next.attempts++;
    try {
      await worker(next.task);
    } catch (error) {
      if (next.attempts < maxAttempts) this.pending.push(next);
      else this.dropped.push({ task: next.task, error });
    }
    return true;
  }

  /**
   * Runs tasks (including the ones they enqueue) until none is left, up to `concurrency` at once like
   * the queue's `maxConcurrentDispatches`; returns how many ran.
   */
  async drain(worker: (task: NightlyTask) => Promise<void>, options: { maxAttempts?: number; concurrency?: number } = {}): Promise<number> {
    const concurrency = options.concurrency ?? 1;
    const running = new Set<Promise<unknown>>();
    let ran = 0;
    for (;;) {
      while (running.size < concurrency && this.pending.length > 0) {
        const run: Promise<unknown> = this.runNext(worker, options.maxAttempts).finally(() => running.delete(run));
        running.add(run);
        ran++;
      }
      if (running.size === 0) return ran;
      await Promise.race(running);
    }
  }
}
