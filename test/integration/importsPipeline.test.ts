import { DocumentReference, type Firestore } from "firebase-admin/firestore";
import { importRef, jobRef, partsCollection, type ImportDoc } from "../../functions/src/imports/documents";
import { runImport, type ImportDeps } from "../../functions/src/imports/pipeline";
import { InMemoryImportQueue } from "../../functions/src/imports/queue";
import { createImport, startImport, uploadImportPart } from "../../functions/src/imports/upload";
import { historyCollection } from "../../functions/src/tracking/plays";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { tvdbEpisodeIdFor, tvdbIdFor } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { tvTimeExport } from "../../tools/exports/tvtime";
import { makeZip } from "../../tools/exports/zip";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** The production wiring: TVDB episode ids resolve through the global `/find` cache against the fake TMDB. */
function deps(
  queue = new InMemoryImportQueue(),
  extra: Omit<Partial<ImportDeps>, "queue"> = {},
): ImportDeps & { queue: InMemoryImportQueue } {
  return { ...env.context(), ...extra, queue };
}

/** Uploads a file in parts through the module the callables call, starts it, returns the queued task. */
async function upload(uid: string, fileName: string, content: Buffer | string, d = deps()) {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  const { importId, partBytes } = await createImport(d, uid, { fileName, sizeBytes: bytes.length });
  const parts = Math.ceil(bytes.length / partBytes);
  for (let i = 0; i < parts; i++) {
    await uploadImportPart(d, uid, { importId, index: i, data: bytes.subarray(i * partBytes, (i + 1) * partBytes).toString("base64") });
  }
  expect(await startImport(d, uid, { importId, parts })).toEqual({ importId, status: "queued" });
  return { importId, d };
}

async function importFile(uid: string, fileName: string, content: Buffer | string, d = deps()): Promise<ImportDoc & { importId: string }> {
  const { importId } = await upload(uid, fileName, content, d);
  for (const task of d.queue.tasks.splice(0)) await runImport(d, task);
  const doc = (await importRef(env.db, uid, importId).get()).data() as ImportDoc;
  return { ...doc, importId };
}

async function stagingLeft(db: Firestore, uid: string, importId: string) {
  return (await partsCollection(db, uid, importId).get()).size + ((await jobRef(db, uid, importId).get()).exists ? 1 : 0);
}

const historyIds = async (uid: string) => (await historyCollection(env.db, uid).get()).docs.map((d) => d.id).sort();
const tracking = async (uid: string, showId: number) => (await trackingRef(env.db, uid, showId).get()).data();

async function newShow(episodes = 10) {
  const id = uniqueShowId();
  await env.fake.setShow(id, {
    name: `Show ${uniqueId("s")}`,
    seasons: [
      { episodes, airDate: "2015-01-01" },
      { episodes, airDate: "2016-01-01" },
    ],
  });
  return id;
}

