import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { logTvdbEpisodesNotRecorded } from "../shared/logs";
import { isWithinTtl, ttlDays } from "./freshness";
import { findDocuments, matchOf, type LookupDeps } from "./lookups";

/**
 * `tmdb_cache/lookups/tvdb_episodes/{tmdbShowId}`: the TVDB episode ids `/find` resolved to that show,
 * each with TMDB's numbers and when TMDB answered (epoch ms):
 * `{ episodes: { [tvdbEpisodeId]: [season, episode, answeredAtMs] }, lastUpdated }`.
 *
 * The per-id find documents (`lookups.ts`) stay the truth and the only thing that asks TMDB (under their
 * locks); this document only gathers their answers per show, so an import of a TV Time export (whose
 * `seen_episode.csv` names episodes by TVDB id alone) reads one document per show instead of one per
 * episode. An entry is served while its answer is within the find documents' TTL, never older.
 * Entries are compact (a 10,000-episode daily soap is about 350 KB of the 1 MiB limit).
 */
export interface TvdbEpisodesDoc {
  episodes: Record<string, [season: number, episode: number, answeredAtMs: number]>;
  lastUpdated: Timestamp;
}

export const tvdbEpisodesRef = (db: Firestore, showId: number) =>
  db.collection("tmdb_cache").doc("lookups").collection("tvdb_episodes").doc(String(showId));

export interface TvdbEpisode {
  showId: number;
  season: number;
  episode: number;
}

/** `found` maps every id TMDB answered (null: no episode); ids TMDB could not be asked about right now are absent. */
export interface TvdbEpisodesResult {
  found: Map<string, TvdbEpisode | null>;
  failed: number;
}

/** Ids asked of the find documents in the first round; a round that finds only new ids doubles the next, up to the last. */
const FIRST_ROUND = 8;
const LAST_ROUND = 512;

/**
 * TMDB episodes for TVDB episode ids, reading per-show maps first: the maps of `showHints` (the shows
 * the caller's file names), then, round by round, the find documents of a few ids still unanswered
 * and the maps of the shows they turn out to belong to, which answer those shows' other ids. Ids no
 * map answers are found through the find documents (one TMDB request per distinct id across all users),
 * and their answers are added to their shows' maps (one merge write per show with new entries).
 * When the maps already answered ids, the rest are expected to be new to the cache: their find documents
 * are created without being read first (a cold id costs no read).
 */
export async function findTvdbEpisodes(deps: LookupDeps, ids: string[], showHints: number[] = []): Promise<TvdbEpisodesResult> {
  const found = new Map<string, TvdbEpisode | null>();
  const wanted = new Set(ids);
  const now = deps.clock();
  const ttl = ttlDays(false, deps.config.cache);
  const servable = (answeredAtMs: number) => isWithinTtl(new Date(answeredAtMs), ttl, now);
  /** The entries of every map read so far, by show. */
  const maps = new Map<number, TvdbEpisodesDoc["episodes"]>();
  const readMaps = async (showIds: number[]) => {
    const fresh = [...new Set(showIds)].filter((id) => !maps.has(id));
    if (fresh.length === 0) return;
    const snaps = await deps.db.getAll(...fresh.map((id) => tvdbEpisodesRef(deps.db, id)));
    snaps.forEach((snap, i) => {
      const episodes = (snap.get("episodes") as TvdbEpisodesDoc["episodes"] | undefined) ?? {};
      maps.set(fresh[i], episodes);
      for (const [id, [season, episode, answeredAtMs]] of Object.entries(episodes)) {
        if (wanted.has(id) && !found.has(id) && servable(answeredAtMs)) found.set(id, { showId: fresh[i], season, episode });
      }
    });
  };

  if (wanted.size > 0) await readMaps(showHints);
  let failed = 0;
  let round = FIRST_ROUND;
  let assumeMissing = found.size > 0;
  const pending = [...wanted];
  let next = 0;
  for (;;) {
    const batch: string[] = [];
    while (next < pending.length && batch.length < round) {
      const id = pending[next++];
      if (!found.has(id)) batch.push(id);
    }
    if (batch.length === 0) break;
    const startedAt = deps.clock().getTime();
    const docs = await findDocuments(
      deps,
      batch.map((id) => ({ source: "tvdb_id" as const, id, kind: "episode" as const })),
      { assumeMissing },
    );
    const answers = new Map<string, { episode: TvdbEpisode; answeredAtMs: number }>();
    let allNew = true;
    docs.forEach((doc, i) => {
      if ("error" in doc) {
        failed++;
        return;
      }
      const answeredAtMs = doc.lastUpdated.toMillis();
      if (answeredAtMs < startedAt) allNew = false;
      const match = matchOf("episode", doc);
      if (match?.kind !== "episode") {
        found.set(batch[i], null);
        return;
      }
      const episode = { showId: match.showId, season: match.season, episode: match.episode };
      found.set(batch[i], episode);
      if (servable(answeredAtMs)) answers.set(batch[i], { episode, answeredAtMs });
    });
    const before = found.size;
    await readMaps([...answers.values()].map((answer) => answer.episode.showId));
    await recordAnswers(deps, maps, answers);
    // Maps that answered more ids: keep rounds small, they find the shows. Only new ids: grow, and stop reading first.
    const mapsHelped = found.size > before;
    round = mapsHelped ? FIRST_ROUND : Math.min(round * 2, LAST_ROUND);
    assumeMissing = allNew && !mapsHelped;
  }
  return { found, failed };
}

/** Adds the answers their shows' maps lack (or hold older), one merge write per show. */
async function recordAnswers(
  deps: LookupDeps,
  maps: Map<number, TvdbEpisodesDoc["episodes"]>,
  answers: Map<string, { episode: TvdbEpisode; answeredAtMs: number }>,
): Promise<void> {
  const byShow = new Map<number, TvdbEpisodesDoc["episodes"]>();
  for (const [id, { episode, answeredAtMs }] of answers) {
    const known = maps.get(episode.showId)?.[id];
    if (known && known[0] === episode.season && known[1] === episode.episode && known[2] >= answeredAtMs) continue;
    const entries = byShow.get(episode.showId) ?? {};
    entries[id] = [episode.season, episode.episode, answeredAtMs];
    byShow.set(episode.showId, entries);
  }
  if (byShow.size === 0) return;
  const lastUpdated = Timestamp.fromDate(deps.clock());
  await Promise.all(
    [...byShow].map(async ([showId, episodes]) => {
      try {
        await tvdbEpisodesRef(deps.db, showId).set({ episodes, lastUpdated }, { merge: true });
        const map = maps.get(showId);
        if (map) Object.assign(map, episodes);
      } catch (error) {
        // The map only saves reads: a show it cannot hold (past 1 MiB) keeps being answered per id.
        logTvdbEpisodesNotRecorded({ showId, entries: Object.keys(episodes).length, message: String(error) });
      }
    }),
  );
}
