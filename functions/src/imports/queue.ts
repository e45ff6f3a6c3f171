import type { App } from "firebase-admin/app";
import { getFunctions, type TaskOptions } from "firebase-admin/functions";
import { REGION } from "../shared/config";
import { dispatchDeadlineFor } from "../shared/taskDeadlines";

/** The task-queue function's exported name (functions/src/index.ts), which is also its queue's name. */
export const IMPORT_TASK_FUNCTION = "importTasks";
export const IMPORT_TASK_REGION = REGION;
/** The worker's timeout (`importTasks`), which a run's budget stays well inside. */
export const IMPORT_TASK_TIMEOUT_SECONDS = 540;
/** A run stops and re-enqueues itself after this long: its last chunk and the hand-over fit in the timeout. */
export const IMPORT_RUN_BUDGET_SECONDS = 420;

export interface ImportTask {
  uid: string;
  importId: string;
  /** Set on a continuation (a run that stopped at its time budget): where it resumes, for a fresh task id. */
  cursor?: number;
}

/** The port startImport enqueues through: Cloud Tasks in production, in memory in tests. */
export interface ImportQueue {
  /** Enqueues the import's job once: the task id is the import's, so a repeated start is a no-op. */
  enqueue(task: ImportTask): Promise<"enqueued" | "duplicate">;
}

/** A task id Cloud Tasks accepts (letters, digits, `-`, `_`), unique per import. */
export const importTaskId = ({ uid, importId, cursor }: ImportTask) =>
  `import-${uid}-${importId}${cursor === undefined ? "" : `-at-${cursor}`}`.replace(/[^A-Za-z0-9_-]/g, "_");

/** How an import task is enqueued: its id, and a delivery deadline past the worker's timeout (shared/taskDeadlines.ts). */
export const importEnqueueOptions = (task: ImportTask): TaskOptions & { id: string; dispatchDeadlineSeconds: number } => ({
  id: importTaskId(task),
  dispatchDeadlineSeconds: dispatchDeadlineFor(IMPORT_TASK_TIMEOUT_SECONDS),
});

export function cloudTasksImportQueue(app?: App): ImportQueue {
  const queue = getFunctions(app).taskQueue<ImportTask>(`locations/${IMPORT_TASK_REGION}/functions/${IMPORT_TASK_FUNCTION}`);
  return {
    async enqueue(task) {
      try {
        await queue.enqueue(task, importEnqueueOptions(task));
        return "enqueued";
      } catch (error) {
        if ((error as { code?: unknown }).code === "functions/task-already-exists") return "duplicate";
        throw error;
      }
    },
  };
}

/** Records enqueued tasks (de-duplicated by id like Cloud Tasks); tests run them by hand. */
export class InMemoryImportQueue implements ImportQueue {
  readonly tasks: ImportTask[] = [];
  private readonly ids = new Set<string>();

  async enqueue(task: ImportTask): Promise<"enqueued" | "duplicate"> {
    const id = importTaskId(task);
    if (this.ids.has(id)) return "duplicate";
    this.ids.add(id);
    this.tasks.push(task);
    return "enqueued";
  }
}