describe("TV Time GDPR export", () => {
  it("imports seen, rewatched and show files from a ZIP; a second import adds nothing", async () => {
    const uid = uniqueId("user");
    const [a, dropped] = await Promise.all([newShow(), newShow()]);
    const ep = (season: number, episode: number) => tvdbEpisodeIdFor(a, season, episode);
    const zip = makeZip([
      {
        name: "export/seen_episode.csv",
        data: [
          "tweet_id,user_id,episode_id,created_at,updated_at,fb_action_id",
          `,1,${ep(1, 1)},2020-01-01 20:00:00 +0000 UTC,2020-01-01 20:00:00 +0000 UTC,`,
          `,1,${ep(1, 2)},2020-01-02 20:00:00 +0000 UTC,2020-01-02 20:00:00 +0000 UTC,`,
          `,1,${ep(2, 1)},2020-01-03,2020-01-03,`,
          ",1,123456,2020-01-04 20:00:00,2020-01-04 20:00:00,",
          ",1,not-an-id,2020-01-04 20:00:00,,",
        ].join("\n"),
      },
      {
        name: "export/rewatched_episode.csv",
        data: `user_id,episode_id,cpt,created_at,updated_at\n1,${ep(1, 1)},2,2021-05-01 10:00:00,2021-06-01 10:00:00\n`,
      },
      {
        name: "export/user_tv_show_data.csv",
        data: `tv_show_name,user_id,tv_show_id,is_followed,is_favorited,nb_episodes_seen\nA,1,${tvdbIdFor(a)},1,0,3\n`,
      },
      {
        name: "export/followed_tv_show.csv",
        data: `created_at,archived,tv_show_name,user_id,tv_show_id\n2020-01-01,1,D,1,${tvdbIdFor(dropped)}\n`,
      },
      { name: "export/user.csv", data: "user_id,name\n1,x\n" },
    ]);
    const first = await importFile(uid, "tvtime-export.zip", zip);
    expect(first).toMatchObject({
      status: "done",
      source: "auto",
      error: null,
      counts: { added: 5, duplicates: 0, shows: 2, movies: 0, ratings: 0, watchlist: 0, unmatched: 1, invalid: 1 },
      unmatched: [{ title: "tvdb episode 123456", reason: "not found on TMDB" }],
    });
    expect(first.progress.processed).toBe(first.progress.total);
    expect(first.finishedAt).not.toBeNull();
    expect(await stagingLeft(env.db, uid, first.importId)).toBe(0);

    expect(await historyIds(uid)).toEqual(
      [`tvtime_${ep(1, 1)}`, `tvtime_${ep(1, 1)}_r1`, `tvtime_${ep(1, 1)}_r2`, `tvtime_${ep(1, 2)}`, `tvtime_${ep(2, 1)}`].sort(),
    );
    const doc = await tracking(uid, a);
    expect(doc?.status).toBe("watching");
    expect(doc?.episodes["1_1"]).toMatchObject({ watched: true, plays: 3 });
    expect(doc?.episodes["1_1"].watchedAt.toDate().toISOString()).toBe("2021-06-01T10:00:00.000Z");
    // A date alone is 12:00 UTC.
    expect(doc?.episodes["2_1"].watchedAt.toDate().toISOString()).toBe("2020-01-03T12:00:00.000Z");
    expect((await tracking(uid, dropped))?.status).toBe("dropped");

    const second = await importFile(uid, "tvtime-export.zip", zip);
    expect(second.counts).toMatchObject({ added: 0, duplicates: 5 });
    expect(await historyIds(uid)).toHaveLength(5);
    expect((await tracking(uid, a))?.episodes["1_1"].plays).toBe(3);
  });

  it("tracking-prod-records-v2.csv: watch and rewatch rows by key, series state", async () => {
    const uid = uniqueId("user");
    const a = await newShow();
    const csv = [
      "s_id,ep_id,key,created_at,s_no,ep_no,series_name,is_for_later,is_archived,is_followed",
      `${tvdbIdFor(a)},${tvdbEpisodeIdFor(a, 1, 3)},watch-episode-1-x,2022-05-01 21:00:00,1,3,A,,,`,
      `${tvdbIdFor(a)},${tvdbEpisodeIdFor(a, 1, 3)},rewatch-episode-1-y,2023-05-01 21:00:00,1,3,A,,,`,
      `${tvdbIdFor(a)},,user-series-1-${a},2022-05-01,,,A,1,0,0`,
    ].join("\n");
    const result = await importFile(uid, "tracking-prod-records-v2.csv", csv);
    expect(result.counts).toMatchObject({ added: 2, duplicates: 0, shows: 1 });
    const doc = await tracking(uid, a);
    expect(doc?.episodes["1_3"]).toMatchObject({ watched: true, plays: 2 });
    expect(doc?.status).toBe("planned");
  });
});

