import { Timestamp } from "firebase-admin/firestore";
import { countFirestore } from "../../bench/firestoreCounter";
import { seasonRef } from "../../functions/src/cache/documents";
import { seasonNamesRef, showNamesRef } from "../../functions/src/cache/namesCache";
import { enrichLibrary } from "../../functions/src/enrichment/enrichLibrary";
import { enrichShow } from "../../functions/src/enrichment/enrichShow";
import { calendarForShows, getCalendar } from "../../functions/src/library/calendar";
import { renderCalendar } from "../../functions/src/library/ical";
import { localizedNames } from "../../functions/src/language/localize";
import { preferencesRef, readPreferences } from "../../functions/src/language/preferences";
import { namesJobRef, runNamesTask, type NamesQueue, type NamesTask } from "../../functions/src/language/reenrichNames";
import { setPreferencesRequestSchema } from "../../functions/src/language/schemas";
import { setPreferences } from "../../functions/src/language/setPreferences";
import { getLibrary, getLibraryFull } from "../../functions/src/progress/getLibrary";
import {
  librarySummaryRef,
  librarySummaryShardRef,
  RECOMPUTE_NEXT_VIEW,
  type LibrarySummaryDoc,
  type LibrarySummaryShardDoc,
} from "../../functions/src/progress/librarySummary";
import { getShowProgress } from "../../functions/src/progress/getShowProgress";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { RecordingAlertSender } from "../../functions/src/nightly/alertSender";
import { alertNewEpisodes } from "../../functions/src/nightly/alerts";
import type { ShowSpec } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
let counter: ReturnType<typeof countFirestore>;
beforeAll(async () => {
  env = await startTestEnv();
  counter = countFirestore(env.db);
});
afterAll(() => env.close());

/** Tasks kept in memory and run on demand (Cloud Tasks in production). */
class MemoryQueue implements NamesQueue {
  readonly tasks: NamesTask[] = [];
  readonly ids = new Set<string>();
  async enqueue(task: NamesTask, { id }: { id: string }) {
    if (this.ids.has(id)) return "duplicate" as const;
    this.ids.add(id);
    this.tasks.push(task);
    return "enqueued" as const;
  }
}

/** One season: episode 1 translated, 2 a placeholder, 3 empty, 4 no entry (placeholder), 5 translated. */
const bilingual = (name: string, airDates: string[]): ShowSpec => ({
  name,
  seasons: [{ episodes: 5, airDates, names: ["Pilot", "The Road", "Night", "Morning", "Finale"] }],
  translations: { "fr-FR": { name: `${name} (VF)`, seasons: { "1": ["Pilote", null, "", null, "Le final"] } } },
});
const OLD_DATES = ["2020-01-06", "2020-01-13", "2020-01-20", "2020-01-27", "2020-02-03"];
const ENGLISH = ["Pilot", "The Road", "Night", "Morning", "Finale"];
const FRENCH = ["Pilote", "The Road", "Night", "Morning", "Le final"];

const track = async (uid: string, showId: number, watched: number[] = []) =>
  trackingRef(env.db, uid, showId).set({
    showId,
    episodes: Object.fromEntries(
      [1, 2, 3, 4, 5].map((e) => [`1_${e}`, { watched: watched.includes(e), watchedAt: Timestamp.fromMillis(Date.UTC(2024, 0, e)) }]),
    ),
  });
const names = async (uid: string, showId: number) => {
  const episodes = (await trackingRef(env.db, uid, showId).get()).get("episodes") as Record<string, { episodeName?: string }>;
  return [1, 2, 3, 4, 5].map((e) => episodes[`1_${e}`]?.episodeName);
};
const frenchRequests = async (showId: number) => (await env.fake.requests(`/tv/${showId}`)).filter((r) => r.query.language === "fr-FR");

