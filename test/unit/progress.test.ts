import { Timestamp } from "firebase-admin/firestore";
import type { SeasonEpisodes, ShowFacts } from "../../functions/src/cache/documents";
import { advanceStart, nextInAirOrder } from "../../functions/src/progress/advance";
import { hasAired } from "../../functions/src/shared/dates";
import {
  activityMillis,
  computeShowProgress,
  findNextEpisode,
  episodesInAirOrder,
  type ShowCatalog,
} from "../../functions/src/progress/counting";
import { getShowProgressRequestSchema, showProgressSchema } from "../../functions/src/progress/schemas";
import type { TrackingDoc } from "../../functions/src/tracking/trackingDoc";

const today = "2024-06-10";
const at = (iso: string) => Timestamp.fromDate(new Date(iso));

function season(airDates: Array<string | null>, start = 1): SeasonEpisodes {
  return Object.fromEntries(
    airDates.map((airDate, i) => [String(start + i), { episodeId: 1000 + i, episodeName: `E${start + i}`, episodeAirDate: airDate }]),
  );
}

/** Season 1 aired; season 2 has its last episode next week; two specials, one never dated. */
function catalog(): ShowCatalog {
  const seasons = new Map<number, SeasonEpisodes>([
    [0, season(["2020-05-01", null])],
    [1, season(["2024-01-01", "2024-01-08", "2024-01-15"])],
    [2, season(["2024-06-03", "2024-06-10", "2024-06-17"])],
  ]);
  const facts: ShowFacts = {
    name: "Sample",
    showStatus: "Returning Series",
    inProduction: true,
    numberOfSeasons: 2,
    numberOfEpisodes: 6,
    seasons: {
      "0": { episodeCount: 2, airDate: null },
      "1": { episodeCount: 3, airDate: "2024-01-01" },
      "2": { episodeCount: 3, airDate: "2024-06-03" },
    },
    nextEpisodeToAir: { season: 2, episode: 3, airDate: "2024-06-17" },
    notFound: false,
  };
  return { facts, seasons };
}

const watched = (...keys: string[]): TrackingDoc => ({
  episodes: Object.fromEntries(keys.map((key, i) => [key, { watched: true, watchedAt: at(`2024-02-0${i + 1}T20:00:00Z`) }])),
});

function progress(tracking: TrackingDoc, options: { includeSpecials?: boolean; catalog?: ShowCatalog | null } = {}) {
  const result = computeShowProgress({
    showId: 42,
    tracking,
    catalog: options.catalog === undefined ? catalog() : options.catalog,
    name: null,
    today,
    includeSpecials: options.includeSpecials ?? false,
  });
  showProgressSchema.parse(result);
  return result;
}

describe("computeShowProgress", () => {
  it("counts aired regular episodes only, and watched ones among them (Trakt)", () => {
    const result = progress(watched("1_1", "1_2", "0_1", "2_3"));
    expect(result).toMatchObject({ showId: 42, name: "Sample", aired: 5, completed: 2, total: 6, percent: 40, label: "2/5 episodes" });
    expect(result.seasons).toEqual([
      { season: 1, aired: 3, completed: 2 },
      { season: 2, aired: 2, completed: 0 },
    ]);
  });

  it("includes season 0 on request: dated specials count as aired, the total grows by the specials", () => {
    const result = progress(watched("1_1", "0_1"), { includeSpecials: true });
    expect(result).toMatchObject({ aired: 6, completed: 2, total: 8, label: "2/6 episodes" });
    expect(result.seasons[0]).toEqual({ season: 0, aired: 1, completed: 1 });
  });

  it("floors the percentage, so 100 means every aired episode is watched", () => {
    expect(progress(watched("1_1", "1_2", "1_3", "2_1")).percent).toBe(80);
    expect(progress(watched("1_1", "1_2")).percent).toBe(40);
    expect(progress(watched("1_1", "1_2", "1_3", "2_1", "2_2"))).toMatchObject({ percent: 100, nextEpisode: null });
    const unaired = {
      ...catalog(),
      seasons: new Map([
        [1, season([null, "2030-01-01"])],
        [2, season([])],
      ]),
    };
    expect(progress({}, { catalog: unaired })).toMatchObject({ aired: 0, percent: 0, label: "0/0 episodes", nextEpisode: null });
  });

  it("answers from the user's data when TMDB data is unknown", () => {
    const result = progress(watched("1_1", "1_2", "2_5", "0_1", "bogus"), { catalog: null });
    expect(result).toMatchObject({
      name: null,
      aired: null,
      completed: 3,
      total: null,
      percent: null,
      label: "3 episodes",
      nextEpisode: null,
    });
    expect(result.seasons).toEqual([
      { season: 1, aired: null, completed: 2 },
      { season: 2, aired: null, completed: 1 },
    ]);
    expect(progress(watched("0_1"), { catalog: null, includeSpecials: true }).label).toBe("1 episodes");
  });

  it("reports lastWatchedAt from the episodes when the document has none, and the pointer", () => {
    const doc: TrackingDoc = { ...watched("1_1", "1_2"), current: { season: 1, episode: 3 } };
    doc.episodes = { ...doc.episodes, "1_3": { watched: false, watchedAt: at("2024-05-01T00:00:00Z") } };
    expect(progress(doc)).toMatchObject({ lastWatchedAt: "2024-02-02T20:00:00.000Z", current: { season: 1, episode: 3 } });
    expect(progress({ ...doc, lastWatchedAt: at("2024-03-01T00:00:00Z") }).lastWatchedAt).toBe("2024-03-01T00:00:00.000Z");
    expect(progress({})).toMatchObject({ lastWatchedAt: null, current: null, completed: 0 });
  });
});

