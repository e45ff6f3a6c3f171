import { createHash } from "node:crypto";
import fc from "fast-check";
import { deleteApp, getApp, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { z } from "zod";
import * as exported from "../../functions/src/index";
import { LIBRARY_COLLECTION, LIBRARY_SUMMARY_ID } from "../../functions/src/progress/librarySummary";
import { fitsDocumentLimit } from "../../functions/src/shared/firestore";
import { startFakeTmdb, type FakeTmdb } from "../../tools/fake-tmdb/server";
import { waitForDoc } from "../support/firestoreWait";
import { validLooking, type JsonSchema } from "./hostileArbitraries";
import {
  authFor,
  discoverCallables,
  invoke,
  inProcessHandlerEnv,
  projectId,
  seedUser,
  treeOf,
  userDocuments,
  type DiscoveredCallable,
  type Outcome,
} from "./hostileHarness";

/**
 * Issue 17: a client may send any request twice (it retries after a lost answer) and the end state
 * must be as if it was sent once. Every callable exported from functions/src/index.ts — found by
 * shape, so a callable added later is covered without editing this file — runs, for each of a few
 * valid payloads (a realistic one from the table below, and some sampled from its zod schema), on
 * three users seeded identically: once for A, twice in a row for B, twice at once for C. The trees
 * users/{uid}/** of B and C must equal A's, normalised only for what legitimately records "when" or
 * "which random id": the uid, timestamps taken while the test runs, ids and secrets the calls return.
 */

const SAMPLED_PAYLOADS = 1;
const SHOW = 7; // seeded by seedUser: S1E1 watched, S1E2 paused at 25 %, a like on S1E1, one Trakt play
const MOVIE = 11;

/**
 * Callables whose END STATE legitimately differs when the same request is sent twice. A callable not
 * listed here must be idempotent; a new callable is checked automatically and fails until it is
 * idempotent or listed with its reason.
 */
const END_STATE_DIFFERS: Record<string, { reason: string; applies: (payload: Record<string, unknown>) => boolean }> = {
  toggleReaction: {
    reason: "a toggle by definition (the same type twice removes it); kept for compatibility, setReaction is the idempotent one",
    applies: () => true,
  },
  advanceEpisode: {
    reason: "without `from` the call means 'advance from wherever the show is now'; with `from` a repeat is a no-op (tested below)",
    applies: (payload) => payload.from === undefined,
  },
  createWebhook: {
    reason:
      "each call mints a new webhook with its own secret URL (no client request id in the contract); a client that lost an answer deletes the extra one",
    applies: () => true,
  },
  createImport: {
    reason: "each call opens a new upload (a new importId); an abandoned one stays `uploading` and nothing is applied from it",
    applies: () => true,
  },
  createHouseholdInvite: {
    reason: "each call mints a new single-use code (no client request id in the contract); an unused one expires in 7 days",
    applies: () => true,
  },
  createProfile: {
    reason: "each call creates a new managed profile (no client request id in the contract); the extra one is deleted with deleteProfile",
    applies: () => true,
  },
};

/**
 * Callables whose ANSWER to the repeat legitimately differs from the first answer (the end state is
 * still as if sent once, unless listed above).
 */
const RESPONSE_DIFFERS: Record<string, string> = {
  toggleReaction: "a toggle: added, then removed",
  setReaction: "`action` says what this call did: `unchanged` on the repeat (the end state and the counts are the same)",
  scrobble:
    "a repeated `stop` within the item's runtime answers already-exists and records nothing (README: Scrobbling and media-server webhooks)",
  markWatched: "`changed` counts what this call changed: 0 on the repeat",
  syncHistory: "the repeat's plays count as `duplicates`, not `added`",
  importCsv: "the repeat's plays count as `duplicates`, not `added`",
  enrichShow: "the repeat finds the show `alreadyEnriched`",
  enrichLibrary: "the repeat finds the shows already enriched",
  createWebhook: "a new webhook per call (see END_STATE_DIFFERS)",
  createImport: "a new import per call (see END_STATE_DIFFERS)",
  createCalendarFeed: "a new secret URL per call; the feed document holds only the newest hash, so only the last URL works",
  revokeCalendarFeed: "`revoked: false` when there was nothing left to revoke",
  deleteWebhook: "`deleted: false` when it was already deleted",
  clearPlayback: "`deleted: false` when it was already cleared",
  startImport: "answers the import's current status, which moves on (queued → running → done) while the task runs",
  advanceEpisode: "without `from` (see END_STATE_DIFFERS)",
  createHousehold: "the repeat is failed-precondition: the caller is in a household now (CONTRACT §9)",
  createHouseholdInvite: "a new code per call (see END_STATE_DIFFERS)",
  createProfile: "a new profile per call (see END_STATE_DIFFERS)",
  removeHouseholdMember: "the repeat is not-found: that uid is no longer a member",
};

/**
 * Cases whose concurrent comparison is skipped, with the reason. Empty: two `markMovieWatched` sent at
 * once used to record two plays (fixed: the movie's plays are read inside the recording transaction).
 */
const CONCURRENT_KNOWN_DEFECTS: Record<string, (payload: Record<string, unknown>) => boolean> = {};

type Payload = Record<string, unknown>;
/** Prepares state a request needs (an import to upload into, a webhook to delete) and returns the payload. */
type Prepare = (uid: string, note: (outcome: Outcome) => void) => Promise<Payload>;

const callables = discoverCallables(exported);
const byName = new Map(callables.map(({ name, fn }) => [name, fn]));
const call = (name: string, payload: unknown, uid: string) => invoke(byName.get(name) as DiscoveredCallable, payload, authFor(uid));

const CSV = `title,season,episode,watched_at,tmdb_id\nShow ${SHOW},1,3,2024-03-02T20:00:00Z,${SHOW}\nShow ${SHOW},1,4,2024-03-03T20:00:00Z,${SHOW}\n`;
const CSV_BASE64 = Buffer.from(CSV, "utf8").toString("base64");

async function createdImport(uid: string, note: (outcome: Outcome) => void): Promise<string> {
  const outcome = await call("createImport", { fileName: "history.csv", sizeBytes: Buffer.byteLength(CSV), source: "csv" }, uid);
  note(outcome);
  if (!outcome.ok) throw new Error(`createImport failed: ${String(outcome.error)}`);
  return (outcome.value as { importId: string }).importId;
}

/** A household owned by `owner` (created here) and a fresh invite code to it. */
async function inviteFrom(owner: string, note: (outcome: Outcome) => void): Promise<string> {
  note(await call("createHousehold", { name: "Sofa" }, owner));
  const outcome = await call("createHouseholdInvite", {}, owner);
  note(outcome);
  if (!outcome.ok) throw new Error(`createHouseholdInvite failed: ${String(outcome.error)}`);
  return (outcome.value as { code: string }).code;
}

function traktPlay(id: string, season: number, episode: number, watchedAt: string): Payload {
  return {
    id,
    watched_at: watchedAt,
    action: "watch",
    type: "episode",
    episode: { season, number: episode, ids: {} },
    show: { title: `Show ${SHOW}`, ids: { tmdb: SHOW } },
  };
}

const episode = (season: number, n: number) => ({ type: "episode", showId: SHOW, season, episode: n });
const fixed =
  (payload: Payload): Prepare =>
  async () =>
    payload;

/**
 * Friends and DMs (CONTRACT §10): the user and a friend derived from their uid (`<uid>-friend`, so both
 * normalise alike), each with a random handle (noted, like a minted id). `stage` says how far to go.
 */
async function socialPair(uid: string, note: (outcome: Outcome) => void, stage: "profiles" | "requested" | "friends" | "conversation") {
  const friend = `${uid}-friend`;
  const handle = (who: string) => `h${createHash("sha256").update(who).digest("hex").slice(0, 12)}`;
  note(await call("setPublicProfile", { handle: handle(uid), displayName: "Idem" }, uid));
  note(await call("setPublicProfile", { handle: handle(friend), displayName: "Friend" }, friend));
  const result = { friend, friendHandle: handle(friend), conversationId: "" };
  if (stage === "profiles") return result;
  note(await call("sendFriendRequest", { handle: handle(uid) }, friend));
  if (stage === "requested") return result;
  note(await call("respondFriendRequest", { uid: friend, accept: true }, uid));
  if (stage === "friends") return result;
  const opened = await call("openConversation", { uid }, friend);
  note(opened);
  result.conversationId = opened.ok ? (opened.value as { conversationId: string }).conversationId : "none";
  return result;
}

/** A realistic request per callable (several where the callable has distinct modes). */
const REALISTIC: Record<string, Prepare[]> = {
  setPublicProfile: [
    async (uid, note) => {
      await socialPair(uid, note, "profiles");
      return { handle: `n${createHash("sha256").update(uid).digest("hex").slice(0, 12)}`, displayName: "Renamed" };
    },
  ],
  sendFriendRequest: [async (uid, note) => ({ handle: (await socialPair(uid, note, "profiles")).friendHandle })],
  respondFriendRequest: [
    async (uid, note) => ({ uid: (await socialPair(uid, note, "requested")).friend, accept: true }),
    async (uid, note) => ({ uid: (await socialPair(uid, note, "requested")).friend, accept: false }),
  ],
  removeFriend: [async (uid, note) => ({ uid: (await socialPair(uid, note, "friends")).friend })],
  setBlocked: [
    async (uid, note) => ({ uid: (await socialPair(uid, note, "requested")).friend, blocked: true }),
    async (uid, note) => ({ uid: (await socialPair(uid, note, "friends")).friend, blocked: false }),
  ],
  openConversation: [async (uid, note) => ({ uid: (await socialPair(uid, note, "friends")).friend })],
  sendMessage: [
    async (uid, note) => ({
      conversationId: (await socialPair(uid, note, "conversation")).conversationId,
      clientMessageId: "idem-1",
      text: "you have to see this",
      share: { type: "episode", showId: SHOW, season: 1, episode: 2 },
    }),
  ],
  getMessages: [
    async (uid, note) => {
      const { friend, conversationId } = await socialPair(uid, note, "conversation");
      note(await call("sendMessage", { conversationId, clientMessageId: "m", share: { type: "show", showId: SHOW } }, friend));
      return { conversationId };
    },
  ],
  markConversationRead: [
    async (uid, note) => {
      const { friend, conversationId } = await socialPair(uid, note, "conversation");
      note(await call("sendMessage", { conversationId, clientMessageId: "m", text: "hi" }, friend));
      return { conversationId };
    },
  ],
  enrichShow: [fixed({ showId: SHOW })],
  enrichLibrary: [fixed({})],
  toggleReaction: [fixed({ showId: SHOW, season: 1, episode: 2, type: "love" })],
  setReaction: [fixed({ showId: SHOW, season: 1, episode: 1, type: "love" }), fixed({ showId: SHOW, season: 1, episode: 1, type: null })],
  getReactions: [fixed({ showId: SHOW, season: 1, episode: 1 })],
  syncHistory: [
    fixed({ items: [traktPlay("9007199254740993", 1, 2, "2024-03-04T20:00:00Z"), traktPlay("77", 2, 1, "2024-03-05T20:00:00.000Z")] }),
  ],
  importCsv: [fixed({ csv: CSV })],
  exportHistory: [fixed({}), fixed({ limit: 1 })],
  markWatched: [
    fixed({ showId: SHOW, target: { type: "episodes", episodes: [{ season: 1, episode: 2 }] } }),
    fixed({ showId: SHOW, target: { type: "episodes", episodes: [{ season: 1, episode: 3, watchedAt: "2024-03-06T20:00:00Z" }] } }),
    fixed({ showId: SHOW, target: { type: "season", season: 1 }, watchedAt: "2024-03-07T20:00:00Z" }),
    fixed({ showId: SHOW, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] }, watched: false }),
  ],
  getShowProgress: [fixed({ showId: SHOW })],
  getLibrary: [fixed({}), fixed({ includeHidden: true })],
  setProgress: [fixed({ showId: SHOW, season: 1, episode: 3 })],
  advanceEpisode: [fixed({ showId: SHOW, from: { season: 1, episode: 2 } })],
  savePlayback: [
    fixed({ media: episode(1, 2), positionSeconds: 900, durationSeconds: 2400 }),
    fixed({ media: episode(1, 2), positionSeconds: 2300, durationSeconds: 2400 }),
    fixed({ media: { type: "movie", movieId: MOVIE }, positionSeconds: 5900, durationSeconds: 6000 }),
  ],
  getContinueWatching: [fixed({})],
  clearPlayback: [fixed({ media: episode(1, 2) })],
  setShowStatus: [fixed({ showId: SHOW, status: "paused" })],
  resetProgress: [fixed({ showId: SHOW }), fixed({ showId: SHOW, undo: true })],
  setWatchlist: [
    fixed({ media: { type: "show", showId: SHOW }, on: true }),
    fixed({ media: { type: "movie", movieId: MOVIE }, on: false }),
  ],
  rate: [fixed({ target: episode(1, 1), rating: 8 }), fixed({ target: { type: "show", showId: SHOW }, rating: null })],
  getCalendar: [fixed({ from: "2005-01-01", days: 31 })],
  createCalendarFeed: [fixed({})],
  revokeCalendarFeed: [
    async (uid, note) => {
      note(await call("createCalendarFeed", {}, uid));
      return {};
    },
  ],
  registerDevice: [fixed({ token: "fcm-token-abc", platform: "ios" })],
  unregisterDevice: [
    async (uid) => {
      await call("registerDevice", { token: "fcm-token-abc", platform: "android" }, uid);
      return { token: "fcm-token-abc", platform: "android" };
    },
  ],
  markMovieWatched: [fixed({ movieId: MOVIE, watchedAt: "2024-03-02T20:00:00Z" }), fixed({ movieId: MOVIE })],
  scrobble: [
    fixed({ action: "stop", media: episode(1, 2), progress: 95 }),
    fixed({ action: "start", media: episode(1, 3), progress: 10 }),
    fixed({ action: "pause", media: { type: "movie", movieId: MOVIE }, progress: 40 }),
  ],
  createWebhook: [fixed({ kind: "plex", account: "me" })],
  deleteWebhook: [
    async (uid, note) => {
      const outcome = await call("createWebhook", { kind: "jellyfin" }, uid);
      note(outcome);
      return { webhookId: outcome.ok ? (outcome.value as { webhookId: string }).webhookId : "none" };
    },
  ],
  createImport: [fixed({ fileName: "history.csv", sizeBytes: Buffer.byteLength(CSV), source: "csv" })],
  // Households (CONTRACT §9): the caller's household, made by the callables themselves.
  createHousehold: [fixed({ name: "Sofa" })],
  createHouseholdInvite: [
    async (uid, note) => {
      note(await call("createHousehold", { name: "Sofa" }, uid));
      return {};
    },
  ],
  joinHousehold: [async (uid, note) => ({ code: await inviteFrom(`${uid}-owner`, note) })],
  leaveHousehold: [
    async (uid, note) => {
      note(await call("joinHousehold", { code: await inviteFrom(`${uid}-owner`, note) }, uid));
      return {};
    },
  ],
  removeHouseholdMember: [
    async (uid, note) => {
      const code = await inviteFrom(uid, note);
      note(await call("joinHousehold", { code }, `${uid}-member`));
      return { uid: `${uid}-member` };
    },
  ],
  createProfile: [
    async (uid, note) => {
      note(await call("createHousehold", { name: "Sofa" }, uid));
      return { name: "Kid" };
    },
  ],
  deleteProfile: [
    async (uid, note) => {
      note(await call("createHousehold", { name: "Sofa" }, uid));
      const outcome = await call("createProfile", { name: "Kid" }, uid);
      note(outcome);
      return { profileId: outcome.ok ? (outcome.value as { profileId: string }).profileId : "none" };
    },
  ],
  deleteAccount: [fixed({})],
  // A language and a zone, then a language alone (the zone kept): repeating either changes nothing more.
  setPreferences: [fixed({ language: "fr-FR", timeZone: "Europe/Paris" }), fixed({ language: "de-DE" })],
  uploadImportPart: [async (uid, note) => ({ importId: await createdImport(uid, note), index: 0, data: CSV_BASE64 })],
  startImport: [
    async (uid, note) => {
      const importId = await createdImport(uid, note);
      note(await call("uploadImportPart", { importId, index: 0, data: CSV_BASE64 }, uid));
      return { importId, parts: 1 };
    },
  ],
};