describe("TVDB episode ids through the global /find cache", () => {
  it("costs one TMDB request per distinct id across users, concurrent imports included; misses are cached too", async () => {
    const [a, b] = await Promise.all([newShow(), newShow()]);
    const { zip, plays } = tvTimeExport([
      {
        showId: a,
        name: "A",
        watched: [
          [1, 1],
          [1, 2],
          [1, 3],
          [2, 1],
        ],
        rewatched: [[1, 1, 1]],
      },
      {
        showId: b,
        name: "B",
        watched: [
          [1, 1],
          [1, 2],
        ],
        archived: true,
      },
    ]);
    const episodeIds = [
      [a, 1, 1],
      [a, 1, 2],
      [a, 1, 3],
      [a, 2, 1],
      [b, 1, 1],
      [b, 1, 2],
    ].map(([show, s, e]) => tvdbEpisodeIdFor(show, s, e));
    const unknown = `8${a}0999999`; // no such episode in the fake's catalogue
    const csv = `episode_id,created_at\n${episodeIds[0]},2020-01-01 20:00:00\n${unknown},2020-01-01 21:00:00\n`;
    const findsOf = async (ids: string[]) =>
      (await env.fake.requests("/find/")).filter((r) => ids.some((id) => r.path === `/find/${id}`)).length;

    const [u1, u2] = [uniqueId("user"), uniqueId("user")];
    const [first, second] = await Promise.all([importFile(u1, "tvtime.zip", zip), importFile(u2, "tvtime.zip", zip)]);
    for (const result of [first, second]) expect(result.counts).toMatchObject({ added: plays, duplicates: 0, shows: 2, unmatched: 0 });
    expect(await findsOf(episodeIds)).toBe(episodeIds.length);
    expect((await tracking(u1, a))?.episodes["1_1"]).toMatchObject({ watched: true, plays: 2 });
    expect((await tracking(u2, b))?.status).toBe("dropped");

    const u3 = uniqueId("user");
    expect((await importFile(u3, "seen_episode.csv", csv)).counts).toMatchObject({ added: 1, unmatched: 1 });
    expect((await importFile(uniqueId("user"), "seen_episode.csv", csv)).counts).toMatchObject({ added: 1, unmatched: 1 });
    expect(await findsOf(episodeIds)).toBe(episodeIds.length);
    expect(await findsOf([unknown])).toBe(1);
    expect(await historyIds(u3)).toEqual([`tvtime_${episodeIds[0]}`]);
  });

  it("a TMDB failure leaves those rows unmatched without caching the failure; a later import resolves them", async () => {
    const a = await newShow();
    const id = tvdbEpisodeIdFor(a, 1, 5);
    const csv = `episode_id,created_at\n${id},2020-01-01 20:00:00\n`;
    await env.fake.addFault({ path: `/find/${id}`, kind: "500" });
    const uid = uniqueId("user");
    const failed = await importFile(uid, "seen_episode.csv", csv);
    expect(failed).toMatchObject({ status: "done", counts: { added: 0, unmatched: 1 } });
    expect(failed.unmatched[0].reason).toContain("could not be asked");
    await env.fake.clearFaults();
    expect((await importFile(uid, "seen_episode.csv", csv)).counts).toMatchObject({ added: 1, unmatched: 0 });
  });
});