describe("setPreferences", () => {
  it("stores language and time zone with defaults, and keeps what a call leaves out", async () => {
    const uid = uniqueId("prefs");
    const ctx = env.context();
    expect(await readPreferences(env.db, uid)).toEqual({ language: "en-US", timeZone: "UTC" });
    const queue = new MemoryQueue();
    expect(await setPreferences(ctx, queue, uid, setPreferencesRequestSchema.parse({ language: "fr-fr" }))).toEqual({
      language: "fr-FR",
      timeZone: "UTC",
    });
    expect(await setPreferences(ctx, queue, uid, setPreferencesRequestSchema.parse({ timeZone: "europe/paris" }))).toEqual({
      language: "fr-FR",
      timeZone: "Europe/Paris",
    });
    const stored = (await preferencesRef(env.db, uid).get()).data();
    expect(Object.keys(stored ?? {}).sort()).toEqual(["language", "timeZone", "updatedAt"]);
    expect(stored).toMatchObject({ language: "fr-FR", timeZone: "Europe/Paris" });
  });

  it("refuses tags TMDB does not know and zones IANA does not, naming the field", () => {
    for (const language of ["xx-XX", "fr", "french", "", "en_US"]) {
      const parsed = setPreferencesRequestSchema.safeParse({ language });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0].path).toEqual(["language"]);
    }
    for (const timeZone of ["Mars/Olympus", "+01:00", "CEST", "", "Europe/Paris/../x"]) {
      const parsed = setPreferencesRequestSchema.safeParse({ timeZone });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0].path).toEqual(["timeZone"]);
    }
    expect(setPreferencesRequestSchema.parse({ language: "pt-BR", timeZone: "America/Sao_Paulo" })).toEqual({
      language: "pt-BR",
      timeZone: "America/Sao_Paulo",
    });
  });
});

describe("names in the user's language", () => {
  it("a French and an English user on the same show: translations, no placeholder, one French request shared", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, bilingual("Bilingual", OLD_DATES));
    const [english, french, french2] = [uniqueId("en"), uniqueId("fr"), uniqueId("fr")];
    // Chosen before anything is tracked: nothing to re-enrich yet.
    const queue = new MemoryQueue();
    await setPreferences(env.context(), queue, french, { language: "fr-FR" });
    await setPreferences(env.context(), queue, french2, { language: "fr-FR" });
    for (const uid of [english, french, french2]) await track(uid, showId, [1, 2]);

    const en = env.context();
    await enrichShow(en, english, showId);
    expect(await names(english, showId)).toEqual(ENGLISH);
    expect(en.tmdb.requestCount).toBe(1);

    const fr = env.context();
    await enrichShow(fr, french, showId);
    expect(await names(french, showId)).toEqual(FRENCH);
    expect(fr.tmdb.requestCount).toBe(1);
    expect(await frenchRequests(showId)).toHaveLength(1);

    const fr2 = env.context();
    await enrichShow(fr2, french2, showId);
    expect(await names(french2, showId)).toEqual(FRENCH);
    expect(fr2.tmdb.requestCount).toBe(0);

    // The §1 season document keeps its shape and TMDB's default language; the translations live beside it.
    const season = (await seasonRef(env.db, showId, 1).get()).data();
    expect(Object.keys(season ?? {}).sort()).toEqual(["episodes", "lastUpdated", "status"]);
    expect(Object.values(season?.episodes ?? {}).map((e) => (e as { episodeName: string }).episodeName)).toEqual(ENGLISH);
    expect((await seasonNamesRef(env.db, showId, 1, "fr-FR").get()).get("names")).toEqual({ "1": "Pilote", "5": "Le final" });
    expect((await showNamesRef(env.db, showId, "fr-FR").get()).get("name")).toBe("Bilingual (VF)");

    // Progress: the show's name and up next in French, the English name where French has none.
    const progress = await getShowProgress(env.context(), french, { showId });
    expect(progress).toMatchObject({ name: "Bilingual (VF)", nextEpisode: { season: 1, episode: 3, name: "Night" } });
    expect((await getShowProgress(env.context(), english, { showId })).name).toBe("Bilingual");
    const library = await getLibrary(env.context(), french);
    expect(library.shows.map((s) => [s.name, s.nextEpisode?.name])).toEqual([["Bilingual (VF)", "Night"]]);
  });

  it("a crowd of one language cold on one show makes one TMDB request for its names", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, bilingual("Crowd", OLD_DATES));
    const users = Array.from({ length: 12 }, () => uniqueId("crowd"));
    for (const uid of users) {
      await track(uid, showId);
      await preferencesRef(env.db, uid).set({ language: "fr-FR", timeZone: "UTC", updatedAt: Timestamp.now() });
    }
    await Promise.all(users.map((uid) => enrichShow(env.context(), uid, showId)));
    expect(await frenchRequests(showId)).toHaveLength(1);
    for (const uid of users) expect(await names(uid, showId)).toEqual(FRENCH);
  });

  it("a language TMDB has no translations for falls back to the default names everywhere", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: "Untranslated",
      seasons: [{ episodes: 4, airDate: "2020-01-01", names: ["A", "B", "C", "D"] }],
    });
    const uid = uniqueId("sw");
    await track(uid, showId);
    await preferencesRef(env.db, uid).set({ language: "sw-TZ", timeZone: "UTC", updatedAt: Timestamp.now() });
    await enrichShow(env.context(), uid, showId);
    expect((await names(uid, showId)).slice(0, 4)).toEqual(["A", "B", "C", "D"]);
    expect((await getShowProgress(env.context(), uid, { showId })).name).toBe("Untranslated");
    const book = await localizedNames(env.context().cache.names, "sw-TZ", [{ showId, show: true, seasons: [1] }]);
    expect(book.episode(showId, 1, 2, "B")).toBe("B");
  });

  it("generated translations: placeholders ('Épisode 3', 'Folge 3') and empty names are never shown", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Generated", seasons: [{ episodes: 6, airDate: "2020-01-01" }] });
    for (const language of ["fr-FR", "de-DE", "ja-JP"]) {
      const book = await localizedNames(env.context().cache.names, language, [{ showId, show: true, seasons: [1] }]);
      const shown = [1, 2, 3, 4, 5, 6].map((e) => book.episode(showId, 1, e, `S1E${e} of Generated`));
      expect(shown).toEqual([
        `S1E1 of Generated [${language}]`,
        `S1E2 of Generated [${language}]`,
        "S1E3 of Generated",
        `S1E4 of Generated [${language}]`,
        "S1E5 of Generated",
        "S1E6 of Generated",
      ]);
      expect(book.show(showId, "Generated")).toBe(`Generated [${language}]`);
    }
  });
});

