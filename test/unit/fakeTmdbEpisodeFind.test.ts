import {
  episodeFromExternalConvention,
  imdbEpisodeIdFor,
  showIdFromExternalConvention,
  tvdbEpisodeIdFor,
} from "../../tools/fake-tmdb/catalog";
import { startFakeTmdb, type FakeTmdb } from "../../tools/fake-tmdb/server";

let tmdb: FakeTmdb;
beforeAll(async () => {
  tmdb = await startFakeTmdb({ port: 0, today: "2024-06-01" });
});
afterAll(() => tmdb.close());

interface FindBody {
  tv_results: Array<{ id: number }>;
  tv_episode_results: Array<Record<string, unknown>>;
}
const find = async (id: string, source: string) =>
  (await (await fetch(`${tmdb.url}/find/${id}?external_source=${source}&api_key=fake-tmdb-key`)).json()) as FindBody;

describe("fake TMDB /find by episode ids", () => {
  it("round-trips the conventions and never reads an episode id as a show id (or the reverse)", () => {
    expect(tvdbEpisodeIdFor(1399, 1, 1)).toBe("81399020001");
    expect(imdbEpisodeIdFor(1399, 1, 1)).toBe("tt01399020001");
    for (const [show, season, episode] of [
      [1, 0, 1],
      [1399, 8, 6],
      [900002, 1, 10_000],
      [9_000_000, 49, 19_999],
    ]) {
      expect(episodeFromExternalConvention("tvdb_id", tvdbEpisodeIdFor(show, season, episode))).toEqual({ showId: show, season, episode });
      expect(episodeFromExternalConvention("imdb_id", imdbEpisodeIdFor(show, season, episode))).toEqual({ showId: show, season, episode });
      expect(showIdFromExternalConvention("tvdb_id", tvdbEpisodeIdFor(show, season, episode))).toBeNull();
      expect(showIdFromExternalConvention("imdb_id", imdbEpisodeIdFor(show, season, episode))).toBeNull();
    }
    for (const showId of [1, 1399, 123456, 9_999_999]) {
      expect(episodeFromExternalConvention("tvdb_id", `9${showId}`)).toBeNull();
      expect(episodeFromExternalConvention("imdb_id", `tt${String(showId).padStart(7, "0")}`)).toBeNull();
    }
  });

  it("answers tv_episode_results for an existing episode, and keeps tv_results for show ids", async () => {
    const byTvdb = await find(tvdbEpisodeIdFor(1399, 1, 1), "tvdb_id");
    expect(byTvdb.tv_results).toEqual([]);
    expect(byTvdb.tv_episode_results).toEqual([
      expect.objectContaining({ id: 1399020001, show_id: 1399, season_number: 1, episode_number: 1, media_type: "tv_episode" }),
    ]);
    const byImdb = await find(imdbEpisodeIdFor(1399, 8, 6), "imdb_id");
    expect(byImdb.tv_episode_results[0]).toMatchObject({ show_id: 1399, season_number: 8, episode_number: 6 });
    const show = await find("91399", "tvdb_id");
    expect(show.tv_results[0].id).toBe(1399);
    expect(show.tv_episode_results).toEqual([]);
  });

  it("answers nothing for an episode the catalogue does not have", async () => {
    expect((await find(tvdbEpisodeIdFor(1399, 8, 7), "tvdb_id")).tv_episode_results).toEqual([]); // season 8 has 6
    expect((await find(tvdbEpisodeIdFor(1404, 1, 1), "tvdb_id")).tv_episode_results).toEqual([]); // no show 1404
    expect((await find("8000", "tvdb_id")).tv_episode_results).toEqual([]);
  });
});
