import { markImportFailed, runImport } from "../imports/pipeline";
import {
  cloudTasksImportQueue,
  IMPORT_TASK_FUNCTION,
  IMPORT_TASK_TIMEOUT_SECONDS,
  type ImportQueue,
  type ImportTask,
} from "../imports/queue";
import { cachedEpisodeFinder, cachedMovieFinder } from "../imports/resolve";
import { defineTaskQueue } from "../triggers/taskQueue";

let queue: ImportQueue | undefined;

/**
 * The import pipeline's worker: one task per import (plus a continuation when a run reaches its time
 * budget). A run that dies is retried by the queue and continues from its cursor; when the last attempt
 * fails too, the import is marked `failed` rather than left `running`.
 */
export default defineTaskQueue<ImportTask>({
  name: IMPORT_TASK_FUNCTION,
  parse: (data) => {
    const { uid, importId, cursor } = data as Record<string, unknown>;
    return { uid: String(uid), importId: String(importId), ...(cursor !== undefined ? { cursor: Number(cursor) } : {}) };
  },
  describe: ({ uid, importId }) => ({ uid, importId }),
  // TVDB episode ids (TV Time) and IMDb movie ids resolve through the global `/find` cache.
  handler: async (ctx, task) => {
    queue ??= cloudTasksImportQueue();
    await runImport({ ...ctx, queue, finders: { episodes: cachedEpisodeFinder, movies: cachedMovieFinder } }, task);
  },
  onFinalFailure: (ctx, task) =>
    markImportFailed(ctx, task, { code: "internal", message: "the import could not be completed; please try again" }),
  options: {
    // The enqueue's dispatch deadline covers it (imports/queue.ts).
    timeoutSeconds: IMPORT_TASK_TIMEOUT_SECONDS,
    memory: "1GiB",
    concurrency: 1,
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 10, maxBackoffSeconds: 300, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: 10 },
  },
});