describe("a language switch", () => {
  it("re-enriches names only: watch state, plays and pointers stay as they were", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, bilingual("Switch", OLD_DATES));
    const uid = uniqueId("switch");
    await track(uid, showId, [1, 3]);
    await trackingRef(env.db, uid, showId).update({ "episodes.1_1.plays": 2, current: { season: 1, episode: 4 } });
    await enrichShow(env.context(), uid, showId);
    expect(await names(uid, showId)).toEqual(ENGLISH);
    const before = (await trackingRef(env.db, uid, showId).get()).data();

    await setPreferences(env.context(), new MemoryQueue(), uid, { language: "fr-FR" });
    expect(await names(uid, showId)).toEqual(FRENCH);
    const after = (await trackingRef(env.db, uid, showId).get()).data() as typeof before;
    const strip = (doc: typeof before) =>
      Object.fromEntries(
        Object.entries(doc?.episodes ?? {}).map(([key, value]) => {
          const { episodeName: _name, ...rest } = value as Record<string, unknown>;
          return [key, rest];
        }),
      );
    expect(strip(after)).toEqual(strip(before));
    expect(after?.current).toEqual({ season: 1, episode: 4 });

    await setPreferences(env.context(), new MemoryQueue(), uid, { language: "en-US" });
    expect(await names(uid, showId)).toEqual(ENGLISH);
  });

  it("a large library is re-enriched in the background, page by page, and resumes from its cursor", async () => {
    const uid = uniqueId("large");
    const shows = Array.from({ length: 120 }, () => uniqueShowId());
    for (const showId of shows) {
      await env.fake.setShow(showId, bilingual(`Large ${showId}`, OLD_DATES));
      await track(uid, showId);
    }
    await enrichLibrary(env.context(), uid);
    const queue = new MemoryQueue();
    await setPreferences(env.context(), queue, uid, { language: "fr-FR" });
    expect(queue.tasks).toHaveLength(1);
    expect((await namesJobRef(env.db, uid).get()).get("done")).toBe(false);
    let steps = 0;
    while (queue.tasks.length > 0) {
      const task = queue.tasks.shift() as NamesTask;
      await runNamesTask(env.context(), queue, task);
      steps++;
    }
    expect(steps).toBe(3);
    expect((await namesJobRef(env.db, uid).get()).data()).toMatchObject({ language: "fr-FR", done: true, shows: 120 });
    for (const showId of [shows[0], shows[60], shows[119]]) expect(await names(uid, showId)).toEqual(FRENCH);
  });
});

