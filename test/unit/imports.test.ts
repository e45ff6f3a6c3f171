import { readUpload } from "../../functions/src/imports/readUpload";
import { formatByCsvHeader, formatByName } from "../../functions/src/imports/detect";
import { ImportFileError } from "../../functions/src/imports/errors";
import type { EpisodePlayRecord, ImportRecord, ParsedFile } from "../../functions/src/imports/records";
import { parseExportTime } from "../../functions/src/imports/times";
import { makeZip } from "../../tools/exports/zip";

const read = (name: string, text: string | Buffer, hint?: "auto" | "tvtime" | "trakt" | "csv") =>
  readUpload(name, Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8"), hint);
const only = async (name: string, text: string): Promise<ParsedFile> => {
  const files = await read(name, text);
  expect(files).toHaveLength(1);
  return files[0];
};
const plays = (records: ImportRecord[]) => records.filter((r): r is EpisodePlayRecord => r.kind === "episodePlay");
async function failure(promise: Promise<unknown>): Promise<ImportFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error("expected the import to fail");
}

describe("parseExportTime", () => {
  it("reads TV Time's zone-less times as UTC, with or without +0000 UTC", () => {
    expect(parseExportTime("2019-03-27 23:20:33")?.toISOString()).toBe("2019-03-27T23:20:33.000Z");
    expect(parseExportTime("2019-03-27 23:20:33 +0000 UTC")?.toISOString()).toBe("2019-03-27T23:20:33.000Z");
  });
  it("puts a date alone at 12:00 UTC that day", () => {
    expect(parseExportTime("2021-06-01")?.toISOString()).toBe("2021-06-01T12:00:00.000Z");
  });
  it("keeps ISO-8601 offsets and rejects impossible dates", () => {
    expect(parseExportTime("2024-01-02T20:00:00.000Z")?.toISOString()).toBe("2024-01-02T20:00:00.000Z");
    expect(parseExportTime("2024-01-02T20:00:00+02:00")?.toISOString()).toBe("2024-01-02T18:00:00.000Z");
    for (const bad of ["2024-02-30", "2024-01-01 25:00:00", "yesterday", "", "1700000000"]) expect(parseExportTime(bad)).toBeNull();
  });
});

describe("format detection", () => {
  it("knows the export file names, in any folder", () => {
    expect(formatByName("tvtime/seen_episode.csv")).toBe("tvtime.seen_episode");
    expect(formatByName("tracking-prod-records-v2.csv")).toBe("tvtime.tracking_v2");
    expect(formatByName("tracking-prod-records.csv")).toBe("tvtime.tracking_movies");
    expect(formatByName("watched-history.json")).toBe("trakt.watched_history");
    expect(formatByName("ratings-episodes.json")).toBe("trakt.ratings");
    expect(formatByName("watchlist-movies.json")).toBe("trakt.watchlist");
    expect(formatByName("notes.txt")).toBeNull();
  });
  it("falls back to the header, whatever the column order", () => {
    expect(formatByCsvHeader(["watched_at", "episode", "season", "title"])).toBe("csv.history");
    expect(formatByCsvHeader(["user_id", "cpt", "episode_id", "created_at"])).toBe("tvtime.rewatched_episode");
    expect(formatByCsvHeader(["episode_id", "user_id", "created_at"])).toBe("tvtime.seen_episode");
    expect(
      formatByCsvHeader(["series_tvdb_id", "series_imdb_id", "title", "season", "episode", "tvdb_id", "is_watched", "watched_at"]),
    ).toBe("tvtime.app_episodes");
    expect(formatByCsvHeader(["foo", "bar"])).toBeNull();
  });
});

