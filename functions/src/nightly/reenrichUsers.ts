import { FieldPath, Timestamp, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import pLimit from "p-limit";
import type { LoadOptions, LoadResult, SeasonResult, TvCache } from "../cache/tvCache";
import { enrichShow, type EnrichDeps } from "../enrichment/enrichShow";
import { readLanguages } from "../language/preferences";
import { AppError } from "../shared/errors";
import { logNightlyDocumentFailed, logNightlyUsersPage } from "../shared/logs";
import type { RequestMeter } from "../tmdb/client";
import { markShowStaleForUsers } from "../progress/librarySummary";
import { TRACKING_COLLECTION } from "../tracking/trackingDoc";
import type { NightlyDeps } from "./deps";
import { finishRunIfComplete } from "./finish";
import { lostRace, parseWork, runIncrements, workIncrements, workRef, type WorkItem } from "./state";
import { enqueue, type UsersTask } from "./taskPayloads";

type DocOutcome = { kind: "updated"; episodes: number } | { kind: "unchanged" } | { kind: "failed" } | { kind: "retry-later" };

/**
 * Season loads for one page of documents of one show: each season is read from the cache once per
 * page instead of once per document. A rechecked season the cache can only serve stale (a user
 * request is refreshing it right now) is reported as pending, so no document is compared against
 * the old data and marked done.
 */
export function pageLoader(cache: Pick<TvCache, "load">, recheck: ReadonlySet<number>): Pick<TvCache, "load"> {
  const memo = new Map<string, SeasonResult>();
  return {
    async load(showId: number, seasonNumbers: number[], options?: LoadOptions): Promise<LoadResult> {
      const key = (season: number) => `${showId}_${season}`;
      const seasons = new Map<number, SeasonResult>();
      const missing = [...new Set(seasonNumbers)].filter((season) => !memo.has(key(season)));
      let loaded: LoadResult = { seasons: new Map(), tmdbCalls: 0 };
      if (missing.length > 0 || options?.includeShow) loaded = await cache.load(showId, missing, options);
      for (const [season, result] of loaded.seasons) {
        const usable = result.state === "stale" && recheck.has(season) ? ({ state: "pending" } as const) : result;
        if (usable.state === "fresh" || usable.state === "fetched") memo.set(key(season), usable);
        seasons.set(season, usable);
      }
      for (const season of seasonNumbers) {
        const known = memo.get(key(season));
        if (known && !seasons.has(season)) seasons.set(season, known);
      }
      return { seasons, show: loaded.show, tmdbCalls: loaded.tmdbCalls };
    },
  };
}

/**
 * Re-enriches one page of the tracking documents of a show (collection-group query on `showId`,
 * ordered by path, after the cursor), comparing the refreshed seasons again. The cursor, the counts
 * and the next page are committed in one write conditioned on the work item we read, so a duplicate
 * or retried task cannot count or advance twice; a document a crashed attempt already rewrote
 * compares equal and is not written again.
 */
export async function reenrichUsersPage(deps: NightlyDeps, task: UsersTask): Promise<void> {
  const ref = workRef(deps.stateRef, task.showId);
  const snap = await ref.get();
  const work = parseWork(snap);
  if (!work || work.runId !== task.runId || work.done || !work.refreshed) return;
  if (work.cursor !== task.cursor || work.stalls !== task.stalls) {
    // This page was committed by an earlier attempt, which may have died before queueing the next one.
    await enqueueNext(deps, task, work.cursor, work.stalls);
    return;
  }

  const started = Date.now();
  // This page's TMDB requests, counted by the cache it loads through (not the instance's shared client counter).
  const meter: RequestMeter = { requests: 0 };
  let query = deps.db.collectionGroup(TRACKING_COLLECTION).where("showId", "==", task.showId).orderBy(FieldPath.documentId());
  if (task.cursor) query = query.startAfter(task.cursor);
  const page = await query.limit(deps.options.usersPageSize).get();

  const meteredCache = deps.cache.withMeter(meter);
  // Names in each user's language (CONTRACT §11): rechecked seasons are compared with the translated names.
  const loader = { ...pageLoader(meteredCache, new Set(work.seasons)), names: meteredCache.names };
  // The page's users' languages in one read, rather than one read per document in enrichShow.
  const languages = await readLanguages(
    deps.db,
    page.docs.map((doc) => doc.ref.parent.parent?.id ?? "").filter((uid) => uid !== ""),
  );
  const limit = pLimit(deps.options.usersConcurrency);
  // After an unexpected error no further document is started: the task fails as a whole and is retried.
  let aborted = false;
  const outcomes = await Promise.all(
    page.docs.map((doc) =>
      limit(async (): Promise<DocOutcome> => {
        if (aborted) return { kind: "retry-later" };
        try {
          return await reenrichDocument(deps, task, work, loader, doc, languages);
        } catch (error) {
          aborted = true;
          throw error;
        }
      }),
    ),
  );

  // The cursor moves up to the first document that must be tried again later; documents after it that
  // were rewritten anyway are read again next time, compare equal, and are not written twice.
  const firstRetry = outcomes.findIndex((o) => o.kind === "retry-later");
  const completed = firstRetry === -1 ? page.size : firstRetry;
  // The show's cache was refreshed: its library entries (progress/librarySummary.ts) are recomputed on the next view.
  await markShowStaleForUsers(
    deps.db,
    page.docs.slice(0, completed).map((doc) => doc.ref.parent.parent?.id ?? ""),
    task.showId,
  );
  const cursor = completed > 0 ? page.docs[completed - 1].ref.path : task.cursor;
  const stalls = firstRetry !== -1 && completed === 0 ? work.stalls + 1 : 0;
  const gaveUp = stalls > deps.options.maxStalls;
  const done = (firstRetry === -1 && page.size < deps.options.usersPageSize) || gaveUp;
  const updated = outcomes.filter((o) => o.kind === "updated");
  const counts = {
    documentsRead: page.size,
    documentsUpdated: updated.length,
    episodesUpdated: updated.reduce((sum, o) => sum + (o.kind === "updated" ? o.episodes : 0), 0),
    failures: outcomes.filter((o) => o.kind === "failed").length + (gaveUp ? 1 : 0),
    tmdbCalls: meter.requests,
  };

  try {
    await deps.db
      .batch()
      .update(
        ref,
        {
          cursor,
          stalls,
          done,
          ...workIncrements({
            documentsRead: counts.documentsRead,
            documentsUpdated: counts.documentsUpdated,
            failures: counts.failures,
            tmdbCalls: counts.tmdbCalls,
          }),
        },
        { lastUpdateTime: snap.updateTime as Timestamp },
      )
      .update(deps.stateRef, {
        ...runIncrements(counts, { showsDone: done ? 1 : 0 }),
        "run.lastProgressAt": Timestamp.fromDate(deps.clock()),
      })
      .commit();
  } catch (error) {
    if (lostRace(error)) return; // a duplicate of this task committed the page first
    throw error;
  }
  deps.probe?.({ type: "page-committed", showId: task.showId, cursor, done });
  logNightlyUsersPage({
    runId: task.runId,
    showId: task.showId,
    documentsRead: counts.documentsRead,
    documentsUpdated: counts.documentsUpdated,
    failures: counts.failures,
    stoppedEarly: firstRetry !== -1,
    done,
    durationMs: Date.now() - started,
  });

  if (done) await finishRunIfComplete(deps, task.runId);
  // Waiting on someone else's lock (or on TMDB): come back after a lease, when a crashed holder's lock can be taken over.
  else await enqueueNext(deps, task, cursor, stalls, firstRetry === -1 ? 0 : deps.config.cache.lockLeaseSeconds);
}

function enqueueNext(deps: NightlyDeps, task: UsersTask, cursor: string | null, stalls: number, delaySeconds = 0): Promise<boolean> {
  return enqueue(deps, { ...task, cursor, stalls }, delaySeconds);
}

async function reenrichDocument(
  deps: NightlyDeps,
  task: UsersTask,
  work: WorkItem,
  loader: EnrichDeps["cache"],
  doc: QueryDocumentSnapshot,
  languages: ReadonlyMap<string, string>,
): Promise<DocOutcome> {
  const uid = doc.ref.parent.parent?.id;
  // Only `users/{uid}/episode_tracking/{showId}` whose id matches the field.
  if (!uid || doc.ref.parent.parent?.parent.id !== "users" || doc.id !== String(task.showId)) return { kind: "failed" };
  try {
    const result = await enrichShow({ db: deps.db, cache: loader }, uid, task.showId, {
      snapshot: doc,
      recheckSeasons: work.seasons,
      language: languages.get(uid),
    });
    deps.probe?.({ type: "document", path: doc.ref.path, wrote: result.enriched > 0 });
    if (result.pendingSeasons.length > 0) return { kind: "retry-later" };
    return result.enriched > 0 ? { kind: "updated", episodes: result.enriched } : { kind: "unchanged" };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    logNightlyDocumentFailed({ runId: task.runId, uid, showId: task.showId, code: error.code, message: error.message });
    // TMDB trouble or a document that kept changing: later. Anything else (1 MiB limit) will not get better.
    return error.code === "unavailable" || error.code === "resource-exhausted" ? { kind: "retry-later" } : { kind: "failed" };
  }
}