describe("the library summary in the profile's language", () => {
  /** Small budgets: six shows spread over several shards, so the shards' reads are counted too. */
  const summaryBudgets = { indexBytes: 2_000, shardBytes: 900, shardLimitBytes: 1_200 };
  const ctx = (config?: { lockWaitMs: number }) => ({ ...env.context(config ? { config } : {}), summaryBudgets });
  /** Document reads of `work`, counted at the Firestore client's RPC boundary (bench/firestoreCounter.ts). */
  const reads = async <T>(work: () => Promise<T>) => {
    const before = counter.counts().reads;
    const value = await work();
    return { value, reads: counter.counts().reads - before };
  };
  /** The stored summary, every entry's progress joined from its shard. */
  const stored = async (uid: string) => {
    const index = (await librarySummaryRef(env.db, uid).get()).data() as LibrarySummaryDoc;
    const entries = new Map(Object.entries(index.shows ?? {}).map(([id, head]) => [Number(id), { ...head }]));
    for (let k = 1; k <= (index.shards ?? 0); k++) {
      const shard = (await librarySummaryShardRef(env.db, uid, k).get()).data() as LibrarySummaryShardDoc | undefined;
      for (const [id, { progress }] of Object.entries(shard?.shows ?? {})) Object.assign(entries.get(Number(id)) ?? {}, { progress });
    }
    return { index, entries };
  };
  const namesOf = (shows: Array<{ name: string | null; nextEpisode: { name: string | null } | null }>) =>
    shows.map((show) => [show.name, show.nextEpisode?.name]);

  /** Six bilingual shows watched up to episode 4: up next is episode 5, "Finale" / "Le final". */
  const library = async (prefix: string) => {
    const shows = Array.from({ length: 6 }, () => uniqueShowId());
    for (const showId of shows) await env.fake.setShow(showId, bilingual(`${prefix} ${showId}`, OLD_DATES));
    return shows;
  };
  const trackAll = async (uid: string, shows: number[]) => {
    for (const showId of shows) await track(uid, showId, [1, 2, 3, 4]);
  };
  const french = (shows: number[]) => (prefix: string) => shows.map((showId) => [`${prefix} ${showId} (VF)`, "Le final"]);
  const english = (shows: number[]) => (prefix: string) => shows.map((showId) => [`${prefix} ${showId}`, "Finale"]);

  it("stores French names with `language: fr-FR`; a warm French view reads what an English one does; a switch back recomputes once", async () => {
    const shows = await library("Summary");
    const [fr, en] = [uniqueId("lib-fr"), uniqueId("lib-en")];
    await preferencesRef(env.db, fr).set({ language: "fr-FR", timeZone: "UTC", updatedAt: Timestamp.now() });
    for (const uid of [fr, en]) await trackAll(uid, shows);
    // Same activity order for both: the answers list the shows in the same order.
    const order = (await getLibraryFull(ctx(), en)).shows.map((show) => show.showId);

    const first = await getLibrary(ctx(), fr);
    expect(namesOf(first.shows)).toEqual(french(order)("Summary"));
    expect(first).toEqual(await getLibraryFull(ctx(), fr));
    const summary = await stored(fr);
    expect(summary.index.language).toBe("fr-FR");
    expect(summary.index.shards).toBeGreaterThanOrEqual(2);
    expect(shows.map((showId) => summary.entries.get(showId)?.progress?.name)).toEqual(shows.map((showId) => `Summary ${showId} (VF)`));
    expect(shows.map((showId) => summary.entries.get(showId)?.progress?.nextEpisode?.name)).toEqual(shows.map(() => "Le final"));

    await getLibrary(ctx(), en);
    const englishView = await reads(() => getLibrary(ctx(), en));
    const frenchView = await reads(() => getLibrary(ctx(), fr));
    // The preferences, the index and its shards: no name document, in either language.
    expect(frenchView.reads).toBe(1 + 1 + (summary.index.shards ?? 0));
    expect(frenchView.reads).toBe(englishView.reads);
    expect(frenchView.value).toEqual(first);
    expect(namesOf(englishView.value.shows)).toEqual(english(order)("Summary"));
    expect((await stored(en)).index.language).toBe("en-US");

    // Back to English: the switch makes every entry due (a listening client asks getLibrary), the next view
    // recomputes them all once and stores English names, and the view after it is warm again.
    await setPreferences(env.context(), new MemoryQueue(), fr, { language: "en-US" });
    const marked = await stored(fr);
    expect([...marked.entries.values()].map((entry) => entry.staleAt)).toEqual(shows.map(() => RECOMPUTE_NEXT_VIEW));
    const switched = await reads(() => getLibrary(ctx(), fr));
    expect(switched.reads).toBeGreaterThan(frenchView.reads);
    expect(namesOf(switched.value.shows)).toEqual(english(order)("Summary"));
    expect(switched.value).toEqual(await getLibraryFull(ctx(), fr));
    const back = await stored(fr);
    expect(back.index.language).toBe("en-US");
    expect(shows.map((showId) => back.entries.get(showId)?.progress?.name)).toEqual(shows.map((showId) => `Summary ${showId}`));
    const warmAgain = await reads(() => getLibrary(ctx(), fr));
    expect(warmAgain.reads).toBe(englishView.reads);
    expect(warmAgain.value).toEqual(switched.value);
  });

  it("a name missing because another request holds the names lock is the fallback for now, and stored in French by a later view", async () => {
    const shows = await library("Locked");
    const uid = uniqueId("lib-lock");
    await preferencesRef(env.db, uid).set({ language: "fr-FR", timeZone: "UTC", updatedAt: Timestamp.now() });
    await trackAll(uid, shows);
    await getLibraryFull(env.context(), uid); // the §1 documents and the French names warm
    const [locked] = shows;
    // Another request is populating the show's French name (a live lease): no wait allowed here.
    await showNamesRef(env.db, locked, "fr-FR").set({
      name: null,
      ongoing: true,
      kept: false,
      lastUpdated: Timestamp.now(),
      status: "populating",
    });

    const view = await getLibrary(ctx({ lockWaitMs: 0 }), uid);
    expect(view.shows.find((show) => show.showId === locked)?.name).toBe(`Locked ${locked}`);
    const during = await stored(uid);
    expect(during.entries.get(locked)?.progress?.name).toBe(`Locked ${locked}`);
    expect(during.entries.get(locked)?.staleAt).toBe(RECOMPUTE_NEXT_VIEW);
    // The other shows' names were all given: stored for good (until their staleAt).
    for (const showId of shows.slice(1)) expect(during.entries.get(showId)?.staleAt).toBeGreaterThan(Date.now());

    // The holder gives up its lock (released: the document goes); the next view loads the name itself.
    await showNamesRef(env.db, locked, "fr-FR").delete();
    const later = await getLibrary(ctx({ lockWaitMs: 0 }), uid);
    expect(later.shows.find((show) => show.showId === locked)?.name).toBe(`Locked ${locked} (VF)`);
    const after = await stored(uid);
    expect(after.entries.get(locked)?.progress?.name).toBe(`Locked ${locked} (VF)`);
    expect(after.entries.get(locked)?.staleAt).toBeGreaterThan(Date.now());
    expect(later).toEqual(await getLibraryFull(env.context(), uid));
  });
});