describe("TV Time GDPR files", () => {
  it("seen_episode.csv: one play per row keyed by the TVDB episode id, columns by name", async () => {
    const file = await only(
      "seen_episode.csv",
      "updated_at,episode_id,user_id,created_at\n2020-01-02 10:00:00 +0000 UTC,349232,1,2020-01-01 20:00:00 +0000 UTC\n,notanid,1,2020-01-01\n",
    );
    expect(file.format).toBe("tvtime.seen_episode");
    expect(plays(file.records)).toEqual([
      expect.objectContaining({
        source: "tvtime",
        sourceId: "349232",
        target: { tvdbEpisodeId: "349232" },
        watchedAt: new Date("2020-01-01T20:00:00Z"),
      }),
    ]);
    expect(file.invalid).toEqual([expect.objectContaining({ file: "seen_episode.csv", row: 3 })]);
  });

  it("rewatched_episode.csv: cpt rewatches, ids _r1.._rN, the last one at updated_at", async () => {
    const file = await only(
      "rewatched_episode.csv",
      "user_id,episode_id,cpt,created_at,updated_at\n1,77,2,2021-01-01 10:00:00,2021-03-01 10:00:00\n",
    );
    expect(plays(file.records).map((p) => [p.sourceId, p.watchedAt.toISOString()])).toEqual([
      ["77_r1", "2021-01-01T10:00:00.000Z"],
      ["77_r2", "2021-03-01T10:00:00.000Z"],
    ]);
  });

  it("user_tv_show_data.csv and followed_tv_show.csv: followed, favourite, archived", async () => {
    const data = await only(
      "user_tv_show_data.csv",
      "tv_show_name,user_id,tv_show_id,is_followed,is_favorited,nb_episodes_seen\nA,1,81189,1,1,10\nB,1,5,0,0,3\n",
    );
    expect(data.records).toEqual([
      expect.objectContaining({ kind: "showState", show: { tvdb: "81189", title: "A" }, status: "watching", favorite: true }),
    ]);
    const followed = await only(
      "followed_tv_show.csv",
      "created_at,archived,tv_show_name,user_id,tv_show_id\n2020-01-01,1,Lost,1,73739\n2020-01-01,0,Fringe,1,82066\n",
    );
    expect(followed.records.map((r) => r.kind === "showState" && [r.show.tvdb, r.status])).toEqual([
      ["73739", "dropped"],
      ["82066", "watching"],
    ]);
  });

  it("tracking-prod-records-v2.csv: watch-/rewatch-episode plays and user-series states by key", async () => {
    const csv = [
      "s_id,ep_id,key,created_at,s_no,ep_no,series_name,is_for_later,is_archived,is_followed",
      "81189,349232,watch-episode-1-349232,2022-05-01 21:00:00,1,1,Breaking Bad,,,",
      "81189,349232,rewatch-episode-1-349232-a,2023-05-01 21:00:00,1,1,Breaking Bad,,,",
      "81189,349232,rewatch-episode-1-349232-b,2023-06-01 21:00:00,1,1,Breaking Bad,,,",
      "81189,,user-series-1-81189,2022-05-01,,,Breaking Bad,0,0,1",
      "82066,,user-series-1-82066,2022-05-01,,,Fringe,1,0,0",
      "0,0,movie-watch-1,2022-05-01,,,,,,",
    ].join("\n");
    const file = await only("tracking-prod-records-v2.csv", csv);
    expect(plays(file.records).map((p) => p.sourceId)).toEqual(["349232", "349232_r1", "349232_r2"]);
    expect(plays(file.records)[0].target).toEqual({
      tvdbEpisodeId: "349232",
      show: { tvdb: "81189", title: "Breaking Bad" },
      season: 1,
      episode: 1,
    });
    expect(file.records.filter((r) => r.kind === "showState").map((r) => r.kind === "showState" && r.status)).toEqual([
      "watching",
      "planned",
    ]);
  });

  it("tracking-prod-records.csv: movies by name and year, watched or to watch", async () => {
    const file = await only(
      "tracking-prod-records.csv",
      "uuid,type,entity_type,movie_name,release_date,watch_date,created_at\nu-1,watch,movie,Inception,2010-07-16,2020-02-02 20:00:00,2020-02-02\nu-2,towatch,movie,Dune,2021-09-15,,2021-01-01\n",
    );
    expect(file.records).toEqual([
      expect.objectContaining({
        kind: "moviePlay",
        sourceId: "movie_u-1",
        movie: { title: "Inception", year: 2010 },
        watchedAt: new Date("2020-02-02T20:00:00Z"),
      }),
      expect.objectContaining({ kind: "watchlist", media: { type: "movie", movie: { title: "Dune", year: 2021 } } }),
    ]);
  });

  it("the later in-app episodes CSV: watched rows with rewatch_count, unwatched rows ignored", async () => {
    const csv =
      "series_tvdb_id,series_imdb_id,title,season,episode,tvdb_id,is_watched,watched_at,rewatch_count,special\n81189,tt0903747,Breaking Bad,1,2,349233,true,2022-01-01 10:00:00,1,false\n81189,tt0903747,Breaking Bad,1,3,349234,false,,0,false\n";
    const file = await only("tvtime-episodes.csv", csv);
    expect(file.format).toBe("tvtime.app_episodes");
    expect(plays(file.records).map((p) => p.sourceId)).toEqual(["349233", "349233_r1"]);
  });

  it("a recognised file missing a required column fails naming the file and the column", async () => {
    const error = await failure(read("rewatched_episode.csv", "user_id,episode_id,created_at\n1,2,2020-01-01\n"));
    expect(error.code).toBe("missing-column");
    expect(error.column).toBe("cpt");
    expect(error.message).toContain("rewatched_episode.csv");
  });
});

