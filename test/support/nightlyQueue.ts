import type { EnqueueOptions, NightlyQueue } from "../../functions/src/nightly/queue";
import type { NightlyTask } from "../../functions/src/nightly/taskPayloads";

interface QueuedTask {
  id: string;
  task: NightlyTask;
  delaySeconds: number;
  attempts: number;
}

/**
 * An in-process queue with Cloud Tasks' de-duplication by id, for tests (a test double: not deployed): the caller
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