describe("Trakt export", () => {
  const item = (id: number, showId: number, season: number, number: number, watchedAt: string) => ({
    id,
    watched_at: watchedAt,
    action: "watch",
    type: "episode",
    episode: { ids: { trakt: 1, tvdb: 2, imdb: null, tmdb: null, tvrage: 0, plex: { guid: null } }, title: "x", number, season },
    show: {
      ids: { trakt: 3, slug: "s", tvdb: null, imdb: null, tmdb: showId, tvrage: 0, plex: { guid: "g", slug: "s" } },
      title: "S",
      year: 2015,
      aired_episodes: 20,
    },
  });

  it("TV Time then Trakt of the same history: cross-source duplicates are counted, not added; movies recorded", async () => {
    const uid = uniqueId("user");
    const a = await newShow();
    const tvtime = `episode_id,created_at\n${tvdbEpisodeIdFor(a, 1, 1)},2020-01-01 20:00:00\n${tvdbEpisodeIdFor(a, 1, 2)},2020-01-02 20:00:00\n`;
    expect((await importFile(uid, "seen_episode.csv", tvtime)).counts).toMatchObject({ added: 2, duplicates: 0 });
    const history = [
      item(9001, a, 1, 1, "2020-01-01T20:04:00.000Z"), // the same viewing, 4 minutes apart
      item(9002, a, 1, 2, "2020-01-02T19:55:00.000Z"), // 5 minutes before
      item(9003, a, 1, 2, "2021-01-02T19:55:00.000Z"), // a real rewatch
      {
        id: 9004,
        watched_at: "2021-02-02T19:55:00.000Z",
        action: "watch",
        type: "movie",
        movie: { title: "M", year: 1999, ids: { tmdb: 603, imdb: "tt0133093", plex: { guid: null } } },
      },
    ];
    const trakt = await importFile(uid, "watched-history.json", JSON.stringify(history));
    expect(trakt.counts).toMatchObject({ added: 2, duplicates: 2, movies: 1, shows: 1 });
    expect((await tracking(uid, a))?.episodes["1_2"].plays).toBe(2);
    // Trakt plays keep syncHistory's ids, so an API sync and a file import of one play meet.
    expect(await historyIds(uid)).toEqual(expect.arrayContaining(["trakt_9003", "trakt_9004"]));
    const again = await importFile(uid, "watched-history.json", JSON.stringify(history));
    expect(again.counts).toMatchObject({ added: 0, duplicates: 4 });
  });

  it("watched-shows.json sets play counts and reset_at; ratings and watchlist go to the library", async () => {
    const uid = uniqueId("user");
    const [a, b] = await Promise.all([newShow(), newShow()]);
    const shows = [
      {
        plays: 3,
        last_watched_at: "2024-02-01T00:00:00.000Z",
        reset_at: "2024-01-15T00:00:00.000Z",
        show: { title: "A", year: 2015, ids: { trakt: 1, tvdb: Number(tvdbIdFor(a)), imdb: null, tmdb: null, tvrage: 0 } },
        seasons: [
          {
            number: 1,
            episodes: [
              { number: 1, plays: 2, last_watched_at: "2024-02-01T00:00:00.000Z" },
              { number: 2, plays: 1, last_watched_at: "2023-02-01T00:00:00.000Z" },
            ],
          },
        ],
      },
    ];
    const zip = makeZip([
      { name: "watched-shows.json", data: JSON.stringify(shows) },
      {
        name: "ratings-episodes.json",
        data: JSON.stringify([
          {
            rated_at: "2024-01-01T00:00:00.000Z",
            rating: 9,
            type: "episode",
            episode: { season: 1, number: 2 },
            show: { title: "B", ids: { tmdb: b } },
          },
        ]),
      },
      {
        name: "watchlist-shows.json",
        data: JSON.stringify([{ listed_at: "2024-01-01T00:00:00.000Z", type: "show", show: { title: "B", ids: { tmdb: b } } }]),
      },
    ]);
    const result = await importFile(uid, "trakt-export.zip", zip);
    expect(result.counts).toMatchObject({ added: 3, duplicates: 0, shows: 1, ratings: 1, watchlist: 1, unmatched: 0 });
    const doc = await tracking(uid, a);
    expect(doc?.episodes["1_1"]).toMatchObject({ watched: true, plays: 2 });
    expect(doc?.episodes["1_1"].watchedAt.toDate().toISOString()).toBe("2024-02-01T00:00:00.000Z");
    expect(doc?.resetAt.toDate().toISOString()).toBe("2024-01-15T00:00:00.000Z");
    const userRef = env.db.collection("users").doc(uid);
    expect((await userRef.collection("ratings").doc(`tv_${b}_1_2`).get()).data()).toMatchObject({ rating: 9 });
    expect((await userRef.collection("watchlist").doc(`tv_${b}`).get()).exists).toBe(true);
    // A watched show does not land on the watchlist.
    expect((await userRef.collection("watchlist").doc(`tv_${a}`).get()).exists).toBe(false);
  });
});

describe("this product's CSV", () => {
  it("imports with the same play ids as importCsv", async () => {
    const uid = uniqueId("user");
    const a = await newShow();
    const result = await importFile(
      uid,
      "history.csv",
      `title,season,episode,watched_at,tmdb_id\nA,1,1,2024-01-01T20:00:00Z,${a}\nA,1,x,2024-01-01T20:00:00Z,${a}\n`,
    );
    expect(result.counts).toMatchObject({ added: 1, invalid: 1 });
    expect(await historyIds(uid)).toEqual([`csv_${a}_1_1_${Date.parse("2024-01-01T20:00:00Z")}`]);
  });
});