describe("Trakt export files", () => {
  const historyItem = {
    id: 12152226892,
    watched_at: "2026-04-01T11:10:00.000Z",
    action: "watch",
    type: "episode",
    episode: {
      ids: { imdb: null, plex: { guid: "x" }, tmdb: 6815172, tvdb: 11471275, trakt: 13522451, tvrage: 0 },
      title: "T",
      number: 13,
      season: 2,
    },
    show: {
      ids: { imdb: "tt22091076", plex: { guid: "y", slug: "z" }, slug: "s", tmdb: 226637, tvdb: 434988, trakt: 205414, tvrage: 0 },
      year: 2024,
      title: "High Potential",
    },
  };

  it("watched-history.json: plays with exact 64-bit ids, extra nested ids tolerated, movies kept", async () => {
    const movie = {
      id: "9223372036854775807",
      watched_at: "2025-01-01T10:00:00.000Z",
      action: "checkin",
      type: "movie",
      movie: { title: "M", year: 2000, ids: { tmdb: 603, imdb: "tt0133093" } },
    };
    const text = JSON.stringify([historyItem, movie, { id: 5, type: "episode" }]).replace('"9223372036854775807"', "9223372036854775807");
    const file = await only("watched-history.json", text);
    expect(file.records).toEqual([
      expect.objectContaining({
        kind: "episodePlay",
        sourceId: "12152226892",
        target: expect.objectContaining({ season: 2, episode: 13, show: expect.objectContaining({ tmdb: 226637, tvdb: "434988" }) }),
      }),
      expect.objectContaining({
        kind: "moviePlay",
        sourceId: "9223372036854775807",
        movie: { tmdb: 603, imdb: "tt0133093", title: "M", year: 2000 },
        action: "checkin",
      }),
    ]);
    expect(file.invalid).toHaveLength(1);
  });

  it("watched-shows.json: per-episode play counts and the show's reset_at", async () => {
    const item = {
      plays: 3,
      last_watched_at: "2024-02-01T00:00:00.000Z",
      reset_at: "2024-01-01T00:00:00.000Z",
      show: { title: "Breaking Bad", year: 2008, ids: { trakt: 1, tvdb: 81189, imdb: "tt0903747", tmdb: 1396, tvrage: 0 } },
      seasons: [
        {
          number: 1,
          episodes: [
            { number: 1, plays: 2, last_watched_at: "2024-02-01T00:00:00.000Z" },
            { number: 2, plays: 1, last_watched_at: "2023-02-01T00:00:00.000Z" },
          ],
        },
      ],
    };
    const file = await only("watched-shows.json", JSON.stringify([item]));
    expect(file.records).toEqual([
      expect.objectContaining({ kind: "showState", resetAt: new Date("2024-01-01T00:00:00Z") }),
      expect.objectContaining({ kind: "episodePlayCount", season: 1, episode: 1, plays: 2 }),
      expect.objectContaining({ kind: "episodePlayCount", season: 1, episode: 2, plays: 1 }),
    ]);
  });

  it("ratings-*.json and watchlist-*.json", async () => {
    const show = { title: "BB", year: 2008, ids: { tmdb: 1396 } };
    const ratings = await only(
      "ratings-episodes.json",
      JSON.stringify([
        { rated_at: "2024-01-01T00:00:00.000Z", rating: 9, type: "episode", episode: { season: 1, number: 2 }, show },
        { rated_at: "2024-01-01T00:00:00.000Z", rating: 8, type: "season", season: { number: 1 }, show },
        { rated_at: "2024-01-01T00:00:00.000Z", rating: 11, type: "show", show },
      ]),
    );
    expect(ratings.records.map((r) => r.kind === "rating" && [r.target.type, r.rating])).toEqual([
      ["episode", 9],
      ["season", 8],
    ]);
    expect(ratings.invalid).toHaveLength(1);
    const watchlist = await only("watchlist-shows.json", JSON.stringify([{ listed_at: "2024-01-01T00:00:00.000Z", type: "show", show }]));
    expect(watchlist.records).toEqual([
      expect.objectContaining({ kind: "watchlist", media: { type: "show", show: { tmdb: 1396, title: "BB", year: 2008 } } }),
    ]);
  });

  it("recognises a renamed Trakt file by its first item", async () => {
    const file = await only("my-trakt.json", JSON.stringify([historyItem]));
    expect(file.format).toBe("trakt.watched_history");
  });

  it("bad JSON in a Trakt file fails naming the file", async () => {
    const error = await failure(read("watched-history.json", "[{"));
    expect(error.code).toBe("invalid-json");
    expect(error.message).toContain("watched-history.json");
  });
});

