import type { Timestamp } from "firebase-admin/firestore";
import { isSeasonExpired, markStale, readCachedShow } from "../cache/operations";
import type { NightlyDeps } from "./deps";
import { staleMarkFor } from "./staleMark";
import { lostRace, runIncrements, workRef, type RunState, type WorkItem } from "./state";

export type PrepareOutcome = "planned" | "already-planned" | "nothing-cached";

/**
 * Plans one show of the run: picks its cached seasons (all of them for a TMDB-reported change; the
 * expired ones in TTL mode), marks the complete ones stale (never a document under a lock), and
 * records the work item together with the run's counters in one atomic write. Safe to repeat: a show
 * already planned for this run is left alone, and documents refreshed since the run began are not
 * marked again.
 */
export async function prepareShow(deps: NightlyDeps, run: RunState, showId: number): Promise<PrepareOutcome> {
  const { seasons: seasonDocs, show: showDoc } = await readCachedShow(deps.db, showId);
  if (seasonDocs.length === 0 && !showDoc) return "nothing-cached";
  const ref = workRef(deps.stateRef, showId);
  const existing = await ref.get();
  if (existing.get("runId") === run.id) return "already-planned";

  const now = deps.clock();
  const markContext = { now, runStartedAt: run.startedAt.toDate(), config: deps.config.cache };
  let seasons: number[];
  let marked = 0;
  if (run.mode === "changes") {
    seasons = seasonDocs.map(({ season }) => season);
    const markFor = (lastUpdated: Date) => staleMarkFor(lastUpdated, markContext);
    const results = await Promise.all([...seasonDocs.map((doc) => markStale(doc, markFor)), showDoc ? markStale(showDoc, markFor) : false]);
    marked = results.filter(Boolean).length;
  } else {
    seasons = seasonDocs.filter((doc) => isSeasonExpired(doc, deps.config.cache, now)).map(({ season }) => season);
    if (seasons.length === 0) return "nothing-cached";
  }

  const work: WorkItem = {
    runId: run.id,
    showId,
    seasons: seasons.sort((a, b) => a - b),
    show: run.mode === "changes" && showDoc !== null,
    refreshed: false,
    cursor: null,
    stalls: 0,
    done: false,
    counts: { seasonsRefreshed: 0, tmdbCalls: 0, documentsRead: 0, documentsUpdated: 0, failures: 0 },
  };
  const batch = deps.db.batch();
  if (existing.exists) batch.update(ref, { ...work }, { lastUpdateTime: existing.updateTime as Timestamp });
  else batch.create(ref, work);
  batch.update(deps.stateRef, runIncrements({ showsPlanned: 1, seasonsMarked: marked }, { showsTotal: 1 }));
  try {
    await batch.commit();
  } catch (error) {
    if (lostRace(error)) return "already-planned"; // a concurrent planner pass planned it
    throw error;
  }
  deps.probe?.({ type: "show-planned", showId, seasons: work.seasons });
  return "planned";
}
