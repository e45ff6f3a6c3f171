import { addDays, LONG_SHOW_ID, SOAP_SHOW_ID, showSpecFor, type ShowSpec } from "../tools/fake-tmdb/catalog";
import { MAX_APPENDED_SEASONS } from "../functions/src/tmdb/client";

/** What one user has watched of one show: the episodes their tracking document lists. */
export interface LibraryShow {
  showId: number;
  episodes: Array<{ season: number; episode: number }>;
}

export interface BenchShow {
  showId: number;
  spec: ShowSpec;
  /** Registered with the fake through `setShow`; false for the fake's built-in shows. */
  custom: boolean;
}

/**
 * The cold library: 100 ended shows with 3..7 seasons (500 in all) of 10..30 weekly episodes
 * (9,806 in all). Deterministic, so every run enriches exactly the same data.
 */
export function coldLibraryShows(firstId: number): BenchShow[] {
  return Array.from({ length: 100 }, (_, i) => {
    const seasonCount = 3 + (i % 5);
    const start = addDays("2001-01-07", i * 41);
    const seasons = Array.from({ length: seasonCount }, (_, s) => ({
      episodes: 10 + ((i * 7 + s * 11) % 21),
      airDate: addDays(start, s * 364),
      intervalDays: 7,
    }));
    return { showId: firstId + i, spec: { name: `Bench Show ${i + 1}`, status: "Ended", inProduction: false, seasons }, custom: true };
  });
}

/** Five popular shows of two 10-episode seasons each, for the crowd. */
export function popularShows(firstId: number): BenchShow[] {
  return Array.from({ length: 5 }, (_, i) => ({
    showId: firstId + i,
    spec: {
      name: `Popular Show ${i + 1}`,
      status: "Ended",
      inProduction: false,
      seasons: [0, 1].map((s) => ({ episodes: 10, airDate: addDays("2019-03-01", i * 7 + s * 364), intervalDays: 7 })),
    },
    custom: true,
  }));
}

export const builtInShow = (showId: typeof LONG_SHOW_ID | typeof SOAP_SHOW_ID): BenchShow => ({
  showId,
  spec: showSpecFor(showId) as ShowSpec,
  custom: false,
});

/** Every regular episode of the show watched. */
export function wholeShow(show: BenchShow): LibraryShow {
  const episodes = show.spec.seasons.flatMap((season, s) =>
    Array.from({ length: season.episodes }, (_, e) => ({ season: s + 1, episode: e + 1 })),
  );
  return { showId: show.showId, episodes };
}

/** Crowd user `u` has watched one episode of every season of every popular show, which one varies by user. */
export function crowdLibrary(shows: BenchShow[], u: number): LibraryShow[] {
  return shows.map((show) => ({
    showId: show.showId,
    episodes: show.spec.seasons.map((season, s) => ({ season: s + 1, episode: 1 + ((u + s) % season.episodes) })),
  }));
}

export const episodeCount = (library: LibraryShow[]) => library.reduce((n, show) => n + show.episodes.length, 0);
export const seasonCount = (library: LibraryShow[]) => library.reduce((n, show) => n + new Set(show.episodes.map((e) => e.season)).size, 0);

/**
 * The fewest TMDB requests each strategy needs for a cold cache, the numerator of the lower bound:
 * the season cache, one `/tv/{id}` per show with up to 20 seasons appended (a single season is one
 * `/season/{n}` request); one request per season; the baseline, one per episode.
 */
export function minimumRequests(libraries: LibraryShow[][], strategy: "appended" | "per-season" | "per-episode"): number {
  const seasonsByShow = new Map<number, Set<number>>();
  for (const library of libraries) {
    for (const show of library) {
      const seasons = seasonsByShow.get(show.showId) ?? new Set<number>();
      show.episodes.forEach((e) => seasons.add(e.season));
      seasonsByShow.set(show.showId, seasons);
    }
  }
  if (strategy === "per-episode") return libraries.reduce((n, library) => n + episodeCount(library), 0);
  let total = 0;
  for (const seasons of seasonsByShow.values())
    total += strategy === "per-season" ? seasons.size : Math.ceil(seasons.size / MAX_APPENDED_SEASONS);
  return total;
}
