import { findFieldsOf, matchOf } from "../../functions/src/cache/lookups";

describe("what a /find answer maps an external id to", () => {
  const find = {
    tv_results: [{ id: 1399 }],
    tv_episode_results: [{ show_id: 1399, season_number: 8, episode_number: 6 }],
    movie_results: [{ id: 27205 }],
  };

  it("keeps the first show, episode and movie result", () => {
    expect(findFieldsOf(find)).toEqual({ showId: 1399, episode: { showId: 1399, season: 8, episode: 6 }, movieId: 27205 });
    expect(findFieldsOf(null)).toEqual({ showId: null, episode: null, movieId: null });
    expect(findFieldsOf({ tv_results: [], tv_episode_results: [], movie_results: [] })).toEqual({
      showId: null,
      episode: null,
      movieId: null,
    });
  });

  it("answers each kind from the same fields", () => {
    const fields = findFieldsOf(find);
    expect(matchOf("show", fields)).toEqual({ kind: "show", showId: 1399 });
    expect(matchOf("episode", fields)).toEqual({ kind: "episode", showId: 1399, season: 8, episode: 6 });
    expect(matchOf("movie", fields)).toEqual({ kind: "movie", movieId: 27205 });
    expect(matchOf("movie", { showId: 1, episode: null, movieId: undefined })).toBeNull();
    expect(matchOf("episode", { showId: 1, episode: undefined })).toBeNull();
  });
});