describe("nextEpisode (up next)", () => {
  const ordered = episodesInAirOrder(catalog().seasons, [1, 2]);

  it("starts at the first aired episode when nothing is watched", () => {
    expect(findNextEpisode(ordered, {}, today)).toMatchObject({ season: 1, episode: 1 });
  });

  it("is the first unwatched aired episode after the last watched one, across seasons", () => {
    expect(progress(watched("1_1")).nextEpisode).toEqual({ season: 1, episode: 2, name: "E2", airDate: "2024-01-08" });
    expect(findNextEpisode(ordered, watched("1_1", "1_3").episodes, today)).toMatchObject({ season: 2, episode: 1 });
    expect(findNextEpisode(ordered, watched("1_1", "1_2", "1_3", "2_1").episodes, today)).toMatchObject({ season: 2, episode: 2 });
  });

  it("is null when caught up (only unaired episodes left)", () => {
    expect(findNextEpisode(ordered, watched("2_2").episodes, today)).toBeNull();
  });

  it("treats an air date of today as aired and an unknown one as not", () => {
    expect(hasAired("2024-06-10", today)).toBe(true);
    expect(hasAired("2024-06-11", today)).toBe(false);
    expect(hasAired(null, today)).toBe(false);
  });
});

describe("advance order", () => {
  const seasons = catalog().seasons;

  it("moves to the next episode of the season, then to the first of the next regular season, then ends", () => {
    expect(nextInAirOrder(seasons, { season: 1, episode: 1 })).toEqual({ season: 1, episode: 2 });
    expect(nextInAirOrder(seasons, { season: 1, episode: 3 })).toEqual({ season: 2, episode: 1 });
    expect(nextInAirOrder(seasons, { season: 2, episode: 3 })).toBeNull();
  });

  it("leads specials into season 1, skips empty seasons and gaps in numbering", () => {
    expect(nextInAirOrder(seasons, { season: 0, episode: 2 })).toEqual({ season: 1, episode: 1 });
    const odd = new Map<number, SeasonEpisodes>([
      [1, season(["2020-01-01", "2020-01-08"])],
      [2, {}],
      [3, season(["2022-01-01"], 5)],
    ]);
    expect(nextInAirOrder(odd, { season: 1, episode: 2 })).toEqual({ season: 3, episode: 5 });
    expect(nextInAirOrder(odd, { season: 3, episode: 1 })).toEqual({ season: 3, episode: 5 });
  });

  it("starts at the pointer, else at up next among regular seasons, else nowhere", () => {
    const show = catalog();
    expect(advanceStart({ current: { season: 2, episode: 3 } }, show, today)).toEqual({ season: 2, episode: 3 });
    expect(advanceStart(watched("0_1", "1_1"), show, today)).toEqual({ season: 1, episode: 2 });
    expect(advanceStart({ ...watched("1_1", "1_2", "1_3", "2_1", "2_2"), current: null }, show, today)).toBeNull();
  });
});

describe("library order", () => {
  it("uses the latest of lastWatchedAt, the episodes' watchedAt and updatedAt", () => {
    expect(activityMillis({})).toBe(0);
    expect(activityMillis(watched("1_1"))).toBe(Date.parse("2024-02-01T20:00:00Z"));
    expect(activityMillis({ ...watched("1_1"), updatedAt: at("2024-04-01T00:00:00Z") })).toBe(Date.parse("2024-04-01T00:00:00Z"));
  });
});

describe("progress payloads", () => {
  it("validates showId and includeSpecials", () => {
    expect(getShowProgressRequestSchema.safeParse({ showId: 1, includeSpecials: true }).success).toBe(true);
    expect(getShowProgressRequestSchema.safeParse({ showId: 0 }).success).toBe(false);
    expect(getShowProgressRequestSchema.safeParse({ showId: 1, includeSpecials: "yes" }).success).toBe(false);
  });
});
