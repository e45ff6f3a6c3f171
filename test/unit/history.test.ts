import { Timestamp } from "firebase-admin/firestore";
import { parseHistoryCsv } from "../../functions/src/history/csv";
import { parseCsvTimestamp } from "../../functions/src/shared/dates";
import { airedEpisodes } from "../../functions/src/history/markWatched";
import { nativePlayId, nativePlayOfSyntheticId, syntheticTraktId, type EpisodePlay } from "../../functions/src/tracking/plays";
import { applyPlays } from "../../functions/src/tracking/repository";
import { syncHistoryRequestSchema, traktIdSchema } from "../../functions/src/history/schemas";
import { cleanTitle, pickSearchResult, titleDocId } from "../../functions/src/cache/titles";
import { classifyTraktItem } from "../../functions/src/history/traktItems";

const item = (overrides: Record<string, unknown> = {}) => ({
  id: 1234,
  watched_at: "2024-01-02T20:00:00.000Z",
  action: "watch",
  type: "episode",
  episode: { season: 1, number: 2, title: "Two", ids: { trakt: 5, tvdb: 6, imdb: null, tmdb: 7 } },
  show: { title: "Show", year: 2020, ids: { trakt: 1, slug: "show", tvdb: 81189, imdb: "tt0903747", tmdb: 1396 } },
  ...overrides,
});