describe("finishing", () => {
  it("a successful import deletes its staging once (one finishing pass, not two)", async () => {
    const showId = await newShow();
    const uid = uniqueId("user");
    const { importId, d } = await upload(
      uid,
      "history.csv",
      `title,season,episode,watched_at,tmdb_id\nS,1,1,2024-01-01T00:00:00Z,${showId}\n`,
    );
    const jobPath = jobRef(env.db, uid, importId).path;
    // A pass-through spy on the real SDK: counts the job-state deletions `finish` makes (one per call).
    const deletes = jest.spyOn(DocumentReference.prototype, "delete");
    try {
      for (const task of d.queue.tasks.splice(0)) expect(await runImport(d, task)).toBe("done");
      expect(deletes.mock.contexts.filter((ref) => (ref as DocumentReference).path === jobPath)).toHaveLength(1);
    } finally {
      deletes.mockRestore();
    }
    expect(await stagingLeft(env.db, uid, importId)).toBe(0);
  });
});

describe("crash and retry", () => {
  it("a run dying after a chunk is retried from its cursor and ends like an uninterrupted run", async () => {
    const shows = await Promise.all([newShow(200), newShow(200), newShow(200)]);
    const rows = shows.flatMap((showId) =>
      Array.from(
        { length: 300 },
        (_, i) => `S,${1 + Math.floor(i / 200)},${(i % 200) + 1},2024-01-01T${String(i % 24).padStart(2, "0")}:00:00Z,${showId}`,
      ),
    );
    const csv = `title,season,episode,watched_at,tmdb_id\n${rows.join("\n")}\n`;

    const steady = uniqueId("user");
    const uninterrupted = await importFile(steady, "history.csv", csv);
    expect(uninterrupted.counts.added).toBe(900);

    const crashy = uniqueId("user");
    let crashes = 0;
    const d = deps(new InMemoryImportQueue(), {
      afterChunkApplied: (cursor) => {
        if (cursor === 400 && crashes++ === 0) throw new Error("killed midway");
      },
    });
    const { importId } = await upload(crashy, "history.csv", csv, d);
    const [task] = d.queue.tasks;
    await expect(runImport(d, task)).rejects.toThrow("killed midway");
    const midway = (await importRef(env.db, crashy, importId).get()).data() as ImportDoc;
    expect(midway.status).toBe("running");
    expect(await runImport(d, task)).toBe("done");
    const retried = (await importRef(env.db, crashy, importId).get()).data() as ImportDoc;

    expect(retried.counts).toEqual(uninterrupted.counts);
    expect(retried.progress).toEqual(uninterrupted.progress);
    const strip = (id: string) => id;
    expect((await historyIds(crashy)).map(strip)).toEqual((await historyIds(steady)).map(strip));
    for (const showId of shows) {
      expect((await tracking(crashy, showId))?.episodes).toEqual((await tracking(steady, showId))?.episodes);
    }
  });

  it("three runs of one import at once (Cloud Tasks delivers at least once) end as one run would", async () => {
    const showId = await newShow(200);
    const rows = Array.from(
      { length: 900 },
      (_, i) => `S,${1 + Math.floor((i % 400) / 200)},${(i % 200) + 1},2024-0${1 + Math.floor(i / 400)}-01T10:00:00Z,${showId}`,
    );
    const csv = `title,season,episode,watched_at,tmdb_id\n${rows.join("\n")}\n`;
    const steady = uniqueId("user");
    const uninterrupted = await importFile(steady, "history.csv", csv);
    expect(uninterrupted.counts).toMatchObject({ added: 900, duplicates: 0 });

    const raced = uniqueId("user");
    const d = deps();
    const { importId } = await upload(raced, "history.csv", csv, d);
    const [task] = d.queue.tasks;
    const outcomes = await Promise.all([runImport(d, task), runImport(d, task), runImport(d, task)]);
    expect(outcomes.filter((o) => o === "done")).toHaveLength(1);
    expect(outcomes.filter((o) => o !== "done")).toEqual(["skipped", "skipped"]);
    const ended = (await importRef(env.db, raced, importId).get()).data() as ImportDoc;
    expect(ended).toMatchObject({ status: "done", error: null });
    expect(ended.counts).toEqual(uninterrupted.counts);
    expect(await stagingLeft(env.db, raced, importId)).toBe(0);
    expect((await historyIds(raced)).length).toBe(900);
    expect((await tracking(raced, showId))?.episodes).toEqual((await tracking(steady, showId))?.episodes);
  });
});