/**
 * State outside users/{uid} that a request changes for everyone: the episode's reaction_counts. A run
 * is measured by the change it made there, which must be the same whether it was sent once or twice.
 * Answers leave out these everyone-counts (A's request moved them before B's ran).
 */
const SHARED_STATE: Record<string, (payload: Payload) => Promise<Record<string, number>>> = {
  toggleReaction: reactionCounts,
  setReaction: reactionCounts,
  getReactions: reactionCounts,
};

async function reactionCounts({ showId, season, episode }: Payload): Promise<Record<string, number>> {
  const outcome = await call("getReactions", { showId, season, episode }, "idem-observer");
  return outcome.ok ? (outcome.value as { counts: Record<string, number> }).counts : {};
}

const delta = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(Object.keys({ ...before, ...after }).map((key) => [key, (after[key] ?? 0) - (before[key] ?? 0)]));

// ------------------------------------------------------------------------------------ normalising

/** Random values one user's calls produced (ids, secrets), mapped to placeholders in the order they appeared. */
class RandomIds {
  private readonly ids = new Map<string, string>();

  /** Takes the random values out of a callable's answer: ids it minted and the secret at the end of a URL. */
  note(outcome: Outcome): void {
    if (!outcome.ok) return;
    const visit = (value: unknown, key = ""): void => {
      if (typeof value === "string") {
        if (key === "importId" || key === "webhookId" || key === "householdId" || key === "profileId" || key === "code" || key === "handle")
          this.add(value);
        if (key === "url") this.add(value.slice(value.lastIndexOf("/") + 1));
      } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) visit(v, k);
      }
    };
    visit(outcome.value);
  }

  private add(value: string): void {
    if (value.length >= 8 && !this.ids.has(value)) this.ids.set(value, `<random#${this.ids.size}>`);
  }

  replaceIn(text: string): string {
    let out = text;
    for (const [value, placeholder] of this.ids) out = out.split(value).join(placeholder);
    return out;
  }
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * A value with what legitimately differs between users replaced: the uid, the random ids, sha-256
 * hashes (of random secrets), and instants from while the test runs (when the request ran).
 */
