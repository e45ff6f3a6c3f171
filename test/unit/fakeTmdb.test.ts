import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  GOT_SHOW_ID,
  LONG_SHOW_ID,
  SOAP_SHOW_ID,
  addDays,
  episodeIdFor,
  imdbIdFor,
  seasonAirDates,
  showSpecFor,
  tvdbIdFor,
} from "../../tools/fake-tmdb/catalog";
import { FakeTmdbControl } from "../../tools/fake-tmdb/control";
import { startFakeTmdb, type FakeTmdb } from "../../tools/fake-tmdb/server";

const KEY = "fake-tmdb-key";
const TODAY = "2024-06-01";
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, "../../tools/fake-tmdb/fixtures", `${name}.json`), "utf8")) as Record<string, unknown>;
const keysOf = (o: object): string[] => Object.keys(o).sort();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are inspected freely
type Json = any;

interface Res {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

let tmdb: FakeTmdb;

async function get(path: string, init: { auth?: "key" | "bearer" | "none"; signal?: AbortSignal; base?: string } = {}): Promise<Res> {
  const auth = init.auth ?? "key";
  const url = new URL(`${init.base ?? tmdb.url}${path}`);
  if (auth === "key") url.searchParams.set("api_key", KEY);
  const res = await fetch(url, {
    headers: auth === "bearer" ? { Authorization: "Bearer fake-tmdb-read-token" } : {},
    signal: init.signal,
  });
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

beforeAll(async () => {
  tmdb = await startFakeTmdb({ port: 0, today: TODAY });
});
afterAll(() => tmdb.close());
afterEach(() => tmdb.reset());

describe("auth", () => {
  it("rejects a request without credentials with TMDB's 401 body", async () => {
    const res = await get("/tv/1", { auth: "none" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ success: false, status_code: 7, status_message: "Invalid API key: You must be granted a valid key." });
  });

  it("rejects a wrong api_key and a wrong bearer token", async () => {
    expect((await fetch(`${tmdb.url}/tv/1?api_key=nope`)).status).toBe(401);
    expect((await fetch(`${tmdb.url}/tv/1`, { headers: { Authorization: "Bearer nope" } })).status).toBe(401);
  });

  it("accepts the v3 api_key query parameter and the v4 bearer token", async () => {
    expect((await get("/tv/1", { auth: "key" })).status).toBe(200);
    expect((await get("/tv/1", { auth: "bearer" })).status).toBe(200);
  });

  it("counts 401s in stats", async () => {
    await get("/tv/1", { auth: "none" });
    expect(await tmdb.stats()).toEqual({ total: 1, byPath: { "/tv/1": 1 } });
  });

  it("honours custom credentials", async () => {
    const other = await startFakeTmdb({ apiKey: "k2", readToken: "t2" });
    try {
      expect((await fetch(`${other.url}/tv/1?api_key=k2`)).status).toBe(200);
      expect((await fetch(`${other.url}/tv/1`, { headers: { Authorization: "Bearer t2" } })).status).toBe(200);
      expect((await fetch(`${other.url}/tv/1?api_key=${KEY}`)).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe("response shapes match the fixtures", () => {
  it("series details", async () => {
    const res = await get("/tv/42");
    expect(res.status).toBe(200);
    const fx = fixture("tv-series-details");
    expect(keysOf(res.body)).toEqual(keysOf(fx));
    expect(keysOf(res.body.seasons[0])).toEqual(keysOf((fx.seasons as object[])[0]));
    expect(keysOf(res.body.last_episode_to_air)).toEqual(keysOf(fx.last_episode_to_air as object));
  });

  it("season details and its episodes", async () => {
    const res = await get("/tv/42/season/1");
    const fx = fixture("tv-season-details");
    expect(keysOf(res.body)).toEqual(keysOf(fx));
    const fxEpisode = (fx.episodes as Record<string, Json>[])[0];
    for (const ep of res.body.episodes) {
      expect(keysOf(ep)).toEqual(keysOf(fxEpisode));
      expect(ep.crew).toHaveLength(2);
      expect(ep.guest_stars).toHaveLength(2);
      expect(keysOf(ep.crew[0])).toEqual(keysOf(fxEpisode.crew[0]));
      expect(keysOf(ep.guest_stars[0])).toEqual(keysOf(fxEpisode.guest_stars[0]));
    }
  });

  it("episode details, movie, search, find, changes", async () => {
    expect(keysOf((await get("/tv/42/season/1/episode/2")).body)).toEqual(keysOf(fixture("tv-episode-details")));
    expect(keysOf((await get("/movie/11")).body)).toEqual(keysOf(fixture("movie-details")));
    const search = (await get("/search/tv?query=Show%2042")).body;
    const fxSearch = fixture("search-tv");
    expect(keysOf(search)).toEqual(keysOf(fxSearch));
    expect(keysOf(search.results[0])).toEqual(keysOf((fxSearch.results as object[])[0]));
    const find = (await get("/find/91399?external_source=tvdb_id")).body;
    expect(keysOf(find)).toEqual(keysOf(fixture("find-by-external-id")));
    await tmdb.setChanges([5]);
    const changes = (await get("/tv/changes")).body;
    const fxChanges = fixture("tv-changes-list");
    expect(keysOf(changes)).toEqual(keysOf(fxChanges));
    expect(keysOf(changes.results[0])).toEqual(keysOf((fxChanges.results as object[])[0]));
    expect(keysOf((await get("/tv/1399/external_ids")).body)).toEqual(keysOf(fixture("tv-series-external-ids")));
  });
});

describe("catalog", () => {
  it("generates deterministic seasons following the documented formulas", async () => {
    const id = 42;
    const a = await get(`/tv/${id}/season/2`);
    const b = await get(`/tv/${id}/season/2`);
    expect(a.text).toBe(b.text);
    const count = 6 + ((id * 7 + 2 * 3) % 9);
    const firstSeasonStart = addDays("2005-01-01", id % 1000);
    const start = addDays(firstSeasonStart, 365);
    expect(a.body.season_number).toBe(2);
    expect(a.body.air_date).toBe(start);
    expect(a.body.episodes).toHaveLength(count);
    a.body.episodes.forEach((ep: Json, i: number) => {
      expect(ep).toMatchObject({
        episode_number: i + 1,
        season_number: 2,
        show_id: id,
        id: episodeIdFor(id, 2, i + 1),
        name: `S2E${i + 1} of Show ${id}`,
        air_date: addDays(start, 7 * i),
        episode_type: i + 1 === count ? "finale" : "standard",
      });
    });
    expect(a.body.episodes.map((e: Json) => e.air_date)).toEqual(seasonAirDates(showSpecFor(id)!.seasons[1]));
  });

  it("series details: seasons incl. specials, counts excluding specials, ended status", async () => {
    const id = 41; // 41 % 4 = 1 -> 2 seasons; 41 % 3 = 2 specials
    const spec = showSpecFor(id)!;
    const res = (await get(`/tv/${id}`)).body;
    const regular = spec.seasons.reduce((n, s) => n + s.episodes, 0);
    expect(res).toMatchObject({
      id,
      name: "Show 41",
      original_name: "Show 41",
      status: "Ended",
      in_production: false,
      number_of_seasons: 2,
      number_of_episodes: regular,
      first_air_date: addDays("2005-01-01", 41),
      next_episode_to_air: null,
    });
    expect(res.seasons.map((s: Json) => [s.season_number, s.name, s.episode_count])).toEqual([
      [0, "Specials", 2],
      [1, "Season 1", spec.seasons[0].episodes],
      [2, "Season 2", spec.seasons[1].episodes],
    ]);
    const lastDate = addDays(addDays("2005-01-01", 41 + 365), 7 * (spec.seasons[1].episodes - 1));
    expect(res.last_air_date).toBe(lastDate);
    expect(res.last_episode_to_air).toMatchObject({
      season_number: 2,
      episode_number: spec.seasons[1].episodes,
      air_date: lastDate,
      show_id: id,
    });
    // no season 0 when id % 3 === 0
    expect((await get("/tv/3")).body.seasons[0].season_number).toBe(1);
    const specials = (await get(`/tv/${id}/season/0`)).body;
    expect(specials.name).toBe("Specials");
    expect(specials.episodes.map((e: Json) => e.air_date)).toEqual([null, null]);
  });

  it("mirrors Game of Thrones for 1399", async () => {
    const res = (await get(`/tv/${GOT_SHOW_ID}`)).body;
    expect(res).toMatchObject({
      name: "Game of Thrones",
      first_air_date: "2011-04-17",
      last_air_date: "2019-05-19",
      number_of_seasons: 8,
      number_of_episodes: 73,
    });
    expect(res.seasons.filter((s: Json) => s.season_number > 0).map((s: Json) => s.episode_count)).toEqual([10, 10, 10, 10, 10, 10, 7, 6]);
  });

  it("404s with status_code 34 for ids ending in 404, missing seasons/episodes, movies, unknown routes", async () => {
    const notFound = { success: false, status_code: 34, status_message: "The resource you requested could not be found." };
    for (const path of [
      "/tv/404",
      "/tv/1404",
      "/tv/1404/season/1",
      "/tv/42/season/99",
      "/tv/42/season/1/episode/99",
      "/movie/2404",
      "/nope",
      "/tv/abc",
    ]) {
      const res = await get(path);
      expect([path, res.status, res.body]).toEqual([path, 404, notFound]);
    }
    expect(showSpecFor(1404)).toBeNull();
  });

  it("serves the 1,100-episode show", async () => {
    const details = (await get(`/tv/${LONG_SHOW_ID}`)).body;
    expect(details).toMatchObject({ number_of_seasons: 11, number_of_episodes: 1100, status: "Ended", next_episode_to_air: null });
    const s11 = (await get(`/tv/${LONG_SHOW_ID}/season/11`)).body;
    expect(s11.episodes).toHaveLength(100);
    expect(details.last_episode_to_air).toMatchObject({ season_number: 11, episode_number: 100, air_date: s11.episodes[99].air_date });
  });

  it("serves the 10,000-episode daily soap with unique episode ids", async () => {
    const details = (await get(`/tv/${SOAP_SHOW_ID}`)).body;
    expect(details).toMatchObject({
      number_of_seasons: 1,
      number_of_episodes: 10_000,
      first_air_date: "1990-01-01",
      last_air_date: "2017-05-18",
      status: "Ended",
    });
    const season = (await get(`/tv/${SOAP_SHOW_ID}/season/1`)).body;
    expect(season.episodes).toHaveLength(10_000);
    expect(season.episodes[1].air_date).toBe("1990-01-02");
    expect(season.episodes[9999].air_date).toBe("2017-05-18");
    expect(new Set(season.episodes.map((e: Json) => e.id)).size).toBe(10_000);
    expect((await get(`/tv/${SOAP_SHOW_ID}/season/1/episode/10000`)).body.id).toBe(episodeIdFor(SOAP_SHOW_ID, 1, 10_000));
  });

  it("episode ids are unique across shows, seasons and episodes", () => {
    const ids = new Set<number>();
    for (const show of [1, 2, 49, 50, 999_999, 9_999_999])
      for (const season of [0, 1, 2, 49]) for (const ep of [1, 2, 9_999, 19_999]) ids.add(episodeIdFor(show, season, ep));
    expect(ids.size).toBe(6 * 4 * 4);
    expect(Number.isSafeInteger(episodeIdFor(9_999_999, 49, 19_999))).toBe(true);
  });

  it("serves deterministic movies and movie overrides", async () => {
    expect((await get("/movie/11")).body).toMatchObject({ id: 11, title: "Movie 11", runtime: 101, status: "Released" });
    await tmdb.setMovie(11, { title: "Star Wars", runtime: null, releaseDate: null });
    expect((await get("/movie/11")).body).toMatchObject({ title: "Star Wars", runtime: null, release_date: null });
    await tmdb.setMovie(12, null);
    expect((await get("/movie/12")).status).toBe(404);
  });
});

describe("show overrides", () => {
  it("setShow replaces the generated show; next_episode_to_air and status follow `today`", async () => {
    await tmdb.setShow(77, {
      name: "Airing Now",
      seasons: [
        { episodes: 3, airDate: "2024-05-01" },
        { episodes: 4, airDates: ["2024-05-29", "2024-06-05", null, null], names: ["Pilot 2"] },
      ],
      specials: { episodes: 1, airDate: "2024-01-01" },
    });
    const d = (await get("/tv/77")).body;
    expect(d).toMatchObject({
      name: "Airing Now",
      status: "Returning Series",
      in_production: true,
      number_of_episodes: 7,
      first_air_date: "2024-05-01",
    });
    expect(d.last_episode_to_air).toMatchObject({ season_number: 2, episode_number: 1, air_date: "2024-05-29", name: "Pilot 2" });
    expect(d.next_episode_to_air).toMatchObject({
      season_number: 2,
      episode_number: 2,
      air_date: "2024-06-05",
      name: "S2E2 of Airing Now",
    });
    const s2 = (await get("/tv/77/season/2")).body;
    expect(s2.episodes.map((e: Json) => e.air_date)).toEqual(["2024-05-29", "2024-06-05", null, null]);
    await tmdb.setShow(77, null);
    expect((await get("/tv/77")).status).toBe(404);
    await tmdb.reset();
    expect((await get("/tv/77")).body.name).toBe("Show 77");
  });

  it("rejects invalid specs", async () => {
    await expect(tmdb.setShow(5, { name: "x", seasons: [{ episodes: 20_000 }] })).rejects.toThrow(/episodes/);
    await expect(tmdb.setShow(5, { name: "x", seasons: [{ episodes: 1, airDate: "2024-13-01" }] })).rejects.toThrow(/airDate/);
  });
});

describe("append_to_response", () => {
  it("embeds the requested seasons and omits missing ones", async () => {
    const res = await get("/tv/1399?append_to_response=season/1,season/8,season/42");
    expect(res.status).toBe(200);
    expect(res.body["season/1"].episodes).toHaveLength(10);
    expect(res.body["season/8"].episodes).toHaveLength(6);
    expect(res.body["season/8"]).toEqual((await get("/tv/1399/season/8")).body);
    expect("season/42" in res.body).toBe(false);
    const [logged] = await tmdb.requests("/tv/1399");
    expect(logged.path).toBe("/tv/1399");
    expect(logged.query.append_to_response).toBe("season/1,season/8,season/42");
  });

  it("accepts 20 items and rejects 21 with status_code 27", async () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `season/${i}`).join(",");
    expect((await get(`/tv/1399?append_to_response=${list(20)}`)).status).toBe(200);
    const res = await get(`/tv/1399?append_to_response=${list(21)}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      success: false,
      status_code: 27,
      status_message: "Too many append to response objects: The maximum number of remote calls is 20.",
    });
  });
});

describe("faults", () => {
  it("429 carries Retry-After and TMDB's body", async () => {
    await tmdb.addFault({ kind: "429", path: "/tv/5", retryAfterSeconds: 3 });
    const res = await get("/tv/5");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(res.body).toEqual({
      success: false,
      status_code: 25,
      status_message: "Your request count (#) is over the allowed limit of (40).",
    });
    expect((await get("/tv/6")).status).toBe(200); // other paths unaffected
    await tmdb.clearFaults();
    await tmdb.addFault({ kind: "429" });
    expect((await get("/tv/6")).headers.get("retry-after")).toBe("1");
  });

  it("500 and 503 carry TMDB-like error bodies", async () => {
    await tmdb.addFault({ kind: "500", path: "/season/1" });
    await tmdb.addFault({ kind: "503", path: "/season/2" });
    const a = await get("/tv/5/season/1");
    const b = await get("/tv/5/season/2");
    expect([a.status, a.body.success, a.body.status_code]).toEqual([500, false, 11]);
    expect([b.status, b.body.success, b.body.status_code]).toEqual([503, false, 9]);
  });

  it("timeout never answers (the client gives up)", async () => {
    await tmdb.addFault({ kind: "timeout", path: "/tv/9" });
    await expect(get("/tv/9", { signal: AbortSignal.timeout(150) })).rejects.toThrow(/abort|timeout/i);
    expect((await get("/tv/10")).status).toBe(200);
  });

  it("reset destroys the socket without a response", async () => {
    await tmdb.addFault({ kind: "reset", path: "/tv/9", times: 1 });
    await expect(get("/tv/9")).rejects.toThrow();
    expect((await tmdb.stats("/tv/9")).total).toBe(1); // not silently retried by the client
    expect((await get("/tv/9")).status).toBe(200);
  });

  it("malformed answers 200 with truncated JSON", async () => {
    await tmdb.addFault({ kind: "malformed", path: "/tv/9/season/1" });
    const res = await get("/tv/9/season/1");
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(10);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it("nth fails only the nth matching request", async () => {
    await tmdb.addFault({ kind: "500", path: "/tv/3", nth: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get("/tv/3")).status);
    expect(statuses).toEqual([200, 500, 200, 200]);
  });

  it("times fails the next N matching requests", async () => {
    await tmdb.addFault({ kind: "503", path: "/tv/3", times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get("/tv/3")).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect((await tmdb.stats()).byPath["/tv/3"]).toBe(4); // faulted requests are counted
  });

  it("fault latency and global latency delay the answer", async () => {
    await tmdb.setLatency(60);
    let t0 = Date.now();
    await get("/tv/1");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    await tmdb.reset(); // latency back to the start value (0)
    await tmdb.addFault({ kind: "503", path: "/tv/2", latencyMs: 60 });
    t0 = Date.now();
    expect((await get("/tv/2")).status).toBe(503);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });
});

describe("rate limit", () => {
  it("answers 429 beyond N requests in a sliding second", async () => {
    const limited = await startFakeTmdb({ rateLimitPerSecond: 5 });
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => get("/tv/1", { base: limited.url })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const rejected = results.find((r) => r.status === 429)!;
      expect(rejected.headers.get("retry-after")).toBe("1");
      expect(rejected.body).toMatchObject({ success: false, status_code: 25 });
      expect((await limited.stats()).total).toBe(8);
    } finally {
      await limited.close();
    }
  });
});

describe("stats and request log", () => {
  it("counts by path, filters by prefix, ignores control requests", async () => {
    await get("/tv/1399");
    await get("/tv/1399/season/1");
    await get("/tv/1399/season/1?language=en");
    await get("/tv/42");
    await new FakeTmdbControl(tmdb.url).stats();
    expect(await tmdb.stats()).toEqual({ total: 4, byPath: { "/tv/1399": 1, "/tv/1399/season/1": 2, "/tv/42": 1 } });
    expect(await tmdb.stats("/tv/1399")).toEqual({ total: 3, byPath: { "/tv/1399": 1, "/tv/1399/season/1": 2 } });
    const log = await tmdb.requests("/tv/1399/season");
    expect(log.map((r) => r.query.language)).toEqual([undefined, "en"]);
    expect(log[0]).toEqual({ path: "/tv/1399/season/1", query: { api_key: KEY }, at: expect.any(Number) });
    await tmdb.reset();
    expect(await tmdb.stats()).toEqual({ total: 0, byPath: {} });
  });
});

describe("control client over HTTP", () => {
  it("does the same as the in-process handle", async () => {
    const control = new FakeTmdbControl(tmdb.url);
    await control.setShow(501, { name: "Remote Show", seasons: [{ episodes: 2, airDate: "2020-01-01" }] });
    await control.setMovie(502, { title: "Remote Movie", runtime: 100, releaseDate: "2020-01-01" });
    await control.setChanges([501, 502]);
    await control.setExternalId("imdb_id", "tt9999999", 501);
    await control.addFault({ kind: "500", path: "/tv/501/season/1", nth: 1 });
    expect((await get("/tv/501")).body.name).toBe("Remote Show");
    expect((await get("/movie/502")).body.title).toBe("Remote Movie");
    expect((await get("/tv/changes")).body.results).toEqual([
      { id: 501, adult: false },
      { id: 502, adult: false },
    ]);
    expect((await get("/find/tt9999999?external_source=imdb_id")).body.tv_results[0].id).toBe(501);
    expect((await get("/tv/501/season/1")).status).toBe(500);
    expect((await get("/tv/501/season/1")).status).toBe(200);
    expect(await control.stats("/tv/501")).toEqual(await tmdb.stats("/tv/501"));
    expect(await control.stats()).toEqual(await tmdb.stats());
    expect(await control.requests()).toEqual(await tmdb.requests());
    await control.setShow(501, null);
    expect((await get("/tv/501")).status).toBe(404);
    await control.addFault({ kind: "503" });
    await control.clearFaults();
    await control.setLatency(0);
    expect((await get("/tv/1")).status).toBe(200);
    await control.reset();
    expect(await tmdb.stats()).toEqual({ total: 0, byPath: {} });
    expect((await get("/tv/501")).body.name).toBe("Show 501");
  });

  it("reports validation errors", async () => {
    const control = new FakeTmdbControl(tmdb.url);
    await expect(control.addFault({ kind: "418" as never })).rejects.toThrow(/400/);
    await expect(control.setShow(0, null)).rejects.toThrow(/400/);
  });
});

describe("search", () => {
  it("matches names case-insensitively, exact match first, paged by 20", async () => {
    const res = (await get("/search/tv?query=show%2042")).body;
    // "Show 42" (exact, first), then "Show 420".."Show 429"
    expect(res.results[0]).toMatchObject({ id: 42, name: "Show 42", first_air_date: addDays("2005-01-01", 42) });
    expect(res.results.map((r: Json) => r.id)).toEqual([42, 420, 421, 422, 423, 424, 425, 426, 427, 428, 429]);
    expect(res.total_results).toBe(11);
    expect(res.results.every((r: Json) => r.name.toLowerCase().includes("show 42"))).toBe(true);
    const page2 = (await get("/search/tv?query=SHOW%201&page=2")).body;
    expect(page2.page).toBe(2);
    expect(page2.results).toHaveLength(20);
  });

  it("filters by first_air_date_year and finds built-in and overridden shows", async () => {
    // Show 500's first air date is 2005-01-01 + 500 days = 2006-05-16
    expect((await get("/search/tv?query=show%20500&first_air_date_year=2006")).body.results.map((r: Json) => r.id)).toEqual([500]);
    expect((await get("/search/tv?query=show%20500&first_air_date_year=2005")).body.total_results).toBe(0);
    expect((await get("/search/tv?query=game%20of%20thrones")).body.results[0].id).toBe(GOT_SHOW_ID);
    await tmdb.setShow(123_456, { name: "The Zebra Files", seasons: [{ episodes: 1, airDate: "2021-03-04" }] });
    const z = (await get("/search/tv?query=zebra")).body;
    expect(z.results).toHaveLength(1);
    expect(z.results[0]).toMatchObject({ id: 123_456, name: "The Zebra Files", first_air_date: "2021-03-04" });
    expect((await get("/search/tv?query=nothing-matches")).body).toEqual({ page: 1, results: [], total_pages: 1, total_results: 0 });
  });
});

describe("find", () => {
  it("resolves the tvdb/imdb conventions without setup", async () => {
    expect(tvdbIdFor(1399)).toBe("91399");
    expect(imdbIdFor(1399)).toBe("tt0001399");
    for (const path of ["/find/91399?external_source=tvdb_id", "/find/tt0001399?external_source=imdb_id"]) {
      const res = (await get(path)).body;
      expect(res.tv_results).toHaveLength(1);
      expect(res.tv_results[0]).toMatchObject({ id: 1399, name: "Game of Thrones", media_type: "tv" });
      expect(res.movie_results).toEqual([]);
    }
    expect((await get("/find/tt1399?external_source=imdb_id")).body.tv_results).toEqual([]); // not padded
    expect((await get("/find/91404?external_source=tvdb_id")).body.tv_results).toEqual([]); // show 1404 does not exist
    expect((await get("/find/121361?external_source=tvdb_id")).body.tv_results).toEqual([]);
    expect((await get("/find/91399")).status).toBe(400);
  });

  it("uses setExternalId registrations, including null to hide a conventional id", async () => {
    await tmdb.setExternalId("tvdb_id", "121361", 1399);
    expect((await get("/find/121361?external_source=tvdb_id")).body.tv_results[0].id).toBe(1399);
    expect((await get("/tv/1399/external_ids")).body).toMatchObject({ id: 1399, tvdb_id: 121361, imdb_id: "tt0001399" });
    await tmdb.setExternalId("imdb_id", "tt0001399", null);
    expect((await get("/find/tt0001399?external_source=imdb_id")).body.tv_results).toEqual([]);
  });
});

describe("changes", () => {
  it("is empty by default and pages setChanges ids 100 per page", async () => {
    expect((await get("/tv/changes")).body).toEqual({ results: [], page: 1, total_pages: 1, total_results: 0 });
    const ids = Array.from({ length: 250 }, (_, i) => i + 1);
    await tmdb.setChanges(ids);
    const p1 = (await get("/tv/changes?start_date=2024-05-20&end_date=2024-06-01")).body;
    expect(p1).toMatchObject({ page: 1, total_pages: 3, total_results: 250 });
    expect(p1.results).toHaveLength(100);
    expect(p1.results[0]).toEqual({ id: 1, adult: false });
    const p3 = (await get("/tv/changes?page=3")).body;
    expect(p3.results.map((r: Json) => r.id)).toEqual(ids.slice(200));
    expect((await get("/tv/changes?page=4")).body.results).toEqual([]);
  });

  it("rejects ranges over 14 days with status_code 5", async () => {
    expect((await get("/tv/changes?start_date=2024-05-18&end_date=2024-06-01")).status).toBe(200);
    const res = await get("/tv/changes?start_date=2024-05-17&end_date=2024-06-01");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      success: false,
      status_code: 5,
      status_message: "Invalid parameters: Your request parameters are incorrect.",
    });
  });
});

describe("waitForRequest", () => {
  it("answers with a request already received, or the next matching one when it arrives, over HTTP too", async () => {
    const control = new FakeTmdbControl(tmdb.url);
    await get("/tv/1399");
    expect(await control.waitForRequest("/tv/1399")).toMatchObject({ path: "/tv/1399" });
    const next = control.waitForRequest("/movie/77", 10_000);
    await get("/tv/1400");
    await get("/movie/77");
    expect(await next).toMatchObject({ path: "/movie/77" });
  });

  it("gives up after its timeout", async () => {
    await expect(new FakeTmdbControl(tmdb.url).waitForRequest("/never", 50)).rejects.toThrow(/408/);
    await expect(tmdb.waitForRequest("/never", 50)).rejects.toThrow("no request for /never within 50 ms");
  });
});
