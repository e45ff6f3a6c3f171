import type { Firestore } from "firebase-admin/firestore";
import { lookupRef } from "../../functions/src/cache/lookups";
import { findTvdbEpisodes, tvdbEpisodesRef, type TvdbEpisodesDoc } from "../../functions/src/cache/tvdbEpisodes";
import { resolveIds } from "../../functions/src/imports/resolve";
import { readUpload } from "../../functions/src/imports/readUpload";
import { tvdbEpisodeIdFor } from "../../tools/fake-tmdb/catalog";
import { tvTimeExport } from "../../tools/exports/tvtime";
import { startTestEnv, uniqueShowId, type TestEnv } from "../support/admin";

/**
 * Issue 22: a TV Time export names episodes by TVDB id alone; resolving them costs one read per show the
 * file names (its per-show map, `tmdb_cache/lookups/tvdb_episodes/{showId}`), not one per episode (its
 * find document), and a cold id's find document is created without being read first.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** The documents a Firestore instance reads by key while `work` runs, by collection id. */
async function readsDuring<T>(db: Firestore, work: () => Promise<T>): Promise<{ value: T; reads: Map<string, number> }> {
  const funnel = db as unknown as { requestStream: (method: string, bidi: boolean, body: unknown, ...rest: unknown[]) => Promise<unknown> };
  const original = funnel.requestStream;
  const reads = new Map<string, number>();
  funnel.requestStream = function (this: unknown, method: string, bidi: boolean, body: unknown, ...rest: unknown[]) {
    if (method === "batchGetDocuments") {
      for (const name of (body as { documents: string[] }).documents) {
        const collection = name.split("/").slice(-2)[0];
        reads.set(collection, (reads.get(collection) ?? 0) + 1);
      }
    }
    return original.call(this, method, bidi, body, ...rest);
  };
  try {
    return { value: await work(), reads };
  } finally {
    funnel.requestStream = original;
  }
}

const SHOWS = 3;
const WATCHED = 40;

async function newShows() {
  const shows = Array.from({ length: SHOWS }, () => uniqueShowId());
  for (const id of shows) {
    await env.fake.setShow(id, {
      name: `Map show ${id}`,
      seasons: [
        { episodes: 25, airDate: "2015-01-01" },
        { episodes: 25, airDate: "2016-01-01" },
      ],
    });
  }
  const watched = Array.from({ length: WATCHED }, (_, k): [number, number] => [1 + Math.floor(k / 25), 1 + (k % 25)]);
  const ids = shows.flatMap((show) => watched.map(([s, e]) => tvdbEpisodeIdFor(show, s, e)));
  return { shows, watched, ids };
}

const findRequests = async (ids: string[]) => {
  const wanted = new Set(ids.map((id) => `/find/${id}`));
  return (await env.fake.requests("/find/")).filter((r) => wanted.has(r.path)).length;
};

describe("TVDB episode ids through per-show maps", () => {
  it("an export's episode ids cost one read per show once its shows' maps hold them, cold ids no read at all", async () => {
    const { shows, watched, ids } = await newShows();
    const { zip } = tvTimeExport(shows.map((showId) => ({ showId, name: `Map show ${showId}`, watched })));
    const records = (await readUpload("tvtime-export.zip", zip, "auto")).flatMap((file) => file.records);

    // Cold: every id is asked of TMDB once; only the first round's find documents are read, the rest
    // are created without a read. The answers land in one map per show.
    const cold = await readsDuring(env.db, () => resolveIds(env.context(), records));
    expect(cold.value.failed).toBe(0);
    expect(await findRequests(ids)).toBe(ids.length);
    expect(cold.reads.get("find") ?? 0).toBeLessThanOrEqual(8 + SHOWS); // the first round, and the shows' own ids
    for (const [i, showId] of shows.entries()) {
      const map = (await tvdbEpisodesRef(env.db, showId).get()).data() as TvdbEpisodesDoc;
      expect(Object.keys(map.episodes)).toHaveLength(WATCHED);
      expect(map.episodes[tvdbEpisodeIdFor(showId, 2, 3)]?.slice(0, 2)).toEqual([2, 3]);
      expect(cold.value.episode({ tvdbEpisodeId: ids[i * WATCHED + 27] })).toEqual({ showId, season: 2, episode: 3 });
    }

    // Warm, the same file (its followed_tv_show.csv names the shows): one map read per show, no find
    // document of an episode read, nothing asked of TMDB, nothing written.
    const warm = await readsDuring(env.db, () => resolveIds(env.context(), records));
    expect(warm.reads.get("tvdb_episodes")).toBe(SHOWS);
    expect(warm.reads.get("find")).toBe(SHOWS); // the shows' TVDB ids, not their episodes'
    expect(await findRequests(ids)).toBe(ids.length);
    for (const [i, id] of ids.entries()) {
      expect(warm.value.episode({ tvdbEpisodeId: id })).toEqual({
        showId: shows[Math.floor(i / WATCHED)],
        season: watched[i % WATCHED][0],
        episode: watched[i % WATCHED][1],
      });
    }

    // seen_episode.csv alone (no show named): a few find documents find each show, whose map answers the rest.
    const alone = await readsDuring(env.db, () => findTvdbEpisodes(env.context(), ids));
    expect(alone.value.found.size).toBe(ids.length);
    expect(alone.reads.get("tvdb_episodes")).toBe(SHOWS);
    expect(alone.reads.get("find") ?? 0).toBeLessThanOrEqual(8 * SHOWS);
  });

  it("ids a map does not hold (or holds past the TTL) go through their find documents, and are added to the map", async () => {
    const { shows, ids } = await newShows();
    const [showId] = shows;
    const first = ids.slice(0, 10);
    await findTvdbEpisodes(env.context(), first, [showId]);
    expect(Object.keys(((await tvdbEpisodesRef(env.db, showId).get()).data() as TvdbEpisodesDoc).episodes).sort()).toEqual(
      [...first].sort(),
    );

    // Ten more of the show: the map answers its ten, the others are found and added.
    const more = ids.slice(0, 20);
    const { value, reads } = await readsDuring(env.db, () => findTvdbEpisodes(env.context(), more, [showId]));
    expect(value.found.size).toBe(20);
    expect(reads.get("find") ?? 0).toBe(0); // ids the map lacks are expected new: created, not read
    expect(await findRequests(more)).toBe(20);
    expect(Object.keys(((await tvdbEpisodesRef(env.db, showId).get()).data() as TvdbEpisodesDoc).episodes)).toHaveLength(20);

    // Past the find documents' TTL the map is not served: the find documents answer (and are refreshed).
    const later = new Date(Date.now() + 31 * 86_400_000);
    const stale = await findTvdbEpisodes(env.context({ clock: () => later }), first, [showId]);
    expect(stale.found.size).toBe(10);
    expect(await findRequests(first)).toBe(20);
    expect((await lookupRef(env.db, "find", `tvdb_${first[0]}`).get()).get("lastUpdated").toMillis()).toBe(later.getTime());
  });
});
