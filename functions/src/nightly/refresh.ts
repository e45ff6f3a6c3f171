import { Timestamp } from "firebase-admin/firestore";
import { settledSince } from "../cache/operations";
import type { LoadResult } from "../cache/tvCache";
import { logNightlyRefreshFailed, logNightlyShowRefreshed } from "../shared/logs";
import { alertNewEpisodes } from "./alerts";
import type { NightlyDeps } from "./deps";
import { lostRace, parseWork, runIncrements, workIncrements, workRef, type WorkItem } from "./state";
import { enqueue, type RefreshTask } from "./taskPayloads";

/** The cache-lock holder of one show's refresh in one run: the same for every attempt of the task. */
export const refreshHolder = (runId: string, showId: number) => `nightly:${runId}:${showId}`;

/** Thrown so the queue retries the task with its backoff; shows already refreshed are skipped then. */
export class RefreshIncompleteError extends Error {
  constructor(readonly showIds: number[]) {
    super(`nightly refresh incomplete for shows ${showIds.join(", ")}; retrying`);
    this.name = "RefreshIncompleteError";
  }
}

/**
 * Refreshes the planned seasons of a batch of shows, one show after another (one TMDB request each,
 * which keeps this task's TMDB rate modest), then queues each show's re-enrichment pass.
 */
export async function refreshShows(deps: NightlyDeps, task: RefreshTask): Promise<void> {
  const failed: number[] = [];
  for (const showId of task.showIds) {
    if (!(await refreshShow(deps, task, showId))) failed.push(showId);
  }
  if (failed.length > 0) throw new RefreshIncompleteError(failed);
}

/** Returns false when the show could not be refreshed now (TMDB failing). */
async function refreshShow(deps: NightlyDeps, task: RefreshTask, showId: number): Promise<boolean> {
  const ref = workRef(deps.stateRef, showId);
  const snap = await ref.get();
  const work = parseWork(snap);
  if (!work || work.runId !== task.runId || work.done) return true;
  if (work.refreshed) {
    // An earlier attempt refreshed it but may have died before alerting or queueing the users pass
    // (alerts already created are not sent again).
    if (deps.alerts) await alertNewEpisodes(deps, deps.alerts, showId);
    await enqueueFirstUsersPage(deps, task, work);
    return true;
  }

  const started = Date.now();
  const startedAt = deps.clock();
  // The same lock protocol as user requests: a season someone else is fetching is not fetched again.
  // Its locks name the run's show: a retry of this task (after a kill mid-fetch) takes them over at once.
  const result = await deps.cache.withHolder(refreshHolder(task.runId, showId)).load(showId, work.seasons, { includeShow: work.show });
  const tmdbCalls = result.tmdbCalls;
  const refreshedHere = [...result.seasons.values()].filter((r) => r.state === "fetched").length;

  if (!(await isSettled(deps, showId, work, result, startedAt))) {
    await deps.db
      .batch()
      .update(ref, workIncrements({ failures: 1, tmdbCalls }))
      .update(deps.stateRef, runIncrements({ failures: 1, tmdbCalls }))
      .commit();
    logNightlyRefreshFailed({ runId: task.runId, showId, seasons: work.seasons, tmdbCalls });
    return false;
  }

  try {
    await deps.db
      .batch()
      .update(
        ref,
        { refreshed: true, ...workIncrements({ seasonsRefreshed: refreshedHere, tmdbCalls }) },
        { lastUpdateTime: snap.updateTime as Timestamp },
      )
      .update(deps.stateRef, {
        ...runIncrements({ seasonsRefreshed: refreshedHere, tmdbCalls }),
        "run.lastProgressAt": Timestamp.fromDate(deps.clock()),
      })
      .commit();
  } catch (error) {
    if (lostRace(error)) return true; // a duplicate of this task refreshed it first
    throw error;
  }
  logNightlyShowRefreshed({
    runId: task.runId,
    showId,
    seasons: work.seasons,
    seasonsRefreshed: refreshedHere,
    tmdbCalls,
    durationMs: Date.now() - started,
  });
  deps.probe?.({ type: "show-refreshed", showId });
  // The refresh is what tells the job an episode aired: announce it (at most once per follower and episode).
  if (deps.alerts) await alertNewEpisodes(deps, deps.alerts, showId);
  await enqueueFirstUsersPage(deps, task, { ...work, refreshed: true });
  return true;
}

function enqueueFirstUsersPage(deps: NightlyDeps, task: RefreshTask, work: WorkItem): Promise<boolean> {
  return enqueue(deps, { kind: "users", runId: task.runId, gen: task.gen, showId: work.showId, cursor: work.cursor, stalls: work.stalls });
}

/**
 * Fresh or fetched everywhere, or what is not was being refreshed by another request (a user request
 * holding the live lock, or which completed it since we started: the users pass waits for it). A
 * season left stale or missing means our fetch failed.
 */
async function isSettled(deps: NightlyDeps, showId: number, work: WorkItem, result: LoadResult, startedAt: Date): Promise<boolean> {
  const done = (state: string | undefined) => state === "fresh" || state === "fetched";
  const seasons = work.seasons.filter((season) => !done(result.seasons.get(season)?.state));
  const show = work.show && !done(result.show?.state);
  return settledSince(deps.db, deps.config.cache, deps.clock(), showId, { seasons, show }, startedAt);
}
