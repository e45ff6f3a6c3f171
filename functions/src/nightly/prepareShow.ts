import { FieldPath, Timestamp, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { seasonRef, showRef, type SeasonCacheDoc } from "../cache/documents";
import { isSeasonOngoing, isWithinTtl, ttlDays } from "../cache/freshness";
import { classifyCacheDoc } from "../cache/lock";
import type { NightlyDeps } from "./deps";
import { staleMarkFor } from "./staleMark";
import { lostRace, runIncrements, workRef, type RunState, type WorkItem } from "./state";

export type PrepareOutcome = "planned" | "already-planned" | "nothing-cached";

/** The `tmdb_cache/tv/seasons` collection (derived from the cache's own path helper). */
export const cachedSeasons = (db: Firestore) => seasonRef(db, 1, 0).parent;

/** `tmdb_cache/tv/seasons/{show}_{season}` ids of one show: the range `"{show}_"` … `"{show}_\uf8ff"`. */
async function cachedSeasonDocs(deps: NightlyDeps, showId: number): Promise<Array<{ season: number; snap: DocumentSnapshot }>> {
  const prefix = `${showId}_`;
  const snaps = await cachedSeasons(deps.db)
    .orderBy(FieldPath.documentId())
    .startAt(prefix)
    .endAt(`${prefix}\uf8ff`)
    .get();
  return snaps.docs.flatMap((snap) => {
    const season = Number(snap.id.slice(prefix.length));
    return Number.isSafeInteger(season) && season >= 0 ? [{ season, snap }] : [];
  });
}

/**
 * Plans one show of the run: picks its cached seasons (all of them for a TMDB-reported change; the
 * expired ones in TTL mode), marks the complete ones stale (never a document under a lock), and
 * records the work item together with the run's counters in one atomic write. Safe to repeat: a show
 * already planned for this run is left alone, and documents refreshed since the run began are not
 * marked again.
 */
export async function prepareShow(deps: NightlyDeps, run: RunState, showId: number): Promise<PrepareOutcome> {
  const [seasonDocs, showSnap] = await Promise.all([cachedSeasonDocs(deps, showId), showRef(deps.db, showId).get()]);
  if (seasonDocs.length === 0 && !showSnap.exists) return "nothing-cached";
  const ref = workRef(deps.stateRef, showId);
  const existing = await ref.get();
  if (existing.get("runId") === run.id) return "already-planned";

  const now = deps.clock();
  const markContext = { now, runStartedAt: run.startedAt.toDate(), config: deps.config.cache };
  let seasons: number[];
  let marked = 0;
  if (run.mode === "changes") {
    seasons = seasonDocs.map(({ season }) => season);
    const results = await Promise.all([...seasonDocs.map(({ snap }) => markStale(snap, markContext)), showSnap.exists ? markStale(showSnap, markContext) : false]);
    marked = results.filter(Boolean).length;
  } else {
    seasons = seasonDocs.filter(({ snap }) => isExpired(deps, snap, now)).map(({ season }) => season);
    if (seasons.length === 0) return "nothing-cached";
  }

  const work: WorkItem = {
    runId: run.id,
    showId,
    seasons: seasons.sort((a, b) => a - b),
    show: run.mode === "changes" && showSnap.exists,
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

/** Back-dates a complete cache document (see `staleMarkFor`) if it is still the version we read. */
async function markStale(snap: DocumentSnapshot, context: Parameters<typeof staleMarkFor>[1]): Promise<boolean> {
  const data = snap.data() as { status?: string; lastUpdated?: Timestamp } | undefined;
  // A populating document is being refreshed right now (or its lock is abandoned, and the refresh will take it over).
  if (data?.status !== "complete" || !(data.lastUpdated instanceof Timestamp)) return false;
  const mark = staleMarkFor(data.lastUpdated.toDate(), context);
  if (!mark) return false;
  try {
    await snap.ref.update({ lastUpdated: Timestamp.fromDate(mark) }, { lastUpdateTime: snap.updateTime as Timestamp });
    return true;
  } catch (error) {
    if (lostRace(error)) return false; // someone took its lock or refreshed it since we read it
    throw error;
  }
}

/** TTL mode: the season is past its TTL (or its lock was abandoned) and nobody holds it now. */
function isExpired(deps: NightlyDeps, snap: DocumentSnapshot, now: Date): boolean {
  const data = snap.data() as SeasonCacheDoc | undefined;
  if (!data || !(data.lastUpdated instanceof Timestamp)) return false;
  const isFresh = (doc: SeasonCacheDoc, at: Date) =>
    isWithinTtl(doc.lastUpdated.toDate(), ttlDays(isSeasonOngoing(Object.values(doc.episodes ?? {}), at), deps.config.cache), at);
  const state = classifyCacheDoc(data, isFresh, deps.config.cache.lockLeaseSeconds, now);
  return state === "stale" || state === "abandoned";
}
