import { exportHistory } from "../../functions/src/history/exportHistory";
import { exportHistoryResponseSchema } from "../../functions/src/history/schemas";
import { syncHistory } from "../../functions/src/history/syncHistory";
import { markMovieWatched } from "../../functions/src/library/movies";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const history = (uid: string) => env.db.collection("users").doc(uid).collection("history");

describe("markMovieWatched", () => {
  it("records a play per viewing, ignores retries of the same one, and un-marks", async () => {
    const uid = uniqueId("user");
    const movieId = uniqueShowId();
    await env.fake.setMovie(movieId, { title: "Marked", runtime: 120, releaseDate: "2010-07-16" });
    let now = Date.parse("2025-06-01T20:00:00Z");
    const ctx = env.context({ clock: () => new Date(now) });

    expect(await markMovieWatched(ctx, uid, { movieId })).toEqual({ movieId, plays: 1 });
    // A retry a minute later is the same viewing.
    now += 60_000;
    expect(await markMovieWatched(ctx, uid, { movieId })).toEqual({ movieId, plays: 1 });
    // A rewatch on another day is a second play; so is one with an explicit date.
    now += 86_400_000;
    expect(await markMovieWatched(ctx, uid, { movieId })).toEqual({ movieId, plays: 2 });
    expect(await markMovieWatched(ctx, uid, { movieId, watchedAt: "2020-01-01T12:00:00Z" })).toEqual({ movieId, plays: 3 });
    const docs = (await history(uid).get()).docs.map((d) => d.data());
    expect(docs.every((d) => d.movieId === movieId && d.source === "app" && d.showId === undefined)).toBe(true);

    expect(await markMovieWatched(ctx, uid, { movieId, watched: false })).toEqual({ movieId, plays: 0 });
    expect((await history(uid).get()).size).toBe(0);
    await expect(markMovieWatched(ctx, uid, { movieId: 31_404 })).rejects.toMatchObject({ code: "not-found" });
  });
});

describe("movie history through syncHistory and exportHistory", () => {
  it("records a movie played twice and round-trips it in Trakt's movie item shape", async () => {
    const [a, b] = [uniqueId("user"), uniqueId("user")];
    const movieId = uniqueShowId();
    const showId = uniqueShowId();
    await env.fake.setMovie(movieId, { title: "Twice Seen", runtime: 100, releaseDate: "1999-03-31" });
    await env.fake.setShow(showId, { name: "Beside It", seasons: [{ episodes: 2, airDate: "2020-01-01" }] });
    const movieItem = (id: string, watchedAt: string) => ({
      id,
      watched_at: watchedAt,
      action: "watch",
      type: "movie",
      movie: { title: "Twice Seen", year: 1999, ids: { trakt: 1, tmdb: movieId } },
    });
    const items = [
      movieItem("9007199254740993", "2024-02-01T20:00:00.000Z"),
      movieItem("501", "2024-05-01T20:00:00.000Z"),
      {
        id: 502,
        watched_at: "2024-03-01T20:00:00.000Z",
        action: "watch",
        type: "episode",
        episode: { season: 1, number: 1 },
        show: { title: "Beside It", ids: { tmdb: showId } },
      },
    ];
    const ctx = env.context();
    expect(await syncHistory(ctx, a, items)).toEqual({
      added: 3,
      duplicates: 0,
      skipped: { movies: 0, noTmdbId: 0, invalid: 0 },
      shows: 1,
    });
    expect(await syncHistory(ctx, a, items)).toEqual({
      added: 0,
      duplicates: 3,
      skipped: { movies: 0, noTmdbId: 0, invalid: 0 },
      shows: 1,
    });
    const stored = (await history(a).where("movieId", "==", movieId).get()).docs.map((d) => d.id).sort();
    expect(stored).toEqual(["trakt_501", "trakt_9007199254740993"]);

    const exported = exportHistoryResponseSchema.parse(await exportHistory(ctx, a, { limit: 10 }));
    expect(exported.items).toEqual([
      {
        id: "501",
        watched_at: "2024-05-01T20:00:00.000Z",
        action: "watch",
        type: "movie",
        movie: { title: "Twice Seen", year: 1999, ids: { tmdb: movieId } },
      },
      expect.objectContaining({ id: "502", type: "episode", show: { title: "Beside It", ids: { tmdb: showId } } }),
      {
        id: "9007199254740993",
        watched_at: "2024-02-01T20:00:00.000Z",
        action: "watch",
        type: "movie",
        movie: { title: "Twice Seen", year: 1999, ids: { tmdb: movieId } },
      },
    ]);

    // What was exported syncs into another account as the same plays.
    expect(await syncHistory(ctx, b, exported.items)).toEqual({
      added: 3,
      duplicates: 0,
      skipped: { movies: 0, noTmdbId: 0, invalid: 0 },
      shows: 1,
    });
    const again = await exportHistory(ctx, b, { limit: 10 });
    expect(again.items).toEqual(exported.items);
  });

  it("exports an app movie play with a synthetic id that comes back as the same viewing", async () => {
    const uid = uniqueId("user");
    const movieId = uniqueShowId();
    await env.fake.setMovie(movieId, { title: "Native", runtime: null, releaseDate: null });
    const ctx = env.context({ clock: () => new Date("2025-01-01T21:00:00Z") });
    await markMovieWatched(ctx, uid, { movieId });
    const { items } = await exportHistory(ctx, uid, {});
    expect(items).toEqual([
      {
        id: expect.stringMatching(/^\d+$/),
        watched_at: "2025-01-01T21:00:00.000Z",
        action: "watch",
        type: "movie",
        movie: { title: "Native", year: null, ids: { tmdb: movieId } },
      },
    ]);
    expect(BigInt(items[0].id) >= 1n << 62n).toBe(true);
    expect(await syncHistory(ctx, uid, items)).toMatchObject({ added: 0, duplicates: 1 });
  });
});
