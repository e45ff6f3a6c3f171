import { Timestamp } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { metered } from "../shared/app";
import { listExpiredSeasonShows } from "../cache/operations";
import { AppError } from "../shared/errors";
import type { RequestMeter } from "../tmdb/client";
import {
  logNightlyBackfillPage,
  logNightlyChangesPage,
  logNightlyRunGaveUp,
  logNightlyRunOpened,
  logNightlyRunResumed,
} from "../shared/logs";
import { backfillShowIds } from "./backfill";
import type { NightlyDeps } from "./deps";
import { finishRunIfComplete } from "./finish";
import { prepareShow } from "./prepareShow";
import { lostRace, parseState, parseWork, runIncrements, workCollection, zeroCounts, type NightlyState, type RunState } from "./state";
import { enqueue, enqueueRefresh } from "./taskPayloads";
import { planWindow } from "./window";

/** TMDB serves at most 500 pages of any list. */
const MAX_CHANGES_PAGE = 500;

export interface NightlySummary {
  runId: string;
  phase: RunState["phase"];
  resumed: boolean;
  gaveUp: string | null;
}

/**
 * The scheduled entry point. A planner, not a loop over users: it opens tonight's run (or resumes an
 * unfinished one), then advances it — backfill, reading the changes feed, marking and queueing work —
 * until done or out of time budget, when a `plan` task takes over. Refreshes and re-enrichment run on
 * the task queue; the last task to finish closes the run.
 */
export async function runNightly(deps: NightlyDeps): Promise<NightlySummary> {
  let snap = await deps.stateRef.get();
  let state = parseState(snap);
  let gaveUp: string | null = null;
  let resumed = false;
  let run = state.run;

  if (run && run.phase !== "finished") {
    if (run.attempts >= deps.options.maxRunAttempts) {
      await giveUp(deps, run);
      gaveUp = run.id;
      snap = await deps.stateRef.get();
      state = parseState(snap);
      run = state.run;
    } else {
      run = await resume(deps, run);
      resumed = true;
    }
  }
  if (!run || run.phase === "finished") run = await openRun(deps, state, snap.exists ? (snap.updateTime as Timestamp) : null);

  await advancePlan(deps, run.id, run.attempts);
  const final = parseState(await deps.stateRef.get()).run;
  return { runId: run.id, phase: final?.id === run.id ? final.phase : run.phase, resumed, gaveUp };
}

async function openRun(deps: NightlyDeps, state: NightlyState, readVersion: Timestamp | null): Promise<RunState> {
  const now = deps.clock();
  const window = planWindow(state.lastWindowEnd, now);
  const run: RunState = {
    id: `r${now.getTime()}`,
    mode: window.mode,
    window: { start: window.start, end: window.end },
    startedAt: Timestamp.fromDate(now),
    attempts: 1,
    phase: state.backfill.done ? "collecting" : "backfill",
    cursor: { page: 1, ttlAfter: null },
    showsTotal: 0,
    showsDone: 0,
    counts: zeroCounts(),
    lastProgressAt: null,
    finishedAt: null,
    durationMs: null,
    outcome: null,
  };
  try {
    // Conditioned on the version we read: two planners racing cannot both open a run.
    if (readVersion) await deps.stateRef.update({ run }, { lastUpdateTime: readVersion });
    else await deps.stateRef.create({ lastWindowEnd: state.lastWindowEnd, backfill: state.backfill, run });
  } catch (error) {
    if (!lostRace(error)) throw error;
    const current = parseState(await deps.stateRef.get()).run;
    if (!current) throw error;
    return current;
  }
  logNightlyRunOpened({ runId: run.id, mode: run.mode, windowStart: run.window.start, windowEnd: run.window.end, phase: run.phase });
  return run;
}

/** Work items of the run that are not done yet (reads grow with what changed, not with users). */
async function outstandingWork(deps: NightlyDeps, runId: string) {
  const snaps = await workCollection(deps.stateRef).where("runId", "==", runId).get();
  return snaps.docs.flatMap((snap) => {
    const work = parseWork(snap);
    return work && !work.done ? [{ snap, work }] : [];
  });
}

/**
 * A run that failed or timed out: queue again every step that is not done, with fresh task ids.
 * Steps that did complete are recorded in their work items and are not repeated.
 */
async function resume(deps: NightlyDeps, run: RunState): Promise<RunState> {
  const attempts = run.attempts + 1;
  await deps.stateRef.update({ "run.attempts": attempts });
  const outstanding = await outstandingWork(deps, run.id);
  const toRefresh = outstanding.filter(({ work }) => !work.refreshed).map(({ work }) => work.showId);
  await enqueueRefresh(deps, run.id, attempts, toRefresh);
  for (const { work } of outstanding.filter(({ work }) => work.refreshed)) {
    await enqueue(deps, { kind: "users", runId: run.id, gen: attempts, showId: work.showId, cursor: work.cursor, stalls: work.stalls });
  }
  logNightlyRunResumed({ runId: run.id, attempt: attempts, phase: run.phase, outstandingShows: outstanding.length });
  return { ...run, attempts };
}