describe("the clock: an episode airs at 20:00 in its country", () => {
  // A British show (Europe/London, GMT in January): episode 2 airs 2026-01-15 20:00 GMT = 20:00 UTC.
  const spec = (name: string): ShowSpec => ({
    name,
    originCountry: ["GB"],
    seasons: [{ episodes: 3, airDates: ["2026-01-08", "2026-01-15", "2026-01-22"] }],
  });
  const at = (iso: string) => () => new Date(iso);

  it("aired (progress, up next) is the same real moment for a user east and a user west", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, spec("London"));
    const [east, west] = [uniqueId("tokyo"), uniqueId("la")];
    for (const [uid, timeZone] of [
      [east, "Asia/Tokyo"],
      [west, "America/Los_Angeles"],
    ] as const) {
      await trackingRef(env.db, uid, showId).set({ showId, episodes: { "1_1": { watched: true, watchedAt: Timestamp.now() } } });
      await preferencesRef(env.db, uid).set({ language: "en-US", timeZone, updatedAt: Timestamp.now() });
    }
    for (const uid of [east, west]) {
      // 19:59 UTC: already the 16th in Tokyo, still the 15th in Los Angeles; not aired for either.
      const before = await getShowProgress(env.context({ clock: at("2026-01-15T19:59:00Z") }), uid, { showId });
      expect(before).toMatchObject({ aired: 1, nextEpisode: null });
      const after = await getShowProgress(env.context({ clock: at("2026-01-15T20:01:00Z") }), uid, { showId });
      expect(after).toMatchObject({ aired: 2, nextEpisode: { season: 1, episode: 2 } });
    }
  });

  it("calendar days and iCal events are the user's: the 16th in Tokyo, the 15th in Los Angeles, one instant", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, spec("London calendar"));
    const ctx = env.context({ clock: at("2026-01-14T12:00:00Z") });
    const window = (timeZone: string) => ({ from: "2026-01-15", end: "2026-01-17", timeZone });
    const tokyo = await calendarForShows(ctx, [showId], window("Asia/Tokyo"));
    const la = await calendarForShows(ctx, [showId], window("America/Los_Angeles"));
    expect(tokyo.items.map((i) => [i.episode, i.airDate, i.airsAt])).toEqual([[2, "2026-01-16", "2026-01-15T20:00:00.000Z"]]);
    expect(la.items.map((i) => [i.episode, i.airDate, i.airsAt])).toEqual([[2, "2026-01-15", "2026-01-15T20:00:00.000Z"]]);
    const ics = renderCalendar(tokyo.items, new Date("2026-01-14T12:00:00Z"), "test", "Asia/Tokyo");
    expect(ics).toContain("DTSTART:20260115T200000Z");
    expect(ics).toContain("X-WR-TIMEZONE:Asia/Tokyo");

    // getCalendar uses the profile's zone: the window starts on the user's today.
    const uid = uniqueId("cal");
    await trackingRef(env.db, uid, showId).set({ showId, episodes: {} });
    await preferencesRef(env.db, uid).set({ language: "en-US", timeZone: "Asia/Tokyo", updatedAt: Timestamp.now() });
    const answer = await getCalendar(env.context({ clock: at("2026-01-15T16:00:00Z") }), uid, { days: 1 });
    expect(answer.items).toEqual([
      { showId, name: "London calendar", season: 1, episode: 2, episodeName: "S1E2 of London calendar", airDate: "2026-01-16" },
    ]);
  });

  it("a show with no country keeps UTC days (all-day iCal events)", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, { name: "Nowhere", seasons: [{ episodes: 1, airDates: ["2026-01-15"] }] });
    const ctx = env.context({ clock: at("2026-01-14T12:00:00Z") });
    const { items } = await calendarForShows(ctx, [showId], { from: "2026-01-15", end: "2026-01-16", timeZone: "UTC" });
    expect(items.map((i) => i.airDate)).toEqual(["2026-01-15"]);
    expect(renderCalendar(items, new Date(), "test")).toContain("DTSTART;VALUE=DATE:20260115");
  });

  it("alerts go out once the show's 20:00 has passed, named in each follower's language", async () => {
    const showId = uniqueShowId();
    // A French show: episode 1 airs 2026-01-15 20:00 Europe/Paris = 19:00 UTC.
    await env.fake.setShow(showId, {
      ...bilingual("Alerted", ["2026-01-15", "2026-01-22", "2026-01-29", "2026-02-05", "2026-02-12"]),
      originCountry: ["FR"],
    });
    const [fr, en] = [uniqueId("alert-fr"), uniqueId("alert-en")];
    for (const uid of [fr, en]) await trackingRef(env.db, uid, showId).set({ showId, episodes: {} });
    await preferencesRef(env.db, fr).set({ language: "fr-FR", timeZone: "Europe/Paris", updatedAt: Timestamp.now() });
    const inbox = async (uid: string) => (await env.db.collection("users").doc(uid).collection("inbox").get()).docs.map((d) => d.data());

    const sender = new RecordingAlertSender();
    await alertNewEpisodes(env.context({ clock: at("2026-01-15T18:59:00Z") }), sender, showId);
    expect(await inbox(fr)).toEqual([]);
    await alertNewEpisodes(env.context({ clock: at("2026-01-15T19:01:00Z") }), sender, showId);
    expect(await inbox(fr)).toEqual([expect.objectContaining({ showName: "Alerted (VF)", episodeName: "Pilote", season: 1, episode: 1 })]);
    expect(await inbox(en)).toEqual([expect.objectContaining({ showName: "Alerted", episodeName: "Pilot", season: 1, episode: 1 })]);
  });
});