describe("traktIdSchema", () => {
  it("keeps ids above 2^53 exact when sent as strings, and canonicalises them", () => {
    expect(traktIdSchema.parse("9007199254740993")).toBe("9007199254740993");
    expect(traktIdSchema.parse("18446744073709551615")).toBe("18446744073709551615");
    expect(traktIdSchema.parse("007")).toBe("7");
    expect(traktIdSchema.parse(42)).toBe("42");
    expect(traktIdSchema.parse(9007199254740993n)).toBe("9007199254740993");
  });

  it("refuses numbers that already lost precision, and anything that is not a positive 64-bit integer", () => {
    for (const bad of [2 ** 53, Number("9007199254740993"), 1.5, 0, -1, "0", "-3", "1e5", "18446744073709551616", "", null, {}]) {
      expect(traktIdSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe("classifyTraktItem", () => {
  it("reads an episode item with a TMDB id", () => {
    expect(classifyTraktItem(item())).toEqual({
      kind: "episode",
      traktId: "1234",
      watchedAt: new Date("2024-01-02T20:00:00.000Z"),
      action: "watch",
      season: 1,
      episode: 2,
      show: { tmdb: 1396 },
    });
  });

  it("falls back to external ids, and counts an item with none as having no TMDB id", () => {
    const show = (ids: object) => ({ title: "S", ids });
    expect(classifyTraktItem(item({ show: show({ tmdb: null, tvdb: 81189, imdb: "tt0903747" }) }))).toMatchObject({
      show: { tvdb: "81189", imdb: "tt0903747" },
    });
    expect(classifyTraktItem(item({ show: show({ imdb: "tt0903747" }) }))).toMatchObject({ show: { imdb: "tt0903747" } });
    expect(classifyTraktItem(item({ show: show({ trakt: 1, slug: "s" }) }))).toEqual({ kind: "noShowId" });
  });

  it("makes movie items movie plays when they carry a TMDB id", () => {
    const movie = { id: "9007199254740993", watched_at: "2024-01-01T10:00:00Z", action: "watch", type: "movie" };
    expect(classifyTraktItem({ ...movie, movie: { title: "M", ids: { tmdb: 603, imdb: "tt0133093" } } })).toEqual({
      kind: "movie",
      traktId: "9007199254740993",
      watchedAt: new Date("2024-01-01T10:00:00Z"),
      action: "watch",
      movieId: 603,
    });
    expect(classifyTraktItem({ ...movie, movie: { title: "M", ids: { imdb: "tt0133093" } } })).toEqual({ kind: "noShowId" });
    expect(classifyTraktItem({ ...movie })).toEqual({ kind: "noShowId" });
    expect(classifyTraktItem({ type: "movie", movie: { title: "M" } })).toMatchObject({ kind: "invalid" });
    expect(classifyTraktItem({ type: "movie" })).toMatchObject({ kind: "invalid" });
  });

  it("defaults a missing action to watch", () => {
    const { action: _action, ...rest } = item();
    expect(classifyTraktItem(rest)).toMatchObject({ kind: "episode", action: "watch" });
  });

  it.each([
    ["null", null],
    ["a string", "x"],
    ["a lossy id", item({ id: 2 ** 53 + 2 })],
    ["a bad date", item({ watched_at: "yesterday" })],
    ["an unknown type", item({ type: "show" })],
    ["a negative season", item({ episode: { season: -1, number: 1, ids: {} } })],
    ["episode 0", item({ episode: { season: 1, number: 0, ids: {} } })],
    ["no show", item({ show: undefined })],
    ["a bad tmdb id", item({ show: { title: "S", ids: { tmdb: "1396" } } })],
  ])("marks %s invalid", (_label, value) => {
    expect(classifyTraktItem(value).kind).toBe("invalid");
  });

  it("accepts up to 1000 items of anything in the payload, and no more", () => {
    expect(syncHistoryRequestSchema.safeParse({ items: Array.from({ length: 1000 }, () => 1) }).success).toBe(true);
    expect(syncHistoryRequestSchema.safeParse({ items: Array.from({ length: 1001 }, () => 1) }).success).toBe(false);
  });
});

describe("cleanTitle", () => {
  it.each([
    ["The Office (US)", { query: "The Office", key: "the office|" }],
    ["Doctor Who (2005)", { query: "Doctor Who", year: 2005, key: "doctor who|2005" }],
    ["Shameless (US) (2011)", { query: "Shameless", year: 2011, key: "shameless|2011" }],
    ["Shameless (2011) (US)", { query: "Shameless", year: 2011, key: "shameless|2011" }],
    ["  Breaking   Bad ", { query: "Breaking Bad", key: "breaking bad|" }],
    ["1883", { query: "1883", key: "1883|" }],
    ["(2019)", { query: "(2019)", key: "(2019)|" }],
    ["Show (Director's Cut)", { query: "Show (Director's Cut)", key: "show (director's cut)|" }],
  ])("%s", (raw, expected) => {
    expect(cleanTitle(raw)).toEqual(expected);
  });

  it("gives every title a Firestore-safe document id", () => {
    expect(titleDocId("ac/dc|")).toMatch(/^[0-9a-f]{40}$/);
    expect(titleDocId(".|")).not.toBe(titleDocId("..|"));
  });

  it("prefers an exact name match over TMDB's first result", () => {
    const results = [
      { id: 1, name: "The Office Christmas" },
      { id: 2, name: "the office" },
    ];
    expect(pickSearchResult("The Office", results)).toBe(2);
    expect(pickSearchResult("Office", results)).toBe(1);
    expect(pickSearchResult("Office", [])).toBeNull();
  });
});

describe("parseHistoryCsv", () => {
  it("parses quoted fields, commas and line breaks inside quotes, CRLF and a BOM; counts rows as a spreadsheet does", () => {
    const csv =
      "\uFEFFtitle,season,episode,watched_at,tmdb_id\r\n" +
      '"Law & Order, SVU",1,2,2024-01-02T20:00:00Z,\r\n' +
      "\r\n" +
      '"Two\r\nLines",2,3,2024-01-03 21:30,\r\n' +
      "Plain,0,1,2024-01-04,1396\r\n" +
      "Bad season,x,1,2024-01-04,\r\n" +
      '"Quoted ""Name""",1,1,2024-02-30T00:00:00Z,\r\n' +
      ",1,1,2024-01-04,\r\n" +
      "Short,1\r\n";
    const { rows, invalidRows } = parseHistoryCsv(csv);
    expect(rows).toEqual([
      { row: 2, title: "Law & Order, SVU", season: 1, episode: 2, watchedAt: new Date("2024-01-02T20:00:00Z") },
      { row: 4, title: "Two\r\nLines", season: 2, episode: 3, watchedAt: new Date("2024-01-03T21:30:00Z") },
      { row: 5, title: "Plain", season: 0, episode: 1, watchedAt: new Date("2024-01-04T00:00:00Z"), tmdbId: 1396 },
    ]);
    expect(invalidRows).toEqual([6, 7, 8, 9]);
  });

  it("reads columns by name in any order and ignores extra columns", () => {
    const { rows } = parseHistoryCsv("Watched_At,Episode,Notes,Season,Title\n2024-01-01T00:00:00+02:00,4,great,2,Foo\n");
    expect(rows).toEqual([{ row: 2, title: "Foo", season: 2, episode: 4, watchedAt: new Date("2023-12-31T22:00:00Z") }]);
  });

  it("refuses a file without the header, or one that is not CSV at all", () => {
    expect(() => parseHistoryCsv("Foo,1,1,2024-01-01\n")).toThrow(/header row must be title,season,episode,watched_at/);
    expect(() => parseHistoryCsv('title,season,episode,watched_at\n"unclosed,1,1,2024-01-01\n')).toThrow(/^csv: /);
  });

  it("parses the timestamp forms spreadsheets write and rejects impossible ones", () => {
    expect(parseCsvTimestamp("2024-01-31T20:00:00.123456Z")?.toISOString()).toBe("2024-01-31T20:00:00.123Z");
    expect(parseCsvTimestamp("2024-01-31T20:00:00-0500")?.toISOString()).toBe("2024-02-01T01:00:00.000Z");
    expect(parseCsvTimestamp("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    for (const bad of ["2023-02-29", "2024-01-31T24:00:00Z", "31/01/2024", "2024-1-3", "", "2024-01-31T20:61Z"]) {
      expect(parseCsvTimestamp(bad)).toBeNull();
    }
  });
});

describe("play ids", () => {
  const play = { showId: 1396, season: 1, episode: 2, watchedAt: new Date("2024-01-02T20:00:00.000Z") };

  it("gives exported plays a stable synthetic id in [2^62, 2^63) that leads back to the play", () => {
    const historyId = nativePlayId("app", play.showId, play.season, play.episode, play.watchedAt);
    expect(historyId).toBe("app_1396_1_2_1704225600000");
    const id = syntheticTraktId(historyId);
    expect(id).toBe(syntheticTraktId(historyId));
    expect(BigInt(id) >= 2n ** 62n && BigInt(id) < 2n ** 63n).toBe(true);
    expect(nativePlayOfSyntheticId(id, play)).toEqual({ historyId, source: "app" });
    expect(nativePlayOfSyntheticId(id, { ...play, episode: 3 })).toBeNull();
    expect(nativePlayOfSyntheticId("123", play)).toBeNull();
  });

  it("applyPlays sets watched, keeps the latest watchedAt, counts plays and keeps other fields", () => {
    const early = Timestamp.fromDate(new Date("2023-01-01T00:00:00Z"));
    const plays: EpisodePlay[] = [
      { ...play, historyId: "a", source: "trakt", sourceId: "1", action: "watch" },
      { ...play, historyId: "b", source: "trakt", sourceId: "2", action: "watch", watchedAt: new Date("2022-01-01T00:00:00Z") },
    ];
    const changed = applyPlays({ "1_2": { watched: false, watchedAt: early, episodeName: "Two", posterPath: "/p" } }, plays);
    expect(changed["1_2"]).toEqual({
      watched: true,
      watchedAt: Timestamp.fromDate(play.watchedAt),
      plays: 2,
      episodeName: "Two",
      posterPath: "/p",
    });
  });
});

describe("airedEpisodes", () => {
  it("keeps episodes that aired on or before today, in order; unknown dates have not aired", () => {
    const episodes = {
      "3": { episodeId: 3, episodeName: "c", episodeAirDate: "2024-06-01" },
      "1": { episodeId: 1, episodeName: "a", episodeAirDate: "2024-05-01" },
      "2": { episodeId: 2, episodeName: "b", episodeAirDate: null },
      "4": { episodeId: 4, episodeName: "d", episodeAirDate: "2024-06-02" },
    };
    expect(airedEpisodes(2, episodes, "2024-06-01")).toEqual([
      { season: 2, episode: 1 },
      { season: 2, episode: 3 },
    ]);
  });
});