describe("bad input", () => {
  it.each([
    ["not an export", "notes.csv", Buffer.from("a,b\n1,2\n"), "unsupported-file", "notes.csv"],
    [
      "a corrupt ZIP",
      "export.zip",
      makeZip([{ name: "seen_episode.csv", data: "episode_id,created_at\n1,2020-01-01\n" }]).subarray(0, 40),
      "corrupt-zip",
      "export.zip",
    ],
    [
      "a CSV missing a required column",
      "rewatched_episode.csv",
      Buffer.from("user_id,episode_id,created_at\n1,81,2020-01-01\n"),
      "missing-column",
      "cpt",
    ],
    ["a ZIP bomb", "export.zip", makeZip([{ name: "seen_episode.csv", data: Buffer.alloc(60 * 1024 * 1024, 48) }]), "too-large", "50 MB"],
  ])("%s fails with an error naming the file or column, and applies nothing", async (_label, fileName, bytes, code, named) => {
    const uid = uniqueId("user");
    const result = await importFile(uid, fileName, bytes);
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe(code);
    expect(result.error?.message).toContain(named);
    expect(await historyIds(uid)).toEqual([]);
    expect(await stagingLeft(env.db, uid, result.importId)).toBe(0);
  });

  it("a ZIP missing a column in one of its files applies none of the others", async () => {
    const uid = uniqueId("user");
    const a = await newShow();
    const zip = makeZip([
      { name: "seen_episode.csv", data: `episode_id,created_at\n${tvdbEpisodeIdFor(a, 1, 1)},2020-01-01\n` },
      { name: "rewatched_episode.csv", data: "episode_id,created_at\n1,2020-01-01\n" },
    ]);
    const result = await importFile(uid, "export.zip", zip);
    expect(result.error).toEqual({ code: "missing-column", message: expect.stringContaining("rewatched_episode.csv") });
    expect(result.error?.message).toContain('"cpt"');
    expect(await historyIds(uid)).toEqual([]);
  });
});

describe("upload and start", () => {
  it("validates parts, is idempotent under retries and queues one job", async () => {
    const uid = uniqueId("user");
    const d = deps();
    const bytes = Buffer.alloc(512 * 1024 + 10, 65);
    const { importId, partBytes } = await createImport(d, uid, { fileName: "history.csv", sizeBytes: bytes.length, source: "csv" });
    expect(partBytes).toBe(512 * 1024);
    const part = (i: number) => bytes.subarray(i * partBytes, (i + 1) * partBytes).toString("base64");
    await expect(uploadImportPart(d, uid, { importId, index: 2, data: part(1) })).rejects.toMatchObject({ code: "invalid-argument" });
    await expect(uploadImportPart(d, uid, { importId, index: 0, data: part(1) })).rejects.toMatchObject({ code: "invalid-argument" });
    expect(await uploadImportPart(d, uid, { importId, index: 1, data: part(1) })).toEqual({ importId, received: 1 });
    await expect(startImport(d, uid, { importId, parts: 2 })).rejects.toMatchObject({ code: "failed-precondition" });
    await expect(startImport(d, uid, { importId, parts: 3 })).rejects.toMatchObject({ code: "invalid-argument" });
    expect(await uploadImportPart(d, uid, { importId, index: 0, data: part(0) })).toEqual({ importId, received: 2 });
    expect(await uploadImportPart(d, uid, { importId, index: 0, data: part(0) })).toEqual({ importId, received: 2 });
    expect(await startImport(d, uid, { importId, parts: 2 })).toEqual({ importId, status: "queued" });
    expect(await startImport(d, uid, { importId, parts: 2 })).toEqual({ importId, status: "queued" });
    expect(d.queue.tasks).toHaveLength(1);
    await expect(uploadImportPart(d, uid, { importId, index: 0, data: part(0) })).rejects.toMatchObject({ code: "failed-precondition" });
    const job = (await jobRef(env.db, uid, importId).get()).data();
    expect(job?.expiresAt).toBeDefined();
    expect(Object.keys((await importRef(env.db, uid, importId).get()).data() ?? {}).sort()).toEqual(
      ["counts", "createdAt", "error", "fileName", "finishedAt", "progress", "source", "status", "unmatched", "updatedAt"].sort(),
    );
  });
});
