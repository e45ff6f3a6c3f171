import type { ShowSpec } from "../fake-tmdb/catalog";

/**
 * A synthetic Trakt `watched-shows.json` (the `/sync/watched/shows` items of a Trakt data export) with
 * the shape of a real heavy user's file: by default 861 shows, 26,465 episodes and 64,552 plays (most
 * episodes seen once, a long tail rewatched up to 59 times, a few shows rewatched whole), 6 shows with a
 * `reset_at`. Deterministic (a seeded generator), so every bench run imports the same file. The shows
 * come with the fake TMDB specs that make them exist (`setShow`).
 */
export interface WatchedShowsExport {
  json: string;
  shows: Array<{ showId: number; spec: ShowSpec }>;
  episodes: number;
  plays: number;
  resets: number;
}

export interface WatchedShowsOptions {
  firstShowId: number;
  shows?: number;
  episodes?: number;
  plays?: number;
  resets?: number;
}

/** mulberry32: a small seeded PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const EPISODES_PER_SEASON = 22;
const MAX_EPISODES_PER_SHOW = 593;
const MAX_PLAYS_PER_EPISODE = 59;
const DAY_MS = 86_400_000;

/** `total` split into `parts` positive integers with a heavy tail (each at most `max`). */
function heavySplit(rand: () => number, parts: number, total: number, max: number): number[] {
  const weights = Array.from({ length: parts }, () => rand() ** 4);
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.min(max, 1 + Math.floor((w / sum) * (total - parts))));
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; left !== 0; i = (i + 1) % parts) {
    if (left > 0 && out[i] < max) {
      out[i]++;
      left--;
    } else if (left < 0 && out[i] > 1) {
      out[i]--;
      left++;
    }
  }
  return out;
}

export function traktWatchedShowsExport(options: WatchedShowsOptions): WatchedShowsExport {
  const showCount = options.shows ?? 861;
  const episodeTotal = options.episodes ?? 26_465;
  const playTotal = options.plays ?? 64_552;
  const resetCount = options.resets ?? 6;
  const rand = random(22);
  const perShow = heavySplit(rand, showCount, episodeTotal, MAX_EPISODES_PER_SHOW);

  // Plays: one per episode, the rest spread over rewatched episodes (a long tail, and whole shows rewatched).
  const playsOf: number[][] = perShow.map((n) => Array.from({ length: n }, () => 1));
  let extra = playTotal - episodeTotal;
  const rewatchedShows = new Set(Array.from({ length: Math.round(showCount * 0.12) }, () => Math.floor(rand() * showCount)));
  while (extra > 0) {
    const show = rand() < 0.7 ? [...rewatchedShows][Math.floor(rand() * rewatchedShows.size)] : Math.floor(rand() * showCount);
    const episode = Math.floor(rand() * perShow[show]);
    const add = Math.min(extra, 1 + Math.floor(rand() ** 3 * 20), MAX_PLAYS_PER_EPISODE - playsOf[show][episode]);
    if (add <= 0) continue;
    playsOf[show][episode] += add;
    extra -= add;
  }

  const start = Date.parse("2012-01-01T20:00:00Z");
  const span = Date.parse("2026-06-01T00:00:00Z") - start;
  const items: unknown[] = [];
  const shows: WatchedShowsExport["shows"] = [];
  perShow.forEach((episodeCount, i) => {
    const showId = options.firstShowId + i;
    const name = `Bench Trakt show ${i + 1}`;
    const seasons = Math.ceil(episodeCount / EPISODES_PER_SEASON);
    const firstAir = new Date(start - 400 * DAY_MS + Math.floor(rand() * 300) * DAY_MS).toISOString().slice(0, 10);
    shows.push({
      showId,
      spec: {
        name,
        seasons: Array.from({ length: seasons }, (_, s) => ({
          episodes: Math.min(EPISODES_PER_SEASON, episodeCount - s * EPISODES_PER_SEASON),
          airDate: firstAir,
          intervalDays: 1,
        })),
      },
    });
    // Watched in order over a stretch of the years, each episode at an evening minute.
    const from = start + Math.floor(rand() * span * 0.8);
    const length = Math.floor(rand() * span * 0.2);
    let last = from;
    const seasonItems = Array.from({ length: seasons }, (_, s) => ({
      number: s + 1,
      episodes: Array.from({ length: Math.min(EPISODES_PER_SEASON, episodeCount - s * EPISODES_PER_SEASON) }, (_, e) => {
        const k = s * EPISODES_PER_SEASON + e;
        const at = from + Math.floor((k / episodeCount) * length) + Math.floor(rand() * 180) * 60_000;
        last = Math.max(last, at);
        return { number: e + 1, plays: playsOf[i][k], last_watched_at: new Date(at).toISOString() };
      }),
    }));
    const plays = playsOf[i].reduce((a, b) => a + b, 0);
    const reset = i < resetCount ? new Date(from + Math.floor(length / 2)).toISOString() : null;
    items.push({
      plays,
      last_watched_at: new Date(last).toISOString(),
      last_updated_at: new Date(last + 27_000).toISOString(),
      reset_at: reset,
      show: {
        title: name,
        year: Number(firstAir.slice(0, 4)),
        ids: {
          trakt: 500_000 + i,
          slug: `bench-trakt-show-${i + 1}`,
          tvdb: 900_000 + i,
          imdb: `tt${9_000_000 + i}`,
          tmdb: showId,
          tvrage: null,
        },
      },
      seasons: seasonItems,
    });
  });
  return { json: JSON.stringify(items, null, 2), shows, episodes: episodeTotal, plays: playTotal, resets: resetCount };
}
