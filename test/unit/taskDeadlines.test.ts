import * as exported from "../../functions/src/index";
import { IMPORT_RUN_BUDGET_SECONDS, importEnqueueOptions } from "../../functions/src/imports/queue";
import { nightlyEnqueueOptions } from "../../functions/src/nightly/queue";
import { MAX_DISPATCH_DEADLINE_SECONDS } from "../../functions/src/shared/taskDeadlines";
import { deletionEnqueueOptions } from "../../functions/src/households/deletionQueue";
import { namesEnqueueOptions } from "../../functions/src/language/reenrichNames";

/**
 * Every task a function enqueues carries a dispatch deadline that covers the run it starts: the worker's
 * timeout (its run budget's hard end) ends before Cloud Tasks would give up on the delivery and deliver it
 * again beside a run still in progress (CONTRACT §6; the emulator's default deadline is 60 s).
 */
interface Endpoint {
  timeoutSeconds?: number;
  taskQueueTrigger?: unknown;
}

/** The deadline each queue's enqueue sets, by worker name. A new task-queue function must be added here. */
const enqueuedDeadline: Record<string, number> = {
  importTasks: importEnqueueOptions({ uid: "u", importId: "i" }).dispatchDeadlineSeconds,
  nightlyReenrichTasks: nightlyEnqueueOptions({ id: "t", delaySeconds: 30 }).dispatchDeadlineSeconds,
  accountDeletionTasks: deletionEnqueueOptions({ ownerId: "u", generation: 1, step: 1 }).dispatchDeadlineSeconds,
  languageReenrichTasks: namesEnqueueOptions("t").dispatchDeadlineSeconds,
};

const taskWorkers = Object.entries(exported as unknown as Record<string, { __endpoint?: Endpoint }>)
  .filter(([, fn]) => {
    // The v1 Auth trigger's endpoint getter throws without GCLOUD_PROJECT; it is no task queue.
    try {
      return fn?.__endpoint?.taskQueueTrigger !== undefined;
    } catch {
      return false;
    }
  })
  .map(([name, fn]) => ({ name, timeoutSeconds: fn.__endpoint?.timeoutSeconds }));

describe("task dispatch deadlines", () => {
  it("are set by the enqueue of every task-queue function", () => {
    expect(taskWorkers.map((w) => w.name).sort()).toEqual(Object.keys(enqueuedDeadline).sort());
  });

  it.each(Object.keys(enqueuedDeadline))("cover the timeout of %s, within what Cloud Tasks accepts", (name) => {
    const timeout = taskWorkers.find((w) => w.name === name)?.timeoutSeconds;
    expect(timeout).toBeDefined();
    expect(enqueuedDeadline[name]).toBeGreaterThanOrEqual(timeout ?? Infinity);
    expect(enqueuedDeadline[name]).toBeGreaterThanOrEqual(15);
    expect(enqueuedDeadline[name]).toBeLessThanOrEqual(MAX_DISPATCH_DEADLINE_SECONDS);
  });

  it("leave an import run's budget room for one more chunk inside its timeout and its delivery", () => {
    const timeout = taskWorkers.find((w) => w.name === "importTasks")?.timeoutSeconds ?? 0;
    // A run checks its budget after each chunk; a chunk and the hand-over take well under two minutes.
    expect(IMPORT_RUN_BUDGET_SECONDS + 120).toBeLessThanOrEqual(timeout);
    expect(IMPORT_RUN_BUDGET_SECONDS + 120).toBeLessThanOrEqual(enqueuedDeadline.importTasks);
  });

  it("keep a nightly task's delay and id", () => {
    expect(nightlyEnqueueOptions({ id: "t", delaySeconds: 30 })).toMatchObject({ id: "t", scheduleDelaySeconds: 30 });
    expect(nightlyEnqueueOptions({ id: "t" })).not.toHaveProperty("scheduleDelaySeconds");
    expect(importEnqueueOptions({ uid: "u", importId: "i", cursor: 400 }).id).toBe("import-u-i-at-400");
  });
});
