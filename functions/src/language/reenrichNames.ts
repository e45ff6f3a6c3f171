import { FieldPath, Timestamp, type Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import type { App } from "firebase-admin/app";
import { getFunctions } from "firebase-admin/functions";
import { z } from "zod";
import type { TvCache } from "../cache/tvCache";
import { enrichShow } from "../enrichment/enrichShow";
import { planEnrichment } from "../enrichment/plan";
import { AppError } from "../shared/errors";
import { parseEpisodeKey } from "../tracking/episodeKeys";
import { trackingCollection, type TrackingDoc } from "../tracking/trackingDoc";
import { logNamesReenriched } from "./logs";
import { readPreferences } from "./preferences";
import { dispatchDeadlineFor } from "../shared/taskDeadlines";

/**
 * A language switch re-enriches names only (CONTRACT §11): every tracked episode's `episodeName` is
 * compared with the name in the new language (translated, else the default-language one) and rewritten
 * where it differs, through `enrichShow`, which writes only enrichment fields by field path on condition
 * that the document is unchanged: watch state is never touched, a concurrent mark is never lost.
 *
 * Bounded and resumable: a page of `NAMES_PAGE` tracking documents (in document-id order) per step; the
 * cursor is kept in `users/{uid}/settings/names_job` after each page and the next page is a task of its
 * own (`languageReenrichTasks`), so a 300-show library is six steps, each well inside its timeout. A task
 * whose language is no longer the profile's (the user switched again) stops: the newer switch has its own.
 */
export const NAMES_PAGE = 50;
/** Shows re-enriched at once within a page (each costs at most one TMDB request per 20 seasons when cold). */
const SHOW_CONCURRENCY = 8;

export const namesTaskSchema = z.object({
  uid: z.string().min(1).max(128),
  language: z.string().min(2).max(35),
  cursor: z.string().max(1500).nullable(),
  /** When the switch happened (ms): task ids stay unique when the user switches back and forth. */
  since: z.number().int().min(0),
});
export type NamesTask = z.infer<typeof namesTaskSchema>;

/** Where tasks go: Cloud Tasks in production (`cloudNamesQueue`), in memory in tests. */
export interface NamesQueue {
  enqueue(task: NamesTask, options: { id: string }): Promise<"enqueued" | "duplicate">;
}

export const NAMES_TASK_FUNCTION = "languageReenrichTasks";
export const NAMES_TASK_REGION = "us-central1";

/** The worker's timeout; every enqueue's dispatch deadline covers it (shared/taskDeadlines.ts). */
export const NAMES_TASK_TIMEOUT_SECONDS = 300;
export const namesEnqueueOptions = (id: string) => ({ id, dispatchDeadlineSeconds: dispatchDeadlineFor(NAMES_TASK_TIMEOUT_SECONDS) });

export function cloudNamesQueue(app?: App): NamesQueue {
  const queue = getFunctions(app).taskQueue<NamesTask>(`locations/${NAMES_TASK_REGION}/functions/${NAMES_TASK_FUNCTION}`);
  return {
    async enqueue(task, { id }) {
      try {
        await queue.enqueue(task, namesEnqueueOptions(id));
        return "enqueued";
      } catch (error) {
        if ((error as { code?: unknown }).code === "functions/task-already-exists") return "duplicate";
        throw error;
      }
    },
  };
}

export const namesJobRef = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("settings").doc("names_job");

export interface NamesJobState {
  language: string;
  cursor: string | null;
  done: boolean;
  shows: number;
  enriched: number;
  updatedAt: Timestamp;
}

export interface NamesDeps {
  db: Firestore;
  cache: Pick<TvCache, "withMeter">;
  clock: () => Date;
}

/** Task ids are deterministic: the same step enqueued twice (a retry) runs once. */
const taskId = (task: NamesTask) =>
  `names-${Buffer.from(`${task.uid}|${task.language}|${task.since}|${task.cursor ?? ""}`)
    .toString("base64url")
    .slice(0, 400)}`;

/** All the seasons a document tracks: every one is compared again, for names only. */
const trackedSeasons = (data: TrackingDoc) => [
  ...new Set(Object.keys(data.episodes ?? {}).flatMap((key) => parseEpisodeKey(key)?.season ?? [])),
];

export interface NamesPageResult {
  shows: number;
  enriched: number;
  /** The last document of the page, or null when the library is done. */
  next: string | null;
  superseded: boolean;
  tmdbCalls: number;
}

/** One bounded step: the page of tracking documents after `task.cursor`. */
export async function reenrichNamesPage(deps: NamesDeps, task: NamesTask): Promise<NamesPageResult> {
  const started = Date.now();
  const { language } = await readPreferences(deps.db, task.uid);
  if (language !== task.language) return { shows: 0, enriched: 0, next: null, superseded: true, tmdbCalls: 0 };
  let query = trackingCollection(deps.db, task.uid).orderBy(FieldPath.documentId()).limit(NAMES_PAGE);
  if (task.cursor) query = query.startAfter(task.cursor);
  const page = await query.get();
  const limit = pLimit(SHOW_CONCURRENCY);
  let enriched = 0;
  const meter = { requests: 0 };
  const cache = deps.cache.withMeter(meter);
  await Promise.all(
    page.docs.map((doc) =>
      limit(async () => {
        const showId = Number(doc.id);
        if (!Number.isSafeInteger(showId) || showId <= 0) return;
        const data = doc.data() as TrackingDoc;
        const seasons = trackedSeasons(data);
        if (planEnrichment(data.episodes ?? {}, new Set(seasons)).keysBySeason.size === 0) return;
        try {
          const result = await enrichShow({ db: deps.db, cache }, task.uid, showId, { snapshot: doc, recheckSeasons: seasons, language });
          enriched += result.enriched;
        } catch (error) {
          // TMDB trouble for one show: its names stay as they are until the next enrichment of it.
          if (!(error instanceof AppError)) throw error;
        }
      }),
    ),
  );
  const tmdbCalls = meter.requests;
  const next = page.size < NAMES_PAGE ? null : page.docs[page.size - 1].id;
  const ref = namesJobRef(deps.db, task.uid);
  await deps.db.runTransaction(async (tx) => {
    const state = (await tx.get(ref)).data() as NamesJobState | undefined;
    const same = state?.language === language && !state.done;
    tx.set(ref, {
      language,
      cursor: next,
      done: next === null,
      shows: (same ? state.shows : 0) + page.size,
      enriched: (same ? state.enriched : 0) + enriched,
      updatedAt: Timestamp.fromDate(deps.clock()),
    } satisfies NamesJobState);
  });
  logNamesReenriched({
    uid: task.uid,
    language,
    shows: page.size,
    enriched,
    done: next === null,
    tmdbCalls,
    durationMs: Date.now() - started,
  });
  return { shows: page.size, enriched, next, superseded: false, tmdbCalls };
}

/** A step, then the next one as a task of its own (so each stays bounded); returns whether the job is done. */
export async function runNamesTask(deps: NamesDeps, queue: NamesQueue, task: NamesTask): Promise<NamesPageResult> {
  const result = await reenrichNamesPage(deps, task);
  if (result.next !== null) {
    const next = { ...task, cursor: result.next };
    await queue.enqueue(next, { id: taskId(next) });
  }
  return result;
}

/**
 * After a switch to `language`: the job's state is reset, then a small library (one page) is re-enriched
 * before answering, a larger one in the background, page by page.
 */
export async function startNamesReenrich(
  deps: NamesDeps,
  queue: NamesQueue,
  uid: string,
  language: string,
): Promise<{ background: boolean }> {
  const count = (await trackingCollection(deps.db, uid).count().get()).data().count;
  await namesJobRef(deps.db, uid).set({
    language,
    cursor: null,
    done: count === 0,
    shows: 0,
    enriched: 0,
    updatedAt: Timestamp.fromDate(deps.clock()),
  } satisfies NamesJobState);
  if (count === 0) return { background: false };
  const task: NamesTask = { uid, language, cursor: null, since: deps.clock().getTime() };
  if (count <= NAMES_PAGE) {
    await reenrichNamesPage(deps, task);
    return { background: false };
  }
  await queue.enqueue(task, { id: taskId(task) });
  return { background: true };
}
