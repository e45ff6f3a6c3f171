import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { appContextFromParams } from "./app";
import { TMDB_API_KEY } from "./config";
import { logImportTaskFailed } from "./imports/logs";
import { markImportFailed, runImport } from "./imports/pipeline";
import { cachedEpisodeFinder, cachedMovieFinder } from "./imports/resolve";
import { cloudTasksImportQueue, IMPORT_TASK_REGION, IMPORT_TASK_TIMEOUT_SECONDS, type ImportQueue, type ImportTask } from "./imports/queue";

const MAX_ATTEMPTS = 5;
let queue: ImportQueue | undefined;

/**
 * The import pipeline's worker (CONTRACT §6): one task per import (plus a continuation when a run
 * reaches its time budget). A run that dies is retried by the queue and continues from its cursor;
 * when the last attempt fails too, the import is marked `failed` rather than left `running`.
 */
export const importTasks = onTaskDispatched<ImportTask>(
  {
    region: IMPORT_TASK_REGION,
    secrets: [TMDB_API_KEY],
    timeoutSeconds: IMPORT_TASK_TIMEOUT_SECONDS,
    memory: "1GiB",
    concurrency: 1,
    retryConfig: { maxAttempts: MAX_ATTEMPTS, minBackoffSeconds: 10, maxBackoffSeconds: 300, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: 10 },
  },
  async (request) => {
    const ctx = appContextFromParams();
    queue ??= cloudTasksImportQueue();
    const task = {
      uid: String(request.data.uid),
      importId: String(request.data.importId),
      ...(request.data.cursor !== undefined ? { cursor: Number(request.data.cursor) } : {}),
    };
    try {
      // TVDB episode ids (TV Time) and IMDb movie ids resolve through the global `/find` cache.
      await runImport({ ...ctx, queue, finders: { episodes: cachedEpisodeFinder, movies: cachedMovieFinder } }, task);
    } catch (error) {
      const final = request.retryCount + 1 >= MAX_ATTEMPTS;
      logImportTaskFailed({ uid: task.uid, importId: task.importId, attempt: request.retryCount + 1, final, error });
      if (final) await markImportFailed(ctx, task, { code: "internal", message: "the import could not be completed; please try again" });
      throw error;
    }
  },
);