/** After `maxRunAttempts` nights: close the run so new changes are not held up by a show that keeps failing. */
async function giveUp(deps: NightlyDeps, run: RunState): Promise<void> {
  const outstanding = await outstandingWork(deps, run.id);
  const now = deps.clock();
  const batch = deps.db.batch();
  for (const { snap } of outstanding) batch.update(snap.ref, { done: true });
  batch.update(deps.stateRef, {
    ...runIncrements({ failures: outstanding.length }, { showsDone: outstanding.length }),
    "run.phase": "finished",
    "run.outcome": "gave-up",
    "run.finishedAt": Timestamp.fromDate(now),
    "run.durationMs": now.getTime() - run.startedAt.toMillis(),
    lastWindowEnd: run.window.end,
  });
  await batch.commit();
  logNightlyRunGaveUp({ runId: run.id, attempts: run.attempts, outstandingShows: outstanding.length });
}

/**
 * Advances the run's planning one step at a time, each step committed with its cursor so a crash or a
 * timeout loses at most the step in flight (which is safe to repeat). Stops when everything is
 * queued, or hands over to a `plan` task when the time budget is spent.
 */
export async function advancePlan(deps: NightlyDeps, runId: string, gen: number): Promise<void> {
  const deadline = Date.now() + deps.options.planBudgetMs;
  for (let steps = 0; ; steps++) {
    const state = parseState(await deps.stateRef.get());
    const run = state.run;
    if (!run || run.id !== runId || run.phase === "finished") return;
    if (run.phase === "dispatched") {
      await finishRunIfComplete(deps, runId);
      return;
    }
    // At least one step per call, so a continuation always makes progress.
    if (steps > 0 && Date.now() >= deadline) {
      const at =
        run.phase === "backfill" ? `backfill:${state.backfill.cursor ?? ""}` : `page:${run.cursor.page}:${run.cursor.ttlAfter?.id ?? ""}`;
      await enqueue(deps, { kind: "plan", runId, gen, at });
      return;
    }
    if (run.phase === "backfill") await backfillStep(deps, state);
    else await collectStep(deps, run, gen);
  }
}

async function backfillStep(deps: NightlyDeps, state: NightlyState): Promise<void> {
  const started = Date.now();
  const page = await backfillShowIds(deps.db, state.backfill.cursor, {
    pageSize: deps.options.backfillPageSize,
    scope: deps.options.backfillScope,
  });
  const done = page.next === null;
  await deps.stateRef.update({
    "backfill.cursor": page.next,
    "backfill.scanned": state.backfill.scanned + page.scanned,
    "backfill.updated": state.backfill.updated + page.updated,
    ...(done ? { "backfill.done": true, "backfill.completedAt": Timestamp.fromDate(deps.clock()), "run.phase": "collecting" } : {}),
  });
  logNightlyBackfillPage({ scanned: page.scanned, updated: page.updated, done, durationMs: Date.now() - started });
}

interface CollectedPage {
  showIds: number[];
  /** Where the next step continues, or null when this was the last page. */
  next: RunState["cursor"] | null;
  totalPages: number;
}

/** One page of candidates: `/tv/changes` ids, or the shows of one page of expired seasons (TTL mode). */
async function collectPage(deps: NightlyDeps & { meter: RequestMeter }, run: RunState): Promise<CollectedPage> {
  if (run.mode === "changes") {
    const page = await deps.tmdb.getTvChanges(run.window.start, run.window.end, run.cursor.page, deps.meter);
    const showIds = [...new Set((page?.results ?? []).map((r) => r.id).filter((id) => Number.isSafeInteger(id) && id > 0))];
    const totalPages = Math.min(page?.total_pages ?? 1, MAX_CHANGES_PAGE);
    return { showIds, totalPages, next: run.cursor.page < totalPages ? { page: run.cursor.page + 1, ttlAfter: null } : null };
  }
  // TTL fallback: season documents older than the shortest TTL, oldest first.
  const page = await listExpiredSeasonShows(deps.db, deps.config.cache, deps.clock(), run.cursor.ttlAfter, deps.options.ttlPageSize);
  return { showIds: page.showIds, totalPages: 0, next: page.next ? { page: run.cursor.page + 1, ttlAfter: page.next } : null };
}

async function collectStep(nightly: NightlyDeps, run: RunState, gen: number): Promise<void> {
  const started = Date.now();
  const deps = metered(nightly);
  let page: CollectedPage;
  try {
    page = await collectPage(deps, run);
  } catch (error) {
    if (error instanceof AppError) await deps.stateRef.update(runIncrements({ failures: 1, tmdbCalls: deps.meter.requests }));
    throw error; // the scheduler's retry, or tomorrow's resume, reads this page again
  }
  deps.probe?.({ type: "changes-page", page: run.cursor.page, showIds: page.showIds });

  const limit = pLimit(deps.options.prepareConcurrency);
  const outcomes = await Promise.all(page.showIds.map((showId) => limit(() => prepareShow(deps, run, showId))));
  const planned = page.showIds.filter((_, i) => outcomes[i] === "planned");
  // Shows planned by an earlier attempt at this same page are queued again: the ids are deterministic,
  // so this only adds the tasks that attempt did not get to.
  await enqueueRefresh(
    deps,
    run.id,
    gen,
    page.showIds.filter((_, i) => outcomes[i] !== "nothing-cached"),
  );

  const tmdbCalls = deps.meter.requests;
  await deps.stateRef.update({
    ...runIncrements({ changesPages: run.mode === "changes" ? 1 : 0, changedShows: page.showIds.length, tmdbCalls }),
    ...(page.next ? { "run.cursor": page.next } : { "run.phase": "dispatched" }),
  });
  logNightlyChangesPage({
    runId: run.id,
    page: run.cursor.page,
    totalPages: page.totalPages,
    changedShows: page.showIds.length,
    plannedShows: planned.length,
    tmdbCalls,
    durationMs: Date.now() - started,
  });
}
