import { episodePlay, moviePlay, sameViewing, SAME_VIEWING_WINDOW_MS } from "../../functions/src/tracking/plays";

const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms);

describe("sameViewing (docs/API.md: Firestore paths)", () => {
  it("is one viewing when two different sources report it less than 10 minutes apart", () => {
    expect(sameViewing({ watchedAt: at(0), source: "app" }, { watchedAt: at(60_000), source: "playback" })).toBe(true);
    expect(sameViewing({ watchedAt: at(0), source: "tvtime" }, { watchedAt: at(-9 * 60_000), source: "trakt" })).toBe(true);
    expect(sameViewing({ watchedAt: at(0), source: "app" }, { watchedAt: at(SAME_VIEWING_WINDOW_MS), source: "playback" })).toBe(false);
  });

  it("keeps what one listing source gives as distinct plays, and merges one live source reporting twice", () => {
    expect(sameViewing({ watchedAt: at(0), source: "trakt" }, { watchedAt: at(1000), source: "trakt" })).toBe(false);
    expect(sameViewing({ watchedAt: at(0), source: "tvtime" }, { watchedAt: at(0), source: "tvtime" })).toBe(false);
    expect(sameViewing({ watchedAt: at(0), source: "app" }, { watchedAt: at(1000), source: "app" })).toBe(true);
  });
});

describe("the play factory", () => {
  it("gives source ids and native ids, episode and movie plays", () => {
    expect(episodePlay({ showId: 1, season: 2, episode: 3, watchedAt: at(0), source: "trakt", sourceId: "99" })).toMatchObject({
      historyId: "trakt_99",
      action: "watch",
    });
    expect(episodePlay({ showId: 1, season: 2, episode: 3, watchedAt: at(5), source: "app" }).historyId).toBe(
      `app_1_2_3_${at(5).getTime()}`,
    );
    expect(moviePlay({ movieId: 7, watchedAt: at(5), source: "csv" })).toEqual({
      historyId: `csv_movie_7_${at(5).getTime()}`,
      movieId: 7,
      watchedAt: at(5),
      source: "csv",
      sourceId: null,
      action: "watch",
    });
  });

  it("refuses a time Firestore cannot store as invalid-argument", () => {
    for (const watchedAt of [new Date("0000-01-01T00:00:00Z"), new Date("9999-12-31T23:59:59-05:00"), new Date(Number.NaN)]) {
      expect(() => episodePlay({ showId: 1, season: 1, episode: 1, watchedAt, source: "app" })).toThrow(
        expect.objectContaining({ code: "invalid-argument" }),
      );
    }
    expect(
      episodePlay({
        showId: 1,
        season: 1,
        episode: 1,
        watchedAt: new Date("0001-01-01T00:00:00Z"),
        source: "app",
      }).watchedAt.getUTCFullYear(),
    ).toBe(1);
  });
});