describe("this product's CSV", () => {
  it("reads title,season,episode,watched_at[,tmdb_id] in any order", async () => {
    const file = await only(
      "history.csv",
      "tmdb_id,watched_at,episode,season,title\n1396,2024-01-01T10:00:00Z,2,1,Breaking Bad\n,2024-01-01,1,1,Lost\n,bad,1,1,Lost\n",
    );
    expect(plays(file.records).map((p) => [p.source, p.sourceId, p.target.show])).toEqual([
      ["csv", null, { tmdb: 1396, title: "Breaking Bad" }],
      ["csv", null, { title: "Lost" }],
    ]);
    expect(file.invalid.map((r) => r.row)).toEqual([4]);
  });
});

describe("uploads", () => {
  it("reads the export files of a ZIP and skips the rest", async () => {
    const zip = makeZip([
      { name: "tvtime/seen_episode.csv", data: "episode_id,created_at\n11,2020-01-01 10:00:00\n" },
      { name: "tvtime/user_tv_show_data.csv", data: "tv_show_id,is_followed\n81189,1\n" },
      { name: "tvtime/profile.csv", data: "name,email\nx,y\n" },
    ]);
    const files = await read("export.zip", zip);
    expect(files.map((f) => f.format).sort()).toEqual(["tvtime.seen_episode", "tvtime.user_tv_show_data"]);
  });

  it("fails a corrupt ZIP, a ZIP bomb, a ZIP with no export file and an unknown file", async () => {
    const zip = makeZip([{ name: "seen_episode.csv", data: "episode_id,created_at\n1,2020-01-01\n" }]);
    expect((await failure(read("export.zip", zip.subarray(0, zip.length - 30)))).code).toBe("corrupt-zip");
    const bomb = makeZip([{ name: "seen_episode.csv", data: Buffer.alloc(60 * 1024 * 1024, 48) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect((await failure(read("export.zip", bomb))).code).toBe("too-large");
    const lying = makeZip([{ name: "seen_episode.csv", data: Buffer.alloc(60 * 1024 * 1024, 48), declaredSize: 10 }]);
    expect(["too-large", "corrupt-zip"]).toContain((await failure(read("export.zip", lying))).code);
    expect((await failure(read("export.zip", makeZip([{ name: "readme.txt", data: "hi" }])))).code).toBe("unsupported-file");
    const unknown = await failure(read("notes.csv", "a,b\n1,2\n"));
    expect(unknown.code).toBe("unsupported-file");
    expect(unknown.message).toContain("notes.csv");
  });

  it("a source hint refuses a file of another source", async () => {
    expect((await failure(read("seen_episode.csv", "episode_id,created_at\n1,2020-01-01\n", "trakt"))).code).toBe("unsupported-file");
  });
});