function normalise(value: unknown, uid: string, ids: RandomIds, since: number): unknown {
  if (value instanceof Timestamp) return value.toMillis() >= since ? "<now>" : `ts(${value.toDate().toISOString()})`;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return `bytes(${value.length}, ${createHash("sha256").update(value).digest("hex").slice(0, 12)})`;
  if (typeof value === "string") {
    if (ISO.test(value) && Date.parse(value) >= since) return "<now>";
    return ids
      .replaceIn(value.split(uid).join("<uid>"))
      .replace(/\b[0-9a-f]{64}\b/g, "<sha256>")
      .replace(/\d{13}/g, (ms) => (Number(ms) >= since && Number(ms) <= Date.now() ? "<now-ms>" : ms));
  }
  if (Array.isArray(value)) return value.map((item) => normalise(item, uid, ids, since));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .map(([key, item]) => [normalise(key, uid, ids, since) as string, normalise(item, uid, ids, since)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  return value;
}

/**
 * The library summary's `rev` per show is a concurrency token, like a document's update time: every
 * tracking write bumps it blind (no read, by design: progress/librarySummary.ts), so a repeated
 * write that changes nothing still bumps it. What the entry says (stale or its computed answer) is compared.
 */
function withoutRevisions(snapshot: DocumentSnapshot): unknown {
  const data = snapshot.data();
  if (!snapshot.ref.path.endsWith(`/${LIBRARY_COLLECTION}/${LIBRARY_SUMMARY_ID}`) || !data?.shows) return data;
  const shows = Object.fromEntries(
    Object.entries(data.shows as Record<string, object>).map(([showId, entry]) => [showId, { ...entry, rev: "<rev>" }]),
  );
  return { ...data, shows };
}

/** users/{uid}/**, one line per document: its normalised path and normalised contents. */
async function normalisedTree(db: Firestore, uid: string, ids: RandomIds, since: number): Promise<string[]> {
  const snapshots = await userDocuments(db, uid);
  return snapshots
    .map(
      (snapshot) =>
        `${normalise(snapshot.ref.path, uid, ids, since) as string} ${JSON.stringify(normalise(withoutRevisions(snapshot), uid, ids, since))}`,
    )
    .sort();
}

function answer(name: string, outcome: Outcome, uid: string, ids: RandomIds, since: number): unknown {
  if (outcome.ok) {
    const value = SHARED_STATE[name] ? { ...(outcome.value as object), counts: "<shared>" } : outcome.value;
    return { ok: normalise(value, uid, ids, since) };
  }
  const error = outcome.error;
  return { error: error instanceof HttpsError ? error.code : String(error) };
}

// ------------------------------------------------------------------------------------------ harness

let db: Firestore;
let fake: FakeTmdb;
let since: number;
const crashes: unknown[][] = [];

beforeAll(async () => {
  // Anything at or after this instant was written while the test ran: "when the request ran".
  since = Date.now() - 5_000;
  fake = await startFakeTmdb({ port: 0 });
  inProcessHandlerEnv(fake.url);
  initializeApp({ projectId: projectId() });
  db = getFirestore(getApp());
  const logger = jest.requireActual<Record<string, (...args: unknown[]) => void>>("firebase-functions/logger");
  for (const level of ["debug", "info", "log", "warn"]) jest.spyOn(logger, level).mockImplementation(() => undefined);
  jest.spyOn(logger, "error").mockImplementation((...args: unknown[]) => void crashes.push(args));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await fake.close();
  await deleteApp(getApp());
});

/** An import the request started is processed in the background: its end state is after that. */
async function importsSettled(uid: string): Promise<void> {
  const imports = await db.collection("users").doc(uid).collection("imports").get();
  for (const doc of imports.docs) {
    if (doc.get("status") === "uploading") continue;
    const { reached } = await waitForDoc(doc.ref, (data) => data?.status === "done" || data?.status === "failed");
    await reached;
  }
}

interface Run {
  uid: string;
  ids: RandomIds;
  payload: Payload;
  outcomes: Outcome[];
  /** The change the run made to state shared by all users (SHARED_STATE). */
  shared: Record<string, number>;
}

// Each case starts with no crash logged, so one crash fails its own case only.
beforeEach(() => void (crashes.length = 0));

async function runAs(name: string, prepare: Prepare, role: string, times: number, concurrently: boolean): Promise<Run> {
  const uid = `idem-${role}-${name}-${Math.random().toString(36).slice(2, 8)}`;
  await seedUser(db, uid, SHOW);
  const ids = new RandomIds();
  const payload = await prepare(uid, (outcome) => ids.note(outcome));
  const observe = SHARED_STATE[name] ?? (async () => ({}));
  const before = await observe(payload);
  const once = () => call(name, payload, uid);
  const outcomes = concurrently
    ? await Promise.all(Array.from({ length: times }, once))
    : [await once(), ...(times > 1 ? [await once()] : [])];
  for (const outcome of outcomes) ids.note(outcome);
  await importsSettled(uid);
  return { uid, ids, payload, outcomes, shared: delta(before, await observe(payload)) };
}

function payloadsFor(name: string, fn: DiscoveredCallable): { label: string; prepare: Prepare }[] {
  const jsonSchema = z.toJSONSchema(fn.schema as z.ZodType, { unrepresentable: "any", io: "input" }) as JsonSchema;
  const sampled = fc.sample(validLooking(jsonSchema, { idBase: SHOW }), { numRuns: SAMPLED_PAYLOADS, seed: 17 }) as Payload[];
  return [
    ...(REALISTIC[name] ?? []).map((prepare, i) => ({ label: `realistic #${i + 1}`, prepare })),
    ...sampled.map((payload) => ({ label: `sampled ${JSON.stringify(payload).slice(0, 200)}`, prepare: fixed(payload) })),
  ];
}

it("finds every callable, each with a realistic request in the table", () => {
  expect(callables.length).toBeGreaterThan(30);
  // A realistic request says far more than random ones; a new callable needs one here.
  expect(callables.map(({ name }) => name).filter((name) => !REALISTIC[name])).toEqual([]);
});

describe.each(callables)("$name", ({ name, fn }) => {
  it.each(payloadsFor(name, fn))("sent twice (in a row and at once) ends as if sent once: $label", async ({ prepare }) => {
    const a = await runAs(name, prepare, "a", 1, false);
    const differs = END_STATE_DIFFERS[name]?.applies(a.payload) === true;
    const b = await runAs(name, prepare, "b", 2, false);
    const c = await runAs(name, prepare, "c", 2, true);
    expect(crashes).toEqual([]);

    const treeA = await normalisedTree(db, a.uid, a.ids, since);
    const treeB = await normalisedTree(db, b.uid, b.ids, since);
    const treeC = await normalisedTree(db, c.uid, c.ids, since);
    const [answerA] = a.outcomes.map((o) => answer(name, o, a.uid, a.ids, since));
    const [first, repeat] = b.outcomes.map((o) => answer(name, o, b.uid, b.ids, since));

    // The first request answers the same for A and B (same state before it).
    expect(first).toEqual(answerA);
    if (differs) {
      // Listed: the repeat changes the state. It must still answer with a contract code, never crash.
      for (const outcome of [...b.outcomes, ...c.outcomes]) if (!outcome.ok) expect(outcome.error).toBeInstanceOf(HttpsError);
      return;
    }
    expect(treeB).toEqual(treeA);
    if (!CONCURRENT_KNOWN_DEFECTS[name]?.(a.payload)) expect(treeC).toEqual(treeA);
    expect({ shared: b.shared }).toEqual({ shared: a.shared });
    expect({ shared: c.shared }).toEqual({ shared: a.shared });
    if (!RESPONSE_DIFFERS[name]) {
      expect(repeat).toEqual(first);
      if (!CONCURRENT_KNOWN_DEFECTS[name]?.(a.payload))
        expect(c.outcomes.map((o) => answer(name, o, c.uid, c.ids, since))).toEqual([answerA, answerA]);
    }
  });
});

/**
 * Issue 17's "1 MiB edge" through the callables: a tracking document just under the limit (the way a
 * long-running show's document grows with poster paths the client stored), and requests that would add
 * entries to it. syncHistory's and enrichShow's refusals are tested at the module level in
 * historySync.test.ts and enrichment.test.ts; here markWatched, and syncHistory through its trigger.
 */
describe("a tracking document at the 1 MiB edge", () => {
  async function documentJustUnderTheLimit(uid: string): Promise<DocumentReference> {
    const ref = db.collection("users").doc(uid).collection("episode_tracking").doc(String(SHOW));
    const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));
    const episodes: Record<string, object> = {};
    // Season 9 is not in the show: entries the client keeps that no request here touches.
    for (let e = 1; e <= 1000; e++) episodes[`9_${e}`] = { watched: true, watchedAt, posterPath: "p".repeat(1000) };
    for (
      let e = 1001;
      fitsDocumentLimit(ref.path, { episodes: { ...episodes, [`9_${e}`]: { watched: true, watchedAt, posterPath: "p".repeat(40) } } });
      e++
    ) {
      episodes[`9_${e}`] = { watched: true, watchedAt, posterPath: "p".repeat(40) };
    }
    await ref.set({ episodes });
    return ref;
  }

  const pushingOver: [string, Payload][] = [
    ["markWatched", { showId: SHOW, target: { type: "season", season: 1 } }],
    [
      "markWatched",
      {
        showId: SHOW,
        target: {
          type: "episodes",
          episodes: Array.from({ length: 12 }, (_, i) => ({ season: 1, episode: i + 1, watchedAt: "2024-03-02T20:00:00Z" })),
        },
      },
    ],
    ["syncHistory", { items: Array.from({ length: 12 }, (_, i) => traktPlay(String(5000 + i), 1, i + 1, "2024-03-02T20:00:00Z")) }],
  ];

  it.each(pushingOver)("%s that would push it over answers failed-precondition and writes nothing (%j)", async (name, payload) => {
    const uid = `idem-edge-${name}-${Math.random().toString(36).slice(2, 8)}`;
    await documentJustUnderTheLimit(uid);
    const before = await treeOf(db, uid);
    const outcomes = [await call(name, payload, uid), await call(name, payload, uid)];
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false);
      expect((outcome as { error: HttpsError }).error).toBeInstanceOf(HttpsError);
      expect((outcome as { error: HttpsError }).error.code).toBe("failed-precondition");
    }
    // Same documents, same contents, same update times: not one write.
    expect(await treeOf(db, uid)).toBe(before);
    expect(crashes).toEqual([]);
  });
});
